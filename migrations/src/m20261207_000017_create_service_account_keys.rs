//! Service accounts hold several keys: each key has its own id (the token names it), expiry
//! and last use, so that a key can be rotated with a grace period. Existing keys move over
//! with their account's id as key id, so tokens already handed out keep working.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut keys = table("service_account_keys");
        reference(
            &mut keys,
            "service_account_keys",
            "service_account_id",
            "service_accounts",
        );
        keys.col(string_len("key_hash", 64))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("expires_at"))
            .col(timestamp_with_time_zone_null("last_used_at"));
        create(
            manager,
            vec![keys],
            vec![index(
                "service_account_keys",
                &["service_account_id"],
                false,
            )],
        )
        .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO service_account_keys (id, service_account_id, key_hash, created_at) \
                 SELECT id, id, key_hash, created_at FROM service_accounts",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("service_accounts")
                    .drop_column("key_hash")
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("service_accounts")
                    .add_column(timestamp_with_time_zone_null("last_used_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Only each account's first key (the one named by the account's id) survives.
        manager
            .alter_table(
                Table::alter()
                    .table("service_accounts")
                    .drop_column("last_used_at")
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("service_accounts")
                    .add_column(string_len("key_hash", 64).default(""))
                    .take(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE service_accounts SET key_hash = COALESCE((SELECT k.key_hash \
                 FROM service_account_keys k WHERE k.id = service_accounts.id), '')",
            )
            .await?;
        drop(manager, &["service_account_keys"]).await
    }
}
