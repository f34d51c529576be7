//! Upgates into the platform seam: what Upgates can do for rules, a webhook batch's records as
//! triggers, and Upgates records as rules see them (the neutral model of `automation::model`,
//! with the Upgates record kept beside it for `order.api`).

use std::sync::Arc;

use crate::automation::model::{
    self, CustomField, Line, OrderCustomer, Payment, PlatformRecord, Shipment, StateFlag, Status,
};
use crate::automation::platform::Capabilities;
use crate::automation::{Subject, Trigger, TriggerKind};
use crate::upgates::customer::Customer;
use crate::upgates::meta::Meta;
use crate::upgates::order::Order;
use crate::upgates::order::enums::PaymentType;
use crate::upgates::order_status::{OrderStatus, OrderStatusType};
use crate::upgates::webhook::{WebhookAction, WebhookBatch, WebhookEntity, WebhookRecords};

/// What Upgates can do, as rules meet it: every action but `mark_delivered` (spec §5: no
/// delivered flag or status type; a shop that tracks deliveries has a status of its own).
pub const CAPABILITIES: Capabilities = Capabilities {
    platform: "upgates",
    unsupported: &[(
        "mark_delivered",
        "Upgates has no delivered flag or status type; use set_status with your shop's delivered \
         status",
    )],
    items_per_write: crate::batch::MAX_ITEMS_PER_REQUEST,
    max_in_flight: crate::upgates::CONCURRENCY_LIMIT,
};

/// The triggers of a webhook batch, in its order. Entities rules do not handle (products,
/// invoices, others) give none.
#[must_use]
pub fn triggers(batch: &WebhookBatch) -> Vec<Trigger> {
    let kind = match batch.event.action {
        WebhookAction::Create => TriggerKind::Created,
        WebhookAction::Update => TriggerKind::Updated,
        WebhookAction::Delete => TriggerKind::Deleted,
        _ => return Vec::new(),
    };
    match (&batch.event.entity, &batch.records) {
        (WebhookEntity::Orders, WebhookRecords::Orders { orders }) => orders
            .iter()
            .map(|o| Trigger { kind, subject: Subject::Order(o.order_number.clone()) })
            .collect(),
        (WebhookEntity::Customers, WebhookRecords::Customers { customers }) => customers
            .iter()
            .map(|c| Trigger { kind, subject: Subject::Customer(c.customer_id) })
            .collect(),
        _ => Vec::new(),
    }
}

/// A custom field: its one value, else the record's language's, else any language's.
fn fields(metas: &[Meta], language: Option<&str>) -> Vec<CustomField> {
    metas
        .iter()
        .map(|m| CustomField {
            key: m.key.clone(),
            value: m.value.clone(),
            in_language: language
                .and_then(|l| m.value_for(l))
                .or_else(|| m.values.first().map(|v| v.value.as_str()))
                .map(str::to_owned),
        })
        .collect()
}

/// An Upgates order in the neutral model.
#[must_use]
pub fn order(o: &Arc<Order>) -> model::Order {
    let c = &o.customer;
    model::Order {
        number: o.order_number.clone(),
        id: o.order_id,
        status: o.status.clone(),
        status_id: o.status_id,
        paid_date: o.paid_date,
        resolved: o.resolved_yn,
        // Upgates says so only by the type of the order's status: `Order::flags_from_status`.
        canceled: false,
        sent: false,
        delivered: false,
        tracking_code: o.tracking_code.clone(),
        internal_note: o.internal_note.clone(),
        invoice_number: o.invoice_number.clone(),
        variable_symbol: o.variable_symbol.clone(),
        external_number: o.external_order_number.clone(),
        language: o.language_id.clone(),
        currency: o.currency_id.clone(),
        total: o.order_total,
        weight: o.total_weight,
        origin: o.origin.as_ref().map(|x| x.as_str().to_owned()),
        created: o.creation_time,
        customer: OrderCustomer {
            email: c.email.clone(),
            phone: c.phone.clone(),
            customer_id: c.customer_id,
            firstname: c.firstname_invoice.clone(),
            surname: c.surname_invoice.clone(),
            company: c.company.clone(),
            is_company: c.company_yn,
            ico: c.ico.clone(),
            dic: c.dic.clone(),
            vat_payer: c.vat_payer_yn,
            city: c.city_invoice.clone(),
            zip: c.zip_invoice.clone(),
            country: c.country_id_invoice.clone(),
            note: c.customer_note.clone(),
        },
        lines: o
            .products
            .iter()
            .map(|p| Line {
                code: p.code.clone(),
                title: p.title.clone(),
                ean: p.ean.clone(),
                supplier: p.supplier.clone(),
                unit: p.unit.clone(),
                availability: p.availability.clone(),
                kind: p.line_type.as_ref().map(|t| t.as_str().to_owned()),
                quantity: p.quantity,
                price: p.price_with_vat.or(p.price),
                price_per_unit: p.price_per_unit_with_vat.or(p.price_per_unit),
                weight: p.weight,
            })
            .collect(),
        shipment: o.shipment.as_ref().map(|s| Shipment {
            name: s.name.clone(),
            code: s.code.clone(),
            kind: s.shipment_type.as_ref().map(|t| t.as_str().to_owned()),
            pickup_point_id: s.affiliate_id.clone(),
            pickup_point_name: s.affiliate_name.clone(),
            carrier: s.packeta_carrier_id.map(|c| c.to_string()),
            price: s.price_with_vat.or(s.price),
        }),
        payment: o.payment.as_ref().map(|p| Payment {
            name: p.name.clone(),
            code: p.code.clone(),
            kind: p.payment_type.as_ref().map(|t| t.as_str().to_owned()),
            cash_on_delivery: p.payment_type == Some(PaymentType::CashOnDelivery),
            price: p.price_with_vat.or(p.price),
        }),
        custom_fields: fields(&o.metas, o.language_id.as_deref()),
        api: Some(PlatformRecord::of(Arc::clone(o))),
    }
}

/// The shop's order statuses in the neutral model: the Czech name first (what the shop shows),
/// then the others; the types Canceled and Sent as the flags they stand for.
#[must_use]
pub fn statuses(list: &[OrderStatus]) -> Vec<Status> {
    list.iter()
        .map(|s| {
            let main = s.name_in("cs").or_else(|| s.any_name());
            let others = s.descriptions.iter().filter_map(|d| d.name.as_deref());
            let mut names: Vec<String> = main.into_iter().map(str::to_owned).collect();
            names.extend(others.filter(|n| Some(*n) != main).map(str::to_owned));
            let flag = match s.status_type {
                Some(OrderStatusType::Canceled) => Some(StateFlag::Canceled),
                Some(OrderStatusType::Sent) => Some(StateFlag::Sent),
                _ => None,
            };
            Status { id: s.id, names, flag }
        })
        .collect()
}

/// An Upgates customer account in the neutral model.
#[must_use]
pub fn customer(c: &Arc<Customer>) -> model::Customer {
    model::Customer {
        id: c.customer_id,
        email: c.email().map(str::to_owned),
        firstname: c.firstname.clone(),
        surname: c.surname.clone(),
        company: c.company.as_ref().and_then(|x| x.name.clone()),
        ico: c.company.as_ref().and_then(|x| x.company_number.clone()),
        is_company: c.is_company(),
        active: c.login.as_ref().is_some_and(|l| l.active_yn),
        blocked: c.login.as_ref().is_some_and(|l| l.blocked_yn),
        phone: c.communication.as_ref().and_then(|x| x.phone.clone()),
        language: c.language.clone(),
        pricelist: c.pricelist.clone(),
        note: c.note.clone(),
        newsletter: c.newsletter_yn.unwrap_or(false),
        groups: c.groups.iter().map(|g| g.name.clone().unwrap_or_default()).collect(),
        created: c.creation_time,
        custom_fields: fields(&c.metas, c.language.as_deref()),
        api: Some(PlatformRecord::of(Arc::clone(c))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_become_triggers() {
        let b = crate::upgates::webhook::parse_webhook(
            br#"{"orders":[{"order_number":"1"},{"order_number":"2"}]}"#,
            Some(&"Orders.update".parse().unwrap()),
        )
        .unwrap();
        let t = triggers(&b);
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[1],
            Trigger { kind: TriggerKind::Updated, subject: Subject::Order("2".into()) }
        );
    }

    #[test]
    fn an_order_keeps_its_record_for_api() {
        let o: Order = serde_json::from_value(serde_json::json!({"order_number": "7", "order_total": "12.5", "metas": [{"key": "k", "type": "input", "values": [{"language": "cs", "value": "ano"}]}], "language_id": "cs"})).unwrap();
        let n = order(&Arc::new(o));
        assert_eq!(n.number, "7");
        assert_eq!(n.total.map(|d| d.to_string()).as_deref(), Some("12.5"));
        assert_eq!(n.custom_field("k"), Some("ano"));
        assert_eq!(n.api.unwrap().to_json()["order_number"], "7");
    }
}
