//! Subscriptions, delivered over `/graphql/ws`.
//!
//! Every event is checked against the subscriber's rights when it is delivered (DOMAIN.md
//! rule 6). Every write that can change rights publishes an `AccessChanged` (for the person)
//! or `ContainerChanged` (for the community) event, which each subscription also listens to;
//! the subscription's rights decision is taken when it starts and taken again, from fresh
//! data, on each such event before anything more is delivered. When the link between
//! replicas was down (Redis), a `Resync` makes every subscription check again; as a last
//! safety net, each one also checks every 5 to 10 minutes. So a person removed from a private space gets a `NOT_FOUND`
//! error on the subscription, which then ends. A subscriber that falls more than the per-subscription buffer (256 events)
//! behind gets a `SLOW_CONSUMER` error and the subscription ends: the client should refetch
//! what it shows and subscribe again. Slow subscribers never delay others.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use async_graphql::{Context, Enum, ID, SimpleObject};
use copnet_domain::{
    event::{Delivery, DeliveryStream, Event, EventSource, PostChange, Topic},
    ids::{CommunityId, PostId, SpaceId, ThreadId},
    model,
    policy::{
        chain,
        proof::{self, Readable},
    },
};
use futures_util::{Stream, StreamExt, future::BoxFuture, stream::select_all};

use super::{
    context::{RequestContext, request},
    ids::{Kind, decode_as},
    loaders::{FlagsOf, ReactionsOf, ViewerReactions, ViewerUnread},
    types::{Notification, Post, Thread},
};
use crate::error::{ApiError, ApiResult, Code};

/// What happened to a post.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PostChangeKind {
    /// Its body was edited.
    Edited,
    /// A moderator hid it.
    Hidden,
    /// A moderator showed it again.
    Unhidden,
    /// It was deleted.
    Deleted,
    /// Its reactions changed.
    Reactions,
}

impl From<PostChange> for PostChangeKind {
    fn from(change: PostChange) -> Self {
        match change {
            PostChange::Edited => PostChangeKind::Edited,
            PostChange::Hidden => PostChangeKind::Hidden,
            PostChange::Unhidden => PostChangeKind::Unhidden,
            PostChange::Deleted => PostChangeKind::Deleted,
            PostChange::Reactions => PostChangeKind::Reactions,
        }
    }
}

/// A change to a post of a watched thread.
#[derive(SimpleObject)]
pub struct PostChangeEvent {
    /// What changed.
    pub change: PostChangeKind,
    /// The post as it now is.
    pub post: Post,
}

/// What happened in a watched space.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SpaceActivityKind {
    /// A thread was started (`post` is its first post).
    ThreadStarted,
    /// A post was added to a thread.
    PostAdded,
}

/// New threads and posts of a watched space.
#[derive(SimpleObject)]
pub struct SpaceActivityEvent {
    /// What happened.
    pub kind: SpaceActivityKind,
    /// The thread concerned.
    pub thread: Thread,
    /// The new post.
    pub post: Post,
}

/// A subscription's stream of items (or of the one error that ends it).
pub type Live<T> = std::pin::Pin<Box<dyn Stream<Item = ApiResult<T>> + Send>>;

/// Takes the rights decision from fresh data: the policy's proof that the subscriber may
/// still see what it watches, or `None`.
type Allowed<P> =
    Arc<dyn Fn(Arc<RequestContext>) -> BoxFuture<'static, ApiResult<Option<P>>> + Send + Sync>;
/// Turns a content event into an item (with the proof of the watched container), or skips it.
type Handle<T, P> = Arc<
    dyn Fn(Arc<RequestContext>, P, Arc<Event>) -> BoxFuture<'static, ApiResult<Option<T>>>
        + Send
        + Sync,
>;

struct Watch<T, P> {
    rc: Arc<RequestContext>,
    events: futures_util::stream::SelectAll<DeliveryStream>,
    allowed: Allowed<P>,
    handle: Handle<T, P>,
    /// The standing rights decision.
    proof: P,
    /// When the rights decision is due to be taken again from fresh data.
    check_due: Instant,
    done: bool,
}

/// A rights decision is taken again from fresh data at least this often, plus a random part
/// of as much again (so that subscriptions started together do not all do it on the same
/// event). A safety net only: invalidations lost to a Redis outage are covered by `Resync`.
const REVALIDATE: Duration = Duration::from_secs(300);

fn revalidate_after() -> Duration {
    let jitter = uuid::Uuid::now_v7().as_u128() % u128::from(u32::MAX);
    REVALIDATE + REVALIDATE.mul_f64(jitter as f64 / f64::from(u32::MAX))
}

fn gone(what: &str) -> ApiError {
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
        Event::PostChanged { .. } => {
            loaders.clear::<PostId>();
            loaders.clear::<ReactionsOf>();
            loaders.clear::<ViewerReactions>();
            loaders.clear::<FlagsOf>();
        }
        _ => {}
    }
}

/// The deliveries of `topics`, checked by `allowed` (standing on `proof` until an event says
/// rights may have changed) and turned into items by `handle`; ends after an error.
fn watch<T: Send + 'static, P: Clone + Send + Sync + 'static>(
    rc: Arc<RequestContext>,
    source: &dyn EventSource,
    topics: Vec<Topic>,
    what: &'static str,
    proof: P,
    allowed: Allowed<P>,
    handle: Handle<T, P>,
) -> Live<T> {
    let events = select_all(topics.into_iter().map(|t| source.subscribe(t)));
    let state = Watch {
        rc,
        events,
        allowed,
        handle,
        proof,
        check_due: Instant::now() + revalidate_after(),
        done: false,
    };
    Box::pin(futures_util::stream::unfold(
        state,
        move |mut st| async move {
            if st.done {
                return None;
            }
            loop {
                let event = match st.events.next().await? {
                    Delivery::Lagged(missed) => {
                        st.done = true;
                        let message = format!(
                            "the subscriber fell {missed} events behind; refetch and subscribe again"
                        );
                        return Some((Err(ApiError::new(Code::SlowConsumer, message)), st));
                    }
                    Delivery::Event(event) => event,
                };
                // The rights decision stands until an event says rights may have changed (every
                // write that changes rights publishes one) or it grows old; then it is taken
                // again from fresh data before anything more is delivered.
                let invalidates = matches!(
                    *event,
                    Event::AccessChanged { .. } | Event::ContainerChanged { .. } | Event::Resync
                );
                if invalidates || Instant::now() >= st.check_due {
                    st.rc.after_write().await;
                    st.check_due = Instant::now() + revalidate_after();
                    match (st.allowed)(Arc::clone(&st.rc)).await {
                        Ok(Some(proof)) => st.proof = proof,
                        Ok(None) => {
                            st.done = true;
                            return Some((Err(gone(what)), st));
                        }
                        Err(err) => {
                            st.done = true;
                            return Some((Err(err), st));
                        }
                    }
                }
                if invalidates {
                    continue;
                }
                refresh(&st.rc, &event);
                match (st.handle)(Arc::clone(&st.rc), st.proof.clone(), event).await {
                    Ok(Some(item)) => return Some((Ok(item), st)),
                    Ok(None) => continue,
                    Err(err) => {
                        st.done = true;
                        return Some((Err(err), st));
                    }
                }
            }
        },
    ))
}

fn source<'a>(ctx: &Context<'a>) -> ApiResult<&'a Arc<dyn EventSource>> {
    ctx.data::<Arc<dyn EventSource>>()
        .map_err(|e| ApiError::internal(&e.message))
}

/// Topics every subscription also listens to: the subscriber's own access changes and the
/// community's settings changes.
async fn guard_topics(rc: &RequestContext, community: CommunityId) -> ApiResult<Vec<Topic>> {
    let mut topics = vec![Topic::Community(community)];
    if let Some(person) = rc.access().await?.person {
        topics.push(Topic::Person(person));
    }
    Ok(topics)
}

/// The readable thread, from fresh data.
fn thread_allowed(thread: ThreadId) -> Allowed<Readable<model::Thread>> {
    Arc::new(move |rc| {
        Box::pin(async move {
            let access = rc.access().await?;
            Ok(chain::thread(&*rc, &access, thread).await?)
        })
    })
}

/// The readable space, from fresh data.
fn space_allowed(space: SpaceId) -> Allowed<Readable<model::Space>> {
    Arc::new(move |rc| {
        Box::pin(async move {
            let access = rc.access().await?;
            Ok(chain::readable_space(&*rc, &access, space).await?)
        })
    })
}

/// A new post with its thread's snapshot, inside a readable space.
fn new_post(
    space: &Readable<model::Space>,
    thread: &model::Thread,
    post: &model::Post,
) -> Option<(Readable<model::Thread>, Readable<model::Post>)> {
    let thread = proof::read_thread(space, Arc::new(thread.clone()))?;
    let post = proof::read_post(&thread, Arc::new(post.clone()))?;
    Some((thread, post))
}

/// Live events, over `/graphql/ws` (graphql-transport-ws, or the legacy graphql-ws).
pub struct Subscription;

/// Live updates. Subscribing to something the caller may not read is `NOT_FOUND`; rights are
/// checked again at every delivery; a lagging subscriber gets `SLOW_CONSUMER`.
#[async_graphql::Subscription]
impl Subscription {
    /// New posts of a thread, as they are written.
    async fn post_added(&self, ctx: &Context<'_>, thread_id: ID) -> Result<Live<Post>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let thread: ThreadId = decode_as("threadId", Kind::Thread, &thread_id)?;
        let allowed = thread_allowed(thread);
        let readable = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone("thread"))?;
        let mut topics = guard_topics(&rc, readable.community().id).await?;
        topics.push(Topic::Thread(thread));
        let handle: Handle<Post, Readable<model::Thread>> = Arc::new(move |_, watched, event| {
            Box::pin(async move {
                Ok(match &*event {
                    Event::PostAdded {
                        thread: snapshot,
                        post,
                        ..
                    } if post.thread_id == thread => {
                        new_post(watched.space(), snapshot, post).map(|(_, p)| Post(p))
                    }
                    _ => None,
                })
            })
        });
        Ok(watch(
            rc,
            source(ctx)?.as_ref(),
            topics,
            "thread",
            readable,
            allowed,
            handle,
        ))
    }

    /// Changes to the posts of a thread: edits, hides, deletions, reactions.
    async fn post_changed(
        &self,
        ctx: &Context<'_>,
        thread_id: ID,
    ) -> Result<Live<PostChangeEvent>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let thread: ThreadId = decode_as("threadId", Kind::Thread, &thread_id)?;
        let allowed = thread_allowed(thread);
        let readable = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone("thread"))?;
        let mut topics = guard_topics(&rc, readable.community().id).await?;
        topics.push(Topic::Thread(thread));
        let handle: Handle<PostChangeEvent, Readable<model::Thread>> =
            Arc::new(move |_, watched, event| {
                Box::pin(async move {
                    Ok(match &*event {
                        Event::PostChanged { post, change, .. } => {
                            proof::read_post(&watched, Arc::new(post.clone())).map(|post| {
                                PostChangeEvent {
                                    change: (*change).into(),
                                    post: Post(post),
                                }
                            })
                        }
                        _ => None,
                    })
                })
            });
        Ok(watch(
            rc,
            source(ctx)?.as_ref(),
            topics,
            "thread",
            readable,
            allowed,
            handle,
        ))
    }

    /// New threads and posts of a space.
    async fn space_activity(
        &self,
        ctx: &Context<'_>,
        space_id: ID,
    ) -> Result<Live<SpaceActivityEvent>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let space: SpaceId = decode_as("spaceId", Kind::Space, &space_id)?;
        let allowed = space_allowed(space);
        let readable = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone("space"))?;
        let mut topics = guard_topics(&rc, readable.community().id).await?;
        topics.push(Topic::Space(space));
        let handle: Handle<SpaceActivityEvent, Readable<model::Space>> =
            Arc::new(move |_, watched, event| {
                Box::pin(async move {
                    let (kind, thread, post) = match &*event {
                        Event::ThreadStarted { thread, post, .. } => {
                            (SpaceActivityKind::ThreadStarted, thread, post)
                        }
                        Event::PostAdded { thread, post, .. } => {
                            (SpaceActivityKind::PostAdded, thread, post)
                        }
                        _ => return Ok(None),
                    };
                    Ok(
                        new_post(&watched, thread, post).map(|(thread, post)| SpaceActivityEvent {
                            kind,
                            thread: Thread(thread),
                            post: Post(post),
                        }),
                    )
                })
            });
        Ok(watch(
            rc,
            source(ctx)?.as_ref(),
            topics,
            "space",
            readable,
            allowed,
            handle,
        ))
    }

    /// The caller's new notifications. Signed-in people only.
    async fn notification_added(&self, ctx: &Context<'_>) -> Result<Live<Notification>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let access = rc.access().await?;
        let me = access.require_person()?;
        let myself = proof::myself(&access, me).ok_or_else(|| gone("person"))?;
        let allowed: Allowed<proof::Myself> = Arc::new(move |rc| {
            Box::pin(async move { Ok(proof::myself(&*rc.access().await?, me)) })
        });
        let handle: Handle<Notification, proof::Myself> = Arc::new(move |rc, myself, event| {
            Box::pin(async move {
                Ok(match &*event {
                    Event::NotificationAdded {
                        person,
                        notification,
                    } if *person == myself.id() => rc
                        .load(*notification)
                        .await?
                        .filter(|n| n.person_id == myself.id())
                        .map(Notification),
                    _ => None,
                })
            })
        });
        Ok(watch(
            rc,
            source(ctx)?.as_ref(),
            vec![Topic::Person(me)],
            "notification",
            myself,
            allowed,
            handle,
        ))
    }
}
