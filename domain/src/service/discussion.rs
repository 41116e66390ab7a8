use std::collections::BTreeSet;

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::{Event, PostChange},
    ids::{CommunityId, NotificationId, PersonId, PostId, RevisionId, SpaceId, ThreadId},
    model::{Emoji, FlagReason, Notification, NotificationKind, Post, PostRevision, Space, Thread},
    policy::{proof::Readable, read, write},
    values::{FlagNote, PostBody, Title},
};

/// Most people one post may mention.
pub const MAX_MENTIONS: usize = 50;

/// Input of `start_thread`.
#[derive(Debug, Clone)]
pub struct NewThread {
    /// The space.
    pub space_id: SpaceId,
    /// Its title.
    pub title: Title,
    /// The first post's body.
    pub body: PostBody,
    /// People mentioned in the first post.
    pub mentions: Vec<PersonId>,
}

/// Input of `create_post`.
#[derive(Debug, Clone)]
pub struct NewPost {
    /// The thread.
    pub thread_id: ThreadId,
    /// The body.
    pub body: PostBody,
    /// The post it answers, in the same thread.
    pub reply_to: Option<PostId>,
    /// People mentioned.
    pub mentions: Vec<PersonId>,
}

fn notification(
    person: PersonId,
    kind: NotificationKind,
    actor: PersonId,
    community: CommunityId,
    post: &Post,
) -> Notification {
    Notification {
        id: NotificationId::generate(),
        person_id: person,
        kind,
        actor_id: Some(actor),
        community_id: Some(community),
        thread_id: Some(post.thread_id),
        post_id: Some(post.id),
        invitation_id: None,
        join_request_id: None,
        created_at: post.created_at,
        read_at: None,
    }
}

impl Services {
    /// Mentioned people must be able to read the space; duplicates and the author are dropped.
    /// Their access sets are loaded in one batch.
    async fn check_mentions(
        &self,
        author: PersonId,
        mentions: Vec<PersonId>,
        space: &Readable<Space>,
    ) -> DomainResult<Vec<PersonId>> {
        if mentions.len() > MAX_MENTIONS {
            return Err(DomainError::invalid(
                "mentionIds",
                format!("at most {MAX_MENTIONS} people"),
            ));
        }
        let unique: Vec<PersonId> = mentions
            .iter()
            .copied()
            .filter(|p| *p != author)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if unique.is_empty() {
            return Ok(unique);
        }
        let accesses = self.repos.access.load_many(&unique).await?;
        let community = space.community();
        for (index, person) in mentions.iter().enumerate() {
            if !unique.contains(person) {
                continue;
            }
            let reads = accesses.get(person).is_some_and(|access| {
                read::can_read_space(access, community.network(), community, space)
            });
            if !reads {
                return Err(DomainError::invalid(
                    "mentionIds",
                    format!("item {index} is not a person who can read this space"),
                ));
            }
        }
        Ok(unique)
    }

    fn new_post(
        &self,
        thread: ThreadId,
        author: PersonId,
        body: PostBody,
        reply_to: Option<PostId>,
    ) -> Post {
        let html = self.renderer.render(body.as_str());
        Post {
            id: PostId::generate(),
            thread_id: thread,
            author_id: author,
            body: body.into_inner(),
            body_html: html,
            reply_to,
            hidden: false,
            deleted: false,
            created_at: Utc::now(),
            edited_at: None,
        }
    }

    /// A member who can read a space starts a thread with its first post.
    #[instrument(skip_all)]
    pub async fn start_thread(
        &self,
        access: &AccessSet,
        input: NewThread,
    ) -> DomainResult<(Thread, Post)> {
        let author = access.require_person()?;
        let space = self.readable_space(access, input.space_id).await?;
        write::can_start_thread(access, &space)?;
        let community = space.community_id;
        let mentions = self.check_mentions(author, input.mentions, &space).await?;
        let thread_id = ThreadId::generate();
        let post = self.new_post(thread_id, author, input.body, None);
        let thread = Thread {
            id: thread_id,
            space_id: space.id,
            author_id: author,
            title: input.title.into_inner(),
            pinned: false,
            locked: false,
            created_at: post.created_at,
            last_activity_at: post.created_at,
            last_post_id: post.id,
            post_count: 1,
        };
        let notifications: Vec<Notification> = mentions
            .iter()
            .map(|p| notification(*p, NotificationKind::Mention, author, community, &post))
            .collect();
        self.repos
            .discussions
            .create_thread(&thread, &post, &mentions, &notifications)
            .await?;
        self.publish(
            std::iter::once(Event::ThreadStarted {
                community,
                thread: thread.clone(),
                post: post.clone(),
            })
            .chain(notified(&notifications)),
        )
        .await;
        Ok((thread, post))
    }

    /// A member who can read the thread posts in it (locked threads: moderators only).
    #[instrument(skip_all)]
    pub async fn create_post(&self, access: &AccessSet, input: NewPost) -> DomainResult<Post> {
        let author = access.require_person()?;
        let thread = self.thread(access, input.thread_id).await?;
        write::can_reply(access, &thread)?;
        let (space, community) = (thread.space(), thread.community().id);
        let replied = match input.reply_to {
            Some(id) => {
                let found = self
                    .repos
                    .discussions
                    .posts_by_ids(&[id])
                    .await?
                    .into_iter()
                    .next();
                match found {
                    Some(p) if p.thread_id == thread.id => Some(p),
                    _ => {
                        return Err(DomainError::invalid(
                            "replyToId",
                            "not a post of this thread",
                        ));
                    }
                }
            }
            None => None,
        };
        let mentions = self.check_mentions(author, input.mentions, space).await?;
        let post = self.new_post(thread.id, author, input.body, input.reply_to);
        let mut notifications: Vec<Notification> = mentions
            .iter()
            .map(|p| notification(*p, NotificationKind::Mention, author, community, &post))
            .collect();
        if let Some(parent) = replied
            .filter(|p| p.author_id != author && !mentions.contains(&p.author_id) && !p.deleted)
        {
            notifications.push(notification(
                parent.author_id,
                NotificationKind::Reply,
                author,
                community,
                &post,
            ));
        }
        let space = space.id;
        let thread = self
            .repos
            .discussions
            .create_post(&post, &mentions, &notifications)
            .await?;
        self.publish(
            std::iter::once(Event::PostAdded {
                community,
                space,
                thread,
                post: post.clone(),
            })
            .chain(notified(&notifications)),
        )
        .await;
        Ok(post)
    }

    /// The author edits their post; the former body is kept.
    #[instrument(skip_all)]
    pub async fn edit_post(
        &self,
        access: &AccessSet,
        id: PostId,
        body: PostBody,
    ) -> DomainResult<Post> {
        access.require_person()?;
        let post = self.post(access, id).await?;
        write::can_edit_post(access, &post)?;
        let now = Utc::now();
        let previous = PostRevision {
            id: RevisionId::generate(),
            post_id: post.id,
            body: post.body.clone(),
            replaced_at: now,
        };
        let edited = Post {
            body_html: self.renderer.render(body.as_str()),
            body: body.into_inner(),
            edited_at: Some(now),
            ..post.item().clone()
        };
        self.repos.discussions.edit_post(&edited, &previous).await?;
        self.post_changed(&post, &edited, PostChange::Edited).await;
        Ok(edited)
    }

    /// The author, a moderator or a manager deletes a post: its body is gone for everyone.
    #[instrument(skip_all)]
    pub async fn delete_post(&self, access: &AccessSet, id: PostId) -> DomainResult<Post> {
        access.require_person()?;
        let post = self.post(access, id).await?;
        write::can_delete_post(access, &post)?;
        if post.deleted {
            return Ok(post.item().clone());
        }
        let deleted = Post {
            body: String::new(),
            body_html: String::new(),
            deleted: true,
            ..post.item().clone()
        };
        self.repos.discussions.delete_post(&deleted).await?;
        self.post_changed(&post, &deleted, PostChange::Deleted)
            .await;
        Ok(deleted)
    }

    /// A moderator or manager hides (or shows again) a post.
    #[instrument(skip_all)]
    pub async fn hide_post(
        &self,
        access: &AccessSet,
        id: PostId,
        hidden: bool,
    ) -> DomainResult<Post> {
        access.require_person()?;
        let post = self.post(access, id).await?;
        write::can_moderate(access, post.community())?;
        if post.hidden == hidden {
            return Ok(post.item().clone());
        }
        self.repos.discussions.set_hidden(post.id, hidden).await?;
        let changed = Post {
            hidden,
            ..post.item().clone()
        };
        let change = if hidden {
            PostChange::Hidden
        } else {
            PostChange::Unhidden
        };
        self.post_changed(&post, &changed, change).await;
        Ok(changed)
    }

    /// A moderator or manager locks or unlocks a thread.
    #[instrument(skip_all)]
    pub async fn lock_thread(
        &self,
        access: &AccessSet,
        id: ThreadId,
        locked: bool,
    ) -> DomainResult<Thread> {
        self.thread_flags(access, id, Some(locked), None).await
    }

    /// A moderator or manager pins or unpins a thread.
    #[instrument(skip_all)]
    pub async fn pin_thread(
        &self,
        access: &AccessSet,
        id: ThreadId,
        pinned: bool,
    ) -> DomainResult<Thread> {
        self.thread_flags(access, id, None, Some(pinned)).await
    }

    async fn thread_flags(
        &self,
        access: &AccessSet,
        id: ThreadId,
        locked: Option<bool>,
        pinned: Option<bool>,
    ) -> DomainResult<Thread> {
        access.require_person()?;
        let thread = self.thread(access, id).await?;
        write::can_moderate(access, thread.community())?;
        self.repos
            .discussions
            .set_thread_flags(id, locked, pinned)
            .await?;
        Ok(Thread {
            locked: locked.unwrap_or(thread.locked),
            pinned: pinned.unwrap_or(thread.pinned),
            ..thread.item().clone()
        })
    }

    /// A member who can read the post adds a reaction (adding it twice changes nothing).
    #[instrument(skip_all)]
    pub async fn add_reaction(
        &self,
        access: &AccessSet,
        id: PostId,
        emoji: Emoji,
    ) -> DomainResult<Post> {
        self.react(access, id, emoji, true).await
    }

    /// A member removes their reaction (removing a missing one changes nothing).
    #[instrument(skip_all)]
    pub async fn remove_reaction(
        &self,
        access: &AccessSet,
        id: PostId,
        emoji: Emoji,
    ) -> DomainResult<Post> {
        self.react(access, id, emoji, false).await
    }

    async fn react(
        &self,
        access: &AccessSet,
        id: PostId,
        emoji: Emoji,
        add: bool,
    ) -> DomainResult<Post> {
        let me = access.require_person()?;
        let post = self.post(access, id).await?;
        write::can_react(access, &post)?;
        let changed = if add {
            self.repos
                .discussions
                .add_reaction(post.id, me, emoji)
                .await?
        } else {
            self.repos
                .discussions
                .remove_reaction(post.id, me, emoji)
                .await?
        };
        if changed {
            self.post_changed(&post, &post, PostChange::Reactions).await;
        }
        Ok(post.item().clone())
    }

    /// A member who can read a post flags it for the moderators (once per person and post).
    #[instrument(skip_all)]
    pub async fn flag_post(
        &self,
        access: &AccessSet,
        id: PostId,
        reason: FlagReason,
        note: FlagNote,
    ) -> DomainResult<Post> {
        let me = access.require_person()?;
        let post = self.post(access, id).await?;
        write::can_flag(access, &post)?;
        self.repos
            .discussions
            .flag(post.id, me, reason, note.as_str())
            .await?;
        Ok(post.item().clone())
    }

    /// Marks everything in the thread read for the caller.
    #[instrument(skip_all)]
    pub async fn mark_thread_read(&self, access: &AccessSet, id: ThreadId) -> DomainResult<Thread> {
        let me = access.require_person()?;
        let thread = self.thread(access, id).await?;
        self.repos
            .discussions
            .mark_read(me, thread.id, thread.last_post_id)
            .await?;
        Ok(thread.item().clone())
    }

    /// Marks the caller's notifications read: those given, or all.
    #[instrument(skip_all)]
    pub async fn mark_notifications_read(
        &self,
        access: &AccessSet,
        ids: Option<Vec<NotificationId>>,
    ) -> DomainResult<u64> {
        let me = access.require_person()?;
        self.repos
            .discussions
            .mark_notifications_read(me, ids.as_deref())
            .await
    }

    /// Announces a change of `readable`'s post, as it now is.
    async fn post_changed(&self, readable: &Readable<Post>, post: &Post, change: PostChange) {
        self.publish([Event::PostChanged {
            community: readable.community().id,
            space: readable.thread().space().id,
            post: post.clone(),
            change,
        }])
        .await;
    }
}

/// The events announcing notifications.
fn notified(notifications: &[Notification]) -> impl Iterator<Item = Event> + '_ {
    notifications.iter().map(|n| Event::NotificationAdded {
        person: n.person_id,
        notification: n.id,
    })
}
