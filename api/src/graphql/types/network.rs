use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    listing::Listing,
    model,
    policy::{filter::CommunityFilter, read},
    values::Slug,
};

use super::{CommunityConnection, Organization, PersonConnection, batch, page_args};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load, request},
        enums::Visibility,
        ids::{Kind, encode},
    },
};

/// The `LearningNetwork` object; see its GraphQL description.
#[derive(Clone)]
pub struct LearningNetwork(pub model::Network);
batch!(LearningNetwork, copnet_domain::ids::NetworkId);
connection!(
    /// A page of learning networks.
    LearningNetworkConnection, LearningNetworkEdge, LearningNetwork
);

/// A learning network: hosts communities, grouped in regional clusters; hosted by one
/// organization and administered by its stewards. A `PRIVATE` network is visible to its
/// members only: members of any of its communities, and its stewards.
#[Object]
impl LearningNetwork {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Network, self.0.id)
    }

    /// Globally unique handle.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Free text about the network.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// `PUBLIC` or `PRIVATE`.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The hosting organization.
    async fn host_organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        load(ctx, self.0.host_organization_id)
            .await?
            .map(Organization)
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// Whether the caller is a member of this network (of any of its communities, or a steward).
    async fn viewer_is_member(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(access(ctx).await?.is_network_member(self.0.id))
    }

    /// Whether the caller is a steward of this network.
    async fn viewer_is_steward(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(access(ctx).await?.is_steward(self.0.id))
    }

    /// Its regional clusters.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn clusters(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<RegionalClusterConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::NetworkClusters, self.0.id.uuid(), &args).await?;
        Ok(RegionalClusterConnection(data))
    }

    /// Its communities, among those the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CommunityConnection> {
        let visible = CommunityFilter::for_access(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::NetworkCommunities { visible },
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(CommunityConnection(data))
    }

    /// Its stewards (network administrators).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn stewards(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::NetworkStewards, self.0.id.uuid(), &args).await?;
        Ok(PersonConnection(data))
    }

    /// The community with this slug in the network; `NOT_FOUND` when there is none or the
    /// caller may not see it.
    async fn community(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> ApiResult<Option<super::Community>> {
        let slug = Slug::parse("slug", &slug)?;
        let rc = request(ctx)?;
        let found = rc
            .services()
            .repos()
            .communities
            .by_slug(self.0.id, slug.as_str())
            .await?;
        let access = access(ctx).await?;
        found
            .filter(|c| read::can_see_community(&access, &self.0, c))
            .map(|c| Some(super::Community(c)))
            .ok_or_else(|| ApiError::not_found("community"))
    }

    /// The cluster with this slug in the network; `NOT_FOUND` when there is none.
    async fn cluster(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<RegionalCluster>> {
        let slug = Slug::parse("slug", &slug)?;
        let rc = request(ctx)?;
        rc.services()
            .repos()
            .networks
            .cluster_by_slug(self.0.id, slug.as_str())
            .await?
            .map(|c| Some(RegionalCluster(c)))
            .ok_or_else(|| ApiError::not_found("cluster"))
    }
}

/// The `RegionalCluster` object; see its GraphQL description.
#[derive(Clone)]
pub struct RegionalCluster(pub model::Cluster);
batch!(RegionalCluster, copnet_domain::ids::ClusterId);
connection!(
    /// A page of regional clusters.
    RegionalClusterConnection, RegionalClusterEdge, RegionalCluster
);

/// A region inside a network ("Northwest", "Yucatán"); communities may be in several.
/// Visible wherever its network is.
#[Object]
impl RegionalCluster {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Cluster, self.0.id)
    }

    /// Handle, unique in the network.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The network it belongs to.
    async fn network(&self, ctx: &Context<'_>) -> ApiResult<LearningNetwork> {
        load(ctx, self.0.network_id)
            .await?
            .map(LearningNetwork)
            .ok_or_else(|| ApiError::not_found("network"))
    }

    /// Communities in this cluster, among those the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CommunityConnection> {
        let visible = CommunityFilter::for_access(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::ClusterCommunities { visible },
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(CommunityConnection(data))
    }

    /// Its coordinators (`CLUSTER_COORDINATOR`).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn coordinators(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::ClusterCoordinators, self.0.id.uuid(), &args)
                .await?;
        Ok(PersonConnection(data))
    }
}
