//! Subscriptions shared by their subscribers (multiplexing).
//!
//! What a subscription sends depends on its document, its operation name, its variables and
//! the caller's rights, nothing else: the caller's access set (every rights decision, the
//! `viewer*` fields, which people it may see) follows from who the caller is. So on each
//! replica, the subscribers with the same caller, document, operation name and variables
//! form a *group*: the group runs the subscription once, with one request context; each event
//! is checked, resolved and serialized once, and every member receives the same bytes. The
//! group's subscription takes its rights decision again on the events that may change it
//! (DOMAIN.md rule 6), for all its members at once; anonymous subscribers of a public thread
//! are one group, each signed-in person is a group of their own connections.
//!
//! A group takes members from the moment it starts: subscribers that arrive while its
//! subscription starts join it rather than each starting one, and receive everything it sends
//! from its start (its rights decision, or the error it fails with). Once it has sent
//! something it goes on taking members only if its subscription is live from now on (the
//! resolver calls [`Joinable::open`]); one with a start of its own (a resume cursor) takes
//! no one after its first delivery. A subscriber that joins receives the events delivered from
//! then on. A member that falls more than [`BUFFER`] events behind gets `SLOW_CONSUMER` and
//! leaves; a group whose subscription fails stops taking members before its members hear of
//! it, and ends with it; a group ends when its last member leaves.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, PoisonError, Weak,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
};

use async_graphql::{Request, Response};
use copnet_domain::Actor;
use futures_util::{
    StreamExt,
    stream::{self, BoxStream},
};
use tokio::sync::broadcast::{self, error::RecvError};

use super::QueryLimits;
use crate::error::{ApiError, Code};

/// How many events a member may fall behind its group before it gets `SLOW_CONSUMER` (as
/// many as one subscription buffers).
pub const BUFFER: usize = 256;

/// A serialized GraphQL response (`{"data": …}`), shared by the members of a group.
pub type Payload = Arc<str>;

/// What makes subscribers equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    actor: Actor,
    query: String,
    operation: Option<String>,
    variables: String,
}

impl Key {
    /// The key of `request` by `actor`, when it is a subscription that may be shared (one
    /// within the source limits, that parses, names a subscription operation and carries no
    /// extensions). The source is checked before it is parsed, as for any request: what fails
    /// runs on its own and is refused there.
    pub fn of(actor: Actor, request: &Request, limits: &QueryLimits) -> Option<Key> {
        use async_graphql::parser::types::OperationType;
        if !request.extensions.is_empty() || limits.check_source(&request.query).is_err() {
            return None;
        }
        let document = async_graphql::parser::parse_query(&request.query).ok()?;
        let name = request.operation_name.as_deref();
        if super::operation::operation_type(&document, name) != Some(OperationType::Subscription) {
            return None;
        }
        Some(Key {
            actor,
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }
}

#[derive(Clone)]
enum Frame {
    Next(Payload),
    End,
}

struct Entry {
    id: u64,
    group: Weak<Group>,
}

#[derive(Default)]
struct Registry {
    groups: Mutex<HashMap<Key, Entry>>,
    next_id: AtomicU64,
    members: AtomicUsize,
}

impl Registry {
    fn groups(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        self.groups.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets group `id` under `key` (a newer group may have taken the key).
    fn remove(&self, key: &Key, id: u64) {
        let mut groups = self.groups();
        if groups.get(key).is_some_and(|entry| entry.id == id) {
            groups.remove(key);
        }
    }
}

struct Group {
    id: u64,
    key: Key,
    frames: broadcast::Sender<Frame>,
    registry: Arc<Registry>,
    task: std::sync::OnceLock<tokio::task::AbortHandle>,
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(task) = self.task.get() {
            task.abort();
        }
        self.registry.remove(&self.key, self.id);
    }
}

/// Given to a group's subscription (request data): its resolver marks the stream shareable
/// once it is live, unless it starts in a way of its own.
#[derive(Clone)]
pub struct Joinable(Arc<AtomicBool>);

impl Joinable {
    /// Lets subscribers with the same key go on joining after the stream has sent something.
    pub fn open(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// The groups of this replica.
#[derive(Clone, Default)]
pub struct Multiplexer {
    registry: Arc<Registry>,
}

impl Multiplexer {
    /// The stream of one subscriber: the open group of `key` if there is one, otherwise a new
    /// group running `start` (given the group's [`Joinable`], to put in its request).
    pub fn subscribe(
        &self,
        key: Key,
        start: impl FnOnce(Joinable) -> BoxStream<'static, Response>,
    ) -> BoxStream<'static, Payload> {
        let mut groups = self.registry.groups();
        if let Some(group) = groups.get(&key).and_then(|entry| entry.group.upgrade()) {
            // Subscribed under the registry's lock: the group cannot end unheard.
            let frames = group.frames.subscribe();
            drop(groups);
            return self.member(group, frames);
        }
        let (sender, frames) = broadcast::channel(BUFFER);
        let group = Arc::new(Group {
            id: self.registry.next_id.fetch_add(1, Ordering::Relaxed),
            key,
            frames: sender.clone(),
            registry: Arc::clone(&self.registry),
            task: std::sync::OnceLock::new(),
        });
        // Joinable at once: subscribers arriving while the subscription starts join it
        // rather than each starting one (under load, starting takes a while).
        groups.insert(
            group.key.clone(),
            Entry {
                id: group.id,
                group: Arc::downgrade(&group),
            },
        );
        drop(groups);
        let shareable = Arc::new(AtomicBool::new(false));
        let responses = start(Joinable(Arc::clone(&shareable)));
        let task = tokio::spawn(run(
            responses,
            sender,
            shareable,
            Arc::clone(&self.registry),
            group.key.clone(),
            group.id,
        ));
        let _ = group.task.set(task.abort_handle());
        self.member(group, frames)
    }

    /// Groups on this replica that take new members.
    pub fn open_groups(&self) -> usize {
        self.registry.groups().len()
    }

    /// Subscribers in groups on this replica.
    pub fn members(&self) -> usize {
        self.registry.members.load(Ordering::Acquire)
    }

    fn member(
        &self,
        group: Arc<Group>,
        frames: broadcast::Receiver<Frame>,
    ) -> BoxStream<'static, Payload> {
        let member = Member {
            group,
            frames,
            registry: Arc::clone(&self.registry),
        };
        self.registry.members.fetch_add(1, Ordering::AcqRel);
        stream::unfold(Some(member), |member| async move {
            let mut member = member?;
            match member.frames.recv().await {
                Ok(Frame::Next(payload)) => Some((payload, Some(member))),
                Ok(Frame::End) | Err(RecvError::Closed) => None,
                Err(RecvError::Lagged(missed)) => Some((slow_consumer(missed), None)),
            }
        })
        .boxed()
    }
}

struct Member {
    /// Keeps the group running.
    #[allow(dead_code)]
    group: Arc<Group>,
    frames: broadcast::Receiver<Frame>,
    registry: Arc<Registry>,
}

impl Drop for Member {
    fn drop(&mut self) {
        self.registry.members.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Runs a group's subscription: serializes each response once and hands it to every member.
async fn run(
    mut responses: BoxStream<'static, Response>,
    frames: broadcast::Sender<Frame>,
    shareable: Arc<AtomicBool>,
    registry: Arc<Registry>,
    key: Key,
    id: u64,
) {
    while let Some(response) = responses.next().await {
        // No one joins once an error ends the subscription, nor once a stream of its own
        // (a replay from a cursor) has begun: a member receives everything from the start.
        if response.is_err() || !shareable.load(Ordering::Acquire) {
            registry.remove(&key, id);
        }
        if frames.send(Frame::Next(serialize(&response))).is_err() {
            break;
        }
    }
    registry.remove(&key, id);
    let _ = frames.send(Frame::End);
}

/// A response as JSON.
pub fn serialize(response: &Response) -> Payload {
    match serde_json::to_string(response) {
        Ok(json) => json.into(),
        Err(err) => {
            tracing::error!(error = %err, "cannot serialize a response");
            errors(&[ApiError::internal(&err)])
        }
    }
}

/// A response carrying `errors` only.
fn errors(errors: &[ApiError]) -> Payload {
    let errors = errors
        .iter()
        .map(|e| async_graphql::Error::from(e.clone()).into_server_error(Default::default()))
        .collect();
    serde_json::to_string(&Response::from_errors(errors))
        .unwrap_or_default()
        .into()
}

/// The error that ends a member which fell `missed` events behind.
fn slow_consumer(missed: u64) -> Payload {
    errors(&[ApiError::new(
        Code::SlowConsumer,
        format!("the subscriber fell {missed} events behind; refetch and subscribe again"),
    )])
}
