use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    auth::ApiKeys,
    error::{DomainError, DomainResult},
    event::Event,
    ids::{OrganizationId, ServiceAccountId, ServiceAccountKeyId},
    model::{MAX_ACTIVE_KEYS, MAX_ROTATION_GRACE_SECS, Scope, ServiceAccount, ServiceAccountKey},
    policy::write,
    repo::Credentials,
    values::Name,
};

/// How often a key's last use is recorded at most.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A key made by the caller, which hands its token to the admin once.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The key's id (the token names it).
    pub id: ServiceAccountKeyId,
    /// Hash of its secret.
    pub hash: String,
    /// When it stops authenticating; `None` lasts until revoked or rotated.
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewKey {
    /// The key as stored for `account`, issued at `now`.
    fn issued(&self, account: ServiceAccountId, now: DateTime<Utc>) -> ServiceAccountKey {
        ServiceAccountKey {
            id: self.id,
            service_account_id: account,
            created_at: now,
            expires_at: self.expires_at,
            last_used_at: None,
        }
    }
}

/// Input of `create_service_account`.
#[derive(Debug, Clone)]
pub struct NewServiceAccount {
    /// The organization it acts for.
    pub organization_id: OrganizationId,
    /// A label.
    pub name: Name,
    /// Granted scopes (at least one).
    pub scopes: BTreeSet<Scope>,
    /// Its first key.
    pub key: NewKey,
}

/// Input of `rotate_service_account_key`.
#[derive(Debug, Clone)]
pub struct KeyRotation {
    /// Whose key.
    pub account: ServiceAccountId,
    /// The new key.
    pub key: NewKey,
    /// How long the account's other keys keep working (0..=30 days).
    pub grace_seconds: i64,
}

fn check_expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DomainResult<()> {
    match expires_at {
        Some(at) if at <= now => Err(DomainError::invalid("expiresAt", "must be in the future")),
        _ => Ok(()),
    }
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
        let now = Utc::now();
        check_expiry(input.key.expires_at, now)?;
        let account = ServiceAccount {
            id: ServiceAccountId::generate(),
            organization_id: org.id,
            name: input.name.into_inner(),
            scopes: input.scopes,
            created_by: person,
            created_at: now,
            revoked_at: None,
            last_used_at: None,
        };
        let key = input.key.issued(account.id, now);
        self.repos
            .service_accounts
            .create(&account, &key, &input.key.hash)
            .await?;
        Ok(account)
    }

    /// An `ORG_ADMIN` of its organization issues a new key for an unrevoked service account;
    /// its other keys keep working for the grace period (never longer than they would have).
    /// For anyone else the account does not exist.
    #[instrument(skip_all)]
    pub async fn rotate_service_account_key(
        &self,
        access: &AccessSet,
        input: KeyRotation,
    ) -> DomainResult<(ServiceAccount, ServiceAccountKey)> {
        access.require_person()?;
        let account = self.administered_account(access, input.account).await?;
        if account.revoked_at.is_some() {
            return Err(DomainError::Conflict(
                "the service account is revoked; create a new one".into(),
            ));
        }
        if !(0..=MAX_ROTATION_GRACE_SECS).contains(&input.grace_seconds) {
            return Err(DomainError::invalid(
                "graceSeconds",
                "must be between 0 and 2592000 (30 days)",
            ));
        }
        let now = Utc::now();
        check_expiry(input.key.expires_at, now)?;
        let others_until = now + Duration::seconds(input.grace_seconds);
        let live = self
            .repos
            .service_accounts
            .active_keys(&[account.id], now)
            .await?
            .remove(&account.id)
            .unwrap_or_default();
        if live.len() >= MAX_ACTIVE_KEYS {
            return Err(DomainError::Conflict(format!(
                "at most {MAX_ACTIVE_KEYS} keys may authenticate at once; wait for a grace \
                 period to end"
            )));
        }
        let key = input.key.issued(account.id, now);
        self.repos
            .service_accounts
            .rotate(&key, &input.key.hash, others_until)
            .await?;
        self.publish([Event::CredentialChanged {
            account: account.id,
        }])
        .await;
        Ok((account, key))
    }

    /// The account whose key this is, when the key authenticates now and matches the
    /// secret; a use is recorded on the way (at most once a minute).
    #[instrument(skip_all)]
    pub async fn authenticate_api_key(
        &self,
        keys: &dyn ApiKeys,
        key: ServiceAccountKeyId,
        secret: &str,
    ) -> DomainResult<Option<(ServiceAccount, ServiceAccountKey)>> {
        let now = Utc::now();
        let Some(found) = self.live_key(key, now).await? else {
            return Ok(None);
        };
        if !keys.matches(secret, &found.key_hash) {
            return Ok(None);
        }
        if found
            .key
            .last_used_at
            .is_none_or(|at| now - at >= TOUCH_EVERY)
        {
            self.repos.service_accounts.touch(&found.key, now).await?;
        }
        Ok(Some((found.account, found.key)))
    }

    /// A key that authenticates now (its account unrevoked), as stored at this moment: an
    /// open connection checks it again when told the account's keys changed.
    pub async fn active_api_key(
        &self,
        key: ServiceAccountKeyId,
    ) -> DomainResult<Option<ServiceAccountKey>> {
        Ok(self.live_key(key, Utc::now()).await?.map(|c| c.key))
    }

    async fn live_key(
        &self,
        key: ServiceAccountKeyId,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<Credentials>> {
        Ok(self
            .repos
            .service_accounts
            .credentials(key)
            .await?
            .filter(|c| c.account.revoked_at.is_none() && c.key.is_active(now)))
    }

    /// The account, when the caller administers its organization; otherwise it does not
    /// exist.
    async fn administered_account(
        &self,
        access: &AccessSet,
        id: ServiceAccountId,
    ) -> DomainResult<ServiceAccount> {
        let account = self
            .repos
            .service_accounts
            .by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("service account"))?;
        // Another organization's accounts are hidden, not forbidden.
        write::require_org_admin(access, account.organization_id, "manage service accounts")
            .map_err(|_| DomainError::NotFound("service account"))?;
        Ok(account)
    }

    /// An `ORG_ADMIN` of its organization revokes a service account (all its keys). For anyone else
    /// the account does not exist.
    #[instrument(skip_all)]
    pub async fn revoke_service_account(
        &self,
        access: &AccessSet,
        id: ServiceAccountId,
    ) -> DomainResult<ServiceAccount> {
        access.require_person()?;
        let account = self.administered_account(access, id).await?;
        let at = account.revoked_at.unwrap_or_else(Utc::now);
        self.repos.service_accounts.revoke(id, at).await?;
        self.publish([Event::CredentialChanged { account: id }])
            .await;
        Ok(ServiceAccount {
            revoked_at: Some(at),
            ..account
        })
    }
}
