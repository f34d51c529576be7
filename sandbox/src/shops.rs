//! Many shops in one sandbox: besides its own shop at `/api/v2`, a sandbox hosts shops by
//! name at `/shops/{name}/api/v2/...` and `/shops/{name}/__sandbox/...`, so a test or a
//! benchmark can run hundreds of shops in one process.
//!
//! Each hosted shop is a whole [`AppState`] with the router of the sandbox's own shop: its
//! credentials, orders, budget, lockouts, faults, webhooks and deliveries are its own, and
//! nothing of one is shared with another. The connection loop (`http/server.rs`) picks the
//! shop from the path before anything else looks at the request, strips the prefix, and
//! hands the request to that shop's router. Hosted shops live in memory only.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use shopflow_core::Secret;

use crate::config::RuntimeConfig;
use crate::http::respond::{api_error, json};
use crate::locks::recover;
use crate::state::AppState;

/// The path prefix of hosted shops.
const PREFIX: &str = "/shops/";

/// The longest shop name taken (it becomes a path segment and a folder name elsewhere).
const MAX_NAME: usize = 64;

/// How a hosted shop starts: what every hosted shop shares with the sandbox's own.
#[derive(Debug, Clone)]
pub struct Template {
    /// Limits, faults and webhook timings (each shop then changes its own).
    pub runtime: RuntimeConfig,
    /// Storefront orders generated in each new shop.
    pub seed_orders: usize,
    /// Seed for generated data (each shop's is offset by its number).
    pub seed: u64,
    /// Allowed CORS origin.
    pub cors_origin: String,
}

/// A hosted shop: its state and its router.
#[derive(Debug, Clone)]
struct Hosted {
    state: Arc<AppState>,
    router: Router,
}

/// The shops a sandbox hosts, by name.
#[derive(Debug)]
pub struct Shops {
    template: Template,
    hosted: RwLock<BTreeMap<String, Hosted>>,
}

/// What `POST /__sandbox/shops` takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewShop {
    /// The name, in the path: letters, digits, `-` and `_`.
    pub name: String,
    /// The API user's login (default: the name).
    #[serde(default)]
    pub login: Option<String>,
    /// The API user's key (default: `NAME-key`).
    #[serde(default)]
    pub key: Option<String>,
}

/// A hosted shop as `GET /__sandbox/shops` lists it (never its key).
#[derive(Debug, Clone, Serialize)]
pub struct ShopInfo {
    /// Its name.
    pub name: String,
    /// The API user's login.
    pub login: String,
    /// Its API, as a path on the sandbox (`/shops/NAME/api/v2`).
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
pub(crate) enum Route {
    /// The sandbox's own shop (the path does not start with `/shops/`).
    Own,
    /// A hosted shop: its state and router, with the request's URI rewritten without the
    /// prefix.
    Hosted(Arc<AppState>, Router, Uri),
    /// `/shops/{name}/...` for a name not hosted.
    Unknown(String),
}

impl Shops {
    /// No shops yet.
    #[must_use]
    pub fn new(template: Template) -> Self {
        Shops { template, hosted: RwLock::default() }
    }

    /// Adds a shop, with orders generated as the template says.
    ///
    /// # Errors
    /// [`AddError`] when the name is not taken.
    pub fn add(&self, new: NewShop) -> Result<Arc<AppState>, AddError> {
        let name = new.name;
        if name.is_empty()
            || name.len() > MAX_NAME
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(AddError::Name(name));
        }
        let mut hosted = recover(self.hosted.write());
        if hosted.contains_key(&name) {
            return Err(AddError::Taken(name));
        }
        let t = &self.template;
        let seed = t.seed.wrapping_add(hosted.len() as u64 + 1);
        let mut shop = crate::shop::Shop::new(&name);
        // No webhooks are registered yet, so the records these fire go nowhere.
        let _ = crate::generate::generate(&mut shop, t.seed_orders, seed);
        let login = new.login.unwrap_or_else(|| name.clone());
        let key = Secret::new(new.key.unwrap_or_else(|| format!("{name}-key")));
        let state = Arc::new(AppState::new(shop, t.runtime.clone(), login, key, None, seed));
        let router = crate::http::router(Arc::clone(&state), &t.cors_origin);
        hosted.insert(name, Hosted { state: Arc::clone(&state), router });
        Ok(state)
    }

    /// A hosted shop's state.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Arc<AppState>> {
        recover(self.hosted.read()).get(name).map(|h| Arc::clone(&h.state))
    }

    /// Every hosted shop, by name.
    #[must_use]
    pub fn list(&self) -> Vec<ShopInfo> {
        recover(self.hosted.read())
            .iter()
            .map(|(name, h)| ShopInfo {
                name: name.clone(),
                login: h.state.login.clone(),
                api: format!("{PREFIX}{name}/api/v2"),
                control: format!("{PREFIX}{name}/__sandbox"),
                orders: h.state.shop().orders().len(),
            })
            .collect()
    }

    /// Where a request for `uri` goes.
    pub(crate) fn route(&self, uri: &Uri) -> Route {
        let Some(rest) = uri.path().strip_prefix(PREFIX) else { return Route::Own };
        let (name, tail) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let Some(h) = recover(self.hosted.read()).get(name).cloned() else {
            return Route::Unknown(name.to_owned());
        };
        let path = if tail.is_empty() { "/" } else { tail };
        let rewritten = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        match rewritten.parse::<Uri>() {
            Ok(u) => Route::Hosted(h.state, h.router, u),
            Err(_) => Route::Unknown(name.to_owned()),
        }
    }
}

/// `GET /__sandbox/shops` and `POST /__sandbox/shops`, for the sandbox's top router.
pub fn routes(shops: Arc<Shops>) -> Router {
    Router::new().route("/__sandbox/shops", get(list).post(add)).with_state(shops)
}

async fn list(State(shops): State<Arc<Shops>>) -> Response {
    json(StatusCode::OK, &serde_json::json!({ "shops": shops.list() }))
}

async fn add(State(shops): State<Arc<Shops>>, body: axum::body::Bytes) -> Response {
    let new: NewShop = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(e) => {
            return api_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "expected {{\"name\": NAME, \"login\"?: LOGIN, \"key\"?: KEY}}, found: {e}"
                ),
            );
        }
    };
    match shops.add(new) {
        Ok(state) => {
            let name = state.shop().project_name().to_owned();
            let info = shops.list().into_iter().find(|s| s.name == name);
            json(StatusCode::CREATED, &info)
        }
        Err(e @ AddError::Taken(_)) => api_error(StatusCode::CONFLICT, &e.to_string()),
        Err(e) => api_error(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// The 404 for `/shops/{name}/...` when no shop of that name is hosted.
pub(crate) fn unknown(name: &str) -> Response {
    api_error(StatusCode::NOT_FOUND, &format!("No shop named {name:?} is hosted here."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shops() -> Shops {
        Shops::new(Template {
            runtime: RuntimeConfig::default(),
            seed_orders: 0,
            seed: 1,
            cors_origin: "*".to_owned(),
        })
    }

    fn new(name: &str) -> NewShop {
        NewShop { name: name.to_owned(), login: None, key: None }
    }

    #[tokio::test]
    async fn names_are_checked_and_taken_once() {
        let s = shops();
        assert!(s.add(new("shop-1")).is_ok());
        assert_eq!(s.add(new("shop-1")).unwrap_err(), AddError::Taken("shop-1".into()));
        for bad in ["", "a/b", "a b", "ž", &"x".repeat(65)] {
            assert_eq!(s.add(new(bad)).unwrap_err(), AddError::Name(bad.to_owned()));
        }
        assert_eq!(s.get("shop-1").unwrap().login, "shop-1");
        assert_eq!(s.get("shop-1").unwrap().api_key.expose(), "shop-1-key");
    }

    #[tokio::test]
    async fn paths_are_routed_by_name_and_stripped() {
        let s = shops();
        s.add(new("a")).unwrap();
        let uri: Uri = "/shops/a/api/v2/orders?order_number=1".parse().unwrap();
        match s.route(&uri) {
            Route::Hosted(state, _, u) => {
                assert_eq!(state.login, "a");
                assert_eq!(u, "/api/v2/orders?order_number=1");
            }
            _ => panic!("not routed"),
        }
        assert!(matches!(s.route(&"/api/v2/orders".parse().unwrap()), Route::Own));
        assert!(
            matches!(s.route(&"/shops/b/api/v2".parse().unwrap()), Route::Unknown(n) if n == "b")
        );
    }
}
