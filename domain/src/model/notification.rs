use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{
    CommunityId, InvitationId, JoinRequestId, NotificationId, PersonId, PostId, ThreadId,
};

code_enum!(
    /// What a notification is about.
    NotificationKind {
        /// Someone mentioned the person in a post.
        Mention = "MENTION",
        /// Someone replied to the person's post.
        Reply = "REPLY",
        /// The person was invited into a community.
        Invitation = "INVITATION",
        /// A manager decided on the person's join request.
        JoinDecision = "JOIN_DECISION",
    }
);

/// Something a person should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Key.
    pub id: NotificationId,
    /// Whom it is for.
    pub person_id: PersonId,
    /// What it is about.
    pub kind: NotificationKind,
    /// Who caused it.
    pub actor_id: Option<PersonId>,
    /// The community concerned.
    pub community_id: Option<CommunityId>,
    /// The thread concerned (mentions, replies).
    pub thread_id: Option<ThreadId>,
    /// The post concerned (mentions, replies).
    pub post_id: Option<PostId>,
    /// The invitation concerned.
    pub invitation_id: Option<InvitationId>,
    /// The join request concerned.
    pub join_request_id: Option<JoinRequestId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When the person marked it read.
    pub read_at: Option<DateTime<Utc>>,
}
