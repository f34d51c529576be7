//! Orders: the order object, list filters, create, update, delete, history, results.

pub mod create;
pub mod delete;
pub mod enums;
#[cfg(feature = "page-text")]
mod fields;
pub mod history;
pub mod object;
#[cfg(feature = "page-text")]
pub mod page_text;
pub mod query;
pub mod results;
pub mod update;
pub mod write;

pub use create::{NewOrder, OrderCreateRequest};
pub use delete::OrderDeleteQuery;
pub use enums::{
    DiscountType, LineType, OrderBy, OrderDir, OrderOrigin, PaymentType, ShipmentType,
};
pub use history::{
    HistoryAddRequest, HistoryAddResponse, HistoryEvent, HistoryOrigin, OrderHistory,
};
pub use object::{Order, OrderCustomer, OrderPayment, OrderProduct, OrderShipment};
#[cfg(feature = "page-text")]
pub use page_text::{NotHere, PageText, order_page_text};
pub use query::{ORDERS_PER_PAGE, OrderList, OrderListQuery};
pub use results::{
    OrderCreated, OrderDeleted, OrderUpdated, OrdersCreateResponse, OrdersDeleteResponse,
    OrdersUpdateResponse,
};
pub use update::{OrderUpdate, OrderUpdateRequest, PaidDate};
pub use write::{
    CustomerWrite, DocumentWrite, Notify, PaymentWrite, ProductWrite, QuantityDiscountWrite,
    ShipmentWrite,
};
