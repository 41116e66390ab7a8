use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{auth::ApiKeys, ids::CalendarTokenId};

use super::id;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::write,
        ids::{Kind, decode, encode},
    },
};

/// Input of `createCalendarToken`.
#[derive(InputObject)]
pub struct CreateCalendarTokenInput {
    /// A community or regional cluster whose feed `path` should name; the token itself reads
    /// every feed the caller may read.
    pub feed_of: Option<ID>,
}

/// Input of `revokeCalendarToken`.
#[derive(InputObject)]
pub struct RevokeCalendarTokenInput {
    /// The token (`CalendarToken.id`).
    pub calendar_token_id: ID,
}

/// A calendar feed token of the caller.
#[derive(SimpleObject)]
pub struct CalendarToken {
    /// ID, for `revokeCalendarToken`.
    pub id: ID,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// Result of `createCalendarToken`: the secret is shown here only, once.
#[derive(SimpleObject)]
pub struct CreateCalendarTokenPayload {
    /// The token, for `?token=` on any feed
    /// (`/calendar/communities/{id}.ics`, `/calendar/clusters/{id}.ics`). Keep it secret:
    /// whoever holds it reads the feeds as you.
    pub token: String,
    /// The feed named by `feedOf` with the token, relative to the API's origin (null when
    /// `feedOf` was not given).
    pub path: Option<String>,
    /// The token's record.
    pub calendar_token: CalendarToken,
}

/// Result of `revokeCalendarToken`.
#[derive(SimpleObject)]
pub struct RevokeCalendarTokenPayload {
    /// The revoked token's ID.
    pub revoked_calendar_token_id: ID,
}

#[derive(Default)]
pub struct CalendarMutations;

#[Object]
impl CalendarMutations {
    /// Makes a calendar feed token for the caller (a signed-in person): calendar
    /// applications cannot send headers, so feeds take it as `?token=`. Feeds read with it
    /// show what the caller may see, at each request.
    async fn create_calendar_token(
        &self,
        ctx: &Context<'_>,
        input: CreateCalendarTokenInput,
    ) -> ApiResult<Option<CreateCalendarTokenPayload>> {
        let feed = match &input.feed_of {
            Some(raw) => match decode("feedOf", raw)? {
                (Kind::Community, _) => Some(format!("/calendar/communities/{}.ics", raw.as_str())),
                (Kind::Cluster, _) => Some(format!("/calendar/clusters/{}.ics", raw.as_str())),
                _ => {
                    return Err(ApiError::bad_input(
                        "feedOf",
                        "must be the ID of a Community or a RegionalCluster",
                    ));
                }
            },
            None => None,
        };
        let keys = ctx
            .data::<Arc<dyn ApiKeys>>()
            .map_err(|e| ApiError::internal(&e.message))?;
        let token_id = CalendarTokenId::generate();
        let (token, hash) = keys.issue_feed(token_id)?;
        let made = write(ctx, async |s, a| {
            s.create_calendar_token(a, token_id, &hash).await
        })
        .await?;
        Ok(Some(CreateCalendarTokenPayload {
            path: feed.map(|f| format!("{f}?token={token}")),
            token,
            calendar_token: CalendarToken {
                id: encode(Kind::CalendarToken, made.id),
                created_at: made.created_at,
            },
        }))
    }

    /// Revokes one of the caller's calendar tokens: every feed read with it stops at once.
    async fn revoke_calendar_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeCalendarTokenInput,
    ) -> ApiResult<Option<RevokeCalendarTokenPayload>> {
        let token: CalendarTokenId = id(
            "calendarTokenId",
            Kind::CalendarToken,
            &input.calendar_token_id,
        )?;
        write(ctx, async |s, a| s.revoke_calendar_token(a, token).await).await?;
        Ok(Some(RevokeCalendarTokenPayload {
            revoked_calendar_token_id: input.calendar_token_id,
        }))
    }
}
