use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{ClusterId, NetworkId, PersonId},
    service::{NewCluster, NewNetwork},
};

use super::{description, id, name, shown, slug};
use crate::{
    error::ApiResult,
    graphql::{
        context::write,
        enums::{Visibility, network_visibility},
        ids::Kind,
        types::{LearningNetwork, RegionalCluster},
    },
};

/// Input of `createNetwork`.
#[derive(InputObject)]
pub struct CreateNetworkInput {
    /// The hosting organization; the caller must be one of its `ORG_ADMIN`s.
    pub host_organization_id: ID,
    /// Globally unique handle: 2..64 of `a-z`, `0-9`, `-`.
    pub slug: String,
    /// Display name, 1..120 characters.
    pub name: String,
    /// Free text, up to 4000 characters.
    pub description: Option<String>,
    /// `PUBLIC` or `PRIVATE`.
    pub visibility: Visibility,
}

/// Result of `createNetwork`.
#[derive(SimpleObject)]
pub struct CreateNetworkPayload {
    /// The new network.
    pub network: LearningNetwork,
}

/// Input of `addNetworkSteward`.
#[derive(InputObject)]
pub struct AddNetworkStewardInput {
    /// The network.
    pub network_id: ID,
    /// The new steward.
    pub person_id: ID,
}

/// Result of `addNetworkSteward`.
#[derive(SimpleObject)]
pub struct AddNetworkStewardPayload {
    /// The network.
    pub network: LearningNetwork,
}

/// Input of `createCluster`.
#[derive(InputObject)]
pub struct CreateClusterInput {
    /// The network.
    pub network_id: ID,
    /// Handle, unique in the network: 2..64 of `a-z`, `0-9`, `-`.
    pub slug: String,
    /// Display name, 1..120 characters.
    pub name: String,
}

/// Result of `createCluster` and `addClusterCoordinator`.
#[derive(SimpleObject)]
pub struct ClusterPayload {
    /// The cluster.
    pub cluster: RegionalCluster,
}

/// Input of `addClusterCoordinator`.
#[derive(InputObject)]
pub struct AddClusterCoordinatorInput {
    /// The cluster.
    pub cluster_id: ID,
    /// The new coordinator; must be a member of the network.
    pub person_id: ID,
}

#[derive(Default)]
pub struct NetworkMutations;

#[Object]
impl NetworkMutations {
    /// Creates a learning network. `ORG_ADMIN`s of the host organization; the creator
    /// becomes its first `STEWARD`.
    async fn create_network(
        &self,
        ctx: &Context<'_>,
        input: CreateNetworkInput,
    ) -> ApiResult<Option<CreateNetworkPayload>> {
        let new = NewNetwork {
            host_organization_id: id(
                "hostOrganizationId",
                Kind::Organization,
                &input.host_organization_id,
            )?,
            slug: slug(&input.slug)?,
            name: name(&input.name)?,
            description: description(input.description.as_deref())?,
            visibility: network_visibility("visibility", input.visibility)?,
        };
        let network = write(ctx, async |s, a| s.create_network(a, new).await).await?;
        Ok(shown::network(ctx, network.id)
            .await?
            .map(|network| CreateNetworkPayload { network }))
    }

    /// Adds a steward. Stewards of the network (and platform admins).
    async fn add_network_steward(
        &self,
        ctx: &Context<'_>,
        input: AddNetworkStewardInput,
    ) -> ApiResult<Option<AddNetworkStewardPayload>> {
        let network: NetworkId = id("networkId", Kind::Network, &input.network_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let network = write(ctx, async |s, a| {
            s.add_network_steward(a, network, person).await
        })
        .await?;
        Ok(shown::network(ctx, network.id)
            .await?
            .map(|network| AddNetworkStewardPayload { network }))
    }

    /// Creates a regional cluster. Stewards of the network (and platform admins).
    async fn create_cluster(
        &self,
        ctx: &Context<'_>,
        input: CreateClusterInput,
    ) -> ApiResult<Option<ClusterPayload>> {
        let new = NewCluster {
            network_id: id("networkId", Kind::Network, &input.network_id)?,
            slug: slug(&input.slug)?,
            name: name(&input.name)?,
        };
        let cluster = write(ctx, async |s, a| s.create_cluster(a, new).await).await?;
        Ok(shown::cluster(ctx, cluster.id)
            .await?
            .map(|cluster| ClusterPayload { cluster }))
    }

    /// Names a network member `CLUSTER_COORDINATOR` of a cluster. Stewards of the network.
    async fn add_cluster_coordinator(
        &self,
        ctx: &Context<'_>,
        input: AddClusterCoordinatorInput,
    ) -> ApiResult<Option<ClusterPayload>> {
        let cluster: ClusterId = id("clusterId", Kind::Cluster, &input.cluster_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let cluster = write(ctx, async |s, a| {
            s.add_cluster_coordinator(a, cluster, person).await
        })
        .await?;
        Ok(shown::cluster(ctx, cluster.id)
            .await?
            .map(|cluster| ClusterPayload { cluster }))
    }
}
