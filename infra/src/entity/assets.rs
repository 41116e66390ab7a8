//! The `assets` table.

use sea_orm::entity::prelude::*;

/// A row of `assets`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub space_id: Uuid,
    pub author_id: Option<Uuid>,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub url: Option<String>,
    pub tags: String,
    pub version: i32,
    pub review_round: i32,
    pub published_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
