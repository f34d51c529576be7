//! A local, stateful Retailys (`/v1/System/...`), the second platform the sandbox speaks.
//!
//! It reads requests and writes answers with shopflow-core's Retailys types
//! (`shopflow_core::retailys`), and follows `shared/spec/retailys-api.md`. Where the spec is
//! silent ([U]/[I]) the sandbox has to pick something; these are its rules, so a client can
//! be tested against a definite behaviour:
//!
//! - **Auth:** header `token` must equal the configured token (compared in constant time),
//!   else 401 `ErrorModel`. Every right is granted, so 403 never happens.
//! - **Rate limit** (§1.7): per client address, a one-second window that opens with the
//!   first request; over the limit (100 by default) every request is 429 with `Retry-After:
//!   1` until the window ends. It is checked before the token (the limit is per IP), and
//!   refused requests count in the stats but not in the window.
//! - **Lists:** ordered by id, ascending. `page` starts at 1; `page=0` and a `per_page`
//!   outside 10–250 are 400 (the core's `Validate`). A list with no match is **200 with an
//!   empty array** (not 404), `pages` is 0 then; a page past the end is 200 and empty.
//! - **`from`/`to`** compare with `date_order`, both inclusive; values without an offset
//!   are read in Prague winter time (+01:00).
//! - **References** (`expanded=false`): `{id, api_link}` with a relative `/System/...` path
//!   (those detail paths are not served). `items[].article` shrinks to a reference too.
//! - **POST /System/Orders:** `channel` must be a known channel (400); the customer is found
//!   by e-mail (case-insensitive) or created. A new order has status 1, no lines, money 0.
//! - **Items:** `article` must be a known article (it fills `name` and the price); without
//!   it, `name` is required and `price` defaults to 0. `money` is recomputed from the lines,
//!   shipping and payment after every change.
//! - **Flags** (422 when not allowed): `sent` and `done` need an order that is not
//!   canceled; `delivered` needs `sent` first; `cancel` refuses a done or sent order.
//!   Repeating a flag that is already set is a no-op 200. A status with `complete_order` or
//!   `cancel_order` follows the `done` or `cancel` rule and sets that flag. Items of a done
//!   or canceled order cannot change (422).
//! - **PATCH paid:** `paid` replaces the amount; `success` (or no status) stamps
//!   `date_paid`; other results only record `payment_id`/`url`.
//! - **Tracking:** `shipper_id` must be in `/System/Lists/Shippers` (400); the URL is built
//!   from the shipper. Tracking and history answer `IdModel` with a new record id.
//! - **Events** (§4): the event must be one of the nine known names (400 otherwise);
//!   `order-new`/`new-order` fire when an order is created (API or generated),
//!   `order-change-status` on `PATCH …/status` only (flags do not change the status).
//!   `condition` is honoured in the forms `%channelId% == N` and `%channelId% != N`; any
//!   other condition is stored and ignored.
//! - **CORS:** any origin may call `/v1` with the `token` header (the dashboard in a browser);
//!   the real API's stance is unknown.
//! - **Callbacks** (§4.4 working model): `path` is an absolute `http://` URL, or a path
//!   joined to `callbacks.base_url` from the control config. Each parameter's `variable`
//!   has its macros replaced (text around them is kept, unknown macros stay as written).
//!   GET sends them in the query; POST and PUT send a JSON object of strings
//!   (`{"order": "12345"}`). One attempt per event, in the background, with a timeout
//!   (`callbacks.timeout_ms`, 5 s); any 2xx is success. Every attempt is in
//!   `GET /__sandbox/deliveries`.
//! - **Hosted instances:** besides its own, the sandbox hosts instances by name at
//!   `/shops/{name}/v1` and `/shops/{name}/__sandbox` (the Upgates sandbox's way, `shops`),
//!   each with its own token (default `NAME-token`), orders, subscriptions, rate window,
//!   faults, counts and callback log. `POST /__sandbox/shops {name, token?}` adds one,
//!   `GET /__sandbox/shops` lists them (never their tokens); an unknown name is 404.

mod catalog;
mod changes;
mod control;
mod events;
mod generate;
mod guard;
mod hosted;
mod orders;
mod server;
mod state;
mod store;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, Method};
use axum::middleware;
use axum::routing::{delete, get, patch, post};
use shopflow_core::Secret;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::cors::{Any, CorsLayer};

pub use hosted::NewRetailysShop;
use state::RState;
pub use state::RetailysRuntime;

use crate::StartError;
use crate::shops::{self, Shops};

/// How a Retailys sandbox starts.
#[derive(Debug, Clone)]
pub struct RetailysConfig {
    /// Port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// The API token clients send in the `token` header.
    pub token: Secret,
    /// Storefront orders to generate at start.
    pub seed_orders: usize,
    /// Seed for generated orders.
    pub seed: u64,
    /// Limits, faults and callback settings.
    pub runtime: RetailysRuntime,
    /// Instances hosted besides this one at start: `shop-1` to `shop-N` under
    /// `/shops/NAME/` (token `shop-K-token`; `hosted.rs`). More can be added while it runs.
    pub shops: usize,
}

impl Default for RetailysConfig {
    fn default() -> Self {
        RetailysConfig {
            port: 0,
            token: Secret::new("sandbox-token"),
            seed_orders: 0,
            seed: 1,
            runtime: RetailysRuntime::default(),
            shops: 0,
        }
    }
}

/// A running Retailys sandbox.
#[derive(Debug)]
pub struct RetailysHandle {
    addr: SocketAddr,
    shops: Arc<Shops<RState>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RetailysHandle {
    /// Where it listens.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base URL, `http://127.0.0.1:PORT/v1`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.origin())
    }

    /// A hosted instance's API base URL, `http://127.0.0.1:PORT/shops/NAME/v1`.
    #[must_use]
    pub fn shop_base_url(&self, name: &str) -> String {
        format!("{}/shops/{name}/v1", self.origin())
    }

    /// Every hosted instance, by name (never their tokens).
    #[must_use]
    pub fn shops(&self) -> Vec<shops::ShopInfo> {
        self.shops.list()
    }

    /// Stops serving and closes every connection.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RetailysHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a Retailys sandbox on 127.0.0.1.
///
/// # Errors
/// [`StartError::Bind`] when the port cannot be bound, [`StartError::Shop`] when an
/// instance cannot be hosted.
pub async fn start_retailys(config: RetailysConfig) -> Result<RetailysHandle, StartError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|source| StartError::Bind { port: config.port, source })?;
    let addr =
        listener.local_addr().map_err(|source| StartError::Bind { port: config.port, source })?;
    let state = Arc::new(RState::new(config.token.clone(), config.seed, config.runtime.clone()));
    // Nobody has subscribed yet, so the events of seeded orders go nowhere.
    let _ = state.store().generate(config.seed_orders, config.seed);
    let shops = Arc::new(Shops::<RState>::new(hosted::Template {
        runtime: config.runtime.clone(),
        seed_orders: config.seed_orders,
        seed: config.seed,
    }));
    for k in 1..=config.shops {
        shops.add(NewRetailysShop { name: format!("shop-{k}"), token: None })?;
    }
    let router = router(Arc::clone(&state)).merge(shops::routes(Arc::clone(&shops)));
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(server::serve(listener, router, state, Arc::clone(&shops), rx));
    Ok(RetailysHandle { addr, shops, shutdown: Some(tx), task })
}

/// The API under `/v1` (behind the guard) and the control API under `/__sandbox`.
fn router(state: Arc<RState>) -> Router {
    use orders as o;
    let api = Router::new()
        .route("/System/Orders", get(o::list).post(o::create).put(o::update))
        .route("/System/Orders/Statuses", get(o::statuses))
        .route("/System/Orders/{id}", get(o::one))
        .route("/System/Orders/{id}/item", post(o::add_item).put(o::update_item))
        .route("/System/Orders/{id}/item/{item_id}", delete(o::delete_item))
        .route("/System/Orders/{id}/status", patch(o::set_status))
        .route("/System/Orders/{id}/paid", patch(o::set_paid))
        .route("/System/Orders/{id}/{flag}", patch(o::set_flag))
        .route("/System/Orders/{id}/tracking", post(o::add_tracking))
        .route("/System/Orders/{id}/history", post(o::add_history))
        .route("/System/Me", get(o::me))
        .route("/System/Lists/Shippers", get(o::shippers))
        .route("/System/Events", get(events::list).post(events::create).put(events::update))
        .route("/System/Events/{id}", get(events::one).delete(events::remove))
        .fallback(guard::no_route)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard::guard));
    let control = Router::new()
        .route("/reset", post(control::reset))
        .route("/orders/generate", post(control::generate))
        .route("/orders/place", post(control::place))
        .route("/orders/{id}", get(control::order))
        .route("/stats", get(control::stats))
        .route("/stats/reset", post(control::reset_stats))
        .route("/deliveries", get(control::deliveries))
        .route("/config", get(control::get_config).put(control::put_config));
    // Outside the guard: a preflight carries no token, and 401 and 429 answers need the
    // headers too, or a page cannot read why it was refused.
    Router::new().nest("/v1", api.layer(cors())).nest("/__sandbox", control).with_state(state)
}

/// CORS for pages that talk to the API (the dashboard): any origin, the `token` header, and
/// `Retry-After` readable. Whether the real api.retailys.com allows browsers is not known
/// (the spec is silent); the sandbox does, so the dashboard can be tested.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([HeaderName::from_static("token"), HeaderName::from_static("content-type")])
        .expose_headers([HeaderName::from_static("retry-after")])
}
