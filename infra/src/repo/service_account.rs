use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainResult,
    ids::{ServiceAccountId, ServiceAccountKeyId},
    model::{Scope, ServiceAccount, ServiceAccountKey},
    repo::{Credentials, ServiceAccountRepo},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait, sea_query::Expr,
};

use super::{Store, convert};
use crate::{
    entity::{service_account_keys as keys, service_accounts},
    error::{bad_code, db_err},
};

fn account(m: service_accounts::Model) -> DomainResult<ServiceAccount> {
    let scopes = m
        .scopes
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|code| Scope::from_code(code).ok_or_else(|| bad_code("service_accounts.scopes", code)))
        .collect::<DomainResult<_>>()?;
    Ok(ServiceAccount {
        id: m.id.into(),
        organization_id: m.organization_id.into(),
        name: m.name,
        scopes,
        created_by: m.created_by.into(),
        created_at: m.created_at,
        revoked_at: m.revoked_at,
        last_used_at: m.last_used_at,
    })
}

fn key(m: &keys::Model) -> ServiceAccountKey {
    ServiceAccountKey {
        id: m.id.into(),
        service_account_id: m.service_account_id.into(),
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
    }
}

fn key_row(k: &ServiceAccountKey, hash: &str) -> keys::ActiveModel {
    keys::ActiveModel {
        id: Set(k.id.uuid()),
        service_account_id: Set(k.service_account_id.uuid()),
        key_hash: Set(hash.to_owned()),
        created_at: Set(k.created_at),
        expires_at: Set(k.expires_at),
        last_used_at: Set(None),
    }
}

/// Keys that still authenticate at `at`.
fn live_at(at: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(keys::Column::ExpiresAt.is_null())
        .add(keys::Column::ExpiresAt.gt(at))
}

#[async_trait]
impl ServiceAccountRepo for Store {
    async fn by_ids(&self, ids: &[ServiceAccountId]) -> DomainResult<Vec<ServiceAccount>> {
        service_accounts::Entity::find()
            .filter(self.sql().one_of(
                service_accounts::Column::Id.into_expr(),
                convert::uuids(ids),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(account)
            .collect()
    }

    async fn credentials(&self, id: ServiceAccountKeyId) -> DomainResult<Option<Credentials>> {
        let Some(k) = keys::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let Some(a) = service_accounts::Entity::find_by_id(k.service_account_id)
            .one(&self.db)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            account: account(a)?,
            key: key(&k),
            key_hash: k.key_hash,
        }))
    }

    async fn create(
        &self,
        a: &ServiceAccount,
        k: &ServiceAccountKey,
        key_hash: &str,
    ) -> DomainResult<()> {
        let scopes: Vec<&str> = a.scopes.iter().map(|s| s.code()).collect();
        let txn = self.db.begin().await.map_err(db_err)?;
        service_accounts::Entity::insert(service_accounts::ActiveModel {
            id: Set(a.id.uuid()),
            organization_id: Set(a.organization_id.uuid()),
            name: Set(a.name.clone()),
            scopes: Set(scopes.join(",")),
            created_by: Set(a.created_by.uuid()),
            created_at: Set(a.created_at),
            revoked_at: Set(None),
            last_used_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        keys::Entity::insert(key_row(k, key_hash))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn rotate(
        &self,
        k: &ServiceAccountKey,
        key_hash: &str,
        others_until: DateTime<Utc>,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        keys::Entity::update_many()
            .col_expr(keys::Column::ExpiresAt, Expr::val(Some(others_until)))
            .filter(keys::Column::ServiceAccountId.eq(k.service_account_id.uuid()))
            .filter(live_at(others_until))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        keys::Entity::insert(key_row(k, key_hash))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn active_keys(
        &self,
        ids: &[ServiceAccountId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<ServiceAccountId, Vec<ServiceAccountKey>>> {
        let rows = keys::Entity::find()
            .filter(self.sql().one_of(
                keys::Column::ServiceAccountId.into_expr(),
                convert::uuids(ids),
            ))
            .filter(live_at(now))
            .order_by_asc(keys::Column::CreatedAt)
            .order_by_asc(keys::Column::Id)
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let mut out: HashMap<ServiceAccountId, Vec<ServiceAccountKey>> = HashMap::new();
        for row in &rows {
            out.entry(row.service_account_id.into())
                .or_default()
                .push(key(row));
        }
        Ok(out)
    }

    async fn touch(&self, k: &ServiceAccountKey, at: DateTime<Utc>) -> DomainResult<()> {
        keys::Entity::update_many()
            .col_expr(keys::Column::LastUsedAt, Expr::val(Some(at)))
            .filter(keys::Column::Id.eq(k.id.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        service_accounts::Entity::update_many()
            .col_expr(service_accounts::Column::LastUsedAt, Expr::val(Some(at)))
            .filter(service_accounts::Column::Id.eq(k.service_account_id.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn revoke(&self, id: ServiceAccountId, at: DateTime<Utc>) -> DomainResult<()> {
        service_accounts::Entity::update_many()
            .col_expr(service_accounts::Column::RevokedAt, Expr::val(Some(at)))
            .filter(service_accounts::Column::Id.eq(id.uuid()))
            .filter(service_accounts::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
