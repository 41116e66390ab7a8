//! Loading a caller's access set: six indexed lookups by person.

use async_trait::async_trait;
use copnet_domain::{
    AccessSet, CommunityAccess, DomainResult,
    ids::{CommunityId, PersonId},
    model::{JoinRequestStatus, MembershipStatus, OrgRole, Role},
    repo::AccessRepo,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::{Store, convert::code};
use crate::{
    entity::{affiliations, cluster_coordinators, join_requests, network_stewards, space_members},
    error::db_err,
};

#[async_trait]
impl AccessRepo for Store {
    async fn load(&self, person: PersonId, platform_admin: bool) -> DomainResult<AccessSet> {
        let mut access = AccessSet {
            person: Some(person),
            platform_admin,
            ..AccessSet::default()
        };
        let who = person.uuid();

        let memberships = Query::select()
            .expr_as(Expr::col(("m", "community_id")), "community_id")
            .expr_as(Expr::col(("c", "network_id")), "network_id")
            .expr_as(Expr::col(("r", "role")), "role")
            .from_as("memberships", "m")
            .join_as(
                JoinType::InnerJoin,
                "communities",
                "c",
                Expr::col(("c", "id")).equals(("m", "community_id")),
            )
            .join_as(
                JoinType::LeftJoin,
                "membership_roles",
                "r",
                Expr::col(("r", "membership_id")).equals(("m", "id")),
            )
            .and_where(Expr::col(("m", "person_id")).eq(who))
            .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
            .take();
        for row in self.db.query_all(&memberships).await.map_err(db_err)? {
            let community: Uuid = row.try_get("", "community_id").map_err(db_err)?;
            let network: Uuid = row.try_get("", "network_id").map_err(db_err)?;
            let entry = access
                .communities
                .entry(CommunityId::from(community))
                .or_insert_with(|| CommunityAccess {
                    network_id: network.into(),
                    roles: Default::default(),
                });
            if let Some(role) = row.try_get::<Option<String>>("", "role").map_err(db_err)? {
                entry
                    .roles
                    .insert(code!(Role, "membership_roles.role", role)?);
            }
        }

        access.spaces = space_members::Entity::find()
            .select_only()
            .column(space_members::Column::SpaceId)
            .filter(space_members::Column::PersonId.eq(who))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect();

        access.stewarded_networks = network_stewards::Entity::find()
            .select_only()
            .column(network_stewards::Column::NetworkId)
            .filter(network_stewards::Column::PersonId.eq(who))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect();

        access.coordinated_clusters = cluster_coordinators::Entity::find()
            .select_only()
            .column(cluster_coordinators::Column::ClusterId)
            .filter(cluster_coordinators::Column::PersonId.eq(who))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect();

        for a in affiliations::Entity::find()
            .filter(affiliations::Column::PersonId.eq(who))
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            access.organizations.insert(
                a.organization_id.into(),
                code!(OrgRole, "affiliations.role", a.role)?,
            );
        }

        access.pending_requests = join_requests::Entity::find()
            .select_only()
            .column(join_requests::Column::CommunityId)
            .filter(join_requests::Column::PersonId.eq(who))
            .filter(join_requests::Column::Status.eq(JoinRequestStatus::Pending.code()))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect();

        Ok(access)
    }
}
