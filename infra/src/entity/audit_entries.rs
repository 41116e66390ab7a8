//! The `audit_entries` table.

use sea_orm::entity::prelude::*;

/// A row of `audit_entries`: one write. Exactly one of the actor columns is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub request_id: String,
    pub actor_person_id: Option<Uuid>,
    pub actor_service_account_id: Option<Uuid>,
    pub as_platform_admin: bool,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
    pub network_id: Option<Uuid>,
    pub cluster_id: Option<Uuid>,
    pub community_id: Option<Uuid>,
    pub space_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

/// Relations are expressed in queries, not here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
