use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainResult,
    repo::{PersistedDocument, PersistedQueryRepo},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

use super::Store;
use crate::{entity::persisted_queries as rows, error::db_err};

fn row(hash: &str, document: &str, safelisted: bool) -> rows::ActiveModel {
    rows::ActiveModel {
        hash: Set(hash.to_owned()),
        document: Set(document.to_owned()),
        safelisted: Set(safelisted),
        created_at: Set(Utc::now()),
    }
}

#[async_trait]
impl PersistedQueryRepo for Store {
    async fn find(&self, hash: &str) -> DomainResult<Option<PersistedDocument>> {
        Ok(rows::Entity::find_by_id(hash.to_owned())
            .one(&self.db)
            .await
            .map_err(db_err)?
            .map(|m| PersistedDocument {
                hash: m.hash,
                document: m.document,
                safelisted: m.safelisted,
            }))
    }

    async fn remember(&self, hash: &str, document: &str, max: u64) -> DomainResult<bool> {
        let remembered = rows::Entity::find()
            .filter(rows::Column::Safelisted.eq(false))
            .count(&self.db)
            .await
            .map_err(db_err)?;
        if remembered >= max {
            return Ok(self.find(hash).await?.is_some());
        }
        rows::Entity::insert(row(hash, document, false))
            .on_conflict(
                OnConflict::column(rows::Column::Hash)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(db_err)?;
        Ok(true)
    }

    async fn safelist(&self, hash: &str, document: &str) -> DomainResult<bool> {
        let before = self.find(hash).await?;
        if before.as_ref().is_some_and(|d| d.safelisted) {
            return Ok(false);
        }
        if before.is_some() {
            rows::Entity::update_many()
                .col_expr(rows::Column::Safelisted, Expr::val(true))
                .filter(rows::Column::Hash.eq(hash))
                .exec(&self.db)
                .await
                .map_err(db_err)?;
        } else {
            rows::Entity::insert(row(hash, document, true))
                .on_conflict(
                    OnConflict::column(rows::Column::Hash)
                        .update_column(rows::Column::Safelisted)
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(db_err)?;
        }
        Ok(true)
    }
}
