//! The `asset_versions` table.

use sea_orm::entity::prelude::*;

/// A row of `asset_versions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "asset_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub asset_id: Uuid,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub url: Option<String>,
    pub tags: String,
    pub author_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
