//! Digests of a period, as data and as an e-mail-ready HTML fragment.

use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    policy::proof::{self, Listed},
    service::Digest as Found,
};
use copnet_infra::digest_html::{DigestView, render};

use super::{Asset, Event, Membership, Thread};
use crate::{error::ApiResult, graphql::context::load};

/// A thread of the digest, with its activity in the period.
#[derive(SimpleObject)]
pub struct DigestThread {
    /// The thread.
    pub thread: Thread,
    /// Posts written in it during the period.
    pub posts_in_period: u32,
}

/// An occurrence coming up after the period.
#[derive(SimpleObject)]
pub struct DigestEvent {
    /// The event.
    pub event: Event,
    /// When the occurrence starts.
    pub starts_at: DateTime<Utc>,
}

/// A digest of a period for a newsletter: only what the caller may read (a private space's
/// thread never appears for someone who may not read it).
#[derive(SimpleObject)]
pub struct Digest {
    /// Start of the period.
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub to: DateTime<Utc>,
    /// The busiest threads of the period, most posts first (at most 10).
    pub top_threads: Vec<DigestThread>,
    /// Assets published in the period, newest first (at most 10).
    pub new_assets: Vec<Asset>,
    /// Occurrences in the 14 days after the period, in start order (at most 10).
    pub upcoming_events: Vec<DigestEvent>,
    /// People who joined in the period, newest first (at most 10).
    pub new_members: Vec<Membership>,
    /// How many people joined in the period in all.
    pub new_member_count: u32,
    /// The same digest as a self-contained, sanitized HTML fragment for an e-mail (no
    /// scripts, styles, images or remote resources).
    pub html: String,
}

/// The API's digest from the service's, with its HTML.
pub async fn shown(
    ctx: &Context<'_>,
    title: String,
    found: Found,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Digest> {
    let mut view = DigestView {
        title,
        period: format!(
            "{} to {}",
            from.format("%-d %B %Y"),
            (to - chrono::Duration::seconds(1)).format("%-d %B %Y")
        ),
        member_count: found.member_count,
        ..DigestView::default()
    };
    let mut new_members = Vec::with_capacity(found.members.len());
    for (membership, community) in found.members {
        if let Some(person) = load(ctx, membership.person_id).await? {
            let person = proof::see_listed_person(Listed::MemberOf(&community), person);
            view.members
                .push((person.display_name.clone(), community.name.clone()));
        }
        new_members.push(Membership::new(
            std::sync::Arc::new(membership),
            Some(community),
        ));
    }
    let community_of = |c: &proof::Visible<copnet_domain::model::Community>| c.name.clone();
    let top_threads = found
        .threads
        .into_iter()
        .map(|(thread, n)| {
            view.threads
                .push((thread.title.clone(), community_of(thread.community()), n));
            DigestThread {
                thread: Thread(thread),
                posts_in_period: n,
            }
        })
        .collect();
    let new_assets = found
        .assets
        .into_iter()
        .map(|asset| {
            view.assets
                .push((asset.content.title.clone(), community_of(asset.community())));
            Asset(asset)
        })
        .collect();
    let upcoming_events = found
        .events
        .into_iter()
        .map(|(event, starts_at)| {
            view.events.push((
                event.title.clone(),
                starts_at.format("%A %-d %B %Y, %H:%M UTC").to_string(),
            ));
            DigestEvent {
                event: Event(event),
                starts_at,
            }
        })
        .collect();
    Ok(Digest {
        from,
        to,
        top_threads,
        new_assets,
        upcoming_events,
        new_members,
        new_member_count: u32::try_from(view.member_count).unwrap_or(u32::MAX),
        html: render(&view),
    })
}
