//! The `indicators` table.

use sea_orm::entity::prelude::*;

/// A row of `indicators`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub network_id: Uuid,
    pub cluster_id: Option<Uuid>,
    pub community_id: Option<Uuid>,
    pub kind: String,
    pub name: String,
    pub target: f64,
    pub period: String,
    pub manual: bool,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
