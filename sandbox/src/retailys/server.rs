//! The connection loop: hyper serving the router, putting the client's address on each
//! request (the rate limit is per address) and rolling the fault dice for `/v1` requests,
//! so a drop can close the connection without an answer.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::state::RState;
use crate::http::guard::ClientAddr;
use crate::state::lock;

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

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
    state: Arc<RState>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let service = service(router.clone(), Arc::clone(&state), peer);
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

fn service(
    router: Router,
    state: Arc<RState>,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = axum::response::Response,
    Error = Dropped,
    Future: Send,
> + Clone {
    hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let router = router.clone();
        let state = Arc::clone(&state);
        async move {
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
