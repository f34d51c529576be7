//! What `/order-statuses` (and the retired `/orders/states`) does.

use serde_json::json;
use shopflow_core::upgates::order_status::{
    OrderStatus, OrderStatusList, OrderStatusResult, OrderStatusType, OrderStatusWrite,
    OrderStatusWriteResponse,
};

use super::{Shop, error};
use crate::clock;

impl Shop {
    /// The id of the status with this name in any language (case-insensitive).
    #[must_use]
    pub fn status_by_name(&self, name: &str) -> Option<u64> {
        self.statuses.values().find(|s| s.has_name(name)).and_then(|s| s.id)
    }

    /// Every status id a name names (for the `status` filter).
    #[must_use]
    pub fn status_ids_named(&self, name: &str) -> Vec<u64> {
        self.statuses.values().filter(|s| s.has_name(name)).filter_map(|s| s.id).collect()
    }

    /// A status's name in a language, else in Czech, else any.
    #[must_use]
    pub fn status_name(&self, id: u64, language: &str) -> String {
        let Some(s) = self.statuses.get(&id) else { return String::new() };
        s.name_in(language)
            .or_else(|| s.name_in("cs"))
            .or_else(|| s.descriptions.iter().find_map(|d| d.name.as_deref()))
            .unwrap_or_default()
            .to_owned()
    }

    /// `GET /order-statuses[/{id}][?type=]`.
    #[must_use]
    pub fn list_statuses(
        &self,
        id: Option<u64>,
        status_type: Option<&OrderStatusType>,
    ) -> OrderStatusList {
        let mut list = OrderStatusList::default();
        list.order_statuses = self
            .statuses
            .values()
            .filter(|s| id.is_none_or(|id| s.id == Some(id)))
            .filter(|s| status_type.is_none_or(|t| s.status_type.as_ref() == Some(t)))
            .cloned()
            .collect();
        list
    }

    /// `GET /orders/states`: the retired shape (`type` null for the shop's own statuses).
    #[must_use]
    pub fn legacy_states(&self) -> serde_json::Value {
        let states: Vec<serde_json::Value> = self
            .statuses
            .values()
            .map(|s| {
                let names: serde_json::Map<String, serde_json::Value> = s
                    .descriptions
                    .iter()
                    .filter_map(|d| Some((d.language_id.clone()?, json!(d.name.clone()?))))
                    .collect();
                let t = s
                    .status_type
                    .as_ref()
                    .filter(|t| **t != OrderStatusType::Custom)
                    .map(ToString::to_string);
                json!({"id": s.id, "type": t, "color": s.color, "names": names})
            })
            .collect();
        json!({ "states": states })
    }

    /// `POST /order-statuses`: a new status, always of type `Custom`.
    pub fn create_status(&mut self, w: &OrderStatusWrite) -> OrderStatusWriteResponse {
        let mut result = OrderStatusResult::default();
        if w.descriptions.iter().all(|d| d.name.as_deref().is_none_or(str::is_empty)) {
            result.created_yn = Some(false);
            result.messages.push(error(
                "order_status",
                "descriptions",
                "At least one name is required.",
            ));
            return response(result);
        }
        self.seq.status += 1;
        let id = self.seq.status;
        let mut s = OrderStatus::default();
        s.id = Some(id);
        s.status_type = Some(OrderStatusType::Custom);
        self.write_status_fields(&mut s, w);
        s.creation_time = Some(clock::now());
        self.statuses.insert(id, s);
        result.id = Some(id);
        result.created_yn = Some(true);
        response(result)
    }

    /// `PUT /order-statuses`.
    pub fn update_status(&mut self, w: &OrderStatusWrite) -> OrderStatusWriteResponse {
        let mut result = OrderStatusResult::default();
        result.id = w.id;
        let Some(mut s) = w.id.and_then(|id| self.statuses.get(&id).cloned()) else {
            result.updated_yn = Some(false);
            result.messages.push(error(
                "order_status",
                "id",
                format!("Order status {:?} does not exist.", w.id),
            ));
            return response(result);
        };
        self.write_status_fields(&mut s, w);
        if let Some(id) = s.id {
            self.statuses.insert(id, s);
        }
        result.updated_yn = Some(true);
        response(result)
    }

    /// `DELETE /order-statuses/{id}`: only the shop's own statuses can go.
    pub fn delete_status(&mut self, id: u64) -> OrderStatusWriteResponse {
        let mut result = OrderStatusResult::default();
        result.id = Some(id);
        match self.statuses.get(&id).and_then(|s| s.status_type.clone()) {
            None => {
                result.deleted_yn = Some(false);
                result.messages.push(error(
                    "order_status",
                    "id",
                    format!("Order status {id} does not exist."),
                ));
            }
            Some(t) if t != OrderStatusType::Custom => {
                result.deleted_yn = Some(false);
                result.messages.push(error(
                    "order_status",
                    "type",
                    format!("A system status ({t}) cannot be deleted."),
                ));
            }
            Some(_) => {
                self.statuses.remove(&id);
                result.deleted_yn = Some(true);
            }
        }
        response(result)
    }

    fn write_status_fields(&self, s: &mut OrderStatus, w: &OrderStatusWrite) {
        if w.color.is_some() {
            s.color.clone_from(&w.color);
        }
        if !w.descriptions.is_empty() {
            s.descriptions.clone_from(&w.descriptions);
        }
        if let Some(b) = w.mark_paid_yn {
            s.mark_paid_yn = b;
        }
        if let Some(b) = w.mark_resolved_yn {
            s.mark_resolved_yn = b;
        }
        s.last_update_time = Some(clock::now());
    }
}

fn response(result: OrderStatusResult) -> OrderStatusWriteResponse {
    let mut r = OrderStatusWriteResponse::default();
    r.order_status = Some(result);
    r
}
