//! The `rsvps` table.

use sea_orm::entity::prelude::*;

/// A row of `rsvps`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rsvps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub occurrence_start: DateTimeUtc,
    pub person_id: Uuid,
    pub response: String,
    pub going_since: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
