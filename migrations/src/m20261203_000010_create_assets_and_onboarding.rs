//! Knowledge assets with their versions, tags, review rounds and links to events; a
//! community's onboarding steps and the steps its members completed by hand.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, SLUG, create, drop, index, optional_reference, reference, table};

/// Longest stored asset title.
const TITLE: u32 = 200;
/// Longest stored tag.
const TAG: u32 = 40;

fn content(table: &mut TableCreateStatement) {
    table
        .col(string_len("title", TITLE))
        .col(text("summary"))
        .col(text("body"))
        .col(text("body_html"))
        .col(text_null("url"))
        .col(text("tags"));
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut assets = table("assets");
        reference(&mut assets, "assets", "community_id", "communities");
        reference(&mut assets, "assets", "space_id", "spaces");
        optional_reference(&mut assets, "assets", "author_id", "people");
        assets
            .col(string_len("kind", CODE))
            .col(string_len("status", CODE));
        content(&mut assets);
        assets
            .col(integer("version"))
            .col(integer("review_round"))
            .col(timestamp_with_time_zone_null("published_at"))
            .col(timestamp_with_time_zone_null("retired_at"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"));

        let mut tags = table("asset_tags");
        reference(&mut tags, "asset_tags", "asset_id", "assets");
        tags.col(string_len("tag", TAG));

        let mut versions = table("asset_versions");
        reference(&mut versions, "asset_versions", "asset_id", "assets");
        versions.col(integer("version"));
        content(&mut versions);
        optional_reference(&mut versions, "asset_versions", "author_id", "people");
        versions.col(timestamp_with_time_zone("created_at"));

        let mut reviews = table("asset_reviews");
        reference(&mut reviews, "asset_reviews", "asset_id", "assets");
        reviews.col(integer("round")).col(integer("position"));
        reference(&mut reviews, "asset_reviews", "reviewer_id", "people");
        reviews
            .col(string_len_null("decision", CODE))
            .col(text("comment"))
            .col(timestamp_with_time_zone("requested_at"))
            .col(timestamp_with_time_zone_null("decided_at"));

        let mut outputs = table("event_outputs");
        reference(&mut outputs, "event_outputs", "event_id", "events");
        reference(&mut outputs, "event_outputs", "asset_id", "assets");
        optional_reference(&mut outputs, "event_outputs", "linked_by", "people");
        outputs.col(timestamp_with_time_zone("created_at"));

        let mut steps = table("onboarding_steps");
        reference(
            &mut steps,
            "onboarding_steps",
            "community_id",
            "communities",
        );
        steps
            .col(integer("position"))
            .col(string_len("step_key", SLUG))
            .col(string_len("title", NAME))
            .col(text("description"))
            .col(string_len("kind", CODE));

        let mut done = table("onboarding_completions");
        reference(
            &mut done,
            "onboarding_completions",
            "community_id",
            "communities",
        );
        reference(&mut done, "onboarding_completions", "person_id", "people");
        done.col(string_len("step_key", SLUG))
            .col(timestamp_with_time_zone("completed_at"));

        create(
            manager,
            vec![assets, tags, versions, reviews, outputs, steps, done],
            vec![
                index("assets", &["space_id"], false),
                index("assets", &["community_id"], false),
                index("assets", &["author_id"], false),
                index("asset_tags", &["asset_id", "tag"], true),
                index("asset_tags", &["tag"], false),
                index("asset_versions", &["asset_id", "version"], true),
                index("asset_versions", &["author_id"], false),
                index("asset_reviews", &["asset_id", "round", "reviewer_id"], true),
                index("asset_reviews", &["reviewer_id"], false),
                index("event_outputs", &["event_id", "asset_id"], true),
                index("event_outputs", &["asset_id"], false),
                index("event_outputs", &["linked_by"], false),
                index("onboarding_steps", &["community_id", "step_key"], true),
                index(
                    "onboarding_completions",
                    &["community_id", "person_id", "step_key"],
                    true,
                ),
                index("onboarding_completions", &["person_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "onboarding_completions",
                "onboarding_steps",
                "event_outputs",
                "asset_reviews",
                "asset_versions",
                "asset_tags",
                "assets",
            ],
        )
        .await
    }
}
