use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{ClusterId, NetworkId, OrganizationId, PersonId},
    model::{Cluster, Network, NetworkVisibility},
    policy::write,
    values::{Description, Name, Slug},
};

/// Input of `create_network`.
#[derive(Debug, Clone)]
pub struct NewNetwork {
    /// The hosting organization.
    pub host_organization_id: OrganizationId,
    /// Globally unique handle.
    pub slug: Slug,
    /// Display name.
    pub name: Name,
    /// Free text.
    pub description: Description,
    /// Who may see it.
    pub visibility: NetworkVisibility,
}

/// Input of `create_cluster`.
#[derive(Debug, Clone)]
pub struct NewCluster {
    /// The network.
    pub network_id: NetworkId,
    /// Handle, unique in the network.
    pub slug: Slug,
    /// Display name.
    pub name: Name,
}

impl Services {
    /// An `ORG_ADMIN` of the host organization creates a network and becomes its first
    /// `STEWARD`.
    #[instrument(skip_all)]
    pub async fn create_network(
        &self,
        access: &AccessSet,
        input: NewNetwork,
    ) -> DomainResult<Network> {
        let person = access.require_person()?;
        let host = self.organization(input.host_organization_id).await?;
        write::require_org_admin(access, host.id, "create a network it hosts")?;
        let network = Network {
            id: NetworkId::generate(),
            slug: input.slug.into_inner(),
            name: input.name.into_inner(),
            description: input.description.into_inner(),
            visibility: input.visibility,
            host_organization_id: host.id,
            created_at: Utc::now(),
        };
        self.repos.networks.create(&network, person).await?;
        Ok(network)
    }

    /// A `STEWARD` adds another steward.
    #[instrument(skip_all)]
    pub async fn add_network_steward(
        &self,
        access: &AccessSet,
        network: NetworkId,
        person: PersonId,
    ) -> DomainResult<Network> {
        access.require_person()?;
        let network = self.network(access, network).await?;
        write::can_administer_network(access, &network, "add stewards")?;
        self.person(person).await?;
        self.repos.networks.add_steward(network.id, person).await?;
        self.access_changed(person).await;
        Ok(network.item().clone())
    }

    /// A `STEWARD` creates a regional cluster.
    #[instrument(skip_all)]
    pub async fn create_cluster(
        &self,
        access: &AccessSet,
        input: NewCluster,
    ) -> DomainResult<Cluster> {
        access.require_person()?;
        let network = self.network(access, input.network_id).await?;
        write::can_administer_network(access, &network, "create clusters")?;
        let cluster = Cluster {
            id: ClusterId::generate(),
            network_id: network.id,
            slug: input.slug.into_inner(),
            name: input.name.into_inner(),
            created_at: Utc::now(),
        };
        self.repos.networks.create_cluster(&cluster).await?;
        Ok(cluster)
    }

    /// A `STEWARD` names a network member `CLUSTER_COORDINATOR` of a cluster.
    #[instrument(skip_all)]
    pub async fn add_cluster_coordinator(
        &self,
        access: &AccessSet,
        cluster: ClusterId,
        person: PersonId,
    ) -> DomainResult<Cluster> {
        access.require_person()?;
        let cluster = self.cluster(access, cluster).await?;
        let network = cluster.network();
        write::can_administer_network(access, network, "name cluster coordinators")?;
        self.person(person).await?;
        if !self
            .repos
            .people
            .is_network_member(person, network.id)
            .await?
        {
            return Err(DomainError::precondition(
                "a cluster coordinator must be a member of the network",
            ));
        }
        self.repos
            .networks
            .add_coordinator(cluster.id, person)
            .await?;
        Ok(cluster.item().clone())
    }
}
