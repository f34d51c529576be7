//! The client of a Retailys instance (`https://api.retailys.com/v1`, the `token` header): the
//! exchange and driver of the Upgates [`crate::Client`], with Retailys' wire.
//!
//! What differs from Upgates, all decided in the core: sends are paced to 100 a second (the
//! API's limit per address, spec §1.7), so a burst does not earn a 429, and a 429 that comes
//! anyway is waited out (`Retry-After` in seconds); a POST (a new order, a tracking number,
//! a history record, a subscription) is never resent after an unknown outcome, because
//! Retailys has no key to look it up by; a list that matches nothing is an empty list, whether
//! the API answers 200 or 404. As with Upgates, a refused token (401/403) is sent once: after
//! it the client sends nothing until [`RetailysClient::reset_credentials`].

mod error;
mod resources;

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use shopflow_core::exchange::{Call, CallError, ExchangeConfig};
use shopflow_core::http::{BuildError, RequestSpec};
use shopflow_core::retailys::api::RetailysApi;
use shopflow_core::retailys::base_url::AllowLocal;
use shopflow_core::retailys::lookups::MeModel;
use shopflow_core::retailys::{ApiError, BaseUrl, REQUESTS_PER_SECOND, RetailysWire, Token};
use shopflow_core::retry::RetryPolicy;
use shopflow_core::secret::Secret;
use shopflow_core::validation::Problems;

pub use error::Error;
pub use resources::{CallAnswer, Events, Orders, Shippers, Statuses};

use crate::driver::Driver;
use crate::{base_url_problems, https_problems};

/// A client of one Retailys instance. Cheap to clone: clones share the pace of sends, the
/// slots in flight and the token's state.
#[derive(Clone)]
pub struct RetailysClient {
    driver: Arc<Driver<RetailysWire>>,
}

impl std::fmt::Debug for RetailysClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetailysClient").field("base_url", &self.base_url()).finish_non_exhaustive()
    }
}

/// Settings of a [`RetailysClient`]. Its `Debug` shows the token redacted.
#[derive(Debug)]
pub struct RetailysClientBuilder {
    base_url: String,
    token: Secret,
    allow_local: AllowLocal,
    policy: RetryPolicy,
    max_in_flight: usize,
    timeout: Duration,
}

impl RetailysClientBuilder {
    /// Also allow a loopback API address ending in `/v1` (`http://127.0.0.1:PORT/v1`: the
    /// sandbox).
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

    /// Requests in flight at most (default 3; at least 1).
    #[must_use]
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }

    /// How long one request may take before it counts as unanswered (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The client, pacing its sends to [`REQUESTS_PER_SECOND`].
    ///
    /// # Errors
    /// [`Problems`] naming `base_url` when it is not the Retailys API (or loopback without
    /// [`RetailysClientBuilder::allow_local`]), or when HTTPS cannot be set up.
    pub fn build(self) -> Result<RetailysClient, Problems> {
        let base = BaseUrl::parse(&self.base_url, self.allow_local).map_err(base_url_problems)?;
        let api = RetailysApi::new(base, Token::new(self.token));
        let config = ExchangeConfig {
            policy: self.policy,
            max_in_flight: self.max_in_flight,
            per_second: Some(REQUESTS_PER_SECOND),
        };
        let driver = Driver::new(api, RetailysWire, config, self.timeout, None, None)
            .map_err(https_problems)?;
        Ok(RetailysClient { driver: Arc::new(driver) })
    }
}

impl RetailysClient {
    /// Settings for a client of the API at `base_url` (`https://api.retailys.com/v1`) calling
    /// with the app's `token`.
    #[must_use]
    pub fn builder(base_url: impl Into<String>, token: impl Into<Secret>) -> RetailysClientBuilder {
        RetailysClientBuilder {
            base_url: base_url.into(),
            token: token.into(),
            allow_local: AllowLocal::No,
            policy: RetryPolicy::default(),
            max_in_flight: 3,
            timeout: Duration::from_secs(30),
        }
    }

    /// The API base URL in use.
    #[must_use]
    pub fn base_url(&self) -> String {
        self.driver.session().base_url().to_owned()
    }

    /// Requests this client has sent (every attempt counts against the per-second limit).
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

    /// The refusal that stopped this client, if the API refused its token.
    #[must_use]
    pub fn refused(&self) -> Option<ApiError> {
        self.driver.session().refused().cloned()
    }

    /// Allows sending again after a refused token: when it was corrected, or the app's rights
    /// were granted.
    pub fn reset_credentials(&self) {
        self.driver.session().reset_credentials();
    }

    /// Orders: list, stream, read, create, status, payment, flags, tracking, history.
    #[must_use]
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(self)
    }

    /// The instance's order statuses.
    #[must_use]
    pub fn statuses(&self) -> Statuses<'_> {
        Statuses::new(self)
    }

    /// The carriers (the `shipper_id` of a tracking number).
    #[must_use]
    pub fn shippers(&self) -> Shippers<'_> {
        Shippers::new(self)
    }

    /// Event callbacks (`/System/Events`), Retailys' webhooks.
    #[must_use]
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }

    /// `GET /System/Me`: the app's user, a test of the token.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn me(&self) -> Result<MeModel, Error> {
        self.get(|api| Ok(api.me())).await
    }

    /// Sends the request `build` makes of the API and decodes the answer.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `build` refuses, else what the exchange or decoding says.
    pub async fn get<T: DeserializeOwned>(
        &self,
        build: impl FnOnce(&RetailysApi) -> Result<RequestSpec, BuildError>,
    ) -> Result<T, Error> {
        self.send(build(&self.driver.api())?).await
    }

    /// Sends `spec` and decodes the answer.
    async fn send<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T, Error> {
        let answer = self.driver.run(Call::new(spec)).await.map_err(Error::Call)?;
        shopflow_core::json::from_slice(&answer.body)
            .map_err(|e| Error::BadResponse(ApiError::Decode(e)))
    }

    /// As [`RetailysClient::get`], for a list: a 404 is the empty list, as the API uses it
    /// for "nothing matched" (spec §2.1).
    pub(crate) async fn list<T: DeserializeOwned + Default>(
        &self,
        build: impl FnOnce(&RetailysApi) -> Result<RequestSpec, BuildError>,
    ) -> Result<T, Error> {
        match self.get(build).await {
            Err(Error::Call(CallError::Api { error: ApiError::NotFound { .. }, .. })) => {
                Ok(T::default())
            }
            other => other,
        }
    }
}
