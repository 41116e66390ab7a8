//! The `asset_reviews` table.

use sea_orm::entity::prelude::*;

/// A row of `asset_reviews`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "asset_reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub asset_id: Uuid,
    pub round: i32,
    pub position: i32,
    pub reviewer_id: Uuid,
    pub decision: Option<String>,
    pub comment: String,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
