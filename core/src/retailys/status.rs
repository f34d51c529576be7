//! Order statuses: `GET /System/Orders/Statuses` (§2.3, §3.7).
//!
//! Statuses are the shop's own, with per-shop ids; a status may also complete or cancel the
//! order it is set on. Orders do not report their status (§3.1), so these ids are used to
//! set one (`PATCH …/status`) and to filter the list (`status_id=`).

use serde::{Deserialize, Serialize};

use crate::lenient::{list, object, optional as opt};
use crate::pagination::Page;
use crate::retailys::expandable::Identified;
use crate::retailys::paginator::{PaginatorModel, page_of};

/// `OrderStatusModel`: a status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusModel {
    /// Status id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Name, in the admin's language.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Icon.
    #[serde(default, deserialize_with = "opt")]
    pub icon: Option<String>,
    /// Colour.
    #[serde(default, deserialize_with = "opt")]
    pub color: Option<String>,
    /// Sort order.
    #[serde(default, deserialize_with = "opt")]
    pub sort: Option<i64>,
    /// Setting this status completes the order.
    #[serde(default, deserialize_with = "opt")]
    pub complete_order: Option<bool>,
    /// Setting this status cancels the order.
    #[serde(default, deserialize_with = "opt")]
    pub cancel_order: Option<bool>,
}

impl OrderStatusModel {
    /// Whether setting it completes the order (absent reads as no).
    #[must_use]
    pub fn completes(&self) -> bool {
        self.complete_order.unwrap_or(false)
    }

    /// Whether setting it cancels the order (absent reads as no).
    #[must_use]
    pub fn cancels(&self) -> bool {
        self.cancel_order.unwrap_or(false)
    }

    /// Whether `name` is this status's name, compared without regard to case (Czech
    /// letters included) or surrounding spaces.
    #[must_use]
    pub fn has_name(&self, name: &str) -> bool {
        let wanted = name.trim().to_lowercase();
        self.name.as_deref().is_some_and(|n| n.trim().to_lowercase() == wanted)
    }
}

impl Identified for OrderStatusModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `OrderStatusesModel`: one page of statuses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusesModel {
    /// Paging.
    #[serde(default, deserialize_with = "object")]
    pub paginator: Option<PaginatorModel>,
    /// The statuses.
    #[serde(default, deserialize_with = "list")]
    pub statuses: Vec<OrderStatusModel>,
}

impl OrderStatusesModel {
    /// The page; what the paginator leaves out is filled in.
    #[must_use]
    pub fn into_page(self) -> Page<OrderStatusModel> {
        page_of(self.paginator.as_ref(), self.statuses)
    }

    /// The status with this id.
    #[must_use]
    pub fn get(&self, id: i64) -> Option<&OrderStatusModel> {
        self.statuses.iter().find(|s| s.id == Some(id))
    }

    /// The status with this name ([`OrderStatusModel::has_name`]).
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<&OrderStatusModel> {
        self.statuses.iter().find(|s| s.has_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_id_and_name() {
        let list: OrderStatusesModel = serde_json::from_str(
            r#"{"statuses": [{"id": "4", "name": "Odesláno", "complete_order": 1}, {"id": 9, "name": "Storno", "cancel_order": "true"}]}"#,
        )
        .unwrap();
        assert!(list.get(4).is_some_and(OrderStatusModel::completes));
        assert!(list.by_name(" ODESLÁNO ").is_some_and(|s| s.id == Some(4)));
        assert!(list.get(9).is_some_and(|s| s.cancels() && !s.completes()));
        assert!(list.get(1).is_none());
    }
}
