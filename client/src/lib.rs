//! shopflow-client: an async Rust client for the Upgates and Retailys APIs.
//!
//! Both clients drive the core's exchange ([`shopflow_core::exchange`]), the same loop the
//! npm package runs, through one driver: 5xx and dropped connections retried only where
//! resending is safe, a 429 waited out as long as the policy allows, and refused credentials
//! (401/403) sent once: after that the client sends nothing until it is reset.
//!
//! **Upgates** ([`Client`]): the hourly budget the shop reports admitted before each send,
//! at most three requests in flight, a create whose answer was lost looked up by external
//! order number, and a 301 followed only to an Upgates API address. A refused login stops
//! the client until [`Client::reset_credentials`], because five refused logins lock the
//! shop's API user for an hour.
//!
//! ```no_run
//! use shopflow_client::Client;
//! use shopflow_core::upgates::order::{Notify, OrderListQuery, OrderUpdate};
//!
//! # async fn demo() -> Result<(), shopflow_client::Error> {
//! let client = Client::builder("https://myshop.admin.s24.upgates.com/api/v2", "login", "api-key")
//!     .build()
//!     .map_err(|e| shopflow_client::Error::Invalid(e))?;
//! let page = client.orders().list(&OrderListQuery::default()).await?;
//! let mut update = OrderUpdate::new(page.orders[0].order_number.clone());
//! update.status_id = Some(3);
//! // Writes say whether the shop e-mails or texts the customer: here, neither.
//! let outcomes = client.orders().update(vec![update], Notify::NONE).await?;
//! assert!(outcomes[0].ok);
//! # Ok(()) }
//! ```
//!
//! **Retailys** ([`retailys::RetailysClient`]): sends paced to 100 a second, the API's limit
//! per address, so bursts do not earn 429s; one order and one change per request; a POST
//! (a new order, a tracking number, a history record) never resent after an unknown outcome,
//! because Retailys has no key to look it up by. The token never appears in a `Debug`,
//! `Display` or error message.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use shopflow_client::retailys::{Error, RetailysClient};
//! use shopflow_core::retailys::api::OrderFlag;
//! use shopflow_core::retailys::query::OrderListQuery;
//! use shopflow_core::retailys::requests::{OrderStatusPatchRequest, TrackingPostRequest};
//!
//! # async fn demo() -> Result<(), Error> {
//! let client = RetailysClient::builder("https://api.retailys.com/v1", "app-token")
//!     .build()
//!     .map_err(Error::Invalid)?;
//! let mut open = OrderListQuery::default();
//! open.done = Some(false);
//! // Every page, 250 orders a request.
//! let orders: Vec<_> = client.orders().stream(open, |_| {}).try_collect().await?;
//! let shippers = client.shippers().list().await?;
//! let ppl = shippers.iter().find(|s| s.name.as_deref() == Some("PPL")).and_then(|s| s.id);
//! for order in orders.iter().filter_map(|o| o.id) {
//!     client.orders().set_status(order, &OrderStatusPatchRequest::new(4)).await?;
//!     if let Some(shipper) = ppl {
//!         let parcel = TrackingPostRequest::new(shipper, format!("P{order}"));
//!         client.orders().add_tracking(order, &parcel).await?;
//!     }
//!     client.orders().set_flag(order, OrderFlag::Sent).await?;
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

mod driver;
mod error;
mod pages;
mod resources;
pub mod retailys;
pub mod shared_budget;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
pub use error::Error;
pub use resources::{Customers, OrderStatuses, Orders, Webhooks};
use shopflow_core::exchange::{Call, ExchangeConfig};
use shopflow_core::http::RequestSpec;
use shopflow_core::rate_limit::RateBudget;
use shopflow_core::retry::RetryPolicy;
use shopflow_core::secret::Secret;
use shopflow_core::upgates::response::ApiError;
use shopflow_core::upgates::wire::UpgatesWire;
use shopflow_core::upgates::{AllowLocal, BaseUrl, Credentials, UpgatesApi};
use shopflow_core::validation::{At, Problems};

use driver::{Driver, OnRelocate};

/// A client of one shop. Cheap to clone: clones share the budget, the slots in flight and
/// the credentials' state.
#[derive(Clone)]
pub struct Client {
    driver: Arc<Driver<UpgatesWire>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url()).finish_non_exhaustive()
    }
}

/// Settings of a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    login: String,
    key: Secret,
    allow_local: AllowLocal,
    policy: RetryPolicy,
    max_in_flight: usize,
    timeout: Duration,
    on_relocate: Option<OnRelocate>,
    shared_budget: Option<Arc<dyn shared_budget::BudgetStore>>,
}

impl ClientBuilder {
    /// Also allow loopback API addresses (`http://127.0.0.1:PORT/api/v2`: the sandbox), as
    /// the base URL and as the target of a relocation.
    #[must_use]
    pub fn allow_local(mut self, yes: bool) -> Self {
        self.allow_local = if yes { AllowLocal::Yes } else { AllowLocal::No };
        self
    }

    /// Attempts, backoff, and whether a 429 is waited out (default: 4 attempts, wait up
    /// to 60 s).
    #[must_use]
    pub fn policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Requests in flight at most (1 to 3; the API answers 429 beyond 3).
    #[must_use]
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.clamp(1, shopflow_core::upgates::CONCURRENCY_LIMIT);
        self
    }

    /// How long one request may take before it counts as unanswered (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Called with the new API base URL when the shop moves (store it for next time).
    #[must_use]
    pub fn on_relocate(mut self, tell: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_relocate = Some(Box::new(tell));
        self
    }

    /// Takes every request from a budget shared with other processes that send to the
    /// shop (the rules service's instances on one database), so that together they never
    /// spend more than the shop allows.
    #[must_use]
    pub fn shared_budget(mut self, store: Arc<dyn shared_budget::BudgetStore>) -> Self {
        self.shared_budget = Some(store);
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`Problems`] naming `base_url` when it is not an Upgates API address (or loopback
    /// without [`ClientBuilder::allow_local`]), or when HTTPS cannot be set up.
    pub fn build(self) -> Result<Client, Problems> {
        let base = BaseUrl::parse(&self.base_url, self.allow_local).map_err(base_url_problems)?;
        let api = UpgatesApi::new(base, Credentials::new(self.login, self.key));
        // Upgates limits by the hour and reports its budget, not by the second.
        let config = ExchangeConfig {
            policy: self.policy,
            max_in_flight: self.max_in_flight,
            per_second: None,
        };
        let wire = UpgatesWire { allow_local: self.allow_local };
        let driver =
            Driver::new(api, wire, config, self.timeout, self.on_relocate, self.shared_budget)
                .map_err(https_problems)?;
        Ok(Client { driver: Arc::new(driver) })
    }
}

impl Client {
    /// Settings for a client of the shop at `base_url` (`https://SHOP.admin.SERVER.upgates.com/api/v2`).
    #[must_use]
    pub fn builder(
        base_url: impl Into<String>,
        login: impl Into<String>,
        key: impl Into<Secret>,
    ) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            login: login.into(),
            key: key.into(),
            allow_local: AllowLocal::No,
            policy: RetryPolicy::default(),
            max_in_flight: shopflow_core::upgates::CONCURRENCY_LIMIT,
            timeout: Duration::from_secs(30),
            on_relocate: None,
            shared_budget: None,
        }
    }

    /// The API base URL in use (it changes when the shop moves).
    #[must_use]
    pub fn base_url(&self) -> String {
        self.driver.session().base_url().to_owned()
    }

    /// The request budget as the shop last reported it, adjusted for requests sent since.
    #[must_use]
    pub fn budget(&self) -> RateBudget {
        self.driver.session().budget(Utc::now())
    }

    /// Requests this client has sent (every attempt counts against the shop's budget).
    #[must_use]
    pub fn requests_sent(&self) -> u64 {
        self.driver.session().requests_sent()
    }

    /// How the requests sent so far ended: a count per HTTP status, and under `None` those
    /// that got no answer (each attempt counts).
    #[must_use]
    pub fn answers(&self) -> std::collections::BTreeMap<Option<u16>, u64> {
        self.driver.session().answers().clone()
    }

    /// The refusal that stopped this client, if the shop refused its credentials.
    #[must_use]
    pub fn refused(&self) -> Option<ApiError> {
        self.driver.session().refused().cloned()
    }

    /// Allows sending again after a refused login. Call it when the credentials were
    /// corrected, or when enough time has passed to try them once more (the rules service
    /// waits 15 minutes).
    pub fn reset_credentials(&self) {
        self.driver.session().reset_credentials();
    }

    /// Orders: list, stream, read, create, update, delete, history.
    #[must_use]
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(self)
    }

    /// Order statuses.
    #[must_use]
    pub fn order_statuses(&self) -> OrderStatuses<'_> {
        OrderStatuses::new(self)
    }

    /// Customers.
    #[must_use]
    pub fn customers(&self) -> Customers<'_> {
        Customers::new(self)
    }

    /// Webhooks.
    #[must_use]
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks::new(self)
    }

    /// `GET /status`: which endpoints this API user may use.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn status(&self) -> Result<shopflow_core::upgates::api_status::ApiStatus, Error> {
        self.get(|api| Ok(api.api_status())).await
    }

    /// Sends the request `build` makes of the API as it stands and decodes the answer.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `build` refuses, else what the exchange or decoding says.
    pub async fn get<T: serde::de::DeserializeOwned>(
        &self,
        build: impl FnOnce(&UpgatesApi) -> Result<RequestSpec, shopflow_core::upgates::BuildError>,
    ) -> Result<T, Error> {
        let body = self.bytes(build).await?;
        shopflow_core::json::from_slice(&body).map_err(|e| Error::BadResponse(ApiError::Decode(e)))
    }

    /// Sends the request `build` makes and returns the answer's body as it came.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `build` refuses, else what the exchange says.
    pub async fn bytes(
        &self,
        build: impl FnOnce(&UpgatesApi) -> Result<RequestSpec, shopflow_core::upgates::BuildError>,
    ) -> Result<Vec<u8>, Error> {
        let spec = build(&self.driver.api())?;
        let answer = self.driver.run(Call::new(spec)).await.map_err(Error::Call)?;
        Ok(answer.body)
    }

    pub(crate) fn driver(&self) -> &Driver<UpgatesWire> {
        &self.driver
    }
}

/// The problem of a base URL that is not the platform's API address.
fn base_url_problems(e: shopflow_core::base_url::BaseUrlError) -> Problems {
    Problems(vec![At::root().field("base_url").problem(e.expected, e.shown)])
}

/// The problem of an HTTP client that could not be set up.
fn https_problems(why: String) -> Problems {
    Problems(vec![At::root().problem("a working HTTPS client", why)])
}
