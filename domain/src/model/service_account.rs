use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{OrganizationId, PersonId, ServiceAccountId, ServiceAccountKeyId};

code_enum!(
    /// What a service account may do, granted explicitly (DOMAIN.md rule 5).
    Scope {
        /// Read what its organization hosts beyond public data: the networks it hosts (with
        /// their `NETWORK` communities) and the communities it hosts (with their members-only
        /// spaces). Never the content of `PRIVATE` spaces.
        ReadHosted = "READ_HOSTED",
        /// Add and remove affiliations of its own organization (syncing staff).
        ManageAffiliations = "MANAGE_AFFILIATIONS",
    }
);

/// A partner organization's integration: acts for one organization with explicit scopes,
/// authenticates with an API key, and never acts as a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccount {
    /// Key.
    pub id: ServiceAccountId,
    /// The organization it acts for.
    pub organization_id: OrganizationId,
    /// A label chosen by the organization's admins.
    pub name: String,
    /// Granted scopes.
    pub scopes: BTreeSet<Scope>,
    /// The admin who created it.
    pub created_by: PersonId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked account authenticates with none of its keys.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When one of its keys last authenticated a request (recorded at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Most keys of one account that authenticate at the same time (a rotation's grace period
/// keeps the old key beside the new one).
pub const MAX_ACTIVE_KEYS: usize = 5;

/// Longest grace period of a rotation: 30 days.
pub const MAX_ROTATION_GRACE_SECS: i64 = 30 * 24 * 3600;

/// One API key of a service account. The token (`cpk_<key id>_<secret>`) is shown once; only
/// the hash of its secret is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccountKey {
    /// Key; the token names it.
    pub id: ServiceAccountKeyId,
    /// Whose key.
    pub service_account_id: ServiceAccountId,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops authenticating; `None` lasts until revoked or rotated.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it last authenticated a request (recorded at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ServiceAccountKey {
    /// Whether it still authenticates at `now` (its account not revoked aside).
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }
}
