//! Orders at rest: each kept as the JSON the API would send, LZ4-compressed, plus a small
//! index to filter on.
//!
//! Keeping the wire form means a list page is assembled from stored bytes (no serializing per
//! request); compressing it (the JSON of an order is mostly repeated field names and nulls,
//! about 3.6 kB, about a fifth of that packed) keeps 100,000 orders within a few hundred
//! megabytes. An order is parsed into the core's `Order` only when a write changes it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use shopflow_core::ApiDate;
use shopflow_core::upgates::order::{ORDERS_PER_PAGE, Order, OrderBy, OrderDir, OrderListQuery};

use crate::clock::prague_offset;

/// What listing filters and sorts on, taken from the order when it is stored.
#[derive(Debug, Clone)]
pub struct OrderIndex {
    number: String,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    status_id: Option<u64>,
    paid: bool,
    language: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external: Option<String>,
    payment_type: Option<String>,
    shipment_type: Option<String>,
}

fn instant(d: Option<&ApiDate>) -> DateTime<Utc> {
    d.map_or(DateTime::<Utc>::MIN_UTC, |d| d.to_utc(prague_offset(d.naive_local().and_utc())))
}

impl OrderIndex {
    fn of(o: &Order) -> Self {
        OrderIndex {
            number: o.order_number.clone(),
            created: instant(o.creation_time.as_ref()),
            updated: instant(o.last_update_time.as_ref().or(o.creation_time.as_ref())),
            status_id: o.status_id,
            paid: o.paid_date.is_some(),
            language: o.language_id.clone(),
            email: o.customer.email.as_ref().map(|e| e.to_lowercase()),
            phone: o.customer.phone.as_ref().map(|p| digits(p)),
            external: o.external_order_number.clone().filter(|e| !e.is_empty()),
            payment_type: o
                .payment
                .as_ref()
                .and_then(|p| p.payment_type.as_ref())
                .map(ToString::to_string),
            shipment_type: o
                .shipment
                .as_ref()
                .and_then(|s| s.shipment_type.as_ref())
                .map(ToString::to_string),
        }
    }
}

/// Phone numbers compared as their digits (the filter takes MSISDN, `420777123456`).
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// One stored order.
#[derive(Debug, Clone)]
pub struct StoredOrder {
    /// The order's JSON, LZ4 block-compressed with its length in front.
    packed: Box<[u8]>,
    index: OrderIndex,
}

/// The LZ4 dictionary: orders serialized by this same code, one sparse and one full, so
/// field names, `null`s and the shop's own words compress to back-references. (Snapshots
/// hold plain JSON, so the dictionary may change between versions.)
fn dictionary() -> &'static [u8] {
    static DICT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DICT.get_or_init(|| {
        let mut dict = Vec::new();
        for order in crate::shop::template::orders() {
            dict.extend(serde_json::to_vec(&order).unwrap_or_default());
        }
        dict
    })
}

impl StoredOrder {
    fn pack(order: &Order) -> Result<Self, serde_json::Error> {
        let json = serde_json::to_vec(order)?;
        let packed = lz4_flex::block::compress_prepend_size_with_dict(&json, dictionary());
        Ok(StoredOrder { packed: packed.into_boxed_slice(), index: OrderIndex::of(order) })
    }

    /// The order as the API sends it (JSON text).
    #[must_use]
    pub fn json(&self) -> String {
        let mut out = Vec::new();
        self.unpack_into(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the order's JSON to `out`.
    fn unpack_into(&self, out: &mut Vec<u8>) {
        let Ok((size, body)) = lz4_flex::block::uncompressed_size(&self.packed) else { return };
        let start = out.len();
        out.resize(start + size, 0);
        match out
            .get_mut(start..)
            .map(|tail| lz4_flex::block::decompress_into_with_dict(body, tail, dictionary()))
        {
            Some(Ok(n)) => out.truncate(start + n),
            // We packed it ourselves; a failure here is a bug, and an empty order is the
            // least harmful answer.
            _ => out.truncate(start),
        }
    }

    /// Bytes kept for this order's JSON.
    #[must_use]
    pub fn packed_len(&self) -> usize {
        self.packed.len()
    }

    /// The order, parsed.
    #[must_use]
    pub fn order(&self) -> Option<Order> {
        let mut out = Vec::new();
        self.unpack_into(&mut out);
        serde_json::from_slice(&out).ok()
    }
}

/// All orders, in creation order, with a lookup by number.
#[derive(Debug, Default, Clone)]
pub struct OrderStore {
    orders: Vec<StoredOrder>,
    by_number: HashMap<String, usize>,
}

/// Bounds of a date filter, read the way the API documents them: `from` at or after,
/// `to` up to and including (a bare date includes its whole day).
fn lower(d: &ApiDate) -> DateTime<Utc> {
    d.to_utc(prague_offset(d.naive_local().and_utc()))
}

fn upper(d: &ApiDate) -> DateTime<Utc> {
    let at = lower(d);
    match d {
        ApiDate::Date(_) => at + Duration::days(1) - Duration::nanoseconds(1),
        _ => at,
    }
}

impl OrderStore {
    /// How many orders.
    #[must_use]
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// Whether an order exists.
    #[must_use]
    pub fn contains(&self, number: &str) -> bool {
        self.by_number.contains_key(number)
    }

    /// An order, parsed.
    #[must_use]
    pub fn get(&self, number: &str) -> Option<Order> {
        let i = *self.by_number.get(number)?;
        self.orders.get(i).and_then(StoredOrder::order)
    }

    /// The stored JSON of an order.
    #[must_use]
    pub fn raw(&self, number: &str) -> Option<&StoredOrder> {
        self.by_number.get(number).and_then(|&i| self.orders.get(i))
    }

    /// Stores an order, replacing the one with the same number.
    ///
    /// # Errors
    /// When the order cannot be written as JSON (it always can; kept honest).
    pub fn put(&mut self, order: &Order) -> Result<(), serde_json::Error> {
        let stored = StoredOrder::pack(order)?;
        match self.by_number.get(&order.order_number) {
            Some(&i) => {
                if let Some(slot) = self.orders.get_mut(i) {
                    *slot = stored;
                }
            }
            None => {
                self.by_number.insert(order.order_number.clone(), self.orders.len());
                self.orders.push(stored);
            }
        }
        Ok(())
    }

    /// Removes orders; returns which numbers existed.
    pub fn remove(&mut self, numbers: &[&str]) -> Vec<bool> {
        let found: Vec<bool> = numbers.iter().map(|n| self.by_number.contains_key(*n)).collect();
        if found.iter().any(|f| *f) {
            let gone: std::collections::HashSet<&str> = numbers.iter().copied().collect();
            self.orders.retain(|o| !gone.contains(o.index.number.as_str()));
            self.by_number =
                self.orders.iter().enumerate().map(|(i, o)| (o.index.number.clone(), i)).collect();
        }
        found
    }

    /// Every stored order (for snapshots).
    pub fn iter(&self) -> impl Iterator<Item = &StoredOrder> {
        self.orders.iter()
    }

    /// The orders a query selects, in the order it asks for. `status_ids_named` maps a
    /// status name (any language) to the ids it names.
    #[must_use]
    pub fn select(
        &self,
        q: &OrderListQuery,
        status_ids_named: &dyn Fn(&str) -> Vec<u64>,
    ) -> Vec<&StoredOrder> {
        let numbers: Vec<&str> =
            q.order_number.iter().chain(&q.order_numbers).map(String::as_str).collect();
        let named_status = q
            .status
            .as_deref()
            .map(|s| if s.is_empty() { None } else { Some(status_ids_named(s)) });
        let from = q.creation_time_from.as_ref().map(lower);
        let to = q.creation_time_to.as_ref().map(upper);
        let updated_from = q.last_update_time_from.as_ref().map(lower);
        let email = q.email.as_ref().map(|e| e.to_lowercase());
        let phone = q.phone.as_deref().map(digits);
        let payment = q.payment_type.as_ref().map(ToString::to_string);
        let shipment = q.shipment_type.as_ref().map(ToString::to_string);

        let keep = |o: &&StoredOrder| {
            let i = &o.index;
            from.is_none_or(|f| i.created >= f)
                && to.is_none_or(|t| i.created <= t)
                && updated_from.is_none_or(|f| i.updated >= f)
                && q.paid_yn.is_none_or(|p| i.paid == p)
                && match &named_status {
                    None => true,
                    Some(None) => i.status_id.is_none(),
                    Some(Some(ids)) => i.status_id.is_some_and(|s| ids.contains(&s)),
                }
                && q.status_id.is_none_or(|s| i.status_id == Some(s))
                && (q.status_ids.is_empty()
                    || i.status_id.is_some_and(|s| q.status_ids.contains(&s)))
                && q.language.as_ref().is_none_or(|l| i.language.as_ref() == Some(l))
                && email.as_ref().is_none_or(|e| i.email.as_ref() == Some(e))
                && phone.as_ref().is_none_or(|p| i.phone.as_ref() == Some(p))
                && q.external_order_number.as_ref().is_none_or(|e| i.external.as_ref() == Some(e))
                && payment.as_ref().is_none_or(|p| i.payment_type.as_ref() == Some(p))
                && shipment.as_ref().is_none_or(|s| i.shipment_type.as_ref() == Some(s))
        };

        let mut selected: Vec<&StoredOrder> = if numbers.is_empty() {
            self.orders.iter().filter(keep).collect()
        } else {
            // Named orders come in creation order, each once, like any other listing.
            let mut at: Vec<usize> =
                numbers.iter().filter_map(|n| self.by_number.get(*n).copied()).collect();
            at.sort_unstable();
            at.dedup();
            at.into_iter().filter_map(|i| self.orders.get(i)).filter(keep).collect()
        };
        let descending = q.order_dir == Some(OrderDir::Desc);
        match q.order_by {
            Some(OrderBy::LastUpdateTime) => selected.sort_by_key(|o| o.index.updated),
            Some(OrderBy::CreationTime) => selected.sort_by_key(|o| o.index.created),
            _ => {}
        }
        if descending {
            selected.reverse();
        }
        selected
    }

    /// One page of `GET /orders` as the API writes it, built from the stored JSON.
    #[must_use]
    pub fn page_json(
        &self,
        q: &OrderListQuery,
        status_ids_named: &dyn Fn(&str) -> Vec<u64>,
    ) -> Vec<u8> {
        // Unfiltered, default-ordered pages are slices: no scan of the whole shop.
        let unfiltered = q.clone().with_page(1) == OrderListQuery::default().with_page(1);
        let per_page = ORDERS_PER_PAGE as usize;
        let page = q.page.unwrap_or(1).max(1) as usize;
        let (total, items): (usize, Vec<&StoredOrder>) = if unfiltered {
            let start = (page - 1).saturating_mul(per_page).min(self.orders.len());
            let end = start.saturating_add(per_page).min(self.orders.len());
            (self.orders.len(), self.orders.get(start..end).unwrap_or_default().iter().collect())
        } else {
            let all = self.select(q, status_ids_named);
            let start = (page - 1).saturating_mul(per_page).min(all.len());
            let items = all.iter().skip(start).take(per_page).copied().collect();
            (all.len(), items)
        };
        let pages = total.div_ceil(per_page);
        let mut out = Vec::with_capacity(items.len() * 4096 + 128);
        out.extend_from_slice(
            format!(
                "{{\"current_page\":{page},\"current_page_items\":{},\"number_of_pages\":{pages},\"number_of_items\":{total},\"orders\":[",
                items.len()
            )
            .as_bytes(),
        );
        for (i, o) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            o.unpack_into(&mut out);
        }
        out.extend_from_slice(b"]}");
        out
    }
}
