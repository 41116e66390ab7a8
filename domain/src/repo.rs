//! Repository traits, implemented by `infra`. Reads come in batches (`by_ids`) so that every
//! GraphQL relation is served by a request-scoped DataLoader; writes are one atomic method per
//! use case, and implementations enforce the invariants stated on each method inside their
//! transaction.

use std::{
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    access::AccessSet,
    error::DomainResult,
    ids::{
        AffiliationId, AssetId, AssetVersionId, AuditEntryId, CalendarTokenId, CharterId,
        ClusterId, CommunityId, EventId, FeedbackId, IndicatorId, InvitationId, JoinRequestId,
        MembershipId, NetworkId, NotificationId, OrganizationId, PersonId, PostId, RevisionId,
        ServiceAccountId, ServiceAccountKeyId, SpaceId, StageChangeId, StakeholderId, ThreadId,
        TopicId,
    },
    listing::{EventScope, Listing, ReadableSpaces},
    model::{
        Activity, Affiliation, Asset, AssetReview, AssetVersion, AuditEntry, CalendarToken,
        Charter, CircleCounts, CircleRules, CircleState, Cluster, Community, Convening, Emoji,
        Expertise, ExpertiseLevel, Feedback, FeedbackSummary, FeedbackTarget, FlagReason, Health,
        Indicator, IndicatorKind, IndicatorScope, IndicatorValue, Invitation, JoinRequest,
        Membership, MembershipStatus, Network, Notification, OnboardingActivity, OnboardingStep,
        Organization, Person, Post, PostRevision, Profile, ReactionCount, ReviewDecision, Role,
        Rsvp, ServiceAccount, ServiceAccountKey, Space, StageChange, Stakeholder, Tagged, Thread,
        Topic,
    },
    page::{IdPage, PageRequest},
    policy::{
        chain::Lookup,
        filter::{CommunityFilter, PersonFilter},
        service::Hosted,
    },
};

/// The message of the conflict raised when a change would leave a community without a manager.
pub const LAST_MANAGER: &str = "a community must keep at least one MANAGER";
/// The message of the conflict raised when a change would leave an organization without an admin.
pub const LAST_ORG_ADMIN: &str = "an organization must keep at least one ORG_ADMIN";

/// Organizations and affiliations.
#[async_trait]
pub trait OrganizationRepo: Send + Sync {
    /// Organizations with these ids (missing ones are left out).
    async fn by_ids(&self, ids: &[OrganizationId]) -> DomainResult<Vec<Organization>>;
    /// The organizations with these slugs.
    async fn by_slugs(&self, slugs: &[String]) -> DomainResult<Vec<Organization>>;
    /// Creates an organization with its first admin. A taken slug is a conflict.
    async fn create(&self, org: &Organization, admin: &Affiliation) -> DomainResult<()>;
    /// Affiliations with these ids.
    async fn affiliations_by_ids(&self, ids: &[AffiliationId]) -> DomainResult<Vec<Affiliation>>;
    /// Affiliations of these people.
    async fn affiliations_of(&self, people: &[PersonId]) -> DomainResult<Vec<Affiliation>>;
    /// Adds the affiliation, or changes the role of an existing one (keeping at least one
    /// admin: [`LAST_ORG_ADMIN`]). Returns the stored affiliation.
    async fn put_affiliation(&self, affiliation: &Affiliation) -> DomainResult<Affiliation>;
    /// Removes the affiliation, keeping at least one admin ([`LAST_ORG_ADMIN`]).
    /// Returns whether there was one.
    async fn remove_affiliation(&self, org: OrganizationId, person: PersonId)
    -> DomainResult<bool>;
}

/// People.
#[async_trait]
pub trait PersonRepo: Send + Sync {
    /// People with these ids.
    async fn by_ids(&self, ids: &[PersonId]) -> DomainResult<Vec<Person>>;
    /// The person with this subject, created on first use; the display name and e-mail follow
    /// the identity provider's latest values.
    async fn provision(
        &self,
        subject: &str,
        name: &str,
        email: Option<&str>,
    ) -> DomainResult<Person>;
    /// Which of these people the filter lets the caller see.
    async fn visible_subset(
        &self,
        ids: &[PersonId],
        filter: &PersonFilter,
    ) -> DomainResult<Vec<PersonId>>;
    /// Whether the person is a member of the network (of any of its communities, or steward).
    async fn is_network_member(&self, person: PersonId, network: NetworkId) -> DomainResult<bool>;
}

/// Networks, stewards, clusters, coordinators.
#[async_trait]
pub trait NetworkRepo: Send + Sync {
    /// Networks with these ids.
    async fn by_ids(&self, ids: &[NetworkId]) -> DomainResult<Vec<Network>>;
    /// The networks with these slugs.
    async fn by_slugs(&self, slugs: &[String]) -> DomainResult<Vec<Network>>;
    /// Creates a network with its first steward. A taken slug is a conflict.
    async fn create(&self, network: &Network, steward: PersonId) -> DomainResult<()>;
    /// Adds a steward. An existing steward is a conflict.
    async fn add_steward(&self, network: NetworkId, person: PersonId) -> DomainResult<()>;
    /// Clusters with these ids.
    async fn clusters_by_ids(&self, ids: &[ClusterId]) -> DomainResult<Vec<Cluster>>;
    /// The clusters with these slugs, each in its network.
    async fn clusters_by_slugs(&self, keys: &[(NetworkId, String)]) -> DomainResult<Vec<Cluster>>;
    /// Creates a cluster. A slug taken in the network is a conflict.
    async fn create_cluster(&self, cluster: &Cluster) -> DomainResult<()>;
    /// Adds a coordinator. An existing coordinator is a conflict.
    async fn add_coordinator(&self, cluster: ClusterId, person: PersonId) -> DomainResult<()>;
}

/// Communities.
#[async_trait]
pub trait CommunityRepo: Send + Sync {
    /// Communities with these ids, with their allow-lists.
    async fn by_ids(&self, ids: &[CommunityId]) -> DomainResult<Vec<Community>>;
    /// The communities with these slugs, each in its network.
    async fn by_slugs(&self, keys: &[(NetworkId, String)]) -> DomainResult<Vec<Community>>;
    /// Creates a community in the given clusters, with its creator's membership. A slug taken
    /// in the network is a conflict.
    async fn create(
        &self,
        community: &Community,
        clusters: &[ClusterId],
        creator: &Membership,
    ) -> DomainResult<()>;
    /// Stores every field and the allow-list; replaces the clusters when given.
    async fn update(
        &self,
        community: &Community,
        clusters: Option<&[ClusterId]>,
    ) -> DomainResult<()>;
}

/// Memberships, join requests and invitations.
#[async_trait]
pub trait MembershipRepo: Send + Sync {
    /// Memberships with these ids.
    async fn by_ids(&self, ids: &[MembershipId]) -> DomainResult<Vec<Membership>>;
    /// The person's memberships (any status) in these communities.
    async fn of_person_in(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<Vec<Membership>>;
    /// Makes the person an active member with these roles (a new row, or a former membership
    /// reactivated). An active membership is a conflict.
    async fn activate(
        &self,
        community: CommunityId,
        person: PersonId,
        roles: &BTreeSet<Role>,
    ) -> DomainResult<Membership>;
    /// Ends an active membership (`LEFT` or `REMOVED`), dropping its roles and its space
    /// memberships; refuses to remove the last manager ([`LAST_MANAGER`]).
    async fn end(
        &self,
        membership: MembershipId,
        status: MembershipStatus,
    ) -> DomainResult<Membership>;
    /// Replaces the roles of an active membership; refuses to remove the last manager
    /// ([`LAST_MANAGER`]).
    async fn set_roles(
        &self,
        membership: MembershipId,
        roles: &BTreeSet<Role>,
    ) -> DomainResult<Membership>;
    /// Join requests with these ids.
    async fn join_requests_by_ids(&self, ids: &[JoinRequestId]) -> DomainResult<Vec<JoinRequest>>;
    /// Stores a new pending request; a pending request of the same person is a conflict.
    async fn create_join_request(&self, request: &JoinRequest) -> DomainResult<()>;
    /// Records the decision on a pending request (a conflict if no longer pending); an
    /// approval also activates the membership (keeping an active one).
    async fn decide_join_request(&self, decided: &JoinRequest) -> DomainResult<()>;
    /// Invitations with these ids.
    async fn invitations_by_ids(&self, ids: &[InvitationId]) -> DomainResult<Vec<Invitation>>;
    /// Stores a new pending invitation; a pending invitation of the same person is a conflict.
    async fn create_invitation(&self, invitation: &Invitation) -> DomainResult<()>;
    /// Records the answer to a pending invitation (a conflict if no longer pending); an
    /// acceptance also activates the membership.
    async fn answer_invitation(&self, answered: &Invitation) -> DomainResult<()>;
}

/// Spaces and their member lists.
#[async_trait]
pub trait SpaceRepo: Send + Sync {
    /// Spaces with these ids.
    async fn by_ids(&self, ids: &[SpaceId]) -> DomainResult<Vec<Space>>;
    /// The spaces with these slugs, each in its community.
    async fn by_slugs(&self, keys: &[(CommunityId, String)]) -> DomainResult<Vec<Space>>;
    /// Creates a space. A slug taken in the community is a conflict.
    async fn create(&self, space: &Space) -> DomainResult<()>;
    /// Stores every field of the space.
    async fn update(&self, space: &Space) -> DomainResult<()>;
    /// Puts the person on the space's member list (no-op if already there).
    async fn add_member(&self, space: SpaceId, person: PersonId) -> DomainResult<()>;
    /// Takes the person off the list; returns whether they were on it.
    async fn remove_member(&self, space: SpaceId, person: PersonId) -> DomainResult<bool>;
}

/// A service-account key as presented: the key, its account and the stored hash.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub account: ServiceAccount,
    /// The key the token names.
    pub key: ServiceAccountKey,
    /// Hash of the key's secret.
    pub key_hash: String,
}

/// Service accounts, their keys and the keys' hashes.
#[async_trait]
pub trait ServiceAccountRepo: Send + Sync {
    /// Accounts with these ids.
    async fn by_ids(&self, ids: &[ServiceAccountId]) -> DomainResult<Vec<ServiceAccount>>;
    /// The key with this id, with its account and stored hash.
    async fn credentials(&self, key: ServiceAccountKeyId) -> DomainResult<Option<Credentials>>;
    /// Stores a new account with its first key and that key's hash, at once.
    async fn create(
        &self,
        account: &ServiceAccount,
        key: &ServiceAccountKey,
        key_hash: &str,
    ) -> DomainResult<()>;
    /// Stores a new key of its account and moves every other key of the account that would
    /// outlive `others_until` to expire then, at once.
    async fn rotate(
        &self,
        key: &ServiceAccountKey,
        key_hash: &str,
        others_until: DateTime<Utc>,
    ) -> DomainResult<()>;
    /// For each account, its keys that authenticate at `now`, oldest first.
    async fn active_keys(
        &self,
        ids: &[ServiceAccountId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<ServiceAccountId, Vec<ServiceAccountKey>>>;
    /// Records that the key authenticated a request at `at` (on the key and its account).
    async fn touch(&self, key: &ServiceAccountKey, at: DateTime<Utc>) -> DomainResult<()>;
    /// Marks the account revoked (keeping an earlier revocation time).
    async fn revoke(&self, id: ServiceAccountId, at: DateTime<Utc>) -> DomainResult<()>;
}

/// Threads, posts, reactions, flags, read markers and notifications.
#[async_trait]
pub trait DiscussionRepo: Send + Sync {
    /// Threads with these ids.
    async fn threads_by_ids(&self, ids: &[ThreadId]) -> DomainResult<Vec<Thread>>;
    /// Posts with these ids.
    async fn posts_by_ids(&self, ids: &[PostId]) -> DomainResult<Vec<Post>>;
    /// Stores a thread, its first post, the post's mentions and the notifications, at once.
    async fn create_thread(
        &self,
        thread: &Thread,
        post: &Post,
        mentions: &[PersonId],
        notifications: &[Notification],
    ) -> DomainResult<()>;
    /// Stores a post with its mentions and notifications, and moves its thread's activity,
    /// last post and post count, at once. Returns the thread as updated.
    async fn create_post(
        &self,
        post: &Post,
        mentions: &[PersonId],
        notifications: &[Notification],
    ) -> DomainResult<Thread>;
    /// Replaces a post's body, keeping the former body as a revision.
    async fn edit_post(&self, post: &Post, previous: &PostRevision) -> DomainResult<()>;
    /// Former bodies with these ids.
    async fn revisions_by_ids(&self, ids: &[RevisionId]) -> DomainResult<Vec<PostRevision>>;
    /// Marks a post deleted and clears its body; the thread's post count goes down.
    async fn delete_post(&self, post: &Post) -> DomainResult<()>;
    /// Hides or shows a post.
    async fn set_hidden(&self, post: PostId, hidden: bool) -> DomainResult<()>;
    /// Locks or pins a thread (fields left `None` stay).
    async fn set_thread_flags(
        &self,
        thread: ThreadId,
        locked: Option<bool>,
        pinned: Option<bool>,
    ) -> DomainResult<()>;
    /// Adds a reaction; returns whether it was new.
    async fn add_reaction(
        &self,
        post: PostId,
        person: PersonId,
        emoji: Emoji,
    ) -> DomainResult<bool>;
    /// Removes a reaction; returns whether there was one.
    async fn remove_reaction(
        &self,
        post: PostId,
        person: PersonId,
        emoji: Emoji,
    ) -> DomainResult<bool>;
    /// Reaction counts per post (only posts with reactions appear).
    async fn reaction_counts(
        &self,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionCount>>>;
    /// The emojis `person` reacted with, per post.
    async fn reactions_of(
        &self,
        person: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<Emoji>>>;
    /// The people mentioned, per post.
    async fn mentions(&self, posts: &[PostId]) -> DomainResult<HashMap<PostId, Vec<PersonId>>>;
    /// Records a flag; a second flag of the same person on the same post is a conflict.
    async fn flag(
        &self,
        post: PostId,
        person: PersonId,
        reason: FlagReason,
        note: &str,
    ) -> DomainResult<()>;
    /// Number of flags per post.
    async fn flag_counts(&self, posts: &[PostId]) -> DomainResult<HashMap<PostId, u32>>;
    /// Moves the person's read marker of the thread to `post` (never backwards).
    async fn mark_read(&self, person: PersonId, thread: ThreadId, post: PostId)
    -> DomainResult<()>;
    /// Posts after the person's read marker, per thread (deleted posts and the person's own
    /// excluded).
    async fn unread_counts(
        &self,
        person: PersonId,
        threads: &[ThreadId],
    ) -> DomainResult<HashMap<ThreadId, u32>>;
    /// Notifications with these ids.
    async fn notifications_by_ids(&self, ids: &[NotificationId])
    -> DomainResult<Vec<Notification>>;
    /// Stores notifications.
    async fn create_notifications(&self, notifications: &[Notification]) -> DomainResult<()>;
    /// Marks the person's notifications read (all of them when `ids` is `None`); returns how
    /// many changed.
    async fn mark_notifications_read(
        &self,
        person: PersonId,
        ids: Option<&[NotificationId]>,
    ) -> DomainResult<u64>;
}

/// Where posts are replayed from: one thread, or every thread of a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostScope {
    /// One thread's posts.
    Thread(ThreadId),
    /// The posts of every thread of a space.
    Space(SpaceId),
}

/// The committed posts of a thread or space in order, for subscriptions that resume.
#[async_trait]
pub trait ReplayRepo: Send + Sync {
    /// Up to `limit` posts of the scope whose ids (time-ordered) come after `after` (from the
    /// first when `None`), oldest first, each with its thread as it now is.
    async fn posts_after(
        &self,
        scope: PostScope,
        after: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<(Thread, Post)>>;
    /// The newest post of the scope.
    async fn newest_post(&self, scope: PostScope) -> DomainResult<Option<PostId>>;
}

/// Loads what callers belong to.
#[async_trait]
pub trait AccessRepo: Send + Sync {
    /// The access sets of signed-in people, in one batch (everyone asked for is in the map;
    /// `platform_admin` is left `false`: it comes from configuration).
    async fn load_many(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, AccessSet>>;
    /// What an organization hosts (rule 5, in [`policy::service`], decides what of it a
    /// service account reads).
    ///
    /// [`policy::service`]: crate::policy::service
    async fn hosted_by(&self, org: OrganizationId) -> DomainResult<Hosted>;
}

/// Pages and counts any [`Listing`], batched over parents.
#[async_trait]
pub trait ListingRepo: Send + Sync {
    /// One page per parent (parents without items get an empty page).
    async fn page(
        &self,
        listing: &Listing,
        parents: &[Uuid],
        page: &PageRequest,
    ) -> DomainResult<HashMap<Uuid, IdPage>>;
    /// The number of items per parent.
    async fn count(&self, listing: &Listing, parents: &[Uuid]) -> DomainResult<HashMap<Uuid, u64>>;
}

/// Charters and the lifecycle history.
#[async_trait]
pub trait CharterRepo: Send + Sync {
    /// Charter revisions with these ids.
    async fn by_ids(&self, ids: &[CharterId]) -> DomainResult<Vec<Charter>>;
    /// The latest revision of each of these communities' charters (communities without one
    /// are left out).
    async fn latest(&self, communities: &[CommunityId]) -> DomainResult<Vec<Charter>>;
    /// Appends a revision, numbering it one after the latest (in the transaction; the given
    /// `revision` is ignored). Returns the stored revision.
    async fn append(&self, charter: &Charter) -> DomainResult<Charter>;
    /// Stage changes with these ids.
    async fn stage_changes_by_ids(&self, ids: &[StageChangeId]) -> DomainResult<Vec<StageChange>>;
    /// Stores the community's new stage and records the change, in one transaction; a
    /// community whose stage is no longer `change.from` is a conflict.
    async fn change_stage(&self, community: &Community, change: &StageChange) -> DomainResult<()>;
}

/// Events and answers.
#[async_trait]
pub trait EventRepo: Send + Sync {
    /// Events with these ids, with their cancelled occurrences.
    async fn by_ids(&self, ids: &[EventId]) -> DomainResult<Vec<Convening>>;
    /// For each scope, the events it admits ([`EventScope::admits`]) that may have an
    /// occurrence overlapping `[from, to)`, in one statement; aligned with `windows`.
    async fn in_windows(
        &self,
        windows: &[(EventScope, DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<Vec<Convening>>>;
    /// The community's `LAUNCH` events (community-wide or in a space), cancelled ones too.
    async fn launch_events(&self, community: CommunityId) -> DomainResult<Vec<Convening>>;
    /// Stores a new event.
    async fn create(&self, event: &Convening) -> DomainResult<()>;
    /// Stores every field, and the cancelled occurrences.
    async fn update(&self, event: &Convening) -> DomainResult<()>;
    /// Answers for these occurrences: every `GOING` one, and `viewer`'s whatever they are.
    async fn rsvps(
        &self,
        occurrences: &[(EventId, DateTime<Utc>)],
        viewer: Option<PersonId>,
    ) -> DomainResult<Vec<Rsvp>>;
    /// Stores a person's answer for an occurrence (replacing an earlier one). Returns it.
    async fn put_rsvp(&self, rsvp: &Rsvp) -> DomainResult<Rsvp>;
    /// Stores a new calendar token with the hash of its secret.
    async fn create_calendar_token(&self, token: &CalendarToken, hash: &str) -> DomainResult<()>;
    /// A calendar token and its stored hash.
    async fn calendar_token(
        &self,
        id: CalendarTokenId,
    ) -> DomainResult<Option<(CalendarToken, String)>>;
    /// Revokes the person's token; whether there was one not yet revoked.
    async fn revoke_calendar_token(
        &self,
        id: CalendarTokenId,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> DomainResult<bool>;
}

/// Stakeholders and feedback.
#[async_trait]
pub trait StakeholderRepo: Send + Sync {
    /// Stakeholders with these ids.
    async fn by_ids(&self, ids: &[StakeholderId]) -> DomainResult<Vec<Stakeholder>>;
    /// Stores a new stakeholder, or every field of an existing one.
    async fn put(&self, stakeholder: &Stakeholder) -> DomainResult<()>;
    /// Removes one; whether there was one.
    async fn remove(&self, id: StakeholderId) -> DomainResult<bool>;
    /// Feedback with these ids.
    async fn feedback_by_ids(&self, ids: &[FeedbackId]) -> DomainResult<Vec<Feedback>>;
    /// Stores a person's feedback on a target, replacing their earlier one. Returns it.
    async fn give_feedback(&self, feedback: &Feedback) -> DomainResult<Feedback>;
    /// The ratings of each target, counted.
    async fn summaries(
        &self,
        targets: &[FeedbackTarget],
    ) -> DomainResult<HashMap<FeedbackTarget, FeedbackSummary>>;
}

/// Knowledge assets, their versions, reviews and links to events.
#[async_trait]
pub trait AssetRepo: Send + Sync {
    /// Assets with these ids, each with the reviewers of its current round.
    async fn by_ids(&self, ids: &[AssetId]) -> DomainResult<Vec<Asset>>;
    /// Stores a new asset with its first version.
    async fn create(&self, asset: &Asset, version: &AssetVersion) -> DomainResult<()>;
    /// Stores a revised asset (its content and version number) with its new version, if its
    /// stored version is still `version.version - 1` (a conflict otherwise).
    async fn revise(&self, asset: &Asset, version: &AssetVersion) -> DomainResult<()>;
    /// Moves a `DRAFT` to `IN_REVIEW` in a new round with these reviewers (a conflict if it
    /// is no longer a draft). Returns the asset as stored.
    async fn submit(
        &self,
        asset: AssetId,
        reviewers: &[PersonId],
        at: DateTime<Utc>,
    ) -> DomainResult<Asset>;
    /// Records a reviewer's decision in the current round: `REQUEST_CHANGES` returns the asset
    /// to `DRAFT`; the last approval publishes it. A conflict when the asset left review
    /// meanwhile. Returns the asset as stored.
    async fn review(
        &self,
        asset: AssetId,
        reviewer: PersonId,
        decision: ReviewDecision,
        comment: &str,
        at: DateTime<Utc>,
    ) -> DomainResult<Asset>;
    /// Returns an asset `IN_REVIEW` to `DRAFT`, ending its round (a conflict otherwise).
    /// Returns the asset as stored.
    async fn withdraw(&self, asset: AssetId, at: DateTime<Utc>) -> DomainResult<Asset>;
    /// Retires a `PUBLISHED` asset (a conflict otherwise). Returns the asset as stored.
    async fn retire(&self, asset: AssetId, at: DateTime<Utc>) -> DomainResult<Asset>;
    /// The reviews of these rounds of these assets, reviewers in the order named.
    async fn reviews(
        &self,
        rounds: &[(AssetId, u32)],
    ) -> DomainResult<HashMap<(AssetId, u32), Vec<AssetReview>>>;
    /// Versions with these ids.
    async fn versions_by_ids(&self, ids: &[AssetVersionId]) -> DomainResult<Vec<AssetVersion>>;
    /// Links an asset as an event's output (linking twice changes nothing); at most `limit`
    /// outputs per event (a precondition failure beyond).
    async fn link_output(
        &self,
        event: EventId,
        asset: AssetId,
        by: PersonId,
        limit: usize,
    ) -> DomainResult<()>;
    /// Removes the link; whether there was one.
    async fn unlink_output(&self, event: EventId, asset: AssetId) -> DomainResult<bool>;
    /// The outputs of each event, in the order linked.
    async fn outputs_of(&self, events: &[EventId]) -> DomainResult<HashMap<EventId, Vec<AssetId>>>;
}

/// Onboarding journeys and what members did on them.
#[async_trait]
pub trait OnboardingRepo: Send + Sync {
    /// The steps of each community, in order.
    async fn steps_of(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Vec<OnboardingStep>>>;
    /// Replaces a community's steps (what members marked done stays, by key).
    async fn set_steps(&self, community: CommunityId, steps: &[OnboardingStep])
    -> DomainResult<()>;
    /// Marks a step done for a member (marking it again keeps the first time).
    async fn mark_done(
        &self,
        community: CommunityId,
        person: PersonId,
        key: &str,
        at: DateTime<Utc>,
    ) -> DomainResult<()>;
    /// What each member did that steps read, occurrences counted until `now`.
    async fn activity(
        &self,
        members: &[(CommunityId, PersonId)],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<(CommunityId, PersonId), OnboardingActivity>>;
}

/// Narrows a list of experts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertNarrowing {
    /// Only people whose profile names this regional cluster.
    pub cluster: Option<ClusterId>,
    /// Only people affiliated with this organization.
    pub organization: Option<OrganizationId>,
    /// Only people whose profile lists this language.
    pub language: Option<String>,
}

/// A network's topics, and what people know and want to learn about them.
#[async_trait]
pub trait KnowledgeRepo: Send + Sync {
    /// Topics with these ids.
    async fn topics_by_ids(&self, ids: &[TopicId]) -> DomainResult<Vec<Topic>>;
    /// Creates a topic; a name (or alias) already naming a topic of the network,
    /// case-insensitively, is a conflict.
    async fn create_topic(&self, topic: &Topic) -> DomainResult<()>;
    /// The expertise each person declared, most expert first.
    async fn expertise_of(
        &self,
        people: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, Vec<Expertise>>>;
    /// Declares expertise, replacing the person's earlier level and note on that topic.
    async fn set_expertise(&self, expertise: &Expertise) -> DomainResult<()>;
    /// Withdraws it; whether there was one.
    async fn remove_expertise(&self, person: PersonId, topic: TopicId) -> DomainResult<bool>;
    /// The topics each person is interested in, in the order declared.
    async fn interests_of(
        &self,
        people: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, Vec<TopicId>>>;
    /// Declares an interest (declaring it again changes nothing).
    async fn set_interest(&self, person: PersonId, topic: TopicId) -> DomainResult<()>;
    /// Withdraws it; whether there was one.
    async fn remove_interest(&self, person: PersonId, topic: TopicId) -> DomainResult<bool>;
    /// The profiles of these people (those without one are left out).
    async fn profiles(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, Profile>>;
    /// Stores a person's profile.
    async fn set_profile(&self, person: PersonId, profile: &Profile) -> DomainResult<()>;
    /// The people with expertise on a topic, narrowed by their profile's cluster and
    /// language and by an organization they are affiliated with.
    async fn experts_on(
        &self,
        topic: TopicId,
        narrowing: &ExpertNarrowing,
    ) -> DomainResult<Vec<(PersonId, ExpertiseLevel)>>;
    /// How many posts each person wrote since `since` in a network's communities that the
    /// filter shows, in `PUBLIC` spaces and, for communities the caller is a member of,
    /// `MEMBERS` spaces (never `PRIVATE` ones).
    async fn recent_posts(
        &self,
        network: NetworkId,
        people: &[PersonId],
        since: DateTime<Utc>,
        visible: &CommunityFilter,
    ) -> DomainResult<HashMap<PersonId, u64>>;
    /// The topics each community's open content carries: threads and published assets of
    /// its `PUBLIC` spaces, its community-wide events and those of its `PUBLIC` spaces.
    async fn community_topics(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Vec<TopicId>>>;
    /// Who is interested in each of these topics: (person, topic) pairs.
    async fn interested_in(&self, topics: &[TopicId]) -> DomainResult<Vec<(PersonId, TopicId)>>;
    /// People who posted since `since` in `PUBLIC` or `MEMBERS` spaces of these communities
    /// (at most 200, most recent first).
    async fn recent_authors(
        &self,
        communities: &[CommunityId],
        since: DateTime<Utc>,
    ) -> DomainResult<Vec<PersonId>>;
    /// Replaces the topics a thread, asset or event carries.
    async fn set_topics(&self, target: Tagged, topics: &[TopicId]) -> DomainResult<()>;
    /// The topics each of these things carries, in the order given.
    async fn topics_of(&self, targets: &[Tagged]) -> DomainResult<HashMap<Tagged, Vec<TopicId>>>;
}

/// Participation circles: their settings, each member's state and activity counts.
/// Every contributing write (a post, a reply, a reaction, an RSVP, a published asset) and
/// every role change or join updates the counters and the member's circle state in its own
/// transaction; these methods read them.
#[async_trait]
pub trait ParticipationRepo: Send + Sync {
    /// Each community's circle settings (the defaults where none were set).
    async fn circle_rules(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, CircleRules>>;
    /// Replaces a community's circle settings and decides every current member's circle
    /// again under them.
    async fn set_circle_rules(
        &self,
        community: CommunityId,
        rules: &CircleRules,
        now: DateTime<Utc>,
    ) -> DomainResult<()>;
    /// The circle of each of these (current) memberships at `now`.
    async fn circles(
        &self,
        memberships: &[MembershipId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<MembershipId, CircleState>>;
    /// What each member did in their community's window ending at `now`.
    async fn activity(
        &self,
        members: &[(CommunityId, PersonId)],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<(CommunityId, PersonId), Activity>>;
    /// How many current members of each community are in each circle at `now`.
    async fn circle_counts(
        &self,
        communities: &[CommunityId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<CommunityId, CircleCounts>>;
    /// Each community's health figures at `now` (see [`Health`]), over all its spaces.
    async fn health(
        &self,
        communities: &[CommunityId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<CommunityId, Health>>;
    /// The threads of these communities' readable spaces with the most posts (not hidden,
    /// not deleted) written in `[from, to)`, with that number; most first, ties by newest.
    async fn busiest_threads(
        &self,
        scopes: &[(CommunityId, ReadableSpaces)],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<(ThreadId, u32)>>;
    /// Assets of these communities' readable spaces published in `[from, to)`, newest first.
    async fn published_assets(
        &self,
        scopes: &[(CommunityId, ReadableSpaces)],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<AssetId>>;
    /// Current memberships of these communities that began in `[from, to)`, newest first,
    /// and how many there are in all.
    async fn joined(
        &self,
        communities: &[CommunityId],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<(Vec<MembershipId>, u64)>;
    /// Threads of the community's readable spaces that nobody answered yet (one post, not
    /// locked, not by `not_by`) carrying one of these topics, most recent first, with the
    /// first such topic each carries.
    async fn unanswered_threads(
        &self,
        community: CommunityId,
        readable: &ReadableSpaces,
        topics: &[TopicId],
        not_by: PersonId,
        limit: u64,
    ) -> DomainResult<Vec<(ThreadId, TopicId)>>;
    /// Assets of the community in review whose current round waits for this reviewer,
    /// oldest request first.
    async fn awaiting_review(
        &self,
        community: CommunityId,
        reviewer: PersonId,
        limit: u64,
    ) -> DomainResult<Vec<AssetId>>;
    /// The community's first readable space (the oldest `PUBLIC` one before others).
    async fn first_readable_space(
        &self,
        community: CommunityId,
        readable: &ReadableSpaces,
    ) -> DomainResult<Option<SpaceId>>;
}

/// The full-text index, kept in step by the writes of the other repositories.
#[async_trait]
pub trait SearchRepo: Send + Sync {
    /// A page of hits the scope lets the caller read, and the counts of all of them by kind,
    /// both filtered in SQL.
    async fn search(
        &self,
        scope: &crate::search::SearchScope,
        request: &crate::search::SearchRequest,
    ) -> DomainResult<crate::search::SearchResults>;
}

/// Success indicators, the values recorded for manual ones, and the measures of the others.
#[async_trait]
pub trait IndicatorRepo: Send + Sync {
    /// Indicators with these ids.
    async fn by_ids(&self, ids: &[IndicatorId]) -> DomainResult<Vec<Indicator>>;
    /// The indicators of each scope, oldest first.
    async fn of_scopes(
        &self,
        scopes: &[IndicatorScope],
    ) -> DomainResult<HashMap<IndicatorScope, Vec<Indicator>>>;
    /// Stores a new indicator.
    async fn create(&self, indicator: &Indicator) -> DomainResult<()>;
    /// Stores a period's value (replacing an earlier one for that period).
    async fn record(&self, value: &IndicatorValue) -> DomainResult<()>;
    /// The values recorded for an indicator's periods starting in `[from, to)`.
    async fn values(
        &self,
        indicator: IndicatorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> DomainResult<Vec<IndicatorValue>>;
    /// What `kind` measures over these communities (all their spaces) in each period
    /// `[start, end)`, in order; `None` where there is nothing to average. Not for `CUSTOM`.
    async fn measure(
        &self,
        kind: IndicatorKind,
        communities: &[CommunityId],
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<Option<f64>>>;
}

/// Whose audit log is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    /// What was written in the community.
    Community(CommunityId),
    /// What the organization's actors wrote (its affiliated people, its service accounts),
    /// what was written in what it hosts (networks, communities), and what was written to it.
    Organization(OrganizationId),
}

/// Who made the writes sought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditActorId {
    /// A person (as platform admin or not).
    Person(PersonId),
    /// A service account.
    ServiceAccount(ServiceAccountId),
}

/// Narrows an audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's writes.
    pub actor: Option<AuditActorId>,
    /// Only this mutation.
    pub action: Option<String>,
    /// Only writes at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only writes before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// The audit log.
#[async_trait]
pub trait AuditRepo: Send + Sync {
    /// Appends an entry.
    async fn record(&self, entry: &AuditEntry) -> DomainResult<()>;
    /// Entries of the scope matching the filter, newest first, older than the entry
    /// `before` when given; at most `limit`.
    async fn page(
        &self,
        scope: AuditScope,
        filter: &AuditFilter,
        before: Option<AuditEntryId>,
        limit: u64,
    ) -> DomainResult<Vec<AuditEntry>>;
}

/// A persisted GraphQL document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistedDocument {
    /// The SHA-256 of its text, lowercase hex.
    pub hash: String,
    /// Its text.
    pub document: String,
    /// Whether it is on the safelist (registered by the operator), not only remembered.
    pub safelisted: bool,
}

/// Persisted GraphQL documents, shared by every replica.
#[async_trait]
pub trait PersistedQueryRepo: Send + Sync {
    /// The document with this hash.
    async fn find(&self, hash: &str) -> DomainResult<Option<PersistedDocument>>;
    /// Remembers a document sent with its hash (automatic persisted queries), unless known or
    /// `max` remembered documents are stored already; returns whether it is stored now.
    async fn remember(&self, hash: &str, document: &str, max: u64) -> DomainResult<bool>;
    /// Puts a document on the safelist (a remembered one moves there); returns whether it
    /// was not on it before.
    async fn safelist(&self, hash: &str, document: &str) -> DomainResult<bool>;
}

/// Every repository, as the services and the API edge receive them.
#[derive(Clone)]
pub struct Repos {
    /// Organizations and affiliations.
    pub organizations: Arc<dyn OrganizationRepo>,
    /// People.
    pub people: Arc<dyn PersonRepo>,
    /// Networks and clusters.
    pub networks: Arc<dyn NetworkRepo>,
    /// Communities.
    pub communities: Arc<dyn CommunityRepo>,
    /// Memberships, join requests, invitations.
    pub memberships: Arc<dyn MembershipRepo>,
    /// Spaces.
    pub spaces: Arc<dyn SpaceRepo>,
    /// Service accounts.
    pub service_accounts: Arc<dyn ServiceAccountRepo>,
    /// The audit log.
    pub audit: Arc<dyn AuditRepo>,
    /// Persisted GraphQL documents.
    pub persisted: Arc<dyn PersistedQueryRepo>,
    /// Discussions and notifications.
    pub discussions: Arc<dyn DiscussionRepo>,
    /// Posts in order, for resuming subscriptions.
    pub replay: Arc<dyn ReplayRepo>,
    /// Access sets.
    pub access: Arc<dyn AccessRepo>,
    /// Charters and stage history.
    pub charters: Arc<dyn CharterRepo>,
    /// Events and answers.
    pub events: Arc<dyn EventRepo>,
    /// Stakeholders and feedback.
    pub stakeholders: Arc<dyn StakeholderRepo>,
    /// Knowledge assets.
    pub assets: Arc<dyn AssetRepo>,
    /// Onboarding journeys.
    pub onboarding: Arc<dyn OnboardingRepo>,
    /// Topics, expertise, interests and profiles.
    pub knowledge: Arc<dyn KnowledgeRepo>,
    /// Participation circles.
    pub participation: Arc<dyn ParticipationRepo>,
    /// Success indicators.
    pub indicators: Arc<dyn IndicatorRepo>,
    /// The full-text index.
    pub search: Arc<dyn SearchRepo>,
    /// Lists.
    pub listings: Arc<dyn ListingRepo>,
    /// The cache shared by replicas (a port beside the repositories, so that the services
    /// and the loaders read through it alike).
    pub cache: Arc<dyn crate::cache::Cache>,
}

impl std::fmt::Debug for Repos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Repos")
    }
}

fn shared<T>(rows: Vec<T>) -> Vec<Arc<T>> {
    rows.into_iter().map(Arc::new).collect()
}

/// The write services walk the read chain over the repositories themselves.
#[async_trait]
impl Lookup for Repos {
    async fn networks(&self, ids: &[NetworkId]) -> DomainResult<Vec<Arc<Network>>> {
        Ok(shared(self.networks.by_ids(ids).await?))
    }

    async fn clusters(&self, ids: &[ClusterId]) -> DomainResult<Vec<Arc<Cluster>>> {
        Ok(shared(self.networks.clusters_by_ids(ids).await?))
    }

    async fn communities(&self, ids: &[CommunityId]) -> DomainResult<Vec<Arc<Community>>> {
        Ok(shared(self.communities.by_ids(ids).await?))
    }

    async fn spaces(&self, ids: &[SpaceId]) -> DomainResult<Vec<Arc<Space>>> {
        Ok(shared(self.spaces.by_ids(ids).await?))
    }

    async fn threads(&self, ids: &[ThreadId]) -> DomainResult<Vec<Arc<Thread>>> {
        Ok(shared(self.discussions.threads_by_ids(ids).await?))
    }

    async fn posts(&self, ids: &[PostId]) -> DomainResult<Vec<Arc<Post>>> {
        Ok(shared(self.discussions.posts_by_ids(ids).await?))
    }

    async fn events(&self, ids: &[EventId]) -> DomainResult<Vec<Arc<Convening>>> {
        Ok(shared(self.events.by_ids(ids).await?))
    }

    async fn assets(&self, ids: &[AssetId]) -> DomainResult<Vec<Arc<Asset>>> {
        Ok(shared(self.assets.by_ids(ids).await?))
    }

    async fn topics(&self, ids: &[TopicId]) -> DomainResult<Vec<Arc<Topic>>> {
        Ok(shared(self.knowledge.topics_by_ids(ids).await?))
    }

    async fn people(&self, ids: &[PersonId]) -> DomainResult<Vec<Arc<Person>>> {
        Ok(shared(self.people.by_ids(ids).await?))
    }

    async fn visible_people(
        &self,
        ids: &[PersonId],
        filter: &PersonFilter,
    ) -> DomainResult<Vec<PersonId>> {
        self.people.visible_subset(ids, filter).await
    }
}
