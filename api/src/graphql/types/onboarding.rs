use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    model::{self, MembershipStatus},
};

use crate::{
    error::ApiResult,
    graphql::{
        context::load,
        enums::OnboardingStepKind,
        loaders::{ActivityOf, StepsOf},
    },
};

/// One step of a community's onboarding journey.
#[derive(SimpleObject)]
pub struct OnboardingStep {
    /// Its stable key (for `completeOnboardingStep`).
    pub key: String,
    /// Its title.
    pub title: String,
    /// What to do.
    pub description: String,
    /// Its kind: `FIRST_POST` and `FIRST_EVENT` complete themselves from activity.
    pub kind: OnboardingStepKind,
}

impl From<&model::OnboardingStep> for OnboardingStep {
    fn from(s: &model::OnboardingStep) -> Self {
        Self {
            key: s.key.clone(),
            title: s.title.clone(),
            description: s.description.clone(),
            kind: s.kind.into(),
        }
    }
}

/// One step of a member's journey, done or not.
#[derive(SimpleObject)]
pub struct OnboardingStepProgress {
    /// Its stable key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// What to do.
    pub description: String,
    /// Its kind.
    pub kind: OnboardingStepKind,
    /// When the member completed it (for `FIRST_POST`, their first post; for `FIRST_EVENT`,
    /// the start of the first occurrence they went to); null while not done.
    pub completed_at: Option<DateTime<Utc>>,
}

/// A member's way through the community's onboarding journey.
#[derive(SimpleObject)]
pub struct OnboardingProgress {
    /// The journey's steps in order, each with when the member completed it.
    pub steps: Vec<OnboardingStepProgress>,
    /// How many are done.
    pub completed: u32,
    /// How many there are.
    pub total: u32,
    /// Every step is done (true for a community without a journey).
    pub finished: bool,
}

/// The onboarding of an active member, for the member and the community's managers.
pub async fn progress(
    ctx: &Context<'_>,
    access: &AccessSet,
    membership: &model::Membership,
) -> ApiResult<Option<OnboardingProgress>> {
    if membership.status != MembershipStatus::Active
        || !super::membership::party_or_manager(
            access,
            membership.person_id,
            membership.community_id,
        )
    {
        return Ok(None);
    }
    let steps = load(ctx, StepsOf(membership.community_id))
        .await?
        .unwrap_or_default();
    let activity = load(
        ctx,
        ActivityOf((membership.community_id, membership.person_id)),
    )
    .await?
    .unwrap_or_default();
    let steps: Vec<OnboardingStepProgress> = steps
        .iter()
        .map(|s| OnboardingStepProgress {
            key: s.key.clone(),
            title: s.title.clone(),
            description: s.description.clone(),
            kind: s.kind.into(),
            completed_at: activity.completed_at(s),
        })
        .collect();
    let total = u32::try_from(steps.len()).unwrap_or(u32::MAX);
    let completed = u32::try_from(steps.iter().filter(|s| s.completed_at.is_some()).count())
        .unwrap_or(u32::MAX);
    Ok(Some(OnboardingProgress {
        steps,
        completed,
        total,
        finished: completed == total,
    }))
}
