use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{ids::PostId, listing::Listing, model, policy::write};

use super::{Person, Thread, batch, page_args};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load},
        enums::ReactionEmoji,
        ids::{Kind, encode},
        loaders::{FlagsOf, MentionsOf, ReactionsOf, ViewerReactions},
        visible,
    },
};

/// The `Post` object; see its GraphQL description.
#[derive(Clone)]
pub struct Post(pub model::Post);
batch!(Post, PostId);
connection!(
    /// A page of posts.
    PostConnection, PostEdge, Post
);

/// People who reacted to a post with one emoji.
#[derive(SimpleObject)]
pub struct ReactionGroup {
    /// The reaction.
    pub emoji: ReactionEmoji,
    /// The emoji itself.
    pub symbol: &'static str,
    /// How many people reacted so.
    pub count: u32,
    /// Whether the caller is one of them.
    pub viewer_reacted: bool,
}

impl Post {
    /// Whether the caller sees the body: not deleted, and not hidden unless they moderate.
    async fn body_shown(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        if self.0.deleted {
            return Ok(false);
        }
        if !self.0.hidden {
            return Ok(true);
        }
        self.moderates(ctx).await
    }

    async fn moderates(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some((community, _)) =
            visible::post(crate::graphql::context::request(ctx)?, self.0.id).await?
        else {
            return Ok(false);
        };
        Ok(write::can_moderate(&*access(ctx).await?, &community))
    }
}

/// A message in a thread, written in Markdown. Authors edit their own posts (earlier bodies
/// are kept in `revisions`); authors and moderators delete them; moderators hide them, after
/// which only moderators and managers see the body.
#[Object]
impl Post {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Post, self.0.id)
    }

    /// The thread.
    async fn thread(&self, ctx: &Context<'_>) -> ApiResult<Thread> {
        load(ctx, self.0.thread_id)
            .await?
            .map(Thread)
            .ok_or_else(|| ApiError::not_found("thread"))
    }

    /// The author; null when that person is no longer visible to the caller.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        Person::visible(ctx, self.0.author_id).await
    }

    /// The Markdown source; null when deleted, or hidden and the caller does not moderate.
    async fn body(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self.body_shown(ctx).await?.then_some(self.0.body.as_str()))
    }

    /// The body as sanitized HTML (no scripts, event handlers or `javascript:` URLs); null
    /// when `body` is.
    async fn body_html(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self
            .body_shown(ctx)
            .await?
            .then_some(self.0.body_html.as_str()))
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its body last changed; null if never edited.
    async fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.0.edited_at
    }

    /// Hidden by a moderator.
    async fn hidden(&self) -> bool {
        self.0.hidden
    }

    /// Deleted by its author or a moderator.
    async fn deleted(&self) -> bool {
        self.0.deleted
    }

    /// The post this one answers.
    async fn reply_to(&self, ctx: &Context<'_>) -> ApiResult<Option<Post>> {
        match self.0.reply_to {
            Some(id) => Ok(load(ctx, id).await?.map(Post)),
            None => Ok(None),
        }
    }

    /// Posts answering this one, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn replies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PostConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::PostReplies, self.0.id.uuid(), &args).await?;
        Ok(PostConnection(data))
    }

    /// Reactions, one group per emoji used.
    async fn reactions(&self, ctx: &Context<'_>) -> ApiResult<Vec<ReactionGroup>> {
        let counts = load(ctx, ReactionsOf(self.0.id)).await?.unwrap_or_default();
        let mine = load(ctx, ViewerReactions(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(counts
            .into_iter()
            .map(|c| ReactionGroup {
                emoji: c.emoji.into(),
                symbol: c.emoji.symbol(),
                count: c.count,
                viewer_reacted: mine.contains(&c.emoji),
            })
            .collect())
    }

    /// People mentioned in it (all of them can read the space).
    async fn mentions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Person>> {
        let ids = load(ctx, MentionsOf(self.0.id)).await?.unwrap_or_default();
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(person) = Person::visible(ctx, id).await? {
                people.push(person);
            }
        }
        Ok(people)
    }

    /// Earlier bodies, oldest first; empty once deleted.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PostRevisionConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::PostRevisions, self.0.id.uuid(), &args).await?;
        Ok(PostRevisionConnection(data))
    }

    /// How many members flagged it; null unless the caller moderates the community.
    async fn flag_count(&self, ctx: &Context<'_>) -> ApiResult<Option<u32>> {
        if !self.moderates(ctx).await? {
            return Ok(None);
        }
        Ok(Some(load(ctx, FlagsOf(self.0.id)).await?.unwrap_or(0)))
    }

    /// Whether the caller wrote it and may still edit it.
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(!self.0.deleted && access(ctx).await?.person == Some(self.0.author_id))
    }
}

/// The `PostRevision` object; see its GraphQL description.
#[derive(Clone)]
pub struct PostRevision(pub model::PostRevision);
batch!(PostRevision, copnet_domain::ids::RevisionId);
connection!(
    /// A page of post revisions.
    PostRevisionConnection, PostRevisionEdge, PostRevision
);

/// A former body of an edited post.
#[Object]
impl PostRevision {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Revision, self.0.id)
    }

    /// The Markdown body the post had.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// When it was replaced.
    async fn replaced_at(&self) -> DateTime<Utc> {
        self.0.replaced_at
    }
}
