// Receiving webhooks through a module that has the webhook exports: the webhook entry's own
// module, or the client's, which links the same crate (shopflow-wasm-webhooks). Either way a
// body is checked in the module, which answers only its normalizations, and they are applied
// to JSON.parse's result of the body (apply.js): one way to a batch for both entries.

import { bytesOf } from '../body.js';
import { unwrap } from '../errors.js';
import { applyEdits } from './apply.js';

const decoder = new TextDecoder();

/** What receiver.js needs, from the exports `exportsOf()` gives once the module is ready. */
export function webhooksCore(exportsOf) {
  return {
    parseWebhook(body, event) {
      const wasm = exportsOf();
      // A string goes into the module's memory as UTF-8 directly (`encodeInto` in the glue);
      // bytes are checked as they are and decoded once for JSON.parse.
      if (typeof body === 'string') return applyEdits(body, unwrap(wasm.webhookEditsOfText(body, event ?? '')));
      const bytes = bytesOf(body);
      return applyEdits(decoder.decode(bytes), unwrap(wasm.webhookEdits(bytes, event ?? '')));
    },
    webhookUrl: (base, secret, event) => unwrap(exportsOf().webhookUrl(base, secret, event)),
    verifyWebhook: (url, secret) => exportsOf().verifyWebhook(url, secret),
    /** Throws ValidationError (at `field`) unless `secret` follows the one receiver-secret rule. */
    checkSecret: (field, secret) => unwrap(exportsOf().checkSecret(field, typeof secret === 'string' ? secret : undefined)),
    webhookEventFromUrl: (url) => exportsOf().webhookEventFromUrl(url) || undefined,
  };
}
