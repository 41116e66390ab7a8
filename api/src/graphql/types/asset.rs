use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{AssetId, AssetVersionId},
    listing::{self, Scoped},
    model::{self, Role},
    policy::{
        assets, chain,
        proof::{self, Readable},
    },
    values::Tags,
};
use uuid::Uuid;

use super::{Community, Person, Space, page_args};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, ConnectionData, Under, admit_each, connection, cost, rows},
        context::{RequestContext, access, caller, load},
        enums::{AssetKind, AssetStatus, ReviewDecision},
        ids::{Kind, encode},
        loaders::ReviewsOf,
    },
};

/// The `Asset` object; see its GraphQL description.
#[derive(Clone)]
pub struct Asset(pub Readable<model::Asset>);
connection!(
    /// A page of knowledge assets, newest first.
    AssetConnection, AssetEdge, Asset
);

impl Admit for Asset {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<AssetId, model::Asset>(rc, ids).await? {
            let seen = match (row, under) {
                (Some(a), Under::Space(s)) => proof::read_asset(access, s, a),
                (Some(a), _) => chain::asset_row(rc, access, a).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

impl Asset {
    /// Whether the caller follows its review: its author, a reviewer, a manager.
    fn follows_review(&self, access: &AccessSet) -> bool {
        self.0.is_author(access.person)
            || access.has_role(self.0.community_id, Role::Manager)
            || access.person.is_some_and(|p| self.0.reviewers.contains(&p))
    }
}

/// A knowledge asset of a space (a toolkit, a template, a case study, a recording),
/// published through peer review. Readers of the space see it once `PUBLISHED` (and when
/// `RETIRED`, marked by its status); a `DRAFT` is seen by its author and the community's
/// managers only, an asset `IN_REVIEW` also by its named reviewers.
#[Object]
impl Asset {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Asset, self.0.id)
    }

    /// Its kind.
    async fn kind(&self) -> AssetKind {
        self.0.kind.into()
    }

    /// Where it is in its review.
    async fn status(&self) -> AssetStatus {
        self.0.status.into()
    }

    /// Whether it was retired (kept for the record, no longer recommended).
    async fn retired(&self) -> bool {
        self.0.status == model::AssetStatus::Retired
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.content.title
    }

    /// A short summary.
    async fn summary(&self) -> &str {
        &self.0.content.summary
    }

    /// The body, in Markdown as written.
    async fn body(&self) -> &str {
        &self.0.content.body
    }

    /// The body rendered to sanitized HTML.
    async fn body_html(&self) -> &str {
        &self.0.content.body_html
    }

    /// Where it lives, when it is a file or a page elsewhere.
    async fn url(&self) -> Option<&str> {
        self.0.content.url.as_deref()
    }

    /// The topics of the network it is about.
    async fn topics(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Topic>> {
        super::topic::topics_of(ctx, model::Tagged::Asset(self.0.id)).await
    }

    /// Its tags, lowercase and sorted.
    async fn tags(&self) -> &[String] {
        &self.0.content.tags
    }

    /// The current version: 1, then one more per `reviseAsset`.
    async fn version(&self) -> u32 {
        self.0.version
    }

    /// Its space.
    async fn space(&self) -> Space {
        Space(self.0.space().visible())
    }

    /// Its community.
    async fn community(&self) -> Community {
        Community(self.0.community().clone())
    }

    /// Who created it; null when that person is no longer visible to the caller.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match self.0.author_id {
            Some(id) => Person::visible(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The current review round: the named reviewers with their decisions, in the order
    /// named. For its author, its reviewers and the community's managers; null for others
    /// (and an empty list before the first submission).
    async fn reviews(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<AssetReview>>> {
        if !self.follows_review(&*access(ctx).await?) {
            return Ok(None);
        }
        let found = load(ctx, ReviewsOf((self.0.id, self.0.review_round)))
            .await?
            .unwrap_or_default();
        Ok(Some(found.into_iter().map(AssetReview).collect()))
    }

    /// Its versions, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size reading forward, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
        #[graphql(desc = "Page size reading backward, 1..100.")] last: Option<i32>,
        #[graphql(desc = "Cursor to read before.")] before: Option<String>,
    ) -> ApiResult<AssetVersionConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::asset_versions(&self.0);
        Ok(AssetVersionConnection(
            ConnectionData::fetch(ctx, scoped, Under::Asset(self.0.clone()), &args).await?,
        ))
    }

    /// When it was first published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }

    /// When it was retired.
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        self.0.retired_at
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its content or status last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Whether `reviseAsset` would succeed for the caller.
    async fn viewer_can_revise(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(assets::can_revise_asset(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `submitAssetForReview` would succeed for the caller (with valid reviewers).
    async fn viewer_can_submit(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(assets::can_submit_asset(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `reviewAsset` would succeed for the caller: a named reviewer, in review.
    async fn viewer_can_review(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(assets::can_review_asset(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `retireAsset` would succeed for the caller.
    async fn viewer_can_retire(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(assets::can_retire_asset(&*access(ctx).await?, &self.0).is_ok())
    }
}

/// A named reviewer's part in an asset's current review round.
pub struct AssetReview(model::AssetReview);

/// A reviewer's decision on an asset, once given.
#[Object]
impl AssetReview {
    /// The reviewer; null when no longer visible to the caller.
    async fn reviewer(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        let (rc, a) = caller(ctx).await?;
        Ok(chain::person(rc, &a, self.0.reviewer_id).await?.map(Person))
    }

    /// Their decision; null while pending.
    async fn decision(&self) -> Option<ReviewDecision> {
        self.0.decision.map(Into::into)
    }

    /// Their comment (empty until they decide).
    async fn comment(&self) -> &str {
        &self.0.comment
    }

    /// The review round (1 for the first submission).
    async fn round(&self) -> u32 {
        self.0.round
    }

    /// When they were asked.
    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.requested_at
    }

    /// When they decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
}

/// The `AssetVersion` object; see its GraphQL description.
#[derive(Clone)]
pub struct AssetVersion(pub Arc<model::AssetVersion>);
connection!(
    /// A page of an asset's versions, newest first.
    AssetVersionConnection, AssetVersionEdge, AssetVersion
);

impl Admit for AssetVersion {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Asset(asset) = under else {
            return Ok(vec![None; ids.len()]);
        };
        let asset = asset.id;
        admit_each::<AssetVersionId, _, _>(rc, ids, |v: Arc<model::AssetVersion>| {
            (v.asset_id == asset).then_some(Self(v))
        })
        .await
    }
}

/// One version of an asset, as it was written: as visible as the asset.
#[Object]
impl AssetVersion {
    /// 1 for the first.
    async fn version(&self) -> u32 {
        self.0.version
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.content.title
    }

    /// Its summary.
    async fn summary(&self) -> &str {
        &self.0.content.summary
    }

    /// Its body, in Markdown.
    async fn body(&self) -> &str {
        &self.0.content.body
    }

    /// Its body rendered to sanitized HTML.
    async fn body_html(&self) -> &str {
        &self.0.content.body_html
    }

    /// Its URL.
    async fn url(&self) -> Option<&str> {
        self.0.content.url.as_deref()
    }

    /// Its tags.
    async fn tags(&self) -> &[String] {
        &self.0.content.tags
    }

    /// Who wrote it; null when no longer visible to the caller.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match self.0.author_id {
            Some(id) => Person::visible(ctx, id).await,
            None => Ok(None),
        }
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Narrows a list of assets (every condition given must hold).
#[derive(InputObject, Default)]
#[graphql(name = "AssetFilter")]
pub struct AssetFilterInput {
    /// Only of this kind.
    pub kind: Option<AssetKind>,
    /// Only carrying this tag (case-insensitive).
    pub tag: Option<String>,
    /// Only in this status, among those the caller sees.
    pub status: Option<AssetStatus>,
}

impl AssetFilterInput {
    /// The domain's filter, validated.
    pub fn into_domain(self) -> ApiResult<listing::AssetFilter> {
        Ok(listing::AssetFilter {
            kind: self.kind.map(Into::into),
            tag: self.tag.map(|t| Tags::one("filter.tag", &t)).transpose()?,
            status: self.status.map(Into::into),
        })
    }
}

/// The asset with this id, if the caller reads it.
pub async fn find(
    rc: &RequestContext,
    access: &AccessSet,
    id: AssetId,
) -> ApiResult<Option<Asset>> {
    Ok(chain::asset(rc, access, id).await?.map(Asset))
}
