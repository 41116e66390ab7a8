//! The GraphQL object types. Each wraps a domain value, and the visible ones wrap the
//! policy's proof that the caller may see it; relations go through loaders and the policy, so
//! a type never exposes what its caller may not see.

pub(crate) mod asset;
pub mod audit;
mod charter;
mod community;
pub(crate) mod digest;
pub(crate) mod event;
pub(crate) mod health;
pub(crate) mod indicator;
mod membership;
mod network;
mod node;
mod notification;
pub(crate) mod onboarding;
mod organization;
pub(crate) mod participation;
mod person;
mod post;
pub(crate) mod search;
mod service_account;
mod space;
mod stakeholder;
pub(crate) mod suggestion;
mod thread;
pub(crate) mod topic;

pub use asset::{Asset, AssetConnection, AssetVersion, AssetVersionConnection};
pub use charter::{Charter, CharterConnection, StageChange, StageChangeConnection};
pub use community::{Community, CommunityConnection, ViewerCan};
pub use event::{Event, EventOccurrence, EventOccurrenceConnection};
pub use membership::{
    Invitation, InvitationConnection, JoinRequest, JoinRequestConnection, Membership,
    MembershipConnection,
};
pub use network::{
    LearningNetwork, LearningNetworkConnection, RegionalCluster, RegionalClusterConnection,
};
pub use node::{Node, require_node, resolve_node};
pub use notification::{Notification, NotificationConnection};
pub use organization::{Affiliation, AffiliationConnection, Organization, OrganizationConnection};
pub use person::{Person, PersonConnection};
pub use post::{Post, PostConnection, PostRevision, PostRevisionConnection};
pub use service_account::{ServiceAccount, ServiceAccountConnection};
pub use space::{Space, SpaceConnection};
pub use stakeholder::{
    Feedback, FeedbackConnection, FeedbackSummary, Stakeholder, StakeholderConnection,
};
pub use thread::{Thread, ThreadConnection};
pub use topic::{Expertise, Topic, TopicConnection};

/// The four Relay arguments, gathered.
macro_rules! page_args {
    ($first:ident, $after:ident, $last:ident, $before:ident) => {
        $crate::graphql::connection::PageArgs {
            first: $first,
            after: $after,
            last: $last,
            before: $before,
        }
    };
}
pub(crate) use page_args;
