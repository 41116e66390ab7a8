use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{PostId, RevisionId},
    listing::Scoped,
    model,
    policy::{
        chain,
        proof::{self, Readable},
        write,
    },
};
use uuid::Uuid;

use super::{Person, Thread, page_args};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, ConnectionData, Under, admit_each, connection, cost, rows},
        context::{RequestContext, access, caller, load},
        enums::ReactionEmoji,
        ids::{self, Kind, encode},
        loaders::{FlagsOf, MentionsOf, ReactionsOf, ViewerReactions},
    },
};

/// The `Post` object; see its GraphQL description.
#[derive(Clone)]
pub struct Post(pub Readable<model::Post>);
connection!(
    /// A page of posts.
    PostConnection, PostEdge, Post
);

impl Admit for Post {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<PostId, model::Post>(rc, ids).await? {
            let seen = match (row, under) {
                (Some(p), Under::Thread(t)) => proof::read_post(t, p),
                // Replies are in their post's thread.
                (Some(p), Under::Post(parent)) => proof::read_post(parent.thread(), p),
                (Some(p), _) => chain::post_row(rc, access, p).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

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
        Ok(write::moderates(&*access(ctx).await?, self.0.community()))
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

    /// Opaque position of this post in its thread's `posts` and its space's activity (the
    /// same as its edge's cursor): pass it as `after` to resume `postAdded` or
    /// `spaceActivity` after it.
    async fn cursor(&self) -> String {
        ids::cursor(self.0.id.uuid())
    }

    /// The thread.
    async fn thread(&self) -> Thread {
        Thread(self.0.thread().clone())
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
        let Some(id) = self.0.reply_to else {
            return Ok(None);
        };
        Ok(load(ctx, id)
            .await?
            .and_then(|p| proof::read_post(self.0.thread(), p))
            .map(Post))
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
        let scoped = Scoped::post_replies(&self.0);
        let under = Under::Post(self.0.clone());
        Ok(PostConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
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

    /// People mentioned in it (all of them could read the space when mentioned), among those
    /// the caller may see.
    async fn mentions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Person>> {
        let ids = load(ctx, MentionsOf(self.0.id)).await?.unwrap_or_default();
        let people = {
            let (rc, a) = caller(ctx).await?;
            chain::people(rc, &a, &ids).await?
        };
        Ok(people.into_iter().map(Person).collect())
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
        let scoped = Scoped::post_revisions(&self.0);
        let under = Under::Post(self.0.clone());
        Ok(PostRevisionConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// How many members flagged it; null unless the caller moderates the community.
    async fn flag_count(&self, ctx: &Context<'_>) -> ApiResult<Option<u32>> {
        if !self.moderates(ctx).await? {
            return Ok(None);
        }
        Ok(Some(load(ctx, FlagsOf(self.0.id)).await?.unwrap_or(0)))
    }

    /// Whether `editPost` would succeed: the caller wrote it, still writes in the community
    /// (a member, not archived), it is not deleted, and its thread is not locked (unless they
    /// moderate).
    async fn viewer_can_edit(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_edit_post(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `deletePost` would succeed: the caller wrote it or moderates, and the
    /// community accepts writes.
    async fn viewer_can_delete(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_delete_post(&*access(ctx).await?, &self.0).is_ok())
    }

    /// Whether `hidePost` would succeed: the caller is a `MODERATOR` or `MANAGER` of the
    /// community, and it accepts writes.
    async fn viewer_can_moderate(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_moderate(&*access(ctx).await?, self.0.community()).is_ok())
    }

    /// Whether `addReaction` would succeed: the caller writes in the community and the post
    /// is not deleted.
    async fn viewer_can_react(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_react(&*access(ctx).await?, &self.0).is_ok())
    }
}

/// The `PostRevision` object; see its GraphQL description.
#[derive(Clone)]
pub struct PostRevision(pub std::sync::Arc<model::PostRevision>);
connection!(
    /// A page of post revisions.
    PostRevisionConnection, PostRevisionEdge, PostRevision
);

impl PostRevision {
    /// A former body of a readable post.
    pub fn of(
        post: &Readable<model::Post>,
        row: std::sync::Arc<model::PostRevision>,
    ) -> Option<Self> {
        (row.post_id == post.id).then_some(Self(row))
    }
}

impl Admit for PostRevision {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Post(post) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<RevisionId, _, _>(rc, ids, |r| Self::of(post, r)).await
    }
}

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
