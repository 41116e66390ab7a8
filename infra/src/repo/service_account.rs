use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainResult,
    ids::ServiceAccountId,
    model::{Scope, ServiceAccount},
    repo::ServiceAccountRepo,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use super::{Store, convert};
use crate::{
    entity::service_accounts,
    error::{bad_code, db_err},
};

fn account(m: service_accounts::Model) -> DomainResult<(ServiceAccount, String)> {
    let scopes = m
        .scopes
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|code| Scope::from_code(code).ok_or_else(|| bad_code("service_accounts.scopes", code)))
        .collect::<DomainResult<_>>()?;
    Ok((
        ServiceAccount {
            id: m.id.into(),
            organization_id: m.organization_id.into(),
            name: m.name,
            scopes,
            created_by: m.created_by.into(),
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        },
        m.key_hash,
    ))
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
            .map(|m| account(m).map(|(a, _)| a))
            .collect()
    }

    async fn credentials(
        &self,
        id: ServiceAccountId,
    ) -> DomainResult<Option<(ServiceAccount, String)>> {
        service_accounts::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await
            .map_err(db_err)?
            .map(account)
            .transpose()
    }

    async fn create(&self, a: &ServiceAccount, key_hash: &str) -> DomainResult<()> {
        let scopes: Vec<&str> = a.scopes.iter().map(|s| s.code()).collect();
        service_accounts::Entity::insert(service_accounts::ActiveModel {
            id: Set(a.id.uuid()),
            organization_id: Set(a.organization_id.uuid()),
            name: Set(a.name.clone()),
            scopes: Set(scopes.join(",")),
            key_hash: Set(key_hash.to_owned()),
            created_by: Set(a.created_by.uuid()),
            created_at: Set(a.created_at),
            revoked_at: Set(None),
        })
        .exec_without_returning(&self.db)
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
