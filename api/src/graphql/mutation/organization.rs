use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{OrganizationId, PersonId},
    service::NewOrganization,
};

use super::{id, name, shown, slug};
use crate::{
    error::ApiResult,
    graphql::{
        context::write,
        enums::OrganizationRole,
        ids::Kind,
        types::{Affiliation, Organization},
    },
};
use std::sync::Arc;

/// Input of `createOrganization`.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// Globally unique handle: 2..64 of `a-z`, `0-9`, `-`.
    pub slug: String,
    /// Display name, 1..120 characters.
    pub name: String,
}

/// Result of `createOrganization`.
#[derive(SimpleObject)]
pub struct CreateOrganizationPayload {
    /// The new organization.
    pub organization: Organization,
}

/// Input of `addAffiliation`.
#[derive(InputObject)]
pub struct AddAffiliationInput {
    /// The organization.
    pub organization_id: ID,
    /// The person to affiliate.
    pub person_id: ID,
    /// Their role (default `ORG_MEMBER`); an existing affiliation takes the new role.
    pub role: Option<OrganizationRole>,
}

/// Result of `addAffiliation`.
#[derive(SimpleObject)]
pub struct AddAffiliationPayload {
    /// The affiliation as stored.
    pub affiliation: Affiliation,
}

/// Input of `removeAffiliation`.
#[derive(InputObject)]
pub struct RemoveAffiliationInput {
    /// The organization.
    pub organization_id: ID,
    /// The person.
    pub person_id: ID,
}

/// Result of `removeAffiliation`.
#[derive(SimpleObject)]
pub struct RemoveAffiliationPayload {
    /// The organization the person left.
    pub organization: Organization,
}

#[derive(Default)]
pub struct OrganizationMutations;

#[Object]
impl OrganizationMutations {
    /// Registers an organization. Any signed-in person; they become its first `ORG_ADMIN`.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> ApiResult<Option<CreateOrganizationPayload>> {
        let new = NewOrganization {
            slug: slug(&input.slug)?,
            name: name(&input.name)?,
        };
        let org = write(ctx, async |s, a| s.create_organization(a, new).await).await?;
        Ok(Some(CreateOrganizationPayload {
            organization: Organization(Arc::new(org)),
        }))
    }

    /// Affiliates a person with an organization, or changes their role. `ORG_ADMIN`s of the
    /// organization (and platform admins) only; the last admin cannot be demoted.
    async fn add_affiliation(
        &self,
        ctx: &Context<'_>,
        input: AddAffiliationInput,
    ) -> ApiResult<Option<AddAffiliationPayload>> {
        let org: OrganizationId = id("organizationId", Kind::Organization, &input.organization_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let role = input.role.unwrap_or(OrganizationRole::OrgMember).into();
        let affiliation = write(ctx, async |s, a| {
            s.add_affiliation(a, org, person, role).await
        })
        .await?;
        Ok(shown::affiliation(ctx, affiliation)
            .await?
            .map(|affiliation| AddAffiliationPayload { affiliation }))
    }

    /// Ends a person's affiliation. `ORG_ADMIN`s of the organization, or the person
    /// themselves; the last admin cannot go.
    async fn remove_affiliation(
        &self,
        ctx: &Context<'_>,
        input: RemoveAffiliationInput,
    ) -> ApiResult<Option<RemoveAffiliationPayload>> {
        let org: OrganizationId = id("organizationId", Kind::Organization, &input.organization_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let org = write(ctx, async |s, a| s.remove_affiliation(a, org, person).await).await?;
        Ok(Some(RemoveAffiliationPayload {
            organization: Organization(Arc::new(org)),
        }))
    }
}
