use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainError, DomainResult,
    ids::{CommunityId, InvitationId, JoinRequestId, MembershipId, PersonId},
    model::{
        Invitation, InvitationStatus, JoinRequest, JoinRequestStatus, Membership, MembershipStatus,
        Role,
    },
    repo::{LAST_MANAGER, MembershipRepo},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::{Store, convert, convert::code, lock_row, participation};
use crate::{
    entity::{invitations, join_requests, membership_roles, memberships, space_members, spaces},
    error::{db_err, unique_or},
};

/// Inserts a membership row and its roles.
pub(crate) async fn insert_membership(
    db: &impl ConnectionTrait,
    m: &Membership,
) -> DomainResult<()> {
    memberships::Entity::insert(memberships::ActiveModel {
        id: Set(m.id.uuid()),
        community_id: Set(m.community_id.uuid()),
        person_id: Set(m.person_id.uuid()),
        status: Set(m.status.code().to_owned()),
        joined_at: Set(m.joined_at),
        ended_at: Set(None),
    })
    .exec_without_returning(db)
    .await
    .map_err(unique_or(
        "this person already has a membership in the community",
    ))?;
    write_roles(db, m.id, &m.roles).await?;
    participation::refresh(db, m.community_id.uuid(), m.person_id.uuid(), m.joined_at).await
}

async fn write_roles(
    db: &impl ConnectionTrait,
    id: MembershipId,
    roles: &BTreeSet<Role>,
) -> DomainResult<()> {
    membership_roles::Entity::delete_many()
        .filter(membership_roles::Column::MembershipId.eq(id.uuid()))
        .exec(db)
        .await
        .map_err(db_err)?;
    if roles.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = roles.iter().map(|role| membership_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        membership_id: Set(id.uuid()),
        role: Set(role.code().to_owned()),
        created_at: Set(now),
    });
    membership_roles::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Membership rows with their roles.
async fn hydrate(
    db: &impl ConnectionTrait,
    rows: Vec<memberships::Model>,
) -> DomainResult<Vec<Membership>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut roles: HashMap<Uuid, BTreeSet<Role>> = HashMap::new();
    if !ids.is_empty() {
        for r in membership_roles::Entity::find()
            .filter(
                crate::sql::Dialect(db.get_database_backend())
                    .one_of(membership_roles::Column::MembershipId.into_expr(), ids),
            )
            .all(db)
            .await
            .map_err(db_err)?
        {
            roles.entry(r.membership_id).or_default().insert(code!(
                Role,
                "membership_roles.role",
                r.role
            )?);
        }
    }
    rows.into_iter()
        .map(|r| {
            Ok(Membership {
                id: r.id.into(),
                community_id: r.community_id.into(),
                person_id: r.person_id.into(),
                roles: roles.remove(&r.id).unwrap_or_default(),
                status: code!(MembershipStatus, "memberships.status", r.status)?,
                joined_at: r.joined_at,
            })
        })
        .collect()
}

async fn load(db: &impl ConnectionTrait, id: MembershipId) -> DomainResult<Membership> {
    let rows = memberships::Entity::find_by_id(id.uuid())
        .all(db)
        .await
        .map_err(db_err)?;
    hydrate(db, rows)
        .await?
        .into_iter()
        .next()
        .ok_or(DomainError::NotFound("membership"))
}

/// Active managers of the community other than the given membership.
async fn other_managers(
    db: &impl ConnectionTrait,
    community: CommunityId,
    except: MembershipId,
) -> DomainResult<u64> {
    let select = Query::select()
        .expr_as(Expr::col(("m", "id")).count(), "n")
        .from_as("memberships", "m")
        .join_as(
            JoinType::InnerJoin,
            "membership_roles",
            "r",
            Expr::col(("r", "membership_id")).equals(("m", "id")),
        )
        .and_where(Expr::col(("m", "community_id")).eq(community.uuid()))
        .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
        .and_where(Expr::col(("m", "id")).ne(except.uuid()))
        .and_where(Expr::col(("r", "role")).eq(Role::Manager.code()))
        .take();
    let n = match db.query_one(&select).await.map_err(db_err)? {
        Some(row) => row.try_get::<i64>("", "n").map_err(db_err)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

async fn keep_a_manager(
    db: &impl ConnectionTrait,
    m: &Membership,
    new_roles: &BTreeSet<Role>,
) -> DomainResult<()> {
    if m.roles.contains(&Role::Manager)
        && !new_roles.contains(&Role::Manager)
        && other_managers(db, m.community_id, m.id).await? == 0
    {
        return Err(DomainError::conflict(LAST_MANAGER));
    }
    Ok(())
}

/// Makes the person an active member (new or reactivated row).
async fn activate_in(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
    roles: &BTreeSet<Role>,
) -> DomainResult<Membership> {
    let existing = memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community.uuid()))
        .filter(memberships::Column::PersonId.eq(person.uuid()))
        .one(db)
        .await
        .map_err(db_err)?;
    let now = Utc::now();
    match existing {
        Some(row) if row.status == MembershipStatus::Active.code() => Err(DomainError::conflict(
            "this person is already a member of the community",
        )),
        Some(row) => {
            memberships::Entity::update(memberships::ActiveModel {
                id: Set(row.id),
                status: Set(MembershipStatus::Active.code().to_owned()),
                joined_at: Set(now),
                ended_at: Set(None),
                ..Default::default()
            })
            .exec(db)
            .await
            .map_err(db_err)?;
            write_roles(db, row.id.into(), roles).await?;
            participation::refresh(db, community.uuid(), person.uuid(), now).await?;
            load(db, row.id.into()).await
        }
        None => {
            let membership = Membership {
                id: MembershipId::generate(),
                community_id: community,
                person_id: person,
                roles: roles.clone(),
                status: MembershipStatus::Active,
                joined_at: now,
            };
            insert_membership(db, &membership).await?;
            Ok(membership)
        }
    }
}

/// Activates the membership unless it already is active.
async fn ensure_active(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<()> {
    match activate_in(db, community, person, &BTreeSet::from([Role::Member])).await {
        Ok(_) | Err(DomainError::Conflict(_)) => Ok(()),
        Err(other) => Err(other),
    }
}

#[async_trait]
impl MembershipRepo for Store {
    async fn by_ids(&self, ids: &[MembershipId]) -> DomainResult<Vec<Membership>> {
        let rows = memberships::Entity::find()
            .filter(
                self.sql()
                    .one_of(memberships::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        hydrate(&self.db, rows).await
    }

    async fn of_person_in(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<Vec<Membership>> {
        let rows = memberships::Entity::find()
            .filter(memberships::Column::PersonId.eq(person.uuid()))
            .filter(self.sql().one_of(
                memberships::Column::CommunityId.into_expr(),
                convert::uuids(communities),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        hydrate(&self.db, rows).await
    }

    async fn activate(
        &self,
        community: CommunityId,
        person: PersonId,
        roles: &BTreeSet<Role>,
    ) -> DomainResult<Membership> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", community.uuid()).await?;
        let membership = activate_in(&txn, community, person, roles).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(membership)
    }

    async fn end(&self, id: MembershipId, status: MembershipStatus) -> DomainResult<Membership> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let current = load(&txn, id).await?;
        lock_row(&txn, "communities", current.community_id.uuid()).await?;
        let current = load(&txn, id).await?;
        if current.status != MembershipStatus::Active {
            return Err(DomainError::conflict("this membership has already ended"));
        }
        keep_a_manager(&txn, &current, &BTreeSet::new()).await?;
        write_roles(&txn, id, &BTreeSet::new()).await?;
        let spaces_of_community = Query::select()
            .column(spaces::Column::Id)
            .from(spaces::Entity)
            .and_where(Expr::col(spaces::Column::CommunityId).eq(current.community_id.uuid()))
            .take();
        space_members::Entity::delete_many()
            .filter(space_members::Column::PersonId.eq(current.person_id.uuid()))
            .filter(space_members::Column::SpaceId.in_subquery(spaces_of_community))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        memberships::Entity::update(memberships::ActiveModel {
            id: Set(id.uuid()),
            status: Set(status.code().to_owned()),
            ended_at: Set(Some(Utc::now())),
            ..Default::default()
        })
        .exec(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(Membership {
            roles: BTreeSet::new(),
            status,
            ..current
        })
    }

    async fn set_roles(
        &self,
        id: MembershipId,
        roles: &BTreeSet<Role>,
    ) -> DomainResult<Membership> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let current = load(&txn, id).await?;
        lock_row(&txn, "communities", current.community_id.uuid()).await?;
        let current = load(&txn, id).await?;
        if current.status != MembershipStatus::Active {
            return Err(DomainError::conflict("this membership has ended"));
        }
        keep_a_manager(&txn, &current, roles).await?;
        write_roles(&txn, id, roles).await?;
        participation::refresh(
            &txn,
            current.community_id.uuid(),
            current.person_id.uuid(),
            Utc::now(),
        )
        .await?;
        txn.commit().await.map_err(db_err)?;
        Ok(Membership {
            roles: roles.clone(),
            ..current
        })
    }

    async fn join_requests_by_ids(&self, ids: &[JoinRequestId]) -> DomainResult<Vec<JoinRequest>> {
        join_requests::Entity::find()
            .filter(
                self.sql()
                    .one_of(join_requests::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::join_request)
            .collect()
    }

    async fn create_join_request(&self, request: &JoinRequest) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", request.community_id.uuid()).await?;
        let pending = join_requests::Entity::find()
            .filter(join_requests::Column::CommunityId.eq(request.community_id.uuid()))
            .filter(join_requests::Column::PersonId.eq(request.person_id.uuid()))
            .filter(join_requests::Column::Status.eq(JoinRequestStatus::Pending.code()))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if pending > 0 {
            return Err(DomainError::conflict(
                "you already have a pending request to join",
            ));
        }
        join_requests::Entity::insert(join_requests::ActiveModel {
            id: Set(request.id.uuid()),
            community_id: Set(request.community_id.uuid()),
            person_id: Set(request.person_id.uuid()),
            message: Set(request.message.clone()),
            status: Set(request.status.code().to_owned()),
            created_at: Set(request.created_at),
            decided_at: Set(None),
            decided_by: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn decide_join_request(&self, decided: &JoinRequest) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", decided.community_id.uuid()).await?;
        let updated = join_requests::Entity::update_many()
            .col_expr(
                join_requests::Column::Status,
                Expr::val(decided.status.code()),
            )
            .col_expr(
                join_requests::Column::DecidedAt,
                Expr::val(decided.decided_at),
            )
            .col_expr(
                join_requests::Column::DecidedBy,
                Expr::val(decided.decided_by.map(PersonId::uuid)),
            )
            .filter(join_requests::Column::Id.eq(decided.id.uuid()))
            .filter(join_requests::Column::Status.eq(JoinRequestStatus::Pending.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if updated.rows_affected == 0 {
            return Err(DomainError::conflict(
                "this join request was already decided",
            ));
        }
        if decided.status == JoinRequestStatus::Approved {
            ensure_active(&txn, decided.community_id, decided.person_id).await?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn invitations_by_ids(&self, ids: &[InvitationId]) -> DomainResult<Vec<Invitation>> {
        invitations::Entity::find()
            .filter(
                self.sql()
                    .one_of(invitations::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::invitation)
            .collect()
    }

    async fn create_invitation(&self, invitation: &Invitation) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", invitation.community_id.uuid()).await?;
        let pending = invitations::Entity::find()
            .filter(invitations::Column::CommunityId.eq(invitation.community_id.uuid()))
            .filter(invitations::Column::PersonId.eq(invitation.person_id.uuid()))
            .filter(invitations::Column::Status.eq(InvitationStatus::Pending.code()))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if pending > 0 {
            return Err(DomainError::conflict(
                "this person already has a pending invitation",
            ));
        }
        invitations::Entity::insert(invitations::ActiveModel {
            id: Set(invitation.id.uuid()),
            community_id: Set(invitation.community_id.uuid()),
            person_id: Set(invitation.person_id.uuid()),
            invited_by: Set(invitation.invited_by.uuid()),
            message: Set(invitation.message.clone()),
            status: Set(invitation.status.code().to_owned()),
            created_at: Set(invitation.created_at),
            responded_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn answer_invitation(&self, answered: &Invitation) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", answered.community_id.uuid()).await?;
        let updated = invitations::Entity::update_many()
            .col_expr(
                invitations::Column::Status,
                Expr::val(answered.status.code()),
            )
            .col_expr(
                invitations::Column::RespondedAt,
                Expr::val(answered.responded_at),
            )
            .filter(invitations::Column::Id.eq(answered.id.uuid()))
            .filter(invitations::Column::Status.eq(InvitationStatus::Pending.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if updated.rows_affected == 0 {
            return Err(DomainError::conflict(
                "this invitation was already answered",
            ));
        }
        if answered.status == InvitationStatus::Accepted {
            ensure_active(&txn, answered.community_id, answered.person_id).await?;
        }
        txn.commit().await.map_err(db_err)
    }
}
