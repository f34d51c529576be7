//! What `/orders` does: create, update, delete, list, history.
//!
//! Every item of a batch is checked on its own: an item with a problem gets `*_yn: false`
//! and `level: error` messages and changes nothing, while the rest of the batch goes ahead,
//! all inside one 200 answer, as on a real shop.

use std::collections::HashSet;

use serde_json::json;
use shopflow_core::upgates::message::ApiMessage;
use shopflow_core::upgates::meta::{LanguageValue, Meta, MetaType, MetaWrite};
use shopflow_core::upgates::order::history::HistoryChange;
use shopflow_core::upgates::order::object::{
    NameValue, OrderProduct, QuantityDiscount, VatDiscount,
};
use shopflow_core::upgates::order::write::{
    CustomerWrite, PaymentWrite, ProductWrite, ShipmentWrite,
};
use shopflow_core::upgates::order::{
    DiscountType, HistoryAddRequest, HistoryAddResponse, HistoryEvent, HistoryOrigin, LineType,
    NewOrder, Order, OrderCreateRequest, OrderCreated, OrderDeleted, OrderHistory, OrderListQuery,
    OrderOrigin, OrderPayment, OrderShipment, OrderUpdate, OrderUpdateRequest, OrderUpdated,
    OrdersCreateResponse, OrdersDeleteResponse, OrdersUpdateResponse, PaidDate,
};
use shopflow_core::validation::is_email;
use shopflow_core::{ApiDate, Decimal};

use super::catalog;
use super::pricing::{Priced, percent_of, priced, rounded_total, sum, times};
use super::{Emitted, Notification, Shop, error, warning};
use crate::clock;

/// Who is notified because of a write, after the API's defaults are applied.
#[derive(Debug, Clone, Copy)]
pub struct Notify {
    /// E-mails.
    pub emails: bool,
    /// SMS.
    pub sms: bool,
}

impl Shop {
    /// `GET /orders` with filters: one page as the API writes it.
    #[must_use]
    pub fn list_orders_json(&self, q: &OrderListQuery) -> Vec<u8> {
        self.orders.page_json(q, &|name| self.status_ids_named(name))
    }

    /// `GET /orders/{n}`: the one-item list envelope, or `None`.
    #[must_use]
    pub fn order_json(&self, number: &str) -> Option<String> {
        let stored = self.orders.raw(number)?;
        Some(format!(
            "{{\"current_page\":1,\"current_page_items\":1,\"number_of_pages\":1,\"number_of_items\":1,\"orders\":[{}]}}",
            stored.json()
        ))
    }

    /// An order, parsed.
    #[must_use]
    pub fn order(&self, number: &str) -> Option<Order> {
        self.orders.get(number)
    }

    /// `POST /orders`.
    pub fn create_orders(
        &mut self,
        req: &OrderCreateRequest,
        notify: Notify,
        cause: &str,
    ) -> (OrdersCreateResponse, Vec<Emitted>) {
        let mut out = OrdersCreateResponse::default();
        let mut emitted = Vec::new();
        for new in &req.orders {
            let mut result = OrderCreated::default();
            result.external_order_number.clone_from(&new.external_order_number);
            match self.build_order(new) {
                Err(messages) => {
                    result.created_yn = Some(false);
                    result.messages = messages;
                }
                Ok((order, warnings)) => {
                    result.order_number = Some(order.order_number.clone());
                    result.order_url = Some(self.order_url(&order.order_number));
                    result.created_yn = Some(true);
                    result.messages = warnings;
                    emitted.extend(self.store_new(order, OrderOrigin::Api, notify, cause));
                }
            }
            out.orders.push(result);
        }
        (out, emitted)
    }

    /// Stores a new order (from the API or the storefront) and fires `Orders.create`.
    pub(crate) fn store_new(
        &mut self,
        mut order: Order,
        origin: OrderOrigin,
        notify: Notify,
        cause: &str,
    ) -> Vec<Emitted> {
        order.origin = Some(origin.clone());
        let now = clock::now();
        let who = if origin == OrderOrigin::Api { "API" } else { "" };
        self.push_history(
            &order.order_number,
            "Vytvoření objednávky",
            who,
            origin_of(&origin),
            Vec::new(),
            Vec::new(),
            now,
        );
        self.notify(&order, notify, cause, now);
        let record = json!({
            "order_number": order.order_number,
            "creation_time": order.creation_time,
            "status_id": order.status_id,
            "status": order.status,
        });
        if self.orders.put(&order).is_err() {
            return Vec::new();
        }
        vec![Emitted { event: "Orders.create".to_owned(), record }]
    }

    fn order_url(&self, number: &str) -> String {
        format!("https://{}.example/objednavka/{number}", self.project_name)
    }

    /// Adds an order as if a customer had placed it in the shop (origin `frontend`), firing
    /// `Orders.create`. The order is checked like an API create.
    pub(crate) fn create_storefront(
        &mut self,
        new: &NewOrder,
    ) -> Result<Vec<Emitted>, Vec<ApiMessage>> {
        let (order, _) = self.build_order(new)?;
        Ok(self.store_new(
            order,
            OrderOrigin::Frontend,
            Notify { emails: false, sms: false },
            "storefront",
        ))
    }

    /// Checks a new order and builds it, or says everything that is wrong with it.
    fn build_order(&mut self, new: &NewOrder) -> Result<(Order, Vec<ApiMessage>), Vec<ApiMessage>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let language = new.language_id.as_deref().unwrap_or_default();
        let lang = catalog::languages().into_iter().find(|l| l.code == language);
        if lang.is_none() {
            errors.push(error(
                "order",
                "language_id",
                format!("Language '{language}' does not exist."),
            ));
        }
        match new.customer.as_ref().and_then(|c| c.email.as_deref()) {
            Some(e) if is_email(e) => {}
            Some(e) => errors.push(error(
                "customer",
                "email",
                format!("'{e}' is not a valid e-mail address."),
            )),
            None => errors.push(error("customer", "email", "The customer's e-mail is required.")),
        }
        if new.products.is_empty() {
            errors.push(error("order", "products", "An order needs at least one product."));
        }
        for (i, p) in new.products.iter().enumerate() {
            for (field, missing) in [
                ("title", p.title.is_none()),
                ("price_per_unit", p.price_per_unit.is_none()),
                ("vat", p.vat.is_none()),
            ] {
                if missing {
                    errors.push(error(
                        &format!("products[{i}]"),
                        field,
                        format!("The product's {field} is required."),
                    ));
                }
            }
        }
        let status = self.resolve_status(new.status.as_deref(), new.status_id, &mut errors);
        if let Some(vs) = &new.variable_symbol
            && !valid_variable_symbol(vs)
        {
            errors.push(error(
                "order",
                "variable_symbol",
                "The variable symbol has at most 10 digits, or is 'case' or 'order'.",
            ));
        }
        check_priced_write(
            "shipment",
            new.shipment.as_ref().map(|s| (&s.name, &s.price, &s.vat)),
            &mut errors,
        );
        check_priced_write(
            "payment",
            new.payment.as_ref().map(|p| (&p.name, &p.price, &p.vat)),
            &mut errors,
        );
        let (Some(lang), true) = (lang, errors.is_empty()) else {
            return Err(errors);
        };

        let now = clock::now();
        self.seq.order += 1;
        let seq = self.seq.order;
        let year = now.date().format("%Y");
        let mut o = Order::new(format!("{year}{seq:06}"));
        o.order_id = Some(48_000 + seq);
        o.case_number = Some(format!("{}{seq:05}", now.date().format("%y")));
        o.external_order_number.clone_from(&new.external_order_number);
        o.uuid = Some(self.next_uuid());
        o.language_id = Some(lang.code.to_owned());
        o.currency_id = Some(lang.currency.to_owned());
        o.default_currency_rate = Some(lang.rate);
        o.prices_with_vat_yn = new.prices_with_vat_yn.unwrap_or(true);
        o.tracking_code.clone_from(&new.tracking_code);
        o.resolved_yn = new.resolved_yn.unwrap_or(false);
        o.internal_note.clone_from(&new.internal_note);
        o.statistics_yn = Some(new.statistics_yn.unwrap_or(true));
        o.creation_time = Some(new.creation_time.unwrap_or(now));
        o.last_update_time = Some(now);
        o.variable_symbol = Some(match new.variable_symbol.as_deref() {
            Some("order") => o.order_number.clone(),
            Some("case") | None => o.case_number.clone().unwrap_or_default(),
            Some(digits) => digits.to_owned(),
        });
        o.dimensions.clone_from(&new.dimensions);
        o.paid_date = new.paid_date;
        o.admin_url = Some(format!(
            "https://{}.example/admin/orders/{}",
            self.project_name,
            o.order_id.unwrap_or_default()
        ));
        if let Some(c) = &new.customer {
            self.apply_customer(&mut o, c);
        }
        for p in &new.products {
            let line = self.new_line(p, o.prices_with_vat_yn);
            o.products.push(line);
        }
        if let Some(qd) = &new.quantity_discount {
            o.quantity_discount = Some(quantity_discount(qd.amount, qd.discount_type.clone()));
        }
        if let Some(s) = &new.shipment {
            o.shipment = Some(shipment_from(s, o.prices_with_vat_yn));
        }
        if let Some(p) = &new.payment {
            o.payment = Some(payment_from(p, o.prices_with_vat_yn));
        }
        self.apply_metas(&mut o, &new.metas, &mut warnings);
        if new.invoice.as_ref().and_then(|i| i.generate_yn) == Some(true) {
            o.invoice_number = Some(self.next_invoice_number(&now));
        }
        self.set_status(&mut o, status);
        recompute(&mut o);
        Ok((o, warnings))
    }

    fn next_invoice_number(&mut self, now: &ApiDate) -> String {
        self.seq.invoice += 1;
        format!("FV{}{:06}", now.date().format("%Y"), self.seq.invoice)
    }

    /// Finds the status a write names, reporting an unknown name or id.
    fn resolve_status(
        &self,
        name: Option<&str>,
        id: Option<u64>,
        errors: &mut Vec<ApiMessage>,
    ) -> Option<u64> {
        match (id, name) {
            (Some(id), _) => {
                if self.statuses.contains_key(&id) {
                    Some(id)
                } else {
                    errors.push(error(
                        "order",
                        "status_id",
                        format!("Order status with ID {id} does not exist."),
                    ));
                    None
                }
            }
            (None, Some(name)) => match self.status_by_name(name) {
                Some(id) => Some(id),
                None => {
                    errors.push(error(
                        "order",
                        "status",
                        format!("Order status '{name}' does not exist."),
                    ));
                    None
                }
            },
            (None, None) => None,
        }
    }

    /// Sets a status (default Received for a new order), with its paid and resolved marks.
    fn set_status(&self, o: &mut Order, id: Option<u64>) {
        let id = id.or(o.status_id).unwrap_or(1);
        let language = o.language_id.clone().unwrap_or_else(|| "cs".to_owned());
        o.status_id = Some(id);
        o.status = Some(self.status_name(id, &language));
        if let Some(st) = self.statuses.get(&id) {
            if st.mark_paid_yn && o.paid_date.is_none() {
                o.paid_date = Some(clock::now());
            }
            if st.mark_resolved_yn {
                o.resolved_yn = true;
            }
        }
    }

    fn apply_customer(&self, o: &mut Order, c: &CustomerWrite) {
        let oc = &mut o.customer;
        macro_rules! take {
            ($($f:ident),+) => { $( if c.$f.is_some() { oc.$f.clone_from(&c.$f); } )+ };
        }
        take!(
            email,
            phone,
            firstname_invoice,
            surname_invoice,
            street_invoice,
            city_invoice,
            state_invoice,
            zip_invoice,
            country_id_invoice,
            firstname_postal,
            surname_postal,
            street_postal,
            city_postal,
            state_postal,
            zip_postal,
            country_id_postal,
            company_postal,
            company,
            ico,
            dic,
            pricelist_name,
            pricelist_percent,
            customer_note
        );
        if let Some(b) = c.postal_yn {
            oc.postal_yn = b;
        }
        if let Some(b) = c.company_yn {
            oc.company_yn = b;
        }
        if let Some(b) = c.vat_payer_yn {
            oc.vat_payer_yn = b;
        }
        // A customer account with the same e-mail is linked to the order.
        let account = oc.email.as_deref().and_then(|e| self.customer_by_email(e));
        if let Some(account) = account {
            oc.customer_id = Some(account.customer_id);
            oc.code.clone_from(&account.code);
            oc.customer_pricelist_id = Some(1);
            if oc.pricelist_name.is_none() {
                oc.pricelist_name.clone_from(&account.pricelist);
            }
        }
    }

    /// A new order line from a write, matched to the catalogue by code.
    fn new_line(&mut self, p: &ProductWrite, with_vat: bool) -> OrderProduct {
        let mut line = OrderProduct::default();
        line.uuid = Some(self.next_uuid());
        line.line_type = Some(LineType::Product);
        line.unit = Some("ks".to_owned());
        line.quantity = Some(Decimal::from(1_i64));
        update_line(&mut line, p, with_vat);
        line
    }

    fn apply_metas(&self, o: &mut Order, metas: &[MetaWrite], warnings: &mut Vec<ApiMessage>) {
        let known = catalog::custom_fields();
        for m in metas {
            let key = m.key.clone().unwrap_or_default();
            let Some(field) = known.iter().find(|f| f.key == key) else {
                warnings.push(warning(
                    "metas",
                    &key,
                    format!("Custom field '{key}' does not exist, it was skipped."),
                ));
                continue;
            };
            let mut meta = Meta::default();
            meta.key.clone_from(&key);
            meta.kind = Some(MetaType::from(field.field_type));
            // "If both are given, value is used."
            meta.value.clone_from(&m.value);
            if m.value.is_none() {
                meta.values = m
                    .values
                    .iter()
                    .map(|v| LanguageValue::new(v.language.clone(), v.value.clone()))
                    .collect();
            }
            match o.metas.iter_mut().find(|x| x.key == key) {
                Some(existing) => *existing = meta,
                None => o.metas.push(meta),
            }
        }
    }

    /// Records the e-mail and SMS a real shop would send for the order's current status.
    fn notify(&mut self, o: &Order, notify: Notify, cause: &str, at: ApiDate) {
        let status = o.status.clone().unwrap_or_default();
        if notify.emails
            && let Some(email) = o.customer.email.clone()
        {
            self.notifications.push(Notification {
                order_number: o.order_number.clone(),
                channel: "email".to_owned(),
                to: email,
                status: status.clone(),
                cause: cause.to_owned(),
                at,
            });
        }
        if notify.sms
            && let Some(phone) = o.customer.phone.clone()
        {
            self.notifications.push(Notification {
                order_number: o.order_number.clone(),
                channel: "sms".to_owned(),
                to: phone,
                status,
                cause: cause.to_owned(),
                at,
            });
        }
    }

    /// `PUT /orders`.
    pub fn update_orders(
        &mut self,
        req: &OrderUpdateRequest,
        notify: Notify,
        cause: &str,
    ) -> (OrdersUpdateResponse, Vec<Emitted>) {
        let mut out = OrdersUpdateResponse::default();
        let mut emitted = Vec::new();
        for u in &req.orders {
            let mut result = OrderUpdated::default();
            result.order_number.clone_from(&u.order_number);
            match self.apply_update(u, req.delete_missing_products_yn, notify, cause) {
                Ok((order, warnings, changed)) => {
                    result.order_url = Some(self.order_url(&order.order_number));
                    result.updated_yn = Some(true);
                    result.messages = warnings;
                    if changed {
                        emitted.push(Emitted {
                            event: "Orders.update".to_owned(),
                            record: json!({
                                "order_number": order.order_number,
                                "last_update_time": order.last_update_time,
                                "status_id": order.status_id,
                                "status": order.status,
                            }),
                        });
                    }
                }
                Err(messages) => {
                    result.updated_yn = Some(false);
                    result.messages = messages;
                }
            }
            out.orders.push(result);
        }
        (out, emitted)
    }

    /// Checks one order's changes and applies them all, or none.
    fn apply_update(
        &mut self,
        u: &OrderUpdate,
        delete_missing: bool,
        notify: Notify,
        cause: &str,
    ) -> Result<(Order, Vec<ApiMessage>, bool), Vec<ApiMessage>> {
        let number = u.order_number.as_deref().unwrap_or_default();
        let Some(before) = self.orders.get(number) else {
            return Err(vec![error(
                "order",
                "order_number",
                format!("Order '{number}' does not exist."),
            )]);
        };
        let mut errors = Vec::new();
        let status = self.resolve_status(u.status.as_deref(), u.status_id, &mut errors);
        if let Some(vs) = &u.variable_symbol
            && (!vs.bytes().all(|b| b.is_ascii_digit()) || vs.len() > 10 || vs.is_empty())
        {
            errors.push(error(
                "order",
                "variable_symbol",
                "The variable symbol has at most 10 digits.",
            ));
        }
        for (i, p) in u.products.iter().enumerate() {
            match &p.uuid {
                Some(uuid) if !before.products.iter().any(|l| l.uuid.as_ref() == Some(uuid)) => {
                    errors.push(error(
                        &format!("products[{i}]"),
                        "uuid",
                        format!("The order has no line with uuid '{uuid}'."),
                    ));
                }
                None if p.price_per_unit.is_none() => {
                    errors.push(error(
                        &format!("products[{i}]"),
                        "price_per_unit",
                        "A new line needs its price_per_unit.",
                    ));
                }
                _ => {}
            }
        }
        check_priced_write(
            "shipment",
            u.shipment.as_ref().map(|s| (&s.name, &s.price, &s.vat)),
            &mut errors,
        );
        check_priced_write(
            "payment",
            u.payment.as_ref().map(|p| (&p.name, &p.price, &p.vat)),
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut o = before.clone();
        let mut warnings = Vec::new();
        macro_rules! set {
            ($($f:ident),+) => { $( if u.$f.is_some() { o.$f.clone_from(&u.$f); } )+ };
        }
        set!(
            external_order_number,
            tracking_code,
            internal_note,
            variable_symbol,
            statistics_yn,
            dimensions
        );
        if let Some(r) = u.resolved_yn {
            o.resolved_yn = r;
        }
        match u.paid_date {
            Some(PaidDate::On(d)) => o.paid_date = Some(d),
            Some(PaidDate::Unpaid) => o.paid_date = None,
            None => {}
        }
        if let Some(c) = &u.customer {
            self.apply_customer(&mut o, c);
        }
        if !u.products.is_empty() {
            let sent: HashSet<&str> = u.products.iter().filter_map(|p| p.uuid.as_deref()).collect();
            if delete_missing {
                o.products.retain(|l| l.uuid.as_deref().is_some_and(|id| sent.contains(id)));
            }
            for p in &u.products {
                match p
                    .uuid
                    .as_deref()
                    .and_then(|id| o.products.iter_mut().find(|l| l.uuid.as_deref() == Some(id)))
                {
                    Some(line) => update_line(line, p, o.prices_with_vat_yn),
                    None => {
                        let line = self.new_line(p, o.prices_with_vat_yn);
                        o.products.push(line);
                    }
                }
            }
        }
        if let Some(qd) = &u.quantity_discount {
            o.quantity_discount = Some(quantity_discount(qd.amount, qd.discount_type.clone()));
        }
        if let Some(s) = &u.shipment {
            o.shipment = Some(shipment_from(s, o.prices_with_vat_yn));
        }
        if let Some(p) = &u.payment {
            o.payment = Some(payment_from(p, o.prices_with_vat_yn));
        }
        self.apply_metas(&mut o, &u.metas, &mut warnings);
        let now = clock::now();
        if u.invoice.as_ref().and_then(|i| i.generate_yn) == Some(true)
            && o.invoice_number.is_none()
        {
            o.invoice_number = Some(self.next_invoice_number(&now));
        }
        if status.is_some() {
            self.set_status(&mut o, status);
        }
        recompute(&mut o);

        let mut changes = Vec::new();
        let mut note = |name: &str, b: Option<String>, a: Option<String>| {
            if b != a {
                let mut c = HistoryChange::default();
                c.name = Some(name.to_owned());
                c.before = b;
                c.after = a;
                changes.push(c);
            }
        };
        note("status", before.status.clone(), o.status.clone());
        note(
            "paid_date",
            before.paid_date.map(|d| d.to_string()),
            o.paid_date.map(|d| d.to_string()),
        );
        note("tracking_code", before.tracking_code.clone(), o.tracking_code.clone());
        note("resolved_yn", Some(before.resolved_yn.to_string()), Some(o.resolved_yn.to_string()));
        let status_changed = before.status_id != o.status_id;
        let changed = o != before;
        if changed {
            o.last_update_time = Some(now);
            if !changes.is_empty() {
                let event = if status_changed { "Změna stavu" } else { "Úprava objednávky" };
                self.push_history(
                    &o.order_number,
                    event,
                    "API",
                    HistoryOrigin::Api,
                    changes,
                    Vec::new(),
                    now,
                );
            }
            if status_changed {
                self.notify(&o, notify, cause, now);
            }
            self.orders.put(&o).map_err(|e| vec![error("order", "", e.to_string())])?;
        }
        Ok((o, warnings, changed))
    }

    /// `DELETE /orders`.
    pub fn delete_orders(&mut self, numbers: &[&str]) -> (OrdersDeleteResponse, Vec<Emitted>) {
        let found = self.orders.remove(numbers);
        let now = clock::now();
        let mut out = OrdersDeleteResponse::default();
        let mut emitted = Vec::new();
        for (number, existed) in numbers.iter().zip(found) {
            let mut r = OrderDeleted::default();
            r.order_number = Some((*number).to_owned());
            r.deleted_yn = Some(existed);
            if existed {
                self.history.remove(*number);
                emitted.push(Emitted {
                    event: "Orders.delete".to_owned(),
                    record: json!({"order_number": number, "deletion_time": now}),
                });
            } else {
                r.messages.push(error(
                    "order",
                    "order_number",
                    format!("Order '{number}' does not exist."),
                ));
            }
            out.orders.push(r);
        }
        (out, emitted)
    }

    /// `GET /orders/{n}/history`, or `None` when there is no such order.
    #[must_use]
    pub fn order_history(&self, number: &str) -> Option<OrderHistory> {
        if !self.orders.contains(number) {
            return None;
        }
        let mut h = OrderHistory::default();
        h.history = self.history.get(number).cloned().unwrap_or_default();
        h.number_of_items = Some(h.history.len() as u64);
        Some(h)
    }

    /// `POST /orders/{n}/history`: HTML is stripped and text cut to 50/500 characters, as
    /// Upgates does. `None` when there is no such order.
    pub fn add_history(
        &mut self,
        number: &str,
        req: &HistoryAddRequest,
    ) -> Option<HistoryAddResponse> {
        if !self.orders.contains(number) {
            return None;
        }
        let mut resp = HistoryAddResponse::default();
        if req.data.is_empty() {
            resp.updated = Some(false);
            resp.messages.push(error(
                "history",
                "data",
                "At least one {name, value} pair is required.",
            ));
            return Some(resp);
        }
        let data = req
            .data
            .iter()
            .map(|nv| {
                NameValue::new(
                    cut(&strip_html(nv.name.as_deref().unwrap_or_default()), 50),
                    cut(&strip_html(nv.value.as_deref().unwrap_or_default()), 500),
                )
            })
            .collect();
        self.push_history(
            number,
            "Záznam z API",
            "API",
            HistoryOrigin::Api,
            Vec::new(),
            data,
            clock::now(),
        );
        resp.updated = Some(true);
        Some(resp)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_history(
        &mut self,
        number: &str,
        event: &str,
        user: &str,
        origin: HistoryOrigin,
        changes: Vec<HistoryChange>,
        data: Vec<NameValue>,
        at: ApiDate,
    ) {
        self.seq.history += 1;
        let mut e = HistoryEvent::default();
        e.event = Some(event.to_owned());
        e.user_name = Some(user.to_owned());
        e.changes = changes;
        e.admin_yn = Some(origin == HistoryOrigin::Admin);
        e.origin = Some(origin);
        e.data = data;
        e.creation_time = Some(at);
        self.history.entry(number.to_owned()).or_default().push(e);
    }
}

fn origin_of(origin: &OrderOrigin) -> HistoryOrigin {
    match origin {
        OrderOrigin::Api => HistoryOrigin::Api,
        OrderOrigin::Admin => HistoryOrigin::Admin,
        _ => HistoryOrigin::Frontend,
    }
}

fn valid_variable_symbol(vs: &str) -> bool {
    vs == "case"
        || vs == "order"
        || (!vs.is_empty() && vs.len() <= 10 && vs.bytes().all(|b| b.is_ascii_digit()))
}

fn check_priced_write(
    object: &str,
    fields: Option<(&Option<String>, &Option<Decimal>, &Option<Decimal>)>,
    errors: &mut Vec<ApiMessage>,
) {
    if let Some((name, price, vat)) = fields {
        for (field, missing) in
            [("name", name.is_none()), ("price", price.is_none()), ("vat", vat.is_none())]
        {
            if missing {
                errors.push(error(object, field, format!("The {object}'s {field} is required.")));
            }
        }
    }
}

/// Applies a line write to a line: given fields replace, prices are recomputed.
fn update_line(line: &mut OrderProduct, p: &ProductWrite, with_vat: bool) {
    macro_rules! set {
        ($($f:ident),+) => { $( if p.$f.is_some() { line.$f.clone_from(&p.$f); } )+ };
    }
    set!(
        code,
        code_supplier,
        ean,
        title,
        unit,
        quantity,
        price_per_unit,
        vat,
        buy_price,
        recycling_fee,
        weight,
        invoice_info
    );
    if !p.parameters.is_empty() {
        line.parameters.clone_from(&p.parameters);
    }
    if let Some(product) = line
        .code
        .as_deref()
        .and_then(|code| catalog::products().into_iter().find(|c| c.code == code))
    {
        line.product_id = Some(product.id);
        line.adult_yn = product.adult;
        line.availability = Some(product.availability.to_owned());
        if line.weight.is_none() {
            line.weight = Some(product.weight);
        }
    }
    let vat = line.vat.unwrap_or(Decimal::ZERO);
    let unit = priced(line.price_per_unit.unwrap_or(Decimal::ZERO), vat, with_vat);
    let total = times(unit, line.quantity.unwrap_or_else(|| Decimal::from(1_i64)));
    line.price_per_unit_with_vat = Some(unit.with_vat);
    line.price_per_unit_without_vat = Some(unit.without_vat);
    line.price = Some(total.price);
    line.price_with_vat = Some(total.with_vat);
    line.price_without_vat = Some(total.without_vat);
}

fn quantity_discount(amount: Option<Decimal>, kind: Option<DiscountType>) -> QuantityDiscount {
    let mut qd = QuantityDiscount::default();
    qd.amount = amount;
    qd.discount_type = kind;
    qd
}

pub(crate) fn shipment_from(s: &ShipmentWrite, with_vat: bool) -> OrderShipment {
    let known =
        s.code.as_deref().and_then(|c| catalog::shipments().into_iter().find(|k| k.code == c));
    let p = priced(s.price.unwrap_or(Decimal::ZERO), s.vat.unwrap_or(Decimal::ZERO), with_vat);
    let mut out = OrderShipment::default();
    out.id = known.as_ref().map(|k| k.id);
    out.code.clone_from(&s.code);
    out.name.clone_from(&s.name);
    out.price = Some(p.price);
    out.price_with_vat = Some(p.with_vat);
    out.price_without_vat = Some(p.without_vat);
    out.vat = s.vat;
    out.affiliate_id = s.affiliate_id.clone().filter(|a| !a.is_empty());
    out.affiliate_name = s.affiliate_name.clone().filter(|a| !a.is_empty());
    out.shipment_type = known.map(|k| k.shipment_type);
    out
}

pub(crate) fn payment_from(p: &PaymentWrite, with_vat: bool) -> OrderPayment {
    let known =
        p.code.as_deref().and_then(|c| catalog::payments().into_iter().find(|k| k.code == c));
    let pr = priced(p.price.unwrap_or(Decimal::ZERO), p.vat.unwrap_or(Decimal::ZERO), with_vat);
    let mut out = OrderPayment::default();
    out.id = known.as_ref().map(|k| k.id);
    out.code.clone_from(&p.code);
    out.name.clone_from(&p.name);
    out.price = Some(pr.price);
    out.price_with_vat = Some(pr.with_vat);
    out.price_without_vat = Some(pr.without_vat);
    out.vat = p.vat;
    out.eet_yn = p.eet_yn.unwrap_or(false);
    out.payment_type = known.map(|k| k.payment_type);
    out
}

fn as_priced(
    with_vat: Option<Decimal>,
    without_vat: Option<Decimal>,
    price: Option<Decimal>,
) -> Priced {
    Priced {
        price: price.unwrap_or(Decimal::ZERO),
        with_vat: with_vat.unwrap_or(Decimal::ZERO),
        without_vat: without_vat.unwrap_or(Decimal::ZERO),
    }
}

/// Recomputes weight, discounts and totals from the lines, shipment and payment.
pub(crate) fn recompute(o: &mut Order) {
    let lines =
        sum(o.products.iter().map(|l| as_priced(l.price_with_vat, l.price_without_vat, l.price)));
    let weight = o.products.iter().fold(Decimal::ZERO, |acc, l| {
        let w = l
            .weight
            .unwrap_or(Decimal::ZERO)
            .checked_mul(l.quantity.unwrap_or(Decimal::ZERO))
            .unwrap_or(Decimal::ZERO);
        acc.checked_add(w).unwrap_or(acc)
    });
    o.total_weight = Some(weight);
    if let Some(qd) = o.quantity_discount.as_mut() {
        let amount = qd.amount.unwrap_or(Decimal::ZERO);
        let off = match qd.discount_type {
            Some(DiscountType::Percent) => percent_of(lines.with_vat, amount),
            _ => amount,
        };
        let mut d = VatDiscount::default();
        d.price = Some(Decimal::from(-off.inner()));
        d.price_with_vat = d.price;
        d.vat = o.products.first().and_then(|l| l.vat);
        qd.discounts = vec![d];
    }
    let discounts = o
        .discount_voucher
        .iter()
        .flat_map(|v| v.discounts.iter())
        .chain(o.quantity_discount.iter().flat_map(|q| q.discounts.iter()))
        .chain(o.loyalty_points.iter().flat_map(|l| l.discounts.iter()))
        .map(|d| as_priced(d.price_with_vat.or(d.price), d.price_without_vat, d.price));
    let extras = [
        o.shipment.as_ref().map(|s| as_priced(s.price_with_vat, s.price_without_vat, s.price)),
        o.payment.as_ref().map(|p| as_priced(p.price_with_vat, p.price_without_vat, p.price)),
    ];
    let total = sum(std::iter::once(lines).chain(extras.into_iter().flatten()).chain(discounts));
    let (rounded, rest) = rounded_total(total.with_vat, o.currency_id.as_deref().unwrap_or("CZK"));
    o.order_total_before_round = Some(total.with_vat);
    o.order_total = Some(rounded);
    o.order_total_rest = Some(rest);
}

fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
