//! Success indicators and their series.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet, DomainError,
    ids::IndicatorId,
    model::{self, IndicatorScope, Period},
};

use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::{RequestContext, caller},
        enums::{IndicatorKind, IndicatorPeriod},
        ids::{Kind, encode},
    },
};

/// Periods a series covers when `from` is left out.
pub const DEFAULT_PERIODS: usize = 12;

/// One period of an indicator's series.
#[derive(SimpleObject)]
pub struct SeriesPoint {
    /// The start of the period (00:00 UTC).
    pub period_start: DateTime<Utc>,
    /// The measured value, or the one recorded for a manual indicator; null when there is
    /// none (nothing recorded, or an average over nothing).
    pub value: Option<f64>,
    /// The indicator's target.
    pub target: f64,
    /// The note recorded with a manual value.
    pub note: Option<String>,
}

/// A success indicator: a target per period and the values measured from activity (or
/// recorded by hand, for manual ones). Visible to whoever sees its community, cluster or
/// network.
#[derive(Clone)]
pub struct Indicator(pub model::Indicator);

/// The default window of a series: the last [`DEFAULT_PERIODS`] periods up to the current
/// one, or from `from`; `to` defaults to the end of the current period.
pub fn window(
    period: Period,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let now = Utc::now();
    let to = to.unwrap_or_else(|| period.next(period.start_of(now)));
    let from = match from {
        Some(from) => from,
        None => {
            let mut start = period.start_of(to - chrono::Duration::seconds(1));
            for _ in 1..DEFAULT_PERIODS {
                start = period.start_of(start - chrono::Duration::seconds(1));
            }
            start
        }
    };
    if to <= from {
        return Err(ApiError::bad_input("to", "must be after from"));
    }
    Ok((from, to))
}

/// A success indicator: a target per period and the values measured from activity (or
/// recorded by hand, for manual ones). Visible to whoever sees its community, cluster or
/// network.
#[Object]
impl Indicator {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Indicator, self.0.id)
    }

    /// What it measures.
    async fn kind(&self) -> IndicatorKind {
        self.0.kind.into()
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The value aimed at, per period.
    async fn target(&self) -> f64 {
        self.0.target
    }

    /// Its periods.
    async fn period(&self) -> IndicatorPeriod {
        self.0.period.into()
    }

    /// Values are recorded by hand (`recordIndicatorValue`) rather than measured.
    async fn manual(&self) -> bool {
        self.0.manual
    }

    /// The global ID of its community, cluster or network.
    async fn place_id(&self) -> ID {
        match self.0.scope {
            IndicatorScope::Community(c) => encode(Kind::Community, c),
            IndicatorScope::Cluster(k) => encode(Kind::Cluster, k),
            IndicatorScope::Network(n) => encode(Kind::Network, n),
        }
    }

    /// When it was defined.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Its periods overlapping `[from, to)` (at most 120), each with the target and the
    /// value. For a cluster or network, values count only the communities the caller may
    /// see (rule 7). Without `from`, the last 12 periods up to `to`; without `to`, up to
    /// the end of the current period.
    async fn series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the window (the period holding it is included).")] from: Option<
            DateTime<Utc>,
        >,
        #[graphql(desc = "End of the window (exclusive).")] to: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<SeriesPoint>> {
        let (from, to) = window(self.0.period, from, to)?;
        let (rc, access) = caller(ctx).await?;
        let points = rc.services().series(&access, &self.0, from, to).await?;
        Ok(points
            .into_iter()
            .map(|p| SeriesPoint {
                period_start: p.period_start,
                value: p.value,
                target: p.target,
                note: p.note,
            })
            .collect())
    }
}

/// The indicator with this id, if the caller sees its place.
pub async fn find(
    rc: &RequestContext,
    access: &AccessSet,
    id: IndicatorId,
) -> ApiResult<Option<Indicator>> {
    match rc.services().indicator(access, id).await {
        Ok(found) => Ok(Some(Indicator(found))),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// The indicators of a place the caller sees.
pub async fn of(ctx: &Context<'_>, scope: IndicatorScope) -> ApiResult<Vec<Indicator>> {
    let (rc, access) = caller(ctx).await?;
    Ok(rc
        .services()
        .indicators_of(&access, scope)
        .await?
        .into_iter()
        .map(Indicator)
        .collect())
}
