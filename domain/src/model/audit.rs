use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ids::{
    AuditEntryId, ClusterId, CommunityId, NetworkId, OrganizationId, PersonId, ServiceAccountId,
    SpaceId,
};

/// Who made a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditActor {
    /// A signed-in person; `platform_admin` when they held that role for the request.
    Person {
        /// Who.
        id: PersonId,
        /// Whether they were a platform admin.
        platform_admin: bool,
    },
    /// A partner organization's service account.
    ServiceAccount(ServiceAccountId),
}

/// Where a write happened: the places whose readers may learn of it. The narrowest one set
/// decides who sees the entry (a space's readers, a cluster's event readers, a community's,
/// a network's); an entry
/// with none (an organization's own settings, a person's profile) is seen through its actor
/// or its organization only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditPlace {
    /// The network written in, if any.
    pub network: Option<NetworkId>,
    /// The regional cluster written in (its events), if any.
    pub cluster: Option<ClusterId>,
    /// The community written in, if any.
    pub community: Option<CommunityId>,
    /// The space written in, if any.
    pub space: Option<SpaceId>,
    /// The organization written to (its affiliations, service accounts, settings), if any.
    pub organization: Option<OrganizationId>,
}

/// What a write changed: the GraphQL type name and id of the object it returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditTarget {
    /// The object's GraphQL type (`Post`, `Membership`, ...).
    pub kind: String,
    /// Its id.
    pub id: Uuid,
}

/// One write, as recorded: who, what, on what, where, when, in which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Key (time-ordered).
    pub id: AuditEntryId,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The request's id (`x-request-id`).
    pub request_id: String,
    /// Who.
    pub actor: AuditActor,
    /// The mutation, by its GraphQL name (`createPost`).
    pub action: String,
    /// What it changed, when it names one object.
    pub target: Option<AuditTarget>,
    /// Where.
    pub place: AuditPlace,
}

/// Longest request id recorded (longer ones are cut).
pub const MAX_REQUEST_ID: usize = 128;
