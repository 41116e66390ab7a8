use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{CommunityId, InvitationId, JoinRequestId, MembershipId, PersonId};

code_enum!(
    /// A role granted per membership (DOMAIN.md, "Roles"). A person may hold several.
    Role {
        /// Sponsor: budget, accountable.
        Sponsor = "SPONSOR",
        /// Community manager: charter, roles, spaces, join decisions.
        Manager = "MANAGER",
        /// Hides, locks, pins.
        Moderator = "MODERATOR",
        /// Core group.
        Core = "CORE",
        /// Member.
        Member = "MEMBER",
        /// Technical support.
        TechSupport = "TECH_SUPPORT",
    }
);

code_enum!(
    /// Whether a membership is current.
    MembershipStatus {
        /// A current member.
        Active = "ACTIVE",
        /// Left on their own.
        Left = "LEFT",
        /// Removed by a manager.
        Removed = "REMOVED",
    }
);

/// A person in a community, with roles. Rows are kept when a member leaves, for history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// Key.
    pub id: MembershipId,
    /// Which community.
    pub community_id: CommunityId,
    /// Who.
    pub person_id: PersonId,
    /// Granted roles; empty once the membership has ended.
    pub roles: BTreeSet<Role>,
    /// Current or ended.
    pub status: MembershipStatus,
    /// When the person (last) joined.
    pub joined_at: DateTime<Utc>,
}

code_enum!(
    /// Where a join request stands.
    JoinRequestStatus {
        /// Waiting for a manager.
        Pending = "PENDING",
        /// Approved: the person is a member.
        Approved = "APPROVED",
        /// Declined by a manager.
        Rejected = "REJECTED",
    }
);

/// A person's request to join an `APPROVAL` community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// Key.
    pub id: JoinRequestId,
    /// Which community.
    pub community_id: CommunityId,
    /// Who asks.
    pub person_id: PersonId,
    /// Their note to the managers.
    pub message: String,
    /// Where it stands.
    pub status: JoinRequestStatus,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When a manager decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Which manager decided.
    pub decided_by: Option<PersonId>,
}

code_enum!(
    /// Where an invitation stands.
    InvitationStatus {
        /// Waiting for the invitee.
        Pending = "PENDING",
        /// Accepted: the invitee is a member.
        Accepted = "ACCEPTED",
        /// Declined by the invitee.
        Declined = "DECLINED",
    }
);

/// A manager's invitation of a person into a community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Key.
    pub id: InvitationId,
    /// Which community.
    pub community_id: CommunityId,
    /// Who is invited.
    pub person_id: PersonId,
    /// Who invited them.
    pub invited_by: PersonId,
    /// A note to the invitee.
    pub message: String,
    /// Where it stands.
    pub status: InvitationStatus,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When the invitee answered.
    pub responded_at: Option<DateTime<Utc>>,
}
