use std::collections::HashMap;

use async_trait::async_trait;
use copnet_domain::{
    DomainResult,
    ids::{EventId, FeedbackId, StakeholderId},
    model::{Cadence, Feedback, FeedbackSummary, FeedbackTarget, Stakeholder, StakeholderRole},
    repo::StakeholderRepo,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Func, OnConflict},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{feedback, stakeholders},
    error::db_err,
};

fn stakeholder(m: &stakeholders::Model) -> DomainResult<Stakeholder> {
    Ok(Stakeholder {
        id: m.id.into(),
        community_id: m.community_id.into(),
        name: m.name.clone(),
        organization_id: m.organization_id.map(Into::into),
        role: code!(StakeholderRole, "stakeholders.role", m.role)?,
        interest: m.interest.clone(),
        reporting_cadence: code!(
            Cadence,
            "stakeholders.reporting_cadence",
            m.reporting_cadence
        )?,
        created_at: m.created_at,
    })
}

fn feedback_of(m: feedback::Model) -> Feedback {
    let target = match m.event_id {
        Some(event) => FeedbackTarget::Event(EventId::from(event)),
        None => FeedbackTarget::Community(m.target_id.into()),
    };
    Feedback {
        id: m.id.into(),
        target,
        community_id: m.community_id.map(Into::into),
        person_id: m.person_id.into(),
        rating: u8::try_from(m.rating).unwrap_or_default(),
        comment: m.comment,
        updated_at: m.updated_at,
    }
}

fn target_id(target: FeedbackTarget) -> Uuid {
    match target {
        FeedbackTarget::Community(c) => c.uuid(),
        FeedbackTarget::Event(e) => e.uuid(),
    }
}

#[async_trait]
impl StakeholderRepo for Store {
    async fn by_ids(&self, ids: &[StakeholderId]) -> DomainResult<Vec<Stakeholder>> {
        stakeholders::Entity::find()
            .filter(
                self.sql()
                    .one_of(stakeholders::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .iter()
            .map(stakeholder)
            .collect()
    }

    async fn put(&self, s: &Stakeholder) -> DomainResult<()> {
        stakeholders::Entity::insert(stakeholders::ActiveModel {
            id: Set(s.id.uuid()),
            community_id: Set(s.community_id.uuid()),
            name: Set(s.name.clone()),
            organization_id: Set(s.organization_id.map(|o| o.uuid())),
            role: Set(s.role.code().to_owned()),
            interest: Set(s.interest.clone()),
            reporting_cadence: Set(s.reporting_cadence.code().to_owned()),
            created_at: Set(s.created_at),
        })
        .on_conflict(
            OnConflict::column(stakeholders::Column::Id)
                .update_columns([
                    stakeholders::Column::Name,
                    stakeholders::Column::OrganizationId,
                    stakeholders::Column::Role,
                    stakeholders::Column::Interest,
                    stakeholders::Column::ReportingCadence,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn remove(&self, id: StakeholderId) -> DomainResult<bool> {
        let deleted = stakeholders::Entity::delete_by_id(id.uuid())
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn feedback_by_ids(&self, ids: &[FeedbackId]) -> DomainResult<Vec<Feedback>> {
        Ok(feedback::Entity::find()
            .filter(
                self.sql()
                    .one_of(feedback::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(feedback_of)
            .collect())
    }

    async fn give_feedback(&self, f: &Feedback) -> DomainResult<Feedback> {
        let event = match f.target {
            FeedbackTarget::Event(e) => Some(e.uuid()),
            FeedbackTarget::Community(_) => None,
        };
        feedback::Entity::insert(feedback::ActiveModel {
            id: Set(f.id.uuid()),
            community_id: Set(f.community_id.map(|c| c.uuid())),
            event_id: Set(event),
            target_id: Set(target_id(f.target)),
            person_id: Set(f.person_id.uuid()),
            rating: Set(i32::from(f.rating)),
            comment: Set(f.comment.clone()),
            updated_at: Set(f.updated_at),
        })
        .on_conflict(
            OnConflict::columns([feedback::Column::TargetId, feedback::Column::PersonId])
                .update_columns([
                    feedback::Column::Rating,
                    feedback::Column::Comment,
                    feedback::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        // The stored row keeps the id of the first feedback.
        let stored = feedback::Entity::find()
            .filter(feedback::Column::TargetId.eq(target_id(f.target)))
            .filter(feedback::Column::PersonId.eq(f.person_id.uuid()))
            .one(&self.db)
            .await
            .map_err(db_err)?;
        Ok(stored.map_or_else(|| f.clone(), feedback_of))
    }

    async fn summaries(
        &self,
        targets: &[FeedbackTarget],
    ) -> DomainResult<HashMap<FeedbackTarget, FeedbackSummary>> {
        let mut out: HashMap<FeedbackTarget, FeedbackSummary> = targets
            .iter()
            .map(|t| (*t, FeedbackSummary::default()))
            .collect();
        if targets.is_empty() {
            return Ok(out);
        }
        let ids: Vec<Uuid> = targets.iter().map(|t| target_id(*t)).collect();
        let rows: Vec<(Uuid, i32, i64)> = feedback::Entity::find()
            .select_only()
            .column(feedback::Column::TargetId)
            .column(feedback::Column::Rating)
            .column_as(
                Expr::expr(Func::count(Expr::col(feedback::Column::Id))),
                "n",
            )
            .filter(
                self.sql()
                    .one_of(feedback::Column::TargetId.into_expr(), ids),
            )
            .group_by(feedback::Column::TargetId)
            .group_by(feedback::Column::Rating)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(db_err)?;
        for (target, rating, n) in rows {
            let Some(key) = targets.iter().find(|t| target_id(**t) == target) else {
                continue;
            };
            let (Some(summary), Ok(index)) = (out.get_mut(key), usize::try_from(rating - 1)) else {
                continue;
            };
            if let Some(slot) = summary.distribution.get_mut(index) {
                let n = u64::try_from(n).unwrap_or_default();
                *slot += n;
                summary.count += n;
            }
        }
        Ok(out)
    }
}
