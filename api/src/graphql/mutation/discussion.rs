use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{PersonId, PostId, SpaceId, ThreadId},
    model::Tagged,
    service::{NewPost, NewThread},
    values::{FlagNote, PostBody, Title},
};

use super::{id, shown};
use crate::{
    error::ApiResult,
    graphql::{
        context::write,
        enums::{FlagReason, ReactionEmoji},
        ids::{Kind, decode_list},
        types::{Post, Thread},
    },
};

/// Most notifications `markNotificationsRead` takes by ID.
const MAX_NOTIFICATIONS: usize = 100;
/// Most people one post may mention.
const MAX_MENTIONS: usize = 50;

fn body(raw: &str) -> ApiResult<PostBody> {
    Ok(PostBody::parse("body", raw)?)
}

fn mentions(ids: Option<&[ID]>) -> ApiResult<Vec<PersonId>> {
    Ok(ids
        .map(|ids| decode_list("mentionIds", Kind::Person, ids, MAX_MENTIONS))
        .transpose()?
        .unwrap_or_default())
}

fn post_id(raw: &ID) -> ApiResult<PostId> {
    id("postId", Kind::Post, raw)
}

fn thread_id(raw: &ID) -> ApiResult<ThreadId> {
    id("threadId", Kind::Thread, raw)
}

/// Input of `startThread`.
#[derive(InputObject)]
pub struct StartThreadInput {
    /// The space.
    pub space_id: ID,
    /// Title, 1..200 characters on one line.
    pub title: String,
    /// The first post, in Markdown, 1..20000 characters.
    pub body: String,
    /// People mentioned (they must be able to read the space; at most 50).
    pub mention_ids: Option<Vec<ID>>,
    /// Up to 10 topics of the network that the thread is about.
    pub topic_ids: Option<Vec<ID>>,
}

/// Result of `startThread`.
#[derive(SimpleObject)]
pub struct StartThreadPayload {
    /// The new thread.
    pub thread: Thread,
    /// Its first post.
    pub post: Post,
}

/// Input of `createPost`.
#[derive(InputObject)]
pub struct CreatePostInput {
    /// The thread.
    pub thread_id: ID,
    /// The body, in Markdown, 1..20000 characters.
    pub body: String,
    /// The post this one answers (same thread); its author is notified.
    pub reply_to_id: Option<ID>,
    /// People mentioned (they must be able to read the space; at most 50).
    pub mention_ids: Option<Vec<ID>>,
}

/// Input of `editPost`.
#[derive(InputObject)]
pub struct EditPostInput {
    /// The post.
    pub post_id: ID,
    /// The new body, in Markdown, 1..20000 characters.
    pub body: String,
}

/// Input naming a post.
#[derive(InputObject)]
pub struct PostInput {
    /// The post.
    pub post_id: ID,
}

/// Input of `addReaction` and `removeReaction`.
#[derive(InputObject)]
pub struct ReactionInput {
    /// The post.
    pub post_id: ID,
    /// The reaction.
    pub emoji: ReactionEmoji,
}

/// Input of `hidePost`.
#[derive(InputObject)]
pub struct HidePostInput {
    /// The post.
    pub post_id: ID,
    /// `false` shows a hidden post again (default `true`).
    pub hidden: Option<bool>,
}

/// Input of `lockThread`.
#[derive(InputObject)]
pub struct LockThreadInput {
    /// The thread.
    pub thread_id: ID,
    /// `false` unlocks (default `true`).
    pub locked: Option<bool>,
}

/// Input of `pinThread`.
#[derive(InputObject)]
pub struct PinThreadInput {
    /// The thread.
    pub thread_id: ID,
    /// `false` unpins (default `true`).
    pub pinned: Option<bool>,
}

/// Input of `flagPost`.
#[derive(InputObject)]
pub struct FlagPostInput {
    /// The post.
    pub post_id: ID,
    /// Why.
    pub reason: FlagReason,
    /// Details for the moderators, up to 1000 characters.
    pub note: Option<String>,
}

/// Input naming a thread.
#[derive(InputObject)]
pub struct ThreadInput {
    /// The thread.
    pub thread_id: ID,
}

/// Input of `markNotificationsRead`.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// The notifications to mark (at most 100); absent marks all of the caller's.
    pub notification_ids: Option<Vec<ID>>,
}

/// Result of mutations that change a post.
#[derive(SimpleObject)]
pub struct PostPayload {
    /// The post as it now is.
    pub post: Post,
}

/// Result of mutations that change a thread.
#[derive(SimpleObject)]
pub struct ThreadPayload {
    /// The thread as it now is.
    pub thread: Thread,
}

/// Result of `markNotificationsRead`.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// How many notifications became read.
    pub marked_count: u64,
}

async fn post(ctx: &Context<'_>, p: copnet_domain::model::Post) -> ApiResult<Option<PostPayload>> {
    Ok(shown::post(ctx, p.id)
        .await?
        .map(|post| PostPayload { post }))
}

async fn thread(
    ctx: &Context<'_>,
    t: copnet_domain::model::Thread,
) -> ApiResult<Option<ThreadPayload>> {
    Ok(shown::thread(ctx, t.id)
        .await?
        .map(|thread| ThreadPayload { thread }))
}

#[derive(Default)]
pub struct DiscussionMutations;

#[Object]
impl DiscussionMutations {
    /// Starts a thread with its first post. Members of the community who can read the space.
    async fn start_thread(
        &self,
        ctx: &Context<'_>,
        input: StartThreadInput,
    ) -> ApiResult<Option<StartThreadPayload>> {
        let space = id::<SpaceId>("spaceId", Kind::Space, &input.space_id)?;
        let topics = super::topic_ids(input.topic_ids.as_deref())?;
        let new = NewThread {
            space_id: space,
            title: Title::parse("title", &input.title)?,
            body: body(&input.body)?,
            mentions: mentions(input.mention_ids.as_deref())?,
        };
        let (t, p) = write(ctx, async |s, a| {
            let topics = match &topics {
                Some(ids) => Some(s.check_topics_in_space(a, space, ids).await?),
                None => None,
            };
            let started = s.start_thread(a, new).await?;
            if let Some(ids) = topics {
                s.set_topics(a, Tagged::Thread(started.0.id), &ids).await?;
            }
            Ok(started)
        })
        .await?;
        let (Some(thread), Some(post)) = (
            shown::thread(ctx, t.id).await?,
            shown::post(ctx, p.id).await?,
        ) else {
            return Ok(None);
        };
        Ok(Some(StartThreadPayload { thread, post }))
    }

    /// Posts in a thread. Members who can read it; in a locked thread, moderators only.
    async fn create_post(
        &self,
        ctx: &Context<'_>,
        input: CreatePostInput,
    ) -> ApiResult<Option<PostPayload>> {
        let new = NewPost {
            thread_id: thread_id(&input.thread_id)?,
            body: body(&input.body)?,
            reply_to: input
                .reply_to_id
                .map(|r| id("replyToId", Kind::Post, &r))
                .transpose()?,
            mentions: mentions(input.mention_ids.as_deref())?,
        };
        let changed = write(ctx, async |s, a| s.create_post(a, new).await).await?;
        post(ctx, changed).await
    }

    /// Replaces a post's body, keeping the former one. Its author only.
    async fn edit_post(
        &self,
        ctx: &Context<'_>,
        input: EditPostInput,
    ) -> ApiResult<Option<PostPayload>> {
        let (target, new_body) = (post_id(&input.post_id)?, body(&input.body)?);
        let changed = write(ctx, async |s, a| s.edit_post(a, target, new_body).await).await?;
        post(ctx, changed).await
    }

    /// Deletes a post (its body is gone). Its author, or a moderator or manager.
    async fn delete_post(
        &self,
        ctx: &Context<'_>,
        input: PostInput,
    ) -> ApiResult<Option<PostPayload>> {
        let target = post_id(&input.post_id)?;
        let changed = write(ctx, async |s, a| s.delete_post(a, target).await).await?;
        post(ctx, changed).await
    }

    /// Reacts to a post (no change if already). Members who can read it.
    async fn add_reaction(
        &self,
        ctx: &Context<'_>,
        input: ReactionInput,
    ) -> ApiResult<Option<PostPayload>> {
        let (target, emoji) = (post_id(&input.post_id)?, input.emoji.into());
        let changed = write(ctx, async |s, a| s.add_reaction(a, target, emoji).await).await?;
        post(ctx, changed).await
    }

    /// Takes a reaction back (no change if there was none).
    async fn remove_reaction(
        &self,
        ctx: &Context<'_>,
        input: ReactionInput,
    ) -> ApiResult<Option<PostPayload>> {
        let (target, emoji) = (post_id(&input.post_id)?, input.emoji.into());
        let changed = write(ctx, async |s, a| s.remove_reaction(a, target, emoji).await).await?;
        post(ctx, changed).await
    }

    /// Hides a post from everyone but moderators and managers (or shows it again).
    /// `MODERATOR`s and `MANAGER`s only.
    async fn hide_post(
        &self,
        ctx: &Context<'_>,
        input: HidePostInput,
    ) -> ApiResult<Option<PostPayload>> {
        let (target, hidden) = (post_id(&input.post_id)?, input.hidden.unwrap_or(true));
        let changed = write(ctx, async |s, a| s.hide_post(a, target, hidden).await).await?;
        post(ctx, changed).await
    }

    /// Locks a thread (or unlocks it). `MODERATOR`s and `MANAGER`s only.
    async fn lock_thread(
        &self,
        ctx: &Context<'_>,
        input: LockThreadInput,
    ) -> ApiResult<Option<ThreadPayload>> {
        let (target, locked) = (thread_id(&input.thread_id)?, input.locked.unwrap_or(true));
        let changed = write(ctx, async |s, a| s.lock_thread(a, target, locked).await).await?;
        thread(ctx, changed).await
    }

    /// Pins a thread (or unpins it). `MODERATOR`s and `MANAGER`s only.
    async fn pin_thread(
        &self,
        ctx: &Context<'_>,
        input: PinThreadInput,
    ) -> ApiResult<Option<ThreadPayload>> {
        let (target, pinned) = (thread_id(&input.thread_id)?, input.pinned.unwrap_or(true));
        let changed = write(ctx, async |s, a| s.pin_thread(a, target, pinned).await).await?;
        thread(ctx, changed).await
    }

    /// Flags a post for the moderators (once per person). Members who can read it.
    async fn flag_post(
        &self,
        ctx: &Context<'_>,
        input: FlagPostInput,
    ) -> ApiResult<Option<PostPayload>> {
        let target = post_id(&input.post_id)?;
        let note = FlagNote::parse("note", input.note.as_deref().unwrap_or_default())?;
        let reason = input.reason.into();
        let changed = write(ctx, async |s, a| s.flag_post(a, target, reason, note).await).await?;
        post(ctx, changed).await
    }

    /// Marks every post of a thread read for the caller.
    async fn mark_thread_read(
        &self,
        ctx: &Context<'_>,
        input: ThreadInput,
    ) -> ApiResult<Option<ThreadPayload>> {
        let target = thread_id(&input.thread_id)?;
        let changed = write(ctx, async |s, a| s.mark_thread_read(a, target).await).await?;
        thread(ctx, changed).await
    }

    /// Marks the caller's notifications read: those given, or all.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        input: MarkNotificationsReadInput,
    ) -> ApiResult<Option<MarkNotificationsReadPayload>> {
        let ids = input
            .notification_ids
            .map(|ids| {
                decode_list(
                    "notificationIds",
                    Kind::Notification,
                    &ids,
                    MAX_NOTIFICATIONS,
                )
            })
            .transpose()?;
        let marked_count = write(ctx, async |s, a| s.mark_notifications_read(a, ids).await).await?;
        Ok(Some(MarkNotificationsReadPayload { marked_count }))
    }
}
