use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{CODE, NAME, SLUG, create, drop, index, optional_reference, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut communities = table("communities");
        reference(&mut communities, "communities", "network_id", "networks");
        communities
            .col(string_len("slug", SLUG))
            .col(string_len("name", NAME))
            .col(text("description"))
            .col(string_len("visibility", CODE))
            .col(string_len("join_policy", CODE))
            .col(string_len("stage", CODE));
        optional_reference(
            &mut communities,
            "communities",
            "host_organization_id",
            "organizations",
        );
        communities
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"));

        let mut in_clusters = table("community_clusters");
        reference(
            &mut in_clusters,
            "community_clusters",
            "community_id",
            "communities",
        );
        reference(
            &mut in_clusters,
            "community_clusters",
            "cluster_id",
            "clusters",
        );
        in_clusters.col(timestamp_with_time_zone("created_at"));

        let mut allowed = table("community_allowed_organizations");
        reference(
            &mut allowed,
            "community_allowed_organizations",
            "community_id",
            "communities",
        );
        reference(
            &mut allowed,
            "community_allowed_organizations",
            "organization_id",
            "organizations",
        );
        allowed.col(timestamp_with_time_zone("created_at"));

        let mut memberships = table("memberships");
        reference(
            &mut memberships,
            "memberships",
            "community_id",
            "communities",
        );
        reference(&mut memberships, "memberships", "person_id", "people");
        memberships
            .col(string_len("status", CODE))
            .col(timestamp_with_time_zone("joined_at"))
            .col(timestamp_with_time_zone_null("ended_at"));

        let mut roles = table("membership_roles");
        reference(
            &mut roles,
            "membership_roles",
            "membership_id",
            "memberships",
        );
        roles
            .col(string_len("role", CODE))
            .col(timestamp_with_time_zone("created_at"));

        let mut requests = table("join_requests");
        reference(
            &mut requests,
            "join_requests",
            "community_id",
            "communities",
        );
        reference(&mut requests, "join_requests", "person_id", "people");
        requests
            .col(text("message"))
            .col(string_len("status", CODE))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("decided_at"));
        optional_reference(&mut requests, "join_requests", "decided_by", "people");

        let mut invitations = table("invitations");
        reference(
            &mut invitations,
            "invitations",
            "community_id",
            "communities",
        );
        reference(&mut invitations, "invitations", "person_id", "people");
        reference(&mut invitations, "invitations", "invited_by", "people");
        invitations
            .col(text("message"))
            .col(string_len("status", CODE))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("responded_at"));

        create(
            manager,
            vec![
                communities,
                in_clusters,
                allowed,
                memberships,
                roles,
                requests,
                invitations,
            ],
            vec![
                index("communities", &["network_id", "slug"], true),
                index("communities", &["host_organization_id"], false),
                index("communities", &["stage"], false),
                index("communities", &["visibility"], false),
                index("community_clusters", &["community_id", "cluster_id"], true),
                index("community_clusters", &["cluster_id"], false),
                index(
                    "community_allowed_organizations",
                    &["community_id", "organization_id"],
                    true,
                ),
                index(
                    "community_allowed_organizations",
                    &["organization_id"],
                    false,
                ),
                index("memberships", &["community_id", "person_id"], true),
                index("memberships", &["community_id", "status"], false),
                index("memberships", &["person_id", "status"], false),
                index("membership_roles", &["membership_id", "role"], true),
                index("membership_roles", &["role"], false),
                index("join_requests", &["community_id", "status"], false),
                index("join_requests", &["person_id", "status"], false),
                index("join_requests", &["decided_by"], false),
                index("invitations", &["community_id", "status"], false),
                index("invitations", &["person_id", "status"], false),
                index("invitations", &["invited_by"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "invitations",
                "join_requests",
                "membership_roles",
                "memberships",
                "community_allowed_organizations",
                "community_clusters",
                "communities",
            ],
        )
        .await
    }
}
