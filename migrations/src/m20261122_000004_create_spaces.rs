use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, SLUG, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut spaces = table("spaces");
        reference(&mut spaces, "spaces", "community_id", "communities");
        spaces
            .col(string_len("slug", SLUG))
            .col(string_len("name", NAME))
            .col(text("description"))
            .col(string_len("visibility", CODE))
            .col(timestamp_with_time_zone("created_at"));

        let mut members = table("space_members");
        reference(&mut members, "space_members", "space_id", "spaces");
        reference(&mut members, "space_members", "person_id", "people");
        members.col(timestamp_with_time_zone("created_at"));

        create(
            manager,
            vec![spaces, members],
            vec![
                index("spaces", &["community_id", "slug"], true),
                index("spaces", &["community_id", "visibility"], false),
                index("space_members", &["space_id", "person_id"], true),
                index("space_members", &["person_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["space_members", "spaces"]).await
    }
}
