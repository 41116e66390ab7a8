use chrono::Utc;
use tracing::instrument;

use super::{JoinUrl, Services};
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::Event,
    ids::{AssetId, AssetVersionId, EventId, PersonId, SpaceId},
    model::{Asset, AssetContent, AssetKind, AssetStatus, AssetVersion, Convening, ReviewDecision},
    policy::{assets, chain, proof::Readable},
    values::{AssetBody, Description, Tags, Title},
};

/// Most reviewers named in one round.
pub const MAX_REVIEWERS: usize = 10;
/// Most outputs linked to one event.
pub const MAX_OUTPUTS: usize = 20;

/// The content of a new asset.
#[derive(Debug, Clone)]
pub struct NewAsset {
    /// Its kind.
    pub kind: AssetKind,
    /// Its title.
    pub title: Title,
    /// A short summary.
    pub summary: Description,
    /// The body, in Markdown.
    pub body: AssetBody,
    /// Where it lives.
    pub url: JoinUrl,
    /// Its tags.
    pub tags: Tags,
}

/// A revision: `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct AssetRevision {
    /// A new kind.
    pub kind: Option<AssetKind>,
    /// A new title.
    pub title: Option<Title>,
    /// A new summary.
    pub summary: Option<Description>,
    /// A new body.
    pub body: Option<AssetBody>,
    /// A new URL (empty clears it).
    pub url: Option<JoinUrl>,
    /// New tags.
    pub tags: Option<Tags>,
}

impl Services {
    /// A member creates a `DRAFT` asset in a space they read.
    #[instrument(skip_all)]
    pub async fn create_asset(
        &self,
        access: &AccessSet,
        space: SpaceId,
        new: NewAsset,
    ) -> DomainResult<Asset> {
        let author = access.require_person()?;
        let space = self.readable_space(access, space).await?;
        assets::can_create_asset(access, &space)?;
        let now = Utc::now();
        let content = AssetContent {
            body_html: self.renderer.render(new.body.as_str()),
            title: new.title.into_inner(),
            summary: new.summary.into_inner(),
            body: new.body.into_inner(),
            url: new.url.into_option(),
            tags: new.tags.into_inner(),
        };
        let asset = Asset {
            id: AssetId::generate(),
            community_id: space.community_id,
            space_id: space.id,
            author_id: Some(author),
            kind: new.kind,
            status: AssetStatus::Draft,
            content,
            version: 1,
            review_round: 0,
            reviewers: Vec::new(),
            published_at: None,
            retired_at: None,
            created_at: now,
            updated_at: now,
        };
        self.repos
            .assets
            .create(&asset, &version_of(&asset, author))
            .await?;
        Ok(asset)
    }

    /// Adds a version: the author or a manager revises a draft; a manager corrects a
    /// published asset.
    #[instrument(skip_all)]
    pub async fn revise_asset(
        &self,
        access: &AccessSet,
        id: AssetId,
        revision: AssetRevision,
    ) -> DomainResult<Asset> {
        let author = access.require_person()?;
        let found = self.asset(access, id).await?;
        assets::can_revise_asset(access, &found)?;
        let current = found.item().clone();
        let mut content = current.content.clone();
        if let Some(title) = revision.title {
            content.title = title.into_inner();
        }
        if let Some(summary) = revision.summary {
            content.summary = summary.into_inner();
        }
        if let Some(body) = revision.body {
            content.body_html = self.renderer.render(body.as_str());
            content.body = body.into_inner();
        }
        if let Some(url) = revision.url {
            content.url = url.into_option();
        }
        if let Some(tags) = revision.tags {
            content.tags = tags.into_inner();
        }
        let asset = Asset {
            kind: revision.kind.unwrap_or(current.kind),
            content,
            version: current.version.saturating_add(1),
            updated_at: Utc::now(),
            ..current
        };
        self.repos
            .assets
            .revise(&asset, &version_of(&asset, author))
            .await?;
        Ok(asset)
    }

    /// The author or a manager submits a draft to named reviewers: members of the community
    /// who read the space, not the author. Each reviewer is told (`assetReviewRequested`).
    #[instrument(skip_all)]
    pub async fn submit_asset_for_review(
        &self,
        access: &AccessSet,
        id: AssetId,
        reviewers: Vec<PersonId>,
    ) -> DomainResult<Asset> {
        let found = self.asset(access, id).await?;
        assets::can_submit_asset(access, &found)?;
        let mut named: Vec<PersonId> = Vec::with_capacity(reviewers.len());
        for reviewer in reviewers {
            if !named.contains(&reviewer) {
                named.push(reviewer);
            }
        }
        if named.is_empty() || named.len() > MAX_REVIEWERS {
            return Err(DomainError::invalid(
                "reviewerIds",
                format!("name 1 to {MAX_REVIEWERS} reviewers"),
            ));
        }
        let candidates = self.repos.access.load_many(&named).await?;
        for reviewer in &named {
            let candidate = candidates.get(reviewer).cloned().unwrap_or(AccessSet {
                person: Some(*reviewer),
                ..AccessSet::default()
            });
            let space = chain::readable_space(&self.repos, &candidate, found.space_id).await?;
            assets::can_be_reviewer(&candidate, &found, space.as_ref())?;
        }
        let asset = self
            .repos
            .assets
            .submit(found.id, &named, Utc::now())
            .await?;
        let told: Vec<Event> = named
            .into_iter()
            .map(|reviewer| Event::AssetReviewRequested {
                reviewer,
                asset: asset.id,
            })
            .collect();
        self.publish(told).await;
        Ok(asset)
    }

    /// A named reviewer approves or requests changes; the last approval publishes the asset,
    /// a request for changes returns it to `DRAFT`.
    #[instrument(skip_all)]
    pub async fn review_asset(
        &self,
        access: &AccessSet,
        id: AssetId,
        decision: ReviewDecision,
        comment: Description,
    ) -> DomainResult<Asset> {
        let reviewer = access.require_person()?;
        let found = self.asset(access, id).await?;
        assets::can_review_asset(access, &found)?;
        let reviewed = self
            .repos
            .assets
            .review(found.id, reviewer, decision, comment.as_str(), Utc::now())
            .await?;
        self.figures_changed(reviewed.community_id).await;
        Ok(reviewed)
    }

    /// The author or a manager takes an asset back from review, to `DRAFT` (the round's
    /// reviews are kept with it).
    #[instrument(skip_all)]
    pub async fn withdraw_asset(&self, access: &AccessSet, id: AssetId) -> DomainResult<Asset> {
        let found = self.asset(access, id).await?;
        assets::can_withdraw_asset(access, &found)?;
        self.repos.assets.withdraw(found.id, Utc::now()).await
    }

    /// The author or a manager retires a published asset: it stays readable, marked.
    #[instrument(skip_all)]
    pub async fn retire_asset(&self, access: &AccessSet, id: AssetId) -> DomainResult<Asset> {
        let found = self.asset(access, id).await?;
        assets::can_retire_asset(access, &found)?;
        let retired = self.repos.assets.retire(found.id, Utc::now()).await?;
        self.figures_changed(retired.community_id).await;
        Ok(retired)
    }

    /// Whoever manages an event links a published asset as one of its outputs.
    #[instrument(skip_all)]
    pub async fn link_event_output(
        &self,
        access: &AccessSet,
        event: EventId,
        asset: AssetId,
    ) -> DomainResult<Readable<Convening>> {
        let by = access.require_person()?;
        let event = self.event(access, event).await?;
        let asset = self.asset(access, asset).await?;
        assets::can_link_output(access, &event, &asset)?;
        self.repos
            .assets
            .link_output(event.id, asset.id, by, MAX_OUTPUTS)
            .await?;
        Ok(event)
    }

    /// Whoever manages an event unlinks one of its outputs.
    #[instrument(skip_all)]
    pub async fn unlink_event_output(
        &self,
        access: &AccessSet,
        event: EventId,
        asset: AssetId,
    ) -> DomainResult<Readable<Convening>> {
        access.require_person()?;
        let event = self.event(access, event).await?;
        crate::policy::write::can_manage_events(
            access,
            crate::policy::write::EventPlace::of(&event),
        )?;
        if !self.repos.assets.unlink_output(event.id, asset).await? {
            return Err(DomainError::NotFound("output"));
        }
        Ok(event)
    }

    async fn asset(&self, access: &AccessSet, id: AssetId) -> DomainResult<Readable<Asset>> {
        chain::asset(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("asset"))
    }
}

fn version_of(asset: &Asset, author: PersonId) -> AssetVersion {
    AssetVersion {
        id: AssetVersionId::generate(),
        asset_id: asset.id,
        version: asset.version,
        content: asset.content.clone(),
        author_id: Some(author),
        created_at: asset.updated_at,
    }
}
