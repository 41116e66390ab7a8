//! The read side's one chain: find a thing and its containers through a [`Lookup`], and let
//! the steps of [`proof`](super::proof) decide. The API implements [`Lookup`] over its
//! request-scoped loaders (so concurrent resolvers share batches), the write services over
//! the repositories; both ask these functions, and nothing else decides visibility.
//!
//! Every function answers `Ok(None)` when the thing does not exist or the caller may not see
//! it: the edge says `NOT_FOUND` for both (rule 2). Errors are infrastructure failures only.

use std::sync::Arc;

use async_trait::async_trait;

use super::{
    filter::PersonFilter,
    proof::{self, Readable, Visible},
};
use crate::{
    access::AccessSet,
    error::DomainResult,
    ids::{
        AssetId, ClusterId, CommunityId, EventId, NetworkId, PersonId, PostId, SpaceId, ThreadId,
        TopicId,
    },
    model::{
        Asset, Cluster, Community, Convening, EventHost, Network, Person, Post, Space, Thread,
        Topic,
    },
};

/// Rows by id, in batches: what the chain needs to read.
#[async_trait]
pub trait Lookup: Send + Sync {
    /// Networks with these ids (missing ones left out).
    async fn networks(&self, ids: &[NetworkId]) -> DomainResult<Vec<Arc<Network>>>;
    /// Clusters with these ids.
    async fn clusters(&self, ids: &[ClusterId]) -> DomainResult<Vec<Arc<Cluster>>>;
    /// Communities with these ids.
    async fn communities(&self, ids: &[CommunityId]) -> DomainResult<Vec<Arc<Community>>>;
    /// Spaces with these ids.
    async fn spaces(&self, ids: &[SpaceId]) -> DomainResult<Vec<Arc<Space>>>;
    /// Threads with these ids.
    async fn threads(&self, ids: &[ThreadId]) -> DomainResult<Vec<Arc<Thread>>>;
    /// Posts with these ids.
    async fn posts(&self, ids: &[PostId]) -> DomainResult<Vec<Arc<Post>>>;
    /// Events with these ids.
    async fn events(&self, ids: &[EventId]) -> DomainResult<Vec<Arc<Convening>>>;
    /// Topics with these ids.
    async fn topics(&self, ids: &[TopicId]) -> DomainResult<Vec<Arc<Topic>>>;
    /// Assets with these ids.
    async fn assets(&self, ids: &[AssetId]) -> DomainResult<Vec<Arc<Asset>>>;
    /// People with these ids.
    async fn people(&self, ids: &[PersonId]) -> DomainResult<Vec<Arc<Person>>>;
    /// Which of these people the filter lets the caller see (rule 8, decided in SQL).
    async fn visible_people(
        &self,
        ids: &[PersonId],
        filter: &PersonFilter,
    ) -> DomainResult<Vec<PersonId>>;
}

fn first<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// A visible network.
pub async fn network<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: NetworkId,
) -> DomainResult<Option<Visible<Network>>> {
    Ok(first(lookup.networks(&[id]).await?).and_then(|n| proof::see_network(access, n)))
}

/// A visible cluster.
pub async fn cluster<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: ClusterId,
) -> DomainResult<Option<Visible<Cluster>>> {
    let Some(cluster) = first(lookup.clusters(&[id]).await?) else {
        return Ok(None);
    };
    cluster_row(lookup, access, cluster).await
}

/// A cluster already loaded, if visible.
pub async fn cluster_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    cluster: Arc<Cluster>,
) -> DomainResult<Option<Visible<Cluster>>> {
    Ok(network(lookup, access, cluster.network_id)
        .await?
        .and_then(|n| proof::see_cluster(&n, cluster)))
}

/// A visible community.
pub async fn community<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: CommunityId,
) -> DomainResult<Option<Visible<Community>>> {
    let Some(community) = first(lookup.communities(&[id]).await?) else {
        return Ok(None);
    };
    community_row(lookup, access, community).await
}

/// A community already loaded, if visible.
pub async fn community_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    community: Arc<Community>,
) -> DomainResult<Option<Visible<Community>>> {
    Ok(network(lookup, access, community.network_id)
        .await?
        .and_then(|n| proof::see_community(access, &n, community)))
}

/// A visible space.
pub async fn space<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: SpaceId,
) -> DomainResult<Option<Visible<Space>>> {
    let Some(space) = first(lookup.spaces(&[id]).await?) else {
        return Ok(None);
    };
    space_row(lookup, access, space).await
}

/// A space already loaded, if visible.
pub async fn space_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    space: Arc<Space>,
) -> DomainResult<Option<Visible<Space>>> {
    Ok(community(lookup, access, space.community_id)
        .await?
        .and_then(|c| proof::see_space(access, &c, space)))
}

/// A space whose content the caller may read (rule 1).
pub async fn readable_space<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: SpaceId,
) -> DomainResult<Option<Readable<Space>>> {
    Ok(space(lookup, access, id)
        .await?
        .and_then(|s| proof::read_space(access, &s)))
}

/// A thread of a readable space.
pub async fn thread<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: ThreadId,
) -> DomainResult<Option<Readable<Thread>>> {
    let Some(thread) = first(lookup.threads(&[id]).await?) else {
        return Ok(None);
    };
    thread_row(lookup, access, thread).await
}

/// A thread already loaded, if readable.
pub async fn thread_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    thread: Arc<Thread>,
) -> DomainResult<Option<Readable<Thread>>> {
    Ok(readable_space(lookup, access, thread.space_id)
        .await?
        .and_then(|s| proof::read_thread(&s, thread)))
}

/// A post of a readable thread.
pub async fn post<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: PostId,
) -> DomainResult<Option<Readable<Post>>> {
    let Some(post) = first(lookup.posts(&[id]).await?) else {
        return Ok(None);
    };
    post_row(lookup, access, post).await
}

/// A post already loaded, if readable.
pub async fn post_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    post: Arc<Post>,
) -> DomainResult<Option<Readable<Post>>> {
    Ok(thread(lookup, access, post.thread_id)
        .await?
        .and_then(|t| proof::read_post(&t, post)))
}

/// A readable event.
pub async fn event<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: EventId,
) -> DomainResult<Option<Readable<Convening>>> {
    let Some(event) = first(lookup.events(&[id]).await?) else {
        return Ok(None);
    };
    event_row(lookup, access, event).await
}

/// An event already loaded, if readable: through its space, its community or its cluster.
pub async fn event_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    event: Arc<Convening>,
) -> DomainResult<Option<Readable<Convening>>> {
    Ok(match event.host {
        EventHost::Community {
            space: Some(space), ..
        } => readable_space(lookup, access, space)
            .await?
            .and_then(|s| proof::read_space_event(&s, event)),
        EventHost::Community {
            community: id,
            space: None,
        } => community(lookup, access, id)
            .await?
            .and_then(|c| proof::read_community_event(&c, event)),
        EventHost::Cluster(id) => cluster(lookup, access, id)
            .await?
            .and_then(|k| proof::read_cluster_event(access, &k, event)),
    })
}

/// Events listed for a visible community's calendar (by its
/// [`EventScope`](crate::listing::EventScope)), admitted one by one: community-wide events by
/// the community's proof, space events by their space read inside it (the spaces in one
/// batch). Rows of other places are dropped.
pub async fn community_events<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    community: &Visible<Community>,
    rows: Vec<Arc<Convening>>,
) -> DomainResult<Vec<Readable<Convening>>> {
    let mut ids: Vec<SpaceId> = rows
        .iter()
        .filter_map(|r| match r.host {
            EventHost::Community { space, .. } => space,
            EventHost::Cluster(_) => None,
        })
        .collect();
    ids.sort();
    ids.dedup();
    let spaces: Vec<Readable<Space>> = if ids.is_empty() {
        Vec::new()
    } else {
        lookup
            .spaces(&ids)
            .await?
            .into_iter()
            .filter_map(|s| proof::see_space(access, community, s))
            .filter_map(|s| proof::read_space(access, &s))
            .collect()
    };
    Ok(rows
        .into_iter()
        .filter_map(|row| match row.host {
            EventHost::Community { space: None, .. } => proof::read_community_event(community, row),
            EventHost::Community { space: Some(s), .. } => spaces
                .iter()
                .find(|space| space.id == s)
                .and_then(|space| proof::read_space_event(space, row)),
            EventHost::Cluster(_) => None,
        })
        .collect())
}

/// A visible topic.
pub async fn topic<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: TopicId,
) -> DomainResult<Option<Visible<Topic>>> {
    let Some(topic) = first(lookup.topics(&[id]).await?) else {
        return Ok(None);
    };
    topic_row(lookup, access, topic).await
}

/// A topic already loaded, if its network is visible.
pub async fn topic_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    topic: Arc<Topic>,
) -> DomainResult<Option<Visible<Topic>>> {
    Ok(network(lookup, access, topic.network_id)
        .await?
        .and_then(|n| proof::see_topic(&n, topic)))
}

/// A readable asset.
pub async fn asset<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: AssetId,
) -> DomainResult<Option<Readable<Asset>>> {
    let Some(asset) = first(lookup.assets(&[id]).await?) else {
        return Ok(None);
    };
    asset_row(lookup, access, asset).await
}

/// An asset already loaded, if readable: its space readable and its status shown to the
/// caller.
pub async fn asset_row<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    asset: Arc<Asset>,
) -> DomainResult<Option<Readable<Asset>>> {
    Ok(readable_space(lookup, access, asset.space_id)
        .await?
        .and_then(|s| proof::read_asset(access, &s, asset)))
}

/// A visible person (rule 8): the caller, or someone the caller's filter lets them see.
pub async fn person<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    id: PersonId,
) -> DomainResult<Option<Visible<Person>>> {
    Ok(people(lookup, access, &[id]).await?.into_iter().next())
}

/// The visible ones of these people, in one batch.
pub async fn people<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    ids: &[PersonId],
) -> DomainResult<Vec<Visible<Person>>> {
    let others: Vec<PersonId> = ids
        .iter()
        .copied()
        .filter(|id| access.person != Some(*id))
        .collect();
    let seen = if others.is_empty() {
        Vec::new()
    } else {
        lookup
            .visible_people(&others, &PersonFilter::for_access(access))
            .await?
    };
    let shown: Vec<PersonId> = ids
        .iter()
        .copied()
        .filter(|id| access.person == Some(*id) || seen.contains(id))
        .collect();
    if shown.is_empty() {
        return Ok(Vec::new());
    }
    let rows = lookup.people(&shown).await?;
    Ok(shown
        .iter()
        .filter_map(|id| rows.iter().find(|p| p.id == *id))
        .map(|p| proof::see_person(Arc::clone(p)))
        .collect())
}
