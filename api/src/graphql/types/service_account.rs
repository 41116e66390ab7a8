use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{AccessSet, ids::ServiceAccountId, model, policy::proof};
use uuid::Uuid;

use super::Organization;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{Admit, Under, admit_each, connection},
        context::{RequestContext, load},
        enums::ServiceAccountScope,
        ids::{Kind, encode},
        loaders::KeysOf,
    },
};

/// The `ServiceAccount` object; see its GraphQL description.
#[derive(Clone)]
pub struct ServiceAccount(pub Arc<model::ServiceAccount>);
connection!(
    /// A page of service accounts.
    ServiceAccountConnection, ServiceAccountEdge, ServiceAccount
);

impl ServiceAccount {
    /// Whether the caller may see the account: it is the account itself, or administers its
    /// organization.
    pub fn visible_to(access: &AccessSet, account: &model::ServiceAccount) -> bool {
        access
            .service_account
            .as_ref()
            .is_some_and(|sa| sa.id == account.id)
            || proof::administering(access, account.organization_id).is_some()
    }

    /// The account with this id, if the caller may see it.
    pub async fn find(
        rc: &RequestContext,
        access: &AccessSet,
        id: ServiceAccountId,
    ) -> ApiResult<Option<Self>> {
        Ok(rc
            .load(id)
            .await?
            .filter(|a| Self::visible_to(access, a))
            .map(Self))
    }
}

impl Admit for ServiceAccount {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Administering(admin) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<ServiceAccountId, _, _>(rc, ids, |a: Arc<model::ServiceAccount>| {
            (a.organization_id == admin.id()).then_some(Self(a))
        })
        .await
    }
}

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

    /// When it was revoked (every key with it); null while it is active.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// When one of its keys last authenticated a request (recorded at most once a minute);
    /// null if never.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// Its keys that authenticate now, oldest first (at most five: a rotation's grace period
    /// keeps old keys beside the new one). Empty once revoked. The tokens themselves are
    /// never shown again.
    async fn keys(&self, ctx: &Context<'_>) -> ApiResult<Vec<ServiceAccountKey>> {
        if self.0.revoked_at.is_some() {
            return Ok(Vec::new());
        }
        let keys: Vec<model::ServiceAccountKey> =
            load(ctx, KeysOf(self.0.id)).await?.unwrap_or_default();
        Ok(keys.into_iter().map(ServiceAccountKey).collect())
    }
}

/// One API key of a service account (its token is shown only when issued).
pub struct ServiceAccountKey(model::ServiceAccountKey);

/// One API key of a service account. The token (`cpk_<key id>_<secret>`) was shown once,
/// when issued; only a hash of its secret is stored.
#[Object]
impl ServiceAccountKey {
    /// The key's id: the part of the token after `cpk_` and before the next `_` (a UUID
    /// without dashes).
    async fn key_id(&self) -> String {
        self.0.id.uuid().simple().to_string()
    }

    /// When it was issued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it stops authenticating; null if it lasts until rotated out or revoked.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// When it last authenticated a request (recorded at most once a minute); null if never.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}
