//! `POST /customers` and `PUT /customers`: creating and changing customer accounts, and
//! `DELETE /customers`.

use serde::{Deserialize, Serialize};

use crate::batch::{Batch, check_size};
use crate::decimal::Decimal;
use crate::lenient::{list, object, optional as opt};
use crate::secret::Secret;
use crate::upgates::customer::object::{
    Addresses, Communication, CustomerCompany, CustomerGroup, CustomerType, NewsletterAccept,
};
use crate::upgates::meta::MetaWrite;
use crate::upgates::query::{QueryError, QueryReader, QueryWriter};
use crate::validation::{At, NOTHING, Problem, Validate};

/// Whether a customer write creates (POST) or changes (PUT) accounts; they differ in what
/// is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CustomerWriteMode {
    /// `POST`: type, language and login e-mail are required.
    #[default]
    Create,
    /// `PUT`: the login e-mail (the key) is required.
    Update,
}

/// A request to create or change up to 100 customer accounts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomersWriteRequest {
    /// Create or update (not sent; decides the method and the checks).
    #[serde(skip)]
    pub mode: CustomerWriteMode,
    /// The accounts.
    #[serde(default, deserialize_with = "list")]
    pub customers: Vec<CustomerAccountWrite>,
}

impl CustomersWriteRequest {
    /// A create request.
    #[must_use]
    pub fn create(customers: Vec<CustomerAccountWrite>) -> Self {
        CustomersWriteRequest { mode: CustomerWriteMode::Create, customers }
    }

    /// An update request.
    #[must_use]
    pub fn update(customers: Vec<CustomerAccountWrite>) -> Self {
        CustomersWriteRequest { mode: CustomerWriteMode::Update, customers }
    }
}

impl Batch for CustomersWriteRequest {
    type Item = CustomerAccountWrite;

    fn items(&self) -> &[CustomerAccountWrite] {
        &self.customers
    }

    fn with_items(&self, customers: Vec<CustomerAccountWrite>) -> Self {
        CustomersWriteRequest { mode: self.mode, customers }
    }
}

/// Login details to write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LoginWrite {
    /// Active.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub active_yn: Option<bool>,
    /// Blocked.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub blocked_yn: Option<bool>,
    /// E-mail, the account's key (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Password; a random one when absent on create. Never printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
}

/// One customer account to create or change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerAccountWrite {
    /// Kind of account (required on create).
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_type: Option<CustomerType>,
    /// Title.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub degree: Option<String>,
    /// First name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    /// Surname.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Nickname.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Customer code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Language (required on create).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Newsletter consent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub newsletter_accept: Option<NewsletterAccept>,
    /// Pricelist.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub pricelist: Option<String>,
    /// Starting turnover.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub base_turnover: Option<Decimal>,
    /// Note.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Company details.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub company: Option<CustomerCompany>,
    /// Contact details.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub communication: Option<Communication>,
    /// Login (required: it holds the e-mail).
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub login: Option<LoginWrite>,
    /// Groups, by id.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<CustomerGroup>,
    /// Addresses.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Addresses>,
    /// Custom fields.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub metas: Vec<MetaWrite>,
}

impl CustomerAccountWrite {
    /// An account identified by e-mail.
    #[must_use]
    pub fn with_email(email: impl Into<String>) -> Self {
        CustomerAccountWrite {
            login: Some(LoginWrite { email: Some(email.into()), ..LoginWrite::default() }),
            ..Self::default()
        }
    }

    /// The account's e-mail.
    #[must_use]
    pub fn email(&self) -> Option<&str> {
        self.login.as_ref().and_then(|l| l.email.as_deref())
    }

    fn collect_problems(&self, at: &At, mode: CustomerWriteMode, out: &mut Vec<Problem>) {
        if mode == CustomerWriteMode::Create {
            match &self.customer_type {
                None => out.push(at.field("type").problem("contact, customer or company", NOTHING)),
                Some(t) if !t.is_known() => out.push(at.field("type").problem(
                    "contact, customer or company",
                    crate::validation::quoted(t.as_str()),
                )),
                Some(_) => {}
            }
            at.field("language").require_text(
                self.language.as_deref(),
                "the customer's language code, like cs",
                out,
            );
        }
        let email_at = at.field("login").field("email");
        match self.email() {
            Some(e) => email_at.email(e, out),
            None => out.push(email_at.problem("the account's e-mail address (its key)", NOTHING)),
        }
        for (i, m) in self.metas.iter().enumerate() {
            m.collect_problems(&at.index("metas", i), out);
        }
    }
}

impl Validate for CustomersWriteRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        check_size(&At::root().field("customers"), self.customers.len(), "customer", out);
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.customers.iter().enumerate() {
            let at = At::record("customers", i, c.email());
            c.collect_problems(&at, self.mode, out);
            if let Some(e) = c.email()
                && !seen.insert(e.to_lowercase())
            {
                out.push(
                    at.field("login")
                        .field("email")
                        .problem("each e-mail once per request", crate::validation::quoted(e)),
                );
            }
        }
    }
}

/// Which customers to delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerDeleteQuery {
    /// One customer, by id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Several, by id.
    #[serde(
        default,
        deserialize_with = "crate::upgates::query::multi",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ids: Vec<u64>,
    /// One, by e-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl CustomerDeleteQuery {
    /// The query parameters.
    #[must_use]
    pub fn to_query(&self) -> Vec<(String, String)> {
        QueryWriter::new()
            .opt("id", self.id.as_ref())
            .list("ids", &self.ids)
            .opt("email", self.email.as_ref())
            .finish()
    }

    /// Reads the query back.
    ///
    /// # Errors
    /// When an id is not a number.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, QueryError> {
        let q = QueryReader::new(pairs);
        Ok(CustomerDeleteQuery {
            id: q.parsed("id", "a customer id")?,
            ids: q.list("ids", "customer ids joined with ;")?,
            email: q.text("email").filter(|s| !s.is_empty()),
        })
    }
}

impl Validate for CustomerDeleteQuery {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        if self.id.is_none() && self.ids.is_empty() && self.email.is_none() {
            out.push(At::root().problem("a customer to delete: id, ids or email", NOTHING));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_needs_more_than_update() {
        let c = CustomerAccountWrite::with_email("jan@example.cz");
        assert_eq!(
            CustomersWriteRequest::create(vec![c.clone()]).validate().unwrap_err().0.len(),
            2
        );
        assert!(CustomersWriteRequest::update(vec![c]).validate().is_ok());
    }

    #[test]
    fn passwords_are_sent_but_never_printed() {
        let mut c = CustomerAccountWrite::with_email("jan@example.cz");
        if let Some(l) = c.login.as_mut() {
            l.password = Some(Secret::new("s3cret-pw"));
        }
        assert!(!format!("{c:?}").contains("s3cret-pw"));
        assert!(serde_json::to_string(&c).unwrap().contains("s3cret-pw"));
    }
}
