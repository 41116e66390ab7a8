//! The `charters` table.

use sea_orm::entity::prelude::*;

/// A row of `charters`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "charters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub revision: i32,
    pub domain: String,
    pub goals: String,
    pub audience: String,
    pub out_of_scope: String,
    pub outputs: String,
    pub governance: String,
    pub meeting_rhythm: String,
    pub newsletter_cadence: String,
    pub reporting_cadence: String,
    pub author_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
