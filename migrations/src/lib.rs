//! copnet's schema, as sea-orm-migration steps written once for PostgreSQL and SQLite.
//!
//! Conventions: every table has a UUIDv7 `id` primary key (time-ordered: keyset pagination and
//! insert locality); enumerations are stored as upper-case text codes; timestamps are UTC;
//! every foreign key and every filtered column has an index; every step has a `down`.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_create_organizations_and_people;
mod m20261122_000002_create_networks_and_clusters;
mod m20261122_000003_create_communities_and_memberships;
mod m20261122_000004_create_spaces;
mod m20261122_000005_create_service_accounts;
mod m20261122_000006_create_discussions;
mod m20261202_000007_create_practice;
mod m20261202_000008_create_calendar_tokens;
mod m20261202_000009_create_stakeholders_and_feedback;
mod m20261203_000010_create_assets_and_onboarding;
mod m20261203_000011_create_topics_and_expertise;
mod m20261203_000012_create_topic_links;
mod m20261203_000013_create_participation;
mod m20261203_000014_create_indicators;
mod m20261204_000015_create_search_documents;
mod m20261207_000016_unindex_hidden_posts;
mod m20261207_000017_create_service_account_keys;
mod m20261207_000018_create_audit_entries;
mod m20261207_000019_create_persisted_queries;

/// Runs copnet's migrations.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_organizations_and_people::Migration),
            Box::new(m20261122_000002_create_networks_and_clusters::Migration),
            Box::new(m20261122_000003_create_communities_and_memberships::Migration),
            Box::new(m20261122_000004_create_spaces::Migration),
            Box::new(m20261122_000005_create_service_accounts::Migration),
            Box::new(m20261122_000006_create_discussions::Migration),
            Box::new(m20261202_000007_create_practice::Migration),
            Box::new(m20261202_000008_create_calendar_tokens::Migration),
            Box::new(m20261202_000009_create_stakeholders_and_feedback::Migration),
            Box::new(m20261203_000010_create_assets_and_onboarding::Migration),
            Box::new(m20261203_000011_create_topics_and_expertise::Migration),
            Box::new(m20261203_000012_create_topic_links::Migration),
            Box::new(m20261203_000013_create_participation::Migration),
            Box::new(m20261203_000014_create_indicators::Migration),
            Box::new(m20261204_000015_create_search_documents::Migration),
            Box::new(m20261207_000016_unindex_hidden_posts::Migration),
            Box::new(m20261207_000017_create_service_account_keys::Migration),
            Box::new(m20261207_000018_create_audit_entries::Migration),
            Box::new(m20261207_000019_create_persisted_queries::Migration),
        ]
    }
}
