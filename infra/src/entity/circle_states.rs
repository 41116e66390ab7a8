//! The `circle_states` table.

use sea_orm::entity::prelude::*;

/// A row of `circle_states`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "circle_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub membership_id: Uuid,
    pub community_id: Uuid,
    pub circle: String,
    pub since: DateTimeUtc,
    pub core: bool,
    pub inner_until: Option<DateTimeUtc>,
    pub joined_at: DateTimeUtc,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
