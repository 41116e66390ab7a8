use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{AffiliationId, OrganizationId},
    listing::Scoped,
    model,
    policy::proof::{self, Visible},
};
use uuid::Uuid;

use super::{
    LearningNetworkConnection, Person, ServiceAccountConnection,
    audit::{AuditEntryConnection, AuditLogFilter, audit_page_args},
    page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{Admit, ConnectionData, Under, admit_each, connection, cost},
        context::{RequestContext, access, load, request},
        enums::OrganizationRole,
        ids::{Kind, encode},
    },
};

/// The `Organization` object; see its GraphQL description.
#[derive(Clone)]
pub struct Organization(pub Arc<model::Organization>);
connection!(
    /// A page of organizations.
    OrganizationConnection, OrganizationEdge, Organization
);

impl Admit for Organization {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        _under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        // Organizations are public.
        admit_each::<OrganizationId, _, _>(rc, ids, |o| Some(Self(o))).await
    }
}

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

    /// Whether the caller administers it (`ORG_ADMIN`, or a platform admin): manages its
    /// people, networks and service accounts.
    async fn viewer_can_administer(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(proof::administering(&*access(ctx).await?, self.0.id).is_some())
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
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::organization_networks(&*access(ctx).await?, self.0.id);
        Ok(LearningNetworkConnection(
            ConnectionData::fetch(ctx, scoped, Under::Root, &args).await?,
        ))
    }

    /// Its service accounts. Its administrators only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn service_accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<ServiceAccountConnection> {
        let Some(admin) = proof::administering(&*access(ctx).await?, self.0.id) else {
            return Err(ApiError::new(
                Code::Forbidden,
                "only an ORG_ADMIN of this organization may list its service accounts",
            ));
        };
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::organization_service_accounts(admin);
        Ok(ServiceAccountConnection(
            ConnectionData::fetch(ctx, scoped, Under::Administering(admin), &args).await?,
        ))
    }

    /// Its audit log, newest first: the writes of its actors (its affiliated people, its
    /// service accounts), the writes made in what it hosts (networks, communities) and the
    /// writes made to it (affiliations, service accounts). Only what the reader may see
    /// shows: an entry made in a space only to readers of the space, in a community or
    /// network only to those who see it. Its `ORG_ADMIN`s only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, None, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Narrows the log.")] filter: Option<AuditLogFilter>,
    ) -> ApiResult<AuditEntryConnection> {
        let access = access(ctx).await?;
        let Some(admin) = proof::administering(&access, self.0.id) else {
            return Err(ApiError::new(
                Code::Forbidden,
                "only an ORG_ADMIN of this organization may read its audit log",
            ));
        };
        let (first, after) = audit_page_args(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let rc = request(ctx)?;
        let page = rc
            .services()
            .organization_audit_log(&**rc, &access, &admin, &filter, after, first)
            .await?;
        Ok(AuditEntryConnection(page, after.is_some()))
    }
}

/// The `Affiliation` object; see its GraphQL description.
#[derive(Clone)]
pub struct Affiliation {
    row: Arc<model::Affiliation>,
    person: Visible<model::Person>,
}
connection!(
    /// A page of affiliations.
    AffiliationConnection, AffiliationEdge, Affiliation
);

impl Affiliation {
    /// An affiliation of a visible person.
    pub fn new(row: Arc<model::Affiliation>, person: Visible<model::Person>) -> Option<Self> {
        (row.person_id == person.id).then_some(Self { row, person })
    }
}

impl Admit for Affiliation {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Person(person) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<AffiliationId, _, _>(rc, ids, |a| Self::new(a, person.clone())).await
    }
}

/// A person's tie to an organization, visible with the person's profile.
#[Object]
impl Affiliation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Affiliation, self.row.id)
    }

    /// The organization.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        load(ctx, self.row.organization_id)
            .await?
            .map(Organization)
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// The person.
    async fn person(&self) -> Person {
        Person(self.person.clone())
    }

    /// Their role in the organization.
    async fn role(&self) -> OrganizationRole {
        self.row.role.into()
    }

    /// Since when.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}
