use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{CommunityId, NetworkId, OrganizationId};

code_enum!(
    /// Who may see a community (always narrowed by its network's visibility, rule 0).
    CommunityVisibility {
        /// Anyone who can see the network.
        Public = "PUBLIC",
        /// Members of the network.
        Network = "NETWORK",
        /// Members of the community only; unlisted for everyone else.
        Private = "PRIVATE",
    }
);

code_enum!(
    /// How people join a community.
    JoinPolicy {
        /// Join at once.
        Open = "OPEN",
        /// Ask; a manager decides.
        Approval = "APPROVAL",
        /// Only by a manager's invitation.
        InviteOnly = "INVITE_ONLY",
    }
);

code_enum!(
    /// Where a community is in its life (DOMAIN.md, "Lifecycle").
    Stage {
        /// Proposed; a core team shapes its charter.
        Proposed = "PROPOSED",
        /// Preparing its launch.
        Launching = "LAUNCHING",
        /// Running.
        Active = "ACTIVE",
        /// Resting; may become active again.
        Dormant = "DORMANT",
        /// Closed: readable, accepts no writes.
        Archived = "ARCHIVED",
    }
);

impl Stage {
    /// The stages a community may move to from this one.
    pub fn next_stages(self) -> &'static [Stage] {
        match self {
            Stage::Proposed => &[Stage::Launching, Stage::Archived],
            Stage::Launching => &[Stage::Active, Stage::Archived],
            Stage::Active => &[Stage::Dormant, Stage::Archived],
            Stage::Dormant => &[Stage::Active, Stage::Archived],
            Stage::Archived => &[Stage::Dormant],
        }
    }
}

/// A Community of Practice. Belongs to exactly one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Key.
    pub id: CommunityId,
    /// The network it belongs to.
    pub network_id: NetworkId,
    /// Handle, unique within the network.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Free text about the community.
    pub description: String,
    /// Who may see it.
    pub visibility: CommunityVisibility,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Lifecycle stage.
    pub stage: Stage,
    /// The organization hosting it, if any.
    pub host_organization_id: Option<OrganizationId>,
    /// When non-empty, only people affiliated with one of these organizations may join.
    pub allowed_organization_ids: Vec<OrganizationId>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When its settings last changed.
    pub updated_at: DateTime<Utc>,
}

impl Community {
    /// Archived communities stay readable and accept no writes.
    pub fn is_archived(&self) -> bool {
        self.stage == Stage::Archived
    }
}
