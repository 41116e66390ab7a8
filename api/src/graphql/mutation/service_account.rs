use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    auth::ApiKeys,
    ids::{OrganizationId, ServiceAccountId, ServiceAccountKeyId},
    service::{KeyRotation, NewKey, NewServiceAccount},
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
    /// When its key stops authenticating (in the future); without it the key lasts until
    /// rotated out or the account is revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Result of `createServiceAccount`.
#[derive(SimpleObject)]
pub struct CreateServiceAccountPayload {
    /// The new account.
    pub service_account: ServiceAccount,
    /// Its API key, shown this once: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Input of `rotateServiceAccountKey`.
#[derive(InputObject)]
pub struct RotateServiceAccountKeyInput {
    /// The account; the caller must be an `ORG_ADMIN` of its organization.
    pub service_account_id: ID,
    /// How long its current keys keep working beside the new one, 0..2592000 (30 days);
    /// `0` ends them at once. A key that would expire sooner keeps its expiry.
    pub grace_seconds: i32,
    /// When the new key stops authenticating (in the future); without it the key lasts until
    /// rotated out or the account is revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Result of `rotateServiceAccountKey`.
#[derive(SimpleObject)]
pub struct RotateServiceAccountKeyPayload {
    /// The account.
    pub service_account: ServiceAccount,
    /// The new API key, shown this once: send it as `Authorization: Bearer <token>`.
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
        let organization: OrganizationId =
            id("organizationId", Kind::Organization, &input.organization_id)?;
        let name = name(&input.name)?;
        let (token, key) = new_key(ctx, input.expires_at)?;
        let new = NewServiceAccount {
            organization_id: organization,
            name,
            scopes: input.scopes.into_iter().map(Into::into).collect(),
            key,
        };
        let created = write(ctx, async |s, a| s.create_service_account(a, new).await).await?;
        Ok(Some(CreateServiceAccountPayload {
            service_account: ServiceAccount(Arc::new(created)),
            token,
        }))
    }

    /// Issues a new API key for a service account and returns it once; its current keys keep
    /// working for `graceSeconds`, so that an integration can switch without downtime. Open
    /// WebSocket connections on an old key close when it ends. `ORG_ADMIN`s of its
    /// organization only; at most five keys of one account authenticate at once.
    async fn rotate_service_account_key(
        &self,
        ctx: &Context<'_>,
        input: RotateServiceAccountKeyInput,
    ) -> ApiResult<Option<RotateServiceAccountKeyPayload>> {
        let account: ServiceAccountId = id(
            "serviceAccountId",
            Kind::ServiceAccount,
            &input.service_account_id,
        )?;
        let (token, key) = new_key(ctx, input.expires_at)?;
        let rotation = KeyRotation {
            account,
            key,
            grace_seconds: i64::from(input.grace_seconds),
        };
        let (rotated, _) = write(ctx, async |s, a| {
            s.rotate_service_account_key(a, rotation).await
        })
        .await?;
        Ok(Some(RotateServiceAccountKeyPayload {
            service_account: ServiceAccount(Arc::new(rotated)),
            token,
        }))
    }

    /// Revokes a service account (every key of it) at once. `ORG_ADMIN`s of its organization
    /// only.
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

/// A fresh key: the token to show once and what the service stores.
fn new_key(ctx: &Context<'_>, expires_at: Option<DateTime<Utc>>) -> ApiResult<(String, NewKey)> {
    let keys = ctx
        .data::<Arc<dyn ApiKeys>>()
        .map_err(|e| ApiError::internal(&e.message))?;
    let id = ServiceAccountKeyId::generate();
    let (token, hash) = keys.issue(id)?;
    Ok((
        token,
        NewKey {
            id,
            hash,
            expires_at,
        },
    ))
}
