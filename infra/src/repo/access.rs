//! Loading access sets: one statement of seven indexed lookups for any number of people, and the raw facts of
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
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, JoinType, Query, SelectStatement, UnionType},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{communities, networks},
    error::db_err,
};

const MEMBER: &str = "m";
const SPACE: &str = "s";
const STEWARD: &str = "n";
const AFFILIATED: &str = "o";
const REQUESTED: &str = "j";
const CLUSTERED: &str = "k";
const COORDINATED: &str = "q";

impl Store {
    /// Every position of these people, in one statement: `(kind, person_id, a, b, role)`
    /// rows, a `UNION ALL` of one indexed lookup per kind: active memberships (`a` the
    /// community, `b` its network, `role` one of the membership's roles), space
    /// memberships (`a` the space), stewardships (`a` the network), affiliations (`a` the
    /// organization, `role` the organization role) and pending join requests (`a` the
    /// community).
    fn positions(&self, who: &[Uuid]) -> SelectStatement {
        let d = self.sql();
        let null = || Expr::cust("NULL");
        let of =
            |alias: &'static str| d.one_of(Expr::col((alias, "person_id")), who.iter().copied());
        let mut positions = Query::select()
            .expr_as(Expr::val(MEMBER), "kind")
            .expr_as(Expr::col(("m", "person_id")), "person_id")
            .expr_as(Expr::col(("m", "community_id")), "a")
            .expr_as(Expr::col(("c", "network_id")), "b")
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
            .and_where(of("m"))
            .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
            .take();
        let simple = |kind: &'static str,
                      table: &'static str,
                      alias: &'static str,
                      a: &'static str,
                      role: Option<&'static str>| {
            Query::select()
                .expr_as(Expr::val(kind), "kind")
                .expr_as(Expr::col((alias, "person_id")), "person_id")
                .expr_as(Expr::col((alias, a)), "a")
                .expr_as(null(), "b")
                .expr_as(role.map_or_else(null, |r| Expr::col((alias, r))), "role")
                .from_as(table, alias)
                .and_where(of(alias))
                .take()
        };
        positions
            .union(
                UnionType::All,
                simple(SPACE, "space_members", "sm", "space_id", None),
            )
            .union(
                UnionType::All,
                simple(STEWARD, "network_stewards", "ns", "network_id", None),
            )
            .union(
                UnionType::All,
                simple(
                    AFFILIATED,
                    "affiliations",
                    "af",
                    "organization_id",
                    Some("role"),
                ),
            )
            .union(UnionType::All, {
                let mut pending = simple(REQUESTED, "join_requests", "jr", "community_id", None);
                pending
                    .and_where(Expr::col(("jr", "status")).eq(JoinRequestStatus::Pending.code()));
                pending
            })
            .union(
                UnionType::All,
                simple(
                    COORDINATED,
                    "cluster_coordinators",
                    "cco",
                    "cluster_id",
                    None,
                ),
            )
            .union(
                UnionType::All,
                Query::select()
                    .expr_as(Expr::val(CLUSTERED), "kind")
                    .expr_as(Expr::col(("mk", "person_id")), "person_id")
                    .expr_as(Expr::col(("cc", "cluster_id")), "a")
                    .expr_as(null(), "b")
                    .expr_as(null(), "role")
                    .from_as("memberships", "mk")
                    .join_as(
                        JoinType::InnerJoin,
                        "community_clusters",
                        "cc",
                        Expr::col(("cc", "community_id")).equals(("mk", "community_id")),
                    )
                    .and_where(of("mk"))
                    .and_where(Expr::col(("mk", "status")).eq(MembershipStatus::Active.code()))
                    .take(),
            );
        positions
    }
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
        for row in self
            .db
            .query_all(&self.positions(&who))
            .await
            .map_err(db_err)?
        {
            let kind: String = row.try_get("", "kind").map_err(db_err)?;
            let person: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            let a: Uuid = row.try_get("", "a").map_err(db_err)?;
            let b = row.try_get::<Option<Uuid>>("", "b").map_err(db_err)?;
            let role = row.try_get::<Option<String>>("", "role").map_err(db_err)?;
            let Some(access) = out.get_mut(&PersonId::from(person)) else {
                continue;
            };
            match (kind.as_str(), b) {
                (MEMBER, Some(network)) => {
                    let held = access
                        .communities
                        .entry(CommunityId::from(a))
                        .or_insert_with(|| CommunityAccess {
                            network_id: network.into(),
                            roles: Default::default(),
                        });
                    if let Some(role) = role {
                        held.roles
                            .insert(code!(Role, "membership_roles.role", role)?);
                    }
                }
                (SPACE, _) => {
                    access.spaces.insert(a.into());
                }
                (STEWARD, _) => {
                    access.stewarded_networks.insert(a.into());
                }
                (AFFILIATED, _) => {
                    let role = role.unwrap_or_default();
                    access
                        .organizations
                        .insert(a.into(), code!(OrgRole, "affiliations.role", role)?);
                }
                (REQUESTED, _) => {
                    access.pending_requests.insert(a.into());
                }
                (CLUSTERED, _) => {
                    access.clusters.insert(a.into());
                }
                (COORDINATED, _) => {
                    access.clusters.insert(a.into());
                    access.coordinated_clusters.insert(a.into());
                }
                _ => {}
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
