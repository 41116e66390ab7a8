use chrono::{DateTime, Utc};

use super::{Cadence, code_enum};
use crate::ids::{CommunityId, EventId, FeedbackId, OrganizationId, PersonId, StakeholderId};

code_enum!(
    /// How a stakeholder relates to a community (seed 001 "Stakeholders").
    StakeholderRole {
        /// Funds it.
        Funder = "FUNDER",
        /// The community is accountable to it.
        AccountableTo = "ACCOUNTABLE_TO",
        /// Hosts it.
        Host = "HOST",
        /// Works with it.
        Partner = "PARTNER",
        /// An interested outsider.
        Interested = "INTERESTED",
    }
);

/// Someone the community answers to or works with, and how often they hear from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stakeholder {
    /// Key.
    pub id: StakeholderId,
    /// The community.
    pub community_id: CommunityId,
    /// Who (a person, a unit, an organization's name).
    pub name: String,
    /// Their organization, when it is in copnet.
    pub organization_id: Option<OrganizationId>,
    /// How they relate to the community.
    pub role: StakeholderRole,
    /// What they care about.
    pub interest: String,
    /// How often they receive a report.
    pub reporting_cadence: Cadence,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// What feedback is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedbackTarget {
    /// The community.
    Community(CommunityId),
    /// One of its events (or a cluster's).
    Event(EventId),
}

/// A person's rating of a community or an event (seed 003 step 7); one per person and
/// target, a second replaces the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// Key.
    pub id: FeedbackId,
    /// What it is about.
    pub target: FeedbackTarget,
    /// The community concerned (of the event, for event feedback; `None` for cluster events).
    pub community_id: Option<CommunityId>,
    /// Who gave it.
    pub person_id: PersonId,
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    /// Free text.
    pub comment: String,
    /// When it was given or last replaced.
    pub updated_at: DateTime<Utc>,
}

/// Ratings of a target, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackSummary {
    /// How many people rated it.
    pub count: u64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}
