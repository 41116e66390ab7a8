use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainError, DomainResult,
    ids::{AssetId, AssetVersionId, EventId, PersonId},
    model::{
        Asset, AssetContent, AssetKind, AssetReview, AssetStatus, AssetVersion, Contribution,
        ReviewDecision,
    },
    repo::AssetRepo,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{Store, convert, convert::code, lock_row, participation};
use crate::{
    entity::{asset_reviews, asset_tags, asset_versions, assets, event_outputs},
    error::{bad_code, db_err},
};

fn tags(raw: &str, column: &'static str) -> DomainResult<Vec<String>> {
    serde_json::from_str(raw).map_err(|_| bad_code(column, raw))
}

fn json(items: &[String]) -> DomainResult<String> {
    serde_json::to_string(items).map_err(DomainError::internal)
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or_default()
}

fn asset(m: assets::Model, reviewers: Vec<PersonId>) -> DomainResult<Asset> {
    Ok(Asset {
        id: m.id.into(),
        community_id: m.community_id.into(),
        space_id: m.space_id.into(),
        author_id: m.author_id.map(Into::into),
        kind: code!(AssetKind, "assets.kind", m.kind)?,
        status: code!(AssetStatus, "assets.status", m.status)?,
        content: AssetContent {
            tags: tags(&m.tags, "assets.tags")?,
            title: m.title,
            summary: m.summary,
            body: m.body,
            body_html: m.body_html,
            url: m.url,
        },
        version: count(m.version),
        review_round: count(m.review_round),
        reviewers,
        published_at: m.published_at,
        retired_at: m.retired_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn version(m: asset_versions::Model) -> DomainResult<AssetVersion> {
    Ok(AssetVersion {
        id: m.id.into(),
        asset_id: m.asset_id.into(),
        version: count(m.version),
        content: AssetContent {
            tags: tags(&m.tags, "asset_versions.tags")?,
            title: m.title,
            summary: m.summary,
            body: m.body,
            body_html: m.body_html,
            url: m.url,
        },
        author_id: m.author_id.map(Into::into),
        created_at: m.created_at,
    })
}

fn review(m: asset_reviews::Model) -> DomainResult<AssetReview> {
    Ok(AssetReview {
        asset_id: m.asset_id.into(),
        round: count(m.round),
        reviewer_id: m.reviewer_id.into(),
        decision: m
            .decision
            .map(|d| code!(ReviewDecision, "asset_reviews.decision", d))
            .transpose()?,
        comment: m.comment,
        requested_at: m.requested_at,
        decided_at: m.decided_at,
    })
}

fn version_row(v: &AssetVersion) -> DomainResult<asset_versions::ActiveModel> {
    Ok(asset_versions::ActiveModel {
        id: Set(v.id.uuid()),
        asset_id: Set(v.asset_id.uuid()),
        version: Set(i32::try_from(v.version).unwrap_or(i32::MAX)),
        title: Set(v.content.title.clone()),
        summary: Set(v.content.summary.clone()),
        body: Set(v.content.body.clone()),
        body_html: Set(v.content.body_html.clone()),
        url: Set(v.content.url.clone()),
        tags: Set(json(&v.content.tags)?),
        author_id: Set(v.author_id.map(|a| a.uuid())),
        created_at: Set(v.created_at),
    })
}

/// Replaces an asset's tag rows (what the `tag` filter reads).
async fn put_tags(txn: &impl ConnectionTrait, asset: AssetId, tags: &[String]) -> DomainResult<()> {
    asset_tags::Entity::delete_many()
        .filter(asset_tags::Column::AssetId.eq(asset.uuid()))
        .exec(txn)
        .await
        .map_err(db_err)?;
    if tags.is_empty() {
        return Ok(());
    }
    asset_tags::Entity::insert_many(tags.iter().map(|tag| asset_tags::ActiveModel {
        id: Set(Uuid::now_v7()),
        asset_id: Set(asset.uuid()),
        tag: Set(tag.clone()),
    }))
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// The assets with these ids as seen inside `conn`, with their current reviewers.
    async fn load_assets(
        &self,
        conn: &impl ConnectionTrait,
        ids: &[Uuid],
    ) -> DomainResult<Vec<Asset>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = assets::Entity::find()
            .filter(
                self.sql()
                    .one_of(assets::Column::Id.into_expr(), ids.iter().copied()),
            )
            .all(conn)
            .await
            .map_err(db_err)?;
        let in_review: Vec<Uuid> = rows
            .iter()
            .filter(|r| r.review_round > 0)
            .map(|r| r.id)
            .collect();
        let mut reviewers: HashMap<Uuid, Vec<(i32, i32, Uuid)>> = HashMap::new();
        if !in_review.is_empty() {
            for r in asset_reviews::Entity::find()
                .filter(
                    self.sql()
                        .one_of(asset_reviews::Column::AssetId.into_expr(), in_review),
                )
                .all(conn)
                .await
                .map_err(db_err)?
            {
                reviewers
                    .entry(r.asset_id)
                    .or_default()
                    .push((r.round, r.position, r.reviewer_id));
            }
        }
        rows.into_iter()
            .map(|m| {
                let mut named = reviewers.remove(&m.id).unwrap_or_default();
                named.retain(|(round, _, _)| *round == m.review_round);
                named.sort_by_key(|(_, position, _)| *position);
                let named = named.into_iter().map(|(_, _, p)| p.into()).collect();
                asset(m, named)
            })
            .collect()
    }

    async fn stored(&self, conn: &impl ConnectionTrait, id: AssetId) -> DomainResult<Asset> {
        self.load_assets(conn, &[id.uuid()])
            .await?
            .pop()
            .ok_or(DomainError::NotFound("asset"))
    }
}

#[async_trait]
impl AssetRepo for Store {
    async fn by_ids(&self, ids: &[AssetId]) -> DomainResult<Vec<Asset>> {
        let ids: Vec<Uuid> = convert::uuids(ids);
        self.load_assets(&self.db, &ids).await
    }

    async fn create(&self, a: &Asset, v: &AssetVersion) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        assets::Entity::insert(assets::ActiveModel {
            id: Set(a.id.uuid()),
            community_id: Set(a.community_id.uuid()),
            space_id: Set(a.space_id.uuid()),
            author_id: Set(a.author_id.map(|p| p.uuid())),
            kind: Set(a.kind.code().to_owned()),
            status: Set(a.status.code().to_owned()),
            title: Set(a.content.title.clone()),
            summary: Set(a.content.summary.clone()),
            body: Set(a.content.body.clone()),
            body_html: Set(a.content.body_html.clone()),
            url: Set(a.content.url.clone()),
            tags: Set(json(&a.content.tags)?),
            version: Set(1),
            review_round: Set(0),
            published_at: Set(None),
            retired_at: Set(None),
            created_at: Set(a.created_at),
            updated_at: Set(a.updated_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        asset_versions::Entity::insert(version_row(v)?)
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        put_tags(&txn, a.id, &a.content.tags).await?;
        crate::search::index::put_asset(&txn, a).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn revise(&self, a: &Asset, v: &AssetVersion) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let previous = i32::try_from(v.version.saturating_sub(1)).unwrap_or(i32::MAX);
        let changed = assets::Entity::update_many()
            .col_expr(assets::Column::Kind, Expr::val(a.kind.code()))
            .col_expr(assets::Column::Title, Expr::val(a.content.title.clone()))
            .col_expr(
                assets::Column::Summary,
                Expr::val(a.content.summary.clone()),
            )
            .col_expr(assets::Column::Body, Expr::val(a.content.body.clone()))
            .col_expr(
                assets::Column::BodyHtml,
                Expr::val(a.content.body_html.clone()),
            )
            .col_expr(assets::Column::Url, Expr::val(a.content.url.clone()))
            .col_expr(assets::Column::Tags, Expr::val(json(&a.content.tags)?))
            .col_expr(assets::Column::Version, Expr::val(previous + 1))
            .col_expr(assets::Column::UpdatedAt, Expr::val(a.updated_at))
            .filter(assets::Column::Id.eq(a.id.uuid()))
            .filter(assets::Column::Version.eq(previous))
            .filter(assets::Column::Status.eq(a.status.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if changed.rows_affected == 0 {
            return Err(DomainError::conflict(
                "the asset changed meanwhile; reload it and try again",
            ));
        }
        asset_versions::Entity::insert(version_row(v)?)
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        put_tags(&txn, a.id, &a.content.tags).await?;
        crate::search::index::put_asset(&txn, a).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn submit(
        &self,
        id: AssetId,
        reviewers: &[PersonId],
        at: DateTime<Utc>,
    ) -> DomainResult<Asset> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "assets", id.uuid()).await?;
        let current = self.stored(&txn, id).await?;
        if current.status != AssetStatus::Draft {
            return Err(DomainError::conflict(
                "the asset is no longer a draft; reload it",
            ));
        }
        let round = i32::try_from(current.review_round.saturating_add(1)).unwrap_or(i32::MAX);
        assets::Entity::update_many()
            .col_expr(
                assets::Column::Status,
                Expr::val(AssetStatus::InReview.code()),
            )
            .col_expr(assets::Column::ReviewRound, Expr::val(round))
            .col_expr(assets::Column::UpdatedAt, Expr::val(at))
            .filter(assets::Column::Id.eq(id.uuid()))
            .filter(assets::Column::Status.eq(AssetStatus::Draft.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        asset_reviews::Entity::insert_many(reviewers.iter().enumerate().map(|(i, p)| {
            asset_reviews::ActiveModel {
                id: Set(Uuid::now_v7()),
                asset_id: Set(id.uuid()),
                round: Set(round),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                reviewer_id: Set(p.uuid()),
                decision: Set(None),
                comment: Set(String::new()),
                requested_at: Set(at),
                decided_at: Set(None),
            }
        }))
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        let stored = self.stored(&txn, id).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(stored)
    }

    async fn review(
        &self,
        id: AssetId,
        reviewer: PersonId,
        decision: ReviewDecision,
        comment: &str,
        at: DateTime<Utc>,
    ) -> DomainResult<Asset> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "assets", id.uuid()).await?;
        let current = self.stored(&txn, id).await?;
        if current.status != AssetStatus::InReview || !current.reviewers.contains(&reviewer) {
            return Err(DomainError::conflict(
                "the asset left review meanwhile; reload it",
            ));
        }
        let round = i32::try_from(current.review_round).unwrap_or(i32::MAX);
        asset_reviews::Entity::update_many()
            .col_expr(asset_reviews::Column::Decision, Expr::val(decision.code()))
            .col_expr(asset_reviews::Column::Comment, Expr::val(comment))
            .col_expr(asset_reviews::Column::DecidedAt, Expr::val(at))
            .filter(asset_reviews::Column::AssetId.eq(id.uuid()))
            .filter(asset_reviews::Column::Round.eq(round))
            .filter(asset_reviews::Column::ReviewerId.eq(reviewer.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let pending =
            asset_reviews::Entity::find()
                .filter(asset_reviews::Column::AssetId.eq(id.uuid()))
                .filter(asset_reviews::Column::Round.eq(round))
                .filter(Expr::col(asset_reviews::Column::Decision).is_null().or(
                    Expr::col(asset_reviews::Column::Decision).ne(ReviewDecision::Approve.code()),
                ))
                .count(&txn)
                .await
                .map_err(db_err)?;
        let next = match decision {
            ReviewDecision::RequestChanges => Some(AssetStatus::Draft),
            ReviewDecision::Approve if pending == 0 => Some(AssetStatus::Published),
            ReviewDecision::Approve => None,
        };
        let mut update = assets::Entity::update_many()
            .col_expr(assets::Column::UpdatedAt, Expr::val(at))
            .filter(assets::Column::Id.eq(id.uuid()));
        if let Some(status) = next {
            update = update.col_expr(assets::Column::Status, Expr::val(status.code()));
        }
        if next == Some(AssetStatus::Published) && current.published_at.is_none() {
            update = update.col_expr(assets::Column::PublishedAt, Expr::val(at));
        }
        update.exec(&txn).await.map_err(db_err)?;
        if next == Some(AssetStatus::Published)
            && current.published_at.is_none()
            && let Some(author) = current.author_id
        {
            participation::tally(
                &txn,
                current.community_id.uuid(),
                author.uuid(),
                Contribution::Asset,
                1,
                at,
            )
            .await?;
        }
        let stored = self.stored(&txn, id).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(stored)
    }

    async fn withdraw(&self, id: AssetId, at: DateTime<Utc>) -> DomainResult<Asset> {
        let changed = assets::Entity::update_many()
            .col_expr(assets::Column::Status, Expr::val(AssetStatus::Draft.code()))
            .col_expr(assets::Column::UpdatedAt, Expr::val(at))
            .filter(assets::Column::Id.eq(id.uuid()))
            .filter(assets::Column::Status.eq(AssetStatus::InReview.code()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        if changed.rows_affected == 0 {
            return Err(DomainError::conflict(
                "the asset is no longer in review; reload it",
            ));
        }
        self.stored(&self.db, id).await
    }

    async fn retire(&self, id: AssetId, at: DateTime<Utc>) -> DomainResult<Asset> {
        let changed = assets::Entity::update_many()
            .col_expr(
                assets::Column::Status,
                Expr::val(AssetStatus::Retired.code()),
            )
            .col_expr(assets::Column::RetiredAt, Expr::val(at))
            .col_expr(assets::Column::UpdatedAt, Expr::val(at))
            .filter(assets::Column::Id.eq(id.uuid()))
            .filter(assets::Column::Status.eq(AssetStatus::Published.code()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        if changed.rows_affected == 0 {
            return Err(DomainError::conflict(
                "the asset is no longer published; reload it",
            ));
        }
        self.stored(&self.db, id).await
    }

    async fn reviews(
        &self,
        rounds: &[(AssetId, u32)],
    ) -> DomainResult<HashMap<(AssetId, u32), Vec<AssetReview>>> {
        let mut out: HashMap<(AssetId, u32), Vec<AssetReview>> =
            rounds.iter().map(|k| (*k, Vec::new())).collect();
        let ids: Vec<Uuid> = rounds
            .iter()
            .filter(|(_, round)| *round > 0)
            .map(|(id, _)| id.uuid())
            .collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = asset_reviews::Entity::find()
            .filter(
                self.sql()
                    .one_of(asset_reviews::Column::AssetId.into_expr(), ids),
            )
            .order_by_asc(asset_reviews::Column::Position)
            .all(&self.db)
            .await
            .map_err(db_err)?;
        for row in rows {
            let r = review(row)?;
            if let Some(list) = out.get_mut(&(r.asset_id, r.round)) {
                list.push(r);
            }
        }
        Ok(out)
    }

    async fn versions_by_ids(&self, ids: &[AssetVersionId]) -> DomainResult<Vec<AssetVersion>> {
        asset_versions::Entity::find()
            .filter(
                self.sql()
                    .one_of(asset_versions::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(version)
            .collect()
    }

    async fn link_output(
        &self,
        event: EventId,
        asset: AssetId,
        by: PersonId,
        limit: usize,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "events", event.uuid()).await?;
        let linked = event_outputs::Entity::find()
            .filter(event_outputs::Column::EventId.eq(event.uuid()))
            .all(&txn)
            .await
            .map_err(db_err)?;
        if linked.iter().any(|l| l.asset_id == asset.uuid()) {
            return Ok(());
        }
        if linked.len() >= limit {
            return Err(DomainError::precondition(format!(
                "an event has at most {limit} outputs"
            )));
        }
        event_outputs::Entity::insert(event_outputs::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event.uuid()),
            asset_id: Set(asset.uuid()),
            linked_by: Set(Some(by.uuid())),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                event_outputs::Column::EventId,
                event_outputs::Column::AssetId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn unlink_output(&self, event: EventId, asset: AssetId) -> DomainResult<bool> {
        let deleted = event_outputs::Entity::delete_many()
            .filter(event_outputs::Column::EventId.eq(event.uuid()))
            .filter(event_outputs::Column::AssetId.eq(asset.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn outputs_of(&self, events: &[EventId]) -> DomainResult<HashMap<EventId, Vec<AssetId>>> {
        let mut out: HashMap<EventId, Vec<AssetId>> =
            events.iter().map(|e| (*e, Vec::new())).collect();
        if events.is_empty() {
            return Ok(out);
        }
        for row in event_outputs::Entity::find()
            .filter(self.sql().one_of(
                event_outputs::Column::EventId.into_expr(),
                convert::uuids(events),
            ))
            .order_by_asc(event_outputs::Column::Id)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            if let Some(list) = out.get_mut(&EventId::from(row.event_id)) {
                list.push(row.asset_id.into());
            }
        }
        Ok(out)
    }
}
