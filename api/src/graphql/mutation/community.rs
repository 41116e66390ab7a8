use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use copnet_domain::{
    ids::{ClusterId, CommunityId, OrganizationId},
    service::{CommunityChanges, NewCommunity},
    values::{Description, Name},
};

use super::{description, id, name, shown, slug};
use crate::{
    error::ApiResult,
    graphql::{
        context::write,
        enums::{CommunityStage, JoinPolicy, Visibility},
        ids::{Kind, decode_list},
        types::Community,
    },
};

/// Most items in `clusterIds` and `allowedOrganizationIds`.
const MAX_LIST: usize = 200;

/// Input of `createCommunity`.
#[derive(InputObject)]
pub struct CreateCommunityInput {
    /// The learning network it belongs to.
    pub network_id: ID,
    /// Handle, unique in the network: 2..64 of `a-z`, `0-9`, `-`.
    pub slug: String,
    /// Display name, 1..120 characters.
    pub name: String,
    /// Free text, up to 4000 characters.
    pub description: Option<String>,
    /// Who may see it.
    pub visibility: Visibility,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Regional clusters of the same network (at most 50).
    pub cluster_ids: Option<Vec<ID>>,
    /// Hosting organization; the caller must be affiliated with it.
    pub host_organization_id: Option<ID>,
    /// Organization allow-list; empty or absent admits everyone.
    pub allowed_organization_ids: Option<Vec<ID>>,
}

/// Input of `updateCommunity`. Absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateCommunityInput {
    /// The community.
    pub community_id: ID,
    /// Display name, 1..120 characters.
    pub name: Option<String>,
    /// Free text, up to 4000 characters.
    pub description: Option<String>,
    /// Who may see it.
    pub visibility: Option<Visibility>,
    /// How people join.
    pub join_policy: Option<JoinPolicy>,
    /// Replaces the clusters.
    pub cluster_ids: Option<Vec<ID>>,
    /// Replaces the host organization; `null` removes it.
    pub host_organization_id: MaybeUndefined<ID>,
    /// Replaces the allow-list.
    pub allowed_organization_ids: Option<Vec<ID>>,
}

/// Input of `setCommunityStage`.
#[derive(InputObject)]
pub struct SetCommunityStageInput {
    /// The community.
    pub community_id: ID,
    /// The new stage; it must follow the lifecycle.
    pub stage: CommunityStage,
}

/// Result of community mutations.
#[derive(SimpleObject)]
pub struct CommunityPayload {
    /// The community as stored.
    pub community: Community,
}

fn clusters(ids: Option<&[ID]>) -> ApiResult<Option<Vec<ClusterId>>> {
    ids.map(|ids| decode_list("clusterIds", Kind::Cluster, ids, MAX_LIST))
        .transpose()
}

fn organizations(ids: Option<&[ID]>) -> ApiResult<Option<Vec<OrganizationId>>> {
    ids.map(|ids| decode_list("allowedOrganizationIds", Kind::Organization, ids, MAX_LIST))
        .transpose()
}

#[derive(Default)]
pub struct CommunityMutations;

#[Object]
impl CommunityMutations {
    /// Proposes a community. Any signed-in person who can see the network; it starts
    /// `PROPOSED` and its creator becomes its first `MANAGER`.
    async fn create_community(
        &self,
        ctx: &Context<'_>,
        input: CreateCommunityInput,
    ) -> ApiResult<Option<CommunityPayload>> {
        let new = NewCommunity {
            network_id: id("networkId", Kind::Network, &input.network_id)?,
            slug: slug(&input.slug)?,
            name: name(&input.name)?,
            description: description(input.description.as_deref())?,
            visibility: input.visibility.into(),
            join_policy: input.join_policy.into(),
            cluster_ids: clusters(input.cluster_ids.as_deref())?.unwrap_or_default(),
            host_organization_id: input
                .host_organization_id
                .map(|org| id("hostOrganizationId", Kind::Organization, &org))
                .transpose()?,
            allowed_organization_ids: organizations(input.allowed_organization_ids.as_deref())?
                .unwrap_or_default(),
        };
        let community = write(ctx, async |s, a| s.create_community(a, new).await).await?;
        Ok(shown::community(ctx, community.id)
            .await?
            .map(|community| CommunityPayload { community }))
    }

    /// Changes a community's settings. `MANAGER`s only; not when archived.
    async fn update_community(
        &self,
        ctx: &Context<'_>,
        input: UpdateCommunityInput,
    ) -> ApiResult<Option<CommunityPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let host = match &input.host_organization_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(org) => {
                Some(Some(id("hostOrganizationId", Kind::Organization, org)?))
            }
        };
        let changes = CommunityChanges {
            name: input
                .name
                .as_deref()
                .map(|n| Name::parse("name", n))
                .transpose()?,
            description: input
                .description
                .as_deref()
                .map(|d| Description::parse("description", d))
                .transpose()?,
            visibility: input.visibility.map(Into::into),
            join_policy: input.join_policy.map(Into::into),
            cluster_ids: clusters(input.cluster_ids.as_deref())?,
            host_organization_id: host,
            allowed_organization_ids: organizations(input.allowed_organization_ids.as_deref())?,
        };
        let community = write(ctx, async |s, a| {
            s.update_community(a, community, changes).await
        })
        .await?;
        Ok(shown::community(ctx, community.id)
            .await?
            .map(|community| CommunityPayload { community }))
    }

    /// Moves a community through its lifecycle. `MANAGER`s of the community or `STEWARD`s of
    /// its network; restoring an `ARCHIVED` community (to `DORMANT`) takes a steward.
    async fn set_community_stage(
        &self,
        ctx: &Context<'_>,
        input: SetCommunityStageInput,
    ) -> ApiResult<Option<CommunityPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let stage = input.stage.into();
        let community = write(ctx, async |s, a| {
            s.set_community_stage(a, community, stage).await
        })
        .await?;
        Ok(shown::community(ctx, community.id)
            .await?
            .map(|community| CommunityPayload { community }))
    }
}
