//! The messages of the two GraphQL-over-WebSocket protocols: `graphql-transport-ws` (the
//! graphql-ws library's) and the legacy `graphql-ws` (subscriptions-transport-ws).
//!
//! A result's payload is serialized once (it may be shared by thousands of subscribers, see
//! `graphql::multiplex`); each message only wraps it with its operation id.

pub use async_graphql::http::{ClientMessage, WebSocketProtocols as Protocol};

/// Close code for a message that is not one of the protocol's.
pub const INVALID_MESSAGE: u16 = 4400;
/// Close code for an operation id already in use.
pub const DUPLICATE_ID: u16 = 4409;
/// Close code for a second `connection_init`.
pub const TOO_MANY_INITS: u16 = 4429;

/// `connection_ack`.
pub const ACK: &str = r#"{"type":"connection_ack"}"#;
/// `pong`, the answer to a `ping`.
pub const PONG: &str = r#"{"type":"pong"}"#;

fn quoted(id: &str) -> String {
    serde_json::to_string(id).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A result of operation `id`: `payload` is a serialized GraphQL response.
pub fn next(protocol: Protocol, id: &str, payload: &str) -> String {
    let kind = match protocol {
        Protocol::GraphQLWS => "next",
        Protocol::SubscriptionsTransportWS => "data",
    };
    let id = quoted(id);
    let mut message = String::with_capacity(payload.len() + id.len() + 40);
    message.push_str(r#"{"type":""#);
    message.push_str(kind);
    message.push_str(r#"","id":"#);
    message.push_str(&id);
    message.push_str(r#","payload":"#);
    message.push_str(payload);
    message.push('}');
    message
}

/// Operation `id` is over.
pub fn complete(id: &str) -> String {
    format!(r#"{{"type":"complete","id":{}}}"#, quoted(id))
}

/// Operation `id` was refused before it ran: `error` is one GraphQL error (JSON).
pub fn error(protocol: Protocol, id: &str, error: &serde_json::Value) -> String {
    // graphql-transport-ws carries a list of errors, the legacy protocol one error.
    let payload = match protocol {
        Protocol::GraphQLWS => serde_json::Value::Array(vec![error.clone()]),
        Protocol::SubscriptionsTransportWS => error.clone(),
    };
    format!(
        r#"{{"type":"error","id":{},"payload":{payload}}}"#,
        quoted(id)
    )
}
