//! Many shops in one service (`shopflow run --config shops.toml`): each shop is a whole
//! service of its own, opened by [`crate::open`] (its journal and run history in its own data
//! folder, its client and budget, its worker, its receivers), and one router serves them all
//! under `/shops/{name}/...`. `GET /status` (behind the operator token) lists the shops and
//! how each one stands, and the site at `/` shows that list; `/healthz` is public.
//!
//! Shops share nothing but the listener and the operator token, so one shop's failure (a
//! refused key, a refused delivery, a 5000-record pass) never holds up another: each has its
//! own worker, and a pass of one never waits for a pass of another.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Redirect, Response};
use axum::routing::get;
use serde::Serialize;
use shopflow_core::secret::Secret;
use tower_http::services::ServeDir;

use super::http::json;
use super::{CLOSE_WAIT, Config, OPERATOR_TOKEN, Running, Service, kept};

/// A shop to serve: its name (in the path) and its service's configuration.
pub struct ShopConfig {
    /// The name: the path segment after `/shops/`.
    pub name: String,
    /// Its service.
    pub config: Config,
}

/// Many shops running behind one router.
pub struct Many {
    /// Each shop's running service, by name, in the order given.
    pub shops: Vec<(String, Running)>,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// Where the operator token is, in words (never the token).
    pub token_is: String,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    close: Option<tokio::sync::oneshot::Sender<()>>,
}

/// How one shop stands, as `GET /status` lists it.
#[derive(Debug, Serialize)]
pub struct ShopSummary {
    /// Its name.
    pub name: String,
    /// `upgates` or `retailys`.
    pub platform: &'static str,
    /// `running`, `credentials refused` (nothing is sent until the next try), `failing` (the
    /// last pass could not reach the shop) or `stopping`.
    pub state: &'static str,
    /// Why, when it is not running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Deliveries journaled and not yet finished.
    pub pending_deliveries: usize,
    /// Deliveries set aside for an operator.
    pub dead_letters: usize,
    /// Records received, and of those finished.
    pub events_received: u64,
    /// Records finished.
    pub events_processed: u64,
    /// Requests sent to the shop's API.
    pub api_requests: u64,
}

impl ShopSummary {
    fn of(name: &str, service: &Service) -> ShopSummary {
        let (pending_deliveries, dead_letters) = {
            let journal = service.journal();
            (journal.state.pending.len(), journal.state.set_aside.len())
        };
        let (counters, shop_error) = {
            let board = service.board();
            (board.counters.clone(), board.shop_error.clone())
        };
        let (state, reason) = match (service.stopping(), service.shop.refused(), shop_error) {
            (true, _, _) => ("stopping", None),
            (false, Some(why), _) => ("credentials refused", Some(why)),
            (false, None, Some(why)) => ("failing", Some(why)),
            (false, None, None) => ("running", None),
        };
        ShopSummary {
            name: name.to_owned(),
            platform: service.shop.platform(),
            state,
            reason,
            pending_deliveries,
            dead_letters,
            events_received: counters.events_received,
            events_processed: counters.events_processed,
            api_requests: service.shop.requests_sent(),
        }
    }
}

/// `/shops/NAME/`, which no nested route matches (a nested router has `/shops/NAME` and what
/// is under it): to the shop's dashboard page, whose relative requests then go to that shop.
async fn dashboard_of(UrlPath(name): UrlPath<String>) -> Redirect {
    // Only `name`'s own characters go into the address (shop names are checked when the
    // shops file is read; an unknown one ends in the 404 of the page it redirects to).
    let safe: String =
        name.chars().filter(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).collect();
    Redirect::to(&format!("/shops/{safe}/index.html"))
}

/// What the top router's handlers read.
struct Fleet {
    shops: Vec<(String, Arc<Service>)>,
    operator_token: Secret,
}

/// Opens every shop and serves them all on `listener`, each under `/shops/{name}`. The one
/// operator token (given, else kept in `data/operator-token`) opens every shop's operator
/// API and the list at `/status`.
///
/// # Errors
/// A shop that cannot be opened (its journal or secret cannot be read or written), named.
pub async fn start(
    shops: Vec<ShopConfig>,
    data: &Path,
    operator_token: Option<&str>,
    www: Option<&Path>,
    listener: tokio::net::TcpListener,
) -> Result<Many, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let origin = format!("http://{addr}");
    std::fs::create_dir_all(data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let (token, token_is) = kept(operator_token, data, OPERATOR_TOKEN)?;
    let mut app = Router::new();
    let mut running = Vec::with_capacity(shops.len());
    for ShopConfig { name, mut config } in shops {
        config.operator_token = Some(token.expose().to_owned());
        let (shop, router) = super::open(config, format!("{origin}/shops/{name}"))
            .await
            .map_err(|e| format!("shop {name:?}: {e}"))?;
        app = app.nest(&format!("/shops/{name}"), router);
        running.push((name, shop));
    }
    let fleet = Arc::new(Fleet {
        shops: running.iter().map(|(n, r)| (n.clone(), Arc::clone(&r.service))).collect(),
        operator_token: token,
    });
    let operator = Router::new()
        .route("/status", get(status))
        .route_layer(axum::middleware::from_fn_with_state(Arc::clone(&fleet), require_token));
    let app = app
        .merge(operator.with_state(fleet))
        .route("/healthz", get(super::http::healthz))
        .route("/shops/{name}/", get(dashboard_of));
    // The site at `/` too: its dashboard lists the shops (from `/status`) and links to each
    // one's own page. No page for unknown paths: they stay 404.
    let app = match www {
        Some(dir) if dir.join("index.html").is_file() => app.fallback_service(ServeDir::new(dir)),
        _ => app,
    };
    let (close, closed) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = closed.await;
            })
            .await
    });
    Ok(Many { shops: running, origin, token_is, server: Some(server), close: Some(close) })
}

impl Many {
    /// Waits until the HTTP server stops (it runs until [`Many::stop`] or the process ends).
    ///
    /// # Errors
    /// Why the server stopped.
    pub async fn serve(&mut self) -> Result<(), String> {
        let Some(server) = self.server.as_mut() else {
            return Ok(());
        };
        let ended = server.await;
        self.server = None;
        match ended {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("the server stopped: {e}")),
            Err(e) => Err(format!("the server stopped: {e}")),
        }
    }

    /// Stops every shop side by side as [`Running::stop`] stops one (deliveries get 503, the
    /// pass in hand finishes within `grace`, the journal is synced), then closes the server.
    ///
    /// # Errors
    /// The shops whose journal could not be synced, named.
    pub async fn stop(mut self, grace: Duration) -> Result<(), String> {
        let stops = self.shops.drain(..).map(|(name, shop)| async move {
            shop.stop(grace).await.map_err(|e| format!("shop {name:?}: {e}"))
        });
        let failed: Vec<String> = futures_util::future::join_all(stops)
            .await
            .into_iter()
            .filter_map(Result::err)
            .collect();
        if let Some(close) = self.close.take() {
            let _ = close.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(CLOSE_WAIT, server).await;
        }
        match failed.is_empty() {
            true => Ok(()),
            false => Err(failed.join("; ")),
        }
    }
}

/// The operator token, as every shop's operator API asks for it.
async fn require_token(State(fleet): State<Arc<Fleet>>, request: Request, next: Next) -> Response {
    match super::access::allowed(request.headers(), &fleet.operator_token) {
        true => next.run(request).await,
        false => super::access::unauthorized(),
    }
}

/// Every shop and how it stands; each shop's own `/shops/{name}/status` has the rest.
async fn status(State(fleet): State<Arc<Fleet>>) -> Response {
    let shops: Vec<ShopSummary> =
        fleet.shops.iter().map(|(name, service)| ShopSummary::of(name, service)).collect();
    json(StatusCode::OK, &serde_json::json!({ "shops": shops }))
}
