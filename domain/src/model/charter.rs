use chrono::{DateTime, Utc};

use super::{Stage, code_enum};
use crate::ids::{CharterId, CommunityId, PersonId, StageChangeId};

code_enum!(
    /// How often something recurs (convenings, newsletters, stakeholder reports; seed 001
    /// "when").
    Cadence {
        /// Every week.
        Weekly = "WEEKLY",
        /// Every two weeks.
        Fortnightly = "FORTNIGHTLY",
        /// Every month.
        Monthly = "MONTHLY",
        /// Every three months.
        Quarterly = "QUARTERLY",
        /// Every year.
        Yearly = "YEARLY",
        /// Not at a set rhythm.
        None = "NONE",
    }
);

/// One revision of a community's charter: its purpose, people and practice (seed 001).
/// Revisions are appended, never edited or deleted; the latest is the charter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charter {
    /// Key.
    pub id: CharterId,
    /// The community.
    pub community_id: CommunityId,
    /// 1 for the first revision, then one more each time.
    pub revision: u32,
    /// Purpose: the subject matter, and what is in it for the organizations and members.
    pub domain: String,
    /// Purpose: what success looks like.
    pub goals: Vec<String>,
    /// People: who is in.
    pub audience: String,
    /// People and purpose: who and what is not.
    pub out_of_scope: String,
    /// Practice: what the community produces.
    pub outputs: Vec<String>,
    /// Practice: how it is run (roles, channels, documentation, netiquette).
    pub governance: String,
    /// Practice: how often it convenes.
    pub meeting_rhythm: Cadence,
    /// Practice: how often the newsletter goes out.
    pub newsletter_cadence: Cadence,
    /// Practice: how often stakeholders hear from it.
    pub reporting_cadence: Cadence,
    /// Who wrote this revision (`None` once their record is gone).
    pub author_id: Option<PersonId>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

impl Charter {
    /// What the lifecycle asks of a charter before `ACTIVE`: a domain and at least one goal.
    pub fn is_complete(&self) -> bool {
        !self.domain.trim().is_empty() && self.goals.iter().any(|g| !g.trim().is_empty())
    }
}

/// A change of a community's stage, kept as its lifecycle history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    /// Key.
    pub id: StageChangeId,
    /// The community.
    pub community_id: CommunityId,
    /// The stage before.
    pub from: Stage,
    /// The stage after.
    pub to: Stage,
    /// Who changed it (`None` once their record is gone).
    pub actor_id: Option<PersonId>,
    /// When.
    pub created_at: DateTime<Utc>,
}
