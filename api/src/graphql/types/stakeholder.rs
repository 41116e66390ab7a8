use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{FeedbackId, StakeholderId},
    model::{self, FeedbackTarget},
    policy::chain,
};
use uuid::Uuid;

use super::{Organization, Person};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, Under, admit_each, connection},
        context::{RequestContext, caller, load},
        enums::{Cadence, StakeholderRole},
        ids::{Kind, encode},
    },
};

/// The `Stakeholder` object; see its GraphQL description.
#[derive(Clone)]
pub struct Stakeholder(pub Arc<model::Stakeholder>);
connection!(
    /// A page of stakeholders.
    StakeholderConnection, StakeholderEdge, Stakeholder
);

impl Admit for Stakeholder {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Community(community) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<StakeholderId, _, _>(rc, ids, |s: Arc<model::Stakeholder>| {
            (s.community_id == community.id).then_some(Self(s))
        })
        .await
    }
}

/// Someone a community answers to or works with (funders, those it is accountable to, its
/// host, partners, interested outsiders), and how often they receive a report. Visible to
/// the community's members; its managers record them.
#[Object]
impl Stakeholder {
    /// Global ID (for `updateStakeholder` and `removeStakeholder`).
    pub async fn id(&self) -> ID {
        encode(Kind::Stakeholder, self.0.id)
    }

    /// Who.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Their organization, when it is in copnet.
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Option<Organization>> {
        match self.0.organization_id {
            Some(id) => Ok(load(ctx, id).await?.map(Organization)),
            None => Ok(None),
        }
    }

    /// How they relate to the community.
    async fn role(&self) -> StakeholderRole {
        self.0.role.into()
    }

    /// What they care about.
    async fn interest(&self) -> &str {
        &self.0.interest
    }

    /// How often they receive a report.
    async fn reporting_cadence(&self) -> Cadence {
        self.0.reporting_cadence.into()
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The `Feedback` object; see its GraphQL description.
#[derive(Clone)]
pub struct Feedback(pub Arc<model::Feedback>);
connection!(
    /// A page of feedback, newest first.
    FeedbackConnection, FeedbackEdge, Feedback
);

impl Admit for Feedback {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Managing(managing) = under else {
            return Ok(vec![None; ids.len()]);
        };
        let community = managing.community().id;
        admit_each::<FeedbackId, _, _>(rc, ids, |f: Arc<model::Feedback>| {
            (f.target == FeedbackTarget::Community(community)).then_some(Self(f))
        })
        .await
    }
}

/// A member's rating of the community, with its comment: for the community's managers.
#[Object]
impl Feedback {
    /// 1 (poor) to 5 (excellent).
    async fn rating(&self) -> u8 {
        self.0.rating
    }

    /// Free text.
    async fn comment(&self) -> &str {
        &self.0.comment
    }

    /// Who gave it; null when the caller may not see them.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        let (rc, a) = caller(ctx).await?;
        Ok(chain::person(rc, &a, self.0.person_id).await?.map(Person))
    }

    /// When it was given or last replaced.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Ratings counted (comments are for the community's managers: `Community.feedback`).
#[derive(SimpleObject)]
pub struct FeedbackSummary {
    /// How many people rated it.
    pub count: u64,
    /// The mean rating, 1 to 5; null when nobody rated it.
    pub average_rating: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5, in that order.
    pub distribution: Vec<u64>,
}

impl From<model::FeedbackSummary> for FeedbackSummary {
    fn from(s: model::FeedbackSummary) -> Self {
        let total: u64 = s.distribution.iter().zip(1u64..).map(|(n, r)| n * r).sum();
        #[allow(clippy::cast_precision_loss)]
        let average_rating = (s.count > 0).then(|| total as f64 / s.count as f64);
        Self {
            count: s.count,
            average_rating,
            distribution: s.distribution.to_vec(),
        }
    }
}
