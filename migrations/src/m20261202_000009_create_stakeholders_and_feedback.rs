//! A community's stakeholders, and members' feedback on communities and events.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, create, drop, index, optional_reference, reference, table};

fn optional_owner(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    target: &'static str,
) {
    table.col(uuid_null(column)).foreign_key(
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(from, column)
            .to(target, "id")
            .on_delete(ForeignKeyAction::Cascade),
    );
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut stakeholders = table("stakeholders");
        reference(
            &mut stakeholders,
            "stakeholders",
            "community_id",
            "communities",
        );
        stakeholders.col(string_len("name", NAME));
        optional_reference(
            &mut stakeholders,
            "stakeholders",
            "organization_id",
            "organizations",
        );
        stakeholders
            .col(string_len("role", CODE))
            .col(text("interest"))
            .col(string_len("reporting_cadence", CODE))
            .col(timestamp_with_time_zone("created_at"));

        let mut feedback = table("feedback");
        optional_owner(&mut feedback, "feedback", "community_id", "communities");
        optional_owner(&mut feedback, "feedback", "event_id", "events");
        feedback.col(uuid("target_id"));
        reference(&mut feedback, "feedback", "person_id", "people");
        feedback
            .col(integer("rating"))
            .col(text("comment"))
            .col(timestamp_with_time_zone("updated_at"));

        create(
            manager,
            vec![stakeholders, feedback],
            vec![
                index("stakeholders", &["community_id"], false),
                index("stakeholders", &["organization_id"], false),
                index("feedback", &["target_id", "person_id"], true),
                index("feedback", &["community_id"], false),
                index("feedback", &["event_id"], false),
                index("feedback", &["person_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["feedback", "stakeholders"]).await
    }
}
