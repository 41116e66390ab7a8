use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{listing::Listing, model, policy::write};

use super::{Person, PostConnection, Space, batch, page_args};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load},
        ids::{Kind, encode},
        loaders::ViewerUnread,
        visible,
    },
};

/// The `Thread` object; see its GraphQL description.
#[derive(Clone)]
pub struct Thread(pub model::Thread);
batch!(Thread, copnet_domain::ids::ThreadId);
connection!(
    /// A page of threads.
    ThreadConnection, ThreadEdge, Thread
);

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

    /// The space it lives in.
    async fn space(&self, ctx: &Context<'_>) -> ApiResult<Space> {
        load(ctx, self.0.space_id)
            .await?
            .map(Space)
            .ok_or_else(|| ApiError::not_found("space"))
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
        let data =
            ConnectionData::fetch(ctx, Listing::ThreadPosts, self.0.id.uuid(), &args).await?;
        Ok(PostConnection(data))
    }

    /// Posts the caller has not read yet (their own excluded); 0 for anonymous callers.
    async fn viewer_unread_count(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        Ok(load(ctx, ViewerUnread(self.0.id)).await?.unwrap_or(0))
    }

    /// Whether the caller may post here: a member of the community, the community accepts
    /// writes, and the thread is not locked (unless they moderate).
    async fn viewer_can_reply(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some((community, _)) =
            visible::thread(crate::graphql::context::request(ctx)?, self.0.id).await?
        else {
            return Ok(false);
        };
        let access = access(ctx).await?;
        Ok(write::require_member_writer(&access, &community).is_ok()
            && (!self.0.locked || write::can_moderate(&access, &community)))
    }
}
