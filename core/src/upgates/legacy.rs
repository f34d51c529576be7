//! The legacy order-state API (`POST /api/orders/state/update`, retired 31.3.2019).
//!
//! Old integrations still produce its requests; shopflow reads them and converts them to
//! `PUT /api/v2/orders` so they can be replayed against the current API. The request
//! carries the API key in its body, so the key is a [`Secret`] and never leaves this type.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::batch::{Chunk, MAX_ITEMS_PER_REQUEST, chunk};
use crate::lenient::{list, optional as opt};
use crate::secret::Secret;
use crate::upgates::meta::MetaWrite;
use crate::upgates::order::update::{OrderUpdate, OrderUpdateRequest, PaidDate};
use crate::validation::{At, NOTHING, Problem, Problems, Validate};

/// A legacy status-update request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LegacyUpdateRequest {
    /// The shop's API key (required). Never printed.
    #[serde(rename = "apiKey", default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// Send status e-mails; the legacy default was `true`.
    #[serde(
        rename = "sendEmails",
        default,
        deserialize_with = "opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub send_emails: Option<bool>,
    /// The orders.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<LegacyOrder>,
}

/// One order's changes in a legacy request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LegacyOrder {
    /// The order (required; it must exist).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// New status, by name (it must exist).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A date marks the order paid; an empty value marks it unpaid; absent leaves it alone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub paid_date: Option<PaidDate>,
    /// Resolved flag.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub resolved_yn: Option<bool>,
    /// Carrier tracking code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// Custom fields: `value` (all languages) or `values` keyed by language.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub metas: Vec<MetaWrite>,
}

impl LegacyOrder {
    fn to_v2(&self) -> OrderUpdate {
        let mut u = OrderUpdate::default();
        u.order_number.clone_from(&self.order_number);
        u.status.clone_from(&self.status);
        u.paid_date = self.paid_date;
        u.resolved_yn = self.resolved_yn;
        u.tracking_code.clone_from(&self.tracking_code);
        // "Only one of value and values; if both are given, value is used."
        u.metas = self
            .metas
            .iter()
            .map(|m| match &m.value {
                Some(v) => {
                    MetaWrite { key: m.key.clone(), value: Some(v.clone()), values: Vec::new() }
                }
                None => m.clone(),
            })
            .collect();
        u
    }
}

impl Validate for LegacyUpdateRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        if self.api_key.as_ref().is_none_or(Secret::is_empty) {
            out.push(root.field("apiKey").problem("the shop's API key", NOTHING));
        }
        if self.orders.is_empty() {
            out.push(root.field("orders").problem("at least one order", "an empty list"));
        }
        for (i, o) in self.orders.iter().enumerate() {
            let at = At::record("orders", i, o.order_number.as_deref());
            at.field("order_number").require_text(
                o.order_number.as_deref(),
                "the number of an existing order",
                out,
            );
            for (j, m) in o.metas.iter().enumerate() {
                m.collect_problems(&at.index("metas", j), out);
            }
        }
    }
}

impl LegacyUpdateRequest {
    /// The same changes as v2 `PUT /orders` requests of at most 100 orders each.
    ///
    /// E-mails follow the legacy `sendEmails` (absent meant `true`, and stays `true` so the
    /// replay does what the old call did); SMS did not exist then, so it is `false`.
    ///
    /// # Errors
    /// [`Problems`] when the legacy request is invalid (no key, no orders, no order number).
    pub fn to_v2(&self) -> Result<Vec<Chunk<OrderUpdateRequest>>, Problems> {
        self.validate()?;
        let mut v2 = OrderUpdateRequest::new(
            crate::upgates::order::write::Notify {
                emails: self.send_emails.unwrap_or(true),
                sms: false,
            },
            self.orders.iter().map(LegacyOrder::to_v2).collect(),
        );
        v2.delete_missing_products_yn = false;
        Ok(chunk(&v2, MAX_ITEMS_PER_REQUEST))
    }
}

/// The legacy API's answer: `{"success": true}`, or a list of per-order messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyUpdateResponse {
    /// Everything was processed.
    Success {
        /// The `success` flag as sent.
        success: bool,
    },
    /// One or more messages; `error: false` ones are warnings (the order was processed).
    Failures(Vec<LegacyFailure>),
}

/// One message of a failed legacy call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LegacyFailure {
    /// The order it is about.
    #[serde(default, deserialize_with = "opt")]
    pub order_number: Option<String>,
    /// `true` for an error, `false` for a warning.
    #[serde(default, deserialize_with = "crate::lenient::flag")]
    pub error: bool,
    /// The text.
    #[serde(default, deserialize_with = "opt")]
    pub message: Option<String>,
}

impl LegacyUpdateResponse {
    /// Whether every order was processed (warnings allowed).
    #[must_use]
    pub fn succeeded(&self) -> bool {
        match self {
            LegacyUpdateResponse::Success { success } => *success,
            LegacyUpdateResponse::Failures(f) => f.iter().all(|m| !m.error),
        }
    }
}

impl Serialize for LegacyUpdateResponse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        struct Ok {
            success: bool,
        }
        match self {
            LegacyUpdateResponse::Success { success } => Ok { success: *success }.serialize(s),
            LegacyUpdateResponse::Failures(f) => f.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for LegacyUpdateResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LegacyUpdateResponse;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{\"success\": true} or a list of {order_number, error, message}")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct Ok {
                    #[serde(default, deserialize_with = "crate::lenient::flag")]
                    success: bool,
                }
                let ok = Ok::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Result::Ok(LegacyUpdateResponse::Success { success: ok.success })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<LegacyFailure>::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(LegacyUpdateResponse::Failures)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upgates::meta::LanguageValue;

    const SEED: &str = r#"{
      "apiKey": "0123456789",
      "sendEmails": true,
      "orders": [{
          "order_number": "000001",
          "status": "Vyřízená",
          "paid_date": "2017-06-05",
          "resolved_yn": "1",
          "tracking_code": "00112233",
          "metas": [{"key": "invoice_note", "value": "poznámka", "values": {"cz": "poznámka", "en": "note"}}]
      }]
    }"#;

    #[test]
    fn converts_the_documented_example() {
        let legacy: LegacyUpdateRequest = serde_json::from_str(SEED).unwrap();
        assert!(!format!("{legacy:?}").contains("0123456789"));
        let v2 = legacy.to_v2().unwrap();
        assert_eq!(v2.len(), 1);
        let req = &v2[0].request;
        assert!(req.send_emails_yn && !req.send_sms_yn);
        let o = &req.orders[0];
        assert_eq!(o.order_number.as_deref(), Some("000001"));
        assert_eq!(o.resolved_yn, Some(true));
        assert_eq!(o.metas, vec![MetaWrite::new("invoice_note", "poznámka")]);
        let json = serde_json::to_string(req).unwrap();
        assert!(!json.contains("0123456789"));
        assert!(json.contains(r#""paid_date":"2017-06-05""#));
    }

    #[test]
    fn empty_paid_date_clears_and_absent_leaves_alone() {
        let legacy: LegacyUpdateRequest = serde_json::from_str(
            r#"{"apiKey":"k","orders":[{"order_number":"1","paid_date":""},{"order_number":"2"},{"order_number":"3","metas":[{"key":"k","values":{"cs":"a"}}]}]}"#,
        )
        .unwrap();
        let v2 = legacy.to_v2().unwrap();
        let orders = &v2[0].request.orders;
        assert_eq!(orders[0].paid_date, Some(PaidDate::Unpaid));
        assert_eq!(orders[1].paid_date, None);
        assert_eq!(orders[2].metas[0].values, vec![LanguageValue::new("cs", "a")]);
        let json = serde_json::to_value(&v2[0].request).unwrap();
        assert_eq!(json["orders"][0]["paid_date"], "");
        assert!(json["orders"][1].get("paid_date").is_none());
    }

    #[test]
    fn more_than_a_hundred_orders_become_several_requests() {
        let orders: Vec<String> =
            (0..250).map(|i| format!(r#"{{"order_number":"{i}","status":"Odeslaná"}}"#)).collect();
        let legacy: LegacyUpdateRequest = serde_json::from_str(&format!(
            r#"{{"apiKey":"k","sendEmails":false,"orders":[{}]}}"#,
            orders.join(",")
        ))
        .unwrap();
        let v2 = legacy.to_v2().unwrap();
        assert_eq!(
            v2.iter().map(|c| (c.offset, c.request.orders.len())).collect::<Vec<_>>(),
            vec![(0, 100), (100, 100), (200, 50)]
        );
        assert!(v2.iter().all(|c| !c.request.send_emails_yn));
    }

    #[test]
    fn invalid_requests_are_refused() {
        let legacy: LegacyUpdateRequest =
            serde_json::from_str(r#"{"orders":[{"status":"x"}]}"#).unwrap();
        let p = legacy.to_v2().unwrap_err();
        assert_eq!(p.0.len(), 2);
    }

    #[test]
    fn both_response_shapes() {
        let ok: LegacyUpdateResponse = serde_json::from_str(r#"{"success": true}"#).unwrap();
        assert!(ok.succeeded());
        let failed: LegacyUpdateResponse = serde_json::from_str(
            r#"[{"order_number":"000025","error":true,"message":"Order with this number doesn't exists."},{"order_number":"000025","error":false,"message":"Meta with key 'invoice_note' has no option 'value' or 'values'."}]"#,
        )
        .unwrap();
        assert!(!failed.succeeded());
        let LegacyUpdateResponse::Failures(f) = &failed else { panic!() };
        assert_eq!(f.len(), 2);
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"success":true}"#);
    }
}
