use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, SLUG, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let organizations = table("organizations")
            .col(string_len("slug", SLUG))
            .col(string_len("name", NAME))
            .col(timestamp_with_time_zone("created_at"))
            .take();
        let people = table("people")
            .col(string_len("subject", 255))
            .col(string_len("display_name", NAME))
            .col(string_len_null("email", 320))
            .col(timestamp_with_time_zone("created_at"))
            .take();
        let mut affiliations = table("affiliations");
        reference(&mut affiliations, "affiliations", "person_id", "people");
        reference(
            &mut affiliations,
            "affiliations",
            "organization_id",
            "organizations",
        );
        affiliations
            .col(string_len("role", CODE))
            .col(timestamp_with_time_zone("created_at"));
        create(
            manager,
            vec![organizations, people, affiliations],
            vec![
                index("organizations", &["slug"], true),
                index("people", &["subject"], true),
                index("affiliations", &["person_id", "organization_id"], true),
                index("affiliations", &["organization_id", "role"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["affiliations", "people", "organizations"]).await
    }
}
