//! A network's topic vocabulary, people's expertise and interests on it, and profiles
//! (languages, regional cluster, bio).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, create, drop, index, optional_reference, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut topics = table("topics");
        reference(&mut topics, "topics", "network_id", "networks");
        topics
            .col(string_len("name", NAME))
            .col(text("aliases"))
            .col(timestamp_with_time_zone("created_at"));

        // Every lowercased name and alias of a topic, unique in its network.
        let mut names = table("topic_names");
        reference(&mut names, "topic_names", "topic_id", "topics");
        reference(&mut names, "topic_names", "network_id", "networks");
        names.col(string_len("name_key", NAME));

        let mut expertise = table("expertise");
        reference(&mut expertise, "expertise", "person_id", "people");
        reference(&mut expertise, "expertise", "topic_id", "topics");
        expertise
            .col(string_len("level", CODE))
            .col(text("note"))
            .col(timestamp_with_time_zone("updated_at"));

        let mut interests = table("interests");
        reference(&mut interests, "interests", "person_id", "people");
        reference(&mut interests, "interests", "topic_id", "topics");
        interests.col(timestamp_with_time_zone("created_at"));

        let mut profiles = table("profiles");
        reference(&mut profiles, "profiles", "person_id", "people");
        profiles.col(text("languages"));
        optional_reference(&mut profiles, "profiles", "region_cluster_id", "clusters");
        profiles
            .col(text("bio"))
            .col(timestamp_with_time_zone("updated_at"));

        create(
            manager,
            vec![topics, names, expertise, interests, profiles],
            vec![
                index("topics", &["network_id"], false),
                index("topic_names", &["network_id", "name_key"], true),
                index("topic_names", &["topic_id"], false),
                index("expertise", &["person_id", "topic_id"], true),
                index("expertise", &["topic_id"], false),
                index("interests", &["person_id", "topic_id"], true),
                index("interests", &["topic_id"], false),
                index("profiles", &["person_id"], true),
                index("profiles", &["region_cluster_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "profiles",
                "interests",
                "expertise",
                "topic_names",
                "topics",
            ],
        )
        .await
    }
}
