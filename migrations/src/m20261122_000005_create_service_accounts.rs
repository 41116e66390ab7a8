use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{NAME, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut accounts = table("service_accounts");
        reference(
            &mut accounts,
            "service_accounts",
            "organization_id",
            "organizations",
        );
        accounts
            .col(string_len("name", NAME))
            .col(string_len("scopes", 255))
            .col(string_len("key_hash", 64));
        reference(&mut accounts, "service_accounts", "created_by", "people");
        accounts
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("revoked_at"));
        create(
            manager,
            vec![accounts],
            vec![
                index("service_accounts", &["organization_id"], false),
                index("service_accounts", &["created_by"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["service_accounts"]).await
    }
}
