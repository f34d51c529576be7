//! Upgates API v2 (`https://<shop>.admin.<server>.upgates.com/api/v2`), and the legacy
//! order-state API it replaced.
//!
//! Everything specific to Upgates lives here: the models with their quirks, the base-URL
//! rule, Basic auth, the status table, `X-Rate-Limit-*` headers and webhook payloads.

pub mod message;
pub mod meta;
pub mod order;
pub mod php_datetime;
pub mod query;
pub mod customer;
pub mod order_status;
pub mod webhook;
