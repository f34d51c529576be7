//! The HTTP face: routes, the guard in front of the API, the control API, CORS, and the
//! connection loop that can drop connections on purpose.

pub mod api;
pub mod control;
pub mod guard;
pub mod respond;
pub mod server;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use crate::state::AppState;

async fn basic_auth_guard(state: State<Arc<AppState>>, req: Request, next: Next) -> Response {
    guard::guard(state, req, next, true).await
}

async fn legacy_guard(state: State<Arc<AppState>>, req: Request, next: Next) -> Response {
    guard::guard(state, req, next, false).await
}

/// Every route, with its guards and CORS.
pub fn router(state: Arc<AppState>, cors_origin: &str) -> Router {
    use api as a;
    let v2 = Router::new()
        .route(
            "/orders",
            get(a::list_orders)
                .post(a::create_orders)
                .put(a::update_orders)
                .delete(a::delete_orders),
        )
        .route("/orders/states", get(a::legacy_states))
        .route("/orders/{order_number}", get(a::get_order))
        .route("/orders/{order_number}/pdf", get(a::order_pdf))
        .route("/orders/{order_number}/history", get(a::order_history).post(a::add_history))
        .route(
            "/order-statuses",
            get(a::list_statuses).post(a::create_status).put(a::update_status),
        )
        .route("/order-statuses/{id}", get(a::get_status).delete(a::delete_status))
        .route(
            "/customers",
            get(a::list_customers)
                .post(a::create_customers)
                .put(a::update_customers)
                .delete(a::delete_customers),
        )
        .route(
            "/webhooks",
            get(a::list_webhooks)
                .post(a::create_webhook)
                .put(a::update_webhook)
                .delete(a::delete_webhooks),
        )
        .route("/webhooks/events", get(a::webhook_events))
        .route("/webhooks/{id}", get(a::get_webhook).delete(a::delete_webhook))
        .route("/status", get(a::api_status))
        .fallback(guard::no_route)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), basic_auth_guard));
    let legacy = Router::new()
        .route("/api/orders/state/update", post(a::legacy_update))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), legacy_guard));
    let control = Router::new()
        .route("/reset", post(control::reset))
        .route("/orders/generate", post(control::generate))
        .route("/stats", get(control::stats))
        .route("/stats/reset", post(control::reset_stats))
        .route("/deliveries", get(control::deliveries))
        .route("/notifications", get(control::notifications))
        .route("/writes", get(control::writes))
        .route("/config", get(control::get_config).put(control::put_config));
    Router::new()
        .nest("/api/v2", v2)
        .merge(legacy)
        .nest("/__sandbox", control)
        .layer(cors(cors_origin))
        .with_state(state)
}

/// CORS for the browser playground: the page sends `Authorization` itself and must read
/// the budget headers.
fn cors(origin: &str) -> CorsLayer {
    let expose = [
        "x-rate-limit-hour",
        "x-rate-limit-day",
        "x-rate-limit-hour-remaining",
        "x-rate-limit-day-remaining",
        "x-rate-limit-total-remaining",
        "retry-after",
    ]
    .map(HeaderName::from_static);
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            HeaderName::from_static("authorization"),
            HeaderName::from_static("content-type"),
            HeaderName::from_static("x-http-method-override"),
        ])
        .expose_headers(expose);
    match HeaderValue::from_str(origin) {
        Ok(v) if origin != "*" => layer.allow_origin(AllowOrigin::exact(v)).allow_credentials(true),
        _ => layer.allow_origin(Any),
    }
}
