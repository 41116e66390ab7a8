//! Every list the API serves, described as data. A [`Listing`] plus parent ids plus a
//! [`PageRequest`](crate::page::PageRequest) is all a repository needs to page or count it in
//! SQL, batched over many parents at once (one statement per level of a nested query).

use uuid::Uuid;

use crate::{
    ids::{ClusterId, NetworkId, OrganizationId},
    model::{InvitationStatus, JoinRequestStatus, Role, Stage},
    policy::filter::{CommunityFilter, NetworkFilter, PersonFilter, SpaceFilter},
};

/// The parent id of root listings.
pub const ROOT: Uuid = Uuid::nil();

/// A list, with the visibility filter of the caller baked in. Root listings take the single
/// parent [`ROOT`]; the others take the ids of their parents, named in each variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Listing {
    /// Root: organizations (public), by optional name/slug search. Nodes: organizations.
    Organizations {
        /// Case-insensitive substring of name or slug.
        search: Option<String>,
    },
    /// Root: visible networks. Nodes: networks.
    Networks {
        /// Caller's filter.
        visible: NetworkFilter,
    },
    /// Root: visible communities, optionally narrowed. Nodes: communities.
    Communities {
        /// Caller's filter.
        visible: CommunityFilter,
        /// Only this network's.
        network: Option<NetworkId>,
        /// Only this cluster's.
        cluster: Option<ClusterId>,
        /// Only those hosted by this organization.
        host_organization: Option<OrganizationId>,
        /// Only those in this stage.
        stage: Option<Stage>,
        /// Case-insensitive substring of name or slug.
        search: Option<String>,
    },
    /// Root: visible people by optional display-name search. Nodes: people.
    People {
        /// Caller's filter.
        visible: PersonFilter,
        /// Case-insensitive substring of the display name.
        search: Option<String>,
    },
    /// Parent: organization. Its service accounts. Nodes: service accounts.
    OrganizationServiceAccounts,
    /// Parent: organization. Visible networks it hosts. Nodes: networks.
    OrganizationNetworks {
        /// Caller's filter.
        visible: NetworkFilter,
    },
    /// Parent: network. Its clusters. Nodes: clusters.
    NetworkClusters,
    /// Parent: network. Its visible communities. Nodes: communities.
    NetworkCommunities {
        /// Caller's filter.
        visible: CommunityFilter,
    },
    /// Parent: network. Its stewards. Nodes: people.
    NetworkStewards,
    /// Parent: cluster. Its visible communities. Nodes: communities.
    ClusterCommunities {
        /// Caller's filter.
        visible: CommunityFilter,
    },
    /// Parent: cluster. Its coordinators. Nodes: people.
    ClusterCoordinators,
    /// Parent: community. The clusters it is in. Nodes: clusters.
    CommunityClusters,
    /// Parent: community. Its organization allow-list. Nodes: organizations.
    CommunityAllowedOrganizations,
    /// Parent: community. Its visible spaces. Nodes: spaces.
    CommunitySpaces {
        /// Caller's filter.
        visible: SpaceFilter,
    },
    /// Parent: community. Active memberships, optionally with a role. Nodes: memberships.
    CommunityMembers {
        /// Only members holding this role.
        role: Option<Role>,
    },
    /// Parent: community. Join requests. Nodes: join requests.
    CommunityJoinRequests {
        /// Only in this status.
        status: Option<JoinRequestStatus>,
    },
    /// Parent: community. Invitations. Nodes: invitations.
    CommunityInvitations {
        /// Only in this status.
        status: Option<InvitationStatus>,
    },
    /// Parent: person. Affiliations. Nodes: affiliations.
    PersonAffiliations,
    /// Parent: person. Active memberships in visible communities. Nodes: memberships.
    PersonMemberships {
        /// Caller's filter.
        visible: CommunityFilter,
    },
    /// Parent: person. Their join requests. Nodes: join requests.
    PersonJoinRequests {
        /// Only in this status.
        status: Option<JoinRequestStatus>,
    },
    /// Parent: person. Invitations addressed to them. Nodes: invitations.
    PersonInvitations {
        /// Only in this status.
        status: Option<InvitationStatus>,
    },
    /// Parent: space. Its member list. Nodes: people.
    SpaceMembers,
    /// Parent: space. Its threads, most recent activity first. Nodes: threads.
    SpaceThreads {
        /// Only pinned (`true`) or unpinned (`false`) threads.
        pinned: Option<bool>,
    },
    /// Parent: thread. Its posts, oldest first. Nodes: posts.
    ThreadPosts,
    /// Parent: post. Posts replying to it, oldest first. Nodes: posts.
    PostReplies,
    /// Parent: post. Its former bodies, oldest first. Nodes: revisions.
    PostRevisions,
    /// Parent: person. Their notifications, newest first. Nodes: notifications.
    PersonNotifications {
        /// Only those not marked read.
        unread_only: bool,
    },
}

impl Listing {
    /// Lists shown newest first; the others are oldest first.
    pub fn newest_first(&self) -> bool {
        matches!(
            self,
            Listing::SpaceThreads { .. } | Listing::PersonNotifications { .. }
        )
    }
}
