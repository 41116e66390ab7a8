//! Typed identifiers. Every key is a UUIDv7: time-ordered, so keyset pagination and index
//! locality are cheap on both databases.

use std::fmt;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            /// The raw UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl From<$name> for Uuid {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// Identifies an organization.
    OrganizationId,
    /// Identifies a person.
    PersonId,
    /// Identifies a person's affiliation with an organization.
    AffiliationId,
    /// Identifies a learning network.
    NetworkId,
    /// Identifies a regional cluster.
    ClusterId,
    /// Identifies a community.
    CommunityId,
    /// Identifies a membership.
    MembershipId,
    /// Identifies a space.
    SpaceId,
    /// Identifies a join request.
    JoinRequestId,
    /// Identifies an invitation.
    InvitationId,
    /// Identifies a service account.
    ServiceAccountId,
    /// Identifies one API key of a service account.
    ServiceAccountKeyId,
    /// Identifies an entry of the audit log.
    AuditEntryId,
    /// Identifies a discussion thread.
    ThreadId,
    /// Identifies a post.
    PostId,
    /// Identifies a notification.
    NotificationId,
    /// Identifies a former body of a post.
    RevisionId,
    /// Identifies a revision of a community's charter.
    CharterId,
    /// Identifies a change of a community's lifecycle stage.
    StageChangeId,
    /// Identifies an event (a convening, one-off or a recurring series).
    EventId,
    /// Identifies a person's answer to one occurrence of an event.
    RsvpId,
    /// Identifies a calendar feed token.
    CalendarTokenId,
    /// Identifies a community's stakeholder.
    StakeholderId,
    /// Identifies a person's feedback on a community or an event.
    FeedbackId,
    /// Identifies a knowledge asset.
    AssetId,
    /// Identifies one version of a knowledge asset.
    AssetVersionId,
    /// Identifies a community's onboarding step.
    OnboardingStepId,
    /// Identifies a topic of a network's vocabulary.
    TopicId,
    /// Identifies a success indicator.
    IndicatorId,
);
