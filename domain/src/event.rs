//! Domain events: published after the write that caused them has committed, fanned out to
//! subscribers (in-process, or through Redis across replicas), and checked against each
//! subscriber's rights at delivery (DOMAIN.md rule 6).
//!
//! Events carry what subscribers need to render them (a post's snapshot), so delivery costs
//! no database round trip; access to that content is still decided per subscriber.

use std::{pin::Pin, sync::Arc};

use async_trait::async_trait;
use futures_core::Stream;

use crate::{
    cache::CacheScope,
    ids::{
        AssetId, ClusterId, CommunityId, EventId, NotificationId, PersonId, ServiceAccountId,
        SpaceId, ThreadId,
    },
    model::{EventHost, Post, Thread},
};

/// What changed about a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PostChange {
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

/// Something that happened. Serializable, to travel between replicas.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// A thread was started; `post` is its first post.
    ThreadStarted {
        /// The community of the space.
        community: CommunityId,
        /// The thread as stored.
        thread: Thread,
        /// Its first post.
        post: Post,
    },
    /// A post was added to a thread.
    PostAdded {
        /// The community of the space.
        community: CommunityId,
        /// The space of the thread.
        space: SpaceId,
        /// The thread as updated by the post (activity, count).
        thread: Thread,
        /// The post as stored.
        post: Post,
    },
    /// A post changed.
    PostChanged {
        /// The community of the space.
        community: CommunityId,
        /// The space of the thread.
        space: SpaceId,
        /// The post as it now is.
        post: Post,
        /// What changed.
        change: PostChange,
    },
    /// An event was scheduled, changed or cancelled.
    EventChanged {
        /// Which.
        event: EventId,
        /// Where it is held.
        host: EventHost,
    },
    /// A person was named a reviewer of an asset.
    AssetReviewRequested {
        /// Who reviews.
        reviewer: PersonId,
        /// Which asset.
        asset: AssetId,
    },
    /// A notification was made for a person.
    NotificationAdded {
        /// Whom it is for.
        person: PersonId,
        /// Which.
        notification: NotificationId,
    },
    /// What a person may read may have changed (membership, roles, space lists): cached
    /// access sets of that person must be dropped.
    AccessChanged {
        /// Whose.
        person: PersonId,
    },
    /// A community's or one of its spaces' settings changed (visibility, stage): cached
    /// containers must be dropped.
    ContainerChanged {
        /// Which community.
        community: CommunityId,
    },
    /// A community's figures moved without another event saying so (membership, an asset
    /// published, feedback, an RSVP): its cached health must be dropped. No subscriber
    /// receives it.
    FiguresChanged {
        /// Which community.
        community: CommunityId,
    },
    /// A service account's keys changed (the account revoked, a key rotated out): its open
    /// connections look their key up again, on every replica, and close when it no longer
    /// authenticates or at its new expiry.
    CredentialChanged {
        /// Which account.
        account: ServiceAccountId,
    },
    /// Events from other replicas may have been missed (the link between replicas was
    /// down): every subscriber must check its rights again. Delivered locally only.
    Resync,
}

/// Where an event is delivered. Each is one pub/sub channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Topic {
    /// Everything about one thread's posts.
    Thread(ThreadId),
    /// New threads and posts of one space.
    Space(SpaceId),
    /// One person's notifications and access changes.
    Person(PersonId),
    /// Settings changes of one community.
    Community(CommunityId),
    /// The credential of one service account.
    ServiceAccount(ServiceAccountId),
    /// Events scheduled, changed or cancelled in one community (and its spaces).
    CommunityEvents(CommunityId),
    /// Events scheduled, changed or cancelled in one regional cluster.
    ClusterEvents(ClusterId),
}

impl Event {
    /// The topics it is delivered on.
    pub fn topics(&self) -> Vec<Topic> {
        match self {
            Event::ThreadStarted { thread, .. } => {
                vec![Topic::Thread(thread.id), Topic::Space(thread.space_id)]
            }
            Event::PostAdded { space, post, .. } => {
                vec![Topic::Thread(post.thread_id), Topic::Space(*space)]
            }
            Event::PostChanged { post, .. } => vec![Topic::Thread(post.thread_id)],
            Event::NotificationAdded { person, .. }
            | Event::AccessChanged { person }
            | Event::AssetReviewRequested {
                reviewer: person, ..
            } => vec![Topic::Person(*person)],
            Event::ContainerChanged { community } => vec![Topic::Community(*community)],
            Event::EventChanged { host, .. } => match host {
                EventHost::Community { community, .. } => vec![Topic::CommunityEvents(*community)],
                EventHost::Cluster(cluster) => vec![Topic::ClusterEvents(*cluster)],
            },
            Event::CredentialChanged { account } => vec![Topic::ServiceAccount(*account)],
            Event::FiguresChanged { .. } | Event::Resync => Vec::new(),
        }
    }

    /// The cache scopes it invalidates (see [`crate::cache`]).
    pub fn cache_scopes(&self) -> Vec<CacheScope> {
        match self {
            Event::ThreadStarted { community, .. }
            | Event::PostAdded { community, .. }
            | Event::PostChanged { community, .. }
            | Event::ContainerChanged { community }
            | Event::FiguresChanged { community }
            | Event::EventChanged {
                host: EventHost::Community { community, .. },
                ..
            } => vec![CacheScope::Community(*community)],
            Event::EventChanged {
                host: EventHost::Cluster(_),
                ..
            }
            | Event::AssetReviewRequested { .. }
            | Event::NotificationAdded { .. }
            | Event::AccessChanged { .. }
            | Event::CredentialChanged { .. }
            | Event::Resync => Vec::new(),
        }
    }
}

/// Publishes events after commit. Publishing never fails the caller: a failure is logged
/// and counted by the implementation.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Hands the event to every replica's subscribers.
    async fn publish(&self, event: Event);
}

/// What a subscriber receives.
#[derive(Debug, Clone)]
pub enum Delivery {
    /// An event.
    Event(Arc<Event>),
    /// The subscriber fell behind and this many events were dropped for it.
    Lagged(u64),
}

/// A stream of deliveries for one topic.
pub type DeliveryStream = Pin<Box<dyn Stream<Item = Delivery> + Send>>;

/// Subscribes to topics on this replica.
pub trait EventSource: Send + Sync {
    /// Deliveries of the topic from now on.
    fn subscribe(&self, topic: Topic) -> DeliveryStream;
    /// How many subscribers the topic has on this replica.
    fn subscribers(&self, topic: Topic) -> usize;
}

/// Renders Markdown to sanitized HTML.
pub trait MarkdownRenderer: Send + Sync {
    /// Safe HTML: no scripts, event handlers or `javascript:` URLs.
    fn render(&self, markdown: &str) -> String;
}
