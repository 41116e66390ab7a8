//! The `activity_days` table.

use sea_orm::entity::prelude::*;

/// A row of `activity_days`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub person_id: Uuid,
    pub day: i32,
    pub posts: i32,
    pub replies: i32,
    pub reactions: i32,
    pub rsvps: i32,
    pub assets: i32,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
