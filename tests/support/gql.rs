//! A GraphQL response, with assertions that print the whole body when they fail.

use serde_json::Value;

/// Status and JSON body of one GraphQL request.
#[derive(Debug, Clone)]
pub struct Gql {
    /// HTTP status.
    pub status: u16,
    /// `content-type` header.
    pub content_type: String,
    /// The JSON body.
    pub body: Value,
}

impl Gql {
    pub(crate) async fn from_response(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Self {
            status,
            content_type,
            body,
        }
    }

    /// The value at a `/`-separated path under `data` (JSON pointer syntax, without `/data`).
    pub fn at(&self, pointer: &str) -> &Value {
        self.body
            .pointer(&format!("/data{pointer}"))
            .unwrap_or(&Value::Null)
    }

    /// The value at a path, as a string; panics with the body when absent.
    pub fn str(&self, pointer: &str) -> String {
        self.at(pointer)
            .as_str()
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.body))
            .to_owned()
    }

    /// The errors, if any.
    pub fn errors(&self) -> &[Value] {
        self.body
            .get("errors")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The `extensions.code` of every error.
    pub fn codes(&self) -> Vec<String> {
        self.errors()
            .iter()
            .filter_map(|e| e.pointer("/extensions/code").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    }

    /// The code of the first error.
    pub fn code(&self) -> Option<&str> {
        self.errors()
            .first()
            .and_then(|e| e.pointer("/extensions/code"))
            .and_then(Value::as_str)
    }

    /// The input field the first error names (`extensions.field`).
    pub fn field(&self) -> Option<&str> {
        self.errors()
            .first()
            .and_then(|e| e.pointer("/extensions/field"))
            .and_then(Value::as_str)
    }

    /// The code of the error whose path starts with `path` (e.g. `["node"]`).
    pub fn code_at(&self, path: &[&str]) -> Option<String> {
        self.errors()
            .iter()
            .find(|e| {
                e.get("path").and_then(Value::as_array).is_some_and(|p| {
                    p.len() >= path.len() && p.iter().zip(path).all(|(a, b)| a.as_str() == Some(b))
                })
            })
            .and_then(|e| e.pointer("/extensions/code").and_then(Value::as_str))
            .map(str::to_owned)
    }

    /// Panics with the body unless the request succeeded without errors.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert!(
            self.status == 200 && self.errors().is_empty(),
            "expected success, got {}: {}",
            self.status,
            self.body
        );
        self
    }

    /// Panics with the body unless exactly the given code came back.
    #[track_caller]
    pub fn expect_code(&self, code: &str) -> &Self {
        assert_eq!(self.codes(), vec![code.to_owned()], "body: {}", self.body);
        self
    }
}
