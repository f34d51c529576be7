//! Retailys records as rules see them: the neutral model of `automation::model`, with the
//! Retailys record kept beside it for `order.api`. Retailys has no order status field (spec
//! §3.1: the status is only known from a status-change callback), no custom fields and no
//! internal note that can be written; those read empty.

use std::sync::Arc;

use crate::automation::model::{
    self, Line, OrderCustomer, Payment, PlatformRecord, Shipment, StateFlag, Status,
};
use crate::automation::platform::Capabilities;
use crate::retailys::lookups::ShipperModel;
use crate::retailys::order::OrderModel;
use crate::retailys::status::OrderStatusModel;

/// What Retailys can do, as rules meet it (spec §5): no internal note, no custom fields, no
/// invoice on request, no customer writes.
pub const CAPABILITIES: Capabilities = Capabilities {
    platform: "retailys",
    unsupported: &[
        (
            "set_internal_note",
            "Retailys has no internal note an app can write; use add_history instead",
        ),
        ("set_meta", "Retailys orders have no custom fields; use add_history to record a value"),
        (
            "generate_invoice",
            "Retailys invoices orders itself (invoice_url); there is no request for it",
        ),
        ("set_customer_note", "Retailys has no customer note an app can write"),
        ("set_customer_meta", "Retailys customers have no custom fields an app can write"),
        // Retailys apps can neither read customers nor hear of them as customers (its
        // user-registred event carries a login, not an order): these hooks would never run.
        ("on_customer_created", "Retailys apps cannot read customers; use on_order_created"),
        ("on_customer_updated", "Retailys apps cannot read customers; use on_order_updated"),
        ("on_customer_deleted", "Retailys apps cannot read customers"),
    ],
    items_per_write: 1,
    max_in_flight: 3,
};

/// A Retailys order in the neutral model. `status`/`status_id` come from elsewhere (a
/// status-change callback), so they are left for the caller to fill.
#[must_use]
pub fn order(o: &Arc<OrderModel>) -> model::Order {
    let customer = o.customer.as_ref().and_then(|c| c.full());
    let name = |first: &Option<String>, last: &Option<String>| (first.clone(), last.clone());
    let (firstname, surname) = customer.map_or((None, None), |c| name(&c.first_name, &c.surname));
    model::Order {
        number: o.id.map(|id| id.to_string()).unwrap_or_default(),
        id: o.id.and_then(|id| u64::try_from(id).ok()),
        status: None,
        status_id: None,
        paid_date: o.date_paid,
        resolved: o.done.unwrap_or(false),
        canceled: o.canceled.unwrap_or(false),
        sent: o.sent.unwrap_or(false),
        delivered: o.delivered.unwrap_or(false),
        tracking_code: o.tracking_numbers().last().map(|t| (*t).to_owned()),
        internal_note: o.our_note.clone(),
        invoice_number: None,
        variable_symbol: None,
        external_number: o.external_order_id.clone(),
        language: None,
        currency: o.order_currency_code.clone(),
        total: o.money,
        weight: o.weight,
        origin: None,
        created: o.date_order,
        customer: OrderCustomer {
            email: o.email.clone(),
            phone: o.phone.clone(),
            customer_id: o
                .customer
                .as_ref()
                .and_then(|c| c.id())
                .and_then(|id| u64::try_from(id).ok()),
            firstname: firstname.or_else(|| o.name.clone()),
            surname,
            company: customer.and_then(|c| c.organization_name.clone()),
            is_company: o.company_nr.as_deref().is_some_and(|c| !c.is_empty()),
            ico: o.company_nr.clone(),
            dic: o.company_vat.clone(),
            vat_payer: o.company_vat.as_deref().is_some_and(|v| !v.is_empty()),
            city: o.city.clone(),
            zip: o.zip.clone(),
            country: o.state_code.clone(),
            note: o.note.clone(),
        },
        lines: o
            .items
            .iter()
            .map(|i| Line {
                code: i.article.as_ref().and_then(|a| a.id()).map(|id| id.to_string()),
                title: i.name.clone(),
                quantity: i.count.map(crate::decimal::Decimal::from),
                price: i.price.as_ref().and_then(|p| p.final_price),
                price_per_unit: i.price.as_ref().and_then(|p| p.final_price),
                ..Line::default()
            })
            .collect(),
        shipment: o.shipping.as_ref().map(|s| {
            let full = s.full();
            Shipment {
                name: full.and_then(|s| s.name.clone()),
                code: s.id().map(|id| id.to_string()),
                carrier: full
                    .and_then(|s| s.shipper.as_ref())
                    .and_then(|c| c.id())
                    .map(|id| id.to_string()),
                price: full.and_then(|s| s.price),
                ..Shipment::default()
            }
        }),
        payment: o.payment.as_ref().map(|p| {
            let full = p.full();
            let name = full.and_then(|p| p.name.clone());
            let provider = full.and_then(|p| p.provider.as_ref()).and_then(|p| p.full());
            let provider_name = provider.and_then(|p| p.name.as_deref());
            let cash_on_delivery =
                [name.as_deref(), provider_name].into_iter().flatten().any(is_cod);
            Payment {
                cash_on_delivery,
                name,
                code: p.id().map(|id| id.to_string()),
                price: full.and_then(|p| p.price),
                ..Payment::default()
            }
        }),
        custom_fields: Vec::new(),
        api: Some(PlatformRecord::of(Arc::clone(o))),
    }
}

/// Whether a payment method's (or its provider's) name says cash on delivery. `PaymentModel`
/// has no kind (spec §3.5), so the name is all there is: Czech "dobírka", Slovak "dobierka",
/// English "cash on delivery" or "COD", without regard to case.
fn is_cod(name: &str) -> bool {
    let name = name.to_lowercase();
    ["dobírk", "dobirk", "dobierk", "cash on delivery"].iter().any(|w| name.contains(w))
        || name.split(|c: char| !c.is_alphanumeric()).any(|w| w == "cod")
}

/// The instance's order statuses in the neutral model; a status that cancels the order stands
/// for the canceled flag.
#[must_use]
pub fn statuses(list: &[OrderStatusModel]) -> Vec<Status> {
    list.iter()
        .map(|s| Status {
            id: s.id.and_then(|id| u64::try_from(id).ok()),
            names: s.name.iter().cloned().collect(),
            flag: s.cancels().then_some(StateFlag::Canceled),
        })
        .collect()
}

/// The instance's carriers (`GET /System/Lists/Shippers`) as the merge looks a named carrier
/// up in them: `(id, name)`, those without either left out.
#[must_use]
pub fn carriers(list: &[ShipperModel]) -> Vec<(i64, String)> {
    list.iter().filter_map(|s| Some((s.id?, s.name.clone()?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retailys_order_as_rules_see_it() {
        let o: OrderModel = crate::json::from_slice(
            &std::fs::read(format!(
                "{}/../fixtures/retailys/order.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        let n = order(&Arc::new(o.clone()));
        assert_eq!(n.number, o.id.unwrap().to_string());
        assert_eq!(n.total, o.money);
        assert_eq!((n.sent, n.canceled), (o.sent.unwrap_or(false), o.canceled.unwrap_or(false)));
        assert_eq!(n.lines.len(), o.items.len());
        assert_eq!(n.api.unwrap().to_json()["id"], o.id.unwrap());
    }

    #[test]
    fn cash_on_delivery_is_read_from_the_payment_name() {
        for yes in ["Dobírka", "Platba na dobírku", "Dobierka", "Cash on delivery", "PPL COD"] {
            assert!(is_cod(yes), "{yes}");
        }
        for no in ["Bankovní převod", "Kartou online", "Codex Pay"] {
            assert!(!is_cod(no), "{no}");
        }
    }

    #[test]
    fn retailys_refuses_what_it_cannot_do_and_says_what_instead() {
        let why = CAPABILITIES.refuses("set_internal_note").unwrap();
        assert!(why.contains("retailys") && why.contains("add_history"), "{why}");
        assert_eq!(CAPABILITIES.refuses("set_status"), None);
        for flag in ["cancel", "mark_sent", "mark_delivered"] {
            assert_eq!(CAPABILITIES.refuses(flag), None, "Retailys has a flag for each");
        }
    }
}
