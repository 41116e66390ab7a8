//! Loading a caller's access set: five indexed lookups by person.

use std::{collections::HashSet, hash::Hash};

use async_trait::async_trait;
use copnet_domain::{
    AccessSet, CommunityAccess, DomainResult, ServiceAccountAccess,
    ids::{CommunityId, PersonId},
    model::{
        JoinRequestStatus, MembershipStatus, NetworkVisibility, OrgRole, Role, Scope,
        ServiceAccount,
    },
    repo::AccessRepo,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Cond, Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::{Store, convert::code};
use crate::{
    entity::{affiliations, join_requests, network_stewards, networks, space_members},
    error::db_err,
};

/// The ids in `column` of the rows `filter` selects.
async fn ids_of<E, T>(
    db: &impl ConnectionTrait,
    column: E::Column,
    filter: impl sea_orm::sea_query::IntoCondition,
) -> DomainResult<HashSet<T>>
where
    E: EntityTrait,
    T: From<Uuid> + Eq + Hash,
{
    Ok(E::find()
        .select_only()
        .column(column)
        .filter(filter)
        .into_tuple::<Uuid>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(T::from)
        .collect())
}

#[async_trait]
impl AccessRepo for Store {
    async fn load_service_account(&self, account: &ServiceAccount) -> DomainResult<AccessSet> {
        let org = account.organization_id.uuid();
        let mut access = AccessSet {
            service_account: Some(ServiceAccountAccess {
                id: account.id,
                organization: account.organization_id,
                scopes: account.scopes.clone(),
            }),
            ..AccessSet::default()
        };
        if !account.scopes.contains(&Scope::ReadHosted) {
            return Ok(access);
        }
        access.hosted_networks = ids_of::<networks::Entity, _>(
            &self.db,
            networks::Column::Id,
            networks::Column::HostOrganizationId.eq(org),
        )
        .await?;
        // Hosted communities count only inside networks the account can see (rule 0).
        let hosted = Query::select()
            .column(("c", "id"))
            .from_as("communities", "c")
            .join_as(
                JoinType::InnerJoin,
                "networks",
                "n",
                Expr::col(("n", "id")).equals(("c", "network_id")),
            )
            .and_where(Expr::col(("c", "host_organization_id")).eq(org))
            .cond_where(
                Cond::any()
                    .add(Expr::col(("n", "visibility")).eq(NetworkVisibility::Public.code()))
                    .add(Expr::col(("n", "host_organization_id")).eq(org)),
            )
            .take();
        for row in self.db.query_all(&hosted).await.map_err(db_err)? {
            let id: Uuid = row.try_get("", "id").map_err(db_err)?;
            access.hosted_communities.insert(id.into());
        }
        Ok(access)
    }

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

        access.spaces = ids_of::<space_members::Entity, _>(
            &self.db,
            space_members::Column::SpaceId,
            space_members::Column::PersonId.eq(who),
        )
        .await?;

        access.stewarded_networks = ids_of::<network_stewards::Entity, _>(
            &self.db,
            network_stewards::Column::NetworkId,
            network_stewards::Column::PersonId.eq(who),
        )
        .await?;

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

        access.pending_requests = ids_of::<join_requests::Entity, _>(
            &self.db,
            join_requests::Column::CommunityId,
            Condition::all()
                .add(join_requests::Column::PersonId.eq(who))
                .add(join_requests::Column::Status.eq(JoinRequestStatus::Pending.code())),
        )
        .await?;

        Ok(access)
    }
}
