//! Reading documents: API answers by kind, webhook bodies, validation, per-item outcomes.

use serde::Deserialize;
use shopflow_core::json;
use shopflow_core::upgates::customer::{
    CustomersCreateResponse, CustomersDeleteResponse, CustomersUpdateResponse,
};
use shopflow_core::upgates::kinds::{self, ParseKind, ValidateKind};
use shopflow_core::upgates::legacy::LegacyUpdateRequest;
use shopflow_core::upgates::message::{ItemOutcome, ItemResult, reconcile as core_reconcile};
use shopflow_core::upgates::order::{
    OrdersCreateResponse, OrdersDeleteResponse, OrdersUpdateResponse,
};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::envelope::{ErrorInfo, answer, err};

fn kind<T: std::str::FromStr<Err = kinds::UnknownKind>>(name: &str) -> Result<T, ErrorInfo> {
    name.parse().map_err(|e: kinds::UnknownKind| ErrorInfo::new("VALIDATION", e.to_string()))
}

/// A document of kind `kind_name` (`order-list`, `order-update-response`, …), normalized. A
/// list (`order-list`, `customer-list`) reads as the page `list()` gives (see [`page`]), so
/// a page parsed from a stored answer and one fetched are the same shape.
#[wasm_bindgen]
#[must_use]
pub fn parse(kind_name: &str, body: &[u8]) -> String {
    let result = kind::<ParseKind>(kind_name).and_then(|k| {
        if let Some(list) = paged_list(k) {
            return Ok(page(list, body));
        }
        kinds::parse_unredacted(k, body, None)
            // The document is JSON text already: wrap it rather than parse and write it again.
            .map(|text| format!("{{\"ok\":{text}}}"))
            .map_err(|e| match e {
                kinds::ParseError::Json(j) => ErrorInfo::from(j),
                kinds::ParseError::Webhook(w) => ErrorInfo::from(w),
                other => ErrorInfo::new("VALIDATION", other.to_string()),
            })
    });
    result.unwrap_or_else(|e| err(&e))
}

/// The name [`page`] reads a kind by, when the kind is a paged list.
fn paged_list(kind: ParseKind) -> Option<&'static str> {
    match kind {
        ParseKind::OrderList | ParseKind::CustomerList => Some(kind.name()),
        _ => None,
    }
}

/// Every problem with a request document of kind `kind_name` (`order-update-request`, …):
/// `[]` when it can be sent.
#[wasm_bindgen]
#[must_use]
pub fn validate(kind_name: &str, body: &[u8]) -> String {
    answer(
        kind::<ValidateKind>(kind_name)
            .and_then(|k| kinds::validate(k, body).map_err(ErrorInfo::from)),
    )
}

/// Lines up a write's per-item results (`response_kind`: `order-create-response`,
/// `order-update-response`, `order-delete-response`, `customer-*-response`) with the keys
/// that were sent; a missing result is a failure. `offset` is the chunk's start.
#[wasm_bindgen]
#[must_use]
pub fn reconcile(response_kind: &str, keys_json: &str, body: &[u8], offset: usize) -> String {
    #[derive(Deserialize)]
    struct Keys(Vec<Option<String>>);
    let result = (|| -> Result<Vec<ItemOutcome>, ErrorInfo> {
        let keys: Keys = json::from_str(keys_json)?;
        fn line_up<R: ItemResult + serde::de::DeserializeOwned>(
            keys: &[Option<String>],
            items: Vec<R>,
            offset: usize,
        ) -> Vec<ItemOutcome> {
            core_reconcile(keys, &items, offset)
        }
        Ok(match kind::<ParseKind>(response_kind)? {
            ParseKind::OrderCreateResponse => {
                line_up(&keys.0, json::from_slice::<OrdersCreateResponse>(body)?.orders, offset)
            }
            ParseKind::OrderUpdateResponse => {
                line_up(&keys.0, json::from_slice::<OrdersUpdateResponse>(body)?.orders, offset)
            }
            ParseKind::OrderDeleteResponse => {
                line_up(&keys.0, json::from_slice::<OrdersDeleteResponse>(body)?.orders, offset)
            }
            ParseKind::CustomerCreateResponse => line_up(
                &keys.0,
                json::from_slice::<CustomersCreateResponse>(body)?.customers,
                offset,
            ),
            ParseKind::CustomerUpdateResponse => line_up(
                &keys.0,
                json::from_slice::<CustomersUpdateResponse>(body)?.customers,
                offset,
            ),
            ParseKind::CustomerDeleteResponse => line_up(
                &keys.0,
                json::from_slice::<CustomersDeleteResponse>(body)?.customers,
                offset,
            ),
            other => {
                return Err(ErrorInfo::new(
                    "VALIDATION",
                    format!("no per-item results in {:?}", other.name()),
                ));
            }
        })
    })();
    answer(result)
}

/// A legacy order-state request as v2 `PUT /orders` bodies of at most 100 orders.
#[wasm_bindgen(js_name = legacyToV2)]
#[must_use]
pub fn legacy_to_v2(body: &[u8]) -> String {
    let result =
        json::from_slice::<LegacyUpdateRequest>(body).map_err(ErrorInfo::from).and_then(|legacy| {
            let chunks = legacy.to_v2().map_err(ErrorInfo::from)?;
            Ok(chunks.into_iter().map(|c| c.request).collect::<Vec<_>>())
        });
    answer(result)
}

/// A page as JavaScript receives it: its items, the paging fields with the server's
/// omissions filled in, `nextPage` (null after the last) and `progress`. Both clients' lists.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Paged<T: serde::Serialize> {
    #[serde(flatten)]
    page: shopflow_core::pagination::Page<T>,
    next_page: Option<u32>,
    progress: shopflow_core::pagination::Progress,
}

/// `page` with its next page and progress (`per_page` items on every earlier page).
pub(crate) fn paged<T: serde::Serialize>(
    page: shopflow_core::pagination::Page<T>,
    per_page: u32,
) -> Paged<T> {
    Paged { next_page: page.next_page(), progress: page.progress(per_page), page }
}

/// A list answer (`order-list` or `customer-list`) as a page: its items, the paging fields
/// with the server's omissions filled in, and `nextPage` (null after the last), per the
/// core's stop rules (`current_page >= number_of_pages`, zero pages, missing counts).
#[wasm_bindgen]
#[must_use]
pub fn page(kind_name: &str, body: &[u8]) -> String {
    use shopflow_core::upgates::customer::CustomerList;
    use shopflow_core::upgates::order::OrderList;

    match kind_name {
        "order-list" => order_page(body).unwrap_or_else(|| {
            page_of(body, OrderList::into_page, shopflow_core::upgates::order::ORDERS_PER_PAGE)
        }),
        "customer-list" => page_of(
            body,
            CustomerList::into_page,
            shopflow_core::upgates::customer::CUSTOMERS_PER_PAGE,
        ),
        other => err(&ErrorInfo::new("VALIDATION", format!("{other:?} is not a paged list"))),
    }
}

/// An order-list page written by the field tables (`order_page_text`), or `None` when the
/// typed reading must read it (a refusal, or a shape the tables leave to it). The answer is
/// [`paged`]'s, with the orders' text in place of its empty `items`.
#[inline(never)]
fn order_page(body: &[u8]) -> Option<String> {
    let text = shopflow_core::upgates::order::order_page_text(body).ok()?;
    let mut page = paged(text.page, shopflow_core::upgates::order::ORDERS_PER_PAGE);
    page.page.items = Vec::new();
    let empty = crate::envelope::ok(&page);
    // `items` is the first key: `flatten` writes the page's own fields first, in order.
    let rest = empty.strip_prefix(r#"{"ok":{"items":[]"#)?;
    let mut answer = String::with_capacity(text.items.len() + empty.len());
    answer.push_str(r#"{"ok":{"items":"#);
    answer.push_str(&text.items);
    answer.push_str(rest);
    Some(answer)
}

/// One list kind's page, a function of its own per kind (see `kinds::normalized`: the first
/// page of orders compiles the orders' code only).
#[inline(never)]
fn page_of<L: serde::de::DeserializeOwned, T: serde::Serialize>(
    body: &[u8],
    into_page: fn(L) -> shopflow_core::pagination::Page<T>,
    per_page: u32,
) -> String {
    answer(
        json::from_slice::<L>(body).map(|l| paged(into_page(l), per_page)).map_err(ErrorInfo::from),
    )
}

#[cfg(test)]
mod tests {
    use super::{order_page, page_of};
    use shopflow_core::upgates::order::{ORDERS_PER_PAGE, OrderList};

    /// The order page's fast way is the one taken for ordinary answers (it gives up with
    /// `None` on anything unexpected, which would quietly cost the speed it is for), and it
    /// answers what the typed reading answers, envelope and paging included.
    #[test]
    fn order_pages_take_the_field_tables_and_answer_as_the_typed_reading() {
        for body in [
            include_str!("../../fixtures/upgates/order-list.json"),
            include_str!("../../fixtures/upgates/order-list-page-2-of-3.json"),
        ] {
            let fast = order_page(body.as_bytes());
            assert!(fast.is_some(), "the field tables gave this page up: {body}");
            let typed = page_of(body.as_bytes(), OrderList::into_page, ORDERS_PER_PAGE);
            assert_eq!(fast.as_deref(), Some(typed.as_str()));
        }
    }
}
