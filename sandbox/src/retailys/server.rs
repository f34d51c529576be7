//! The connection loop: hyper serving the router, putting the client's address on each
//! request (the rate limit is per address) and rolling the fault dice for `/v1` requests,
//! so a drop can close the connection without an answer. It picks the instance first: a
//! path under `/shops/{name}/` goes to that hosted instance, whose dice are rolled for its
//! path after the prefix.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use hyper::body::Incoming;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;

use super::state::RState;
use crate::http::guard::ClientAddr;
use crate::http::server::{Dropped, accept_loop};
use crate::shops::Shops;
use crate::state::lock;

/// Serves until `shutdown` fires, then closes every connection (the accept loop is the
/// Upgates simulator's).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<RState>,
    shops: Arc<Shops<RState>>,
    shutdown: oneshot::Receiver<()>,
) {
    accept_loop(listener, shutdown, move |peer| {
        service(router.clone(), Arc::clone(&state), Arc::clone(&shops), peer)
    })
    .await;
}

fn service(
    router: Router,
    state: Arc<RState>,
    shops: Arc<Shops<RState>>,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = axum::response::Response,
    Error = Dropped,
    Future: Send,
> + Clone {
    hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let picked = shops.pick(&router, &state, req.uri_mut());
        async move {
            let (router, state) = match picked {
                Ok(picked) => picked,
                Err(unknown) => return Ok(*unknown),
            };
            req.extensions_mut().insert(ClientAddr(peer.ip()));
            if req.uri().path().starts_with("/v1/") {
                let fault = lock(&state.faults).roll();
                if fault.drop {
                    return Err(Dropped);
                }
                req.extensions_mut().insert(fault);
            }
            let resp = router.oneshot(req.map(Body::new)).await;
            Ok(resp.unwrap_or_else(|never| match never {}))
        }
    })
}
