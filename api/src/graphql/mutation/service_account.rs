use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    auth::ApiKeys,
    ids::{OrganizationId, ServiceAccountId},
    service::NewServiceAccount,
};

use super::{id, name};

use crate::{
    error::{ApiError, ApiResult},
    graphql::{context::write, enums::ServiceAccountScope, ids::Kind, types::ServiceAccount},
};

/// Input of `createServiceAccount`.
#[derive(InputObject)]
pub struct CreateServiceAccountInput {
    /// The organization it will act for; the caller must be one of its `ORG_ADMIN`s.
    pub organization_id: ID,
    /// A label, 1..120 characters.
    pub name: String,
    /// Granted scopes (at least one).
    pub scopes: Vec<ServiceAccountScope>,
}

/// Result of `createServiceAccount`.
#[derive(SimpleObject)]
pub struct CreateServiceAccountPayload {
    /// The new account.
    pub service_account: ServiceAccount,
    /// Its API key, shown this once: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Input of `revokeServiceAccount`.
#[derive(InputObject)]
pub struct RevokeServiceAccountInput {
    /// The account.
    pub service_account_id: ID,
}

/// Result of `revokeServiceAccount`.
#[derive(SimpleObject)]
pub struct RevokeServiceAccountPayload {
    /// The revoked account.
    pub service_account: ServiceAccount,
}

#[derive(Default)]
pub struct ServiceAccountMutations;

#[Object]
impl ServiceAccountMutations {
    /// Creates a service account for an organization and returns its API key once.
    /// `ORG_ADMIN`s of the organization only.
    async fn create_service_account(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceAccountInput,
    ) -> ApiResult<Option<CreateServiceAccountPayload>> {
        let keys = ctx
            .data::<Arc<dyn ApiKeys>>()
            .map_err(|e| ApiError::internal(&e.message))?;
        let organization: OrganizationId =
            id("organizationId", Kind::Organization, &input.organization_id)?;
        let name = name(&input.name)?;
        let account = ServiceAccountId::generate();
        let (token, key_hash) = keys.issue(account)?;
        let new = NewServiceAccount {
            id: account,
            organization_id: organization,
            name,
            scopes: input.scopes.into_iter().map(Into::into).collect(),
            key_hash,
        };
        let created = write(ctx, async |s, a| s.create_service_account(a, new).await).await?;
        Ok(Some(CreateServiceAccountPayload {
            service_account: ServiceAccount(Arc::new(created)),
            token,
        }))
    }

    /// Revokes a service account's key at once. `ORG_ADMIN`s of its organization only.
    async fn revoke_service_account(
        &self,
        ctx: &Context<'_>,
        input: RevokeServiceAccountInput,
    ) -> ApiResult<Option<RevokeServiceAccountPayload>> {
        let account: ServiceAccountId = id(
            "serviceAccountId",
            Kind::ServiceAccount,
            &input.service_account_id,
        )?;
        let revoked = write(ctx, async |s, a| s.revoke_service_account(a, account).await).await?;
        Ok(Some(RevokeServiceAccountPayload {
            service_account: ServiceAccount(Arc::new(revoked)),
        }))
    }
}
