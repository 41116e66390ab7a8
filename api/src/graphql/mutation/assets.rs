use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{AssetId, EventId, PersonId, SpaceId},
    model::Tagged,
    service::{AssetRevision, JoinUrl, NewAsset},
    values::{AssetBody, Description, Tags, Title},
};

use super::{id, shown};
use crate::{
    error::ApiResult,
    graphql::{
        context::write,
        enums::{AssetKind, ReviewDecision},
        ids::Kind,
        types::{Asset, Event},
    },
};

/// Input of `createAsset`.
#[derive(InputObject)]
pub struct CreateAssetInput {
    /// The space it lives in.
    pub space_id: ID,
    /// Its kind.
    pub kind: AssetKind,
    /// 1..200 characters on one line.
    pub title: String,
    /// A short summary, up to 4000 characters.
    pub summary: Option<String>,
    /// The body in Markdown, up to 20000 characters.
    pub body: Option<String>,
    /// Where it lives, when it is a file or a page elsewhere: an absolute http(s) URL.
    pub url: Option<String>,
    /// Up to 10 tags of 1..40 characters (lowercased, duplicates dropped).
    pub tags: Option<Vec<String>>,
    /// Up to 10 topics of the network that the asset is about.
    pub topic_ids: Option<Vec<ID>>,
}

/// Input of `reviseAsset`: absent fields keep their value.
#[derive(InputObject)]
pub struct ReviseAssetInput {
    /// The asset.
    pub asset_id: ID,
    /// A new kind.
    pub kind: Option<AssetKind>,
    /// A new title.
    pub title: Option<String>,
    /// A new summary.
    pub summary: Option<String>,
    /// A new body.
    pub body: Option<String>,
    /// A new URL (empty clears it).
    pub url: Option<String>,
    /// New tags (replacing the old).
    pub tags: Option<Vec<String>>,
    /// New topics (replacing the old; up to 10 of the network's).
    pub topic_ids: Option<Vec<ID>>,
}

/// Input of `submitAssetForReview`.
#[derive(InputObject)]
pub struct SubmitAssetForReviewInput {
    /// The asset, a `DRAFT`.
    pub asset_id: ID,
    /// 1..10 reviewers: members of the community who can read the space, not the author.
    pub reviewer_ids: Vec<ID>,
}

/// Input of `reviewAsset`.
#[derive(InputObject)]
pub struct ReviewAssetInput {
    /// The asset, `IN_REVIEW`.
    pub asset_id: ID,
    /// The decision.
    pub decision: ReviewDecision,
    /// Up to 4000 characters for the author.
    pub comment: Option<String>,
}

/// Input of `retireAsset` and `withdrawAssetFromReview`.
#[derive(InputObject)]
pub struct AssetInput {
    /// The asset.
    pub asset_id: ID,
}

/// Input of `linkEventOutput` and `unlinkEventOutput`.
#[derive(InputObject)]
pub struct EventOutputInput {
    /// The event.
    pub event_id: ID,
    /// The asset, `PUBLISHED`, of the event's community.
    pub asset_id: ID,
}

/// Result of asset mutations.
#[derive(SimpleObject)]
pub struct AssetPayload {
    /// The asset as stored.
    pub asset: Option<Asset>,
}

/// Result of `linkEventOutput` and `unlinkEventOutput`.
#[derive(SimpleObject)]
pub struct EventOutputPayload {
    /// The event, with its `outputs`.
    pub event: Event,
}

fn title(raw: &str) -> ApiResult<Title> {
    Ok(Title::parse("title", raw)?)
}

fn summary(raw: &str) -> ApiResult<Description> {
    Ok(Description::parse("summary", raw)?)
}

fn body(raw: &str) -> ApiResult<AssetBody> {
    Ok(AssetBody::parse("body", raw)?)
}

fn url(raw: &str) -> ApiResult<JoinUrl> {
    Ok(JoinUrl::parse("url", raw)?)
}

fn tags(raw: &[String]) -> ApiResult<Tags> {
    Ok(Tags::parse("tags", raw)?)
}

async fn payload(ctx: &Context<'_>, asset: AssetId) -> ApiResult<Option<AssetPayload>> {
    Ok(Some(AssetPayload {
        asset: shown::asset(ctx, asset).await?,
    }))
}

#[derive(Default)]
pub struct AssetMutations;

#[Object]
impl AssetMutations {
    /// Creates a `DRAFT` knowledge asset in a space (version 1). Members of the community who
    /// read the space; not when archived.
    async fn create_asset(
        &self,
        ctx: &Context<'_>,
        input: CreateAssetInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let space: SpaceId = id("spaceId", Kind::Space, &input.space_id)?;
        let new = NewAsset {
            kind: input.kind.into(),
            title: title(&input.title)?,
            summary: summary(input.summary.as_deref().unwrap_or_default())?,
            body: body(input.body.as_deref().unwrap_or_default())?,
            url: url(input.url.as_deref().unwrap_or_default())?,
            tags: tags(input.tags.as_deref().unwrap_or_default())?,
        };
        let topics = super::topic_ids(input.topic_ids.as_deref())?;
        let asset = write(ctx, async |s, a| {
            let topics = match &topics {
                Some(ids) => Some(s.check_topics_in_space(a, space, ids).await?),
                None => None,
            };
            let asset = s.create_asset(a, space, new).await?;
            if let Some(ids) = topics {
                s.set_topics(a, Tagged::Asset(asset.id), &ids).await?;
            }
            Ok(asset)
        })
        .await?;
        payload(ctx, asset.id).await
    }

    /// Adds a version (`Asset.versions`). A `DRAFT`: its author or a `MANAGER`; a
    /// `PUBLISHED` asset: a `MANAGER` (it stays published). Not while in review or retired.
    async fn revise_asset(
        &self,
        ctx: &Context<'_>,
        input: ReviseAssetInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let revision = AssetRevision {
            kind: input.kind.map(Into::into),
            title: input.title.as_deref().map(title).transpose()?,
            summary: input.summary.as_deref().map(summary).transpose()?,
            body: input.body.as_deref().map(body).transpose()?,
            url: input.url.as_deref().map(url).transpose()?,
            tags: input.tags.as_deref().map(tags).transpose()?,
        };
        let topics = super::topic_ids(input.topic_ids.as_deref())?;
        let asset = write(ctx, async |s, a| {
            if let Some(ids) = &topics {
                s.set_topics(a, Tagged::Asset(asset), ids).await?;
            }
            s.revise_asset(a, asset, revision).await
        })
        .await?;
        payload(ctx, asset.id).await
    }

    /// Sends a `DRAFT` to named reviewers (`IN_REVIEW`, a new round); each gets an
    /// `assetReviewRequested` event. Its author or a `MANAGER`. A reviewer who is not a
    /// member able to read the space, or is the author, is `BAD_USER_INPUT`.
    async fn submit_asset_for_review(
        &self,
        ctx: &Context<'_>,
        input: SubmitAssetForReviewInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let reviewers = input
            .reviewer_ids
            .iter()
            .map(|r| id::<PersonId>("reviewerIds", Kind::Person, r))
            .collect::<ApiResult<Vec<_>>>()?;
        let asset = write(ctx, async |s, a| {
            s.submit_asset_for_review(a, asset, reviewers).await
        })
        .await?;
        payload(ctx, asset.id).await
    }

    /// A named reviewer decides: `APPROVE` (when every reviewer of the round approved, the
    /// asset is `PUBLISHED`) or `REQUEST_CHANGES` (back to `DRAFT`). A reviewer may change
    /// their decision while the asset is in review.
    async fn review_asset(
        &self,
        ctx: &Context<'_>,
        input: ReviewAssetInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let comment = Description::parse("comment", input.comment.as_deref().unwrap_or_default())?;
        let decision = input.decision.into();
        let asset = write(ctx, async |s, a| {
            s.review_asset(a, asset, decision, comment).await
        })
        .await?;
        payload(ctx, asset.id).await
    }

    /// Retires a `PUBLISHED` asset: it stays readable, marked `RETIRED`. Its author or a
    /// `MANAGER`.
    async fn retire_asset(
        &self,
        ctx: &Context<'_>,
        input: AssetInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let asset = write(ctx, async |s, a| s.retire_asset(a, asset).await).await?;
        payload(ctx, asset.id).await
    }

    /// Takes an asset back from review to `DRAFT` (for instance when a reviewer can no
    /// longer read its space); its author or a `MANAGER`. Submitting it again starts a new
    /// round.
    async fn withdraw_asset_from_review(
        &self,
        ctx: &Context<'_>,
        input: AssetInput,
    ) -> ApiResult<Option<AssetPayload>> {
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let asset = write(ctx, async |s, a| s.withdraw_asset(a, asset).await).await?;
        payload(ctx, asset.id).await
    }

    /// Links a `PUBLISHED` asset of the event's community as one of its outputs (a
    /// recording, the notes); at most 20 per event; linking twice changes nothing. Whoever
    /// manages the event.
    async fn link_event_output(
        &self,
        ctx: &Context<'_>,
        input: EventOutputInput,
    ) -> ApiResult<Option<EventOutputPayload>> {
        let event: EventId = id("eventId", Kind::Event, &input.event_id)?;
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let event = write(ctx, async |s, a| s.link_event_output(a, event, asset).await).await?;
        Ok(Some(EventOutputPayload {
            event: Event(event),
        }))
    }

    /// Removes an output link. Whoever manages the event; an asset that is not linked is
    /// `NOT_FOUND`.
    async fn unlink_event_output(
        &self,
        ctx: &Context<'_>,
        input: EventOutputInput,
    ) -> ApiResult<Option<EventOutputPayload>> {
        let event: EventId = id("eventId", Kind::Event, &input.event_id)?;
        let asset: AssetId = id("assetId", Kind::Asset, &input.asset_id)?;
        let event = write(ctx, async |s, a| {
            s.unlink_event_output(a, event, asset).await
        })
        .await?;
        Ok(Some(EventOutputPayload {
            event: Event(event),
        }))
    }
}
