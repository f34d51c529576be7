//! The rules service's connection to a shop: the core builds and judges every request; this
//! shell sends it (reqwest over rustls), waits where the core says to wait, keeps the rate
//! budget from the `X-Rate-Limit-*` headers, and holds at most three requests in flight
//! (the API's cap per API-access group).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use shopflow_core::http::{RequestSpec, Response};
use shopflow_core::rate_limit::{Admission, RateBudget};
use shopflow_core::retry::{Decision, Outcome, RetryPolicy, StopReason};
use shopflow_core::upgates::api::{OrderStatusQuery, UpgatesApi};
use shopflow_core::upgates::base_url::{AllowLocal, BaseUrl};
use shopflow_core::upgates::customer::{
    CustomerList, CustomerListQuery, CustomersUpdateResponse, CustomersWriteRequest,
};
use shopflow_core::upgates::message::{ItemOutcome, reconcile};
use shopflow_core::upgates::order::query::OrderList;
use shopflow_core::upgates::order::results::OrdersUpdateResponse;
use shopflow_core::upgates::order::{
    HistoryAddRequest, HistoryAddResponse, Order, OrderHistory, OrderListQuery, OrderUpdateRequest,
};
use shopflow_core::upgates::order_status::{OrderStatus, OrderStatusList};
use shopflow_core::upgates::response::{self, ApiError};
use tokio::sync::{Mutex, Semaphore};

/// Requests in flight at most (the API's limit per API-access group).
pub const CONCURRENCY: usize = 3;

/// Why a request gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    /// The request could not be built (invalid).
    #[error("{0}")]
    Build(String),
    /// The API answered with an error the retry policy would not repeat.
    #[error("{0}")]
    Api(ApiError),
    /// Retries ended.
    #[error("{what}: {reason}")]
    GaveUp {
        /// The request, without credentials.
        what: String,
        /// Why.
        reason: String,
    },
}

/// A shop's API with the service's retry, budget and concurrency rules.
pub struct Shop {
    api: Mutex<UpgatesApi>,
    http: reqwest::Client,
    policy: RetryPolicy,
    budget: std::sync::Mutex<RateBudget>,
    permits: Semaphore,
    /// Requests sent (every attempt counts against the shop's budget).
    pub requests: Arc<AtomicU64>,
}

impl Shop {
    /// A connection to the API at `base_url`.
    ///
    /// # Errors
    /// A base URL that is not an Upgates API (`allow_local` admits 127.0.0.1), or no TLS.
    pub fn new(api: UpgatesApi, requests: Arc<AtomicU64>) -> Result<Shop, String> {
        // ring is the one crypto provider built in; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot set up HTTPS: {e}"))?;
        Ok(Shop {
            api: Mutex::new(api),
            http,
            policy: RetryPolicy::default(),
            budget: std::sync::Mutex::new(RateBudget::default()),
            permits: Semaphore::new(CONCURRENCY),
            requests,
        })
    }

    /// The budget as last seen.
    pub fn budget(&self) -> RateBudget {
        self.budget.lock().map(|b| b.at(Utc::now())).unwrap_or_default()
    }

    async fn api(&self) -> UpgatesApi {
        self.api.lock().await.clone()
    }

    /// Sends a request until the core's policy accepts the answer or gives up.
    async fn send(
        &self,
        build: impl Fn(&UpgatesApi) -> Result<RequestSpec, String>,
    ) -> Result<(u16, Vec<u8>), ShopError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let spec = build(&self.api().await).map_err(ShopError::Build)?;
            self.wait_for_budget().await;
            let (outcome, answer) = {
                let _permit = self.permits.acquire().await.map_err(|e| ShopError::GaveUp {
                    what: describe(&spec),
                    reason: e.to_string(),
                })?;
                self.requests.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut b) = self.budget.lock() {
                    b.record_sent(Utc::now());
                }
                match self.attempt(&spec).await {
                    Ok((status, headers, body)) => {
                        let now = Utc::now();
                        let resp = Response::new(status, &headers, &body);
                        let seen = response::rate_budget(&resp, now);
                        if seen.is_known()
                            && let Ok(mut b) = self.budget.lock()
                        {
                            *b = seen;
                        }
                        (response::classify(&resp, now), Some((status, headers, body)))
                    }
                    Err(_) => (Outcome::Transient, None),
                }
            };
            let jitter = rand::random::<f64>();
            match self.policy.decide(attempt, &outcome, &spec.resend, Utc::now(), jitter) {
                Decision::Accept => {
                    return match answer {
                        Some((status, _, body)) => Ok((status, body)),
                        None => Err(ShopError::GaveUp {
                            what: describe(&spec),
                            reason: "no answer".into(),
                        }),
                    };
                }
                Decision::Retry { after } => tokio::time::sleep(after).await,
                Decision::Relocate { api_url } => {
                    let base = BaseUrl::parse(&api_url, AllowLocal::Yes).map_err(|e| {
                        ShopError::GaveUp {
                            what: describe(&spec),
                            reason: format!("the shop moved to an address that is not an API: {e}"),
                        }
                    })?;
                    eprintln!("the shop has moved; its API is now at {}", base.as_str());
                    self.api.lock().await.relocate(base);
                }
                Decision::Stop(reason) => {
                    let now = Utc::now();
                    return Err(match answer {
                        Some((status, headers, body)) => {
                            match response::error_for(&Response::new(status, &headers, &body), now)
                            {
                                Some(e) if reason == StopReason::NotRetryable => ShopError::Api(e),
                                Some(e) => ShopError::GaveUp {
                                    what: describe(&spec),
                                    reason: format!("{e} ({reason:?})"),
                                },
                                None => ShopError::GaveUp {
                                    what: describe(&spec),
                                    reason: format!("{reason:?}"),
                                },
                            }
                        }
                        None => ShopError::GaveUp {
                            what: describe(&spec),
                            reason: format!("the connection failed ({reason:?})"),
                        },
                    });
                }
                // Only creates of orders ask for a lookup; the service never creates.
                _ => {
                    return Err(ShopError::GaveUp {
                        what: describe(&spec),
                        reason: "the outcome is unknown".into(),
                    });
                }
            }
        }
    }

    async fn wait_for_budget(&self) {
        let admission = self.budget.lock().map(|b| b.admit(Utc::now())).unwrap_or(Admission::Go);
        if let Admission::WaitUntil(at) = admission {
            let wait = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
            eprintln!(
                "the shop's request budget is used up; waiting {}s for the next hour",
                wait.as_secs()
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        spec: &RequestSpec,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), reqwest::Error> {
        let method = reqwest::Method::from_bytes(spec.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut req = self.http.request(method, spec.url());
        for (name, value) in &spec.headers {
            req = req.header(name.as_str(), value.expose());
        }
        if let Some(body) = &spec.body {
            req = req.body(body.clone());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
            .collect();
        let body = resp.bytes().await?.to_vec();
        Ok((status, headers, body))
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&UpgatesApi) -> Result<RequestSpec, String>,
    ) -> Result<T, ShopError> {
        let (status, body) = self.send(build).await?;
        let now = Utc::now();
        response::parse(&Response::new(status, &[], &body), now).map_err(ShopError::Api)
    }

    /// Orders by number, 100 per request (one page each).
    pub async fn orders(&self, numbers: &[String]) -> Result<Vec<Order>, ShopError> {
        let mut out = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(100) {
            let q = OrderListQuery::by_numbers(chunk.iter().cloned());
            let list: OrderList =
                self.get(|api| api.list_orders(&q).map_err(|e| e.to_string())).await?;
            out.extend(list.orders);
        }
        Ok(out)
    }

    /// Customers by id, 100 per request.
    pub async fn customers(
        &self,
        ids: &[u64],
    ) -> Result<Vec<shopflow_core::upgates::customer::Customer>, ShopError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(100) {
            let q = CustomerListQuery::by_ids(chunk.iter().copied());
            let list: CustomerList =
                self.get(|api| api.list_customers(&q).map_err(|e| e.to_string())).await?;
            out.extend(list.customers);
        }
        Ok(out)
    }

    /// The shop's order statuses.
    pub async fn statuses(&self) -> Result<Vec<OrderStatus>, ShopError> {
        let list: OrderStatusList =
            self.get(|api| Ok(api.list_order_statuses(&OrderStatusQuery::default()))).await?;
        Ok(list.order_statuses)
    }

    /// `PUT /orders`: each order's outcome.
    pub async fn update_orders(
        &self,
        req: &OrderUpdateRequest,
    ) -> Result<Vec<ItemOutcome>, ShopError> {
        let resp: OrdersUpdateResponse =
            self.get(|api| api.update_orders(req).map_err(|e| e.to_string())).await?;
        let keys: Vec<Option<String>> = req.orders.iter().map(|o| o.order_number.clone()).collect();
        Ok(reconcile(&keys, &resp.orders, 0))
    }

    /// `PUT /customers`: each customer's outcome.
    pub async fn update_customers(
        &self,
        req: &CustomersWriteRequest,
    ) -> Result<Vec<ItemOutcome>, ShopError> {
        let resp: CustomersUpdateResponse =
            self.get(|api| api.write_customers(req).map_err(|e| e.to_string())).await?;
        let keys: Vec<Option<String>> =
            req.customers.iter().map(|c| c.login.as_ref().and_then(|l| l.email.clone())).collect();
        Ok(reconcile(&keys, &resp.customers, 0))
    }

    /// `POST /orders/{n}/history`.
    pub async fn add_history(
        &self,
        order_number: &str,
        req: &HistoryAddRequest,
    ) -> Result<(), ShopError> {
        let resp: HistoryAddResponse = self
            .get(|api| api.add_order_history(order_number, req).map_err(|e| e.to_string()))
            .await?;
        if resp.succeeded() {
            Ok(())
        } else {
            Err(ShopError::GaveUp {
                what: format!("POST /orders/{order_number}/history"),
                reason: resp
                    .messages
                    .iter()
                    .map(|m| m.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            })
        }
    }

    /// `GET /orders/{n}/history`.
    pub async fn history(&self, order_number: &str) -> Result<OrderHistory, ShopError> {
        self.get(|api| api.order_history(order_number).map_err(|e| e.to_string())).await
    }

    /// Sends any built request and decodes the answer (webhook registration and the like).
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&UpgatesApi) -> Result<RequestSpec, String>,
    ) -> Result<T, ShopError> {
        self.get(build).await
    }
}

/// `PUT /api/v2/orders`, without the query (it may hold nothing secret, but stays short).
fn describe(spec: &RequestSpec) -> String {
    format!("{} {}", spec.method.as_str(), spec.path)
}
