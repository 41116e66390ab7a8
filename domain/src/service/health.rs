//! Health figures of a community, and their sums over a cluster or a network.

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::DomainResult,
    ids::{ClusterId, CommunityId, NetworkId},
    listing::Scoped,
    model::Health,
    page::PageRequest,
};

/// Most communities summed into one cluster's or network's figures.
pub const MAX_HEALTH_COMMUNITIES: usize = 10_000;

/// Whose figures to sum.
#[derive(Debug, Clone, Copy)]
pub enum HealthOf {
    /// A regional cluster's communities.
    Cluster(ClusterId),
    /// A network's communities.
    Network(NetworkId),
}

impl Services {
    /// The sum of the health figures of the communities of a cluster or network that the
    /// caller may see (rule 7): a steward counts every community, an outsider never the
    /// communities hidden from them. Each community counts whole (all its spaces), as its
    /// own `health` shows it to whoever sees it.
    #[instrument(skip_all)]
    pub async fn health(&self, access: &AccessSet, of: HealthOf) -> DomainResult<Health> {
        let scoped = match of {
            HealthOf::Cluster(id) => {
                let cluster = self.cluster(access, id).await?;
                Scoped::cluster_communities(access, &cluster)
            }
            HealthOf::Network(id) => {
                let network = self.network(access, id).await?;
                Scoped::network_communities(access, &network)
            }
        };
        let ids = self.all_listed(&scoped).await?;
        let figures = self.repos.participation.health(&ids, Utc::now()).await?;
        let mut sum = Health::default();
        for id in &ids {
            if let Some(h) = figures.get(id) {
                sum.add(h);
            }
        }
        Ok(sum)
    }

    /// Every community id of a list, page by page (at most [`MAX_HEALTH_COMMUNITIES`]).
    pub(super) async fn all_listed(&self, scoped: &Scoped) -> DomainResult<Vec<CommunityId>> {
        let mut ids: Vec<CommunityId> = Vec::new();
        let mut page = PageRequest::first(100);
        loop {
            let found = self
                .repos
                .listings
                .page(scoped.listing(), &[scoped.parent()], &page)
                .await?
                .remove(&scoped.parent())
                .unwrap_or_default();
            ids.extend(found.items.iter().map(|i| CommunityId::from(i.id)));
            match found.items.last() {
                Some(last) if found.has_next_page && ids.len() < MAX_HEALTH_COMMUNITIES => {
                    page.after = Some(last.key);
                }
                _ => break,
            }
        }
        ids.truncate(MAX_HEALTH_COMMUNITIES);
        Ok(ids)
    }
}
