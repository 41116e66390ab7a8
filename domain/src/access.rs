//! Who is calling, and everything the policy needs to know about them.
//!
//! The caller is resolved once per request into an [`Actor`]; its [`AccessSet`] is loaded at
//! most once per request (and again after a write changed it). Every policy decision reads
//! this one value and never queries the database again.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::{
    error::{DomainError, DomainResult},
    ids::{ClusterId, CommunityId, NetworkId, OrganizationId, PersonId, ServiceAccountId, SpaceId},
    model::{OrgRole, Role, Scope},
};

/// The caller of one request or one WebSocket connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// No credentials.
    Anonymous,
    /// A signed-in person.
    Person {
        /// Who.
        id: PersonId,
        /// Listed in the platform-admin configuration.
        platform_admin: bool,
    },
    /// An organization's service account (API key).
    ServiceAccount {
        /// Which account.
        id: ServiceAccountId,
    },
}

impl Actor {
    /// The signed-in person, if any.
    pub fn person_id(self) -> Option<PersonId> {
        match self {
            Actor::Anonymous | Actor::ServiceAccount { .. } => None,
            Actor::Person { id, .. } => Some(id),
        }
    }
}

/// The caller's active membership in one community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityAccess {
    /// The community's network.
    pub network_id: NetworkId,
    /// Roles held.
    pub roles: BTreeSet<Role>,
}

/// A service account caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccountAccess {
    /// Which account.
    pub id: ServiceAccountId,
    /// The organization it acts for.
    pub organization: OrganizationId,
    /// Its scopes.
    pub scopes: BTreeSet<Scope>,
}

/// What the caller belongs to: the input of every policy decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessSet {
    /// The signed-in person; `None` for anonymous callers.
    pub person: Option<PersonId>,
    /// Platform operator.
    pub platform_admin: bool,
    /// Active community memberships.
    pub communities: HashMap<CommunityId, CommunityAccess>,
    /// Spaces whose member list names the caller.
    pub spaces: HashSet<SpaceId>,
    /// Networks the caller stewards.
    pub stewarded_networks: HashSet<NetworkId>,
    /// Clusters whose events the caller reads: the clusters of their communities and the
    /// clusters they coordinate.
    pub clusters: HashSet<ClusterId>,
    /// Clusters the caller coordinates.
    pub coordinated_clusters: HashSet<ClusterId>,
    /// Organization affiliations.
    pub organizations: HashMap<OrganizationId, OrgRole>,
    /// Communities where the caller has a pending join request.
    pub pending_requests: HashSet<CommunityId>,
    /// The calling service account, if the caller is one.
    pub service_account: Option<ServiceAccountAccess>,
    /// Service accounts with `READ_HOSTED`: networks their organization hosts, read as a
    /// network member reads them.
    pub hosted_networks: HashSet<NetworkId>,
    /// Service accounts with `READ_HOSTED`: communities their organization hosts (inside
    /// networks they can see), read as a member reads them.
    pub hosted_communities: HashSet<CommunityId>,
}

impl AccessSet {
    /// The access set of an anonymous caller: nothing.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The signed-in person; `Unauthenticated` for anonymous callers, `Forbidden` for
    /// service accounts, which never act as a person.
    pub fn require_person(&self) -> DomainResult<PersonId> {
        match (self.person, &self.service_account) {
            (Some(person), _) => Ok(person),
            (None, Some(_)) => Err(DomainError::forbidden(
                "a service account cannot act as a person",
            )),
            (None, None) => Err(DomainError::Unauthenticated),
        }
    }

    /// Whether the caller may read the network's insides: a network member, or a service
    /// account whose organization hosts it.
    pub fn reads_network(&self, network: NetworkId) -> bool {
        self.is_network_member(network) || self.hosted_networks.contains(&network)
    }

    /// Whether the caller reads the community as a member does: a member, or a service
    /// account whose organization hosts it.
    pub fn reads_community(&self, community: CommunityId) -> bool {
        self.is_member(community) || self.hosted_communities.contains(&community)
    }

    /// An active member of the community (any role).
    pub fn is_member(&self, community: CommunityId) -> bool {
        self.communities.contains_key(&community)
    }

    /// Holds `role` in the community.
    pub fn has_role(&self, community: CommunityId, role: Role) -> bool {
        self.communities
            .get(&community)
            .is_some_and(|c| c.roles.contains(&role))
    }

    /// A network member: a member of any of its communities, or one of its stewards.
    pub fn is_network_member(&self, network: NetworkId) -> bool {
        self.stewarded_networks.contains(&network)
            || self.communities.values().any(|c| c.network_id == network)
    }

    /// Every network whose insides the caller reads ([`Self::reads_network`]), sorted.
    pub fn network_ids(&self) -> Vec<NetworkId> {
        let set: BTreeSet<NetworkId> = self
            .communities
            .values()
            .map(|c| c.network_id)
            .chain(self.stewarded_networks.iter().copied())
            .chain(self.hosted_networks.iter().copied())
            .collect();
        set.into_iter().collect()
    }

    /// Every community the caller reads as a member ([`Self::reads_community`]), sorted.
    pub fn community_ids(&self) -> Vec<CommunityId> {
        let set: BTreeSet<CommunityId> = self
            .communities
            .keys()
            .chain(self.hosted_communities.iter())
            .copied()
            .collect();
        set.into_iter().collect()
    }

    /// The calling service account's organization, when it holds `scope`.
    pub fn service_scope(&self, scope: Scope) -> Option<OrganizationId> {
        self.service_account
            .as_ref()
            .filter(|sa| sa.scopes.contains(&scope))
            .map(|sa| sa.organization)
    }

    /// The caller's role in an organization.
    pub fn org_role(&self, org: OrganizationId) -> Option<OrgRole> {
        self.organizations.get(&org).copied()
    }

    /// Stewards the network.
    pub fn is_steward(&self, network: NetworkId) -> bool {
        self.stewarded_networks.contains(&network)
    }

    /// Coordinates the cluster.
    pub fn is_coordinator(&self, cluster: ClusterId) -> bool {
        self.coordinated_clusters.contains(&cluster)
    }
}
