//! Point lookups through the policy: each loads rows with the request's loaders and answers
//! `None` when the thing does not exist or the caller may not see it (the edge then says
//! `NOT_FOUND`, never `FORBIDDEN`).

use super::context::RequestContext;
use copnet_domain::{
    ids::{ClusterId, CommunityId, NetworkId, PersonId, PostId, SpaceId, ThreadId},
    model::{Cluster, Community, Network, Post, Space, Thread},
    policy::{filter::PersonFilter, read},
};

use super::loaders::VisiblePerson;
use crate::error::ApiResult;

/// A visible network.
pub async fn network(rc: &RequestContext, id: NetworkId) -> ApiResult<Option<Network>> {
    let access = rc.access().await?;
    Ok(rc
        .load(id)
        .await?
        .filter(|n| read::can_see_network(&access, n)))
}

/// A visible cluster (its network is visible), with its network.
pub async fn cluster(rc: &RequestContext, id: ClusterId) -> ApiResult<Option<(Network, Cluster)>> {
    let Some(cluster) = rc.load(id).await? else {
        return Ok(None);
    };
    Ok(network(rc, cluster.network_id).await?.map(|n| (n, cluster)))
}

/// A visible community, with its network.
pub async fn community(
    rc: &RequestContext,
    id: CommunityId,
) -> ApiResult<Option<(Network, Community)>> {
    let Some(community) = rc.load(id).await? else {
        return Ok(None);
    };
    let Some(network) = rc.load(community.network_id).await? else {
        return Ok(None);
    };
    let access = rc.access().await?;
    Ok(read::can_see_community(&access, &network, &community).then_some((network, community)))
}

/// A visible space, with its community and network.
pub async fn space(
    rc: &RequestContext,
    id: SpaceId,
) -> ApiResult<Option<(Network, Community, Space)>> {
    let Some(space) = rc.load(id).await? else {
        return Ok(None);
    };
    let Some((network, community)) = community(rc, space.community_id).await? else {
        return Ok(None);
    };
    let access = rc.access().await?;
    Ok(read::can_see_space(&access, &network, &community, &space)
        .then_some((network, community, space)))
}

/// Whether the caller may see the person (rule 8).
pub async fn person(rc: &RequestContext, id: PersonId) -> ApiResult<bool> {
    let access = rc.access().await?;
    if access.person == Some(id) {
        return Ok(true);
    }
    let key = VisiblePerson {
        person: id,
        filter: PersonFilter::for_access(&access),
    };
    Ok(rc.load(key).await?.unwrap_or(false))
}

/// A space whose content the caller may read (rule 1), with its community and network.
pub async fn readable_space(
    rc: &RequestContext,
    id: SpaceId,
) -> ApiResult<Option<(Network, Community, Space)>> {
    let Some((network, community, space)) = space(rc, id).await? else {
        return Ok(None);
    };
    let access = rc.access().await?;
    Ok(read::can_read_space(&access, &network, &community, &space)
        .then_some((network, community, space)))
}

/// A thread in a readable space, with its community.
pub async fn thread(rc: &RequestContext, id: ThreadId) -> ApiResult<Option<(Community, Thread)>> {
    let Some(thread) = rc.load(id).await? else {
        return Ok(None);
    };
    Ok(readable_space(rc, thread.space_id)
        .await?
        .map(|(_, community, _)| (community, thread)))
}

/// A post in a readable space, with its community.
pub async fn post(rc: &RequestContext, id: PostId) -> ApiResult<Option<(Community, Post)>> {
    let Some(post) = rc.load(id).await? else {
        return Ok(None);
    };
    Ok(thread(rc, post.thread_id)
        .await?
        .map(|(community, _)| (community, post)))
}
