use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{OrganizationId, PersonId, ServiceAccountId};

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
    /// When its key was revoked; a revoked account authenticates no more.
    pub revoked_at: Option<DateTime<Utc>>,
}
