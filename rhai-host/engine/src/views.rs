//! What rules see: orders, customers and their parts as read-only Rhai types over the core's
//! neutral model (`automation::model`), the same on every platform; `order.api` and
//! `customer.api` give the platform's own record (not portable).
//!
//! Each view wraps an `Arc` of the model, so handing an order to a hook copies a
//! pointer, not the order. Only getters are registered: assigning to a property is a
//! script error. Absent text reads as `""` (so `order.customer.company.len()` works on every
//! order); absent numbers and amounts read as `()`. Amounts are exact decimals.

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, Map};
use shopflow_core::automation::StatusChange;
use shopflow_core::automation::model::{CustomField, Customer, Line, Order, PlatformRecord};
use shopflow_core::decimal::Decimal;

/// An order, as hooks receive it.
#[derive(Clone)]
pub struct OrderView(pub Arc<Order>);

/// The customer block of an order.
#[derive(Clone)]
pub struct OrderCustomerView(pub Arc<Order>);

/// One line of an order.
#[derive(Clone)]
pub struct ProductView(pub Arc<Order>, pub usize);

/// The order's shipment (every field reads empty when the order has none).
#[derive(Clone)]
pub struct ShipmentView(pub Arc<Order>);

/// The order's payment (every field reads empty when the order has none).
#[derive(Clone)]
pub struct PaymentView(pub Arc<Order>);

/// A customer account, as customer hooks receive it.
#[derive(Clone)]
pub struct CustomerView(pub Arc<Customer>);

/// A status change, as `on_order_updated` receives it.
#[derive(Clone)]
pub struct ChangeView(pub Arc<StatusChange>);

/// A deleted order: only its number is left.
#[derive(Clone)]
pub struct OrderRef(pub String);

/// A deleted customer: only the id is left.
#[derive(Clone)]
pub struct CustomerRef(pub u64);

fn text(v: Option<&str>) -> Dynamic {
    Dynamic::from(v.unwrap_or_default().to_owned())
}

fn id(v: Option<u64>) -> Dynamic {
    v.and_then(|n| i64::try_from(n).ok()).map_or(Dynamic::UNIT, Dynamic::from_int)
}

fn amount(v: Option<Decimal>) -> Dynamic {
    v.map_or(Dynamic::UNIT, |d| Dynamic::from_decimal(d.inner()))
}

fn fields_map(fields: &[CustomField]) -> Map {
    fields.iter().map(|f| (f.key.as_str().into(), text(f.shown()))).collect()
}

/// The platform's own record as a read-only Rhai value (maps, arrays, strings, integers,
/// decimals, booleans, `()` for null). Not portable: field names are the platform's.
fn api(record: Option<&PlatformRecord>) -> Dynamic {
    record.map_or(Dynamic::UNIT, |r| json_value(r.to_json()))
}

fn json_value(v: serde_json::Value) -> Dynamic {
    use serde_json::Value;
    let d = match v {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => n
                .to_string()
                .parse::<rust_decimal::Decimal>()
                .map_or_else(|_| Dynamic::from(n.to_string()), Dynamic::from_decimal),
        },
        Value::String(s) => Dynamic::from(s),
        Value::Array(a) => Dynamic::from_array(a.into_iter().map(json_value).collect()),
        Value::Object(o) => {
            Dynamic::from_map(o.into_iter().map(|(k, v)| (k.into(), json_value(v))).collect())
        }
    };
    d.into_read_only()
}

impl OrderView {
    fn products(&self) -> Array {
        (0..self.0.lines.len())
            .map(|i| Dynamic::from(ProductView(Arc::clone(&self.0), i)))
            .collect()
    }

    fn product_codes(&self) -> Array {
        self.0.lines.iter().filter_map(|p| p.code.clone()).map(Dynamic::from).collect()
    }
}

impl ProductView {
    fn get(&self) -> Option<&Line> {
        self.0.lines.get(self.1)
    }
}

/// Registers every view with its getters and helpers.
pub fn register(engine: &mut Engine) {
    register_order(engine);
    register_order_parts(engine);
    register_customer(engine);
    engine
        .register_type_with_name::<ChangeView>("StatusChange")
        .register_get("previous_status", |c: &mut ChangeView| text(c.0.previous_status.as_deref()))
        .register_get("previous_status_id", |c: &mut ChangeView| id(c.0.previous_status_id))
        .register_get("status", |c: &mut ChangeView| text(c.0.status.as_deref()))
        .register_get("status_id", |c: &mut ChangeView| id(c.0.status_id))
        .register_get("was_paid", |c: &mut ChangeView| {
            c.0.was_paid.map_or(Dynamic::UNIT, Dynamic::from_bool)
        })
        .register_get("paid", |c: &mut ChangeView| c.0.paid)
        .register_get("status_changed", |c: &mut ChangeView| c.0.status_changed())
        .register_type_with_name::<OrderRef>("OrderRef")
        .register_get("number", |r: &mut OrderRef| r.0.clone())
        .register_type_with_name::<CustomerRef>("CustomerRef")
        .register_get("id", |r: &mut CustomerRef| id(Some(r.0)));
    engine
        .register_fn("to_string", |c: &mut ChangeView| {
            format!(
                "{:?} -> {:?}",
                c.0.previous_status.as_deref().unwrap_or("?"),
                c.0.status.as_deref().unwrap_or("?")
            )
        })
        .register_fn("to_string", |r: &mut OrderRef| format!("order {}", r.0))
        .register_fn("to_string", |r: &mut CustomerRef| format!("customer {}", r.0));
}

fn register_order(engine: &mut Engine) {
    engine
        .register_type_with_name::<OrderView>("Order")
        .register_get("number", |o: &mut OrderView| o.0.number.clone())
        .register_get("id", |o: &mut OrderView| id(o.0.id))
        .register_get("status", |o: &mut OrderView| text(o.0.status.as_deref()))
        .register_get("status_id", |o: &mut OrderView| id(o.0.status_id))
        .register_get("paid", |o: &mut OrderView| o.0.paid_date.is_some())
        .register_get("paid_date", |o: &mut OrderView| {
            o.0.paid_date.map_or_else(String::new, |d| d.to_string())
        })
        .register_get("resolved", |o: &mut OrderView| o.0.resolved)
        .register_get("canceled", |o: &mut OrderView| o.0.canceled)
        .register_get("sent", |o: &mut OrderView| o.0.sent)
        .register_get("delivered", |o: &mut OrderView| o.0.delivered)
        .register_get("tracking_code", |o: &mut OrderView| text(o.0.tracking_code.as_deref()))
        .register_get("internal_note", |o: &mut OrderView| text(o.0.internal_note.as_deref()))
        .register_get("invoice_number", |o: &mut OrderView| text(o.0.invoice_number.as_deref()))
        .register_get("variable_symbol", |o: &mut OrderView| text(o.0.variable_symbol.as_deref()))
        .register_get("external_number", |o: &mut OrderView| text(o.0.external_number.as_deref()))
        .register_get("language", |o: &mut OrderView| text(o.0.language.as_deref()))
        .register_get("currency", |o: &mut OrderView| text(o.0.currency.as_deref()))
        .register_get("total", |o: &mut OrderView| amount(o.0.total))
        .register_get("weight", |o: &mut OrderView| amount(o.0.weight))
        .register_get("origin", |o: &mut OrderView| text(o.0.origin.as_deref()))
        .register_get("created", |o: &mut OrderView| {
            o.0.created.map_or_else(String::new, |d| d.to_string())
        })
        .register_get("customer", |o: &mut OrderView| OrderCustomerView(Arc::clone(&o.0)))
        .register_get("products", |o: &mut OrderView| o.products())
        .register_get("shipment", |o: &mut OrderView| ShipmentView(Arc::clone(&o.0)))
        .register_get("payment", |o: &mut OrderView| PaymentView(Arc::clone(&o.0)))
        .register_get("metas", |o: &mut OrderView| fields_map(&o.0.custom_fields))
        .register_get("api", |o: &mut OrderView| api(o.0.api.as_ref()))
        .register_fn("has_meta", |o: &mut OrderView, key: &str| {
            o.0.custom_field(key).is_some_and(|v| !v.is_empty())
        })
        .register_fn("meta", |o: &mut OrderView, key: &str| text(o.0.custom_field(key)))
        .register_fn("product_codes", |o: &mut OrderView| o.product_codes())
        .register_fn("has_product", |o: &mut OrderView, code: &str| {
            o.0.lines.iter().any(|p| p.code.as_deref() == Some(code))
        })
        .register_fn("is_cash_on_delivery", |o: &mut OrderView| is_cod(&o.0))
        .register_fn("to_string", |o: &mut OrderView| format!("order {}", o.0.number));
}

fn is_cod(o: &Order) -> bool {
    o.payment.as_ref().is_some_and(|p| p.cash_on_delivery)
}

fn register_order_parts(engine: &mut Engine) {
    engine
        .register_type_with_name::<OrderCustomerView>("OrderCustomer")
        .register_get("email", |c: &mut OrderCustomerView| text(c.0.customer.email.as_deref()))
        .register_get("phone", |c: &mut OrderCustomerView| text(c.0.customer.phone.as_deref()))
        .register_get("customer_id", |c: &mut OrderCustomerView| id(c.0.customer.customer_id))
        .register_get("firstname", |c: &mut OrderCustomerView| {
            text(c.0.customer.firstname.as_deref())
        })
        .register_get("surname", |c: &mut OrderCustomerView| text(c.0.customer.surname.as_deref()))
        .register_get("company", |c: &mut OrderCustomerView| text(c.0.customer.company.as_deref()))
        .register_get("is_company", |c: &mut OrderCustomerView| c.0.customer.is_company)
        .register_get("ico", |c: &mut OrderCustomerView| text(c.0.customer.ico.as_deref()))
        .register_get("dic", |c: &mut OrderCustomerView| text(c.0.customer.dic.as_deref()))
        .register_get("vat_payer", |c: &mut OrderCustomerView| c.0.customer.vat_payer)
        .register_get("city", |c: &mut OrderCustomerView| text(c.0.customer.city.as_deref()))
        .register_get("zip", |c: &mut OrderCustomerView| text(c.0.customer.zip.as_deref()))
        .register_get("country", |c: &mut OrderCustomerView| text(c.0.customer.country.as_deref()))
        .register_get("note", |c: &mut OrderCustomerView| text(c.0.customer.note.as_deref()))
        .register_get("is_guest", |c: &mut OrderCustomerView| c.0.customer.customer_id.is_none());
    engine
        .register_type_with_name::<ProductView>("Product")
        .register_get("code", |p: &mut ProductView| text(p.get().and_then(|p| p.code.as_deref())))
        .register_get("title", |p: &mut ProductView| text(p.get().and_then(|p| p.title.as_deref())))
        .register_get("ean", |p: &mut ProductView| text(p.get().and_then(|p| p.ean.as_deref())))
        .register_get("supplier", |p: &mut ProductView| {
            text(p.get().and_then(|p| p.supplier.as_deref()))
        })
        .register_get("unit", |p: &mut ProductView| text(p.get().and_then(|p| p.unit.as_deref())))
        .register_get("availability", |p: &mut ProductView| {
            text(p.get().and_then(|p| p.availability.as_deref()))
        })
        .register_get("kind", |p: &mut ProductView| text(p.get().and_then(|p| p.kind.as_deref())))
        .register_get("quantity", |p: &mut ProductView| amount(p.get().and_then(|p| p.quantity)))
        .register_get("price", |p: &mut ProductView| amount(p.get().and_then(|p| p.price)))
        .register_get("price_per_unit", |p: &mut ProductView| {
            amount(p.get().and_then(|p| p.price_per_unit))
        })
        .register_get("weight", |p: &mut ProductView| amount(p.get().and_then(|p| p.weight)));
    engine
        .register_type_with_name::<ShipmentView>("Shipment")
        .register_get("name", |s: &mut ShipmentView| text(shipment(s, |s| s.name.as_deref())))
        .register_get("code", |s: &mut ShipmentView| text(shipment(s, |s| s.code.as_deref())))
        .register_get("type", |s: &mut ShipmentView| text(shipment(s, |s| s.kind.as_deref())))
        .register_get("pickup_point_id", |s: &mut ShipmentView| {
            text(shipment(s, |s| s.pickup_point_id.as_deref()))
        })
        .register_get("pickup_point_name", |s: &mut ShipmentView| {
            text(shipment(s, |s| s.pickup_point_name.as_deref()))
        })
        .register_get("is_pickup_point", |s: &mut ShipmentView| {
            shipment(s, |s| s.pickup_point_id.as_deref()).is_some_and(|a| !a.is_empty())
        })
        .register_get("price", |s: &mut ShipmentView| {
            amount(s.0.shipment.as_ref().and_then(|s| s.price))
        });
    engine
        .register_type_with_name::<PaymentView>("Payment")
        .register_get("name", |p: &mut PaymentView| text(payment(p, |p| p.name.as_deref())))
        .register_get("code", |p: &mut PaymentView| text(payment(p, |p| p.code.as_deref())))
        .register_get("type", |p: &mut PaymentView| text(payment(p, |p| p.kind.as_deref())))
        .register_get("is_cash_on_delivery", |p: &mut PaymentView| is_cod(&p.0))
        .register_get("price", |p: &mut PaymentView| {
            amount(p.0.payment.as_ref().and_then(|p| p.price))
        });
}

fn shipment<'a>(
    s: &'a ShipmentView,
    f: impl Fn(&'a shopflow_core::automation::model::Shipment) -> Option<&'a str>,
) -> Option<&'a str> {
    s.0.shipment.as_ref().and_then(f)
}

fn payment<'a>(
    p: &'a PaymentView,
    f: impl Fn(&'a shopflow_core::automation::model::Payment) -> Option<&'a str>,
) -> Option<&'a str> {
    p.0.payment.as_ref().and_then(f)
}

fn register_customer(engine: &mut Engine) {
    engine
        .register_type_with_name::<CustomerView>("Customer")
        .register_get("id", |c: &mut CustomerView| id(Some(c.0.id)))
        .register_get("email", |c: &mut CustomerView| text(c.0.email.as_deref()))
        .register_get("firstname", |c: &mut CustomerView| text(c.0.firstname.as_deref()))
        .register_get("surname", |c: &mut CustomerView| text(c.0.surname.as_deref()))
        .register_get("company", |c: &mut CustomerView| text(c.0.company.as_deref()))
        .register_get("ico", |c: &mut CustomerView| text(c.0.ico.as_deref()))
        .register_get("is_company", |c: &mut CustomerView| c.0.is_company)
        .register_get("active", |c: &mut CustomerView| c.0.active)
        .register_get("blocked", |c: &mut CustomerView| c.0.blocked)
        .register_get("phone", |c: &mut CustomerView| text(c.0.phone.as_deref()))
        .register_get("language", |c: &mut CustomerView| text(c.0.language.as_deref()))
        .register_get("pricelist", |c: &mut CustomerView| text(c.0.pricelist.as_deref()))
        .register_get("note", |c: &mut CustomerView| text(c.0.note.as_deref()))
        .register_get("newsletter", |c: &mut CustomerView| c.0.newsletter)
        .register_get("groups", |c: &mut CustomerView| -> Array {
            c.0.groups.iter().map(|g| Dynamic::from(g.clone())).collect()
        })
        .register_get("created", |c: &mut CustomerView| {
            c.0.created.map_or_else(String::new, |d| d.to_string())
        })
        .register_get("metas", |c: &mut CustomerView| fields_map(&c.0.custom_fields))
        .register_get("api", |c: &mut CustomerView| api(c.0.api.as_ref()))
        .register_fn("has_meta", |c: &mut CustomerView, key: &str| {
            c.0.custom_field(key).is_some_and(|v| !v.is_empty())
        })
        .register_fn("meta", |c: &mut CustomerView, key: &str| text(c.0.custom_field(key)))
        .register_fn("in_group", |c: &mut CustomerView, name: &str| {
            c.0.groups.iter().any(|g| g.eq_ignore_ascii_case(name))
        })
        .register_fn("to_string", |c: &mut CustomerView| format!("customer {}", c.0.id));
}
