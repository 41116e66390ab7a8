//! The `threads` table.

use sea_orm::entity::prelude::*;

/// A row of `threads`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub space_id: Uuid,
    pub author_id: Uuid,
    pub title: String,
    pub pinned: bool,
    pub locked: bool,
    pub created_at: DateTimeUtc,
    pub last_activity_at: DateTimeUtc,
    pub last_post_id: Uuid,
    pub post_count: i32,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
