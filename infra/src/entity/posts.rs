//! The `posts` table.

use sea_orm::entity::prelude::*;

/// A row of `posts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub thread_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub body_html: String,
    pub reply_to: Option<Uuid>,
    pub hidden: bool,
    pub deleted: bool,
    pub created_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
