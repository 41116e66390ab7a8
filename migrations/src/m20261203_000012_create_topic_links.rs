//! The topics threads, assets and events are about.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut links = table("topic_links");
        reference(&mut links, "topic_links", "topic_id", "topics");
        links
            .col(uuid("target_id"))
            .col(string_len("target_kind", CODE))
            .col(integer("position"));
        create(
            manager,
            vec![links],
            vec![
                index("topic_links", &["target_id", "topic_id"], true),
                index("topic_links", &["topic_id", "target_kind"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["topic_links"]).await
    }
}
