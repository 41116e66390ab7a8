use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::ThreadId,
    listing::Scoped,
    model,
    policy::{
        chain,
        proof::{self, Readable},
        write,
    },
};
use uuid::Uuid;

use super::{Person, PostConnection, Space, page_args};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, ConnectionData, Under, connection, cost, rows},
        context::{RequestContext, access, load},
        ids::{Kind, encode},
        loaders::ViewerUnread,
    },
};

/// The `Thread` object; see its GraphQL description.
#[derive(Clone)]
pub struct Thread(pub Readable<model::Thread>);
connection!(
    /// A page of threads.
    ThreadConnection, ThreadEdge, Thread
);

impl Admit for Thread {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<ThreadId, model::Thread>(rc, ids).await? {
            let seen = match (row, under) {
                (Some(t), Under::Space(s)) => proof::read_thread(s, t),
                (Some(t), _) => chain::thread_row(rc, access, t).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

/// A conversation in a space. Readable by whoever may read the space; members of the
/// community write in it; `MODERATOR`s and `MANAGER`s lock and pin it.
#[Object]
impl Thread {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Thread, self.0.id)
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The topics of the network it is about.
    async fn topics(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Topic>> {
        super::topic::topics_of(ctx, model::Tagged::Thread(self.0.id)).await
    }

    /// The space it lives in.
    async fn space(&self) -> Space {
        Space(self.0.space().visible())
    }

    /// Who started it; null when that person is no longer visible to the caller.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        Person::visible(ctx, self.0.author_id).await
    }

    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its newest post was written.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }

    /// Posts not deleted.
    async fn post_count(&self) -> u32 {
        self.0.post_count
    }

    /// Shown first by clients (`Space.threads(pinned: true)`).
    async fn pinned(&self) -> bool {
        self.0.pinned
    }

    /// Only moderators and managers may post.
    async fn locked(&self) -> bool {
        self.0.locked
    }

    /// Its posts, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn posts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PostConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::thread_posts(&self.0);
        let under = Under::Thread(self.0.clone());
        Ok(PostConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Posts the caller has not read yet (their own excluded); 0 for anonymous callers.
    async fn viewer_unread_count(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        Ok(load(ctx, ViewerUnread(self.0.id)).await?.unwrap_or(0))
    }

    /// Whether `createPost` would succeed here: the caller is a member of the community, the
    /// community accepts writes, and the thread is not locked (unless they moderate).
    async fn viewer_can_reply(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_reply(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `lockThread` and `pinThread` would succeed here: the caller is a `MODERATOR` or
    /// `MANAGER` of the community, and it accepts writes.
    async fn viewer_can_moderate(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_moderate(&*access(ctx).await?, self.0.community()).is_ok())
    }
}
