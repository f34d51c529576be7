//! The connection loop: hyper serving the router, with the one fault a router cannot
//! produce, a connection closed without an answer. It picks the shop first: a path under
//! `/shops/{name}/` goes to that hosted shop (`shops/`), with its own faults and router.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::guard::ClientAddr;
use crate::shops::Shops;
use crate::state::{AppState, lock};

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Serves until `shutdown` fires, then closes every connection.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<AppState>,
    shops: Arc<Shops<AppState>>,
    shutdown: oneshot::Receiver<()>,
) {
    accept_loop(listener, shutdown, move |peer| {
        connection_service(router.clone(), Arc::clone(&state), Arc::clone(&shops), peer)
    })
    .await;
}

/// The accept loop both simulators share: each connection served by the service `make` gives
/// for its peer address, until `shutdown` fires; then every connection is closed.
pub(crate) async fn accept_loop<S, F>(
    listener: TcpListener,
    mut shutdown: oneshot::Receiver<()>,
    make: F,
) where
    F: Fn(SocketAddr) -> S,
    S: hyper::service::Service<
            Request<Incoming>,
            Response = axum::response::Response,
            Error = Dropped,
        > + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let service = make(peer);
                connections.spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                // Reap finished connections so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
            }
        }
    }
    connections.abort_all();
}

fn connection_service(
    router: Router,
    state: Arc<AppState>,
    shops: Arc<Shops<AppState>>,
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
            // `X-HTTP-Method-Override` turns a POST into another method, as the API documents.
            if req.method() == Method::POST {
                let method = req
                    .headers()
                    .get("x-http-method-override")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|m| m.parse::<Method>().ok());
                if let Some(m) = method {
                    *req.method_mut() = m;
                }
            }
            req.extensions_mut().insert(ClientAddr(peer.ip()));
            let mut lose_answer = false;
            if req.uri().path().starts_with("/api/") && req.method() != Method::OPTIONS {
                let mut dice = lock(&state.faults);
                let mut fault = dice.roll();
                fault.throttle_secs = dice.throttle();
                if fault.drop {
                    return Err(Dropped);
                }
                lose_answer = dice.lose_answer(req.method().as_str(), req.uri().path());
                drop(dice);
                req.extensions_mut().insert(fault);
            }
            let resp = router.oneshot(req.map(Body::new)).await;
            if lose_answer {
                // Handled, but the client never hears of it.
                return Err(Dropped);
            }
            Ok(resp.unwrap_or_else(|never| match never {}))
        }
    })
}
