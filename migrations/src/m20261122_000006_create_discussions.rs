use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, create, drop, index, optional_reference, reference, table};

/// Longest stored thread title.
const TITLE: u32 = 200;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut threads = table("threads");
        reference(&mut threads, "threads", "space_id", "spaces");
        reference(&mut threads, "threads", "author_id", "people");
        threads
            .col(string_len("title", TITLE))
            .col(boolean("pinned"))
            .col(boolean("locked"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("last_activity_at"))
            .col(uuid("last_post_id"))
            .col(integer("post_count"));

        let mut posts = table("posts");
        reference(&mut posts, "posts", "thread_id", "threads");
        reference(&mut posts, "posts", "author_id", "people");
        posts.col(text("body")).col(text("body_html"));
        optional_reference(&mut posts, "posts", "reply_to", "posts");
        posts
            .col(boolean("hidden"))
            .col(boolean("deleted"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("edited_at"));

        let mut revisions = table("post_revisions");
        reference(&mut revisions, "post_revisions", "post_id", "posts");
        revisions
            .col(text("body"))
            .col(timestamp_with_time_zone("replaced_at"));

        let mut reactions = table("reactions");
        reference(&mut reactions, "reactions", "post_id", "posts");
        reference(&mut reactions, "reactions", "person_id", "people");
        reactions
            .col(string_len("emoji", CODE))
            .col(timestamp_with_time_zone("created_at"));

        let mut mentions = table("mentions");
        reference(&mut mentions, "mentions", "post_id", "posts");
        reference(&mut mentions, "mentions", "person_id", "people");
        mentions.col(timestamp_with_time_zone("created_at"));

        let mut markers = table("read_markers");
        reference(&mut markers, "read_markers", "person_id", "people");
        reference(&mut markers, "read_markers", "thread_id", "threads");
        markers
            .col(uuid("last_read_post_id"))
            .col(timestamp_with_time_zone("updated_at"));

        let mut flags = table("flags");
        reference(&mut flags, "flags", "post_id", "posts");
        reference(&mut flags, "flags", "person_id", "people");
        flags
            .col(string_len("reason", CODE))
            .col(text("note"))
            .col(timestamp_with_time_zone("created_at"));

        let mut notifications = table("notifications");
        reference(&mut notifications, "notifications", "person_id", "people");
        notifications.col(string_len("kind", CODE));
        optional_reference(&mut notifications, "notifications", "actor_id", "people");
        optional_reference(
            &mut notifications,
            "notifications",
            "community_id",
            "communities",
        );
        optional_reference(&mut notifications, "notifications", "thread_id", "threads");
        optional_reference(&mut notifications, "notifications", "post_id", "posts");
        optional_reference(
            &mut notifications,
            "notifications",
            "invitation_id",
            "invitations",
        );
        optional_reference(
            &mut notifications,
            "notifications",
            "join_request_id",
            "join_requests",
        );
        notifications
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("read_at"));

        create(
            manager,
            vec![
                threads,
                posts,
                revisions,
                reactions,
                mentions,
                markers,
                flags,
                notifications,
            ],
            vec![
                index("threads", &["space_id", "last_post_id"], false),
                index("threads", &["space_id", "pinned", "last_post_id"], false),
                index("threads", &["author_id"], false),
                index("posts", &["thread_id", "id"], false),
                index("posts", &["reply_to"], false),
                index("posts", &["author_id"], false),
                index("post_revisions", &["post_id"], false),
                index("reactions", &["post_id", "person_id", "emoji"], true),
                index("reactions", &["person_id"], false),
                index("mentions", &["post_id", "person_id"], true),
                index("mentions", &["person_id"], false),
                index("read_markers", &["person_id", "thread_id"], true),
                index("read_markers", &["thread_id"], false),
                index("flags", &["post_id", "person_id"], true),
                index("flags", &["person_id"], false),
                index("notifications", &["person_id", "id"], false),
                index("notifications", &["person_id", "read_at"], false),
                index("notifications", &["actor_id"], false),
                index("notifications", &["community_id"], false),
                index("notifications", &["thread_id"], false),
                index("notifications", &["post_id"], false),
                index("notifications", &["invitation_id"], false),
                index("notifications", &["join_request_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "notifications",
                "flags",
                "read_markers",
                "mentions",
                "reactions",
                "post_revisions",
                "posts",
                "threads",
            ],
        )
        .await
    }
}
