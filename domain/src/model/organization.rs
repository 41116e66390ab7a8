use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{AffiliationId, OrganizationId, PersonId};

/// An agency, NGO, local community or company taking part in networks. Public by nature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Key.
    pub id: OrganizationId,
    /// Globally unique handle.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

code_enum!(
    /// A person's role in an organization.
    OrgRole {
        /// Manages the organization's people (DOMAIN.md rule 4).
        Admin = "ORG_ADMIN",
        /// Belongs to the organization.
        Member = "ORG_MEMBER",
    }
);

/// A person's tie to an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation {
    /// Key.
    pub id: AffiliationId,
    /// Who.
    pub person_id: PersonId,
    /// Which organization.
    pub organization_id: OrganizationId,
    /// In which role.
    pub role: OrgRole,
    /// Since when.
    pub created_at: DateTime<Utc>,
}

/// An individual, provisioned from an identity provider's subject on first sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Key.
    pub id: PersonId,
    /// The identity provider's subject (`sub` claim); unique.
    pub subject: String,
    /// Name shown to others.
    pub display_name: String,
    /// E-mail address, if the identity provider gave one.
    pub email: Option<String>,
    /// When the person was first seen.
    pub created_at: DateTime<Utc>,
}
