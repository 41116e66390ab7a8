//! Participation circles. [`tally`] and [`refresh`] run inside the transaction of every write
//! that changes what the circles count (a post, a reply, a reaction, an RSVP, a published
//! asset, a join, a role change): the day's counter moves by one and the member's circle is
//! decided again from at most a window of day rows. Reads never scan posts.

use std::collections::{BTreeSet, HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use copnet_domain::{
    DomainResult,
    ids::{AssetId, CommunityId, MembershipId, PersonId, SpaceId, ThreadId, TopicId},
    listing::{EventScope, ReadableSpaces},
    model::{
        Activity, AssetStatus, Circle, CircleCounts, CircleInputs, CircleRules, CircleState,
        Contribution, Health, MembershipStatus, Role, SpaceVisibility, day_of, first_day_in_window,
        inner_until, is_core,
    },
    repo::{EventRepo, ParticipationRepo},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, TransactionTrait,
    sea_query::{Cond, Expr, ExprTrait, Func, OnConflict},
};
use uuid::Uuid;

use super::{Store, convert, convert::code, lock_row};
use crate::{
    entity::{
        activity_days, circle_moves, circle_settings, circle_states, membership_roles, memberships,
        posts, spaces, threads,
    },
    error::db_err,
    listing::{join, select_from, space_readable},
};

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn setting(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn rules_of(row: &circle_settings::Model) -> CircleRules {
    CircleRules {
        window_days: setting(row.window_days),
        inner_threshold: setting(row.inner_threshold),
        new_days: setting(row.new_days),
    }
}

fn day_activity(row: &activity_days::Model) -> Activity {
    Activity {
        posts: count(row.posts),
        replies: count(row.replies),
        reactions: count(row.reactions),
        rsvps: count(row.rsvps),
        assets: count(row.assets),
    }
}

fn stored_state(row: &circle_states::Model) -> DomainResult<CircleState> {
    Ok(CircleState {
        circle: code!(Circle, "circle_states.circle", row.circle)?,
        since: row.since,
        inputs: CircleInputs {
            core: row.core,
            inner_until: row.inner_until,
            joined_at: row.joined_at,
        },
    })
}

async fn rules_in(
    db: &impl ConnectionTrait,
    communities: &[Uuid],
) -> DomainResult<HashMap<Uuid, CircleRules>> {
    let mut out: HashMap<Uuid, CircleRules> = communities
        .iter()
        .map(|c| (*c, CircleRules::default()))
        .collect();
    if communities.is_empty() {
        return Ok(out);
    }
    for row in circle_settings::Entity::find()
        .filter(circle_settings::Column::CommunityId.is_in(communities.iter().copied()))
        .all(db)
        .await
        .map_err(db_err)?
    {
        out.insert(row.community_id, rules_of(&row));
    }
    Ok(out)
}

/// The community a space belongs to.
pub(crate) async fn community_of_space(
    db: &impl ConnectionTrait,
    space: Uuid,
) -> DomainResult<Option<Uuid>> {
    Ok(spaces::Entity::find_by_id(space)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|s| s.community_id))
}

/// The community a post was written in.
pub(crate) async fn community_of_post(
    db: &impl ConnectionTrait,
    post: Uuid,
) -> DomainResult<Option<Uuid>> {
    let Some(post) = posts::Entity::find_by_id(post)
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    let Some(thread) = threads::Entity::find_by_id(post.thread_id)
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    community_of_space(db, thread.space_id).await
}

/// Moves a member's counter of one kind on the day of `at` by `delta`, then decides their
/// circle again when the kind counts towards it.
pub(crate) async fn tally(
    db: &impl ConnectionTrait,
    community: Uuid,
    person: Uuid,
    what: Contribution,
    delta: i32,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    let column = match what {
        Contribution::Post => activity_days::Column::Posts,
        Contribution::Reply => activity_days::Column::Replies,
        Contribution::Reaction => activity_days::Column::Reactions,
        Contribution::Rsvp => activity_days::Column::Rsvps,
        Contribution::Asset => activity_days::Column::Assets,
    };
    let start = Ord::max(delta, 0);
    let of = |c: activity_days::Column| {
        Set(
            if std::mem::discriminant(&c) == std::mem::discriminant(&column) {
                start
            } else {
                0
            },
        )
    };
    activity_days::Entity::insert(activity_days::ActiveModel {
        id: Set(Uuid::now_v7()),
        community_id: Set(community),
        person_id: Set(person),
        day: Set(day_of(at)),
        posts: of(activity_days::Column::Posts),
        replies: of(activity_days::Column::Replies),
        reactions: of(activity_days::Column::Reactions),
        rsvps: of(activity_days::Column::Rsvps),
        assets: of(activity_days::Column::Assets),
    })
    .on_conflict(
        OnConflict::columns([
            activity_days::Column::CommunityId,
            activity_days::Column::PersonId,
            activity_days::Column::Day,
        ])
        .value(
            column,
            Expr::col((activity_days::Entity, column)).add(delta),
        )
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    if what.counts() {
        refresh(db, community, person, Utc::now()).await?;
    }
    Ok(())
}

/// Decides a current member's circle again from their roles, join time and the day rows of
/// their window, stores it, and records a move when the circle changed. A person who is not
/// a current member is left alone.
pub(crate) async fn refresh(
    db: &impl ConnectionTrait,
    community: Uuid,
    person: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Some(membership) = memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community))
        .filter(memberships::Column::PersonId.eq(person))
        .filter(memberships::Column::Status.eq(MembershipStatus::Active.code()))
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Ok(());
    };
    let rules = rules_in(db, &[community])
        .await?
        .remove(&community)
        .unwrap_or_default();
    refresh_member(db, &membership, &rules, now).await
}

async fn refresh_member(
    db: &impl ConnectionTrait,
    membership: &memberships::Model,
    rules: &CircleRules,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let roles: BTreeSet<Role> = membership_roles::Entity::find()
        .filter(membership_roles::Column::MembershipId.eq(membership.id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter_map(|r| Role::from_code(&r.role))
        .collect();
    let days: Vec<(i32, u32)> = activity_days::Entity::find()
        .filter(activity_days::Column::CommunityId.eq(membership.community_id))
        .filter(activity_days::Column::PersonId.eq(membership.person_id))
        .filter(activity_days::Column::Day.gte(first_day_in_window(now, rules)))
        .all(db)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| (row.day, day_activity(row).contributions()))
        .collect();
    let inputs = CircleInputs {
        core: is_core(&roles),
        inner_until: inner_until(&days, now, rules),
        joined_at: membership.joined_at,
    };
    let stored = circle_states::Entity::find()
        .filter(circle_states::Column::MembershipId.eq(membership.id))
        .one(db)
        .await
        .map_err(db_err)?;
    let previous = match &stored {
        // A rejoin starts from where the member stood when they left.
        Some(row) => stored_state(row)?,
        None => CircleState::initial(
            CircleInputs {
                inner_until: None,
                ..inputs
            },
            rules,
            now,
        ),
    };
    let (before, after) = previous.after(inputs, rules, now);
    let row = circle_states::ActiveModel {
        id: Set(stored.as_ref().map_or_else(Uuid::now_v7, |r| r.id)),
        membership_id: Set(membership.id),
        community_id: Set(membership.community_id),
        circle: Set(after.circle.code().to_owned()),
        since: Set(after.since),
        core: Set(inputs.core),
        inner_until: Set(inputs.inner_until),
        joined_at: Set(inputs.joined_at),
    };
    circle_states::Entity::insert(row)
        .on_conflict(
            OnConflict::column(circle_states::Column::MembershipId)
                .update_columns([
                    circle_states::Column::Circle,
                    circle_states::Column::Since,
                    circle_states::Column::Core,
                    circle_states::Column::InnerUntil,
                    circle_states::Column::JoinedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    if before != after.circle {
        circle_moves::Entity::insert(circle_moves::ActiveModel {
            id: Set(Uuid::now_v7()),
            community_id: Set(membership.community_id),
            person_id: Set(membership.person_id),
            from_circle: Set(before.code().to_owned()),
            to_circle: Set(after.circle.code().to_owned()),
            at: Set(now),
        })
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

async fn current_members(
    db: &impl ConnectionTrait,
    communities: &[Uuid],
) -> DomainResult<Vec<memberships::Model>> {
    memberships::Entity::find()
        .filter(memberships::Column::CommunityId.is_in(communities.iter().copied()))
        .filter(memberships::Column::Status.eq(MembershipStatus::Active.code()))
        .all(db)
        .await
        .map_err(db_err)
}

/// The circle state of each membership at `now`: the stored one moved on by time, or, for a
/// member no write has decided yet, the one their roles and join time give.
async fn states_of(
    db: &impl ConnectionTrait,
    members: &[memberships::Model],
    now: DateTime<Utc>,
) -> DomainResult<HashMap<Uuid, (Uuid, CircleState)>> {
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    let communities: Vec<Uuid> = members
        .iter()
        .map(|m| m.community_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let rules = rules_in(db, &communities).await?;
    let mut stored: HashMap<Uuid, CircleState> = HashMap::new();
    for row in circle_states::Entity::find()
        .filter(circle_states::Column::MembershipId.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(db_err)?
    {
        stored.insert(row.membership_id, stored_state(&row)?);
    }
    let undecided: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| !stored.contains_key(id))
        .collect();
    let mut core: HashSet<Uuid> = HashSet::new();
    if !undecided.is_empty() {
        for row in membership_roles::Entity::find()
            .filter(membership_roles::Column::MembershipId.is_in(undecided))
            .all(db)
            .await
            .map_err(db_err)?
        {
            if Role::from_code(&row.role).is_some_and(|r| is_core(&BTreeSet::from([r]))) {
                core.insert(row.membership_id);
            }
        }
    }
    Ok(members
        .iter()
        .map(|m| {
            let rules = rules.get(&m.community_id).copied().unwrap_or_default();
            let state = match stored.get(&m.id) {
                Some(state) => state.at(&rules, now),
                None => CircleState::initial(
                    CircleInputs {
                        core: core.contains(&m.id),
                        inner_until: None,
                        joined_at: m.joined_at,
                    },
                    &rules,
                    now,
                ),
            };
            (m.id, (m.community_id, state))
        })
        .collect())
}

#[async_trait]
impl ParticipationRepo for Store {
    async fn circle_rules(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, CircleRules>> {
        let ids: Vec<Uuid> = communities.iter().map(|c| c.uuid()).collect();
        Ok(rules_in(&self.db, &ids)
            .await?
            .into_iter()
            .map(|(k, v)| (k.into(), v))
            .collect())
    }

    async fn set_circle_rules(
        &self,
        community: CommunityId,
        rules: &CircleRules,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", community.uuid()).await?;
        circle_settings::Entity::insert(circle_settings::ActiveModel {
            id: Set(Uuid::now_v7()),
            community_id: Set(community.uuid()),
            window_days: Set(int(rules.window_days)),
            inner_threshold: Set(int(rules.inner_threshold)),
            new_days: Set(int(rules.new_days)),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(circle_settings::Column::CommunityId)
                .update_columns([
                    circle_settings::Column::WindowDays,
                    circle_settings::Column::InnerThreshold,
                    circle_settings::Column::NewDays,
                    circle_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        for member in current_members(&txn, &[community.uuid()]).await? {
            refresh_member(&txn, &member, rules, now).await?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn circles(
        &self,
        ids: &[MembershipId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<MembershipId, CircleState>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let members = memberships::Entity::find()
            .filter(memberships::Column::Id.is_in(ids.iter().map(|id| id.uuid())))
            .filter(memberships::Column::Status.eq(MembershipStatus::Active.code()))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(states_of(&self.db, &members, now)
            .await?
            .into_iter()
            .map(|(id, (_, state))| (id.into(), state))
            .collect())
    }

    async fn activity(
        &self,
        members: &[(CommunityId, PersonId)],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<(CommunityId, PersonId), Activity>> {
        let mut out: HashMap<(CommunityId, PersonId), Activity> =
            members.iter().map(|k| (*k, Activity::default())).collect();
        if members.is_empty() {
            return Ok(out);
        }
        let communities: Vec<Uuid> = members
            .iter()
            .map(|(c, _)| c.uuid())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let people: HashSet<Uuid> = members.iter().map(|(_, p)| p.uuid()).collect();
        let rules = rules_in(&self.db, &communities).await?;
        let first = |c: &Uuid| first_day_in_window(now, &rules.get(c).copied().unwrap_or_default());
        let earliest = communities.iter().map(first).min().unwrap_or(i32::MAX);
        for row in activity_days::Entity::find()
            .filter(activity_days::Column::CommunityId.is_in(communities.iter().copied()))
            .filter(activity_days::Column::PersonId.is_in(people))
            .filter(activity_days::Column::Day.gte(earliest))
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            if row.day < first(&row.community_id) {
                continue;
            }
            let key = (row.community_id.into(), row.person_id.into());
            if let Some(activity) = out.get_mut(&key) {
                activity.add(&day_activity(&row));
            }
        }
        Ok(out)
    }

    async fn circle_counts(
        &self,
        communities: &[CommunityId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<CommunityId, CircleCounts>> {
        let ids: Vec<Uuid> = communities.iter().map(|c| c.uuid()).collect();
        let mut out: HashMap<CommunityId, CircleCounts> = communities
            .iter()
            .map(|c| (*c, CircleCounts::default()))
            .collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let members = current_members(&self.db, &ids).await?;
        for (community, state) in states_of(&self.db, &members, now).await?.into_values() {
            out.entry(community.into()).or_default().add(state.circle);
        }
        Ok(out)
    }

    async fn health(
        &self,
        communities: &[CommunityId],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<CommunityId, Health>> {
        let mut out: HashMap<CommunityId, Health> = communities
            .iter()
            .map(|c| {
                (
                    *c,
                    Health {
                        communities: 1,
                        ..Health::default()
                    },
                )
            })
            .collect();
        if communities.is_empty() {
            return Ok(out);
        }
        let d = self.sql();
        let ids = convert::uuids(communities);
        let active = MembershipStatus::Active.code();
        let since_30 = day_of(now) - 29;

        let mut members = select_from("memberships", "m");
        members
            .column(("m", "community_id"))
            .expr_as(Func::count(Expr::col(("m", "id"))), "n")
            .and_where(d.one_of(Expr::col(("m", "community_id")), ids.iter().copied()))
            .and_where(Expr::col(("m", "status")).eq(active))
            .group_by_col(("m", "community_id"));
        for (c, n) in grouped(self, &members).await? {
            out.entry(c).or_default().members = clamp(n);
        }

        let mut recent = select_from("activity_days", "ad");
        recent.join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            "memberships",
            "m",
            Cond::all()
                .add(Expr::col(("m", "community_id")).equals(("ad", "community_id")))
                .add(Expr::col(("m", "person_id")).equals(("ad", "person_id"))),
        );
        recent
            .column(("ad", "community_id"))
            .expr_as(Func::count_distinct(Expr::col(("ad", "person_id"))), "n")
            .and_where(d.one_of(Expr::col(("ad", "community_id")), ids.iter().copied()))
            // Said of the memberships too, so that the planner reads only these communities'
            // members rather than hashing every membership.
            .and_where(d.one_of(Expr::col(("m", "community_id")), ids.iter().copied()))
            .and_where(Expr::col(("ad", "day")).gte(since_30))
            .and_where(Expr::col(("m", "status")).eq(active))
            .group_by_col(("ad", "community_id"));
        for (c, n) in grouped(self, &recent).await? {
            out.entry(c).or_default().active_members = clamp(n);
        }

        let mut posts = select_from("activity_days", "ad");
        posts
            .column(("ad", "community_id"))
            .expr_as(
                Func::sum(Expr::col(("ad", "posts")).add(Expr::col(("ad", "replies")))),
                "n",
            )
            .and_where(d.one_of(Expr::col(("ad", "community_id")), ids.iter().copied()))
            .and_where(Expr::col(("ad", "day")).gte(since_30))
            .group_by_col(("ad", "community_id"));
        for (c, n) in grouped(self, &posts).await? {
            out.entry(c).or_default().posts_last_30_days = clamp(n);
        }

        let since_90 = now - Duration::days(90);
        let mut assets = select_from("assets", "a");
        assets
            .column(("a", "community_id"))
            .expr_as(Func::count(Expr::col(("a", "id"))), "n")
            .and_where(d.one_of(Expr::col(("a", "community_id")), ids.iter().copied()))
            .and_where(Expr::col(("a", "published_at")).gte(since_90))
            .and_where(Expr::col(("a", "published_at")).lte(now))
            .group_by_col(("a", "community_id"));
        for (c, n) in grouped(self, &assets).await? {
            out.entry(c).or_default().assets_published_last_90_days = clamp(n);
        }

        let mut feedback = select_from("feedback", "f");
        feedback
            .column(("f", "community_id"))
            .expr_as(Func::count(Expr::col(("f", "id"))), "n")
            .expr_as(Func::sum(Expr::col(("f", "rating"))), "total")
            .and_where(d.one_of(Expr::col(("f", "community_id")), ids.iter().copied()))
            .group_by_col(("f", "community_id"));
        for row in self.db.query_all(&feedback).await.map_err(db_err)? {
            let c: Uuid = row.try_get("", "community_id").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            let total: i64 = row
                .try_get::<Option<i64>>("", "total")
                .map_err(db_err)?
                .unwrap_or(0);
            let h = out.entry(c.into()).or_default();
            h.feedback_count = u64::try_from(n).unwrap_or(0);
            h.feedback_sum = u64::try_from(total).unwrap_or(0);
        }

        // Every space's events: the figures are the community's, not the caller's view.
        let windows: Vec<(EventScope, DateTime<Utc>, DateTime<Utc>)> = communities
            .iter()
            .map(|c| {
                (
                    EventScope::Community {
                        community: *c,
                        spaces: ReadableSpaces::every(),
                    },
                    since_90,
                    now,
                )
            })
            .collect();
        let found = self.in_windows(&windows).await?;
        for (community, events) in communities.iter().zip(found) {
            let held: usize = events
                .iter()
                .map(|e| {
                    e.schedule
                        .occurrences(since_90, now)
                        .into_iter()
                        .filter(|o| o.starts_at >= since_90 && o.starts_at <= now)
                        .filter(|o| !e.is_cancelled(o.starts_at))
                        .count()
                })
                .sum();
            out.entry(*community).or_default().events_last_90_days =
                u32::try_from(held).unwrap_or(u32::MAX);
        }
        Ok(out)
    }

    async fn busiest_threads(
        &self,
        scopes: &[(CommunityId, ReadableSpaces)],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<(ThreadId, u32)>> {
        if scopes.is_empty() {
            return Ok(Vec::new());
        }
        let d = self.sql();
        let mut select = select_from("posts", "p");
        join(&mut select, "threads", "t", ("t", "id"), ("p", "thread_id"));
        join(&mut select, "spaces", "s", ("s", "id"), ("t", "space_id"));
        select
            .column(("t", "id"))
            .expr_as(Func::count(Expr::col(("p", "id"))), "n")
            .cond_where(readable_in(d, scopes))
            .and_where(Expr::col(("p", "created_at")).gte(from))
            .and_where(Expr::col(("p", "created_at")).lt(to))
            .and_where(Expr::col(("p", "hidden")).eq(false))
            .and_where(Expr::col(("p", "deleted")).eq(false))
            .group_by_col(("t", "id"))
            .order_by_expr(Func::count(Expr::col(("p", "id"))).into(), Order::Desc)
            .order_by(("t", "id"), Order::Desc)
            .limit(limit);
        self.db
            .query_all(&select)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|row| {
                let id: Uuid = row.try_get("", "id").map_err(db_err)?;
                let n: i64 = row.try_get("", "n").map_err(db_err)?;
                Ok((id.into(), clamp(n)))
            })
            .collect()
    }

    async fn published_assets(
        &self,
        scopes: &[(CommunityId, ReadableSpaces)],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<AssetId>> {
        if scopes.is_empty() {
            return Ok(Vec::new());
        }
        let d = self.sql();
        let mut select = select_from("assets", "a");
        join(&mut select, "spaces", "s", ("s", "id"), ("a", "space_id"));
        select
            .column(("a", "id"))
            .cond_where(readable_in(d, scopes))
            .and_where(Expr::col(("a", "status")).eq(AssetStatus::Published.code()))
            .and_where(Expr::col(("a", "published_at")).gte(from))
            .and_where(Expr::col(("a", "published_at")).lt(to))
            .order_by(("a", "published_at"), Order::Desc)
            .order_by(("a", "id"), Order::Desc)
            .limit(limit);
        self.db
            .query_all(&select)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|row| {
                row.try_get::<Uuid>("", "id")
                    .map(AssetId::from)
                    .map_err(db_err)
            })
            .collect()
    }

    async fn joined(
        &self,
        communities: &[CommunityId],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<(Vec<MembershipId>, u64)> {
        if communities.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let d = self.sql();
        let window = |select: &mut sea_orm::sea_query::SelectStatement| {
            select
                .and_where(d.one_of(
                    Expr::col(("m", "community_id")),
                    convert::uuids(communities),
                ))
                .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
                .and_where(Expr::col(("m", "joined_at")).gte(from))
                .and_where(Expr::col(("m", "joined_at")).lt(to));
        };
        let mut total = select_from("memberships", "m");
        total.expr_as(Func::count(Expr::col(("m", "id"))), "n");
        window(&mut total);
        let n: i64 = match self.db.query_one(&total).await.map_err(db_err)? {
            Some(row) => row.try_get("", "n").map_err(db_err)?,
            None => 0,
        };
        let mut select = select_from("memberships", "m");
        select.column(("m", "id"));
        window(&mut select);
        select
            .order_by(("m", "joined_at"), Order::Desc)
            .order_by(("m", "id"), Order::Desc)
            .limit(limit);
        let ids = self
            .db
            .query_all(&select)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|row| {
                row.try_get::<Uuid>("", "id")
                    .map(MembershipId::from)
                    .map_err(db_err)
            })
            .collect::<DomainResult<Vec<_>>>()?;
        Ok((ids, u64::try_from(n).unwrap_or(0)))
    }

    async fn unanswered_threads(
        &self,
        community: CommunityId,
        readable: &ReadableSpaces,
        topics: &[TopicId],
        not_by: PersonId,
        limit: u64,
    ) -> DomainResult<Vec<(ThreadId, TopicId)>> {
        if topics.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let d = self.sql();
        let mut select = select_from("threads", "t");
        join(&mut select, "spaces", "s", ("s", "id"), ("t", "space_id"));
        join(
            &mut select,
            "topic_links",
            "tl",
            ("tl", "target_id"),
            ("t", "id"),
        );
        select
            .column(("t", "id"))
            .column(("tl", "topic_id"))
            .and_where(Expr::col(("s", "community_id")).eq(community.uuid()))
            .cond_where(space_readable(d, "s", readable))
            .and_where(Expr::col(("tl", "target_kind")).eq("THREAD"))
            .and_where(d.one_of(Expr::col(("tl", "topic_id")), convert::uuids(topics)))
            .and_where(Expr::col(("t", "post_count")).eq(1))
            .and_where(Expr::col(("t", "locked")).eq(false))
            .and_where(Expr::col(("t", "author_id")).ne(not_by.uuid()))
            .order_by(("t", "last_activity_at"), Order::Desc)
            .order_by(("t", "id"), Order::Desc)
            .order_by(("tl", "position"), Order::Asc);
        let mut out: Vec<(ThreadId, TopicId)> = Vec::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let thread: Uuid = row.try_get("", "id").map_err(db_err)?;
            let topic: Uuid = row.try_get("", "topic_id").map_err(db_err)?;
            if out.iter().all(|(t, _)| t.uuid() != thread) {
                out.push((thread.into(), topic.into()));
            }
            if out.len() as u64 >= limit {
                break;
            }
        }
        Ok(out)
    }

    async fn awaiting_review(
        &self,
        community: CommunityId,
        reviewer: PersonId,
        limit: u64,
    ) -> DomainResult<Vec<AssetId>> {
        let mut select = select_from("asset_reviews", "r");
        join(&mut select, "assets", "a", ("a", "id"), ("r", "asset_id"));
        select
            .column(("a", "id"))
            .and_where(Expr::col(("a", "community_id")).eq(community.uuid()))
            .and_where(Expr::col(("a", "status")).eq(AssetStatus::InReview.code()))
            .and_where(Expr::col(("r", "round")).equals(("a", "review_round")))
            .and_where(Expr::col(("r", "reviewer_id")).eq(reviewer.uuid()))
            .and_where(Expr::col(("r", "decision")).is_null())
            .order_by(("r", "requested_at"), Order::Asc)
            .order_by(("a", "id"), Order::Asc)
            .limit(limit);
        self.db
            .query_all(&select)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|row| {
                row.try_get::<Uuid>("", "id")
                    .map(AssetId::from)
                    .map_err(db_err)
            })
            .collect()
    }

    async fn first_readable_space(
        &self,
        community: CommunityId,
        readable: &ReadableSpaces,
    ) -> DomainResult<Option<SpaceId>> {
        let d = self.sql();
        let mut select = select_from("spaces", "s");
        select
            .column(("s", "id"))
            .expr_as(
                Expr::case(
                    Expr::col(("s", "visibility")).eq(SpaceVisibility::Public.code()),
                    0,
                )
                .finally(1),
                "rank",
            )
            .and_where(Expr::col(("s", "community_id")).eq(community.uuid()))
            .cond_where(space_readable(d, "s", readable))
            .order_by("rank", Order::Asc)
            .order_by(("s", "created_at"), Order::Asc)
            .order_by(("s", "id"), Order::Asc)
            .limit(1);
        match self.db.query_one(&select).await.map_err(db_err)? {
            Some(row) => Ok(Some(row.try_get::<Uuid>("", "id").map_err(db_err)?.into())),
            None => Ok(None),
        }
    }
}

fn clamp(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(if n < 0 { 0 } else { u32::MAX })
}

/// Runs a `SELECT community_id, n ... GROUP BY community_id`.
async fn grouped(
    store: &Store,
    select: &sea_orm::sea_query::SelectStatement,
) -> DomainResult<Vec<(CommunityId, i64)>> {
    let mut out = Vec::new();
    for row in store.db.query_all(select).await.map_err(db_err)? {
        let c: Uuid = row.try_get("", "community_id").map_err(db_err)?;
        // `SUM` is null over no rows; PostgreSQL gives `bigint` for counts and sums.
        let n: i64 = row
            .try_get::<Option<i64>>("", "n")
            .map_err(db_err)?
            .unwrap_or(0);
        out.push((c.into(), n));
    }
    Ok(out)
}

/// Spaces (alias `s`) of these communities that the caller reads, each community with its
/// own [`ReadableSpaces`].
fn readable_in(d: crate::sql::Dialect, scopes: &[(CommunityId, ReadableSpaces)]) -> Cond {
    let mut any = Cond::any();
    for (community, readable) in scopes {
        any = any.add(
            Cond::all()
                .add(Expr::col(("s", "community_id")).eq(community.uuid()))
                .add(space_readable(d, "s", readable)),
        );
    }
    any
}
