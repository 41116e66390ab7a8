//! Write use cases. Each takes validated input and the caller's access set, finds the things
//! it touches (hidden things are `NOT_FOUND`), checks the policy, then makes one atomic
//! repository call.

mod community;
mod discussion;
mod membership;
mod network;
mod organization;
mod service_account;
mod space;

pub use community::{CommunityChanges, NewCommunity};
pub use discussion::{NewPost, NewThread};
pub use network::{NewCluster, NewNetwork};
pub use organization::NewOrganization;
pub use service_account::NewServiceAccount;
pub use space::{NewSpace, SpaceChanges};

use std::sync::Arc;

use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::{Event, EventBus, MarkdownRenderer},
    ids::{CommunityId, NetworkId, OrganizationId, PersonId, SpaceId},
    model::{Community, Network, Organization, Person, Space},
    policy::read,
    repo::Repos,
};

/// The write services over a set of repositories, with the ports they publish and render
/// through.
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

/// A visible community with its network.
#[derive(Debug, Clone)]
pub struct CommunityInNetwork {
    /// The network.
    pub network: Network,
    /// The community.
    pub community: Community,
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

    /// Tells subscribers that what `person` may read may have changed.
    async fn access_changed(&self, person: PersonId) {
        self.publish([Event::AccessChanged { person }]).await;
    }

    /// Tells subscribers that a community's (or one of its spaces') settings changed.
    async fn container_changed(&self, community: CommunityId) {
        self.publish([Event::ContainerChanged { community }]).await;
    }

    /// Publishes events after a committed write.
    async fn publish(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.events.publish(event).await;
        }
    }

    /// The repositories.
    pub fn repos(&self) -> &Repos {
        &self.repos
    }

    async fn organization(&self, id: OrganizationId) -> DomainResult<Organization> {
        let found = self.repos.organizations.by_ids(&[id]).await?;
        found
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("organization"))
    }

    async fn person(&self, id: PersonId) -> DomainResult<Person> {
        let found = self.repos.people.by_ids(&[id]).await?;
        found
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("person"))
    }

    async fn visible_network(&self, access: &AccessSet, id: NetworkId) -> DomainResult<Network> {
        let found = self.repos.networks.by_ids(&[id]).await?;
        found
            .into_iter()
            .next()
            .filter(|n| read::can_see_network(access, n))
            .ok_or(DomainError::NotFound("network"))
    }

    async fn visible_community(
        &self,
        access: &AccessSet,
        id: CommunityId,
    ) -> DomainResult<CommunityInNetwork> {
        let community = self
            .repos
            .communities
            .by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("community"))?;
        let network = self
            .repos
            .networks
            .by_ids(&[community.network_id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("community"))?;
        if read::can_see_community(access, &network, &community) {
            Ok(CommunityInNetwork { network, community })
        } else {
            Err(DomainError::NotFound("community"))
        }
    }

    async fn visible_space(
        &self,
        access: &AccessSet,
        id: SpaceId,
    ) -> DomainResult<(CommunityInNetwork, Space)> {
        let space = self
            .repos
            .spaces
            .by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("space"))?;
        let within = self
            .visible_community(access, space.community_id)
            .await
            .map_err(|e| e.not_found_as("space"))?;
        if read::can_see_space(access, &within.network, &within.community, &space) {
            Ok((within, space))
        } else {
            Err(DomainError::NotFound("space"))
        }
    }
}
