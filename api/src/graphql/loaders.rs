//! Request-scoped DataLoaders over the repositories' batch methods. One [`Fetcher`] serves
//! every key type; rows are cached for the request (and dropped after each mutation), shared
//! as `Arc`s. Loaders return rows, never decisions: the policy's chain decides, reading them
//! through [`Lookup`](copnet_domain::policy::chain::Lookup).
//!
//! The repositories are only reachable from here: resolvers load through the request's
//! loaders, and write through the services.

use std::{collections::HashMap, sync::Arc, time::Duration};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainError,
    ids::{
        AffiliationId, AssetId, AssetVersionId, CharterId, ClusterId, CommunityId, EventId,
        FeedbackId, InvitationId, JoinRequestId, MembershipId, NetworkId, NotificationId,
        OrganizationId, PersonId, PostId, RevisionId, ServiceAccountId, SpaceId, StageChangeId,
        StakeholderId, ThreadId, TopicId,
    },
    listing::{EventScope, Listing, Scoped},
    model::{
        Activity, Affiliation, Asset, AssetReview, AssetVersion, Charter, CircleCounts,
        CircleRules, CircleState, Cluster, Community, Convening, Emoji, Expertise, Feedback,
        FeedbackSummary, FeedbackTarget, Health, Invitation, JoinRequest, Membership, Network,
        Notification, OnboardingActivity, OnboardingStep, Organization, Person, Post, PostRevision,
        Profile, ReactionCount, Rsvp, RsvpResponse, ServiceAccount, ServiceAccountKey, Space,
        StageChange, Stakeholder, Tagged, Thread, Topic,
    },
    page::{IdPage, PageRequest},
    policy::filter::PersonFilter,
    repo::Repos,
};
use uuid::Uuid;

use super::batches::Batches;

/// Loads rows in batches.
pub struct Fetcher {
    repos: Repos,
    viewer: Option<PersonId>,
}

/// The loaders of one request. Their cache hashes keys with foldhash (seeded at random for
/// each map), several times faster than the standard SipHash on these small keys.
pub type Loaders = DataLoader<Fetcher, HashMapCache<foldhash::fast::RandomState>>;

/// Most keys in one batch: a level of the largest query the limits admit, within SQLite's
/// 32,766 bound parameters even where one statement binds its keys five times.
const MAX_BATCH: usize = 4096;

/// Creates the loaders of a request, whose batches `batches` runs (one per level).
pub fn loaders(repos: Repos, viewer: Option<PersonId>, batches: Batches) -> Loaders {
    DataLoader::with_cache(
        Fetcher { repos, viewer },
        move |task| batches.spawn(task),
        HashMapCache::<foldhash::fast::RandomState>::new(),
    )
    .delay(Duration::ZERO)
    .max_batch_size(MAX_BATCH)
}

type Shared = Arc<DomainError>;

macro_rules! by_id {
    ($key:ty, $value:ty, |$repos:ident, $keys:ident| $call:expr) => {
        impl Loader<$key> for Fetcher {
            type Value = Arc<$value>;
            type Error = Shared;

            async fn load(&self, $keys: &[$key]) -> Result<HashMap<$key, Arc<$value>>, Shared> {
                let $repos = &self.repos;
                let rows: Vec<$value> = $call.await.map_err(Arc::new)?;
                Ok(rows
                    .into_iter()
                    .map(|row| (row.id, Arc::new(row)))
                    .collect())
            }
        }
    };
}

by_id!(OrganizationId, Organization, |r, k| r
    .organizations
    .by_ids(k));
by_id!(PersonId, Person, |r, k| r.people.by_ids(k));
by_id!(AffiliationId, Affiliation, |r, k| r
    .organizations
    .affiliations_by_ids(k));
by_id!(NetworkId, Network, |r, k| r.networks.by_ids(k));
by_id!(ClusterId, Cluster, |r, k| r.networks.clusters_by_ids(k));
by_id!(CommunityId, Community, |r, k| r.communities.by_ids(k));
by_id!(MembershipId, Membership, |r, k| r.memberships.by_ids(k));
by_id!(SpaceId, Space, |r, k| r.spaces.by_ids(k));
by_id!(JoinRequestId, JoinRequest, |r, k| r
    .memberships
    .join_requests_by_ids(k));
by_id!(InvitationId, Invitation, |r, k| r
    .memberships
    .invitations_by_ids(k));
by_id!(ServiceAccountId, ServiceAccount, |r, k| r
    .service_accounts
    .by_ids(k));
by_id!(ThreadId, Thread, |r, k| r.discussions.threads_by_ids(k));
by_id!(PostId, Post, |r, k| r.discussions.posts_by_ids(k));
by_id!(RevisionId, PostRevision, |r, k| r
    .discussions
    .revisions_by_ids(k));
by_id!(NotificationId, Notification, |r, k| r
    .discussions
    .notifications_by_ids(k));
by_id!(CharterId, Charter, |r, k| r.charters.by_ids(k));
by_id!(StageChangeId, StageChange, |r, k| r
    .charters
    .stage_changes_by_ids(k));
by_id!(EventId, Convening, |r, k| r.events.by_ids(k));
by_id!(StakeholderId, Stakeholder, |r, k| r.stakeholders.by_ids(k));
by_id!(AssetId, Asset, |r, k| r.assets.by_ids(k));
by_id!(TopicId, Topic, |r, k| r.knowledge.topics_by_ids(k));
by_id!(AssetVersionId, AssetVersion, |r, k| r
    .assets
    .versions_by_ids(k));
by_id!(FeedbackId, Feedback, |r, k| r
    .stakeholders
    .feedback_by_ids(k));

/// Declares a loader of rows by slug: globally (`$key(String)`) or inside a parent
/// (`$key($parent, String)`).
macro_rules! by_slug {
    ($(#[$doc:meta])* $key:ident(String) -> $value:ty, |$repos:ident, $slugs:ident| $call:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub String);

        impl Loader<$key> for Fetcher {
            type Value = Arc<$value>;
            type Error = Shared;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Arc<$value>>, Shared> {
                let $repos = &self.repos;
                let $slugs: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
                let rows: Vec<$value> = $call.await.map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| ($key(row.slug.clone()), Arc::new(row))).collect())
            }
        }
    };
    ($(#[$doc:meta])* $key:ident($parent:ty, String) -> $value:ty, $field:ident, |$repos:ident, $pairs:ident| $call:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub $parent, pub String);

        impl Loader<$key> for Fetcher {
            type Value = Arc<$value>;
            type Error = Shared;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Arc<$value>>, Shared> {
                let $repos = &self.repos;
                let $pairs: Vec<($parent, String)> =
                    keys.iter().map(|k| (k.0, k.1.clone())).collect();
                let rows: Vec<$value> = $call.await.map_err(Arc::new)?;
                Ok(rows
                    .into_iter()
                    .map(|row| ($key(row.$field, row.slug.clone()), Arc::new(row)))
                    .collect())
            }
        }
    };
}

by_slug!(
    /// An organization by slug.
    OrganizationSlug(String) -> Organization,
    |r, slugs| r.organizations.by_slugs(&slugs)
);
by_slug!(
    /// A network by slug.
    NetworkSlug(String) -> Network,
    |r, slugs| r.networks.by_slugs(&slugs)
);
by_slug!(
    /// A community by slug in its network.
    CommunitySlug(NetworkId, String) -> Community, network_id,
    |r, pairs| r.communities.by_slugs(&pairs)
);
by_slug!(
    /// A cluster by slug in its network.
    ClusterSlug(NetworkId, String) -> Cluster, network_id,
    |r, pairs| r.networks.clusters_by_slugs(&pairs)
);
by_slug!(
    /// A space by slug in its community.
    SpaceSlug(CommunityId, String) -> Space, community_id,
    |r, pairs| r.spaces.by_slugs(&pairs)
);

/// A page of a listing under one parent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    /// Which list, under which parent.
    pub scoped: Scoped,
    /// Which page.
    pub page: PageRequest,
}

impl Loader<PageKey> for Fetcher {
    type Value = IdPage;
    type Error = Shared;

    async fn load(&self, keys: &[PageKey]) -> Result<HashMap<PageKey, IdPage>, Shared> {
        // One statement per distinct (listing, page), covering all its parents.
        let mut groups: HashMap<(&Listing, &PageRequest), Vec<&PageKey>> = HashMap::new();
        for key in keys {
            groups
                .entry((key.scoped.listing(), &key.page))
                .or_default()
                .push(key);
        }
        let mut out = HashMap::new();
        for ((listing, page), group) in groups {
            let parents: Vec<Uuid> = group.iter().map(|k| k.scoped.parent()).collect();
            let mut pages = self
                .repos
                .listings
                .page(listing, &parents, page)
                .await
                .map_err(Arc::new)?;
            for key in group {
                if let Some(found) = pages.remove(&key.scoped.parent()) {
                    out.insert(key.clone(), found);
                }
            }
        }
        Ok(out)
    }
}

/// The size of a listing under one parent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountKey(pub Scoped);

impl Loader<CountKey> for Fetcher {
    type Value = u64;
    type Error = Shared;

    async fn load(&self, keys: &[CountKey]) -> Result<HashMap<CountKey, u64>, Shared> {
        let mut groups: HashMap<&Listing, Vec<&CountKey>> = HashMap::new();
        for key in keys {
            groups.entry(key.0.listing()).or_default().push(key);
        }
        let mut out = HashMap::new();
        for (listing, group) in groups {
            let parents: Vec<Uuid> = group.iter().map(|k| k.0.parent()).collect();
            let counts = self
                .repos
                .listings
                .count(listing, &parents)
                .await
                .map_err(Arc::new)?;
            for key in group {
                let n = counts.get(&key.0.parent()).copied().unwrap_or(0);
                out.insert(key.clone(), n);
            }
        }
        Ok(out)
    }
}

/// Whether the caller may see a person (rule 8), decided in SQL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisiblePerson {
    /// Who.
    pub person: PersonId,
    /// The caller's filter.
    pub filter: PersonFilter,
}

impl Loader<VisiblePerson> for Fetcher {
    type Value = bool;
    type Error = Shared;

    async fn load(&self, keys: &[VisiblePerson]) -> Result<HashMap<VisiblePerson, bool>, Shared> {
        let mut groups: HashMap<&PersonFilter, Vec<PersonId>> = HashMap::new();
        for key in keys {
            groups.entry(&key.filter).or_default().push(key.person);
        }
        let mut out = HashMap::new();
        for (filter, people) in groups {
            let visible = self
                .repos
                .people
                .visible_subset(&people, filter)
                .await
                .map_err(Arc::new)?;
            for person in people {
                out.insert(
                    VisiblePerson {
                        person,
                        filter: filter.clone(),
                    },
                    visible.contains(&person),
                );
            }
        }
        Ok(out)
    }
}

/// The viewer's own membership (any status) in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ViewerMembership(pub CommunityId);

impl Loader<ViewerMembership> for Fetcher {
    type Value = Arc<Membership>;
    type Error = Shared;

    async fn load(
        &self,
        keys: &[ViewerMembership],
    ) -> Result<HashMap<ViewerMembership, Arc<Membership>>, Shared> {
        let Some(viewer) = self.viewer else {
            return Ok(HashMap::new());
        };
        let communities: Vec<CommunityId> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .repos
            .memberships
            .of_person_in(viewer, &communities)
            .await
            .map_err(Arc::new)?;
        Ok(rows
            .into_iter()
            .map(|m| (ViewerMembership(m.community_id), Arc::new(m)))
            .collect())
    }
}

/// The organizations a person is affiliated with (for the e-mail rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationsOf(pub PersonId);

impl Loader<OrganizationsOf> for Fetcher {
    type Value = Vec<OrganizationId>;
    type Error = Shared;

    async fn load(
        &self,
        keys: &[OrganizationsOf],
    ) -> Result<HashMap<OrganizationsOf, Vec<OrganizationId>>, Shared> {
        let people: Vec<PersonId> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<OrganizationsOf, Vec<OrganizationId>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for a in self
            .repos
            .organizations
            .affiliations_of(&people)
            .await
            .map_err(Arc::new)?
        {
            out.entry(OrganizationsOf(a.person_id))
                .or_default()
                .push(a.organization_id);
        }
        Ok(out)
    }
}

/// Declares a loader of per-post (or per-thread) facts keyed by a newtype over the id.
macro_rules! per_key {
    ($(#[$doc:meta])* $key:ident($id:ty) -> $value:ty, |$this:ident, $ids:ident| $call:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub $id);

        impl Loader<$key> for Fetcher {
            type Value = $value;
            type Error = Shared;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, Shared> {
                let $this = self;
                let $ids: Vec<$id> = keys.iter().map(|k| k.0).collect();
                let found = $call.await.map_err(Arc::new)?;
                Ok(keys.iter().map(|k| (*k, found.get(&k.0).cloned().unwrap_or_default())).collect())
            }
        }
    };
}

per_key!(
    /// The keys of a service account that authenticate now, oldest first.
    KeysOf(ServiceAccountId) -> Vec<ServiceAccountKey>,
    |this, ids| this.repos.service_accounts.active_keys(&ids, Utc::now())
);
per_key!(
    /// Reaction counts of a post.
    ReactionsOf(PostId) -> Vec<ReactionCount>,
    |this, ids| this.repos.discussions.reaction_counts(&ids)
);
per_key!(
    /// The people a post mentions.
    MentionsOf(PostId) -> Vec<PersonId>,
    |this, ids| this.repos.discussions.mentions(&ids)
);
per_key!(
    /// How many times a post was flagged.
    FlagsOf(PostId) -> u32,
    |this, ids| this.repos.discussions.flag_counts(&ids)
);
per_key!(
    /// The viewer's reactions to a post.
    ViewerReactions(PostId) -> Vec<Emoji>,
    |this, ids| async {
        match this.viewer {
            Some(viewer) => this.repos.discussions.reactions_of(viewer, &ids).await,
            None => Ok(HashMap::new()),
        }
    }
);
per_key!(
    /// Posts of a thread the viewer has not read.
    ViewerUnread(ThreadId) -> u32,
    |this, ids| async {
        match this.viewer {
            Some(viewer) => this.repos.discussions.unread_counts(viewer, &ids).await,
            None => Ok(HashMap::new()),
        }
    }
);

per_key!(
    /// The reviews of one round of an asset.
    ReviewsOf((AssetId, u32)) -> Vec<AssetReview>,
    |this, ids| this.repos.assets.reviews(&ids)
);
per_key!(
    /// The topics a thread, asset or event carries.
    TopicsOf(Tagged) -> Vec<TopicId>,
    |this, ids| this.repos.knowledge.topics_of(&ids)
);
per_key!(
    /// A person's declared expertise, most expert first.
    ExpertiseOf(PersonId) -> Vec<Expertise>,
    |this, ids| this.repos.knowledge.expertise_of(&ids)
);
per_key!(
    /// The topics a person is interested in.
    InterestsOf(PersonId) -> Vec<TopicId>,
    |this, ids| this.repos.knowledge.interests_of(&ids)
);
per_key!(
    /// A person's profile (empty when they set none).
    ProfileOf(PersonId) -> Profile,
    |this, ids| this.repos.knowledge.profiles(&ids)
);
per_key!(
    /// A community's onboarding steps, in order.
    StepsOf(CommunityId) -> Vec<OnboardingStep>,
    |this, ids| this.repos.onboarding.steps_of(&ids)
);
per_key!(
    /// What a member did that onboarding steps read.
    ActivityOf((CommunityId, PersonId)) -> OnboardingActivity,
    |this, ids| this.repos.onboarding.activity(&ids, Utc::now())
);
per_key!(
    /// A current member's circle now (none for an ended membership).
    CircleOf(MembershipId) -> Option<CircleState>,
    |this, ids| async {
        let found = this.repos.participation.circles(&ids, Utc::now()).await?;
        Ok::<_, DomainError>(found.into_iter().map(|(k, v)| (k, Some(v))).collect::<HashMap<_, _>>())
    }
);
per_key!(
    /// What a member did in their community's circle window.
    CircleActivityOf((CommunityId, PersonId)) -> Activity,
    |this, ids| this.repos.participation.activity(&ids, Utc::now())
);
per_key!(
    /// How many current members of a community are in each circle.
    CircleCountsOf(CommunityId) -> CircleCounts,
    |this, ids| this.repos.participation.circle_counts(&ids, Utc::now())
);
per_key!(
    /// A community's health figures.
    HealthOfCommunity(CommunityId) -> Health,
    |this, ids| copnet_domain::service::community_health(&this.repos, &ids)
);
per_key!(
    /// A community's circle settings.
    CircleRulesOf(CommunityId) -> CircleRules,
    |this, ids| this.repos.participation.circle_rules(&ids)
);
per_key!(
    /// The assets linked as an event's outputs.
    OutputsOf(EventId) -> Vec<AssetId>,
    |this, ids| this.repos.assets.outputs_of(&ids)
);

/// The latest charter revision of a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LatestCharter(pub CommunityId);

impl Loader<LatestCharter> for Fetcher {
    type Value = Arc<Charter>;
    type Error = Shared;

    async fn load(
        &self,
        keys: &[LatestCharter],
    ) -> Result<HashMap<LatestCharter, Arc<Charter>>, Shared> {
        let ids: Vec<CommunityId> = keys.iter().map(|k| k.0).collect();
        let rows = self.repos.charters.latest(&ids).await.map_err(Arc::new)?;
        Ok(rows
            .into_iter()
            .map(|c| (LatestCharter(c.community_id), Arc::new(c)))
            .collect())
    }
}

/// The events a scope admits that may occur in a window.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventsIn {
    /// Which events.
    pub scope: EventScope,
    /// Window start.
    pub from: DateTime<Utc>,
    /// Window end.
    pub to: DateTime<Utc>,
}

impl Loader<EventsIn> for Fetcher {
    type Value = Vec<Arc<Convening>>;
    type Error = Shared;

    async fn load(&self, keys: &[EventsIn]) -> Result<HashMap<EventsIn, Self::Value>, Shared> {
        let windows: Vec<_> = keys
            .iter()
            .map(|k| (k.scope.clone(), k.from, k.to))
            .collect();
        let found = self
            .repos
            .events
            .in_windows(&windows)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .cloned()
            .zip(found)
            .map(|(k, rows)| (k, rows.into_iter().map(Arc::new).collect()))
            .collect())
    }
}

/// Who is going to one occurrence, in the order they said so, and the viewer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttendanceOf(pub EventId, pub DateTime<Utc>);

/// The answers to one occurrence that pages show.
#[derive(Debug, Clone, Default)]
pub struct Attendance {
    /// People `GOING`, in the order places are given.
    pub going: Vec<PersonId>,
    /// The viewer's answer.
    pub viewer: Option<Rsvp>,
}

impl Loader<AttendanceOf> for Fetcher {
    type Value = Arc<Attendance>;
    type Error = Shared;

    async fn load(
        &self,
        keys: &[AttendanceOf],
    ) -> Result<HashMap<AttendanceOf, Arc<Attendance>>, Shared> {
        let pairs: Vec<(EventId, DateTime<Utc>)> = keys.iter().map(|k| (k.0, k.1)).collect();
        let mut rows = self
            .repos
            .events
            .rsvps(&pairs, self.viewer)
            .await
            .map_err(Arc::new)?;
        rows.sort_by_key(|r| (r.going_since, r.id));
        let mut out: HashMap<AttendanceOf, Attendance> = HashMap::new();
        for r in rows {
            let entry = out
                .entry(AttendanceOf(r.event_id, r.occurrence_start))
                .or_default();
            if r.response == RsvpResponse::Going {
                entry.going.push(r.person_id);
            }
            if Some(r.person_id) == self.viewer {
                entry.viewer = Some(r);
            }
        }
        Ok(keys
            .iter()
            .map(|k| (*k, Arc::new(out.remove(k).unwrap_or_default())))
            .collect())
    }
}

/// The counted ratings of a community or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SummaryOf(pub FeedbackTarget);

impl Loader<SummaryOf> for Fetcher {
    type Value = FeedbackSummary;
    type Error = Shared;

    async fn load(
        &self,
        keys: &[SummaryOf],
    ) -> Result<HashMap<SummaryOf, FeedbackSummary>, Shared> {
        let targets: Vec<FeedbackTarget> = keys.iter().map(|k| k.0).collect();
        let found = self
            .repos
            .stakeholders
            .summaries(&targets)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|(t, s)| (SummaryOf(t), s)).collect())
    }
}
