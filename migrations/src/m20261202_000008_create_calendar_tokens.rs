//! Calendar feed tokens: a calendar application cannot send headers, so a person's feeds are
//! read with a secret in the URL. Only its hash is stored.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut tokens = table("calendar_tokens");
        reference(&mut tokens, "calendar_tokens", "person_id", "people");
        tokens
            .col(string_len("secret_hash", 64))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("revoked_at"));
        create(
            manager,
            vec![tokens],
            vec![index("calendar_tokens", &["person_id"], false)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["calendar_tokens"]).await
    }
}
