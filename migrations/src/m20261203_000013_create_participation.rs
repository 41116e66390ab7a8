//! Participation circles: daily activity counters per member, each member's circle state,
//! the record of moves between circles, and each community's circle settings.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per member and UTC day (days since 1970-01-01) they did something.
        let mut days = table("activity_days");
        reference(&mut days, "activity_days", "community_id", "communities");
        reference(&mut days, "activity_days", "person_id", "people");
        days.col(integer("day"))
            .col(integer("posts"))
            .col(integer("replies"))
            .col(integer("reactions"))
            .col(integer("rsvps"))
            .col(integer("assets"));

        let mut states = table("circle_states");
        reference(&mut states, "circle_states", "membership_id", "memberships");
        reference(&mut states, "circle_states", "community_id", "communities");
        states
            .col(string_len("circle", CODE))
            .col(timestamp_with_time_zone("since"))
            .col(boolean("core"))
            .col(timestamp_with_time_zone_null("inner_until"))
            .col(timestamp_with_time_zone("joined_at"));

        let mut moves = table("circle_moves");
        reference(&mut moves, "circle_moves", "community_id", "communities");
        reference(&mut moves, "circle_moves", "person_id", "people");
        moves
            .col(string_len("from_circle", CODE))
            .col(string_len("to_circle", CODE))
            .col(timestamp_with_time_zone("at"));

        let mut settings = table("circle_settings");
        reference(
            &mut settings,
            "circle_settings",
            "community_id",
            "communities",
        );
        settings
            .col(integer("window_days"))
            .col(integer("inner_threshold"))
            .col(integer("new_days"))
            .col(timestamp_with_time_zone("updated_at"));

        create(
            manager,
            vec![days, states, moves, settings],
            vec![
                index("activity_days", &["community_id", "person_id", "day"], true),
                index("activity_days", &["community_id", "day"], false),
                index("circle_states", &["membership_id"], true),
                index("circle_states", &["community_id"], false),
                index("circle_moves", &["community_id", "at"], false),
                index("circle_settings", &["community_id"], true),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "circle_settings",
                "circle_moves",
                "circle_states",
                "activity_days",
            ],
        )
        .await
    }
}
