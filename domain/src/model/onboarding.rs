use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{CommunityId, OnboardingStepId};

code_enum!(
    /// What an onboarding step asks of a new member (seed 003 step 4, seed 002's "warm
    /// welcome").
    OnboardingStepKind {
        /// Read the charter (marked done by the member).
        ReadCharter = "READ_CHARTER",
        /// Introduce yourself (marked done by the member).
        IntroduceYourself = "INTRODUCE_YOURSELF",
        /// Write a first post anywhere in the community: completes itself.
        FirstPost = "FIRST_POST",
        /// Take part in a first event (an RSVP `GOING` to an occurrence that has started):
        /// completes itself.
        FirstEvent = "FIRST_EVENT",
        /// Anything else the managers ask (marked done by the member).
        Custom = "CUSTOM",
    }
);

impl OnboardingStepKind {
    /// Completes itself from activity (so the member does not mark it).
    pub fn is_derived(self) -> bool {
        matches!(self, Self::FirstPost | Self::FirstEvent)
    }
}

/// One step of a community's onboarding journey, as its managers define it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OnboardingStep {
    /// Key.
    pub id: OnboardingStepId,
    /// The community.
    pub community_id: CommunityId,
    /// Its place in the journey, from 0.
    pub position: u32,
    /// Its stable key (a slug), by which members complete it.
    pub key: String,
    /// Its title.
    pub title: String,
    /// What to do.
    pub description: String,
    /// Its kind.
    pub kind: OnboardingStepKind,
}

/// What a member did that onboarding steps read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnboardingActivity {
    /// Steps the member marked done, by key.
    pub marked: HashMap<String, DateTime<Utc>>,
    /// When they first posted in the community.
    pub first_post: Option<DateTime<Utc>>,
    /// The start of the first occurrence they said `GOING` to that has started.
    pub first_event: Option<DateTime<Utc>>,
}

impl OnboardingActivity {
    /// When the member completed a step, if they did.
    pub fn completed_at(&self, step: &OnboardingStep) -> Option<DateTime<Utc>> {
        match step.kind {
            OnboardingStepKind::FirstPost => self.first_post,
            OnboardingStepKind::FirstEvent => self.first_event,
            _ => self.marked.get(&step.key).copied(),
        }
    }
}
