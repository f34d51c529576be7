//! What a platform can do, known before anything runs: a rule that asks for an action its
//! platform cannot make is a check error (`shopflow rules check --platform NAME`), not a
//! failure on every order in the shop.

/// A platform's capabilities as rules meet them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The platform's name on the command line and in messages (`upgates`).
    pub platform: &'static str,
    /// Actions and hooks (as rules name them) the platform cannot make or call, each with what
    /// to use instead.
    pub unsupported: &'static [(&'static str, &'static str)],
    /// Items one write request may carry (orders of `PUT /orders`).
    pub items_per_write: usize,
    /// Requests the platform serves at once per API user.
    pub max_in_flight: usize,
}

impl Capabilities {
    /// Why `action` (as rules call it) cannot be made on this platform, with what to use
    /// instead; `None` when it can.
    #[must_use]
    pub fn refuses(&self, action: &str) -> Option<String> {
        self.unsupported
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(a, instead)| format!("{a} is not available on {}: {instead}", self.platform))
    }
}

/// Every platform shopflow knows, by name.
#[must_use]
pub fn platforms() -> &'static [Capabilities] {
    &[crate::upgates::CAPABILITIES, crate::retailys::CAPABILITIES]
}

/// The platform called `name`.
///
/// # Errors
/// The names there are, when `name` is none of them.
pub fn platform(name: &str) -> Result<Capabilities, String> {
    platforms().iter().copied().find(|p| p.platform.eq_ignore_ascii_case(name)).ok_or_else(|| {
        let names: Vec<&str> = platforms().iter().map(|p| p.platform).collect();
        format!("unknown platform {name:?}; shopflow knows {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_are_found_by_name_and_say_what_they_refuse() {
        assert_eq!(platform("Upgates").map(|p| p.platform), Ok("upgates"));
        assert!(platform("shoptet").unwrap_err().contains("upgates, retailys"));
        assert_eq!(platform("retailys").map(|p| p.platform), Ok("retailys"));
        let imagined = Capabilities {
            platform: "imagined",
            unsupported: &[("set_internal_note", "use add_history instead")],
            items_per_write: 1,
            max_in_flight: 1,
        };
        assert_eq!(
            imagined.refuses("set_internal_note").as_deref(),
            Some("set_internal_note is not available on imagined: use add_history instead")
        );
        assert_eq!(imagined.refuses("set_status"), None);
    }
}
