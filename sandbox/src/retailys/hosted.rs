//! Hosted Retailys instances: each a whole [`RState`] with the sandbox's own router, at
//! `/shops/{name}/v1` and `/shops/{name}/__sandbox`, opened by its own token (the `token`
//! header, as the sandbox's own instance).

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shopflow_core::Secret;

use super::guard::error;
use super::state::{RState, RetailysRuntime};
use crate::shops::Host;

/// How a hosted instance starts: what every hosted one shares with the sandbox's own.
#[derive(Debug, Clone)]
pub struct Template {
    /// Limits, faults and callback settings (each instance then changes its own).
    pub runtime: RetailysRuntime,
    /// Storefront orders generated in each new instance.
    pub seed_orders: usize,
    /// Seed for generated orders (each instance's is offset by its number).
    pub seed: u64,
}

/// What `POST /__sandbox/shops` takes on the Retailys sandbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRetailysShop {
    /// The name, in the path: letters, digits, `-` and `_`.
    pub name: String,
    /// The API token clients send in the `token` header (default: `NAME-token`).
    #[serde(default)]
    pub token: Option<String>,
}

impl Host for RState {
    type Template = Template;
    type New = NewRetailysShop;
    const API: &'static str = "v1";
    const NEW_FORM: &'static str = "{\"name\": NAME, \"token\"?: TOKEN}";

    fn name(new: &NewRetailysShop) -> &str {
        &new.name
    }

    fn host(t: &Template, new: NewRetailysShop, number: u64) -> (Arc<Self>, Router) {
        let seed = t.seed.wrapping_add(number);
        let token = Secret::new(new.token.unwrap_or_else(|| format!("{}-token", new.name)));
        let state = Arc::new(RState::new(token, seed, t.runtime.clone()));
        // Nobody has subscribed yet, so the events of seeded orders go nowhere.
        let _ = state.store().generate(t.seed_orders, seed);
        (Arc::clone(&state), super::router(state))
    }

    fn login(&self) -> Option<String> {
        None
    }

    fn orders(&self) -> usize {
        self.store().orders.len()
    }

    fn refuse(status: StatusCode, message: &str) -> Response {
        error(status, status.canonical_reason().unwrap_or("Error"), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shops::{AddError, Shops};

    fn shops() -> Shops<RState> {
        Shops::new(Template { runtime: RetailysRuntime::default(), seed_orders: 2, seed: 1 })
    }

    fn new(name: &str) -> NewRetailysShop {
        NewRetailysShop { name: name.to_owned(), token: None }
    }

    #[tokio::test]
    async fn each_instance_has_its_token_and_seeded_orders() {
        let s = shops();
        s.add(new("a")).unwrap();
        s.add(NewRetailysShop { name: "b".into(), token: Some("b-secret".into()) }).unwrap();
        assert_eq!(s.get("a").unwrap().token.expose(), "a-token");
        assert_eq!(s.get("b").unwrap().token.expose(), "b-secret");
        assert_eq!(s.add(new("a")).unwrap_err(), AddError::Taken("a".into()));
        let info = s.info("a").unwrap();
        assert_eq!((info.api.as_str(), info.orders, info.login), ("/shops/a/v1", 2, None));
    }
}
