//! Every list the API serves, described as data. A [`Listing`] plus parent ids plus a
//! [`PageRequest`](crate::page::PageRequest) is all a repository needs to page or count it in
//! SQL, batched over many parents at once (one statement per level of a nested query). The
//! API asks for lists as [`Scoped`] values, which only the proofs of the policy build.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    access::AccessSet,
    ids::{ClusterId, CommunityId, NetworkId, OrganizationId, PersonId, SpaceId},
    model::{
        Asset, AssetKind, AssetStatus, Cluster, Community, EventHost, InvitationStatus,
        JoinRequestStatus, Network, OnboardingStep, OnboardingStepKind, Person, Post, Role, Space,
        SpaceVisibility, Stage, Thread,
    },
    policy::{
        filter::{CommunityFilter, NetworkFilter, PersonFilter, SpaceFilter},
        proof::{Administering, Managing, Myself, Readable, Visible},
    },
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
    /// Parent: network. Its topics, by optional search of names and aliases. Nodes: topics.
    NetworkTopics {
        /// Case-insensitive substring of the name or an alias.
        search: Option<String>,
    },
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
    /// Parent: community. Charter revisions, newest first. Nodes: charters.
    CommunityCharterRevisions,
    /// Parent: community. Stage changes, newest first. Nodes: stage changes.
    CommunityStageHistory,
    /// Parent: community. Its stakeholders. Nodes: stakeholders.
    CommunityStakeholders,
    /// Parent: community. Feedback on it, newest first. Nodes: feedback.
    CommunityFeedback,
    /// Parent: space. Its assets the caller reads, newest first. Nodes: assets.
    SpaceAssets {
        /// Which drafts and reviews the caller sees.
        seen: AssetSeen,
        /// Narrowing.
        filter: AssetFilter,
    },
    /// Parent: community. Its assets in the spaces the caller reads, newest first. Nodes:
    /// assets.
    CommunityAssets {
        /// Which spaces the caller reads.
        spaces: ReadableSpaces,
        /// Which drafts and reviews the caller sees.
        seen: AssetSeen,
        /// Narrowing.
        filter: AssetFilter,
    },
    /// Parent: asset. Its versions, newest first. Nodes: asset versions.
    AssetVersions,
    /// Parent: community. Active members who joined before `joined_before` and have a step
    /// of `steps` not done by `now`. Nodes: memberships.
    CommunityOnboardingStuck {
        /// Members who joined before this.
        joined_before: DateTime<Utc>,
        /// The journey's steps: key and kind.
        steps: Vec<(String, OnboardingStepKind)>,
        /// Occurrences count as attended when they started before this.
        now: DateTime<Utc>,
    },
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
            Listing::SpaceThreads { .. }
                | Listing::PersonNotifications { .. }
                | Listing::CommunityCharterRevisions
                | Listing::CommunityStageHistory
                | Listing::CommunityFeedback
                | Listing::SpaceAssets { .. }
                | Listing::CommunityAssets { .. }
                | Listing::AssetVersions
        )
    }
}

/// A listing bound to its parent, built only from the proof that the caller may list it: the
/// children of a container need the container's proof, the caller's own lists need
/// [`Myself`], and every visibility filter is the caller's. So a list cannot be read without
/// its check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scoped {
    listing: Listing,
    parent: Uuid,
}

impl Scoped {
    fn new(listing: Listing, parent: Uuid) -> Self {
        Self { listing, parent }
    }

    /// Which list.
    pub fn listing(&self) -> &Listing {
        &self.listing
    }

    /// Under which parent ([`ROOT`] for root lists).
    pub fn parent(&self) -> Uuid {
        self.parent
    }

    /// Organizations (public), by optional search.
    pub fn organizations(search: Option<String>) -> Self {
        Self::new(Listing::Organizations { search }, ROOT)
    }

    /// Networks the caller sees.
    pub fn networks(access: &AccessSet) -> Self {
        let visible = NetworkFilter::for_access(access);
        Self::new(Listing::Networks { visible }, ROOT)
    }

    /// Communities the caller sees, optionally narrowed.
    pub fn communities(access: &AccessSet, narrow: CommunityNarrowing) -> Self {
        let listing = Listing::Communities {
            visible: CommunityFilter::for_access(access),
            network: narrow.network,
            cluster: narrow.cluster,
            host_organization: narrow.host_organization,
            stage: narrow.stage,
            search: narrow.search,
        };
        Self::new(listing, ROOT)
    }

    /// People the caller sees, by optional search.
    pub fn people(access: &AccessSet, search: Option<String>) -> Self {
        let visible = PersonFilter::for_access(access);
        Self::new(Listing::People { visible, search }, ROOT)
    }

    /// The visible networks an organization hosts.
    pub fn organization_networks(access: &AccessSet, org: OrganizationId) -> Self {
        let visible = NetworkFilter::for_access(access);
        Self::new(Listing::OrganizationNetworks { visible }, org.uuid())
    }

    /// An organization's service accounts, for its admins.
    pub fn organization_service_accounts(org: Administering) -> Self {
        Self::new(Listing::OrganizationServiceAccounts, org.id().uuid())
    }

    /// A visible network's clusters.
    pub fn network_clusters(network: &Visible<Network>) -> Self {
        Self::new(Listing::NetworkClusters, network.id.uuid())
    }

    /// A visible network's communities that the caller sees.
    pub fn network_communities(access: &AccessSet, network: &Visible<Network>) -> Self {
        let visible = CommunityFilter::for_access(access);
        Self::new(Listing::NetworkCommunities { visible }, network.id.uuid())
    }

    /// A visible network's topics.
    pub fn network_topics(network: &Visible<Network>, search: Option<String>) -> Self {
        Self::new(Listing::NetworkTopics { search }, network.id.uuid())
    }

    /// A visible network's stewards.
    pub fn network_stewards(network: &Visible<Network>) -> Self {
        Self::new(Listing::NetworkStewards, network.id.uuid())
    }

    /// A visible cluster's communities that the caller sees.
    pub fn cluster_communities(access: &AccessSet, cluster: &Visible<Cluster>) -> Self {
        let visible = CommunityFilter::for_access(access);
        Self::new(Listing::ClusterCommunities { visible }, cluster.id.uuid())
    }

    /// A visible cluster's coordinators.
    pub fn cluster_coordinators(cluster: &Visible<Cluster>) -> Self {
        Self::new(Listing::ClusterCoordinators, cluster.id.uuid())
    }

    /// The clusters a visible community is in.
    pub fn community_clusters(community: &Visible<Community>) -> Self {
        Self::new(Listing::CommunityClusters, community.id.uuid())
    }

    /// A visible community's organization allow-list.
    pub fn community_allowed_organizations(community: &Visible<Community>) -> Self {
        Self::new(Listing::CommunityAllowedOrganizations, community.id.uuid())
    }

    /// A visible community's spaces that the caller sees.
    pub fn community_spaces(access: &AccessSet, community: &Visible<Community>) -> Self {
        let visible = SpaceFilter::for_access(access);
        Self::new(Listing::CommunitySpaces { visible }, community.id.uuid())
    }

    /// A visible community's active members, optionally with a role.
    pub fn community_members(community: &Visible<Community>, role: Option<Role>) -> Self {
        Self::new(Listing::CommunityMembers { role }, community.id.uuid())
    }

    /// A visible community's charter revisions.
    pub fn community_charter_revisions(community: &Visible<Community>) -> Self {
        Self::new(Listing::CommunityCharterRevisions, community.id.uuid())
    }

    /// A visible community's stage history.
    pub fn community_stage_history(community: &Visible<Community>) -> Self {
        Self::new(Listing::CommunityStageHistory, community.id.uuid())
    }

    /// A visible community's stakeholders, for those who read it as members.
    pub fn community_stakeholders(
        access: &AccessSet,
        community: &Visible<Community>,
    ) -> Option<Self> {
        access
            .reads_community(community.id)
            .then(|| Self::new(Listing::CommunityStakeholders, community.id.uuid()))
    }

    /// The feedback given on a managed community, with its comments.
    pub fn community_feedback(community: &Managing) -> Self {
        Self::new(Listing::CommunityFeedback, community.community().id.uuid())
    }

    /// A managed community's members who joined before `joined_before` and have not
    /// finished its journey.
    pub fn community_onboarding_stuck(
        community: &Managing,
        steps: &[OnboardingStep],
        joined_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        let listing = Listing::CommunityOnboardingStuck {
            joined_before,
            steps: steps.iter().map(|s| (s.key.clone(), s.kind)).collect(),
            now,
        };
        Self::new(listing, community.community().id.uuid())
    }

    /// A managed community's join requests.
    pub fn community_join_requests(
        community: &Managing,
        status: Option<JoinRequestStatus>,
    ) -> Self {
        let parent = community.community().id.uuid();
        Self::new(Listing::CommunityJoinRequests { status }, parent)
    }

    /// A managed community's invitations.
    pub fn community_invitations(community: &Managing, status: Option<InvitationStatus>) -> Self {
        let parent = community.community().id.uuid();
        Self::new(Listing::CommunityInvitations { status }, parent)
    }

    /// A visible person's affiliations.
    pub fn person_affiliations(person: &Visible<Person>) -> Self {
        Self::new(Listing::PersonAffiliations, person.id.uuid())
    }

    /// A visible person's active memberships in communities the caller sees.
    pub fn person_memberships(access: &AccessSet, person: &Visible<Person>) -> Self {
        let visible = CommunityFilter::for_access(access);
        Self::new(Listing::PersonMemberships { visible }, person.id.uuid())
    }

    /// The caller's own join requests.
    pub fn person_join_requests(me: Myself, status: Option<JoinRequestStatus>) -> Self {
        Self::new(Listing::PersonJoinRequests { status }, me.id().uuid())
    }

    /// The caller's own invitations.
    pub fn person_invitations(me: Myself, status: Option<InvitationStatus>) -> Self {
        Self::new(Listing::PersonInvitations { status }, me.id().uuid())
    }

    /// The caller's own notifications.
    pub fn person_notifications(me: Myself, unread_only: bool) -> Self {
        Self::new(Listing::PersonNotifications { unread_only }, me.id().uuid())
    }

    /// A readable space's member list.
    pub fn space_members(space: &Readable<Space>) -> Self {
        Self::new(Listing::SpaceMembers, space.id.uuid())
    }

    /// A readable space's threads.
    pub fn space_threads(space: &Readable<Space>, pinned: Option<bool>) -> Self {
        Self::new(Listing::SpaceThreads { pinned }, space.id.uuid())
    }

    /// A readable thread's posts.
    pub fn thread_posts(thread: &Readable<Thread>) -> Self {
        Self::new(Listing::ThreadPosts, thread.id.uuid())
    }

    /// The replies to a readable post.
    pub fn post_replies(post: &Readable<Post>) -> Self {
        Self::new(Listing::PostReplies, post.id.uuid())
    }

    /// A readable space's assets that the caller reads.
    pub fn space_assets(access: &AccessSet, space: &Readable<Space>, filter: AssetFilter) -> Self {
        let seen = AssetSeen::for_access(access, space.community());
        Self::new(Listing::SpaceAssets { seen, filter }, space.id.uuid())
    }

    /// A visible community's assets in the spaces the caller reads.
    pub fn community_assets(
        access: &AccessSet,
        community: &Visible<Community>,
        filter: AssetFilter,
    ) -> Self {
        let listing = Listing::CommunityAssets {
            spaces: ReadableSpaces::for_access(access, community),
            seen: AssetSeen::for_access(access, community),
            filter,
        };
        Self::new(listing, community.id.uuid())
    }

    /// A readable asset's versions.
    pub fn asset_versions(asset: &Readable<Asset>) -> Self {
        Self::new(Listing::AssetVersions, asset.id.uuid())
    }

    /// A readable post's former bodies.
    pub fn post_revisions(post: &Readable<Post>) -> Self {
        Self::new(Listing::PostRevisions, post.id.uuid())
    }
}

/// Conditions narrowing the root list of communities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityNarrowing {
    /// Only this network's.
    pub network: Option<NetworkId>,
    /// Only this cluster's.
    pub cluster: Option<ClusterId>,
    /// Only those hosted by this organization.
    pub host_organization: Option<OrganizationId>,
    /// Only those in this stage.
    pub stage: Option<Stage>,
    /// Case-insensitive substring of name or slug.
    pub search: Option<String>,
}

/// Which events a calendar list covers, built only from the proof of its container. A
/// community's list holds its community-wide events and the events of the spaces the caller
/// reads (rule 1, decided in SQL by these fields; [`EventScope::admits`] is the pure twin).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventScope {
    /// A visible community's events.
    Community {
        /// The community.
        community: CommunityId,
        /// Which of its spaces the caller reads.
        spaces: ReadableSpaces,
    },
    /// A readable space's events.
    Space(SpaceId),
    /// A cluster's events, for those who read them.
    Cluster(ClusterId),
}

impl EventScope {
    /// The events of a visible community that the caller reads.
    pub fn community(access: &AccessSet, community: &Visible<Community>) -> Self {
        Self::Community {
            community: community.id,
            spaces: ReadableSpaces::for_access(access, community),
        }
    }

    /// The events of a readable space.
    pub fn space(space: &Readable<Space>) -> Self {
        Self::Space(space.id)
    }

    /// The events of a visible cluster, or `None` when the caller does not read them.
    pub fn cluster(access: &AccessSet, cluster: &Visible<Cluster>) -> Option<Self> {
        crate::policy::read::can_read_cluster_events(access, cluster)
            .then_some(Self::Cluster(cluster.id))
    }

    /// What the SQL clause means for one event (with its space's visibility, for space
    /// events).
    pub fn admits(&self, host: EventHost, space_visibility: Option<SpaceVisibility>) -> bool {
        match (self, host) {
            (
                Self::Community { community, spaces },
                EventHost::Community {
                    community: c,
                    space,
                },
            ) if *community == c => match (space, space_visibility) {
                (None, _) => true,
                (Some(s), Some(visibility)) => spaces.admits(s, visibility),
                (Some(_), None) => false,
            },
            (Self::Space(id), EventHost::Community { space, .. }) => space == Some(*id),
            (Self::Cluster(id), EventHost::Cluster(c)) => *id == c,
            _ => false,
        }
    }
}

/// Which spaces of a visible community the caller reads (rule 1), as data for SQL:
/// [`ReadableSpaces::admits`] is the pure twin of
/// [`read::can_read_space`](crate::policy::read::can_read_space) for a space of the community.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadableSpaces {
    /// The caller reads the community as a member: its `MEMBERS` spaces are in.
    pub members: bool,
    /// The caller is a `MANAGER` or `MODERATOR`: every `PRIVATE` space is in.
    pub moderates: bool,
    /// `PRIVATE` spaces whose list names the caller, a member (sorted).
    pub private_spaces: Vec<SpaceId>,
}

impl ReadableSpaces {
    /// Every space of a community: for community-level figures, never for listing items.
    pub fn every() -> Self {
        Self {
            members: true,
            moderates: true,
            private_spaces: Vec::new(),
        }
    }

    /// The caller's readable spaces of a visible community.
    pub fn for_access(access: &AccessSet, community: &Visible<Community>) -> Self {
        let mut private_spaces: Vec<SpaceId> = if access.is_member(community.id) {
            access.spaces.iter().copied().collect()
        } else {
            Vec::new()
        };
        private_spaces.sort();
        Self {
            members: access.reads_community(community.id),
            moderates: access.has_role(community.id, Role::Manager)
                || access.has_role(community.id, Role::Moderator),
            private_spaces,
        }
    }

    /// Whether a space of that community, with this visibility, is read.
    pub fn admits(&self, space: SpaceId, visibility: SpaceVisibility) -> bool {
        match visibility {
            SpaceVisibility::Public => true,
            SpaceVisibility::Members => self.members,
            SpaceVisibility::Private => self.moderates || self.private_spaces.contains(&space),
        }
    }
}

/// Which assets of a readable space the caller reads by status, as data for SQL:
/// [`AssetSeen::admits`] is the pure twin of
/// [`read::can_read_asset`](crate::policy::read::can_read_asset).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetSeen {
    /// The caller, whose drafts and reviews are theirs to see.
    pub me: Option<PersonId>,
    /// The caller manages the community: every draft is in.
    pub manages: bool,
}

impl AssetSeen {
    /// What the caller sees of a visible community's assets.
    pub fn for_access(access: &AccessSet, community: &Visible<Community>) -> Self {
        Self {
            me: access.person,
            manages: access.has_role(community.id, Role::Manager),
        }
    }

    /// What the SQL clause means for one asset.
    pub fn admits(&self, asset: &Asset) -> bool {
        match asset.status {
            AssetStatus::Published | AssetStatus::Retired => true,
            AssetStatus::Draft => self.manages || asset.is_author(self.me),
            AssetStatus::InReview => {
                self.manages
                    || asset.is_author(self.me)
                    || self.me.is_some_and(|p| asset.reviewers.contains(&p))
            }
        }
    }
}

/// Narrows a list of assets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AssetFilter {
    /// Only of this kind.
    pub kind: Option<AssetKind>,
    /// Only carrying this tag (lowercase).
    pub tag: Option<String>,
    /// Only in this status (among those the caller sees).
    pub status: Option<AssetStatus>,
}
