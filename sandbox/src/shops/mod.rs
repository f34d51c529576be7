//! Many shops in one sandbox: besides its own shop, a sandbox hosts shops by name at
//! `/shops/{name}/...` (the platform's API and `__sandbox` under that prefix), so a test or a
//! benchmark can run hundreds of shops in one process. Both simulators host shops this way:
//! Upgates at `/shops/{name}/api/v2` (`upgates.rs`), Retailys at `/shops/{name}/v1`
//! (`retailys/hosted.rs`).
//!
//! Each hosted shop is a whole state with the router of the sandbox's own shop: its
//! credentials, orders, budget, faults, webhooks and deliveries are its own, and nothing of
//! one is shared with another. The connection loop picks the shop from the path
//! ([`Shops::pick`]) before anything else looks at the request, strips the prefix, and hands
//! the request to that shop's router. Hosted shops live in memory only.

mod upgates;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use self::upgates::{NewShop, Template};
use crate::http::respond::json;
use crate::locks::recover;

/// The path prefix of hosted shops.
const PREFIX: &str = "/shops/";

/// The longest shop name taken (it becomes a path segment and a folder name elsewhere).
const MAX_NAME: usize = 64;

/// A platform's shop state, as a sandbox hosts it by name.
pub trait Host: Debug + Send + Sync + Sized + 'static {
    /// What every hosted shop starts from (limits, faults, seeded orders).
    type Template: Debug + Send + Sync;
    /// What `POST /__sandbox/shops` takes: the name and the shop's credentials.
    type New: DeserializeOwned + Send;
    /// Where a hosted shop's API is, under its prefix (`api/v2`, `v1`).
    const API: &'static str;
    /// The body `POST /__sandbox/shops` expects, for the 400 that says so.
    const NEW_FORM: &'static str;

    /// The name `new` asks for.
    fn name(new: &Self::New) -> &str;
    /// A new shop from the template, with its router. `number` counts the shops hosted
    /// before it, plus one, so each shop's generated data differ.
    fn host(template: &Self::Template, new: Self::New, number: u64) -> (Arc<Self>, Router);
    /// The login that opens it, where the platform has one (never a secret).
    fn login(&self) -> Option<String>;
    /// Orders it holds.
    fn orders(&self) -> usize;
    /// An error answer in the platform's own shape.
    fn refuse(status: StatusCode, message: &str) -> Response;
}

/// A hosted shop: its state and its router.
#[derive(Debug)]
struct Hosted<S> {
    state: Arc<S>,
    router: Router,
}

/// The shops a sandbox hosts, by name.
#[derive(Debug)]
pub struct Shops<S: Host> {
    template: S::Template,
    hosted: RwLock<BTreeMap<String, Hosted<S>>>,
}

/// A hosted shop as `GET /__sandbox/shops` lists it (never its key or token).
#[derive(Debug, Clone, Serialize)]
pub struct ShopInfo {
    /// Its name.
    pub name: String,
    /// The API user's login (Upgates; Retailys has a token only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// Its API, as a path on the sandbox (`/shops/NAME/api/v2`, `/shops/NAME/v1`).
    pub api: String,
    /// Its control API (`/shops/NAME/__sandbox`).
    pub control: String,
    /// Orders it holds.
    pub orders: usize,
}

/// Why a shop could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    /// The name cannot be a path segment.
    #[error("the shop name {0:?} is not taken: expected 1 to 64 letters, digits, '-' or '_'")]
    Name(String),
    /// A shop of that name is already hosted.
    #[error("a shop named {0:?} is already hosted")]
    Taken(String),
}

/// Where a request goes.
enum Route<S> {
    /// The sandbox's own shop (the path does not start with `/shops/`).
    Own,
    /// A hosted shop: its state and router, with the request's URI rewritten without the
    /// prefix.
    Hosted(Arc<S>, Router, Uri),
    /// `/shops/{name}/...` for a name not hosted.
    Unknown(String),
}

impl<S: Host> Shops<S> {
    /// No shops yet.
    #[must_use]
    pub fn new(template: S::Template) -> Self {
        Shops { template, hosted: RwLock::default() }
    }

    /// Adds a shop, made from the template.
    ///
    /// # Errors
    /// [`AddError`] when the name is no path segment or is taken.
    pub fn add(&self, new: S::New) -> Result<Arc<S>, AddError> {
        let name = S::name(&new).to_owned();
        if !is_segment(&name) {
            return Err(AddError::Name(name));
        }
        let mut hosted = recover(self.hosted.write());
        if hosted.contains_key(&name) {
            return Err(AddError::Taken(name));
        }
        let (state, router) = S::host(&self.template, new, hosted.len() as u64 + 1);
        hosted.insert(name, Hosted { state: Arc::clone(&state), router });
        Ok(state)
    }

    /// A hosted shop's state.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Arc<S>> {
        recover(self.hosted.read()).get(name).map(|h| Arc::clone(&h.state))
    }

    /// Every hosted shop, by name.
    #[must_use]
    pub fn list(&self) -> Vec<ShopInfo> {
        recover(self.hosted.read()).iter().map(|(name, h)| info(name, h.state.as_ref())).collect()
    }

    /// One hosted shop, as [`list`](Self::list) shows it.
    #[must_use]
    pub fn info(&self, name: &str) -> Option<ShopInfo> {
        recover(self.hosted.read()).get(name).map(|h| info(name, h.state.as_ref()))
    }

    /// The router and state a request goes to: the sandbox's own (`router`, `state`) or a
    /// hosted shop's, with `uri` rewritten without the `/shops/{name}` prefix.
    ///
    /// # Errors
    /// The platform's 404 when the path names a shop not hosted here (boxed: it is rare, and
    /// the happy path should not carry its size).
    pub(crate) fn pick(
        &self,
        router: &Router,
        state: &Arc<S>,
        uri: &mut Uri,
    ) -> Result<(Router, Arc<S>), Box<Response>> {
        match self.route(uri) {
            Route::Own => Ok((router.clone(), Arc::clone(state))),
            Route::Hosted(state, router, rewritten) => {
                *uri = rewritten;
                Ok((router, state))
            }
            Route::Unknown(name) => Err(Box::new(unknown::<S>(&name))),
        }
    }

    /// Where a request for `uri` goes.
    fn route(&self, uri: &Uri) -> Route<S> {
        let Some(rest) = uri.path().strip_prefix(PREFIX) else { return Route::Own };
        let (name, tail) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let Some((state, router)) =
            recover(self.hosted.read()).get(name).map(|h| (Arc::clone(&h.state), h.router.clone()))
        else {
            return Route::Unknown(name.to_owned());
        };
        let path = if tail.is_empty() { "/" } else { tail };
        let rewritten = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        match rewritten.parse::<Uri>() {
            Ok(u) => Route::Hosted(state, router, u),
            Err(_) => Route::Unknown(name.to_owned()),
        }
    }
}

/// Whether `name` can be a path segment (and a folder name): 1 to 64 ASCII letters, digits,
/// `-` or `_`.
fn is_segment(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn info<S: Host>(name: &str, state: &S) -> ShopInfo {
    ShopInfo {
        name: name.to_owned(),
        login: state.login(),
        api: format!("{PREFIX}{name}/{}", S::API),
        control: format!("{PREFIX}{name}/__sandbox"),
        orders: state.orders(),
    }
}

/// `GET /__sandbox/shops` and `POST /__sandbox/shops`, for the sandbox's top router.
pub fn routes<S: Host>(shops: Arc<Shops<S>>) -> Router {
    Router::new().route("/__sandbox/shops", get(list::<S>).post(add::<S>)).with_state(shops)
}

async fn list<S: Host>(State(shops): State<Arc<Shops<S>>>) -> Response {
    json(StatusCode::OK, &serde_json::json!({ "shops": shops.list() }))
}

async fn add<S: Host>(State(shops): State<Arc<Shops<S>>>, body: axum::body::Bytes) -> Response {
    let new: S::New = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(e) => {
            return S::refuse(
                StatusCode::BAD_REQUEST,
                &format!("expected {}, found: {e}", S::NEW_FORM),
            );
        }
    };
    let name = S::name(&new).to_owned();
    match shops.add(new) {
        Ok(_) => json(StatusCode::CREATED, &shops.info(&name)),
        Err(e @ AddError::Taken(_)) => S::refuse(StatusCode::CONFLICT, &e.to_string()),
        Err(e) => S::refuse(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// The 404 for `/shops/{name}/...` when no shop of that name is hosted.
fn unknown<S: Host>(name: &str) -> Response {
    S::refuse(StatusCode::NOT_FOUND, &format!("No shop named {name:?} is hosted here."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_path_segment() {
        for good in ["shop-1", "a", "A_b-9", &"x".repeat(64)] {
            assert!(is_segment(good), "{good}");
        }
        for bad in ["", "a/b", "a b", "ž", "..", &"x".repeat(65)] {
            assert!(!is_segment(bad), "{bad}");
        }
    }
}
