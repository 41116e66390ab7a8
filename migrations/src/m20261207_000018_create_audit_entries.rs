//! The audit log: one row per write, kept when what it names is gone (no foreign keys).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{create, drop, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut entries = table("audit_entries");
        entries
            .col(timestamp_with_time_zone("at"))
            .col(string_len("request_id", 128))
            .col(uuid_null("actor_person_id"))
            .col(uuid_null("actor_service_account_id"))
            .col(boolean("as_platform_admin"))
            .col(string_len("action", 64))
            .col(string_len_null("target_kind", 32))
            .col(uuid_null("target_id"))
            .col(uuid_null("network_id"))
            .col(uuid_null("cluster_id"))
            .col(uuid_null("community_id"))
            .col(uuid_null("space_id"))
            .col(uuid_null("organization_id"));
        create(
            manager,
            vec![entries],
            [
                "community_id",
                "network_id",
                "organization_id",
                "actor_person_id",
                "actor_service_account_id",
            ]
            .into_iter()
            .map(|column| index("audit_entries", &[column, "id"], false))
            .collect(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["audit_entries"]).await
    }
}
