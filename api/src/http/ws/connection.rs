//! One connection's operations, after `connection_init`: the client's messages in, results
//! out.

use std::{collections::HashMap, net::IpAddr, sync::Arc};

use async_graphql::Request;
use copnet_domain::Actor;
use futures_util::{
    StreamExt,
    future::AbortHandle,
    stream::{self, Abortable, BoxStream, SelectAll},
};
use serde_json::json;

use super::protocol::{self, ClientMessage, Protocol};
use crate::{
    app::AppState,
    error::Code,
    graphql::{
        multiplex::{Key, Payload, serialize},
        rate::cost_extension,
    },
};

/// Most operations one connection may run at once.
pub const MAX_OPERATIONS: usize = 100;

/// What to do after a client's message.
pub enum Reply {
    /// Nothing to send.
    Nothing,
    /// Send this message.
    Send(String),
    /// Close the socket with this code and reason.
    Close(u16, String),
}

/// An operation's result, or its end (`None`).
type Output = (Arc<str>, Option<Payload>);

/// The running operations of one connection.
pub struct Connection {
    state: AppState,
    actor: Actor,
    /// The upgrade request's id; each operation's is `<it>/<operation id>`.
    request_id: Arc<str>,
    /// The client's address (anonymous rate limits).
    client: Option<IpAddr>,
    protocol: Protocol,
    running: HashMap<Arc<str>, AbortHandle>,
    outputs: SelectAll<BoxStream<'static, Output>>,
}

impl Connection {
    /// A connection of `actor`, speaking `protocol`.
    pub fn new(
        state: AppState,
        actor: Actor,
        request_id: Arc<str>,
        client: Option<IpAddr>,
        protocol: Protocol,
    ) -> Self {
        Self {
            state,
            actor,
            request_id,
            client,
            protocol,
            running: HashMap::new(),
            outputs: SelectAll::new(),
        }
    }

    /// Handles a message from the client.
    pub fn receive(&mut self, bytes: &[u8]) -> Reply {
        let message = match ClientMessage::from_bytes(bytes) {
            Ok(message) => message,
            Err(err) => {
                return Reply::Close(protocol::INVALID_MESSAGE, format!("invalid message: {err}"));
            }
        };
        match message {
            ClientMessage::ConnectionInit { .. } => Reply::Close(
                protocol::TOO_MANY_INITS,
                "Too many initialisation requests".to_owned(),
            ),
            ClientMessage::Start { id, payload } => self.start(id, payload),
            ClientMessage::Stop { id } => match self.running.remove(id.as_str()) {
                Some(operation) => {
                    operation.abort();
                    Reply::Send(protocol::complete(&id))
                }
                None => Reply::Nothing,
            },
            ClientMessage::ConnectionTerminate => Reply::Close(1000, "terminated".to_owned()),
            ClientMessage::Ping { .. } => Reply::Send(protocol::PONG.to_owned()),
            ClientMessage::Pong { .. } => Reply::Nothing,
        }
    }

    fn start(&mut self, id: String, request: Request) -> Reply {
        if self.running.contains_key(id.as_str()) {
            return Reply::Close(
                protocol::DUPLICATE_ID,
                format!("Subscriber for {id} already exists"),
            );
        }
        if self.running.len() >= MAX_OPERATIONS {
            let error = json!({
                "message": format!("at most {MAX_OPERATIONS} operations may run at once on one connection"),
                "extensions": {"code": Code::LimitExceeded.as_str()},
            });
            return Reply::Send(protocol::error(self.protocol, &id, &error));
        }
        let id: Arc<str> = id.into();
        let (abort, registration) = AbortHandle::new_pair();
        let tag = Arc::clone(&id);
        let request_id: Arc<str> = format!("{}/{id}", self.request_id).into();
        let (state, actor, client) = (self.state.clone(), self.actor, self.client);
        let results = stream::once(async move {
            let mut request = request;
            match state.persisted.prepare(&mut request).await {
                Ok(()) => results(&state, actor, client, request, request_id),
                Err(refusal) => {
                    let body = crate::http::error_body(refusal.code, refusal.message);
                    let payload: Payload = body.to_string().into();
                    stream::once(async move { payload }).boxed()
                }
            }
        })
        .flatten()
        .map(Some)
        .chain(stream::once(async { None }))
        .map(move |item| (Arc::clone(&tag), item));
        self.outputs
            .push(Abortable::new(results, registration).boxed());
        self.running.insert(id, abort);
        Reply::Nothing
    }

    /// The next message to send for a running operation; never resolves while none runs.
    pub async fn next_output(&mut self) -> String {
        loop {
            if self.outputs.is_empty() {
                return std::future::pending().await;
            }
            match self.outputs.next().await {
                Some((id, Some(payload))) => return protocol::next(self.protocol, &id, &payload),
                Some((id, None)) => {
                    self.running.remove(&id);
                    return protocol::complete(&id);
                }
                None => {}
            }
        }
    }
}

/// The serialized results of an operation: a subscription shared with the subscribers of the
/// same operation by the same caller, anything else run on its own.
fn results(
    state: &AppState,
    actor: Actor,
    client: Option<IpAddr>,
    request: Request,
    request_id: Arc<str>,
) -> BoxStream<'static, Payload> {
    if let Some(key) = Key::of(actor, &request, &state.limits) {
        let shared = state.clone();
        return state.multiplexer.subscribe(key, move |joinable| {
            execute(&shared, actor, client, request_id, request.data(joinable))
        });
    }
    execute(state, actor, client, request_id, request)
        .map(|response| serialize(&response))
        .boxed()
}

/// Runs `request` for `actor` with a fresh request context, its loaders' batches driven
/// between its polls.
fn execute(
    state: &AppState,
    actor: Actor,
    client: Option<IpAddr>,
    request_id: Arc<str>,
    request: Request,
) -> BoxStream<'static, async_graphql::Response> {
    let context = Arc::new(state.request_context(actor, request_id, client));
    let batches = context.batches().clone();
    let drawn = Arc::clone(&context);
    batches
        .drive_stream(state.schema.execute_stream(request.data(context)))
        .map(move |mut response| {
            if let Some(quota) = drawn.drawn().get()
                && let Ok(value) = async_graphql::Value::from_json(cost_extension(&quota))
            {
                response.extensions.insert("cost".to_owned(), value);
            }
            response
        })
        .boxed()
}
