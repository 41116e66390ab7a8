use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{CommunityId, StakeholderId},
    model::FeedbackTarget,
    service::{Rating, StakeholderDetails},
    values::{Description, Name},
};

use super::id;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::write,
        enums::{Cadence, StakeholderRole},
        ids::{Kind, decode},
        types::Stakeholder,
    },
};

/// Input of `addStakeholder`.
#[derive(InputObject)]
pub struct AddStakeholderInput {
    /// The community.
    pub community_id: ID,
    /// Who, 1..120 characters.
    pub name: String,
    /// Their organization, when it is in copnet.
    pub organization_id: Option<ID>,
    /// How they relate to the community.
    pub role: StakeholderRole,
    /// What they care about, up to 4000 characters.
    pub interest: Option<String>,
    /// How often they receive a report (default `NONE`).
    pub reporting_cadence: Option<Cadence>,
}

/// Input of `updateStakeholder`: every field is replaced.
#[derive(InputObject)]
pub struct UpdateStakeholderInput {
    /// The stakeholder.
    pub stakeholder_id: ID,
    /// Who, 1..120 characters.
    pub name: String,
    /// Their organization, when it is in copnet.
    pub organization_id: Option<ID>,
    /// How they relate to the community.
    pub role: StakeholderRole,
    /// What they care about, up to 4000 characters.
    pub interest: Option<String>,
    /// How often they receive a report (default `NONE`).
    pub reporting_cadence: Option<Cadence>,
}

/// Input of `removeStakeholder`.
#[derive(InputObject)]
pub struct RemoveStakeholderInput {
    /// The stakeholder.
    pub stakeholder_id: ID,
}

/// Input of `giveFeedback`.
#[derive(InputObject)]
pub struct GiveFeedbackInput {
    /// What is rated: a community or an event.
    pub target_id: ID,
    /// 1 (poor) to 5 (excellent).
    pub rating: i64,
    /// Up to 4000 characters, read by the community's managers.
    pub comment: Option<String>,
}

/// Result of stakeholder mutations.
#[derive(SimpleObject)]
pub struct StakeholderPayload {
    /// The stakeholder as stored (as it was, for `removeStakeholder`).
    pub stakeholder: Stakeholder,
}

/// Result of `giveFeedback`.
#[derive(SimpleObject)]
pub struct GiveFeedbackPayload {
    /// The rating stored.
    pub rating: u8,
    /// The comment stored.
    pub comment: String,
}

fn details(
    name: &str,
    organization: Option<&ID>,
    role: StakeholderRole,
    interest: Option<&str>,
    cadence: Option<Cadence>,
) -> ApiResult<StakeholderDetails> {
    Ok(StakeholderDetails {
        name: Name::parse("name", name)?,
        organization_id: organization
            .map(|o| id("organizationId", Kind::Organization, o))
            .transpose()?,
        role: role.into(),
        interest: Description::parse("interest", interest.unwrap_or_default())?,
        reporting_cadence: cadence.map_or(copnet_domain::model::Cadence::None, Into::into),
    })
}

#[derive(Default)]
pub struct StakeholderMutations;

#[Object]
impl StakeholderMutations {
    /// Records a stakeholder of a community. `MANAGER`s only; not when archived.
    async fn add_stakeholder(
        &self,
        ctx: &Context<'_>,
        input: AddStakeholderInput,
    ) -> ApiResult<Option<StakeholderPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let d = details(
            &input.name,
            input.organization_id.as_ref(),
            input.role,
            input.interest.as_deref(),
            input.reporting_cadence,
        )?;
        let s = write(ctx, async |s, a| s.add_stakeholder(a, community, d).await).await?;
        Ok(Some(StakeholderPayload {
            stakeholder: Stakeholder(Arc::new(s)),
        }))
    }

    /// Changes a stakeholder (every field). `MANAGER`s only.
    async fn update_stakeholder(
        &self,
        ctx: &Context<'_>,
        input: UpdateStakeholderInput,
    ) -> ApiResult<Option<StakeholderPayload>> {
        let sid: StakeholderId = id("stakeholderId", Kind::Stakeholder, &input.stakeholder_id)?;
        let d = details(
            &input.name,
            input.organization_id.as_ref(),
            input.role,
            input.interest.as_deref(),
            input.reporting_cadence,
        )?;
        let s = write(ctx, async |s, a| s.update_stakeholder(a, sid, d).await).await?;
        Ok(Some(StakeholderPayload {
            stakeholder: Stakeholder(Arc::new(s)),
        }))
    }

    /// Removes a stakeholder. `MANAGER`s only.
    async fn remove_stakeholder(
        &self,
        ctx: &Context<'_>,
        input: RemoveStakeholderInput,
    ) -> ApiResult<Option<StakeholderPayload>> {
        let sid: StakeholderId = id("stakeholderId", Kind::Stakeholder, &input.stakeholder_id)?;
        let s = write(ctx, async |s, a| s.remove_stakeholder(a, sid).await).await?;
        Ok(Some(StakeholderPayload {
            stakeholder: Stakeholder(Arc::new(s)),
        }))
    }

    /// Rates a community (its members) or an event (who may answer for it), 1 to 5, with an
    /// optional comment; a second rating of the same target replaces the first. Counts are
    /// shown to members (`feedbackSummary`), comments to managers (`Community.feedback`).
    async fn give_feedback(
        &self,
        ctx: &Context<'_>,
        input: GiveFeedbackInput,
    ) -> ApiResult<Option<GiveFeedbackPayload>> {
        let target = match decode("targetId", &input.target_id)? {
            (Kind::Community, uuid) => FeedbackTarget::Community(uuid.into()),
            (Kind::Event, uuid) => FeedbackTarget::Event(uuid.into()),
            _ => {
                return Err(ApiError::bad_input(
                    "targetId",
                    "must be the ID of a Community or an Event",
                ));
            }
        };
        let rating = Rating::parse("rating", input.rating)?;
        let comment = Description::parse("comment", input.comment.as_deref().unwrap_or_default())?;
        let f = write(ctx, async |s, a| {
            s.give_feedback(a, target, rating, comment).await
        })
        .await?;
        Ok(Some(GiveFeedbackPayload {
            rating: f.rating,
            comment: f.comment,
        }))
    }
}
