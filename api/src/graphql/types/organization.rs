use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{listing::Listing, model, policy::filter::NetworkFilter};

use super::{LearningNetworkConnection, Person, ServiceAccountConnection, batch, page_args};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load},
        enums::OrganizationRole,
        ids::{Kind, encode},
    },
};

/// The `Organization` object; see its GraphQL description.
#[derive(Clone)]
pub struct Organization(pub model::Organization);
batch!(Organization, copnet_domain::ids::OrganizationId);
connection!(
    /// A page of organizations.
    OrganizationConnection, OrganizationEdge, Organization
);

/// An agency, NGO, local community or company taking part in networks. Organizations are
/// public: anyone may see their name and slug.
#[Object]
impl Organization {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Organization, self.0.id)
    }

    /// Globally unique handle.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Learning networks it hosts, among those the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn networks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<LearningNetworkConnection> {
        let visible = NetworkFilter::for_access(&*access(ctx).await?);
        let listing = Listing::OrganizationNetworks { visible };
        let args = page_args!(first, after, last, before);
        Ok(LearningNetworkConnection(
            ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?,
        ))
    }

    /// Its service accounts. `ORG_ADMIN`s of the organization only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn service_accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<ServiceAccountConnection> {
        let access = access(ctx).await?;
        if access.person.is_none() || access.org_role(self.0.id) != Some(model::OrgRole::Admin) {
            return Err(ApiError::new(
                Code::Forbidden,
                "only an ORG_ADMIN of this organization may list its service accounts",
            ));
        }
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::OrganizationServiceAccounts,
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(ServiceAccountConnection(data))
    }
}

/// The `Affiliation` object; see its GraphQL description.
#[derive(Clone)]
pub struct Affiliation(pub model::Affiliation);
batch!(Affiliation, copnet_domain::ids::AffiliationId);
connection!(
    /// A page of affiliations.
    AffiliationConnection, AffiliationEdge, Affiliation
);

/// A person's tie to an organization, visible with the person's profile.
#[Object]
impl Affiliation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Affiliation, self.0.id)
    }

    /// The organization.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        load(ctx, self.0.organization_id)
            .await?
            .map(Organization)
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// The person.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Person> {
        load(ctx, self.0.person_id)
            .await?
            .map(Person)
            .ok_or_else(|| ApiError::not_found("person"))
    }

    /// Their role in the organization.
    async fn role(&self) -> OrganizationRole {
        self.0.role.into()
    }

    /// Since when.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
