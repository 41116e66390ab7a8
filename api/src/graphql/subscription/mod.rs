//! Subscriptions, delivered over `/graphql/ws`.
//!
//! Post streams (`postAdded`, `spaceActivity`) resume without loss: given `after` (the cursor
//! of the last post the client saw, `Post.cursor`), they first replay what was committed
//! since, in order, then go on live, with no gap and no duplicate at the seam; after the
//! replica's link to the others was down they replay what was committed meanwhile.
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

mod watch;

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, SimpleObject};
use copnet_domain::{
    event::{Event, EventSource, PostChange, Topic},
    ids::{ClusterId, CommunityId, SpaceId, ThreadId},
    model,
    policy::{
        chain,
        proof::{self, Readable, Visible},
        read,
    },
    service::Replayed,
};
use uuid::Uuid;
pub use watch::Live;
use watch::{Allowed, Delivered, Handle, Replay, Resume, gone, subscribe, watch};

use super::{
    context::{RequestContext, request},
    ids::{Kind, decode_as, decode_cursor},
    multiplex::Joinable,
    types::{Asset, Event as EventObject, Notification, Post, Thread},
};
use crate::error::{ApiError, ApiResult};

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

/// What happened to an event.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum EventChangeKind {
    /// It was scheduled.
    Scheduled,
    /// Its details or schedule changed, or one of its occurrences was cancelled.
    Updated,
    /// The whole event was cancelled.
    Cancelled,
}

/// An event of a watched community that was scheduled, changed or cancelled.
#[derive(SimpleObject)]
pub struct EventChangeEvent {
    /// What happened.
    pub kind: EventChangeKind,
    /// The event as it now is.
    pub event: EventObject,
}

/// Which calendar an `eventChanged` subscription watches.
#[derive(Clone, Copy)]
enum WatchedPlace {
    /// A community's events.
    Community(CommunityId),
    /// A cluster's events.
    Cluster(ClusterId),
}

impl WatchedPlace {
    fn what(self) -> &'static str {
        match self {
            Self::Community(_) => "community",
            Self::Cluster(_) => "cluster",
        }
    }
}

/// The proof that the subscriber still sees the watched calendar.
#[derive(Clone)]
enum Watched {
    /// A visible community.
    Community(Visible<model::Community>),
    /// A cluster whose events the subscriber reads.
    Cluster(Visible<model::Cluster>),
}

impl Watched {
    /// Whether an event held there belongs to this calendar.
    fn hosts(&self, host: model::EventHost) -> bool {
        match (self, host) {
            (Self::Community(c), host) => host.community() == Some(c.id),
            (Self::Cluster(k), model::EventHost::Cluster(id)) => k.id == id,
            (Self::Cluster(_), _) => false,
        }
    }
}

/// Lets later subscribers of the same operation by the same caller share this subscription
/// (`graphql::multiplex`), once it is live. Only streams that start from now are shared: one
/// that replays from a client's cursor is its subscriber's own.
fn shareable(ctx: &Context<'_>) {
    if let Some(group) = ctx.data_opt::<Joinable>() {
        group.open();
    }
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

/// The client's `after` cursor.
fn after_cursor(after: Option<&str>) -> ApiResult<Option<Uuid>> {
    after.map(|c| decode_cursor("after", c)).transpose()
}

fn delivered_post(post: Readable<model::Post>) -> Delivered<Post> {
    Delivered {
        post: Some(post.id),
        item: Post(post),
    }
}

/// A space's activity item for a post: the thread's first post started it.
fn activity((thread, post): Replayed) -> Delivered<SpaceActivityEvent> {
    let kind = if post.created_at == thread.created_at {
        SpaceActivityKind::ThreadStarted
    } else {
        SpaceActivityKind::PostAdded
    };
    Delivered {
        post: Some(post.id),
        item: SpaceActivityEvent {
            kind,
            thread: Thread(thread),
            post: Post(post),
        },
    }
}

/// Live events, over `/graphql/ws` (graphql-transport-ws, or the legacy graphql-ws).
pub struct Subscription;

/// Live updates. Subscribing to something the caller may not read is `NOT_FOUND`; rights are
/// checked again at every delivery; a lagging subscriber gets `SLOW_CONSUMER`.
#[async_graphql::Subscription]
impl Subscription {
    /// New posts of a thread, as they are written. With `after` (a post's `cursor`), the
    /// posts written since that one come first, in order, then new ones, with none missed and
    /// none twice (at most 500 are replayed: further behind is `SLOW_CONSUMER`, refetch).
    async fn post_added(
        &self,
        ctx: &Context<'_>,
        thread_id: ID,
        #[graphql(desc = "The `cursor` of the last post the client has.")] after: Option<String>,
    ) -> Result<Live<Post>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let thread: ThreadId = decode_as("threadId", Kind::Thread, &thread_id)?;
        let after = after_cursor(after.as_deref())?;
        let allowed = thread_allowed(thread);
        let readable = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone("thread"))?;
        let mut topics = guard_topics(&rc, readable.community().id).await?;
        topics.push(Topic::Thread(thread));
        let events = subscribe(source(ctx)?.as_ref(), topics);
        let handle: Handle<Post, Readable<model::Thread>> = Arc::new(move |_, watched, event| {
            Box::pin(async move {
                Ok(match &*event {
                    Event::PostAdded {
                        thread: snapshot,
                        post,
                        ..
                    } if post.thread_id == thread => {
                        new_post(watched.space(), snapshot, post).map(|(_, p)| delivered_post(p))
                    }
                    _ => None,
                })
            })
        });
        let replay: Replay<Post, Readable<model::Thread>> =
            Arc::new(move |rc, watched, since, limit| {
                Box::pin(async move {
                    let posts = rc.services().replay_thread(&watched, since, limit).await?;
                    Ok(posts.into_iter().map(|(_, p)| delivered_post(p)).collect())
                })
            });
        // The newest post now: what a gap's replay never goes before.
        let floor = Some(readable.last_post_id.uuid());
        if after.is_none() {
            shareable(ctx);
        }
        Ok(watch(
            rc,
            events,
            "thread",
            readable,
            allowed,
            handle,
            Some(Resume::new(replay, after, floor)),
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
        let events = subscribe(source(ctx)?.as_ref(), topics);
        let handle: Handle<PostChangeEvent, Readable<model::Thread>> =
            Arc::new(move |_, watched, event| {
                Box::pin(async move {
                    Ok(match &*event {
                        Event::PostChanged { post, change, .. } => {
                            proof::read_post(&watched, Arc::new(post.clone())).map(|post| {
                                Delivered {
                                    post: None,
                                    item: PostChangeEvent {
                                        change: (*change).into(),
                                        post: Post(post),
                                    },
                                }
                            })
                        }
                        _ => None,
                    })
                })
            });
        shareable(ctx);
        Ok(watch(rc, events, "thread", readable, allowed, handle, None))
    }

    /// New threads and posts of a space. With `after` (a post's `cursor`), the posts written
    /// in the space since that one come first, in order, then new ones, with none missed and
    /// none twice (at most 500 are replayed: further behind is `SLOW_CONSUMER`, refetch).
    async fn space_activity(
        &self,
        ctx: &Context<'_>,
        space_id: ID,
        #[graphql(desc = "The `cursor` of the last post the client has.")] after: Option<String>,
    ) -> Result<Live<SpaceActivityEvent>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let space: SpaceId = decode_as("spaceId", Kind::Space, &space_id)?;
        let after = after_cursor(after.as_deref())?;
        let allowed = space_allowed(space);
        let readable = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone("space"))?;
        let mut topics = guard_topics(&rc, readable.community().id).await?;
        topics.push(Topic::Space(space));
        let events = subscribe(source(ctx)?.as_ref(), topics);
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
                        new_post(&watched, thread, post).map(|(thread, post)| Delivered {
                            post: Some(post.id),
                            item: SpaceActivityEvent {
                                kind,
                                thread: Thread(thread),
                                post: Post(post),
                            },
                        }),
                    )
                })
            });
        let replay: Replay<SpaceActivityEvent, Readable<model::Space>> =
            Arc::new(move |rc, watched, since, limit| {
                Box::pin(async move {
                    let posts = rc.services().replay_space(&watched, since, limit).await?;
                    Ok(posts.into_iter().map(activity).collect())
                })
            });
        // The newest post now (read after subscribing): what a gap's replay never goes before.
        let floor = rc
            .services()
            .newest_in_space(&readable)
            .await?
            .map(|p| p.uuid());
        if after.is_none() {
            shareable(ctx);
        }
        Ok(watch(
            rc,
            events,
            "space",
            readable,
            allowed,
            handle,
            Some(Resume::new(replay, after, floor)),
        ))
    }

    /// Events of a community (community-wide, and in the spaces the subscriber reads), or of
    /// a regional cluster (for those who read its events: members of its communities, its
    /// coordinators, the network's stewards), as they are scheduled, changed or cancelled.
    /// Give exactly one of `communityId` and `clusterId`. An event the subscriber cannot
    /// read is never delivered; rights are checked at each delivery.
    async fn event_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community whose events to watch.")] community_id: Option<ID>,
        #[graphql(desc = "The regional cluster whose events to watch.")] cluster_id: Option<ID>,
    ) -> Result<Live<EventChangeEvent>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let place = match (community_id, cluster_id) {
            (Some(c), None) => {
                WatchedPlace::Community(decode_as("communityId", Kind::Community, &c)?)
            }
            (None, Some(k)) => WatchedPlace::Cluster(decode_as("clusterId", Kind::Cluster, &k)?),
            _ => {
                return Err(ApiError::bad_input(
                    "communityId",
                    "give exactly one of communityId and clusterId",
                ));
            }
        };
        let allowed: Allowed<Watched> = Arc::new(move |rc| {
            Box::pin(async move {
                let access = rc.access().await?;
                Ok(match place {
                    WatchedPlace::Community(id) => chain::community(&*rc, &access, id)
                        .await?
                        .map(Watched::Community),
                    WatchedPlace::Cluster(id) => chain::cluster(&*rc, &access, id)
                        .await?
                        .filter(|k| read::can_read_cluster_events(&access, k))
                        .map(Watched::Cluster),
                })
            })
        });
        let watched = allowed(Arc::clone(&rc))
            .await?
            .ok_or_else(|| gone(place.what()))?;
        let mut topics = match &watched {
            Watched::Community(c) => {
                let mut topics = guard_topics(&rc, c.id).await?;
                topics.push(Topic::CommunityEvents(c.id));
                topics
            }
            Watched::Cluster(k) => {
                let mut topics = vec![Topic::ClusterEvents(k.id)];
                if let Some(person) = rc.access().await?.person {
                    topics.push(Topic::Person(person));
                }
                topics
            }
        };
        topics.dedup();
        let events = subscribe(source(ctx)?.as_ref(), topics);
        let handle: Handle<EventChangeEvent, Watched> = Arc::new(move |rc, watched, event| {
            Box::pin(async move {
                let Event::EventChanged { event, host } = &*event else {
                    return Ok(None);
                };
                if !watched.hosts(*host) {
                    return Ok(None);
                }
                let access = rc.access().await?;
                let Some(readable) = chain::event(&*rc, &access, *event).await? else {
                    return Ok(None);
                };
                let kind = if readable.cancelled {
                    EventChangeKind::Cancelled
                } else if readable.created_at == readable.updated_at {
                    EventChangeKind::Scheduled
                } else {
                    EventChangeKind::Updated
                };
                Ok(Some(Delivered {
                    post: None,
                    item: EventChangeEvent {
                        kind,
                        event: EventObject(readable),
                    },
                }))
            })
        });
        shareable(ctx);
        Ok(watch(
            rc,
            events,
            place.what(),
            watched,
            allowed,
            handle,
            None,
        ))
    }

    /// Assets the caller is named to review, as `submitAssetForReview` names them (the asset
    /// as it now is, if the caller still reads it). Signed-in people only.
    async fn asset_review_requested(&self, ctx: &Context<'_>) -> Result<Live<Asset>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let access = rc.access().await?;
        let me = access.require_person()?;
        let myself = proof::myself(&access, me).ok_or_else(|| gone("person"))?;
        let events = subscribe(source(ctx)?.as_ref(), vec![Topic::Person(me)]);
        let allowed: Allowed<proof::Myself> = Arc::new(move |rc| {
            Box::pin(async move { Ok(proof::myself(&*rc.access().await?, me)) })
        });
        let handle: Handle<Asset, proof::Myself> = Arc::new(move |rc, myself, event| {
            Box::pin(async move {
                let Event::AssetReviewRequested { reviewer, asset } = &*event else {
                    return Ok(None);
                };
                if *reviewer != myself.id() {
                    return Ok(None);
                }
                let access = rc.access().await?;
                Ok(chain::asset(&*rc, &access, *asset)
                    .await?
                    .map(|a| Delivered {
                        post: None,
                        item: Asset(a),
                    }))
            })
        });
        shareable(ctx);
        Ok(watch(rc, events, "person", myself, allowed, handle, None))
    }

    /// The caller's new notifications. Signed-in people only.
    async fn notification_added(&self, ctx: &Context<'_>) -> Result<Live<Notification>, ApiError> {
        let rc = Arc::clone(request(ctx)?);
        let access = rc.access().await?;
        let me = access.require_person()?;
        let myself = proof::myself(&access, me).ok_or_else(|| gone("person"))?;
        let events = subscribe(source(ctx)?.as_ref(), vec![Topic::Person(me)]);
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
                        .map(|n| Delivered {
                            post: None,
                            item: Notification(n),
                        }),
                    _ => None,
                })
            })
        });
        shareable(ctx);
        Ok(watch(
            rc,
            events,
            "notification",
            myself,
            allowed,
            handle,
            None,
        ))
    }
}
