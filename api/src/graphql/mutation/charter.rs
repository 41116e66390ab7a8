use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::CommunityId,
    service::CharterDraft,
    values::{Description, TextList},
};

use super::id;
use crate::{
    error::ApiResult,
    graphql::{enums::Cadence, ids::Kind, types::Charter},
};

/// Input of `updateCharter`. Absent fields keep the latest revision's value (empty, or
/// `NONE` for cadences, on a first revision).
#[derive(InputObject)]
pub struct UpdateCharterInput {
    /// The community.
    pub community_id: ID,
    /// Purpose: the subject matter, up to 4000 characters.
    pub domain: Option<String>,
    /// Purpose: what success looks like; at most 30 items of up to 500 characters.
    pub goals: Option<Vec<String>>,
    /// People: who is in, up to 4000 characters.
    pub audience: Option<String>,
    /// Who and what is not in scope, up to 4000 characters.
    pub out_of_scope: Option<String>,
    /// Practice: what the community produces; at most 30 items of up to 500 characters.
    pub outputs: Option<Vec<String>>,
    /// Practice: how it is run, up to 4000 characters.
    pub governance: Option<String>,
    /// How often the community convenes.
    pub meeting_rhythm: Option<Cadence>,
    /// How often the newsletter goes out.
    pub newsletter_cadence: Option<Cadence>,
    /// How often stakeholders receive a report.
    pub reporting_cadence: Option<Cadence>,
}

/// Result of `updateCharter`.
#[derive(SimpleObject)]
pub struct CharterPayload {
    /// The new revision.
    pub charter: Charter,
}

fn text(field: &'static str, raw: Option<&str>) -> ApiResult<Option<Description>> {
    Ok(raw.map(|r| Description::parse(field, r)).transpose()?)
}

fn list(field: &'static str, raw: Option<&[String]>) -> ApiResult<Option<TextList>> {
    Ok(raw.map(|r| TextList::parse(field, r)).transpose()?)
}

#[derive(Default)]
pub struct CharterMutations;

#[Object]
impl CharterMutations {
    /// Appends a revision to a community's charter (revisions are never edited or deleted).
    /// `MANAGER`s only; not when archived.
    async fn update_charter(
        &self,
        ctx: &Context<'_>,
        input: UpdateCharterInput,
    ) -> ApiResult<Option<CharterPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let draft = CharterDraft {
            domain: text("domain", input.domain.as_deref())?,
            goals: list("goals", input.goals.as_deref())?,
            audience: text("audience", input.audience.as_deref())?,
            out_of_scope: text("outOfScope", input.out_of_scope.as_deref())?,
            outputs: list("outputs", input.outputs.as_deref())?,
            governance: text("governance", input.governance.as_deref())?,
            meeting_rhythm: input.meeting_rhythm.map(Into::into),
            newsletter_cadence: input.newsletter_cadence.map(Into::into),
            reporting_cadence: input.reporting_cadence.map(Into::into),
        };
        let charter = crate::graphql::context::write(ctx, async |s, a| {
            s.update_charter(a, community, draft).await
        })
        .await?;
        Ok(Some(CharterPayload {
            charter: Charter(std::sync::Arc::new(charter)),
        }))
    }
}
