//! Success indicators: defined with a target per period, measured from activity (or
//! recorded by hand for manual ones), read as a series.

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, IndicatorId},
    listing::Scoped,
    model::{Indicator, IndicatorKind, IndicatorScope, IndicatorValue, Period, SeriesPoint},
    policy::indicators::{IndicatorPlace, can_manage_indicators},
    values::{Description, Name},
};

/// Most indicators per community, cluster or network.
pub const MAX_INDICATORS: usize = 50;
/// Most periods in one series.
pub const MAX_SERIES_PERIODS: usize = 120;
/// Largest absolute target or value.
pub const MAX_INDICATOR_VALUE: f64 = 1e12;

/// A new indicator, as its definer gives it.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    /// Where it belongs.
    pub scope: IndicatorScope,
    /// What it measures.
    pub kind: IndicatorKind,
    /// Its name.
    pub name: Name,
    /// The value aimed at per period.
    pub target: f64,
    /// Its periods.
    pub period: Period,
    /// Values recorded by hand; `None` means "for `CUSTOM` only".
    pub manual: Option<bool>,
}

fn finite(field: &'static str, v: f64) -> DomainResult<f64> {
    if v.is_finite() && v.abs() <= MAX_INDICATOR_VALUE {
        Ok(v)
    } else {
        Err(DomainError::invalid(
            field,
            format!("a finite number within ±{MAX_INDICATOR_VALUE:e}"),
        ))
    }
}

impl Services {
    /// Where an indicator belongs, if the caller sees it (hidden is `NOT_FOUND`).
    pub async fn indicator_place(
        &self,
        access: &AccessSet,
        scope: IndicatorScope,
    ) -> DomainResult<IndicatorPlace> {
        Ok(match scope {
            IndicatorScope::Community(id) => {
                IndicatorPlace::Community(self.community(access, id).await?)
            }
            IndicatorScope::Cluster(id) => IndicatorPlace::Cluster(self.cluster(access, id).await?),
            IndicatorScope::Network(id) => IndicatorPlace::Network(self.network(access, id).await?),
        })
    }

    /// Defines an indicator (see [`can_manage_indicators`]); at most [`MAX_INDICATORS`] per
    /// place. `CUSTOM` ones are manual.
    #[instrument(skip_all)]
    pub async fn define_indicator(
        &self,
        access: &AccessSet,
        new: NewIndicator,
    ) -> DomainResult<Indicator> {
        let person = access.require_person()?;
        let place = self.indicator_place(access, new.scope).await?;
        can_manage_indicators(access, &place)?;
        let manual = new.manual.unwrap_or(new.kind == IndicatorKind::Custom);
        if new.kind == IndicatorKind::Custom && !manual {
            return Err(DomainError::invalid(
                "manual",
                "CUSTOM indicators are recorded by hand",
            ));
        }
        let target = finite("target", new.target)?;
        let existing = self
            .repos
            .indicators
            .of_scopes(&[new.scope])
            .await?
            .remove(&new.scope)
            .unwrap_or_default();
        if existing.len() >= MAX_INDICATORS {
            return Err(DomainError::invalid(
                "communityId",
                format!("at most {MAX_INDICATORS} indicators per place"),
            ));
        }
        let network_id = match &place {
            IndicatorPlace::Community(c) => c.network_id,
            IndicatorPlace::Cluster(k) => k.network_id,
            IndicatorPlace::Network(n) => n.id,
        };
        let indicator = Indicator {
            id: IndicatorId::generate(),
            network_id,
            scope: new.scope,
            kind: new.kind,
            name: new.name.into_inner(),
            target,
            period: new.period,
            manual,
            created_by: person,
            created_at: Utc::now(),
        };
        self.repos.indicators.create(&indicator).await?;
        Ok(indicator)
    }

    /// Records the value of one period of a manual indicator (replacing an earlier one);
    /// `periodStart` must start one of its periods.
    #[instrument(skip_all)]
    pub async fn record_indicator_value(
        &self,
        access: &AccessSet,
        id: IndicatorId,
        period_start: DateTime<Utc>,
        value: f64,
        note: Description,
    ) -> DomainResult<Indicator> {
        let person = access.require_person()?;
        let indicator = self.indicator(access, id).await?;
        let place = self.indicator_place(access, indicator.scope).await?;
        can_manage_indicators(access, &place)?;
        if !indicator.manual {
            return Err(DomainError::invalid(
                "indicatorId",
                format!(
                    "{} is measured from activity; values are recorded for manual indicators",
                    indicator.kind.code()
                ),
            ));
        }
        if !indicator.period.is_start(period_start) {
            return Err(DomainError::invalid(
                "periodStart",
                format!(
                    "must start a {} (00:00 UTC; weeks start on Monday)",
                    indicator.period.code()
                ),
            ));
        }
        let value = finite("value", value)?;
        self.repos
            .indicators
            .record(&IndicatorValue {
                indicator_id: indicator.id,
                period_start,
                value,
                note: note.into_inner(),
                recorded_by: person,
                recorded_at: Utc::now(),
            })
            .await?;
        Ok(indicator)
    }

    /// An indicator whose place the caller sees (else `NOT_FOUND`).
    pub async fn indicator(&self, access: &AccessSet, id: IndicatorId) -> DomainResult<Indicator> {
        let found = self
            .repos
            .indicators
            .by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("indicator"))?;
        self.indicator_place(access, found.scope)
            .await
            .map_err(|e| match e {
                DomainError::NotFound(_) => DomainError::NotFound("indicator"),
                other => other,
            })?;
        Ok(found)
    }

    /// The indicators of a place the caller sees, oldest first.
    pub async fn indicators_of(
        &self,
        access: &AccessSet,
        scope: IndicatorScope,
    ) -> DomainResult<Vec<Indicator>> {
        self.indicator_place(access, scope).await?;
        Ok(self
            .repos
            .indicators
            .of_scopes(&[scope])
            .await?
            .remove(&scope)
            .unwrap_or_default())
    }

    /// The periods of `[from, to)` with the indicator's target and value: recorded for manual
    /// indicators; measured over the place's communities otherwise, and for a cluster or a
    /// network only over the communities the caller may see (rule 7).
    #[instrument(skip_all)]
    pub async fn series(
        &self,
        access: &AccessSet,
        indicator: &Indicator,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> DomainResult<Vec<SeriesPoint>> {
        let periods = indicator.period.between(from, to, MAX_SERIES_PERIODS);
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(Vec::new());
        };
        let point = |(start, _): &(DateTime<Utc>, DateTime<Utc>), value, note| SeriesPoint {
            period_start: *start,
            value,
            target: indicator.target,
            note,
        };
        if indicator.manual {
            let recorded = self
                .repos
                .indicators
                .values(indicator.id, first.0, last.1)
                .await?;
            return Ok(periods
                .iter()
                .map(|p| {
                    let v = recorded.iter().find(|v| v.period_start == p.0);
                    point(p, v.map(|v| v.value), v.map(|v| v.note.clone()))
                })
                .collect());
        }
        let place = self.indicator_place(access, indicator.scope).await?;
        let communities: Vec<CommunityId> = match &place {
            IndicatorPlace::Community(c) => vec![c.id],
            IndicatorPlace::Cluster(k) => {
                self.all_listed(&Scoped::cluster_communities(access, k))
                    .await?
            }
            IndicatorPlace::Network(n) => {
                self.all_listed(&Scoped::network_communities(access, n))
                    .await?
            }
        };
        let values = self
            .repos
            .indicators
            .measure(indicator.kind, &communities, &periods)
            .await?;
        Ok(periods
            .iter()
            .zip(values)
            .map(|(p, v)| point(p, v, None))
            .collect())
    }
}
