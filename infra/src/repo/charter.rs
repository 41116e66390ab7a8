use async_trait::async_trait;
use copnet_domain::{
    DomainError, DomainResult,
    ids::{CharterId, CommunityId, StageChangeId},
    model::{Cadence, Charter, Community, Stage, StageChange},
    repo::CharterRepo,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait, Func, Query},
};

use super::{Store, convert, convert::code, lock_row};
use crate::{
    entity::{charters, communities, stage_changes},
    error::{db_err, unique_or},
};

fn list(raw: &str, column: &'static str) -> DomainResult<Vec<String>> {
    serde_json::from_str(raw).map_err(|_| crate::error::bad_code(column, raw))
}

fn charter(m: charters::Model) -> DomainResult<Charter> {
    Ok(Charter {
        id: m.id.into(),
        community_id: m.community_id.into(),
        revision: u32::try_from(m.revision).unwrap_or_default(),
        domain: m.domain,
        goals: list(&m.goals, "charters.goals")?,
        audience: m.audience,
        out_of_scope: m.out_of_scope,
        outputs: list(&m.outputs, "charters.outputs")?,
        governance: m.governance,
        meeting_rhythm: code!(Cadence, "charters.meeting_rhythm", m.meeting_rhythm)?,
        newsletter_cadence: code!(Cadence, "charters.newsletter_cadence", m.newsletter_cadence)?,
        reporting_cadence: code!(Cadence, "charters.reporting_cadence", m.reporting_cadence)?,
        author_id: m.author_id.map(Into::into),
        created_at: m.created_at,
    })
}

fn stage_change(m: &stage_changes::Model) -> DomainResult<StageChange> {
    Ok(StageChange {
        id: m.id.into(),
        community_id: m.community_id.into(),
        from: code!(Stage, "stage_changes.from_stage", m.from_stage)?,
        to: code!(Stage, "stage_changes.to_stage", m.to_stage)?,
        actor_id: m.actor_id.map(Into::into),
        created_at: m.created_at,
    })
}

fn json(items: &[String]) -> DomainResult<String> {
    serde_json::to_string(items).map_err(DomainError::internal)
}

#[async_trait]
impl CharterRepo for Store {
    async fn by_ids(&self, ids: &[CharterId]) -> DomainResult<Vec<Charter>> {
        charters::Entity::find()
            .filter(
                self.sql()
                    .one_of(charters::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(charter)
            .collect()
    }

    async fn latest(&self, communities: &[CommunityId]) -> DomainResult<Vec<Charter>> {
        if communities.is_empty() {
            return Ok(Vec::new());
        }
        // The highest revision of each community: rows whose revision is the maximum.
        let newest = Query::select()
            .expr(Func::max(Expr::col(("latest", "revision"))))
            .from_as(charters::Entity, "latest")
            .and_where(Expr::col(("latest", "community_id")).equals(("charters", "community_id")))
            .take();
        charters::Entity::find()
            .filter(self.sql().one_of(
                charters::Column::CommunityId.into_expr(),
                convert::uuids(communities),
            ))
            .filter(Expr::col(("charters", "revision")).in_subquery(newest))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(charter)
            .collect()
    }

    async fn append(&self, c: &Charter) -> DomainResult<Charter> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "communities", c.community_id.uuid()).await?;
        let last: Option<i32> = charters::Entity::find()
            .select_only()
            .column(charters::Column::Revision)
            .filter(charters::Column::CommunityId.eq(c.community_id.uuid()))
            .order_by_desc(charters::Column::Revision)
            .limit(1)
            .into_tuple()
            .one(&txn)
            .await
            .map_err(db_err)?;
        let revision = last.unwrap_or(0).saturating_add(1);
        charters::Entity::insert(charters::ActiveModel {
            id: Set(c.id.uuid()),
            community_id: Set(c.community_id.uuid()),
            revision: Set(revision),
            domain: Set(c.domain.clone()),
            goals: Set(json(&c.goals)?),
            audience: Set(c.audience.clone()),
            out_of_scope: Set(c.out_of_scope.clone()),
            outputs: Set(json(&c.outputs)?),
            governance: Set(c.governance.clone()),
            meeting_rhythm: Set(c.meeting_rhythm.code().to_owned()),
            newsletter_cadence: Set(c.newsletter_cadence.code().to_owned()),
            reporting_cadence: Set(c.reporting_cadence.code().to_owned()),
            author_id: Set(c.author_id.map(|a| a.uuid())),
            created_at: Set(c.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(unique_or("the charter changed meanwhile; try again"))?;
        txn.commit().await.map_err(db_err)?;
        Ok(Charter {
            revision: u32::try_from(revision).unwrap_or_default(),
            ..c.clone()
        })
    }

    async fn stage_changes_by_ids(&self, ids: &[StageChangeId]) -> DomainResult<Vec<StageChange>> {
        stage_changes::Entity::find()
            .filter(
                self.sql()
                    .one_of(stage_changes::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|m| stage_change(&m))
            .collect()
    }

    async fn change_stage(&self, community: &Community, change: &StageChange) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let changed = communities::Entity::update_many()
            .col_expr(communities::Column::Stage, Expr::val(change.to.code()))
            .col_expr(
                communities::Column::UpdatedAt,
                Expr::val(community.updated_at),
            )
            .filter(communities::Column::Id.eq(community.id.uuid()))
            .filter(communities::Column::Stage.eq(change.from.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if changed.rows_affected == 0 {
            return Err(DomainError::conflict(
                "the community's stage changed meanwhile; try again",
            ));
        }
        stage_changes::Entity::insert(stage_changes::ActiveModel {
            id: Set(change.id.uuid()),
            community_id: Set(change.community_id.uuid()),
            from_stage: Set(change.from.code().to_owned()),
            to_stage: Set(change.to.code().to_owned()),
            actor_id: Set(change.actor_id.map(|a| a.uuid())),
            created_at: Set(change.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
