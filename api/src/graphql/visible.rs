//! Point lookups through the policy: each loads rows with the request's loaders and answers
//! `None` when the thing does not exist or the caller may not see it (the edge then says
//! `NOT_FOUND`, never `FORBIDDEN`).

use async_graphql::Context;
use copnet_domain::{
    ids::{ClusterId, CommunityId, NetworkId, PersonId, PostId, SpaceId, ThreadId},
    model::{Cluster, Community, Network, Post, Space, Thread},
    policy::{filter::PersonFilter, read},
};

use super::{
    context::{access, load},
    loaders::VisiblePerson,
};
use crate::error::ApiResult;

/// A visible network.
pub async fn network(ctx: &Context<'_>, id: NetworkId) -> ApiResult<Option<Network>> {
    let access = access(ctx).await?;
    Ok(load(ctx, id)
        .await?
        .filter(|n| read::can_see_network(&access, n)))
}

/// A visible cluster (its network is visible), with its network.
pub async fn cluster(ctx: &Context<'_>, id: ClusterId) -> ApiResult<Option<(Network, Cluster)>> {
    let Some(cluster) = load(ctx, id).await? else {
        return Ok(None);
    };
    Ok(network(ctx, cluster.network_id)
        .await?
        .map(|n| (n, cluster)))
}

/// A visible community, with its network.
pub async fn community(
    ctx: &Context<'_>,
    id: CommunityId,
) -> ApiResult<Option<(Network, Community)>> {
    let Some(community) = load(ctx, id).await? else {
        return Ok(None);
    };
    let Some(network) = load(ctx, community.network_id).await? else {
        return Ok(None);
    };
    let access = access(ctx).await?;
    Ok(read::can_see_community(&access, &network, &community).then_some((network, community)))
}

/// A visible space, with its community and network.
pub async fn space(
    ctx: &Context<'_>,
    id: SpaceId,
) -> ApiResult<Option<(Network, Community, Space)>> {
    let Some(space) = load(ctx, id).await? else {
        return Ok(None);
    };
    let Some((network, community)) = community(ctx, space.community_id).await? else {
        return Ok(None);
    };
    let access = access(ctx).await?;
    Ok(read::can_see_space(&access, &network, &community, &space)
        .then_some((network, community, space)))
}

/// Whether the caller may see the person (rule 8).
pub async fn person(ctx: &Context<'_>, id: PersonId) -> ApiResult<bool> {
    let access = access(ctx).await?;
    if access.person == Some(id) {
        return Ok(true);
    }
    let key = VisiblePerson {
        person: id,
        filter: PersonFilter::for_access(&access),
    };
    Ok(load(ctx, key).await?.unwrap_or(false))
}

/// A space whose content the caller may read (rule 1), with its community and network.
pub async fn readable_space(
    ctx: &Context<'_>,
    id: SpaceId,
) -> ApiResult<Option<(Network, Community, Space)>> {
    let Some((network, community, space)) = space(ctx, id).await? else {
        return Ok(None);
    };
    let access = access(ctx).await?;
    Ok(read::can_read_space(&access, &network, &community, &space)
        .then_some((network, community, space)))
}

/// A thread in a readable space, with its community.
pub async fn thread(ctx: &Context<'_>, id: ThreadId) -> ApiResult<Option<(Community, Thread)>> {
    let Some(thread) = load(ctx, id).await? else {
        return Ok(None);
    };
    Ok(readable_space(ctx, thread.space_id)
        .await?
        .map(|(_, community, _)| (community, thread)))
}

/// A post in a readable space, with its community.
pub async fn post(ctx: &Context<'_>, id: PostId) -> ApiResult<Option<(Community, Post)>> {
    let Some(post) = load(ctx, id).await? else {
        return Ok(None);
    };
    Ok(thread(ctx, post.thread_id)
        .await?
        .map(|(community, _)| (community, post)))
}
