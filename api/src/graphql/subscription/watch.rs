//! One subscription's stream: deliveries of its topics, checked against the subscriber's
//! rights (the policy's proof, taken again from fresh data whenever an event says rights may
//! have changed), turned into items, and for post streams resumed without loss: replayed from
//! the database after a client's cursor when it starts, and after the last delivered post when
//! the replica was cut off from the others (`Resync`), never delivering a post twice.

use std::{
    collections::{HashSet, VecDeque},
    sync::Arc,
    time::{Duration, Instant},
};

use copnet_domain::{
    event::{Delivery, DeliveryStream, Event, EventSource, Topic},
    ids::{EventId, PostId},
};
use futures_util::{Stream, StreamExt, future::BoxFuture, stream::SelectAll};
use uuid::Uuid;

use super::super::{
    context::RequestContext,
    loaders::{AttendanceOf, FlagsOf, ReactionsOf, ViewerReactions, ViewerUnread},
};
use crate::error::{ApiError, ApiResult, Code};

/// A subscription's stream of items (or of the one error that ends it).
pub type Live<T> = std::pin::Pin<Box<dyn Stream<Item = ApiResult<T>> + Send>>;

/// Takes the rights decision from fresh data: the policy's proof that the subscriber may
/// still see what it watches, or `None`.
pub type Allowed<P> =
    Arc<dyn Fn(Arc<RequestContext>) -> BoxFuture<'static, ApiResult<Option<P>>> + Send + Sync>;

/// An item, and the post it delivers (for streams that resume).
pub struct Delivered<T> {
    /// What the client receives.
    pub item: T,
    /// The post it carries.
    pub post: Option<PostId>,
}

/// Turns a content event into an item (with the proof of the watched container), or skips it.
pub type Handle<T, P> = Arc<
    dyn Fn(
            Arc<RequestContext>,
            P,
            Arc<Event>,
        ) -> BoxFuture<'static, ApiResult<Option<Delivered<T>>>>
        + Send
        + Sync,
>;

/// Reads up to `limit` committed items after a key, oldest first.
pub type Replay<T, P> = Arc<
    dyn Fn(
            Arc<RequestContext>,
            P,
            Option<Uuid>,
            u64,
        ) -> BoxFuture<'static, ApiResult<Vec<Delivered<T>>>>
        + Send
        + Sync,
>;

/// Most posts a subscription replays at once; a client further behind is told to refetch.
pub const REPLAY_MAX: u64 = 500;
/// How many delivered posts a subscription remembers, to deliver none twice.
const REMEMBERED: usize = 1024;
/// How far before the last delivered post a replay after a gap looks: posts are keyed by the
/// time they were written, and one written a little earlier may commit a little later.
const REPLAY_MARGIN_MS: u64 = 2_000;

/// How a post stream resumes.
pub struct Resume<T, P> {
    /// Reads the committed posts.
    pub replay: Replay<T, P>,
    /// The client's cursor: replayed from when the stream starts.
    pub after: Option<Uuid>,
    /// No replay goes before this key: the client's cursor, or the newest post when the
    /// subscription started.
    pub floor: Option<Uuid>,
    /// The newest delivered key.
    last: Option<Uuid>,
    delivered: VecDeque<PostId>,
    seen: HashSet<PostId>,
}

impl<T, P> Resume<T, P> {
    /// Resumes after `after` (the client's cursor), or from `floor` (the newest post now).
    pub fn new(replay: Replay<T, P>, after: Option<Uuid>, floor: Option<Uuid>) -> Self {
        Self {
            replay,
            after,
            floor: after.or(floor),
            last: None,
            delivered: VecDeque::new(),
            seen: HashSet::new(),
        }
    }

    fn remember(&mut self, post: PostId) {
        if self.seen.insert(post) {
            self.delivered.push_back(post);
            if self.delivered.len() > REMEMBERED
                && let Some(old) = self.delivered.pop_front()
            {
                self.seen.remove(&old);
            }
        }
        let key = post.uuid();
        if self.last.is_none_or(|last| key > last) {
            self.last = Some(key);
        }
    }

    /// Where a replay after a gap starts: a margin before the last delivered post, never
    /// before the floor.
    fn since(&self) -> Option<Uuid> {
        let margin = self.last.and_then(|last| {
            let (secs, nanos) = last.get_timestamp()?.to_unix();
            let millis =
                (secs * 1000 + u64::from(nanos) / 1_000_000).saturating_sub(REPLAY_MARGIN_MS);
            Some(uuid::Builder::from_unix_timestamp_millis(millis, &[0; 10]).into_uuid())
        });
        match (margin, self.floor) {
            (Some(m), Some(f)) => Some(m.max(f)),
            (m, f) => m.or(f),
        }
    }
}

struct Watch<T, P> {
    rc: Arc<RequestContext>,
    events: SelectAll<DeliveryStream>,
    allowed: Allowed<P>,
    handle: Handle<T, P>,
    /// The standing rights decision.
    proof: P,
    resume: Option<Resume<T, P>>,
    /// Items waiting to go out (a replay's).
    pending: VecDeque<ApiResult<T>>,
    started: bool,
    /// When the rights decision is due to be taken again from fresh data.
    check_due: Instant,
    done: bool,
    /// What is watched, for the error that ends the stream.
    what: &'static str,
}

/// A rights decision is taken again from fresh data at least this often, plus a random part
/// of as much again (so that subscriptions started together do not all do it on the same
/// event). A safety net only: invalidations lost to a Redis outage are covered by `Resync`.
const REVALIDATE: Duration = Duration::from_secs(300);

fn revalidate_after() -> Duration {
    let jitter = Uuid::now_v7().as_u128() % u128::from(u32::MAX);
    REVALIDATE + REVALIDATE.mul_f64(jitter as f64 / f64::from(u32::MAX))
}

/// `NOT_FOUND` for what a subscription watched.
pub fn gone(what: &str) -> ApiError {
    ApiError::new(
        Code::NotFound,
        format!("{what} not found (or no longer readable)"),
    )
}

/// Drops cached rows the event makes stale. The rows the rights check reads (thread, space,
/// community, network) stay cached: what they contribute to the check only changes with a
/// `ContainerChanged` event, which drops everything. New posts carry their thread's snapshot,
/// so delivering them reads nothing from the database.
fn refresh(rc: &RequestContext, event: &Event) {
    let loaders = rc.loaders();
    match event {
        Event::PostAdded { .. } | Event::ThreadStarted { .. } => {
            loaders.clear::<ViewerUnread>();
        }
        Event::EventChanged { .. } => {
            loaders.clear::<EventId>();
            loaders.clear::<AttendanceOf>();
        }
        Event::PostChanged { .. } => {
            loaders.clear::<PostId>();
            loaders.clear::<ReactionsOf>();
            loaders.clear::<ViewerReactions>();
            loaders.clear::<FlagsOf>();
        }
        _ => {}
    }
}

/// Subscribes to every topic at once: events from now on wait in the returned streams.
pub fn subscribe(source: &dyn EventSource, topics: Vec<Topic>) -> SelectAll<DeliveryStream> {
    futures_util::stream::select_all(topics.into_iter().map(|t| source.subscribe(t)))
}

impl<T: Send + 'static, P: Clone + Send + Sync + 'static> Watch<T, P> {
    /// Replays after `since` into `pending`, skipping what was delivered; queues the error
    /// that ends the stream when the subscriber is too far behind or the read failed.
    async fn replay(&mut self, since: Option<Uuid>) {
        let Some(resume) = self.resume.as_mut() else {
            return;
        };
        let read = (resume.replay)(
            Arc::clone(&self.rc),
            self.proof.clone(),
            since,
            REPLAY_MAX + 1,
        );
        match read.await {
            Ok(items) if items.len() as u64 > REPLAY_MAX => {
                let message = format!(
                    "more than {REPLAY_MAX} posts were written since the cursor; refetch and subscribe again"
                );
                self.pending
                    .push_back(Err(ApiError::new(Code::SlowConsumer, message)));
            }
            Ok(items) => {
                for Delivered { item, post } in items {
                    if let Some(post) = post {
                        if resume.seen.contains(&post) {
                            continue;
                        }
                        resume.remember(post);
                    }
                    self.pending.push_back(Ok(item));
                }
            }
            Err(err) => self.pending.push_back(Err(err)),
        }
    }

    /// The next item, or `None` when the stream is over.
    async fn next(&mut self) -> Option<ApiResult<T>> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                if item.is_err() {
                    self.done = true;
                }
                return Some(item);
            }
            if self.done {
                return None;
            }
            if !self.started {
                self.started = true;
                let after = self.resume.as_ref().and_then(|r| r.after);
                if after.is_some() {
                    self.replay(after).await;
                    continue;
                }
            }
            let event = match self.events.next().await? {
                Delivery::Lagged(missed) => {
                    let message = format!(
                        "the subscriber fell {missed} events behind; refetch and subscribe again"
                    );
                    self.pending
                        .push_back(Err(ApiError::new(Code::SlowConsumer, message)));
                    continue;
                }
                Delivery::Event(event) => event,
            };
            // The rights decision stands until an event says rights may have changed (every
            // write that changes rights publishes one) or it grows old; then it is taken again
            // from fresh data before anything more is delivered.
            let invalidates = matches!(
                *event,
                Event::AccessChanged { .. } | Event::ContainerChanged { .. } | Event::Resync
            );
            if invalidates || Instant::now() >= self.check_due {
                self.rc.after_write().await;
                self.check_due = Instant::now() + revalidate_after();
                match (self.allowed)(Arc::clone(&self.rc)).await {
                    Ok(Some(proof)) => self.proof = proof,
                    Ok(None) => {
                        self.pending.push_back(Err(self.gone()));
                        continue;
                    }
                    Err(err) => {
                        self.pending.push_back(Err(err));
                        continue;
                    }
                }
            }
            if matches!(*event, Event::Resync) {
                // Events from other replicas may have been lost: read what was committed.
                let since = self.resume.as_ref().and_then(Resume::since);
                self.replay(since).await;
                continue;
            }
            if invalidates {
                continue;
            }
            refresh(&self.rc, &event);
            match (self.handle)(Arc::clone(&self.rc), self.proof.clone(), event).await {
                Ok(Some(Delivered { item, post })) => {
                    if let (Some(resume), Some(post)) = (self.resume.as_mut(), post) {
                        if resume.seen.contains(&post) {
                            continue;
                        }
                        resume.remember(post);
                    }
                    return Some(Ok(item));
                }
                Ok(None) => {}
                Err(err) => self.pending.push_back(Err(err)),
            }
        }
    }

    fn gone(&self) -> ApiError {
        gone(self.what)
    }
}

/// The stream of a subscription: `events` (already subscribed), checked by `allowed`
/// (standing on `proof` until an event says rights may have changed), turned into items by
/// `handle`, resumed by `resume` when given; ends after an error.
#[allow(clippy::too_many_arguments)]
pub fn watch<T: Send + 'static, P: Clone + Send + Sync + 'static>(
    rc: Arc<RequestContext>,
    events: SelectAll<DeliveryStream>,
    what: &'static str,
    proof: P,
    allowed: Allowed<P>,
    handle: Handle<T, P>,
    resume: Option<Resume<T, P>>,
) -> Live<T> {
    let state = Watch {
        rc,
        events,
        allowed,
        handle,
        proof,
        resume,
        pending: VecDeque::new(),
        started: false,
        check_due: Instant::now() + revalidate_after(),
        done: false,
        what,
    };
    Box::pin(futures_util::stream::unfold(state, |mut st| async move {
        let item = st.next().await?;
        Some((item, st))
    }))
}
