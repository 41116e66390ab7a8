use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, SLUG, create, drop, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut networks = table("networks");
        networks
            .col(string_len("slug", SLUG))
            .col(string_len("name", NAME))
            .col(text("description"))
            .col(string_len("visibility", CODE));
        reference(
            &mut networks,
            "networks",
            "host_organization_id",
            "organizations",
        );
        networks.col(timestamp_with_time_zone("created_at"));

        let mut stewards = table("network_stewards");
        reference(&mut stewards, "network_stewards", "network_id", "networks");
        reference(&mut stewards, "network_stewards", "person_id", "people");
        stewards.col(timestamp_with_time_zone("created_at"));

        let mut clusters = table("clusters");
        reference(&mut clusters, "clusters", "network_id", "networks");
        clusters
            .col(string_len("slug", SLUG))
            .col(string_len("name", NAME))
            .col(timestamp_with_time_zone("created_at"));

        let mut coordinators = table("cluster_coordinators");
        reference(
            &mut coordinators,
            "cluster_coordinators",
            "cluster_id",
            "clusters",
        );
        reference(
            &mut coordinators,
            "cluster_coordinators",
            "person_id",
            "people",
        );
        coordinators.col(timestamp_with_time_zone("created_at"));

        create(
            manager,
            vec![networks, stewards, clusters, coordinators],
            vec![
                index("networks", &["slug"], true),
                index("networks", &["host_organization_id"], false),
                index("networks", &["visibility"], false),
                index("network_stewards", &["network_id", "person_id"], true),
                index("network_stewards", &["person_id"], false),
                index("clusters", &["network_id", "slug"], true),
                index("cluster_coordinators", &["cluster_id", "person_id"], true),
                index("cluster_coordinators", &["person_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "cluster_coordinators",
                "clusters",
                "network_stewards",
                "networks",
            ],
        )
        .await
    }
}
