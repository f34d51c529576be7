//! Per-item results and their messages, which Upgates puts inside a 200 response.
//!
//! A batch write answers 200 even when every item failed; what happened to each item is
//! in its `*_yn` flag and its `messages` (`{object, property, message, level}`). This module
//! decides success per item and lines results up with the request's items, so a failure
//! can never hide behind the 200, not even a missing result.

use serde::{Deserialize, Serialize};

use crate::lenient;
use crate::open_enum;

open_enum! {
    /// How serious a message is.
    pub enum MessageLevel {
        /// Information.
        Info = "info",
        /// A warning; the item was processed.
        Warning = "warning",
        /// An error; the item was probably not processed.
        Error = "error",
        /// An API failure; contact Upgates support.
        FatalError = "fatal_error",
    }
}

/// A message about one item or about the whole request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ApiMessage {
    /// The part of the JSON the message is about.
    #[serde(default, deserialize_with = "lenient::optional")]
    pub object: Option<String>,
    /// The property (or value) the message is about.
    #[serde(default, deserialize_with = "lenient::optional")]
    pub property: Option<String>,
    /// The text.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub message: String,
    /// How serious; older responses have none.
    #[serde(default, deserialize_with = "lenient::optional")]
    pub level: Option<MessageLevel>,
}

fn text_or_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(lenient::optional::<D, String>(d)?.unwrap_or_default())
}

impl ApiMessage {
    /// A message with text and level, for results we make up ourselves.
    #[must_use]
    pub fn new(level: MessageLevel, message: impl Into<String>) -> Self {
        ApiMessage { object: None, property: None, message: message.into(), level: Some(level) }
    }

    /// A message about one property of one object.
    #[must_use]
    pub fn about(
        level: MessageLevel,
        object: &str,
        property: &str,
        message: impl Into<String>,
    ) -> Self {
        ApiMessage {
            object: Some(object.to_owned()),
            property: Some(property.to_owned()),
            message: message.into(),
            level: Some(level),
        }
    }

    /// Whether the message reports a failure (`error` or `fatal_error`).
    #[must_use]
    pub fn is_error(&self) -> bool {
        matches!(self.level, Some(MessageLevel::Error | MessageLevel::FatalError))
    }
}

impl std::fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(level) = &self.level {
            write!(f, "[{level}] ")?;
        }
        match (&self.object, &self.property) {
            (Some(o), Some(p)) if !o.is_empty() || !p.is_empty() => write!(f, "{o}.{p}: ")?,
            (Some(o), None) if !o.is_empty() => write!(f, "{o}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// One item's result in a batch response.
pub trait ItemResult {
    /// The item's key as the response gives it (order number, e-mail, id).
    fn key(&self) -> Option<&str>;
    /// Whether the API reports the item as processed: its flag is true (or, when the
    /// response has no flag, the item has a key) and no message is an error.
    fn succeeded(&self) -> bool;
    /// The item's messages.
    fn messages(&self) -> &[ApiMessage];
}

/// Success rule shared by every result type.
pub(crate) fn item_succeeded(flag: Option<bool>, has_key: bool, messages: &[ApiMessage]) -> bool {
    flag.unwrap_or(has_key) && !messages.iter().any(ApiMessage::is_error)
}

/// What happened to one item of a request, lined up with the request's own records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemOutcome {
    /// Index of the item in the caller's batch (chunk offsets included).
    pub index: usize,
    /// The item's key, from the request or the response.
    pub key: Option<String>,
    /// Whether it was processed.
    pub ok: bool,
    /// The API's messages about it (or ours, when the API said nothing).
    pub messages: Vec<ApiMessage>,
    /// When the item failed without an answer of its own (its request failed as a whole,
    /// or was not sent): the stable code of that failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Lines results up with the items that were sent.
///
/// The API answers one result per item in request order; when the counts match, results are
/// paired by position. Otherwise each request key is looked up among the results, and an
/// item with no result is reported as failed. `offset` is the chunk's start in the batch.
#[must_use]
pub fn reconcile<R: ItemResult>(
    sent_keys: &[Option<String>],
    results: &[R],
    offset: usize,
) -> Vec<ItemOutcome> {
    let outcome = |i: usize, key: Option<String>, r: Option<&R>| match r {
        Some(r) => ItemOutcome {
            index: offset + i,
            key: key.or_else(|| r.key().map(str::to_owned)),
            ok: r.succeeded(),
            messages: r.messages().to_vec(),
            error: None,
        },
        None => ItemOutcome {
            index: offset + i,
            key,
            ok: false,
            messages: vec![ApiMessage::new(
                MessageLevel::Error,
                "the API response had no result for this item; treat it as not processed",
            )],
            error: None,
        },
    };
    if sent_keys.len() == results.len() {
        return sent_keys
            .iter()
            .zip(results)
            .enumerate()
            .map(|(i, (k, r))| outcome(i, k.clone(), Some(r)))
            .collect();
    }
    sent_keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let found = k.as_deref().and_then(|k| results.iter().find(|r| r.key() == Some(k)));
            outcome(i, k.clone(), found)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R {
        key: Option<String>,
        ok: Option<bool>,
        messages: Vec<ApiMessage>,
    }

    impl ItemResult for R {
        fn key(&self) -> Option<&str> {
            self.key.as_deref()
        }
        fn succeeded(&self) -> bool {
            item_succeeded(self.ok, self.key.is_some(), &self.messages)
        }
        fn messages(&self) -> &[ApiMessage] {
            &self.messages
        }
    }

    fn r(key: &str, ok: bool) -> R {
        R { key: Some(key.into()), ok: Some(ok), messages: vec![] }
    }

    #[test]
    fn an_error_message_fails_an_item_even_with_its_flag_set() {
        let mut item = r("1", true);
        assert!(item.succeeded());
        item.messages.push(ApiMessage::new(MessageLevel::Warning, "meta skipped"));
        assert!(item.succeeded());
        item.messages.push(ApiMessage::new(MessageLevel::Error, "status unknown"));
        assert!(!item.succeeded());
    }

    #[test]
    fn missing_results_are_failures() {
        let keys = vec![Some("1".to_owned()), Some("2".to_owned()), Some("3".to_owned())];
        let out = reconcile(&keys, &[r("3", true), r("1", false)], 100);
        assert_eq!(
            out.iter().map(|o| (o.index, o.ok)).collect::<Vec<_>>(),
            vec![(100, false), (101, false), (102, true)]
        );
        assert!(out[1].messages[0].message.contains("no result"));
    }

    #[test]
    fn positional_when_counts_match() {
        let out = reconcile(&[None, None], &[r("A", true), r("B", false)], 0);
        assert_eq!(out[0].key.as_deref(), Some("A"));
        assert!(!out[1].ok);
    }

    #[test]
    fn messages_parse_with_and_without_level() {
        let m: ApiMessage = serde_json::from_str(
            r#"{"object":"order","property":"status","message":"Unknown status","level":"error"}"#,
        )
        .unwrap();
        assert!(m.is_error());
        assert_eq!(m.to_string(), "[error] order.status: Unknown status");
        let old: ApiMessage =
            serde_json::from_str(r#"{"object":"order","property":"","message":"x"}"#).unwrap();
        assert_eq!(old.level, None);
    }
}
