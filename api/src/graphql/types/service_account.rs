use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::model;

use super::{Organization, batch};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::connection,
        context::load,
        enums::ServiceAccountScope,
        ids::{Kind, encode},
    },
};

/// The `ServiceAccount` object; see its GraphQL description.
#[derive(Clone)]
pub struct ServiceAccount(pub model::ServiceAccount);
batch!(ServiceAccount, copnet_domain::ids::ServiceAccountId);
connection!(
    /// A page of service accounts.
    ServiceAccountConnection, ServiceAccountEdge, ServiceAccount
);

/// A partner organization's integration. It authenticates with an API key
/// (`Authorization: Bearer cpk_...`), acts for one organization with explicit scopes, sees
/// public data plus what its organization hosts, and never acts as a person. Visible to the
/// organization's admins and to itself.
#[Object]
impl ServiceAccount {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::ServiceAccount, self.0.id)
    }

    /// A label chosen by the organization's admins.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The organization it acts for.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        load(ctx, self.0.organization_id)
            .await?
            .map(Organization)
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// Granted scopes.
    async fn scopes(&self) -> Vec<ServiceAccountScope> {
        self.0.scopes.iter().copied().map(Into::into).collect()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its key was revoked; null while it is active.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}
