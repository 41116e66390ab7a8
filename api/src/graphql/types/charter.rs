use std::sync::Arc;

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{CharterId, StageChangeId},
    model,
    policy::chain,
};
use uuid::Uuid;

use super::Person;
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, Under, admit_each, connection},
        context::{RequestContext, caller},
        enums::{Cadence, CommunityStage},
    },
};

/// The `Charter` object; see its GraphQL description.
#[derive(Clone)]
pub struct Charter(pub Arc<model::Charter>);
connection!(
    /// A page of charter revisions, newest first.
    CharterConnection, CharterEdge, Charter
);

impl Admit for Charter {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Community(community) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<CharterId, _, _>(rc, ids, |c: Arc<model::Charter>| {
            (c.community_id == community.id).then_some(Self(c))
        })
        .await
    }
}

/// The visible author of a revision or change, if the caller may see them.
async fn visible_person(
    ctx: &Context<'_>,
    id: Option<copnet_domain::ids::PersonId>,
) -> ApiResult<Option<Person>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let (rc, a) = caller(ctx).await?;
    Ok(chain::person(rc, &a, id).await?.map(Person))
}

/// One revision of a community's charter: its purpose, people and practice. Revisions are
/// appended by `updateCharter`, never edited or deleted; `Community.charter` is the latest.
/// Visible to whoever sees the community.
#[Object]
impl Charter {
    /// 1 for the first revision, one more for each after it.
    async fn revision(&self) -> u32 {
        self.0.revision
    }

    /// Purpose: the subject matter, and what is in it for the organizations and members.
    async fn domain(&self) -> &str {
        &self.0.domain
    }

    /// Purpose: what success looks like, one goal per item.
    async fn goals(&self) -> &[String] {
        &self.0.goals
    }

    /// People: who is in (homogeneous or mixed, one organization or many, open or invited).
    async fn audience(&self) -> &str {
        &self.0.audience
    }

    /// Who and what is not in scope.
    async fn out_of_scope(&self) -> &str {
        &self.0.out_of_scope
    }

    /// Practice: what the community produces (toolkits, blogs, templates, learning products).
    async fn outputs(&self) -> &[String] {
        &self.0.outputs
    }

    /// Practice: how it is run (roles, channels, documentation, netiquette and its enforcement).
    async fn governance(&self) -> &str {
        &self.0.governance
    }

    /// How often the community convenes.
    async fn meeting_rhythm(&self) -> Cadence {
        self.0.meeting_rhythm.into()
    }

    /// How often the newsletter goes out.
    async fn newsletter_cadence(&self) -> Cadence {
        self.0.newsletter_cadence.into()
    }

    /// How often stakeholders receive a report.
    async fn reporting_cadence(&self) -> Cadence {
        self.0.reporting_cadence.into()
    }

    /// Who wrote this revision; null when the caller may not see them.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        visible_person(ctx, self.0.author_id).await
    }

    /// When this revision was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The `StageChange` object; see its GraphQL description.
#[derive(Clone)]
pub struct StageChange(pub Arc<model::StageChange>);
connection!(
    /// A page of stage changes, newest first.
    StageChangeConnection, StageChangeEdge, StageChange
);

impl Admit for StageChange {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Community(community) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<StageChangeId, _, _>(rc, ids, |c: Arc<model::StageChange>| {
            (c.community_id == community.id).then_some(Self(c))
        })
        .await
    }
}

/// One move of a community through its lifecycle (`setCommunityStage`).
#[Object]
impl StageChange {
    /// The stage before.
    async fn from(&self) -> CommunityStage {
        self.0.from.into()
    }

    /// The stage after.
    async fn to(&self) -> CommunityStage {
        self.0.to.into()
    }

    /// Who changed it; null when the caller may not see them.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        visible_person(ctx, self.0.actor_id).await
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
