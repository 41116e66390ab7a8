use async_graphql::{Context, ID, InputObject, Object};
use copnet_domain::{
    ids::CommunityId,
    service::StepInput,
    values::{Description, Name, Slug},
};

use super::{community::CommunityPayload, id, membership::MembershipPayload, shown};
use crate::{
    error::ApiResult,
    graphql::{context::write, enums::OnboardingStepKind, ids::Kind},
};

/// One step of an onboarding journey.
#[derive(InputObject)]
pub struct OnboardingStepInput {
    /// Its stable key: 2..64 lowercase letters, digits and hyphens, unique in the journey.
    pub key: String,
    /// 1..120 characters on one line.
    pub title: String,
    /// What to do, up to 4000 characters.
    pub description: Option<String>,
    /// Its kind (`FIRST_POST` and `FIRST_EVENT` at most once each: they complete themselves).
    pub kind: OnboardingStepKind,
}

/// Input of `setOnboardingSteps`.
#[derive(InputObject)]
pub struct SetOnboardingStepsInput {
    /// The community.
    pub community_id: ID,
    /// The whole journey, in order, at most 20 steps (an empty list removes it).
    pub steps: Vec<OnboardingStepInput>,
}

/// Input of `completeOnboardingStep`.
#[derive(InputObject)]
pub struct CompleteOnboardingStepInput {
    /// The community.
    pub community_id: ID,
    /// The step's key.
    pub key: String,
}

#[derive(Default)]
pub struct OnboardingMutations;

#[Object]
impl OnboardingMutations {
    /// Replaces the community's onboarding journey (`Community.onboardingSteps`); what members
    /// marked done stays, by key. `MANAGER`s only; not when archived.
    async fn set_onboarding_steps(
        &self,
        ctx: &Context<'_>,
        input: SetOnboardingStepsInput,
    ) -> ApiResult<Option<CommunityPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let steps = input
            .steps
            .iter()
            .map(|s| {
                Ok(StepInput {
                    key: Slug::parse("steps.key", &s.key)?,
                    title: Name::parse("steps.title", &s.title)?,
                    description: Description::parse(
                        "steps.description",
                        s.description.as_deref().unwrap_or_default(),
                    )?,
                    kind: s.kind.into(),
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let community = write(ctx, async |s, a| {
            s.set_onboarding_steps(a, community, steps).await
        })
        .await?;
        Ok(shown::community(ctx, community.id)
            .await?
            .map(|community| CommunityPayload { community }))
    }

    /// Marks one of the community's onboarding steps done for the caller, a member
    /// (`READ_CHARTER`, `INTRODUCE_YOURSELF`, `CUSTOM`; `FIRST_POST` and `FIRST_EVENT`
    /// complete themselves and are `BAD_USER_INPUT` here; an unknown key is `NOT_FOUND`).
    /// Marking a step again keeps the first time. Returns the caller's membership.
    async fn complete_onboarding_step(
        &self,
        ctx: &Context<'_>,
        input: CompleteOnboardingStepInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let key = input.key;
        let membership = write(ctx, async |s, a| {
            s.complete_onboarding_step(a, community, &key).await
        })
        .await?;
        Ok(Some(MembershipPayload {
            membership: shown::membership(ctx, membership).await?,
        }))
    }
}
