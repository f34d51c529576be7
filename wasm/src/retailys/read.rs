//! Reading Retailys answers for JavaScript: one record (`order`, `id`, `me`) as normalized
//! JSON text, or one page of a list (`orders`, `statuses`, `shippers`, `events`) as the
//! package's page shape (`items`, paging, `nextPage`, `progress`), the core's stop rules
//! deciding the next page. A body that does not read is `BAD_RESPONSE` with its JSON path.

use serde::Serialize;
use serde::de::DeserializeOwned;
use shopflow_core::json;
use shopflow_core::pagination::Page;
use shopflow_core::retailys::ApiError;
use shopflow_core::retailys::events::EventsModel;
use shopflow_core::retailys::lookups::{MeModel, ShippersModel};
use shopflow_core::retailys::order::{IdModel, OrderModel, OrdersModel};
use shopflow_core::retailys::paginator::PaginatorModel;
use shopflow_core::retailys::status::OrderStatusesModel;

use crate::envelope::{ErrorInfo, err, ok};
use crate::parse::paged;

/// Whether answers of `kind` are pages of a list (where a 404 means that nothing matched).
pub(crate) fn is_list(kind: &str) -> bool {
    matches!(kind, "orders" | "statuses" | "shippers" | "events")
}

/// The answer `body` read as `kind`, as envelope text.
pub(crate) fn read(kind: &str, body: &[u8]) -> String {
    match kind {
        "order" => record::<OrderModel>(body),
        "id" => record::<IdModel>(body),
        "me" => record::<MeModel>(body),
        "orders" => list(body, |m: OrdersModel| (m.paginator, m.into_page())),
        "statuses" => list(body, |m: OrderStatusesModel| (m.paginator, m.into_page())),
        "shippers" => list(body, |m: ShippersModel| (m.paginator, m.into_page())),
        "events" => list(body, |m: EventsModel| (m.paginator, m.into_page())),
        other => err(&ErrorInfo::validation(format!("{other:?} is not a Retailys answer kind"))),
    }
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ErrorInfo> {
    json::from_slice(body).map_err(|e| ErrorInfo::from(&ApiError::Decode(e)))
}

fn record<T: DeserializeOwned + Serialize>(body: &[u8]) -> String {
    match decode::<T>(body) {
        Ok(v) => ok(&v),
        Err(e) => err(&e),
    }
}

/// A list envelope as a page; progress counts full pages of the paginator's `per_page`.
fn list<L: DeserializeOwned, T: Serialize>(
    body: &[u8],
    split: fn(L) -> (Option<PaginatorModel>, Page<T>),
) -> String {
    match decode::<L>(body) {
        Ok(model) => {
            let (paginator, page) = split(model);
            let per_page = paginator
                .and_then(|p| p.per_page)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(u32::try_from(page.items.len()).unwrap_or(u32::MAX));
            ok(&paged(page, per_page))
        }
        Err(e) => err(&e),
    }
}
