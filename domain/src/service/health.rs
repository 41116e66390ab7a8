//! Health figures of a community, and their sums over a cluster or a network.

use std::collections::HashMap;

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    cache::{CacheScope, Lookup},
    error::DomainResult,
    ids::{ClusterId, CommunityId, NetworkId},
    listing::Scoped,
    model::Health,
    page::PageRequest,
    repo::Repos,
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
    /// caller may see (rule 7): a steward counts every public and network-wide community, a
    /// private one counts only for its members. Each community counts whole (all its
    /// spaces), as its own `health` shows it to whoever sees it.
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
        let figures = community_health(&self.repos, &ids).await?;
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

/// Communities' own health figures, from the shared cache where it holds them (each under
/// its community's scope, which every write moving them invalidates; the TTL bounds how far
/// the rolling windows drift). The figures are the same for every caller who may see the
/// community, so one entry serves them all.
pub async fn community_health(
    repos: &Repos,
    ids: &[CommunityId],
) -> DomainResult<HashMap<CommunityId, Health>> {
    let mut found = HashMap::with_capacity(ids.len());
    let mut missing = Vec::new();
    let mut fills = Vec::new();
    let entries: Vec<(CacheScope, String)> = ids
        .iter()
        .map(|&id| (CacheScope::Community(id), "health".to_owned()))
        .collect();
    let mut lookups = repos.cache.lookup_many(&entries).await;
    if lookups.len() != ids.len() {
        // A cache that answered for some entries only is not trusted for any.
        lookups = ids.iter().map(|_| Lookup::Bypass).collect();
    }
    for (&id, lookup) in ids.iter().zip(lookups) {
        match lookup {
            Lookup::Hit(bytes) => match serde_json::from_slice::<Health>(&bytes) {
                Ok(health) => {
                    found.insert(id, health);
                }
                Err(_) => missing.push(id),
            },
            Lookup::Miss(fill) => {
                missing.push(id);
                fills.push((id, fill));
            }
            Lookup::Bypass => missing.push(id),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    let computed = repos.participation.health(&missing, Utc::now()).await?;
    for (id, fill) in fills {
        if let Some(bytes) = computed.get(&id).and_then(|h| serde_json::to_vec(h).ok()) {
            repos.cache.fill(fill, bytes).await;
        }
    }
    found.extend(computed);
    Ok(found)
}
