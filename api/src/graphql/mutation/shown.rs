//! What a mutation's payload shows: the changed object as the caller now sees it, found
//! through the policy's chain after the write (whose loaders and access set are fresh). A
//! payload is null when the caller can no longer see what they changed (none of today's
//! mutations does that to its own caller, but the chain decides, not the mutation).

use std::sync::Arc;

use async_graphql::Context;
use copnet_domain::{
    ids::{ClusterId, CommunityId, NetworkId, PostId, SpaceId, ThreadId},
    model,
    policy::chain,
};

use crate::{
    error::ApiResult,
    graphql::{
        context::caller,
        types::{
            Affiliation, Community, Invitation, JoinRequest, LearningNetwork, Membership, Post,
            RegionalCluster, Space, Thread,
        },
    },
};

/// The network.
pub async fn network(ctx: &Context<'_>, id: NetworkId) -> ApiResult<Option<LearningNetwork>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::network(rc, &a, id).await?.map(LearningNetwork))
}

/// The cluster.
pub async fn cluster(ctx: &Context<'_>, id: ClusterId) -> ApiResult<Option<RegionalCluster>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::cluster(rc, &a, id).await?.map(RegionalCluster))
}

/// The community.
pub async fn community(ctx: &Context<'_>, id: CommunityId) -> ApiResult<Option<Community>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::community(rc, &a, id).await?.map(Community))
}

/// The space.
pub async fn space(ctx: &Context<'_>, id: SpaceId) -> ApiResult<Option<Space>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::space(rc, &a, id).await?.map(Space))
}

/// The thread.
pub async fn thread(ctx: &Context<'_>, id: ThreadId) -> ApiResult<Option<Thread>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::thread(rc, &a, id).await?.map(Thread))
}

/// The post.
pub async fn post(ctx: &Context<'_>, id: PostId) -> ApiResult<Option<Post>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::post(rc, &a, id).await?.map(Post))
}

/// A membership the caller changed (their own, or one they manage): shown with its
/// community while the caller sees that.
pub async fn membership(ctx: &Context<'_>, row: model::Membership) -> ApiResult<Membership> {
    let (rc, a) = caller(ctx).await?;
    let community = chain::community(rc, &a, row.community_id).await?;
    Ok(Membership::new(Arc::new(row), community))
}

/// A join request the caller made or decided.
pub fn join_request(row: model::JoinRequest) -> JoinRequest {
    JoinRequest(Arc::new(row))
}

/// An invitation the caller sent or answered.
pub fn invitation(row: model::Invitation) -> Invitation {
    Invitation(Arc::new(row))
}

/// An affiliation the caller changed, with its person while the caller sees them.
pub async fn affiliation(
    ctx: &Context<'_>,
    row: model::Affiliation,
) -> ApiResult<Option<Affiliation>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::person(rc, &a, row.person_id)
        .await?
        .and_then(|p| Affiliation::new(Arc::new(row), p)))
}

/// The asset.
pub async fn asset(
    ctx: &Context<'_>,
    id: copnet_domain::ids::AssetId,
) -> ApiResult<Option<crate::graphql::types::Asset>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::asset(rc, &a, id)
        .await?
        .map(crate::graphql::types::Asset))
}
