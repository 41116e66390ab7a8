//! Participation circles: a member's circle, activity and next steps; a community's circle
//! counts and settings.

use async_graphql::{Context, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    model::{self, MembershipStatus},
    policy::proof::Visible,
    service::{NextStep as Step, StepTarget},
};

use super::{Asset, Community, Event, Space, Thread, Topic, topic};
use crate::{
    error::ApiResult,
    graphql::{
        context::{caller, load},
        enums::{Circle, NextStepKind},
        loaders::{CircleActivityOf, CircleCountsOf, CircleOf, CircleRulesOf},
    },
};

/// What a member did in the community's circle window (all its spaces, as community-level
/// figures).
#[derive(SimpleObject)]
pub struct MemberActivity {
    /// Threads started.
    pub posts: u32,
    /// Replies written.
    pub replies: u32,
    /// Reactions given.
    pub reactions: u32,
    /// `GOING` answers given and kept.
    pub rsvps: u32,
    /// Assets of theirs published.
    pub assets: u32,
    /// The window, in days (the community's `circleSettings.windowDays`).
    pub window_days: u32,
}

/// How many current members of a community are in each circle.
#[derive(SimpleObject)]
pub struct CircleCounts {
    /// Organisers and moderators.
    pub core: u32,
    /// Regular contributors.
    pub inner: u32,
    /// Everyone else.
    pub outer: u32,
    /// Newcomers.
    pub new: u32,
}

/// A community's circle settings (defaults 90 days, 3 contributions, 30 days).
#[derive(SimpleObject)]
pub struct CircleSettings {
    /// Days of activity that count.
    pub window_days: u32,
    /// Contributions in the window that make a member `INNER`.
    pub inner_threshold: u32,
    /// Days after joining a member is `NEW`.
    pub new_days: u32,
}

impl From<model::CircleRules> for CircleSettings {
    fn from(r: model::CircleRules) -> Self {
        Self {
            window_days: r.window_days,
            inner_threshold: r.inner_threshold,
            new_days: r.new_days,
        }
    }
}

/// What a next step points at; always something the member may read.
#[derive(Union)]
pub enum NextStepTarget {
    /// The community (onboarding).
    Community(Community),
    /// A space to introduce themselves in.
    Space(Space),
    /// A thread to answer.
    Thread(Thread),
    /// An event to answer (the occurrence is `NextStep.occurrenceStart`).
    Event(Event),
    /// An asset to review.
    Asset(Asset),
}

/// A concrete suggestion inward for a member.
pub struct NextStep(Step);

/// A concrete suggestion inward for a member: what to do, and on what.
#[Object]
impl NextStep {
    /// What it asks.
    async fn kind(&self) -> NextStepKind {
        self.0.kind.into()
    }

    /// What it points at.
    async fn target(&self) -> NextStepTarget {
        match &self.0.target {
            StepTarget::Community(c) => NextStepTarget::Community(Community(c.clone())),
            StepTarget::Space(s) => NextStepTarget::Space(Space(s.visible())),
            StepTarget::Thread(t) => NextStepTarget::Thread(Thread(t.clone())),
            StepTarget::Event(e, _) => NextStepTarget::Event(Event(e.clone())),
            StepTarget::Asset(a) => NextStepTarget::Asset(Asset(a.clone())),
        }
    }

    /// For `RSVP_NEXT_EVENT`: the start of the occurrence to answer.
    async fn occurrence_start(&self) -> Option<DateTime<Utc>> {
        match &self.0.target {
            StepTarget::Event(_, start) => Some(*start),
            _ => None,
        }
    }

    /// For `REPLY_TO_UNANSWERED_THREAD`: the topic of the member's that the thread carries.
    async fn topic(&self, ctx: &Context<'_>) -> ApiResult<Option<Topic>> {
        match self.0.topic {
            Some(id) => Ok(topic::visible(ctx, &[id]).await?.into_iter().next()),
            None => Ok(None),
        }
    }

    /// For `COMPLETE_ONBOARDING`: the key of the first step not done.
    async fn onboarding_step_key(&self) -> Option<&str> {
        self.0.onboarding_step.as_ref().map(|(k, _)| k.as_str())
    }

    /// A sentence for the member, in English.
    async fn message(&self) -> String {
        match (&self.0.kind, &self.0.onboarding_step) {
            (model::NextStepKind::CompleteOnboarding, Some((_, title))) => {
                format!("Continue your onboarding: {title}")
            }
            (model::NextStepKind::CompleteOnboarding, None) => "Continue your onboarding".into(),
            (model::NextStepKind::IntroduceYourself, _) => {
                "Introduce yourself to the community".into()
            }
            (model::NextStepKind::ReviewAsset, _) => "An asset is waiting for your review".into(),
            (model::NextStepKind::ReplyToUnansweredThread, _) => {
                "Nobody has answered this thread on a topic you know yet".into()
            }
            (model::NextStepKind::RsvpNextEvent, _) => "Will you join the next event?".into(),
        }
    }
}

/// Whether the caller sees a community's circle figures: its current members.
fn member(access: &AccessSet, community: &Visible<model::Community>) -> bool {
    access.is_member(community.id)
}

/// A current member's circle and since when; null for an ended membership.
pub async fn circle_of(
    ctx: &Context<'_>,
    membership: &model::Membership,
) -> ApiResult<Option<(Circle, DateTime<Utc>)>> {
    if membership.status != MembershipStatus::Active {
        return Ok(None);
    }
    Ok(load(ctx, CircleOf(membership.id))
        .await?
        .flatten()
        .map(|s| (s.circle.into(), s.since)))
}

/// A current member's activity in the window.
pub async fn activity_of(
    ctx: &Context<'_>,
    membership: &model::Membership,
) -> ApiResult<Option<MemberActivity>> {
    if membership.status != MembershipStatus::Active {
        return Ok(None);
    }
    let key = (membership.community_id, membership.person_id);
    let a = load(ctx, CircleActivityOf(key)).await?.unwrap_or_default();
    let rules = load(ctx, CircleRulesOf(membership.community_id))
        .await?
        .unwrap_or_default();
    Ok(Some(MemberActivity {
        posts: a.posts,
        replies: a.replies,
        reactions: a.reactions,
        rsvps: a.rsvps,
        assets: a.assets,
        window_days: rules.window_days,
    }))
}

/// The member's next steps, for the member only.
pub async fn next_steps_of(
    ctx: &Context<'_>,
    membership: &model::Membership,
    community: Option<&Visible<model::Community>>,
) -> ApiResult<Option<Vec<NextStep>>> {
    let (rc, access) = caller(ctx).await?;
    let Some(community) = community else {
        return Ok(None);
    };
    if membership.status != MembershipStatus::Active || access.person != Some(membership.person_id)
    {
        return Ok(None);
    }
    let steps = rc.services().next_steps(&access, community).await?;
    Ok(Some(steps.into_iter().map(NextStep).collect()))
}

/// A community's circle counts, for its members only.
pub async fn counts_of(
    ctx: &Context<'_>,
    community: &Visible<model::Community>,
) -> ApiResult<Option<CircleCounts>> {
    let (_, access) = caller(ctx).await?;
    if !member(&access, community) {
        return Ok(None);
    }
    let c = load(ctx, CircleCountsOf(community.id))
        .await?
        .unwrap_or_default();
    Ok(Some(CircleCounts {
        core: c.core,
        inner: c.inner,
        outer: c.outer,
        new: c.new,
    }))
}

/// A community's circle settings.
pub async fn settings_of(
    ctx: &Context<'_>,
    community: &Visible<model::Community>,
) -> ApiResult<CircleSettings> {
    Ok(load(ctx, CircleRulesOf(community.id))
        .await?
        .unwrap_or_default()
        .into())
}
