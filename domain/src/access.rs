//! Who is calling, and everything the policy needs to know about them.
//!
//! The caller is resolved once per request into an [`Actor`]; its [`AccessSet`] is loaded at
//! most once per request (and again after a write changed it). Every policy decision reads
//! this one value and never queries the database again.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::{
    error::{DomainError, DomainResult},
    ids::{ClusterId, CommunityId, NetworkId, OrganizationId, PersonId, SpaceId},
    model::{OrgRole, Role},
};

/// The caller of one request or one WebSocket connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl Actor {
    /// The signed-in person, if any.
    pub fn person_id(self) -> Option<PersonId> {
        match self {
            Actor::Anonymous => None,
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
    /// Clusters the caller coordinates.
    pub coordinated_clusters: HashSet<ClusterId>,
    /// Organization affiliations.
    pub organizations: HashMap<OrganizationId, OrgRole>,
    /// Communities where the caller has a pending join request.
    pub pending_requests: HashSet<CommunityId>,
}

impl AccessSet {
    /// The access set of an anonymous caller: nothing.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The signed-in person, or `Unauthenticated`.
    pub fn require_person(&self) -> DomainResult<PersonId> {
        self.person.ok_or(DomainError::Unauthenticated)
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

    /// Every network the caller is a member of, sorted.
    pub fn network_ids(&self) -> Vec<NetworkId> {
        let set: BTreeSet<NetworkId> = self
            .communities
            .values()
            .map(|c| c.network_id)
            .chain(self.stewarded_networks.iter().copied())
            .collect();
        set.into_iter().collect()
    }

    /// Every community the caller is a member of, sorted.
    pub fn community_ids(&self) -> Vec<CommunityId> {
        let set: BTreeSet<CommunityId> = self.communities.keys().copied().collect();
        set.into_iter().collect()
    }

    /// The caller's role in an organization.
    pub fn org_role(&self, org: OrganizationId) -> Option<OrgRole> {
        self.organizations.get(&org).copied()
    }

    /// Stewards the network.
    pub fn is_steward(&self, network: NetworkId) -> bool {
        self.stewarded_networks.contains(&network)
    }
}
