//! Health figures of communities, clusters and networks.

use async_graphql::{Context, SimpleObject};
use copnet_domain::{model, policy::proof::Visible, service::HealthOf};

use crate::{
    error::ApiResult,
    graphql::{
        context::{caller, load},
        loaders::HealthOfCommunity,
    },
};

/// How communities are doing now (seed 003 step 5). Each figure covers all spaces of the
/// communities counted and is kept up to date by the writes; a cluster's or network's
/// figures sum only the communities the caller may see (rule 7).
#[derive(SimpleObject)]
pub struct Health {
    /// Communities counted (1 for a community).
    pub communities: u32,
    /// Current members.
    pub members: u32,
    /// Members with a contribution or a reaction in the last 30 days, over `members` (0 to 1;
    /// 0 without members).
    pub active_ratio: f64,
    /// Threads started and replies written in the last 30 days.
    pub posts_last_30_days: u32,
    /// Event occurrences (not cancelled) that started in the last 90 days.
    pub events_last_90_days: u32,
    /// Assets published in the last 90 days.
    pub assets_published_last_90_days: u32,
    /// The mean feedback rating (1 to 5) of the communities and their events; null without
    /// ratings.
    pub average_feedback: Option<f64>,
    /// How many ratings `averageFeedback` averages.
    pub feedback_count: u32,
}

impl From<model::Health> for Health {
    fn from(h: model::Health) -> Self {
        Self {
            communities: h.communities,
            members: h.members,
            active_ratio: h.active_ratio(),
            posts_last_30_days: h.posts_last_30_days,
            events_last_90_days: h.events_last_90_days,
            assets_published_last_90_days: h.assets_published_last_90_days,
            average_feedback: h.average_feedback(),
            feedback_count: u32::try_from(h.feedback_count).unwrap_or(u32::MAX),
        }
    }
}

/// A visible community's figures.
pub async fn of_community(
    ctx: &Context<'_>,
    community: &Visible<model::Community>,
) -> ApiResult<Health> {
    Ok(load(ctx, HealthOfCommunity(community.id))
        .await?
        .unwrap_or_default()
        .into())
}

/// The sum over a cluster's or network's communities the caller sees.
pub async fn of(ctx: &Context<'_>, of: HealthOf) -> ApiResult<Health> {
    let (rc, access) = caller(ctx).await?;
    Ok(rc.services().health(&access, of).await?.into())
}
