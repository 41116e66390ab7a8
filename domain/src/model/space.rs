use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{CommunityId, SpaceId};

code_enum!(
    /// Who may see and read a space (DOMAIN.md, "Visibility and joining").
    SpaceVisibility {
        /// Whoever can read the community.
        Public = "PUBLIC",
        /// Community members.
        Members = "MEMBERS",
        /// The space's own member list, plus the community's managers and moderators.
        Private = "PRIVATE",
    }
);

/// A place inside a community where discussions, events and documents live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    /// Key.
    pub id: SpaceId,
    /// The community it belongs to.
    pub community_id: CommunityId,
    /// Handle, unique within the community.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Free text about the space.
    pub description: String,
    /// Who may see and read it.
    pub visibility: SpaceVisibility,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}
