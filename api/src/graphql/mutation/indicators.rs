use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    ids::IndicatorId,
    model::IndicatorScope,
    service::NewIndicator,
    values::{Description, Name},
};

use super::id;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::write,
        enums::{IndicatorKind, IndicatorPeriod},
        ids::Kind,
        types::indicator::Indicator,
    },
};

/// Input of `defineIndicator`: exactly one of `communityId`, `clusterId` and `networkId`.
#[derive(InputObject)]
pub struct DefineIndicatorInput {
    /// For one community.
    pub community_id: Option<ID>,
    /// For a regional cluster's communities.
    pub cluster_id: Option<ID>,
    /// For a network's communities.
    pub network_id: Option<ID>,
    /// What it measures.
    pub kind: IndicatorKind,
    /// 1..120 characters on one line.
    pub name: String,
    /// The value aimed at per period (finite, within ±1e12).
    pub target: f64,
    /// Its periods.
    pub period: IndicatorPeriod,
    /// Values are recorded by hand instead of measured; defaults to true for `CUSTOM` (which
    /// must be manual) and false for the others.
    pub manual: Option<bool>,
}

/// Input of `recordIndicatorValue`.
#[derive(InputObject)]
pub struct RecordIndicatorValueInput {
    /// A manual indicator.
    pub indicator_id: ID,
    /// The start of one of its periods (00:00 UTC; weeks start on Monday).
    pub period_start: DateTime<Utc>,
    /// The value (finite, within ±1e12).
    pub value: f64,
    /// A note on it, up to 4000 characters.
    pub note: Option<String>,
}

/// The indicator defined or recorded.
#[derive(SimpleObject)]
pub struct IndicatorPayload {
    /// The indicator.
    pub indicator: Indicator,
}

fn scope(input: &DefineIndicatorInput) -> ApiResult<IndicatorScope> {
    match (&input.community_id, &input.cluster_id, &input.network_id) {
        (Some(c), None, None) => Ok(IndicatorScope::Community(id(
            "communityId",
            Kind::Community,
            c,
        )?)),
        (None, Some(k), None) => Ok(IndicatorScope::Cluster(id("clusterId", Kind::Cluster, k)?)),
        (None, None, Some(n)) => Ok(IndicatorScope::Network(id("networkId", Kind::Network, n)?)),
        _ => Err(ApiError::bad_input(
            "communityId",
            "give exactly one of communityId, clusterId and networkId",
        )),
    }
}

#[derive(Default)]
pub struct IndicatorMutations;

#[Object]
impl IndicatorMutations {
    /// Defines a success indicator with a target per period for a community (its
    /// `MANAGER`s), a cluster (its `CLUSTER_COORDINATOR`s and the network's `STEWARD`s) or a
    /// network (its `STEWARD`s); at most 50 per place.
    async fn define_indicator(
        &self,
        ctx: &Context<'_>,
        input: DefineIndicatorInput,
    ) -> ApiResult<Option<IndicatorPayload>> {
        let new = NewIndicator {
            scope: scope(&input)?,
            kind: input.kind.into(),
            name: Name::parse("name", &input.name)?,
            target: input.target,
            period: input.period.into(),
            manual: input.manual,
        };
        let indicator = write(ctx, async |s, a| s.define_indicator(a, new).await).await?;
        Ok(Some(IndicatorPayload {
            indicator: Indicator(indicator),
        }))
    }

    /// Records the value of one period of a manual indicator (replacing an earlier one).
    /// Whoever may define the indicator's indicators.
    async fn record_indicator_value(
        &self,
        ctx: &Context<'_>,
        input: RecordIndicatorValueInput,
    ) -> ApiResult<Option<IndicatorPayload>> {
        let indicator: IndicatorId = id("indicatorId", Kind::Indicator, &input.indicator_id)?;
        let note = Description::parse("note", input.note.as_deref().unwrap_or_default())?;
        let indicator = write(ctx, async |s, a| {
            s.record_indicator_value(a, indicator, input.period_start, input.value, note)
                .await
        })
        .await?;
        Ok(Some(IndicatorPayload {
            indicator: Indicator(indicator),
        }))
    }
}
