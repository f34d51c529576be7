//! Prints TypeScript declarations of every model the npm package exchanges, generated from
//! the Rust types (the JSON shapes serde writes and reads): `models.d.ts` of the package
//! (Upgates), or with the argument `retailys`, `retailys.d.ts` (the Retailys models; a module
//! of its own, because both platforms have an `OrderListQuery`, a `HistoryRecord`, …).
//!
//! `cargo run -p shopflow-core --example export-ts --features ts > models.d.ts`
//! `cargo run -p shopflow-core --example export-ts --features ts -- retailys > retailys.d.ts`
//!
//! Integers are `number`: every Upgates id is a 32-bit database id, and Retailys ids are
//! database ids too, far below 2^53.

use std::any::TypeId;
use std::collections::BTreeMap;

use shopflow_core::pagination::{Page, Progress};
use shopflow_core::rate_limit::RateBudget;
use shopflow_core::retailys::events::{EventModel, EventPostRequest, EventPutRequest, EventsModel};
use shopflow_core::retailys::lookups::{MeModel, ShipperModel, ShippersModel};
use shopflow_core::retailys::order::{ErrorModel, IdModel, OrderModel, OrdersModel};
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderItemRequest, OrderPaidPatchRequest, OrderPostRequest, OrderPutRequest,
    OrderStatusPatchRequest, TrackingPostRequest,
};
use shopflow_core::retailys::status::{OrderStatusModel, OrderStatusesModel};
use shopflow_core::upgates::api_status::ApiStatus;
use shopflow_core::upgates::customer::{
    Customer, CustomerAccountWrite, CustomerDeleteQuery, CustomerList, CustomerListQuery,
    CustomersCreateResponse, CustomersDeleteResponse, CustomersUpdateResponse,
    CustomersWriteRequest,
};
use shopflow_core::upgates::legacy::{LegacyUpdateRequest, LegacyUpdateResponse};
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::order::{
    HistoryAddRequest, HistoryAddResponse, NewOrder, Order, OrderCreateRequest, OrderDeleteQuery,
    OrderHistory, OrderList, OrderListQuery, OrderUpdate, OrderUpdateRequest, OrdersCreateResponse,
    OrdersDeleteResponse, OrdersUpdateResponse,
};
use shopflow_core::upgates::order_status::{
    OrderStatusList, OrderStatusWrite, OrderStatusWriteResponse,
};
use shopflow_core::upgates::php_datetime::PhpDateTime;
use shopflow_core::upgates::webhook::management::WebhookEventList;
use shopflow_core::upgates::webhook::{
    Webhook, WebhookBatch, WebhookCreate, WebhookDeleteResponse, WebhookList, WebhookResponse,
    WebhookUpdate,
};
use shopflow_core::validation::Problem;
use ts_rs::{Config, TS, TypeVisitor};

/// Collects the declaration of every named type reachable from the roots.
struct Collect<'a> {
    cfg: &'a Config,
    decls: BTreeMap<String, String>,
    seen: Vec<TypeId>,
}

impl TypeVisitor for Collect<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        let id = TypeId::of::<T>();
        if self.seen.contains(&id) {
            return;
        }
        self.seen.push(id);
        // Types without a declaration of their own (primitives, inlined unions) are skipped.
        if let Ok(decl) = std::panic::catch_unwind(|| T::decl(self.cfg)) {
            self.decls.insert(T::ident(self.cfg), decl);
        }
        T::visit_dependencies(self);
    }
}

/// The Upgates models (`models.d.ts`).
fn upgates(c: &mut Collect<'_>) {
    macro_rules! roots { ($($t:ty),* $(,)?) => { $( c.visit::<$t>(); )* }; }
    roots!(
        Order,
        OrderList,
        OrderListQuery,
        OrderCreateRequest,
        NewOrder,
        OrderUpdateRequest,
        OrderUpdate,
        OrderDeleteQuery,
        OrdersCreateResponse,
        OrdersUpdateResponse,
        OrdersDeleteResponse,
        OrderHistory,
        HistoryAddRequest,
        HistoryAddResponse,
        OrderStatusList,
        OrderStatusWrite,
        OrderStatusWriteResponse,
        Customer,
        CustomerList,
        CustomerListQuery,
        CustomersWriteRequest,
        CustomerAccountWrite,
        CustomerDeleteQuery,
        CustomersCreateResponse,
        CustomersUpdateResponse,
        CustomersDeleteResponse,
        Webhook,
        WebhookList,
        WebhookCreate,
        WebhookUpdate,
        WebhookResponse,
        WebhookDeleteResponse,
        WebhookEventList,
        WebhookBatch,
        ApiStatus,
        LegacyUpdateRequest,
        LegacyUpdateResponse,
        Problem,
        ItemOutcome,
        RateBudget,
        Progress,
        PhpDateTime,
        Page<Order>,
    );
}

/// The Retailys models (`retailys.d.ts`): what `RetailysClient` reads and sends.
fn retailys(c: &mut Collect<'_>) {
    macro_rules! roots { ($($t:ty),* $(,)?) => { $( c.visit::<$t>(); )* }; }
    roots!(
        OrderModel,
        OrdersModel,
        OrderPostRequest,
        OrderPutRequest,
        OrderItemRequest,
        OrderStatusPatchRequest,
        OrderPaidPatchRequest,
        TrackingPostRequest,
        HistoryPostRequest,
        OrderStatusModel,
        OrderStatusesModel,
        ShipperModel,
        ShippersModel,
        MeModel,
        EventModel,
        EventsModel,
        EventPostRequest,
        EventPutRequest,
        IdModel,
        ErrorModel,
        Progress,
        Page<OrderModel>,
    );
}

fn main() {
    let cfg = Config::new().with_large_int("number");
    let mut c = Collect { cfg: &cfg, decls: BTreeMap::new(), seen: Vec::new() };
    std::panic::set_hook(Box::new(|_| {}));
    let which = std::env::args().nth(1).unwrap_or_default();
    if which == "retailys" {
        retailys(&mut c);
    } else {
        upgates(&mut c);
    }
    let _ = std::panic::take_hook();
    let tail = if which == "retailys" { " -- retailys" } else { "" };
    println!(
        "// Generated from shopflow-core's Rust types (cargo run -p shopflow-core --example export-ts --features ts{tail})."
    );
    println!("// Do not edit: change the Rust types instead.\n");
    for decl in c.decls.values() {
        println!("export {decl}\n");
    }
}
