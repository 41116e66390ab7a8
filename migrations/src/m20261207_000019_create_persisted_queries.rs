//! Persisted GraphQL documents, by the SHA-256 of their text: remembered automatically (APQ)
//! or registered on the safelist by `copnet persisted add`. Shared by every replica.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::drop;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("persisted_queries")
                    .col(string_len("hash", 64).primary_key())
                    .col(text("document"))
                    .col(boolean("safelisted"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["persisted_queries"]).await
    }
}
