//! The records an order links to, as `expanded=true` returns them (§3.15, §3.16).
//!
//! Typed where it is cheap and useful to order automation (names, addresses, ids, codes);
//! the article's deep content (images, variants, per-channel data) belongs to the Content
//! API and stays raw JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{list, object, optional as opt};
use crate::open_enum;
use crate::retailys::expandable::{Expandable, Identified, NonExpanded};

open_enum! {
    /// What a sales channel is.
    pub enum ChannelType {
        /// An online shop.
        Eshop = "eshop",
        /// A brick-and-mortar store.
        Store = "store",
        /// A marketplace.
        Marketplace = "marketplace",
        /// Not set.
        Undefined = "undefined",
    }
}

open_enum! {
    /// The condition of an article.
    pub enum ArticleState {
        /// New.
        New = "new",
        /// Opened (unpacked).
        Opened = "opened",
        /// Used.
        Used = "used",
        /// Not set.
        Undefined = "undefined",
    }
}

/// `UserModel`: the customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct UserModel {
    /// User id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Login.
    #[serde(default, deserialize_with = "opt")]
    pub login: Option<String>,
    /// E-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Subscribed to the newsletter.
    #[serde(default, deserialize_with = "opt")]
    pub newsletter: Option<bool>,
    /// Full name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Nickname.
    #[serde(default, deserialize_with = "opt")]
    pub nickname: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "opt")]
    pub first_name: Option<String>,
    /// Middle name.
    #[serde(default, deserialize_with = "opt")]
    pub middle_name: Option<String>,
    /// Surname.
    #[serde(default, deserialize_with = "opt")]
    pub surname: Option<String>,
    /// Title.
    #[serde(default, deserialize_with = "opt")]
    pub title: Option<String>,
    /// Organisation.
    #[serde(default, deserialize_with = "opt")]
    pub organization_name: Option<String>,
    /// Street.
    #[serde(default, deserialize_with = "opt")]
    pub street: Option<String>,
    /// City.
    #[serde(default, deserialize_with = "opt")]
    pub city: Option<String>,
    /// Postal code.
    #[serde(default, deserialize_with = "opt")]
    pub zip: Option<String>,
    /// Country code.
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// The user's channel, wrapped once more as the schema has it.
    #[serde(default, deserialize_with = "object")]
    pub channel: Option<UserChannel>,
}

impl Identified for UserModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `UserModel_channel`: `{ "channel": { "id", "api_link" } }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct UserChannel {
    /// The channel reference.
    #[serde(default, deserialize_with = "object")]
    pub channel: Option<NonExpanded>,
}

/// `CompanyModel`: the selling company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CompanyModel {
    /// Company id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Street.
    #[serde(default, deserialize_with = "opt")]
    pub street: Option<String>,
    /// City.
    #[serde(default, deserialize_with = "opt")]
    pub city: Option<String>,
    /// Postal code.
    #[serde(default, deserialize_with = "opt")]
    pub zip: Option<String>,
    /// Country code.
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// Company number (IČO).
    #[serde(default, deserialize_with = "opt")]
    pub company_nr: Option<String>,
    /// VAT registrations, one per country.
    #[serde(default, deserialize_with = "list")]
    pub company_vats: Vec<CompanyVat>,
    /// Phone.
    #[serde(default, deserialize_with = "opt")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Commercial-register entry.
    #[serde(default, deserialize_with = "opt")]
    pub registry_info: Option<String>,
    /// Bank accounts.
    #[serde(default, deserialize_with = "list")]
    pub bank_accounts: Vec<BankAccount>,
}

impl Identified for CompanyModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// A VAT registration of a company.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CompanyVat {
    /// Country code.
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// VAT id.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<String>,
    /// Whether the company is a VAT payer there.
    #[serde(default, deserialize_with = "opt")]
    pub vat_payer: Option<bool>,
}

/// A company's bank account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct BankAccount {
    /// Account label.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Bank name.
    #[serde(default, deserialize_with = "opt")]
    pub bank_name: Option<String>,
    /// Bank address.
    #[serde(default, deserialize_with = "opt")]
    pub bank_address: Option<String>,
    /// Bank code.
    #[serde(default, deserialize_with = "opt")]
    pub bank_code: Option<String>,
    /// Account number.
    #[serde(default, deserialize_with = "opt")]
    pub bank_account: Option<String>,
    /// IBAN.
    #[serde(default, deserialize_with = "opt")]
    pub iban: Option<String>,
    /// SWIFT/BIC.
    #[serde(default, deserialize_with = "opt")]
    pub swift: Option<String>,
}

/// `ChannelModel`: a sales channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ChannelModel {
    /// Channel id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Kind of channel.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub channel_type: Option<ChannelType>,
    /// Whether it is active.
    #[serde(default, deserialize_with = "opt")]
    pub active: Option<bool>,
    /// Title.
    #[serde(default, deserialize_with = "opt")]
    pub title: Option<String>,
    /// SEO keywords.
    #[serde(default, deserialize_with = "opt")]
    pub keywords: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "opt")]
    pub description: Option<String>,
    /// Language.
    #[serde(default, deserialize_with = "opt")]
    pub language: Option<String>,
    /// Currency.
    #[serde(default, deserialize_with = "opt")]
    pub currency: Option<String>,
    /// Country code.
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// Domain ("any of" a reference or the domain record, kept raw).
    #[serde(default, deserialize_with = "opt")]
    pub domain: Option<Expandable<Value>>,
    /// Default selling company.
    #[serde(default, deserialize_with = "opt")]
    pub default_company: Option<Expandable<CompanyModel>>,
    /// Default store (kept raw).
    #[serde(default, deserialize_with = "opt")]
    pub default_store: Option<Expandable<Value>>,
    /// Product feeds.
    #[serde(default, deserialize_with = "list")]
    pub feeds: Vec<ChannelFeed>,
}

impl Identified for ChannelModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// A channel's product feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ChannelFeed {
    /// File name.
    #[serde(default, deserialize_with = "opt")]
    pub filename: Option<String>,
    /// Path.
    #[serde(default, deserialize_with = "opt")]
    pub path: Option<String>,
}

/// `ArticleModel`, the product on an order line: the fields order automation uses, typed;
/// the Content API's deep data raw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ArticleModel {
    /// Article id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// The parent article (kept raw when expanded).
    #[serde(default, deserialize_with = "opt")]
    pub parent: Option<Expandable<Value>>,
    /// Whether this is a master (parent) article.
    #[serde(default, deserialize_with = "opt")]
    pub master: Option<bool>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub default_name: Option<String>,
    /// Condition.
    #[serde(default, deserialize_with = "opt")]
    pub state: Option<ArticleState>,
    /// Country of origin.
    #[serde(default, deserialize_with = "opt")]
    pub country_of_origin: Option<String>,
    /// VAT rate.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
    /// The user who made it ("any of" a reference or the user).
    #[serde(default, deserialize_with = "opt")]
    pub user: Option<Expandable<UserModel>>,
    /// Date.
    #[serde(default, deserialize_with = "opt")]
    pub date: Option<ApiDate>,
    /// Manufacturer.
    #[serde(default, deserialize_with = "opt")]
    pub manufacturer_name: Option<String>,
    /// Manufacturer's catalogue id.
    #[serde(default, deserialize_with = "opt")]
    pub manufacturer_catalogid: Option<String>,
    /// Note.
    #[serde(default, deserialize_with = "opt")]
    pub note: Option<String>,
    /// Article family (kept raw when expanded).
    #[serde(default, deserialize_with = "opt")]
    pub family: Option<Expandable<Value>>,
    /// Identifiers (EAN, SKU and the like).
    #[serde(default, deserialize_with = "list")]
    pub idents: Vec<ArticleIdent>,
    /// Thumbnail.
    #[serde(default, deserialize_with = "opt")]
    pub thumbnail: Option<String>,
    /// Weight in kilograms.
    #[serde(default, deserialize_with = "opt")]
    pub weight: Option<Decimal>,
    /// Source images (with base64 content), raw.
    #[serde(default, deserialize_with = "list")]
    pub source_images: Vec<Value>,
    /// Variant values, raw.
    #[serde(default, deserialize_with = "list")]
    pub variant: Vec<Value>,
    /// Per-channel data (names, URLs, prices, stores), raw.
    #[serde(default, deserialize_with = "list")]
    pub multidata: Vec<Value>,
}

impl ArticleModel {
    /// The value of the first identifier of this type (`EAN`, `SKU`, …; case-insensitive).
    #[must_use]
    pub fn ident(&self, kind: &str) -> Option<&str> {
        self.idents
            .iter()
            .find(|i| i.ident_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(kind)))
            .and_then(|i| i.value.as_deref())
    }
}

impl Identified for ArticleModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// An article identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ArticleIdent {
    /// Kind of identifier (not enumerated by the spec).
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub ident_type: Option<String>,
    /// The identifier.
    #[serde(default, deserialize_with = "opt")]
    pub value: Option<String>,
}
