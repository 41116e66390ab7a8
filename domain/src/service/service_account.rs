use std::collections::BTreeSet;

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::Event,
    ids::{OrganizationId, ServiceAccountId},
    model::{Scope, ServiceAccount},
    policy::write,
    values::Name,
};

/// Input of `create_service_account`. The id and the key hash are made by the caller, which
/// hands the key itself to the admin once.
#[derive(Debug, Clone)]
pub struct NewServiceAccount {
    /// The account's id (the key names it).
    pub id: ServiceAccountId,
    /// The organization it acts for.
    pub organization_id: OrganizationId,
    /// A label.
    pub name: Name,
    /// Granted scopes (at least one).
    pub scopes: BTreeSet<Scope>,
    /// Hash of its API key.
    pub key_hash: String,
}

impl Services {
    /// An `ORG_ADMIN` (a person) creates a service account for their organization.
    #[instrument(skip_all)]
    pub async fn create_service_account(
        &self,
        access: &AccessSet,
        input: NewServiceAccount,
    ) -> DomainResult<ServiceAccount> {
        let person = access.require_person()?;
        let org = self.organization(input.organization_id).await?;
        write::require_org_admin(access, org.id, "create service accounts")?;
        if input.scopes.is_empty() {
            return Err(DomainError::invalid("scopes", "grant at least one scope"));
        }
        let account = ServiceAccount {
            id: input.id,
            organization_id: org.id,
            name: input.name.into_inner(),
            scopes: input.scopes,
            created_by: person,
            created_at: Utc::now(),
            revoked_at: None,
        };
        self.repos
            .service_accounts
            .create(&account, &input.key_hash)
            .await?;
        Ok(account)
    }

    /// An `ORG_ADMIN` of its organization revokes a service account's key. For anyone else
    /// the account does not exist.
    #[instrument(skip_all)]
    pub async fn revoke_service_account(
        &self,
        access: &AccessSet,
        id: ServiceAccountId,
    ) -> DomainResult<ServiceAccount> {
        access.require_person()?;
        let account = self
            .repos
            .service_accounts
            .by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("service account"))?;
        // Another organization's accounts are hidden, not forbidden.
        if write::require_org_admin(access, account.organization_id, "revoke service accounts")
            .is_err()
        {
            return Err(DomainError::NotFound("service account"));
        }
        let at = account.revoked_at.unwrap_or_else(Utc::now);
        self.repos.service_accounts.revoke(id, at).await?;
        self.publish([Event::CredentialRevoked { account: id }])
            .await;
        Ok(ServiceAccount {
            revoked_at: Some(at),
            ..account
        })
    }
}
