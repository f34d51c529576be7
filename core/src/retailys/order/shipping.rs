//! Shipping and payment methods of a sales channel (§3.4, §3.5) and line prices (§3.6).
//!
//! An order carries these as [`Expandable`] references; `GET /System/Channels/Shippings`
//! and `…/Payments` return them in full (their list envelopes are in `lookups`).

use serde::{Deserialize, Serialize};

use crate::decimal::Decimal;
use crate::lenient::optional as opt;
use crate::retailys::expandable::{Expandable, Identified, one_or_many};
use crate::retailys::lookups::{PaymentsProviderModel, ShipperModel};
use crate::retailys::order::ChannelModel;

/// `ShippingModel`: a channel's shipping method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ShippingModel {
    /// Shipping id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// The carrier.
    #[serde(default, deserialize_with = "opt")]
    pub shipper: Option<Expandable<ShipperModel>>,
    /// The channel.
    #[serde(default, deserialize_with = "opt")]
    pub channel: Option<Expandable<ChannelModel>>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "opt")]
    pub description: Option<String>,
    /// Destination country.
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// Destination continent.
    #[serde(default, deserialize_with = "opt")]
    pub continent_code: Option<String>,
    /// Delivery time from (probably days).
    #[serde(default, deserialize_with = "opt")]
    pub time_from: Option<i64>,
    /// Delivery time to.
    #[serde(default, deserialize_with = "opt")]
    pub time_to: Option<i64>,
    /// Lowest order value this shipping applies to.
    #[serde(default, deserialize_with = "opt")]
    pub money_from: Option<Decimal>,
    /// Highest order value this shipping applies to.
    #[serde(default, deserialize_with = "opt")]
    pub money_to: Option<Decimal>,
    /// Price.
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Price currency.
    #[serde(default, deserialize_with = "opt")]
    pub currency: Option<String>,
    /// Payment methods possible with this shipping. The schema declares one reference, the
    /// name says several: both shapes are read, and written back as a list.
    #[serde(default, deserialize_with = "one_or_many")]
    pub payments: Vec<Expandable<PaymentModel>>,
    /// Icon.
    #[serde(default, deserialize_with = "opt")]
    pub icon_url: Option<String>,
    /// Sort order.
    #[serde(default, deserialize_with = "opt")]
    pub sort: Option<i64>,
    /// Id of the app that provides the shipping.
    #[serde(default, deserialize_with = "opt")]
    pub app: Option<i64>,
}

impl Identified for ShippingModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `PaymentModel`: a channel's payment method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PaymentModel {
    /// Payment method id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// The provider (gateway).
    #[serde(default, deserialize_with = "opt")]
    pub provider: Option<Expandable<PaymentsProviderModel>>,
    /// The channel.
    #[serde(default, deserialize_with = "opt")]
    pub channel: Option<Expandable<ChannelModel>>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "opt")]
    pub description: Option<String>,
    /// Note.
    #[serde(default, deserialize_with = "opt")]
    pub note: Option<String>,
    /// Fee.
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Fee currency.
    #[serde(default, deserialize_with = "opt")]
    pub currency: Option<String>,
}

impl Identified for PaymentModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `PriceModel`: a line's price. Whether it is per unit or per line is not documented (per
/// unit is the likely reading); the `*_word` fields are display text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PriceModel {
    /// Base price (probably without VAT).
    #[serde(default, deserialize_with = "opt")]
    pub base_price: Option<Decimal>,
    /// Base price formatted for display.
    #[serde(default, deserialize_with = "opt")]
    pub base_price_word: Option<String>,
    /// Final price (probably with VAT).
    #[serde(default, deserialize_with = "opt")]
    pub final_price: Option<Decimal>,
    /// Final price formatted for display.
    #[serde(default, deserialize_with = "opt")]
    pub final_price_word: Option<String>,
    /// VAT rate (probably in percent).
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
    /// VAT amount.
    #[serde(default, deserialize_with = "opt")]
    pub vat_value: Option<Decimal>,
    /// VAT amount formatted for display.
    #[serde(default, deserialize_with = "opt")]
    pub vat_value_word: Option<String>,
    /// Currency code.
    #[serde(default, deserialize_with = "opt")]
    pub currency: Option<String>,
}
