//! The practice of a community: charter revisions, the lifecycle history, events with their
//! cancelled occurrences and answers.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, create, drop, index, optional_reference, reference, table};

/// Longest stored event title.
const TITLE: u32 = 200;
/// Longest stored IANA time zone name.
const ZONE: u32 = 64;

/// A nullable UUID column referencing `target.id`, deleted with its target (an event belongs
/// to a community or to a cluster).
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
        let mut charters = table("charters");
        reference(&mut charters, "charters", "community_id", "communities");
        charters
            .col(integer("revision"))
            .col(text("domain"))
            .col(text("goals"))
            .col(text("audience"))
            .col(text("out_of_scope"))
            .col(text("outputs"))
            .col(text("governance"))
            .col(string_len("meeting_rhythm", CODE))
            .col(string_len("newsletter_cadence", CODE))
            .col(string_len("reporting_cadence", CODE));
        optional_reference(&mut charters, "charters", "author_id", "people");
        charters.col(timestamp_with_time_zone("created_at"));

        let mut stages = table("stage_changes");
        reference(&mut stages, "stage_changes", "community_id", "communities");
        stages
            .col(string_len("from_stage", CODE))
            .col(string_len("to_stage", CODE));
        optional_reference(&mut stages, "stage_changes", "actor_id", "people");
        stages.col(timestamp_with_time_zone("created_at"));

        let mut events = table("events");
        optional_owner(&mut events, "events", "community_id", "communities");
        optional_owner(&mut events, "events", "cluster_id", "clusters");
        optional_owner(&mut events, "events", "space_id", "spaces");
        events
            .col(string_len("title", TITLE))
            .col(text("description"))
            .col(string_len("format", CODE))
            .col(string_len("mode", CODE))
            .col(timestamp_with_time_zone("starts_at"))
            .col(timestamp_with_time_zone("ends_at"))
            .col(string_len("time_zone", ZONE))
            .col(text_null("recurrence"))
            .col(timestamp_with_time_zone_null("last_ends_at"))
            .col(text("location"))
            .col(text("join_url"))
            .col(integer_null("capacity"));
        reference(&mut events, "events", "created_by", "people");
        events
            .col(boolean("cancelled"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"));

        let mut cancellations = table("event_cancellations");
        reference(
            &mut cancellations,
            "event_cancellations",
            "event_id",
            "events",
        );
        cancellations.col(timestamp_with_time_zone("occurrence_start"));

        let mut rsvps = table("rsvps");
        reference(&mut rsvps, "rsvps", "event_id", "events");
        rsvps.col(timestamp_with_time_zone("occurrence_start"));
        reference(&mut rsvps, "rsvps", "person_id", "people");
        rsvps
            .col(string_len("response", CODE))
            .col(timestamp_with_time_zone_null("going_since"))
            .col(timestamp_with_time_zone("updated_at"));

        create(
            manager,
            vec![charters, stages, events, cancellations, rsvps],
            vec![
                index("charters", &["community_id", "revision"], true),
                index("charters", &["author_id"], false),
                index("stage_changes", &["community_id"], false),
                index("stage_changes", &["actor_id"], false),
                index("events", &["community_id", "starts_at"], false),
                index("events", &["space_id", "starts_at"], false),
                index("events", &["cluster_id", "starts_at"], false),
                index("events", &["community_id", "format"], false),
                index("events", &["created_by"], false),
                index(
                    "event_cancellations",
                    &["event_id", "occurrence_start"],
                    true,
                ),
                index(
                    "rsvps",
                    &["event_id", "occurrence_start", "person_id"],
                    true,
                ),
                index("rsvps", &["person_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "rsvps",
                "event_cancellations",
                "events",
                "stage_changes",
                "charters",
            ],
        )
        .await
    }
}
