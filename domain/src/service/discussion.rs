use std::collections::BTreeSet;

use chrono::Utc;
use tracing::instrument;

use super::{CommunityInNetwork, Services};
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::{Event, PostChange},
    ids::{NotificationId, PersonId, PostId, RevisionId, SpaceId, ThreadId},
    model::{Emoji, FlagReason, Notification, NotificationKind, Post, PostRevision, Space, Thread},
    policy::{read, write},
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

/// A readable thread with everything around it.
struct ThreadInSpace {
    within: CommunityInNetwork,
    space: Space,
    thread: Thread,
}

fn notification(
    person: PersonId,
    kind: NotificationKind,
    actor: PersonId,
    community: &CommunityInNetwork,
    post: &Post,
) -> Notification {
    Notification {
        id: NotificationId::generate(),
        person_id: person,
        kind,
        actor_id: Some(actor),
        community_id: Some(community.community.id),
        thread_id: Some(post.thread_id),
        post_id: Some(post.id),
        invitation_id: None,
        join_request_id: None,
        created_at: post.created_at,
        read_at: None,
    }
}

impl Services {
    async fn readable_space(
        &self,
        access: &AccessSet,
        id: SpaceId,
    ) -> DomainResult<(CommunityInNetwork, Space)> {
        let (within, space) = self.visible_space(access, id).await?;
        if read::can_read_space(access, &within.network, &within.community, &space) {
            Ok((within, space))
        } else {
            Err(DomainError::NotFound("space"))
        }
    }

    async fn readable_thread(
        &self,
        access: &AccessSet,
        id: ThreadId,
    ) -> DomainResult<ThreadInSpace> {
        let thread = self
            .repos
            .discussions
            .threads_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("thread"))?;
        let (within, space) = self
            .readable_space(access, thread.space_id)
            .await
            .map_err(|e| e.not_found_as("thread"))?;
        Ok(ThreadInSpace {
            within,
            space,
            thread,
        })
    }

    async fn readable_post(
        &self,
        access: &AccessSet,
        id: PostId,
    ) -> DomainResult<(ThreadInSpace, Post)> {
        let post = self
            .repos
            .discussions
            .posts_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("post"))?;
        let around = self
            .readable_thread(access, post.thread_id)
            .await
            .map_err(|e| e.not_found_as("post"))?;
        Ok((around, post))
    }

    /// Mentioned people must be able to read the space; duplicates and the author are dropped.
    async fn check_mentions(
        &self,
        author: PersonId,
        mentions: Vec<PersonId>,
        within: &CommunityInNetwork,
        space: &Space,
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
        for (index, person) in mentions.iter().enumerate() {
            if !unique.contains(person) {
                continue;
            }
            let access = self.repos.access.load(*person, false).await?;
            if !read::can_read_space(&access, &within.network, &within.community, space) {
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
        let (within, space) = self.readable_space(access, input.space_id).await?;
        write::require_member_writer(access, &within.community)?;
        let mentions = self
            .check_mentions(author, input.mentions, &within, &space)
            .await?;
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
            .map(|p| notification(*p, NotificationKind::Mention, author, &within, &post))
            .collect();
        self.repos
            .discussions
            .create_thread(&thread, &post, &mentions, &notifications)
            .await?;
        let community = within.community.id;
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
        let ThreadInSpace {
            within,
            space,
            thread,
        } = self.readable_thread(access, input.thread_id).await?;
        write::require_member_writer(access, &within.community)?;
        if thread.locked && !write::can_moderate(access, &within.community) {
            return Err(DomainError::precondition("the thread is locked"));
        }
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
        let mentions = self
            .check_mentions(author, input.mentions, &within, &space)
            .await?;
        let post = self.new_post(thread.id, author, input.body, input.reply_to);
        let mut notifications: Vec<Notification> = mentions
            .iter()
            .map(|p| notification(*p, NotificationKind::Mention, author, &within, &post))
            .collect();
        if let Some(parent) = replied
            .filter(|p| p.author_id != author && !mentions.contains(&p.author_id) && !p.deleted)
        {
            notifications.push(notification(
                parent.author_id,
                NotificationKind::Reply,
                author,
                &within,
                &post,
            ));
        }
        let thread = self
            .repos
            .discussions
            .create_post(&post, &mentions, &notifications)
            .await?;
        self.publish(
            std::iter::once(Event::PostAdded {
                community: within.community.id,
                space: space.id,
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
        let me = access.require_person()?;
        let (around, post) = self.readable_post(access, id).await?;
        if post.author_id != me {
            return Err(DomainError::forbidden("only its author may edit a post"));
        }
        write::require_member_writer(access, &around.within.community)?;
        if post.deleted {
            return Err(DomainError::precondition("the post was deleted"));
        }
        if around.thread.locked && !write::can_moderate(access, &around.within.community) {
            return Err(DomainError::precondition("the thread is locked"));
        }
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
            ..post
        };
        self.repos.discussions.edit_post(&edited, &previous).await?;
        self.post_changed(&around, &edited, PostChange::Edited)
            .await;
        Ok(edited)
    }

    /// The author, a moderator or a manager deletes a post: its body is gone for everyone.
    #[instrument(skip_all)]
    pub async fn delete_post(&self, access: &AccessSet, id: PostId) -> DomainResult<Post> {
        let me = access.require_person()?;
        let (around, post) = self.readable_post(access, id).await?;
        let community = &around.within.community;
        if post.author_id != me && !write::can_moderate(access, community) {
            return Err(DomainError::forbidden(
                "only its author or a moderator may delete a post",
            ));
        }
        write::require_writable(community)?;
        if post.deleted {
            return Ok(post);
        }
        let deleted = Post {
            body: String::new(),
            body_html: String::new(),
            deleted: true,
            ..post
        };
        self.repos.discussions.delete_post(&deleted).await?;
        self.post_changed(&around, &deleted, PostChange::Deleted)
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
        let (around, post) = self.readable_post(access, id).await?;
        self.require_moderator(access, &around)?;
        if post.hidden == hidden {
            return Ok(post);
        }
        self.repos.discussions.set_hidden(post.id, hidden).await?;
        let changed = Post { hidden, ..post };
        let change = if hidden {
            PostChange::Hidden
        } else {
            PostChange::Unhidden
        };
        self.post_changed(&around, &changed, change).await;
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
        let around = self.readable_thread(access, id).await?;
        self.require_moderator(access, &around)?;
        self.repos
            .discussions
            .set_thread_flags(id, locked, pinned)
            .await?;
        Ok(Thread {
            locked: locked.unwrap_or(around.thread.locked),
            pinned: pinned.unwrap_or(around.thread.pinned),
            ..around.thread
        })
    }

    fn require_moderator(&self, access: &AccessSet, around: &ThreadInSpace) -> DomainResult<()> {
        if !write::can_moderate(access, &around.within.community) {
            return Err(DomainError::forbidden(
                "only a MODERATOR or MANAGER of the community may do this",
            ));
        }
        write::require_writable(&around.within.community)
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
        let (around, post) = self.readable_post(access, id).await?;
        write::require_member_writer(access, &around.within.community)?;
        if post.deleted {
            return Err(DomainError::precondition("the post was deleted"));
        }
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
            self.post_changed(&around, &post, PostChange::Reactions)
                .await;
        }
        Ok(post)
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
        let (around, post) = self.readable_post(access, id).await?;
        write::require_member_writer(access, &around.within.community)?;
        self.repos
            .discussions
            .flag(post.id, me, reason, note.as_str())
            .await?;
        Ok(post)
    }

    /// Marks everything in the thread read for the caller.
    #[instrument(skip_all)]
    pub async fn mark_thread_read(&self, access: &AccessSet, id: ThreadId) -> DomainResult<Thread> {
        let me = access.require_person()?;
        let around = self.readable_thread(access, id).await?;
        self.repos
            .discussions
            .mark_read(me, around.thread.id, around.thread.last_post_id)
            .await?;
        Ok(around.thread)
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

    async fn post_changed(&self, around: &ThreadInSpace, post: &Post, change: PostChange) {
        self.publish([Event::PostChanged {
            community: around.within.community.id,
            space: around.space.id,
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
