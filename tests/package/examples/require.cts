// CommonJS consumers get the same types through `require`.
import shopflow = require('shopflow');

declare const error: shopflow.ShopflowError | undefined;
export const code: shopflow.ErrorCode | undefined = error?.code;
export const limit: 100 = shopflow.MAX_ITEMS_PER_REQUEST;
