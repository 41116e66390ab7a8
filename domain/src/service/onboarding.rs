use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, OnboardingStepId},
    model::{Community, Membership, MembershipStatus, OnboardingStep, OnboardingStepKind},
    policy::{proof::Visible, write},
    values::{Description, Name, Slug},
};

/// Most steps in a journey.
pub const MAX_ONBOARDING_STEPS: usize = 20;

/// One step as the managers define it.
#[derive(Debug, Clone)]
pub struct StepInput {
    /// Its stable key.
    pub key: Slug,
    /// Its title.
    pub title: Name,
    /// What to do.
    pub description: Description,
    /// Its kind.
    pub kind: OnboardingStepKind,
}

impl Services {
    /// A `MANAGER` replaces the community's onboarding journey: at most 20 steps with
    /// distinct keys, each derived kind (`FIRST_POST`, `FIRST_EVENT`) at most once. What
    /// members marked done stays, by key.
    #[instrument(skip_all)]
    pub async fn set_onboarding_steps(
        &self,
        access: &AccessSet,
        community: CommunityId,
        steps: Vec<StepInput>,
    ) -> DomainResult<Visible<Community>> {
        let community = self.community(access, community).await?;
        write::can_manage(access, &community, "define its onboarding")?;
        if steps.len() > MAX_ONBOARDING_STEPS {
            return Err(DomainError::invalid(
                "steps",
                format!("at most {MAX_ONBOARDING_STEPS} steps"),
            ));
        }
        let mut stored: Vec<OnboardingStep> = Vec::with_capacity(steps.len());
        for (position, step) in steps.into_iter().enumerate() {
            if stored.iter().any(|s| s.key == step.key.as_str()) {
                return Err(DomainError::invalid(
                    "steps",
                    format!("the key {:?} is used twice", step.key.as_str()),
                ));
            }
            if step.kind.is_derived() && stored.iter().any(|s| s.kind == step.kind) {
                return Err(DomainError::invalid(
                    "steps",
                    format!("at most one {} step", step.kind.code()),
                ));
            }
            stored.push(OnboardingStep {
                id: OnboardingStepId::generate(),
                community_id: community.id,
                position: u32::try_from(position).unwrap_or(u32::MAX),
                key: step.key.into_inner(),
                title: step.title.into_inner(),
                description: step.description.into_inner(),
                kind: step.kind,
            });
        }
        self.repos
            .onboarding
            .set_steps(community.id, &stored)
            .await?;
        Ok(community)
    }

    /// A member marks one of the community's steps done (`READ_CHARTER`,
    /// `INTRODUCE_YOURSELF`, `CUSTOM`; the derived kinds complete themselves). Returns their
    /// membership.
    #[instrument(skip_all)]
    pub async fn complete_onboarding_step(
        &self,
        access: &AccessSet,
        community: CommunityId,
        key: &str,
    ) -> DomainResult<Membership> {
        let person = access.require_person()?;
        let community = self.community(access, community).await?;
        write::can_write(access, &community)?;
        let steps = self
            .repos
            .onboarding
            .steps_of(&[community.id])
            .await?
            .remove(&community.id)
            .unwrap_or_default();
        let step = steps
            .iter()
            .find(|s| s.key == key)
            .ok_or(DomainError::NotFound("onboarding step"))?;
        if step.kind.is_derived() {
            return Err(DomainError::invalid(
                "key",
                format!("a {} step completes itself from activity", step.kind.code()),
            ));
        }
        self.repos
            .onboarding
            .mark_done(community.id, person, key, Utc::now())
            .await?;
        self.repos
            .memberships
            .of_person_in(person, &[community.id])
            .await?
            .into_iter()
            .find(|m| m.status == MembershipStatus::Active)
            .ok_or(DomainError::NotFound("membership"))
    }
}
