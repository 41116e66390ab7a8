use std::collections::BTreeSet;

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{ClusterId, CommunityId, MembershipId, NetworkId, OrganizationId},
    model::{
        Community, CommunityVisibility, JoinPolicy, Membership, MembershipStatus, Role, Stage,
    },
    policy::write,
    values::{Description, Name, Slug},
};

/// Most clusters a community may be in.
pub const MAX_CLUSTERS: usize = 50;
/// Longest organization allow-list.
pub const MAX_ALLOWED_ORGANIZATIONS: usize = 200;

/// Input of `create_community`.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    /// The network it belongs to.
    pub network_id: NetworkId,
    /// Handle, unique in the network.
    pub slug: Slug,
    /// Display name.
    pub name: Name,
    /// Free text.
    pub description: Description,
    /// Who may see it.
    pub visibility: CommunityVisibility,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Clusters of the same network.
    pub cluster_ids: Vec<ClusterId>,
    /// Hosting organization; the creator must be affiliated with it.
    pub host_organization_id: Option<OrganizationId>,
    /// Organization allow-list (empty: everyone may join).
    pub allowed_organization_ids: Vec<OrganizationId>,
}

/// Input of `update_community`: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CommunityChanges {
    /// Display name.
    pub name: Option<Name>,
    /// Free text.
    pub description: Option<Description>,
    /// Who may see it.
    pub visibility: Option<CommunityVisibility>,
    /// How people join.
    pub join_policy: Option<JoinPolicy>,
    /// Replaces the clusters.
    pub cluster_ids: Option<Vec<ClusterId>>,
    /// Replaces the host organization (`Some(None)` clears it).
    pub host_organization_id: Option<Option<OrganizationId>>,
    /// Replaces the allow-list.
    pub allowed_organization_ids: Option<Vec<OrganizationId>>,
}

impl Services {
    /// Any signed-in person who can see a network may propose a community in it; the community
    /// starts `PROPOSED` and its creator becomes its first `MANAGER`.
    #[instrument(skip_all)]
    pub async fn create_community(
        &self,
        access: &AccessSet,
        input: NewCommunity,
    ) -> DomainResult<Community> {
        let person = access.require_person()?;
        let network = self.network(access, input.network_id).await?;
        let clusters = self.check_clusters(network.id, input.cluster_ids).await?;
        if let Some(host) = input.host_organization_id {
            self.check_host(access, host).await?;
        }
        let allowed = self.check_allowed(input.allowed_organization_ids).await?;
        let now = Utc::now();
        let community = Community {
            id: CommunityId::generate(),
            network_id: network.id,
            slug: input.slug.into_inner(),
            name: input.name.into_inner(),
            description: input.description.into_inner(),
            visibility: input.visibility,
            join_policy: input.join_policy,
            stage: Stage::Proposed,
            host_organization_id: input.host_organization_id,
            allowed_organization_ids: allowed,
            created_at: now,
            updated_at: now,
        };
        let creator = Membership {
            id: MembershipId::generate(),
            community_id: community.id,
            person_id: person,
            roles: BTreeSet::from([Role::Manager]),
            status: MembershipStatus::Active,
            joined_at: now,
        };
        self.repos
            .communities
            .create(&community, &clusters, &creator)
            .await?;
        Ok(community)
    }

    /// A `MANAGER` changes the community's settings.
    #[instrument(skip_all)]
    pub async fn update_community(
        &self,
        access: &AccessSet,
        id: CommunityId,
        changes: CommunityChanges,
    ) -> DomainResult<Community> {
        access.require_person()?;
        let visible = self.community(access, id).await?;
        write::can_manage(access, &visible, "change its settings")?;
        let mut community = visible.item().clone();
        let clusters = match changes.cluster_ids {
            Some(ids) => Some(self.check_clusters(community.network_id, ids).await?),
            None => None,
        };
        if let Some(host) = changes.host_organization_id {
            if let Some(org) = host
                && community.host_organization_id != Some(org)
            {
                self.check_host(access, org).await?;
            }
            community.host_organization_id = host;
        }
        if let Some(allowed) = changes.allowed_organization_ids {
            community.allowed_organization_ids = self.check_allowed(allowed).await?;
        }
        if let Some(name) = changes.name {
            community.name = name.into_inner();
        }
        if let Some(description) = changes.description {
            community.description = description.into_inner();
        }
        if let Some(visibility) = changes.visibility {
            community.visibility = visibility;
        }
        if let Some(policy) = changes.join_policy {
            community.join_policy = policy;
        }
        community.updated_at = Utc::now();
        self.repos
            .communities
            .update(&community, clusters.as_deref())
            .await?;
        self.container_changed(community.id).await;
        Ok(community)
    }

    async fn check_clusters(
        &self,
        network: NetworkId,
        ids: Vec<ClusterId>,
    ) -> DomainResult<Vec<ClusterId>> {
        if ids.len() > MAX_CLUSTERS {
            return Err(DomainError::invalid(
                "clusterIds",
                format!("at most {MAX_CLUSTERS} clusters"),
            ));
        }
        let found = self.repos.networks.clusters_by_ids(&ids).await?;
        for (index, id) in ids.iter().enumerate() {
            if !found.iter().any(|c| c.id == *id && c.network_id == network) {
                return Err(DomainError::invalid(
                    "clusterIds",
                    format!("item {index} is not a cluster of this community's network"),
                ));
            }
        }
        Ok(ids
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect())
    }

    async fn check_host(&self, access: &AccessSet, org: OrganizationId) -> DomainResult<()> {
        self.organization(org).await?;
        write::can_name_host(access, org)
    }

    async fn check_allowed(&self, ids: Vec<OrganizationId>) -> DomainResult<Vec<OrganizationId>> {
        if ids.len() > MAX_ALLOWED_ORGANIZATIONS {
            return Err(DomainError::invalid(
                "allowedOrganizationIds",
                format!("at most {MAX_ALLOWED_ORGANIZATIONS} organizations"),
            ));
        }
        let found = self.repos.organizations.by_ids(&ids).await?;
        if let Some(index) = ids.iter().position(|id| !found.iter().any(|o| o.id == *id)) {
            return Err(DomainError::invalid(
                "allowedOrganizationIds",
                format!("item {index} is not an organization"),
            ));
        }
        Ok(ids
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect())
    }
}
