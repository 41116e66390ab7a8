use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{AffiliationId, OrganizationId, PersonId},
    model::{Affiliation, OrgRole, Organization},
    policy::write,
    values::{Name, Slug},
};

/// Input of `create_organization`.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// Globally unique handle.
    pub slug: Slug,
    /// Display name.
    pub name: Name,
}

impl Services {
    /// Any signed-in person may register an organization and becomes its first `ORG_ADMIN`.
    #[instrument(skip_all)]
    pub async fn create_organization(
        &self,
        access: &AccessSet,
        input: NewOrganization,
    ) -> DomainResult<Organization> {
        let person = access.require_person()?;
        let now = Utc::now();
        let org = Organization {
            id: OrganizationId::generate(),
            slug: input.slug.into_inner(),
            name: input.name.into_inner(),
            created_at: now,
        };
        let admin = Affiliation {
            id: AffiliationId::generate(),
            person_id: person,
            organization_id: org.id,
            role: OrgRole::Admin,
            created_at: now,
        };
        self.repos.organizations.create(&org, &admin).await?;
        Ok(org)
    }

    /// An `ORG_ADMIN` (or a service account with `MANAGE_AFFILIATIONS`) affiliates a person
    /// with the organization, or changes their role.
    #[instrument(skip_all)]
    pub async fn add_affiliation(
        &self,
        access: &AccessSet,
        org: OrganizationId,
        person: PersonId,
        role: OrgRole,
    ) -> DomainResult<Affiliation> {
        if access.service_account.is_none() {
            access.require_person()?;
        }
        let org = self.organization(org).await?;
        write::can_manage_people(access, org.id, "add affiliations")?;
        self.person(person).await?;
        let affiliation = Affiliation {
            id: AffiliationId::generate(),
            person_id: person,
            organization_id: org.id,
            role,
            created_at: Utc::now(),
        };
        self.repos.organizations.put_affiliation(&affiliation).await
    }

    /// An `ORG_ADMIN` (or a service account with `MANAGE_AFFILIATIONS`) removes a person's
    /// affiliation; anyone may remove their own. The last admin cannot go.
    #[instrument(skip_all)]
    pub async fn remove_affiliation(
        &self,
        access: &AccessSet,
        org: OrganizationId,
        person: PersonId,
    ) -> DomainResult<Organization> {
        if access.service_account.is_none() {
            access.require_person()?;
        }
        let org = self.organization(org).await?;
        if access.person != Some(person) {
            write::can_manage_people(access, org.id, "remove affiliations")?;
        }
        if self
            .repos
            .organizations
            .remove_affiliation(org.id, person)
            .await?
        {
            Ok(org)
        } else {
            Err(DomainError::NotFound("affiliation"))
        }
    }
}
