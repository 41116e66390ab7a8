//! The `stage_changes` table.

use sea_orm::entity::prelude::*;

/// A row of `stage_changes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub from_stage: String,
    pub to_stage: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
