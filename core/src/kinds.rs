//! The registries of document kinds (`shopflow parse KIND`, `shopflow validate KIND`, the npm
//! package's `parse`/`validate`): each platform lists its kinds with this macro, so every
//! registry has the same names, descriptions, `ALL` list and parsing from text.
//!
//! One naming rule for every kind, both platforms: `{resource}-{op}-{request|response|query}`
//! for what one operation sends (a body, or query parameters as JSON) or answers, the resource
//! singular and the op `create`, `update` or `delete`; a read is named for what it returns,
//! `{resource}-list` (a page or list) or `{resource}-detail` (one record), a resource of one
//! record by its name alone (`api-status`); Retailys kinds are the same names after
//! `retailys-`. Names from before the rule stay readable as deprecated aliases.

/// Declares a registry enum of kinds: `Name { Variant = "name": "what it is", ... }`, then
/// optionally `aliases { "old-name" => Variant, ... }` (read by `FromStr`, never listed).
macro_rules! kinds {
    (
        $(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal : $what:literal,)+ }
        $(aliases { $($alias:literal => $target:ident,)+ })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = $what] $variant,)+
        }

        impl $name {
            /// Every kind, in the order help lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Deprecated names that still read as a kind (scripts written before the naming
            /// rule); help does not list them.
            pub const ALIASES: &'static [(&'static str, $name)] =
                &[$($(($alias, $name::$target)),+)?];

            /// The kind's name on the command line.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// What documents of this kind are.
            #[must_use]
            pub fn description(self) -> &'static str {
                match self { $($name::$variant => $what,)+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::kinds::UnknownKind;
            fn from_str(s: &str) -> Result<Self, $crate::kinds::UnknownKind> {
                match s {
                    $($text => Ok($name::$variant),)+
                    $($($alias => Ok($name::$target),)+)?
                    other => Err($crate::kinds::UnknownKind {
                        given: other.to_owned(),
                        known: $name::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
                    }),
                }
            }
        }
    };
}

pub(crate) use kinds;

/// A kind name that is not in the registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind {given:?}; known kinds: {known}")]
pub struct UnknownKind {
    /// What was given.
    pub given: String,
    /// The names that exist.
    pub known: String,
}

/// Reads a request body as `T` and returns every problem that would stop it being sent.
///
/// # Errors
/// [`JsonError`] when the document cannot be read at all.
pub(crate) fn problems_of<T: serde::de::DeserializeOwned + crate::validation::Validate>(
    bytes: &[u8],
) -> Result<Vec<crate::validation::Problem>, crate::json::JsonError> {
    let typed: T = crate::json::from_slice(bytes)?;
    let mut out = Vec::new();
    typed.collect_problems(&mut out);
    Ok(out)
}
