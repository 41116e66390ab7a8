use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainResult,
    ids::{CalendarTokenId, CommunityId, EventId, PersonId, SpaceId},
    listing::EventScope,
    model::{
        CalendarToken, Contribution, Convening, EventFormat, EventHost, EventMode, Rsvp,
        RsvpResponse, SpaceVisibility,
    },
    repo::EventRepo,
    schedule::Schedule,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use uuid::Uuid;

use super::{Store, convert, convert::code, participation};
use crate::{
    entity::{calendar_tokens, event_cancellations, events, rsvps, spaces},
    error::db_err,
};

fn host(m: &events::Model) -> DomainResult<EventHost> {
    match (m.community_id, m.space_id, m.cluster_id) {
        (Some(community), space, None) => Ok(EventHost::Community {
            community: community.into(),
            space: space.map(Into::into),
        }),
        (None, None, Some(cluster)) => Ok(EventHost::Cluster(cluster.into())),
        _ => Err(crate::error::bad_code("events.community_id", "host")),
    }
}

fn event(m: events::Model, cancelled: Vec<DateTime<Utc>>) -> DomainResult<Convening> {
    Ok(Convening {
        id: m.id.into(),
        host: host(&m)?,
        format: code!(EventFormat, "events.format", m.format)?,
        mode: code!(EventMode, "events.mode", m.mode)?,
        schedule: Schedule {
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            time_zone: m.time_zone,
            recurrence: m.recurrence,
        },
        last_ends_at: m.last_ends_at,
        title: m.title,
        description: m.description,
        location: m.location,
        join_url: m.join_url,
        capacity: m.capacity.and_then(|c| u32::try_from(c).ok()),
        created_by: m.created_by.into(),
        cancelled: m.cancelled,
        cancelled_occurrences: cancelled,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn row(e: &Convening) -> events::ActiveModel {
    let (community, space, cluster) = match e.host {
        EventHost::Community { community, space } => {
            (Some(community.uuid()), space.map(SpaceId::uuid), None)
        }
        EventHost::Cluster(cluster) => (None, None, Some(cluster.uuid())),
    };
    events::ActiveModel {
        id: Set(e.id.uuid()),
        community_id: Set(community),
        cluster_id: Set(cluster),
        space_id: Set(space),
        title: Set(e.title.clone()),
        description: Set(e.description.clone()),
        format: Set(e.format.code().to_owned()),
        mode: Set(e.mode.code().to_owned()),
        starts_at: Set(e.schedule.starts_at),
        ends_at: Set(e.schedule.ends_at),
        time_zone: Set(e.schedule.time_zone.clone()),
        recurrence: Set(e.schedule.recurrence.clone()),
        last_ends_at: Set(e.last_ends_at),
        location: Set(e.location.clone()),
        join_url: Set(e.join_url.clone()),
        capacity: Set(e.capacity.and_then(|c| i32::try_from(c).ok())),
        created_by: Set(e.created_by.uuid()),
        cancelled: Set(e.cancelled),
        created_at: Set(e.created_at),
        updated_at: Set(e.updated_at),
    }
}

fn rsvp(m: &rsvps::Model) -> DomainResult<Rsvp> {
    Ok(Rsvp {
        id: m.id.into(),
        event_id: m.event_id.into(),
        occurrence_start: m.occurrence_start,
        person_id: m.person_id.into(),
        response: code!(RsvpResponse, "rsvps.response", m.response)?,
        going_since: m.going_since,
        updated_at: m.updated_at,
    })
}

impl Store {
    /// The rows with their cancelled occurrences (one more statement).
    async fn with_cancellations(&self, rows: Vec<events::Model>) -> DomainResult<Vec<Convening>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut cancelled: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
        for c in event_cancellations::Entity::find()
            .filter(
                self.sql()
                    .one_of(event_cancellations::Column::EventId.into_expr(), ids),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            cancelled
                .entry(c.event_id)
                .or_default()
                .push(c.occurrence_start);
        }
        rows.into_iter()
            .map(|r| {
                let mut starts = cancelled.remove(&r.id).unwrap_or_default();
                starts.sort();
                event(r, starts)
            })
            .collect()
    }

    /// The SQL meaning of a scope: which events it admits.
    fn scope_cond(&self, scope: &EventScope) -> Condition {
        let d = self.sql();
        match scope {
            EventScope::Community { community, spaces } => {
                let readable = Query::select()
                    .column(("s", "id"))
                    .from_as(spaces::Entity, "s")
                    .and_where(Expr::col(("s", "community_id")).eq(community.uuid()))
                    .cond_where(crate::listing::space_readable(d, "s", spaces))
                    .take();
                Condition::all()
                    .add(events::Column::CommunityId.eq(community.uuid()))
                    .add(
                        Condition::any()
                            .add(events::Column::SpaceId.is_null())
                            .add(events::Column::SpaceId.in_subquery(readable)),
                    )
            }
            EventScope::Space(space) => {
                Condition::all().add(events::Column::SpaceId.eq(space.uuid()))
            }
            EventScope::Cluster(cluster) => {
                Condition::all().add(events::Column::ClusterId.eq(cluster.uuid()))
            }
        }
    }
}

#[async_trait]
impl EventRepo for Store {
    async fn by_ids(&self, ids: &[EventId]) -> DomainResult<Vec<Convening>> {
        let rows = events::Entity::find()
            .filter(
                self.sql()
                    .one_of(events::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        self.with_cancellations(rows).await
    }

    async fn in_windows(
        &self,
        windows: &[(EventScope, DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<Vec<Convening>>> {
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        let mut any = Condition::any();
        for (scope, from, to) in windows {
            any = any.add(
                self.scope_cond(scope)
                    .add(events::Column::StartsAt.lt(*to))
                    .add(
                        Condition::any()
                            .add(events::Column::LastEndsAt.is_null())
                            .add(events::Column::LastEndsAt.gt(*from)),
                    ),
            );
        }
        let rows = events::Entity::find()
            .filter(any)
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let found = self.with_cancellations(rows).await?;
        // Which window each event belongs to, by the scope's pure twin.
        let space_ids: Vec<Uuid> = found
            .iter()
            .filter_map(|e| match e.host {
                EventHost::Community { space, .. } => space.map(SpaceId::uuid),
                EventHost::Cluster(_) => None,
            })
            .collect();
        let visibility: HashMap<SpaceId, SpaceVisibility> = if space_ids.is_empty() {
            HashMap::new()
        } else {
            spaces::Entity::find()
                .filter(self.sql().one_of(spaces::Column::Id.into_expr(), space_ids))
                .all(&self.db)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(|s| convert::space(s).map(|s| (s.id, s.visibility)))
                .collect::<DomainResult<_>>()?
        };
        Ok(windows
            .iter()
            .map(|(scope, from, to)| {
                found
                    .iter()
                    .filter(|e| {
                        let space = match e.host {
                            EventHost::Community { space, .. } => space,
                            EventHost::Cluster(_) => None,
                        };
                        let vis = space.and_then(|s| visibility.get(&s).copied());
                        scope.admits(e.host, vis)
                            && e.schedule.starts_at < *to
                            && e.last_ends_at.is_none_or(|end| end > *from)
                    })
                    .cloned()
                    .collect()
            })
            .collect())
    }

    async fn launch_events(&self, community: CommunityId) -> DomainResult<Vec<Convening>> {
        let rows = events::Entity::find()
            .filter(events::Column::CommunityId.eq(community.uuid()))
            .filter(events::Column::Format.eq(EventFormat::Launch.code()))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        self.with_cancellations(rows).await
    }

    async fn create(&self, e: &Convening) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        events::Entity::insert(row(e))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        crate::search::index::put_event(&txn, e).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn update(&self, e: &Convening) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        events::Entity::update(row(e))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        event_cancellations::Entity::delete_many()
            .filter(event_cancellations::Column::EventId.eq(e.id.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if !e.cancelled_occurrences.is_empty() {
            event_cancellations::Entity::insert_many(e.cancelled_occurrences.iter().map(|start| {
                event_cancellations::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    event_id: Set(e.id.uuid()),
                    occurrence_start: Set(*start),
                }
            }))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        }
        crate::search::index::put_event(&txn, e).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn rsvps(
        &self,
        occurrences: &[(EventId, DateTime<Utc>)],
        viewer: Option<PersonId>,
    ) -> DomainResult<Vec<Rsvp>> {
        let (Some(first), Some(last)) = (
            occurrences.iter().map(|o| o.1).min(),
            occurrences.iter().map(|o| o.1).max(),
        ) else {
            return Ok(Vec::new());
        };
        let events: Vec<Uuid> = occurrences.iter().map(|o| o.0.uuid()).collect();
        let mut whose =
            Condition::any().add(rsvps::Column::Response.eq(RsvpResponse::Going.code()));
        if let Some(viewer) = viewer {
            whose = whose.add(rsvps::Column::PersonId.eq(viewer.uuid()));
        }
        rsvps::Entity::find()
            .filter(
                self.sql()
                    .one_of(rsvps::Column::EventId.into_expr(), events),
            )
            .filter(rsvps::Column::OccurrenceStart.gte(first))
            .filter(rsvps::Column::OccurrenceStart.lte(last))
            .filter(whose)
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .filter(|r| {
                occurrences
                    .iter()
                    .any(|(e, s)| e.uuid() == r.event_id && *s == r.occurrence_start)
            })
            .map(|m| rsvp(&m))
            .collect()
    }

    async fn put_rsvp(&self, r: &Rsvp) -> DomainResult<Rsvp> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let previous = rsvps::Entity::find()
            .filter(rsvps::Column::EventId.eq(r.event_id.uuid()))
            .filter(rsvps::Column::OccurrenceStart.eq(r.occurrence_start))
            .filter(rsvps::Column::PersonId.eq(r.person_id.uuid()))
            .one(&txn)
            .await
            .map_err(db_err)?;
        rsvps::Entity::insert(rsvps::ActiveModel {
            id: Set(r.id.uuid()),
            event_id: Set(r.event_id.uuid()),
            occurrence_start: Set(r.occurrence_start),
            person_id: Set(r.person_id.uuid()),
            response: Set(r.response.code().to_owned()),
            going_since: Set(r.going_since),
            updated_at: Set(r.updated_at),
        })
        .on_conflict(
            OnConflict::columns([
                rsvps::Column::EventId,
                rsvps::Column::OccurrenceStart,
                rsvps::Column::PersonId,
            ])
            .update_columns([
                rsvps::Column::Response,
                rsvps::Column::GoingSince,
                rsvps::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        tally_rsvp(&txn, previous.as_ref(), r).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(r.clone())
    }

    async fn create_calendar_token(&self, token: &CalendarToken, hash: &str) -> DomainResult<()> {
        calendar_tokens::Entity::insert(calendar_tokens::ActiveModel {
            id: Set(token.id.uuid()),
            person_id: Set(token.person_id.uuid()),
            secret_hash: Set(hash.to_owned()),
            created_at: Set(token.created_at),
            revoked_at: Set(token.revoked_at),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn calendar_token(
        &self,
        id: CalendarTokenId,
    ) -> DomainResult<Option<(CalendarToken, String)>> {
        Ok(calendar_tokens::Entity::find_by_id(id.uuid())
            .one(&self.db)
            .await
            .map_err(db_err)?
            .map(|m| {
                (
                    CalendarToken {
                        id: m.id.into(),
                        person_id: m.person_id.into(),
                        created_at: m.created_at,
                        revoked_at: m.revoked_at,
                    },
                    m.secret_hash,
                )
            }))
    }

    async fn revoke_calendar_token(
        &self,
        id: CalendarTokenId,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> DomainResult<bool> {
        let changed = calendar_tokens::Entity::update_many()
            .col_expr(calendar_tokens::Column::RevokedAt, Expr::val(at))
            .filter(calendar_tokens::Column::Id.eq(id.uuid()))
            .filter(calendar_tokens::Column::PersonId.eq(person.uuid()))
            .filter(calendar_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(changed.rows_affected > 0)
    }
}

/// An answer counts for the circles on the day it became `GOING`, while it stays `GOING`.
async fn tally_rsvp(
    db: &impl ConnectionTrait,
    previous: Option<&rsvps::Model>,
    now: &Rsvp,
) -> DomainResult<()> {
    let going = RsvpResponse::Going.code();
    let was = previous.filter(|p| p.response == going);
    let is = now.response == RsvpResponse::Going;
    let change = match (was, is) {
        (None, true) => Some((1, now.going_since.unwrap_or(now.updated_at))),
        (Some(p), false) => Some((-1, p.going_since.unwrap_or(p.updated_at))),
        _ => None,
    };
    let Some((delta, day)) = change else {
        return Ok(());
    };
    let Some(event) = events::Entity::find_by_id(now.event_id.uuid())
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Ok(());
    };
    // Cluster events belong to no community's circles.
    match event.community_id {
        Some(c) => {
            participation::tally(db, c, now.person_id.uuid(), Contribution::Rsvp, delta, day).await
        }
        None => Ok(()),
    }
}
