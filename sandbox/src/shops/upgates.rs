//! Hosted Upgates shops: each a whole [`AppState`] with the sandbox's own router, at
//! `/shops/{name}/api/v2`, opened by its own login and key.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shopflow_core::Secret;

use super::Host;
use crate::config::RuntimeConfig;
use crate::http::respond::api_error;
use crate::state::AppState;

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

impl Host for AppState {
    type Template = Template;
    type New = NewShop;
    const API: &'static str = "api/v2";
    const NEW_FORM: &'static str = "{\"name\": NAME, \"login\"?: LOGIN, \"key\"?: KEY}";

    fn name(new: &NewShop) -> &str {
        &new.name
    }

    fn host(t: &Template, new: NewShop, number: u64) -> (Arc<Self>, Router) {
        let seed = t.seed.wrapping_add(number);
        let mut shop = crate::shop::Shop::new(&new.name);
        // No webhooks are registered yet, so the records these fire go nowhere.
        let _ = crate::generate::generate(&mut shop, t.seed_orders, seed);
        let key = Secret::new(new.key.unwrap_or_else(|| format!("{}-key", new.name)));
        let login = new.login.unwrap_or(new.name);
        let state = Arc::new(AppState::new(shop, t.runtime.clone(), login, key, None, seed));
        let router = crate::http::router(Arc::clone(&state), &t.cors_origin);
        (state, router)
    }

    fn login(&self) -> Option<String> {
        Some(self.login.clone())
    }

    fn orders(&self) -> usize {
        self.shop().orders().len()
    }

    fn refuse(status: StatusCode, message: &str) -> Response {
        api_error(status, message)
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Uri;

    use super::super::{AddError, Route, Shops};
    use super::*;

    fn shops() -> Shops<AppState> {
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
        assert_eq!(s.info("shop-1").unwrap().api, "/shops/shop-1/api/v2");
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
