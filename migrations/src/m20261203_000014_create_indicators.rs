//! Success indicators with targets, per community, cluster or network, and the values
//! recorded by hand for manual ones.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, create, drop, index, optional_reference, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut indicators = table("indicators");
        reference(&mut indicators, "indicators", "network_id", "networks");
        optional_reference(&mut indicators, "indicators", "cluster_id", "clusters");
        optional_reference(&mut indicators, "indicators", "community_id", "communities");
        indicators
            .col(string_len("kind", CODE))
            .col(string_len("name", NAME))
            .col(double("target"))
            .col(string_len("period", CODE))
            .col(boolean("manual"))
            .col(uuid("created_by"))
            .col(timestamp_with_time_zone("created_at"));

        let mut values = table("indicator_values");
        reference(
            &mut values,
            "indicator_values",
            "indicator_id",
            "indicators",
        );
        values
            .col(timestamp_with_time_zone("period_start"))
            .col(double("value"))
            .col(text("note"))
            .col(uuid("recorded_by"))
            .col(timestamp_with_time_zone("recorded_at"));

        create(
            manager,
            vec![indicators, values],
            vec![
                index("indicators", &["network_id"], false),
                index("indicators", &["cluster_id"], false),
                index("indicators", &["community_id"], false),
                index("indicator_values", &["indicator_id", "period_start"], true),
                index("assets", &["community_id", "published_at"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_assets_community_id_published_at")
                    .table("assets")
                    .to_owned(),
            )
            .await?;
        drop(manager, &["indicator_values", "indicators"]).await
    }
}
