//! Write use cases. Each takes validated input and the caller's access set, finds the things
//! it touches (hidden things are `NOT_FOUND`), checks the policy, then makes one atomic
//! repository call.

mod assets;
mod audit;
mod charter;
mod community;
mod digest;
mod discussion;
mod events;
mod health;
mod indicators;
mod knowledge;
mod membership;
mod network;
mod onboarding;
mod organization;
mod participation;
mod replay;
mod search;
mod service_account;
mod space;
mod stakeholders;
mod suggestions;

pub use assets::{AssetRevision, MAX_OUTPUTS, MAX_REVIEWERS, NewAsset};
pub use audit::AuditPage;
pub use charter::{CharterDraft, MISSING_CHARTER, MISSING_LAUNCH_EVENT};
pub use community::{CommunityChanges, NewCommunity};
pub use digest::{
    DIGEST_ITEMS, Digest, DigestOf, MAX_DIGEST_COMMUNITIES, MAX_DIGEST_DAYS, UPCOMING_DAYS,
};
pub use discussion::{NewPost, NewThread};
pub use events::{Cancel, Capacity, EventChanges, EventDetails, FeedOf, HostInput, JoinUrl};
pub use health::{HealthOf, MAX_HEALTH_COMMUNITIES, community_health};
pub use indicators::{MAX_INDICATOR_VALUE, MAX_INDICATORS, MAX_SERIES_PERIODS, NewIndicator};
pub use knowledge::{
    ACTIVITY_WINDOW_DAYS, Expert, ExpertCursor, ExpertPage, Languages, MAX_ALIASES, MAX_LANGUAGES,
    MAX_TOPICS,
};
pub use network::{NewCluster, NewNetwork};
pub use onboarding::{MAX_ONBOARDING_STEPS, StepInput};
pub use organization::NewOrganization;
pub use participation::{MAX_NEXT_STEPS, NEXT_EVENT_DAYS, NextStep, StepTarget};
pub use replay::Replayed;
pub use service_account::{KeyRotation, NewKey, NewServiceAccount};
pub use space::{NewSpace, SpaceChanges};
pub use stakeholders::{Rating, StakeholderDetails};
pub use suggestions::{CommunitySuggestion, MAX_SUGGESTIONS, PersonSuggestion, Suggestions};

use std::sync::Arc;

use crate::{
    access::{AccessSet, Actor},
    cache::CacheScope,
    error::{DomainError, DomainResult},
    event::{Event, EventBus, MarkdownRenderer},
    ids::{
        ClusterId, CommunityId, EventId, NetworkId, OrganizationId, PersonId, PostId, SpaceId,
        ThreadId,
    },
    listing::{Listing, ROOT},
    model::{Cluster, Community, Convening, Network, Organization, Person, Post, Space, Thread},
    policy::{
        chain,
        proof::{Readable, Visible},
        service,
    },
    repo::Repos,
};

/// The write services over a set of repositories, with the ports they publish and render
/// through. They find what they touch through the read chain ([`chain`]) over the
/// repositories, and check abilities with [`crate::policy::write`].
#[derive(Clone)]
pub struct Services {
    repos: Repos,
    renderer: Arc<dyn MarkdownRenderer>,
    events: Arc<dyn EventBus>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Services")
    }
}

impl Services {
    /// Wraps the repositories and ports.
    pub fn new(
        repos: Repos,
        renderer: Arc<dyn MarkdownRenderer>,
        events: Arc<dyn EventBus>,
    ) -> Self {
        Self {
            repos,
            renderer,
            events,
        }
    }

    /// The access set of a caller: a person's memberships and affiliations, or what a service
    /// account's organization hosts (rule 5); a revoked or vanished account is anonymous.
    pub async fn access_of(&self, actor: Actor) -> DomainResult<AccessSet> {
        match actor {
            Actor::Anonymous => Ok(AccessSet::anonymous()),
            Actor::Person { id, platform_admin } => {
                let mut access = self
                    .repos
                    .access
                    .load_many(&[id])
                    .await?
                    .remove(&id)
                    .unwrap_or_else(|| AccessSet {
                        person: Some(id),
                        ..AccessSet::default()
                    });
                access.platform_admin = platform_admin;
                Ok(access)
            }
            Actor::ServiceAccount { id } => {
                let Some(account) = self.repos.service_accounts.by_ids(&[id]).await?.pop() else {
                    return Ok(AccessSet::anonymous());
                };
                let hosted = if service::reads_hosted(&account) {
                    self.repos.access.hosted_by(account.organization_id).await?
                } else {
                    service::Hosted::default()
                };
                Ok(service::service_account_access(&account, &hosted))
            }
        }
    }

    /// The person with this identity-provider subject, created on first sign-in; the display
    /// name and e-mail follow the provider's latest values.
    pub async fn provision_person(
        &self,
        subject: &str,
        name: &str,
        email: Option<&str>,
    ) -> DomainResult<Person> {
        self.repos.people.provision(subject, name, email).await
    }

    /// Affiliates a person signing in with the organizations their identity provider names
    /// (by slug; unknown slugs are ignored) as `ORG_MEMBER`. An existing affiliation keeps its
    /// role, and none is ever removed here (that is the organization's admins' call).
    /// Returns how many were added.
    pub async fn affiliate_claimed(
        &self,
        person: PersonId,
        slugs: &[String],
    ) -> DomainResult<usize> {
        if slugs.is_empty() {
            return Ok(0);
        }
        let organizations = self.repos.organizations.by_slugs(slugs).await?;
        let current: Vec<OrganizationId> = self
            .repos
            .organizations
            .affiliations_of(&[person])
            .await?
            .into_iter()
            .map(|a| a.organization_id)
            .collect();
        let mut added = 0;
        for org in organizations.iter().filter(|o| !current.contains(&o.id)) {
            self.repos
                .organizations
                .put_affiliation(&crate::model::Affiliation {
                    id: crate::ids::AffiliationId::generate(),
                    person_id: person,
                    organization_id: org.id,
                    role: crate::model::OrgRole::Member,
                    created_at: chrono::Utc::now(),
                })
                .await?;
            added += 1;
        }
        Ok(added)
    }

    /// Whether no organization exists yet (a fresh installation).
    pub async fn is_empty(&self) -> DomainResult<bool> {
        let counts = self
            .repos
            .listings
            .count(&Listing::Organizations { search: None }, &[ROOT])
            .await?;
        Ok(counts.get(&ROOT).copied().unwrap_or(0) == 0)
    }

    /// Tells subscribers that what `person` may read may have changed.
    async fn access_changed(&self, person: PersonId) {
        self.publish([Event::AccessChanged { person }]).await;
    }

    /// Tells subscribers that a community's (or one of its spaces') settings changed.
    async fn container_changed(&self, community: CommunityId) {
        self.publish([Event::ContainerChanged { community }]).await;
    }

    /// Publishes events after a committed write, having first dropped the cache entries
    /// they make stale (on every replica, so that no read after this write's answer finds
    /// them).
    async fn publish(&self, events: impl IntoIterator<Item = Event>) {
        let events: Vec<Event> = events.into_iter().collect();
        let mut scopes: Vec<CacheScope> = Vec::new();
        for scope in events.iter().flat_map(Event::cache_scopes) {
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        if !scopes.is_empty() {
            self.repos.cache.invalidate(&scopes).await;
        }
        for event in events {
            self.events.publish(event).await;
        }
    }

    /// Tells the cache that a community's figures moved.
    async fn figures_changed(&self, community: CommunityId) {
        self.publish([Event::FiguresChanged { community }]).await;
    }

    /// Tells subscribers that a person's rights changed with their membership of a
    /// community, and the cache that the community's figures moved.
    async fn membership_changed(&self, person: PersonId, community: CommunityId) {
        self.publish([
            Event::AccessChanged { person },
            Event::FiguresChanged { community },
        ])
        .await;
    }

    /// The shared cache.
    pub fn cache(&self) -> &Arc<dyn crate::cache::Cache> {
        &self.repos.cache
    }

    async fn organization(&self, id: OrganizationId) -> DomainResult<Organization> {
        self.repos
            .organizations
            .by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound("organization"))
    }

    async fn person(&self, id: PersonId) -> DomainResult<Person> {
        self.repos
            .people
            .by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound("person"))
    }

    async fn network(&self, access: &AccessSet, id: NetworkId) -> DomainResult<Visible<Network>> {
        chain::network(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("network"))
    }

    async fn cluster(&self, access: &AccessSet, id: ClusterId) -> DomainResult<Visible<Cluster>> {
        chain::cluster(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("cluster"))
    }

    async fn community(
        &self,
        access: &AccessSet,
        id: CommunityId,
    ) -> DomainResult<Visible<Community>> {
        chain::community(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("community"))
    }

    async fn space(&self, access: &AccessSet, id: SpaceId) -> DomainResult<Visible<Space>> {
        chain::space(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("space"))
    }

    async fn readable_space(
        &self,
        access: &AccessSet,
        id: SpaceId,
    ) -> DomainResult<Readable<Space>> {
        chain::readable_space(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("space"))
    }

    async fn thread(&self, access: &AccessSet, id: ThreadId) -> DomainResult<Readable<Thread>> {
        chain::thread(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("thread"))
    }

    async fn event(&self, access: &AccessSet, id: EventId) -> DomainResult<Readable<Convening>> {
        chain::event(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("event"))
    }

    async fn post(&self, access: &AccessSet, id: PostId) -> DomainResult<Readable<Post>> {
        chain::post(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("post"))
    }
}
