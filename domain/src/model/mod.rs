//! The entities of a CoP network (DOMAIN.md, "The nesting").

mod asset;
mod audit;
mod charter;
mod community;
mod convening;
mod discussion;
mod health;
mod indicator;
mod knowledge;
mod membership;
mod network;
mod notification;
mod onboarding;
mod organization;
mod participation;
mod service_account;
mod space;
mod stakeholder;

pub use asset::{
    Asset, AssetContent, AssetKind, AssetReview, AssetStatus, AssetVersion, EventOutput,
    ReviewDecision,
};
pub use audit::{AuditActor, AuditEntry, AuditPlace, AuditTarget, MAX_REQUEST_ID};
pub use charter::{Cadence, Charter, StageChange};
pub use community::{Community, CommunityVisibility, JoinPolicy, Stage};
pub use convening::{
    CalendarToken, Convening, EventFormat, EventHost, EventMode, Rsvp, RsvpResponse,
};
pub use discussion::{Emoji, FlagReason, Post, PostRevision, ReactionCount, Thread};
pub use health::Health;
pub use indicator::{
    Indicator, IndicatorKind, IndicatorScope, IndicatorValue, Period, SeriesPoint,
};
pub use knowledge::{Expertise, ExpertiseLevel, Profile, Reason, ReasonKind, Tagged, Topic};
pub use membership::{
    Invitation, InvitationStatus, JoinRequest, JoinRequestStatus, Membership, MembershipStatus,
    Role,
};
pub use network::{Cluster, Network, NetworkVisibility};
pub use notification::{Notification, NotificationKind};
pub use onboarding::{OnboardingActivity, OnboardingStep, OnboardingStepKind};
pub use organization::{Affiliation, OrgRole, Organization, Person};
pub use participation::{
    Activity, CORE_ROLES, Circle, CircleCounts, CircleInputs, CircleRules, CircleState,
    Contribution, MAX_CIRCLE_DAYS, MAX_INNER_THRESHOLD, NextStepKind, day_of, decide,
    first_day_in_window, inner_until, is_core, new_until, start_of,
};
pub use service_account::{
    MAX_ACTIVE_KEYS, MAX_ROTATION_GRACE_SECS, Scope, ServiceAccount, ServiceAccountKey,
};
pub use space::{Space, SpaceVisibility};
pub use stakeholder::{Feedback, FeedbackSummary, FeedbackTarget, Stakeholder, StakeholderRole};

/// Declares a closed set of values stored as stable upper-case codes.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// Reads a stored code back.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use code_enum;
