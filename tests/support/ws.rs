//! A GraphQL-over-WebSocket test client (graphql-transport-ws or the legacy graphql-ws).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{
        Message, client::IntoClientRequest, http::HeaderValue, protocol::WebSocketConfig,
    },
};

use crate::TestApp;

/// An open connection.
pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    legacy: bool,
}

/// What the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum WsEvent {
    /// A protocol message.
    Message(Value),
    /// The server closed the socket with this code.
    Closed(Option<u16>),
    /// Nothing arrived in time.
    Silence,
}

impl TestApp {
    /// Opens `/graphql/ws` with `protocol`, optionally with an `Authorization` header.
    pub async fn ws(&self, protocol: &str, header: Option<&str>) -> WsClient {
        WsClient::connect(&self.base, protocol, header).await
    }

    /// Opens a graphql-transport-ws connection authenticated with `token` (anonymous if
    /// `None`) and waits for the acknowledgement.
    pub async fn subscriber(&self, token: Option<&str>) -> WsClient {
        WsClient::subscriber(&self.base, token).await
    }
}

impl WsClient {
    /// Opens `<base>/graphql/ws` (base: `http://host:port`) with `protocol`.
    pub async fn connect(base: &str, protocol: &str, header: Option<&str>) -> WsClient {
        let url = format!("{}/graphql/ws", base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_str(protocol).expect("protocol"),
        );
        if let Some(value) = header {
            request.headers_mut().insert(
                "authorization",
                HeaderValue::from_str(value).expect("header"),
            );
        }
        // Small buffers, so that benchmarks can hold thousands of connections.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let (socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false)
                .await
                .expect("connect");
        WsClient {
            socket,
            legacy: protocol == "graphql-ws",
        }
    }

    /// Opens an acknowledged graphql-transport-ws connection to `base` as `token`.
    pub async fn subscriber(base: &str, token: Option<&str>) -> WsClient {
        let mut client = WsClient::connect(base, "graphql-transport-ws", None).await;
        let payload = token.map_or(
            json!({}),
            |t| json!({"authorization": format!("Bearer {t}")}),
        );
        client
            .send(json!({"type": "connection_init", "payload": payload}))
            .await;
        match client.next(Duration::from_secs(5)).await {
            WsEvent::Message(m) if m["type"] == "connection_ack" => client,
            other => panic!("no connection_ack: {other:?}"),
        }
    }

    /// The underlying socket, for clients that read raw frames.
    pub fn into_socket(self) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        self.socket
    }

    /// Sends a JSON message.
    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send");
    }

    /// Starts an operation with id `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = if self.legacy { "start" } else { "subscribe" };
        self.send(
            json!({"id": id, "type": kind, "payload": {"query": query, "variables": variables}}),
        )
        .await;
    }

    /// Stops an operation.
    pub async fn complete(&mut self, id: &str) {
        let kind = if self.legacy { "stop" } else { "complete" };
        self.send(json!({"id": id, "type": kind})).await;
    }

    /// The next protocol message (pings are skipped), the close, or silence after `wait`.
    pub async fn next(&mut self, wait: Duration) -> WsEvent {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(remaining, self.socket.next()).await {
                Err(_) => return WsEvent::Silence,
                Ok(None) => return WsEvent::Closed(None),
                Ok(Some(Err(_))) => return WsEvent::Closed(None),
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(&text).expect("json");
                    if matches!(value["type"].as_str(), Some("ping" | "pong" | "ka")) {
                        continue;
                    }
                    return WsEvent::Message(value);
                }
                Ok(Some(Ok(Message::Close(frame)))) => {
                    return WsEvent::Closed(frame.map(|f| u16::from(f.code)));
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The next message, which must be a `next` (or legacy `data`) for `id`; returns its payload.
    pub async fn expect_next(&mut self, id: &str) -> Value {
        match self.next(Duration::from_secs(5)).await {
            WsEvent::Message(m)
                if m["id"] == id && (m["type"] == "next" || m["type"] == "data") =>
            {
                m["payload"].clone()
            }
            other => panic!("expected next for {id}, got {other:?}"),
        }
    }

    /// Asserts nothing arrives for `wait`.
    pub async fn expect_silence(&mut self, wait: Duration) {
        let event = self.next(wait).await;
        assert_eq!(event, WsEvent::Silence, "expected silence");
    }
}
