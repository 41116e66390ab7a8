//! The `events` table.

use sea_orm::entity::prelude::*;

/// A row of `events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Option<Uuid>,
    pub cluster_id: Option<Uuid>,
    pub space_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub format: String,
    pub mode: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub recurrence: Option<String>,
    pub last_ends_at: Option<DateTimeUtc>,
    pub location: String,
    pub join_url: String,
    pub capacity: Option<i32>,
    pub created_by: Uuid,
    pub cancelled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
