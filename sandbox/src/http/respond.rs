//! Answers in the API's shapes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use shopflow_core::upgates::message::{ApiMessage, MessageLevel};

/// A JSON answer.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => raw_json(status, bytes),
        Err(e) => {
            api_error(StatusCode::INTERNAL_SERVER_ERROR, &format!("cannot write the answer: {e}"))
        }
    }
}

/// A JSON answer from bytes that are already JSON.
pub fn raw_json(status: StatusCode, bytes: impl Into<axum::body::Body>) -> Response {
    let mut resp = (status, bytes.into()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// An error answer: `{"messages": [{object, property, message, level}]}`.
pub fn api_error(status: StatusCode, message: &str) -> Response {
    let level =
        if status.is_server_error() { MessageLevel::FatalError } else { MessageLevel::Error };
    json(status, &serde_json::json!({ "messages": [ApiMessage::new(level, message)] }))
}
