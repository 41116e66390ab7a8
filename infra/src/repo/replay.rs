//! Posts in commit order (their keys are time-ordered UUIDv7s), for subscriptions that resume
//! after a cursor.

use async_trait::async_trait;
use copnet_domain::{
    DomainResult,
    ids::PostId,
    model::{Post, Thread},
    repo::{PostScope, ReplayRepo},
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Query,
};
use uuid::Uuid;

use super::{Store, convert};
use crate::{
    entity::{posts, threads},
    error::db_err,
};

/// The posts of the scope.
fn in_scope(scope: PostScope) -> Condition {
    match scope {
        PostScope::Thread(thread) => {
            Condition::all().add(posts::Column::ThreadId.eq(thread.uuid()))
        }
        PostScope::Space(space) => Condition::all().add(
            posts::Column::ThreadId.in_subquery(
                Query::select()
                    .column(threads::Column::Id)
                    .from(threads::Entity)
                    .and_where(threads::Column::SpaceId.eq(space.uuid()))
                    .to_owned(),
            ),
        ),
    }
}

#[async_trait]
impl ReplayRepo for Store {
    async fn posts_after(
        &self,
        scope: PostScope,
        after: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<(Thread, Post)>> {
        let mut select = posts::Entity::find().filter(in_scope(scope));
        if let Some(after) = after {
            select = select.filter(posts::Column::Id.gt(after));
        }
        let rows = select
            .order_by_asc(posts::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(db_err)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut wanted: Vec<Uuid> = rows.iter().map(|p| p.thread_id).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let found: Vec<Thread> = threads::Entity::find()
            .filter(self.sql().one_of(threads::Column::Id.into_expr(), wanted))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::thread)
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|p| {
                let thread = found.iter().find(|t| t.id.uuid() == p.thread_id)?.clone();
                Some((thread, convert::post(p)))
            })
            .collect())
    }

    async fn newest_post(&self, scope: PostScope) -> DomainResult<Option<PostId>> {
        let newest = posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .filter(in_scope(scope))
            .order_by_desc(posts::Column::Id)
            .limit(1)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await
            .map_err(db_err)?;
        Ok(newest.map(PostId::from))
    }
}
