//! Loading access sets: five indexed lookups for any number of people, and the raw facts of
//! what an organization hosts (the service-account rule itself is the domain's).

use std::collections::HashMap;

use async_trait::async_trait;
use copnet_domain::{
    AccessSet, CommunityAccess, DomainResult,
    ids::{CommunityId, OrganizationId, PersonId},
    model::{JoinRequestStatus, MembershipStatus, OrgRole, Role},
    policy::service::Hosted,
    repo::AccessRepo,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{affiliations, communities, join_requests, network_stewards, networks, space_members},
    error::db_err,
};

/// `(person, id)` pairs of the rows `filter` selects.
async fn pairs<E>(
    db: &impl ConnectionTrait,
    person: E::Column,
    column: E::Column,
    filter: impl sea_orm::sea_query::IntoCondition,
) -> DomainResult<Vec<(Uuid, Uuid)>>
where
    E: EntityTrait,
{
    E::find()
        .select_only()
        .column(person)
        .column(column)
        .filter(filter)
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await
        .map_err(db_err)
}

#[async_trait]
impl AccessRepo for Store {
    async fn load_many(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, AccessSet>> {
        let mut out: HashMap<PersonId, AccessSet> = people
            .iter()
            .map(|p| {
                let access = AccessSet {
                    person: Some(*p),
                    ..AccessSet::default()
                };
                (*p, access)
            })
            .collect();
        if people.is_empty() {
            return Ok(out);
        }
        let who: Vec<Uuid> = convert::uuids(people);

        let memberships = Query::select()
            .expr_as(Expr::col(("m", "person_id")), "person_id")
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
            .and_where(
                self.sql()
                    .one_of(Expr::col(("m", "person_id")), who.clone()),
            )
            .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
            .take();
        for row in self.db.query_all(&memberships).await.map_err(db_err)? {
            let person: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            let community: Uuid = row.try_get("", "community_id").map_err(db_err)?;
            let network: Uuid = row.try_get("", "network_id").map_err(db_err)?;
            let role = row.try_get::<Option<String>>("", "role").map_err(db_err)?;
            let Some(access) = out.get_mut(&PersonId::from(person)) else {
                continue;
            };
            let held = access
                .communities
                .entry(CommunityId::from(community))
                .or_insert_with(|| CommunityAccess {
                    network_id: network.into(),
                    roles: Default::default(),
                });
            if let Some(role) = role {
                held.roles
                    .insert(code!(Role, "membership_roles.role", role)?);
            }
        }

        for (person, space) in pairs::<space_members::Entity>(
            &self.db,
            space_members::Column::PersonId,
            space_members::Column::SpaceId,
            self.sql()
                .one_of(space_members::Column::PersonId.into_expr(), who.clone()),
        )
        .await?
        {
            if let Some(access) = out.get_mut(&PersonId::from(person)) {
                access.spaces.insert(space.into());
            }
        }

        for (person, network) in pairs::<network_stewards::Entity>(
            &self.db,
            network_stewards::Column::PersonId,
            network_stewards::Column::NetworkId,
            self.sql()
                .one_of(network_stewards::Column::PersonId.into_expr(), who.clone()),
        )
        .await?
        {
            if let Some(access) = out.get_mut(&PersonId::from(person)) {
                access.stewarded_networks.insert(network.into());
            }
        }

        for a in affiliations::Entity::find()
            .filter(
                self.sql()
                    .one_of(affiliations::Column::PersonId.into_expr(), who.clone()),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            let role = code!(OrgRole, "affiliations.role", a.role)?;
            if let Some(access) = out.get_mut(&PersonId::from(a.person_id)) {
                access.organizations.insert(a.organization_id.into(), role);
            }
        }

        for (person, community) in pairs::<join_requests::Entity>(
            &self.db,
            join_requests::Column::PersonId,
            join_requests::Column::CommunityId,
            sea_orm::Condition::all()
                .add(
                    self.sql()
                        .one_of(join_requests::Column::PersonId.into_expr(), who),
                )
                .add(join_requests::Column::Status.eq(JoinRequestStatus::Pending.code())),
        )
        .await?
        {
            if let Some(access) = out.get_mut(&PersonId::from(person)) {
                access.pending_requests.insert(community.into());
            }
        }
        Ok(out)
    }

    async fn hosted_by(&self, org: OrganizationId) -> DomainResult<Hosted> {
        let hosted_networks = networks::Entity::find()
            .filter(networks::Column::HostOrganizationId.eq(org.uuid()))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let hosted_communities = communities::Entity::find()
            .filter(communities::Column::HostOrganizationId.eq(org.uuid()))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let their_networks: Vec<Uuid> = hosted_communities.iter().map(|c| c.network_id).collect();
        let their_networks = if their_networks.is_empty() {
            Vec::new()
        } else {
            networks::Entity::find()
                .filter(
                    self.sql()
                        .one_of(networks::Column::Id.into_expr(), their_networks),
                )
                .all(&self.db)
                .await
                .map_err(db_err)?
        };
        let mut hosted = Hosted {
            networks: hosted_networks
                .into_iter()
                .map(convert::network)
                .collect::<DomainResult<_>>()?,
            communities: Vec::with_capacity(hosted_communities.len()),
        };
        for community in hosted_communities {
            if let Some(network) = their_networks.iter().find(|n| n.id == community.network_id) {
                hosted.communities.push((
                    convert::community(community, Vec::new())?,
                    convert::network(network.clone())?,
                ));
            }
        }
        Ok(hosted)
    }
}
