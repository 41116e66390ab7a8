//! Success indicators. Measures read the daily counters, circle moves, memberships, events,
//! answers, assets and feedback of the communities in scope over the whole range at once,
//! and bucket them into periods here: one statement per measure, whatever the number of
//! periods.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainResult,
    ids::{CommunityId, IndicatorId},
    listing::{EventScope, ReadableSpaces},
    model::{
        Circle, Indicator, IndicatorKind, IndicatorScope, IndicatorValue, MembershipStatus, Period,
        RsvpResponse, day_of,
    },
    repo::{EventRepo, IndicatorRepo},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Cond, Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{indicator_values, indicators},
    error::db_err,
    listing::{join, select_from},
};

fn indicator(m: indicators::Model) -> DomainResult<Indicator> {
    let scope = match (m.community_id, m.cluster_id) {
        (Some(c), _) => IndicatorScope::Community(c.into()),
        (None, Some(k)) => IndicatorScope::Cluster(k.into()),
        (None, None) => IndicatorScope::Network(m.network_id.into()),
    };
    Ok(Indicator {
        id: m.id.into(),
        network_id: m.network_id.into(),
        scope,
        kind: code!(IndicatorKind, "indicators.kind", m.kind)?,
        name: m.name,
        target: m.target,
        period: code!(Period, "indicators.period", m.period)?,
        manual: m.manual,
        created_by: m.created_by.into(),
        created_at: m.created_at,
    })
}

fn value(m: indicator_values::Model) -> IndicatorValue {
    IndicatorValue {
        indicator_id: m.indicator_id.into(),
        period_start: m.period_start,
        value: m.value,
        note: m.note,
        recorded_by: m.recorded_by.into(),
        recorded_at: m.recorded_at,
    }
}

/// Which period holds `at`, by index.
fn bucket(periods: &[(DateTime<Utc>, DateTime<Utc>)], at: DateTime<Utc>) -> Option<usize> {
    periods.iter().position(|(s, e)| *s <= at && at < *e)
}

/// Which period holds a counter's day, by index.
fn day_bucket(periods: &[(DateTime<Utc>, DateTime<Utc>)], day: i32) -> Option<usize> {
    periods
        .iter()
        .position(|(s, e)| day_of(*s) <= day && day < day_of(*e))
}

fn ratio(n: f64, d: f64) -> Option<f64> {
    (d > 0.0).then(|| n / d)
}

impl Store {
    /// Sums of a counter expression per day over the range.
    async fn daily(
        &self,
        communities: &[Uuid],
        expr: Expr,
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<f64>> {
        let mut out = vec![0.0; periods.len()];
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(out);
        };
        let d = self.sql();
        let mut select = select_from("activity_days", "ad");
        select
            .column(("ad", "day"))
            .expr_as(sea_orm::sea_query::Func::sum(expr), "n")
            .and_where(d.one_of(Expr::col(("ad", "community_id")), communities.to_vec()))
            .and_where(Expr::col(("ad", "day")).gte(day_of(first.0)))
            .and_where(Expr::col(("ad", "day")).lt(day_of(last.1)))
            .group_by_col(("ad", "day"));
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let day: i32 = row.try_get("", "day").map_err(db_err)?;
            let n: Option<i64> = row.try_get("", "n").map_err(db_err)?;
            if let Some(i) = day_bucket(periods, day) {
                out[i] += n.unwrap_or(0) as f64;
            }
        }
        Ok(out)
    }

    /// Members at each period's end (a rejoin counts from its latest join).
    async fn members_at_ends(
        &self,
        communities: &[Uuid],
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<f64>> {
        let d = self.sql();
        let mut select = select_from("memberships", "m");
        select
            .column(("m", "joined_at"))
            .column(("m", "ended_at"))
            .column(("m", "status"))
            .and_where(d.one_of(Expr::col(("m", "community_id")), communities.to_vec()));
        let mut out = vec![0.0; periods.len()];
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let joined: DateTime<Utc> = row.try_get("", "joined_at").map_err(db_err)?;
            let ended: Option<DateTime<Utc>> = row.try_get("", "ended_at").map_err(db_err)?;
            let status: String = row.try_get("", "status").map_err(db_err)?;
            let ended = if status == MembershipStatus::Active.code() {
                None
            } else {
                ended
            };
            for (i, (_, end)) in periods.iter().enumerate() {
                if joined < *end && ended.is_none_or(|e| e >= *end) {
                    out[i] += 1.0;
                }
            }
        }
        Ok(out)
    }

    /// Distinct members with activity per period.
    async fn active_people(
        &self,
        communities: &[Uuid],
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<f64>> {
        let mut out = vec![0.0; periods.len()];
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(out);
        };
        let d = self.sql();
        let mut select = select_from("activity_days", "ad");
        select
            .column(("ad", "day"))
            .column(("ad", "person_id"))
            .and_where(d.one_of(Expr::col(("ad", "community_id")), communities.to_vec()))
            .and_where(Expr::col(("ad", "day")).gte(day_of(first.0)))
            .and_where(Expr::col(("ad", "day")).lt(day_of(last.1)));
        let mut seen: Vec<std::collections::HashSet<Uuid>> =
            vec![std::collections::HashSet::new(); periods.len()];
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let day: i32 = row.try_get("", "day").map_err(db_err)?;
            let person: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            if let Some(i) = day_bucket(periods, day) {
                seen[i].insert(person);
            }
        }
        for (i, people) in seen.iter().enumerate() {
            out[i] = people.len() as f64;
        }
        Ok(out)
    }

    /// The times of one timestamp column over the range, with an optional number.
    async fn times(
        &self,
        mut select: sea_orm::sea_query::SelectStatement,
        column: (&'static str, &'static str),
        number: Option<(&'static str, &'static str)>,
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<(usize, f64)>> {
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(Vec::new());
        };
        select
            .expr_as(Expr::col(column), "at")
            .and_where(Expr::col(column).gte(first.0))
            .and_where(Expr::col(column).lt(last.1));
        if let Some(n) = number {
            select.expr_as(Expr::col(n), "n");
        }
        let mut out = Vec::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let at: DateTime<Utc> = row.try_get("", "at").map_err(db_err)?;
            let n = match number {
                Some(_) => row.try_get::<i32>("", "n").map_err(db_err)? as f64,
                None => 1.0,
            };
            if let Some(i) = bucket(periods, at) {
                out.push((i, n));
            }
        }
        Ok(out)
    }

    async fn events_held(
        &self,
        communities: &[CommunityId],
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<f64>> {
        let mut out = vec![0.0; periods.len()];
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(out);
        };
        let windows: Vec<_> = communities
            .iter()
            .map(|c| {
                let scope = EventScope::Community {
                    community: *c,
                    spaces: ReadableSpaces::every(),
                };
                (scope, first.0, last.1)
            })
            .collect();
        for events in self.in_windows(&windows).await? {
            for e in events {
                for o in e.schedule.occurrences(first.0, last.1) {
                    if e.is_cancelled(o.starts_at) {
                        continue;
                    }
                    if let Some(i) = bucket(periods, o.starts_at) {
                        out[i] += 1.0;
                    }
                }
            }
        }
        Ok(out)
    }
}

fn counts(n: usize, hits: &[(usize, f64)]) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (i, v) in hits {
        out[*i] += v;
    }
    out
}

#[async_trait]
impl IndicatorRepo for Store {
    async fn by_ids(&self, ids: &[IndicatorId]) -> DomainResult<Vec<Indicator>> {
        indicators::Entity::find()
            .filter(
                self.sql()
                    .one_of(indicators::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(indicator)
            .collect()
    }

    async fn of_scopes(
        &self,
        scopes: &[IndicatorScope],
    ) -> DomainResult<HashMap<IndicatorScope, Vec<Indicator>>> {
        let mut out: HashMap<IndicatorScope, Vec<Indicator>> =
            scopes.iter().map(|s| (*s, Vec::new())).collect();
        let mut any = Cond::any();
        for scope in scopes {
            any = any.add(match scope {
                IndicatorScope::Community(c) => indicators::Column::CommunityId.eq(c.uuid()),
                IndicatorScope::Cluster(k) => indicators::Column::ClusterId.eq(k.uuid()),
                IndicatorScope::Network(n) => Cond::all()
                    .add(indicators::Column::NetworkId.eq(n.uuid()))
                    .add(indicators::Column::ClusterId.is_null())
                    .add(indicators::Column::CommunityId.is_null())
                    .into(),
            });
        }
        if scopes.is_empty() {
            return Ok(out);
        }
        for row in indicators::Entity::find()
            .filter(any)
            .order_by_asc(indicators::Column::Id)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            let found = indicator(row)?;
            if let Some(list) = out.get_mut(&found.scope) {
                list.push(found);
            }
        }
        Ok(out)
    }

    async fn create(&self, i: &Indicator) -> DomainResult<()> {
        let (cluster, community) = match i.scope {
            IndicatorScope::Community(c) => (None, Some(c.uuid())),
            IndicatorScope::Cluster(k) => (Some(k.uuid()), None),
            IndicatorScope::Network(_) => (None, None),
        };
        indicators::Entity::insert(indicators::ActiveModel {
            id: Set(i.id.uuid()),
            network_id: Set(i.network_id.uuid()),
            cluster_id: Set(cluster),
            community_id: Set(community),
            kind: Set(i.kind.code().to_owned()),
            name: Set(i.name.clone()),
            target: Set(i.target),
            period: Set(i.period.code().to_owned()),
            manual: Set(i.manual),
            created_by: Set(i.created_by.uuid()),
            created_at: Set(i.created_at),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn record(&self, v: &IndicatorValue) -> DomainResult<()> {
        indicator_values::Entity::insert(indicator_values::ActiveModel {
            id: Set(Uuid::now_v7()),
            indicator_id: Set(v.indicator_id.uuid()),
            period_start: Set(v.period_start),
            value: Set(v.value),
            note: Set(v.note.clone()),
            recorded_by: Set(v.recorded_by.uuid()),
            recorded_at: Set(v.recorded_at),
        })
        .on_conflict(
            OnConflict::columns([
                indicator_values::Column::IndicatorId,
                indicator_values::Column::PeriodStart,
            ])
            .update_columns([
                indicator_values::Column::Value,
                indicator_values::Column::Note,
                indicator_values::Column::RecordedBy,
                indicator_values::Column::RecordedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn values(
        &self,
        id: IndicatorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> DomainResult<Vec<IndicatorValue>> {
        Ok(indicator_values::Entity::find()
            .filter(indicator_values::Column::IndicatorId.eq(id.uuid()))
            .filter(indicator_values::Column::PeriodStart.gte(from))
            .filter(indicator_values::Column::PeriodStart.lt(to))
            .order_by_asc(indicator_values::Column::PeriodStart)
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(value)
            .collect())
    }

    async fn measure(
        &self,
        kind: IndicatorKind,
        communities: &[CommunityId],
        periods: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> DomainResult<Vec<Option<f64>>> {
        let n = periods.len();
        if communities.is_empty() {
            let empty = !matches!(
                kind,
                IndicatorKind::ActiveRatio | IndicatorKind::FeedbackAverage
            );
            return Ok(vec![empty.then_some(0.0); n]);
        }
        let ids = convert::uuids(communities);
        let d = self.sql();
        let all = |v: Vec<f64>| v.into_iter().map(Some).collect::<Vec<_>>();
        let values = match kind {
            IndicatorKind::Members => all(self.members_at_ends(&ids, periods).await?),
            IndicatorKind::ActiveRatio => {
                let active = self.active_people(&ids, periods).await?;
                let members = self.members_at_ends(&ids, periods).await?;
                active
                    .iter()
                    .zip(&members)
                    .map(|(a, m)| ratio(*a, *m))
                    .collect()
            }
            IndicatorKind::Posts => {
                let expr = Expr::col(("ad", "posts")).add(Expr::col(("ad", "replies")));
                all(self.daily(&ids, expr, periods).await?)
            }
            IndicatorKind::Threads => all(self
                .daily(&ids, Expr::col(("ad", "posts")), periods)
                .await?),
            IndicatorKind::EventsHeld => all(self.events_held(communities, periods).await?),
            IndicatorKind::EventAttendance => {
                let mut select = select_from("rsvps", "r");
                join(&mut select, "events", "e", ("e", "id"), ("r", "event_id"));
                select
                    .and_where(d.one_of(Expr::col(("e", "community_id")), ids.clone()))
                    .and_where(Expr::col(("r", "response")).eq(RsvpResponse::Going.code()));
                let hits = self
                    .times(select, ("r", "occurrence_start"), None, periods)
                    .await?;
                all(counts(n, &hits))
            }
            IndicatorKind::AssetsPublished => {
                let mut select = select_from("assets", "a");
                select.and_where(d.one_of(Expr::col(("a", "community_id")), ids.clone()));
                let hits = self
                    .times(select, ("a", "published_at"), None, periods)
                    .await?;
                all(counts(n, &hits))
            }
            IndicatorKind::CircleInwardMoves => {
                let outer = [Circle::New.code(), Circle::Outer.code()];
                let inward = Cond::any()
                    .add(
                        Cond::all()
                            .add(Expr::col(("cm", "to_circle")).eq(Circle::Core.code()))
                            .add(Expr::col(("cm", "from_circle")).ne(Circle::Core.code())),
                    )
                    .add(
                        Cond::all()
                            .add(Expr::col(("cm", "to_circle")).eq(Circle::Inner.code()))
                            .add(Expr::col(("cm", "from_circle")).is_in(outer)),
                    );
                let mut select = select_from("circle_moves", "cm");
                select
                    .and_where(d.one_of(Expr::col(("cm", "community_id")), ids.clone()))
                    .cond_where(inward);
                let hits = self.times(select, ("cm", "at"), None, periods).await?;
                all(counts(n, &hits))
            }
            IndicatorKind::FeedbackAverage => {
                let mut select = select_from("feedback", "f");
                select.and_where(d.one_of(Expr::col(("f", "community_id")), ids.clone()));
                let hits = self
                    .times(select, ("f", "updated_at"), Some(("f", "rating")), periods)
                    .await?;
                let sums = counts(n, &hits);
                let ones: Vec<(usize, f64)> = hits.iter().map(|(i, _)| (*i, 1.0)).collect();
                let many = counts(n, &ones);
                sums.iter().zip(&many).map(|(s, c)| ratio(*s, *c)).collect()
            }
            IndicatorKind::Custom => vec![None; n],
        };
        Ok(values)
    }
}
