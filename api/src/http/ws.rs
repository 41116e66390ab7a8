//! `GET /graphql/ws`: GraphQL over WebSocket, with the `graphql-transport-ws` protocol (and the
//! legacy `graphql-ws` one).
//!
//! The credential comes in `connection_init`'s payload (`{"authorization": "Bearer …"}`) or in
//! the upgrade request's `Authorization` header; without either the connection is anonymous.
//! A bad credential closes the socket with code 4403, as graphql-ws does, and so does a
//! credential that stops working while the socket is open (a JWT's `exp` passing, an API key
//! revoked on any replica), as Hasura does. Every operation on the connection gets its own
//! request context (and so the caller's current access set); the server pings every
//! `COPNET_WS_KEEPALIVE_SECS` seconds.

use std::{str::FromStr, sync::Arc, time::Duration};

use async_graphql::{
    Data, Executor, Request, Response,
    http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket as GraphQLWebSocket, WebSocketProtocols, WsMessage},
};
use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response as HttpResponse},
};
use chrono::Utc;
use copnet_domain::{
    Actor,
    event::{Delivery, Event, Topic},
};
use futures_util::{SinkExt, StreamExt, stream::BoxStream};
use serde_json::Value;

use super::auth::{Caller, authenticate, authenticate_bearer, still_active};
use crate::{app::AppState, graphql::batches::Batches};

/// Initial read buffer of a connection.
const READ_BUFFER: usize = 4 * 1024;
/// Largest message a client may send (operations are small).
const MAX_MESSAGE: usize = 256 * 1024;

/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs each operation of one connection with a fresh request context for its caller.
#[derive(Clone)]
struct ConnectionExecutor {
    state: AppState,
    actor: Actor,
}

impl ConnectionExecutor {
    /// The request with a fresh context, and the queue its loaders' batches run from.
    fn with_context(&self, request: Request) -> (Request, Batches) {
        let context = Arc::new(self.state.request_context(self.actor));
        let batches = context.batches().clone();
        (request.data(context), batches)
    }
}

impl Executor for ConnectionExecutor {
    fn execute(&self, request: Request) -> impl Future<Output = Response> + Send {
        let (request, batches) = self.with_context(request);
        let schema = self.state.schema.clone();
        async move { batches.drive(schema.execute(request)).await }
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (request, batches) = self.with_context(request);
        batches.drive_stream(
            self.state
                .schema
                .execute_stream_with_session_data(request, session_data.unwrap_or_default()),
        )
    }
}

/// `GET /graphql/ws`.
pub async fn upgrade(
    State(state): State<AppState>,
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
        .on_upgrade(move |socket| serve(state, headers, protocol, socket, keepalive))
}

async fn close(socket: &mut (impl SinkExt<Message> + Unpin), code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.to_owned().into(),
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

/// Resolves when the connection's credential stops working: its JWT's `exp` passes, or its
/// API key is revoked (announced on every replica; after a gap in that announcement, the key
/// is looked up again). Never resolves for anonymous connections.
async fn credential_ends(state: &AppState, caller: Caller) -> &'static str {
    let expired = async {
        match caller.expires_at {
            Some(at) => {
                let left = (at - Utc::now()).to_std().unwrap_or_default();
                tokio::time::sleep(left).await;
            }
            None => std::future::pending().await,
        }
    };
    let revoked = async {
        let Actor::ServiceAccount { id } = caller.actor else {
            return std::future::pending().await;
        };
        let mut announcements = state.event_source.subscribe(Topic::ServiceAccount(id));
        // A revocation between the key check and this subscription is caught here.
        if !matches!(still_active(state, id).await, Ok(true)) {
            return;
        }
        while let Some(delivery) = announcements.next().await {
            let recheck = match delivery {
                Delivery::Event(event) => match *event {
                    Event::CredentialRevoked { .. } => return,
                    Event::Resync => true,
                    _ => false,
                },
                Delivery::Lagged(_) => true,
            };
            if recheck && !matches!(still_active(state, id).await, Ok(true)) {
                return;
            }
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        () = expired => "Forbidden: the token expired",
        () = revoked => "Forbidden: the API key was revoked",
    }
}

async fn serve(
    state: AppState,
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
        None => header_caller.unwrap_or(Caller {
            actor: Actor::Anonymous,
            expires_at: None,
        }),
    };

    let executor = ConnectionExecutor {
        state: state.clone(),
        actor: caller.actor,
    };
    let input = futures_util::stream::once(async move { first.into_bytes() }).chain(
        stream.filter_map(|message| async move {
            match message {
                Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                _ => None,
            }
        }),
    );
    let mut protocol_stream = GraphQLWebSocket::new(executor, Box::pin(input), protocol);
    let mut ping = tokio::time::interval(keepalive);
    ping.tick().await;
    let ends = credential_ends(&state, caller);
    tokio::pin!(ends);
    loop {
        tokio::select! {
            message = protocol_stream.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    close(&mut sink, code, &reason).await;
                    break;
                }
                None => break,
            },
            _ = ping.tick() => {
                if sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            // The credential stopped working: no operation and no subscription outlives it.
            reason = &mut ends => {
                close(&mut sink, 4403, reason).await;
                break;
            }
        }
    }
}
