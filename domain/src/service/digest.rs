//! Digests of a period, for newsletters (seeds 001 and 004): the caller's view only.

use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

use super::{FeedOf, Services};
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, NetworkId},
    listing::{ReadableSpaces, Scoped},
    model::{Asset, Community, Convening, Membership, Thread},
    policy::{
        chain,
        proof::{Readable, Visible},
    },
};

/// Longest period a digest covers.
pub const MAX_DIGEST_DAYS: i64 = 366;
/// How far after the period upcoming events are listed.
pub const UPCOMING_DAYS: i64 = 14;
/// Most communities a network digest reads.
pub const MAX_DIGEST_COMMUNITIES: usize = 200;
/// Most items per section.
pub const DIGEST_ITEMS: usize = 10;

/// What a digest covers.
#[derive(Debug, Clone, Copy)]
pub enum DigestOf {
    /// One community.
    Community(CommunityId),
    /// A network's communities.
    Network(NetworkId),
}

/// A digest: only what the caller may read.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// The busiest threads of the period, with their posts in it.
    pub threads: Vec<(Readable<Thread>, u32)>,
    /// Assets published in the period.
    pub assets: Vec<Readable<Asset>>,
    /// Occurrences in the [`UPCOMING_DAYS`] after the period, in start order.
    pub events: Vec<(Readable<Convening>, DateTime<Utc>)>,
    /// People who joined in the period (the newest), with their community.
    pub members: Vec<(Membership, Visible<Community>)>,
    /// How many joined in all.
    pub member_count: u64,
}

impl Services {
    /// A digest of `[from, to)` (at most [`MAX_DIGEST_DAYS`]): the busiest threads, new
    /// assets, upcoming events and new members of a community, or of the network's
    /// communities the caller sees (the first [`MAX_DIGEST_COMMUNITIES`]); every item is
    /// one the caller may read.
    #[instrument(skip_all)]
    pub async fn digest(
        &self,
        access: &AccessSet,
        of: DigestOf,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> DomainResult<Digest> {
        if to <= from {
            return Err(DomainError::invalid("to", "must be after from"));
        }
        if to - from > Duration::days(MAX_DIGEST_DAYS) {
            return Err(DomainError::invalid(
                "to",
                format!("a digest covers at most {MAX_DIGEST_DAYS} days"),
            ));
        }
        let communities: Vec<Visible<Community>> = match of {
            DigestOf::Community(id) => vec![self.community(access, id).await?],
            DigestOf::Network(id) => {
                let network = self.network(access, id).await?;
                let mut ids = self
                    .all_listed(&Scoped::network_communities(access, &network))
                    .await?;
                ids.truncate(MAX_DIGEST_COMMUNITIES);
                let mut found = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(c) = chain::community(&self.repos, access, id).await? {
                        found.push(c);
                    }
                }
                found
            }
        };
        let scopes: Vec<(CommunityId, ReadableSpaces)> = communities
            .iter()
            .map(|c| (c.id, ReadableSpaces::for_access(access, c)))
            .collect();
        let repos = &self.repos;
        let limit = DIGEST_ITEMS as u64;
        let mut digest = Digest::default();
        for (id, n) in repos
            .participation
            .busiest_threads(&scopes, from, to, limit)
            .await?
        {
            if let Some(thread) = chain::thread(repos, access, id).await? {
                digest.threads.push((thread, n));
            }
        }
        for id in repos
            .participation
            .published_assets(&scopes, from, to, limit)
            .await?
        {
            if let Some(asset) = chain::asset(repos, access, id).await? {
                digest.assets.push(asset);
            }
        }
        let until = to + Duration::days(UPCOMING_DAYS);
        for community in &communities {
            for event in self
                .feed(access, FeedOf::Community(community.id), to, until)
                .await?
            {
                for o in event.schedule.occurrences(to, until) {
                    if o.starts_at >= to && !event.is_cancelled(o.starts_at) {
                        digest.events.push((event.clone(), o.starts_at));
                    }
                }
            }
        }
        digest
            .events
            .sort_by(|a, b| a.1.cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
        digest.events.truncate(DIGEST_ITEMS);
        let ids: Vec<CommunityId> = communities.iter().map(|c| c.id).collect();
        let (joined, count) = repos.participation.joined(&ids, from, to, limit).await?;
        digest.member_count = count;
        for membership in repos.memberships.by_ids(&joined).await? {
            if let Some(c) = communities.iter().find(|c| c.id == membership.community_id) {
                digest.members.push((membership, c.clone()));
            }
        }
        digest
            .members
            .sort_by(|a, b| b.0.joined_at.cmp(&a.0.joined_at).then(b.0.id.cmp(&a.0.id)));
        Ok(digest)
    }
}
