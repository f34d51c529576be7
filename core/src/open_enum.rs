//! Enums that keep values they do not know.
//!
//! APIs add enum values without notice (a shipment type `wedo` that no filter lists, an
//! origin spelled with an en dash in one document and a hyphen in another). A closed serde
//! enum would reject the whole page over one such value; [`open_enum!`] generates an enum
//! with a catch-all `Other(String)` that round-trips whatever came.

/// Declares a string enum with known variants (each with a canonical spelling and optional
/// aliases) and an `Other(String)` variant for everything else.
///
/// ```
/// shopflow_core::open_enum! {
///     /// A colour.
///     pub enum Colour {
///         /// Red.
///         Red = "red" | "RED",
///         /// Blue.
///         Blue = "blue",
///     }
/// }
/// assert_eq!(Colour::from("RED"), Colour::Red);
/// assert_eq!(Colour::from("green"), Colour::Other("green".into()));
/// assert_eq!(Colour::Red.as_str(), "red");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $canonical:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version does not know, kept as it came.
            Other(::std::string::String),
        }

        impl $name {
            /// Every known value, in documentation order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling (for `Other`, the text as it came).
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $canonical,)+
                    $name::Other(s) => s.as_str(),
                }
            }

            /// Whether this is one of the documented values.
            #[must_use]
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($canonical $(| $alias)* => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $name::Other(s) => write!(f, "{}::Other({:?})", stringify!($name), s),
                    known => write!(f, "{}::{}", stringify!($name), known.as_str()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::lenient::Lenient for $name {
            fn deserialize_lenient<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                let text = <::std::string::String as $crate::lenient::Lenient>::deserialize_lenient(d)?;
                Ok(text.filter(|t| !t.is_empty()).map(|t| $name::from(t.as_str())))
            }

            fn expecting() -> &'static str {
                concat!("a ", stringify!($name), " name")
            }
        }

        impl $crate::lenient::LenientScalar for $name {
            fn from_scalar(
                v: $crate::lenient::Scalar<'_>,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::lenient::Refused> {
                let text = <::std::string::String as $crate::lenient::LenientScalar>::from_scalar(v)?;
                Ok(text.filter(|t| !t.is_empty()).map(|t| $name::from(t.as_str())))
            }
        }

        /// In TypeScript: the known values, or any other string (kept, not rejected).
        #[cfg(feature = "ts")]
        impl ::ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &::ts_rs::Config) -> String {
                concat!($("\"", $canonical, "\" | ",)+ "(string & {})").to_owned()
            }
            fn inline(cfg: &::ts_rs::Config) -> String {
                <Self as ::ts_rs::TS>::name(cfg)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::lenient::required(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    open_enum! {
        /// Test enum.
        enum Origin {
            /// Made in admin.
            Admin = "admin",
            /// Made at a till; the docs spell it with an en dash and with a hyphen.
            CashRegister = "cash-register" | "cash\u{2013}register",
        }
    }

    #[test]
    fn known_aliases_and_unknown_values() {
        assert_eq!(Origin::from("cash\u{2013}register"), Origin::CashRegister);
        assert_eq!(Origin::from("cash-register"), Origin::CashRegister);
        assert_eq!(Origin::CashRegister.as_str(), "cash-register");
        let other: Origin = serde_json::from_str("\"kiosk\"").unwrap();
        assert_eq!(other, Origin::Other("kiosk".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"kiosk\"");
        assert!(!other.is_known());
        assert_eq!(Origin::KNOWN.len(), 2);
    }
}
