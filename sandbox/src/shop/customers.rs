//! What `/customers` does: list with filters, create, update and delete, keyed by e-mail.

use serde_json::json;
use shopflow_core::ApiDate;
use shopflow_core::upgates::customer::CustomerDeleteQuery;
use shopflow_core::upgates::customer::object::Login;
use shopflow_core::upgates::customer::{
    Customer, CustomerAccountWrite, CustomerDeleted, CustomerInserted, CustomerList,
    CustomerListQuery, CustomerUpdated, CustomersCreateResponse, CustomersDeleteResponse,
    CustomersUpdateResponse,
};
use shopflow_core::upgates::meta::{Meta, MetaType};
use shopflow_core::validation::is_email;

use super::{Emitted, Shop, catalog, error, warning};
use crate::clock;

impl Shop {
    /// The account with this e-mail (case-insensitive).
    #[must_use]
    pub fn customer_by_email(&self, email: &str) -> Option<&Customer> {
        self.customer_emails.get(&email.to_lowercase()).and_then(|id| self.customers.get(id))
    }

    /// A customer by id.
    #[must_use]
    pub fn customer(&self, id: u64) -> Option<&Customer> {
        self.customers.get(&id)
    }

    /// `GET /customers` with filters, 100 per page.
    #[must_use]
    pub fn list_customers(&self, q: &CustomerListQuery) -> CustomerList {
        let after = |d: &Option<ApiDate>, of: &Option<ApiDate>| match (d, of) {
            (Some(from), Some(at)) => {
                at.to_utc(clock::prague_offset(at.naive_local().and_utc()))
                    >= from.to_utc(clock::prague_offset(from.naive_local().and_utc()))
            }
            (Some(_), None) => false,
            (None, _) => true,
        };
        let eq = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| have.is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        let all: Vec<&Customer> = self
            .customers
            .values()
            .filter(|c| after(&q.creation_time_from, &c.creation_time))
            .filter(|c| after(&q.last_update_time_from, &c.last_update_time))
            .filter(|c| eq(&q.code, c.code.as_deref()))
            .filter(|c| q.customer_id.is_none_or(|id| c.customer_id == id))
            .filter(|c| q.ids.is_empty() || q.ids.contains(&c.customer_id))
            .filter(|c| {
                q.active_yn.is_none_or(|a| c.login.as_ref().is_some_and(|l| l.active_yn == a))
            })
            .filter(|c| {
                q.blocked_yn.is_none_or(|b| c.login.as_ref().is_some_and(|l| l.blocked_yn == b))
            })
            .filter(|c| eq(&q.language, c.language.as_deref()))
            .filter(|c| eq(&q.pricelist, c.pricelist.as_deref()))
            .filter(|c| eq(&q.email, c.email()))
            .filter(|c| eq(&q.phone, c.communication.as_ref().and_then(|x| x.phone.as_deref())))
            .filter(|c| eq(&q.company_name, c.company.as_ref().and_then(|x| x.name.as_deref())))
            .filter(|c| {
                eq(&q.company_number, c.company.as_ref().and_then(|x| x.company_number.as_deref()))
            })
            .filter(|c| {
                eq(&q.company_vat_number, c.company.as_ref().and_then(|x| x.vat_number.as_deref()))
            })
            .filter(|c| {
                q.newsletter_accept.as_ref().is_none_or(|n| c.newsletter_accept.as_ref() == Some(n))
            })
            .collect();
        let per_page = shopflow_core::upgates::customer::CUSTOMERS_PER_PAGE as usize;
        let page = q.page.unwrap_or(1).max(1);
        let items: Vec<Customer> = all
            .iter()
            .skip((page as usize - 1) * per_page)
            .take(per_page)
            .map(|c| (*c).clone())
            .collect();
        let mut list = CustomerList::default();
        list.current_page = Some(page);
        list.current_page_items = Some(items.len() as u32);
        list.number_of_pages = Some(all.len().div_ceil(per_page) as u32);
        list.number_of_items = Some(all.len() as u64);
        list.customers = items;
        list
    }

    /// `POST /customers`.
    pub fn create_customers(
        &mut self,
        customers: &[CustomerAccountWrite],
    ) -> (CustomersCreateResponse, Vec<Emitted>) {
        let mut out = CustomersCreateResponse::default();
        let mut emitted = Vec::new();
        for w in customers {
            let mut r = CustomerInserted::default();
            r.email = w.email().map(str::to_owned);
            let mut errors = Vec::new();
            if w.customer_type.as_ref().is_none_or(|t| !t.is_known()) {
                errors.push(error(
                    "customer",
                    "type",
                    "The type is required: contact, customer or company.",
                ));
            }
            if w.language
                .as_deref()
                .is_none_or(|l| !catalog::languages().iter().any(|x| x.code == l))
            {
                errors.push(error(
                    "customer",
                    "language",
                    "The language is required and must exist.",
                ));
            }
            match w.email() {
                Some(e) if !is_email(e) => errors.push(error(
                    "login",
                    "email",
                    format!("'{e}' is not a valid e-mail address."),
                )),
                Some(e) if self.customer_by_email(e).is_some() => errors.push(error(
                    "login",
                    "email",
                    format!("A customer with e-mail '{e}' already exists."),
                )),
                Some(_) => {}
                None => errors.push(error("login", "email", "The e-mail is required.")),
            }
            if !errors.is_empty() {
                r.inserted_yn = Some(false);
                r.messages = errors;
                out.customers.push(r);
                continue;
            }
            let now = clock::now();
            self.seq.customer += 1;
            let id = 900 + self.seq.customer;
            let mut c = Customer::default();
            c.customer_id = id;
            c.code = Some(w.code.clone().unwrap_or_else(|| format!("Z{id:06}")));
            c.creation_time = Some(now);
            c.newsletter_accept = Some(shopflow_core::upgates::customer::NewsletterAccept::NotSet);
            c.turnover = Some("0".to_owned());
            r.messages = self.write_customer(&mut c, w);
            c.turnover_currency = catalog::languages()
                .iter()
                .find(|l| c.language.as_deref() == Some(l.code))
                .map(|l| l.currency.to_owned());
            c.admin_url =
                Some(format!("https://{}.example/admin/customers/{id}", self.project_name));
            let login = c.login.clone().unwrap_or_default();
            emitted.push(Emitted {
                event: "Customers.create".to_owned(),
                record: json!({
                    "customer_id": id, "email": login.email, "code": c.code, "creation_time": now,
                    "active_yn": login.active_yn, "blocked_yn": login.blocked_yn,
                }),
            });
            if let Some(e) = c.email() {
                self.customer_emails.insert(e.to_lowercase(), id);
            }
            self.customers.insert(id, c);
            r.inserted_yn = Some(true);
            out.customers.push(r);
        }
        (out, emitted)
    }

    /// Adds a storefront registration (from the order generator): an account created
    /// inactive until the customer confirms it, as Upgates reports it.
    pub(crate) fn register_customer(
        &mut self,
        w: &CustomerAccountWrite,
    ) -> (Option<u64>, Vec<Emitted>) {
        let (resp, emitted) = self.create_customers(std::slice::from_ref(w));
        let id = resp
            .customers
            .first()
            .filter(|r| r.inserted_yn == Some(true))
            .and_then(|_| w.email())
            .and_then(|e| self.customer_by_email(e))
            .map(|c| c.customer_id);
        (id, emitted)
    }

    /// `PUT /customers`, matched by `login.email`.
    pub fn update_customers(
        &mut self,
        customers: &[CustomerAccountWrite],
    ) -> (CustomersUpdateResponse, Vec<Emitted>) {
        let mut out = CustomersUpdateResponse::default();
        let mut emitted = Vec::new();
        for w in customers {
            let mut r = CustomerUpdated::default();
            r.email = w.email().map(str::to_owned);
            let Some(mut c) = w.email().and_then(|e| self.customer_by_email(e)).cloned() else {
                r.updated_yn = Some(false);
                r.messages.push(error(
                    "login",
                    "email",
                    format!("No customer has e-mail '{}'.", w.email().unwrap_or_default()),
                ));
                out.customers.push(r);
                continue;
            };
            let before = c.clone();
            r.messages = self.write_customer(&mut c, w);
            if let (Some(old), Some(new)) = (before.email(), c.email()) {
                self.customer_emails.remove(&old.to_lowercase());
                self.customer_emails.insert(new.to_lowercase(), c.customer_id);
            }
            if c != before {
                let now = clock::now();
                c.last_update_time = Some(now);
                emitted.push(Emitted {
                    event: "Customers.update".to_owned(),
                    record: json!({"customer_id": c.customer_id, "email": c.email(), "code": c.code, "last_update_time": now}),
                });
                self.customers.insert(c.customer_id, c);
            }
            r.updated_yn = Some(true);
            out.customers.push(r);
        }
        (out, emitted)
    }

    /// `DELETE /customers?id|ids|email`.
    pub fn delete_customers(
        &mut self,
        q: &CustomerDeleteQuery,
    ) -> (CustomersDeleteResponse, Vec<Emitted>) {
        let mut targets: Vec<(Option<u64>, Option<String>)> =
            q.id.iter().chain(&q.ids).map(|id| (Some(*id), None)).collect();
        if let Some(e) = &q.email {
            targets.push((self.customer_by_email(e).map(|c| c.customer_id), Some(e.clone())));
        }
        let mut out = CustomersDeleteResponse::default();
        let mut emitted = Vec::new();
        let now = clock::now();
        for (id, email) in targets {
            let mut r = CustomerDeleted::default();
            r.customer_id = id;
            match id.and_then(|id| self.customers.remove(&id)) {
                Some(c) => {
                    if let Some(e) = c.email() {
                        self.customer_emails.remove(&e.to_lowercase());
                    }
                    r.email = c.email().map(str::to_owned);
                    r.deleted_yn = Some(true);
                    emitted.push(Emitted {
                        event: "Customers.delete".to_owned(),
                        record: json!({"customer_id": c.customer_id, "email": c.email(), "code": c.code, "deletion_time": now}),
                    });
                }
                None => {
                    r.email = email;
                    r.deleted_yn = Some(false);
                    r.messages.push(error("customer", "id", "No such customer."));
                }
            }
            out.customers.push(r);
        }
        (out, emitted)
    }

    /// Applies the fields a write gives; returns warnings (unknown custom fields).
    fn write_customer(
        &self,
        c: &mut Customer,
        w: &CustomerAccountWrite,
    ) -> Vec<shopflow_core::upgates::message::ApiMessage> {
        macro_rules! set {
            ($($f:ident),+) => { $( if w.$f.is_some() { c.$f.clone_from(&w.$f); } )+ };
        }
        set!(
            degree,
            firstname,
            surname,
            nickname,
            code,
            language,
            newsletter_accept,
            pricelist,
            base_turnover,
            note,
            company,
            communication,
            addresses
        );
        if w.customer_type.is_some() {
            c.customer_type.clone_from(&w.customer_type);
        }
        if c.newsletter_accept.is_some() {
            c.newsletter_yn = Some(
                c.newsletter_accept
                    == Some(shopflow_core::upgates::customer::NewsletterAccept::Yes),
            );
        }
        if let Some(l) = &w.login {
            let mut login = c.login.clone().unwrap_or_else(|| {
                let mut fresh = Login::default();
                fresh.active_yn = true;
                fresh
            });
            if let Some(a) = l.active_yn {
                login.active_yn = a;
            }
            if let Some(b) = l.blocked_yn {
                login.blocked_yn = b;
            }
            if l.email.is_some() {
                login.email.clone_from(&l.email);
            }
            c.login = Some(login);
        }
        if !w.groups.is_empty() {
            c.groups.clone_from(&w.groups);
        }
        let known = catalog::custom_fields();
        let mut warnings = Vec::new();
        for m in &w.metas {
            let key = m.key.clone().unwrap_or_default();
            match known.iter().find(|f| f.key == key) {
                Some(f) => {
                    let mut meta = Meta::default();
                    meta.key.clone_from(&key);
                    meta.kind = Some(MetaType::from(f.field_type));
                    meta.value.clone_from(&m.value);
                    c.metas.retain(|x| x.key != key);
                    c.metas.push(meta);
                }
                None => warnings.push(warning(
                    "metas",
                    &key,
                    format!("Custom field '{key}' does not exist, it was skipped."),
                )),
            }
        }
        warnings
    }
}
