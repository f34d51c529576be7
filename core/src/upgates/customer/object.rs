//! A customer account as `GET /customers` returns it.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{flag, list, object, optional as opt, required as req};
use crate::open_enum;
use crate::upgates::meta::Meta;

open_enum! {
    /// What kind of account.
    pub enum CustomerType {
        /// A contact (not registered).
        Contact = "contact",
        /// A registered customer.
        Customer = "customer",
        /// A registered customer with company details.
        Company = "company",
    }
}

open_enum! {
    /// Whether the customer accepts newsletters.
    pub enum NewsletterAccept {
        /// Not set.
        NotSet = "notset",
        /// No.
        No = "no",
        /// Yes.
        Yes = "yes",
        /// Excluded (stopped opening newsletters).
        Excluded = "excluded",
    }
}

/// A customer account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Customer {
    /// Id.
    #[serde(deserialize_with = "req")]
    pub customer_id: u64,
    /// Kind of account.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub customer_type: Option<CustomerType>,
    /// Title.
    #[serde(default, deserialize_with = "opt")]
    pub degree: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "opt")]
    pub firstname: Option<String>,
    /// Surname.
    #[serde(default, deserialize_with = "opt")]
    pub surname: Option<String>,
    /// Nickname.
    #[serde(default, deserialize_with = "opt")]
    pub nickname: Option<String>,
    /// Customer code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Language.
    #[serde(default, deserialize_with = "opt")]
    pub language: Option<String>,
    /// Wants newsletters.
    #[serde(default, deserialize_with = "opt")]
    pub newsletter_yn: Option<bool>,
    /// Newsletter consent.
    #[serde(default, deserialize_with = "opt")]
    pub newsletter_accept: Option<NewsletterAccept>,
    /// Pricelist.
    #[serde(default, deserialize_with = "opt")]
    pub pricelist: Option<String>,
    /// Starting turnover.
    #[serde(default, deserialize_with = "opt")]
    pub base_turnover: Option<Decimal>,
    /// Turnover (documented as a string).
    #[serde(default, deserialize_with = "opt")]
    pub turnover: Option<String>,
    /// Currency of the turnover.
    #[serde(default, deserialize_with = "opt")]
    pub turnover_currency: Option<String>,
    /// Company details.
    #[serde(default, deserialize_with = "object")]
    pub company: Option<CustomerCompany>,
    /// Contact details.
    #[serde(default, deserialize_with = "object")]
    pub communication: Option<Communication>,
    /// Login: e-mail and whether the account is active or blocked.
    #[serde(default, deserialize_with = "object")]
    pub login: Option<Login>,
    /// Groups the customer is in (the API sends `{id: name}`).
    #[serde(default, deserialize_with = "groups")]
    pub groups: Vec<CustomerGroup>,
    /// Note.
    #[serde(default, deserialize_with = "opt")]
    pub note: Option<String>,
    /// Addresses.
    #[serde(default, deserialize_with = "object")]
    pub addresses: Option<Addresses>,
    /// Custom fields.
    #[serde(default, deserialize_with = "list")]
    pub metas: Vec<Meta>,
    /// Creation.
    #[serde(default, deserialize_with = "opt")]
    pub creation_time: Option<ApiDate>,
    /// Last change.
    #[serde(default, deserialize_with = "opt")]
    pub last_update_time: Option<ApiDate>,
    /// Link to the customer in the admin.
    #[serde(default, deserialize_with = "opt")]
    pub admin_url: Option<String>,
}

impl Customer {
    /// The account's e-mail.
    #[must_use]
    pub fn email(&self) -> Option<&str> {
        self.login.as_ref().and_then(|l| l.email.as_deref())
    }

    /// Whether the account is a company.
    #[must_use]
    pub fn is_company(&self) -> bool {
        self.customer_type == Some(CustomerType::Company)
            || self
                .company
                .as_ref()
                .is_some_and(|c| c.name.as_deref().is_some_and(|n| !n.is_empty()))
    }
}

/// Company details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerCompany {
    /// Name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Company number (IČO).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_number: Option<String>,
    /// VAT number (DIČ).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    /// VAT payer.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat_payer_yn: Option<bool>,
}

/// Contact details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Communication {
    /// Phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Fax.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    /// Instant messaging.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub im: Option<String>,
    /// Salutation.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    /// Declension of the name (Czech vocative).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub declension: Option<String>,
}

/// Login as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Login {
    /// Active (false until a new registration is confirmed).
    #[serde(default, deserialize_with = "flag")]
    pub active_yn: bool,
    /// Blocked.
    #[serde(default, deserialize_with = "flag")]
    pub blocked_yn: bool,
    /// E-mail, the customer's key.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
}

/// A customer group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerGroup {
    /// Group id.
    #[serde(deserialize_with = "req")]
    pub id: u64,
    /// Group name (absent in writes).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `groups` arrives as `{"12": "VIP"}` (the documented shape), as `[]` when empty, or in our
/// normalized form `[{"id": 12, "name": "VIP"}]`.
fn groups<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CustomerGroup>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<CustomerGroup>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("customer groups as {id: name} or a list of {id, name}")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((id, name)) = map.next_entry::<String, Option<String>>()? {
                let id = id.trim().parse().map_err(|_| {
                    de::Error::invalid_value(de::Unexpected::Str(&id), &"a numeric group id")
                })?;
                out.push(CustomerGroup { id, name });
            }
            Ok(out)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Vec::<CustomerGroup>::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

/// Billing and delivery addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Addresses {
    /// Billing address.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub billing: Option<Address>,
    /// Delivery addresses.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub postal: Vec<Address>,
}

/// An address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Address {
    /// Company name (delivery addresses).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// First name (delivery addresses).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    /// Surname (delivery addresses).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Street.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Region.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postcode.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Country.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub country_id: Option<String>,
}
