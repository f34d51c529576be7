//! Lookups the order flows need (§1.2, §2.12): who the token is (`/System/Me`), carriers
//! (`/System/Lists/Shippers`), payment providers, and a channel's shipping and payment
//! methods.

use serde::{Deserialize, Serialize};

use crate::lenient::{list, object, optional as opt};
use crate::pagination::Page;
use crate::retailys::expandable::Identified;
use crate::retailys::order::{PaymentModel, ShippingModel};
use crate::retailys::paginator::{PaginatorModel, page_of};

/// `MeModel`: the answer to `GET /System/Me`, the connection test.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct MeModel {
    /// The app's user id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// The Retailys instance the token belongs to.
    #[serde(default, deserialize_with = "opt")]
    pub system_instance_path: Option<String>,
    /// The app's id.
    #[serde(default, deserialize_with = "opt")]
    pub app_id: Option<i64>,
}

/// `ShipperModel`: a carrier; its id is what `TrackingPostRequest.shipper_id` takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ShipperModel {
    /// Carrier id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
}

impl Identified for ShipperModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `PaymentsProviderModel`: a payment gateway.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PaymentsProviderModel {
    /// Provider id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
}

impl Identified for PaymentsProviderModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// Declares a list envelope `{paginator, <items>: [...]}` with its `into_page`.
macro_rules! envelope {
    ($(#[$meta:meta])* $name:ident, $items:ident: $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[non_exhaustive]
        pub struct $name {
            /// Paging.
            #[serde(default, deserialize_with = "object")]
            pub paginator: Option<PaginatorModel>,
            /// The items of this page.
            #[serde(default, deserialize_with = "list")]
            pub $items: Vec<$item>,
        }

        impl $name {
            /// The page; what the paginator leaves out is filled in.
            #[must_use]
            pub fn into_page(self) -> Page<$item> {
                page_of(self.paginator.as_ref(), self.$items)
            }
        }
    };
}

envelope! {
    /// `ShippersModel`: one page of `GET /System/Lists/Shippers`.
    ShippersModel, shippers: ShipperModel
}

envelope! {
    /// `PaymentsProvidersModel`: one page of `GET /System/Lists/PaymentsProviders`.
    PaymentsProvidersModel, payments_providers: PaymentsProviderModel
}

envelope! {
    /// `ShippingsModel`: one page of `GET /System/Channels/Shippings`.
    ShippingsModel, shippings: ShippingModel
}

envelope! {
    /// `PaymentsModel`: one page of `GET /System/Channels/Payments`.
    PaymentsModel, payments: PaymentModel
}

impl ShippersModel {
    /// The carrier with this name, compared without regard to case (for rules that name a
    /// carrier instead of hard-coding a per-shop id).
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<&ShipperModel> {
        let wanted = name.trim().to_lowercase();
        self.shippers
            .iter()
            .find(|s| s.name.as_deref().is_some_and(|n| n.trim().to_lowercase() == wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shippers_by_name_and_page() {
        let list: ShippersModel = serde_json::from_str(
            r#"{"paginator": {"page": 1, "per_page": 10, "pages": 1, "total": 2},
                "shippers": [{"id": "3", "name": "PPL"}, {"id": 5, "name": "Zásilkovna"}]}"#,
        )
        .unwrap();
        assert_eq!(list.by_name("zÁsilkovna").and_then(|s| s.id), Some(5));
        assert_eq!(list.into_page().number_of_items, 2);
    }
}
