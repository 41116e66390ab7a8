use async_graphql::{Context, ID, InputObject, Object};
use copnet_domain::{ids::CommunityId, model::CircleRules};

use super::{community::CommunityPayload, id, shown};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{context::write, ids::Kind},
};

/// Input of `setCircleSettings`; a setting left out keeps its current value.
#[derive(InputObject)]
pub struct SetCircleSettingsInput {
    /// The community.
    pub community_id: ID,
    /// Days of activity that count, 1..366 (default 90).
    pub window_days: Option<i32>,
    /// Contributions in the window that make a member `INNER`, 1..1000 (default 3).
    pub inner_threshold: Option<i32>,
    /// Days after joining a member is `NEW`, 0..366 (default 30).
    pub new_days: Option<i32>,
}

fn setting(field: &'static str, raw: Option<i32>) -> ApiResult<Option<u32>> {
    raw.map(|n| u32::try_from(n).map_err(|_| ApiError::bad_input(field, "must not be negative")))
        .transpose()
}

#[derive(Default)]
pub struct ParticipationMutations;

#[Object]
impl ParticipationMutations {
    /// Changes the window and thresholds that decide the community's participation circles
    /// (`Community.circleSettings`); every member's circle is decided again at once.
    /// `MANAGER`s only.
    async fn set_circle_settings(
        &self,
        ctx: &Context<'_>,
        input: SetCircleSettingsInput,
    ) -> ApiResult<Option<CommunityPayload>> {
        let community: CommunityId = id("communityId", Kind::Community, &input.community_id)?;
        let window = setting("windowDays", input.window_days)?;
        let threshold = setting("innerThreshold", input.inner_threshold)?;
        let new_days = setting("newDays", input.new_days)?;
        let community = write(ctx, async |s, a| {
            let current = s.circle_rules(a, community).await?;
            let rules = CircleRules {
                window_days: window.unwrap_or(current.window_days),
                inner_threshold: threshold.unwrap_or(current.inner_threshold),
                new_days: new_days.unwrap_or(current.new_days),
            };
            s.set_circle_rules(a, community, rules).await
        })
        .await?;
        Ok(shown::community(ctx, community.id)
            .await?
            .map(|community| CommunityPayload { community }))
    }
}
