//! Who reads which audit entries. A community's managers read its log; an organization's
//! admins read what its actors did, what was done in what it hosts and what was done to it.
//! In both, an entry shows only where its reader may look: an entry made in a space only to
//! those who read the space, of a cluster's event to those who read the cluster's events, in a community to
//! those who see it, in a network to those who
//! see it (the same chain as every read; the log never reveals what the reader may not
//! see). An entry written to an organization (its affiliations, service accounts, settings)
//! shows to that organization's administrators only; an entry made nowhere in particular (a
//! person's own profile) shows to whoever reads the log it is in.

use super::{
    chain::{self, Lookup},
    read, write,
};
use crate::{access::AccessSet, error::DomainResult, model::AuditEntry};

/// Whether the entry shows to the reader, by where it was made.
pub async fn visible<L: Lookup + ?Sized>(
    lookup: &L,
    access: &AccessSet,
    entry: &AuditEntry,
) -> DomainResult<bool> {
    let place = entry.place;
    if let Some(space) = place.space {
        return Ok(chain::readable_space(lookup, access, space)
            .await?
            .is_some());
    }
    if let Some(cluster) = place.cluster {
        return Ok(chain::cluster(lookup, access, cluster)
            .await?
            .is_some_and(|c| read::can_read_cluster_events(access, &c)));
    }
    if let Some(community) = place.community {
        return Ok(chain::community(lookup, access, community).await?.is_some());
    }
    if let Some(network) = place.network {
        return Ok(chain::network(lookup, access, network).await?.is_some());
    }
    // Written to an organization (its affiliations, service accounts, settings): its
    // administrators only, even when one of its people is also another organization's.
    if let Some(org) = place.organization {
        return Ok(write::can_admin_organization(access, org));
    }
    Ok(true)
}

/// Loads every place of the entries in four batches, so that [`visible`] then reads them
/// from the lookup's cache.
pub async fn prefetch<L: Lookup + ?Sized>(lookup: &L, entries: &[AuditEntry]) -> DomainResult<()> {
    fn distinct<T: Copy + Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
        let mut out: Vec<T> = items.collect();
        out.sort_unstable();
        out.dedup();
        out
    }
    let spaces = distinct(entries.iter().filter_map(|e| e.place.space));
    let communities = distinct(entries.iter().filter_map(|e| e.place.community));
    let networks = distinct(entries.iter().filter_map(|e| e.place.network));
    let clusters = distinct(entries.iter().filter_map(|e| e.place.cluster));
    if !clusters.is_empty() {
        lookup.clusters(&clusters).await?;
    }
    if !spaces.is_empty() {
        lookup.spaces(&spaces).await?;
    }
    if !communities.is_empty() {
        lookup.communities(&communities).await?;
    }
    if !networks.is_empty() {
        lookup.networks(&networks).await?;
    }
    Ok(())
}
