//! Customers: the customer object, list filters, create/update/delete and their results.
//!
//! The customer's key is the e-mail (since 1.1.2025 in `login.email`). Customer webhooks
//! carry only id, e-mail and code, so the rules host reads the customer with these types.

pub mod object;
pub mod query;
pub mod results;
pub mod write;

pub use object::{Customer, CustomerType, NewsletterAccept};
pub use query::{CUSTOMERS_PER_PAGE, CustomerList, CustomerListQuery};
pub use results::{
    CustomerDeleted, CustomerInserted, CustomerUpdated, CustomersCreateResponse,
    CustomersDeleteResponse, CustomersUpdateResponse,
};
pub use write::{
    CustomerAccountWrite, CustomerDeleteQuery, CustomerWriteMode, CustomersWriteRequest, LoginWrite,
};
