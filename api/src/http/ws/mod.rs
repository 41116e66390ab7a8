//! `GET /graphql/ws`: GraphQL over WebSocket, with the `graphql-transport-ws` protocol (and the
//! legacy `graphql-ws` one).
//!
//! The credential comes in `connection_init`'s payload (`{"authorization": "Bearer …"}`) or in
//! the upgrade request's `Authorization` header; without either the connection is anonymous.
//! A bad credential closes the socket with code 4403, as graphql-ws does, and so does a
//! credential that stops working while the socket is open (a JWT's `exp` passing, an API key
//! revoked on any replica), as Hasura does. Every operation on the connection gets its own
//! request context (and so the caller's current access set), except that subscribers of the
//! same subscription by the same caller share one (`graphql::multiplex`). A connection runs
//! at most [`connection::MAX_OPERATIONS`] operations at once; an invalid message closes it
//! with 4400, an operation id in use with 4409, a second `connection_init` with 4429. The
//! server pings every `COPNET_WS_KEEPALIVE_SECS` seconds.

mod connection;
mod protocol;

use std::{str::FromStr, time::Duration};

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols};
use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response as HttpResponse},
};
use chrono::{DateTime, Utc};
use connection::{Connection, Reply};
use copnet_domain::{
    Actor,
    event::{Delivery, Event, Topic},
};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;

use super::{
    auth::{Caller, authenticate, authenticate_bearer, key_deadline},
    client_ip::{Peer, client_ip},
};
use crate::app::AppState;

/// Initial read buffer of a connection.
const READ_BUFFER: usize = 4 * 1024;
/// Largest message a client may send (operations are small).
const MAX_MESSAGE: usize = 256 * 1024;

/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET /graphql/ws`.
pub async fn upgrade(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let offered = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(protocol) = offered
        .split(',')
        .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
    else {
        return (
            StatusCode::BAD_REQUEST,
            "Sec-WebSocket-Protocol must offer graphql-transport-ws or graphql-ws",
        )
            .into_response();
    };
    let keepalive = Duration::from_secs(state.keepalive_secs.max(1));
    // Small buffers: a subscriber mostly receives small messages, and tungstenite's defaults
    // (128 KiB each way) would cost more than everything else a connection holds.
    upgrade
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let client = client_ip(state.rate.client_ip_header.as_ref(), &headers, peer);
            serve(state, client, headers, protocol, socket, keepalive)
        })
}

/// Longest reason a close frame may carry (RFC 6455: 125 bytes of payload, 2 for the code).
const MAX_CLOSE_REASON: usize = 123;

async fn close(socket: &mut (impl SinkExt<Message> + Unpin), code: u16, reason: &str) {
    let mut end = reason.len().min(MAX_CLOSE_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let frame = CloseFrame {
        code,
        reason: reason[..end].to_owned().into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// The `authorization` of a `connection_init` payload, if any.
fn payload_authorization(init: &Value) -> Option<&str> {
    let payload = init.get("payload")?;
    payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(Value::as_str)
}

/// Resolves when the connection's credential stops working: its JWT's `exp` or its API
/// key's expiry passes, or its key stops authenticating (the account revoked, the key rotated
/// out: announced on every replica, after which the key is looked up again, as after a gap
/// in that announcement). Never resolves for anonymous connections.
async fn credential_ends(state: &AppState, caller: Caller) -> &'static str {
    let (Some(key), Actor::ServiceAccount { id }) = (caller.key, caller.actor) else {
        until(caller.expires_at).await;
        return "Forbidden: the token expired";
    };
    const REVOKED: &str = "Forbidden: the API key was revoked";
    const EXPIRED: &str = "Forbidden: the API key expired";
    let mut announcements = state.event_source.subscribe(Topic::ServiceAccount(id));
    let mut deadline = caller.expires_at;
    // A change between the key check and this subscription is caught by the first lookup.
    let mut recheck = true;
    loop {
        if recheck {
            match key_deadline(state, key).await {
                Ok(Some(at)) => deadline = at,
                Ok(None) | Err(_) => return REVOKED,
            }
        }
        tokio::select! {
            () = until(deadline) => return EXPIRED,
            delivery = announcements.next() => {
                recheck = match delivery {
                    Some(Delivery::Event(event)) => {
                        matches!(*event, Event::CredentialChanged { .. } | Event::Resync)
                    }
                    Some(Delivery::Lagged(_)) => true,
                    None => {
                        until(deadline).await;
                        return EXPIRED;
                    }
                };
            }
        }
    }
}

/// Sleeps until the instant; forever when there is none.
async fn until(at: Option<DateTime<Utc>>) {
    match at {
        Some(at) => {
            let left = (at - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(left).await;
        }
        None => std::future::pending().await,
    }
}

async fn serve(
    state: AppState,
    client: Option<std::net::IpAddr>,
    headers: HeaderMap,
    protocol: WebSocketProtocols,
    socket: WebSocket,
    keepalive: Duration,
) {
    let (mut sink, mut stream) = socket.split();

    // The upgrade request's header, if any, must be valid.
    let header_caller = if headers.contains_key(header::AUTHORIZATION) {
        match authenticate(&state, &headers).await {
            Ok(caller) => Some(caller),
            Err(_) => return close(&mut sink, 4403, "Forbidden").await,
        }
    } else {
        None
    };

    // The first message must be connection_init; its payload may carry the credential.
    let first = match tokio::time::timeout(INIT_TIMEOUT, stream.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => text.to_string(),
        Ok(Some(Ok(Message::Binary(bytes)))) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(_) => return,
        Err(_) => return close(&mut sink, 4408, "Connection initialisation timeout").await,
    };
    let init: Value = serde_json::from_str(&first).unwrap_or(Value::Null);
    if init.get("type").and_then(Value::as_str) != Some("connection_init") {
        return close(&mut sink, 4400, "the first message must be connection_init").await;
    }
    let caller = match payload_authorization(&init) {
        Some(value) => match authenticate_bearer(&state, value).await {
            Ok(caller) => caller,
            Err(_) => return close(&mut sink, 4403, "Forbidden").await,
        },
        None => header_caller.unwrap_or(Caller::ANONYMOUS),
    };

    let mut connection = Connection::new(
        state.clone(),
        caller.actor,
        super::request_id(&headers),
        client,
        protocol,
    );
    if sink
        .send(Message::Text(protocol::ACK.into()))
        .await
        .is_err()
    {
        return;
    }
    let mut ping = tokio::time::interval(keepalive);
    ping.tick().await;
    let ends = credential_ends(&state, caller);
    tokio::pin!(ends);
    loop {
        let reply = tokio::select! {
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => connection.receive(text.as_bytes()),
                Some(Ok(Message::Binary(bytes))) => connection.receive(&bytes),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Reply::Nothing,
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            message = connection.next_output() => Reply::Send(message),
            _ = ping.tick() => {
                if sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
                Reply::Nothing
            }
            // The credential stopped working: no operation and no subscription outlives it.
            reason = &mut ends => Reply::Close(4403, reason.to_owned()),
        };
        match reply {
            Reply::Nothing => {}
            Reply::Send(text) => {
                if sink.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            Reply::Close(code, reason) => {
                close(&mut sink, code, &reason).await;
                break;
            }
        }
    }
}
