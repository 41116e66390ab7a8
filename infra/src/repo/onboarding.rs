use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use copnet_domain::{
    DomainResult,
    ids::{CommunityId, PersonId},
    model::{OnboardingActivity, OnboardingStep, OnboardingStepKind, RsvpResponse},
    repo::OnboardingRepo,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::{Expr, ExprTrait, Func, OnConflict, SelectStatement},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{onboarding_completions, onboarding_steps},
    error::db_err,
    listing::{join, select_from},
};

fn step(m: onboarding_steps::Model) -> DomainResult<OnboardingStep> {
    Ok(OnboardingStep {
        id: m.id.into(),
        community_id: m.community_id.into(),
        position: u32::try_from(m.position).unwrap_or_default(),
        kind: code!(OnboardingStepKind, "onboarding_steps.kind", m.kind)?,
        key: m.step_key,
        title: m.title,
        description: m.description,
    })
}

/// `SELECT community, person, MIN(at)` over `select` (which joins and filters), grouped.
async fn earliest(
    store: &Store,
    mut select: SelectStatement,
    community: (&'static str, &'static str),
    person: (&'static str, &'static str),
    at: (&'static str, &'static str),
) -> DomainResult<HashMap<(CommunityId, PersonId), DateTime<Utc>>> {
    select
        .expr_as(Expr::col(community), "community_id")
        .expr_as(Expr::col(person), "person_id")
        .expr_as(Func::min(Expr::col(at)), "first_at")
        .group_by_col(community)
        .group_by_col(person);
    let mut out = HashMap::new();
    for row in store.db.query_all(&select).await.map_err(db_err)? {
        let c: Uuid = row.try_get("", "community_id").map_err(db_err)?;
        let p: Uuid = row.try_get("", "person_id").map_err(db_err)?;
        let first: Option<DateTime<Utc>> = row.try_get("", "first_at").map_err(db_err)?;
        if let Some(first) = first {
            out.insert((c.into(), p.into()), first);
        }
    }
    Ok(out)
}

#[async_trait]
impl OnboardingRepo for Store {
    async fn steps_of(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Vec<OnboardingStep>>> {
        let mut out: HashMap<CommunityId, Vec<OnboardingStep>> =
            communities.iter().map(|c| (*c, Vec::new())).collect();
        if communities.is_empty() {
            return Ok(out);
        }
        for row in onboarding_steps::Entity::find()
            .filter(self.sql().one_of(
                onboarding_steps::Column::CommunityId.into_expr(),
                convert::uuids(communities),
            ))
            .order_by_asc(onboarding_steps::Column::Position)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            let s = step(row)?;
            out.entry(s.community_id).or_default().push(s);
        }
        Ok(out)
    }

    async fn set_steps(
        &self,
        community: CommunityId,
        steps: &[OnboardingStep],
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        onboarding_steps::Entity::delete_many()
            .filter(onboarding_steps::Column::CommunityId.eq(community.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if !steps.is_empty() {
            onboarding_steps::Entity::insert_many(steps.iter().map(|s| {
                onboarding_steps::ActiveModel {
                    id: Set(s.id.uuid()),
                    community_id: Set(community.uuid()),
                    position: Set(i32::try_from(s.position).unwrap_or(i32::MAX)),
                    step_key: Set(s.key.clone()),
                    title: Set(s.title.clone()),
                    description: Set(s.description.clone()),
                    kind: Set(s.kind.code().to_owned()),
                }
            }))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn mark_done(
        &self,
        community: CommunityId,
        person: PersonId,
        key: &str,
        at: DateTime<Utc>,
    ) -> DomainResult<()> {
        onboarding_completions::Entity::insert(onboarding_completions::ActiveModel {
            id: Set(Uuid::now_v7()),
            community_id: Set(community.uuid()),
            person_id: Set(person.uuid()),
            step_key: Set(key.to_owned()),
            completed_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([
                onboarding_completions::Column::CommunityId,
                onboarding_completions::Column::PersonId,
                onboarding_completions::Column::StepKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn activity(
        &self,
        members: &[(CommunityId, PersonId)],
        now: DateTime<Utc>,
    ) -> DomainResult<HashMap<(CommunityId, PersonId), OnboardingActivity>> {
        let mut out: HashMap<(CommunityId, PersonId), OnboardingActivity> = members
            .iter()
            .map(|k| (*k, OnboardingActivity::default()))
            .collect();
        if members.is_empty() {
            return Ok(out);
        }
        let d = self.sql();
        let communities: Vec<Uuid> = members.iter().map(|(c, _)| c.uuid()).collect();
        let people: Vec<Uuid> = members.iter().map(|(_, p)| p.uuid()).collect();
        for row in onboarding_completions::Entity::find()
            .filter(d.one_of(
                onboarding_completions::Column::CommunityId.into_expr(),
                communities.clone(),
            ))
            .filter(d.one_of(
                onboarding_completions::Column::PersonId.into_expr(),
                people.clone(),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            let key = (row.community_id.into(), row.person_id.into());
            if let Some(activity) = out.get_mut(&key) {
                activity.marked.insert(row.step_key, row.completed_at);
            }
        }

        let mut posts = select_from("posts", "p");
        join(&mut posts, "threads", "t", ("t", "id"), ("p", "thread_id"));
        join(&mut posts, "spaces", "s", ("s", "id"), ("t", "space_id"));
        posts
            .and_where(d.one_of(Expr::col(("s", "community_id")), communities.clone()))
            .and_where(d.one_of(Expr::col(("p", "author_id")), people.clone()));
        let first_posts = earliest(
            self,
            posts,
            ("s", "community_id"),
            ("p", "author_id"),
            ("p", "created_at"),
        )
        .await?;

        let mut rsvps = select_from("rsvps", "r");
        join(&mut rsvps, "events", "e", ("e", "id"), ("r", "event_id"));
        rsvps
            .and_where(d.one_of(Expr::col(("e", "community_id")), communities))
            .and_where(d.one_of(Expr::col(("r", "person_id")), people))
            .and_where(Expr::col(("r", "response")).eq(RsvpResponse::Going.code()))
            .and_where(Expr::col(("r", "occurrence_start")).lte(now));
        let first_events = earliest(
            self,
            rsvps,
            ("e", "community_id"),
            ("r", "person_id"),
            ("r", "occurrence_start"),
        )
        .await?;

        for (key, activity) in &mut out {
            activity.first_post = first_posts.get(key).copied();
            activity.first_event = first_events.get(key).copied();
        }
        Ok(out)
    }
}
