use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{PersonId, PostId, RevisionId, SpaceId, ThreadId};

/// A conversation in a space (DOMAIN.md, "Discussions").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thread {
    /// Key.
    pub id: ThreadId,
    /// The space it lives in.
    pub space_id: SpaceId,
    /// Who started it.
    pub author_id: PersonId,
    /// Its title.
    pub title: String,
    /// Shown first by clients.
    pub pinned: bool,
    /// Only moderators and managers may post.
    pub locked: bool,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// When its last post was written.
    pub last_activity_at: DateTime<Utc>,
    /// The newest post (its time-ordered id orders threads by activity).
    pub last_post_id: PostId,
    /// Posts not deleted.
    pub post_count: u32,
}

/// A message in a thread, written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Post {
    /// Key.
    pub id: PostId,
    /// The thread.
    pub thread_id: ThreadId,
    /// The author.
    pub author_id: PersonId,
    /// Markdown source; empty once deleted.
    pub body: String,
    /// Sanitized HTML rendered from `body` at write time.
    pub body_html: String,
    /// The post this one answers.
    pub reply_to: Option<PostId>,
    /// Hidden by a moderator: its body is shown to moderators and managers only.
    pub hidden: bool,
    /// Deleted by its author or a moderator: its body is gone.
    pub deleted: bool,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When its body last changed.
    pub edited_at: Option<DateTime<Utc>>,
}

/// A former body of an edited post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRevision {
    /// Key.
    pub id: RevisionId,
    /// The post.
    pub post_id: PostId,
    /// The body it had.
    pub body: String,
    /// Until when it had it.
    pub replaced_at: DateTime<Utc>,
}

code_enum!(
    /// The fixed set of reactions.
    Emoji {
        /// 👍
        ThumbsUp = "THUMBS_UP",
        /// ❤️
        Heart = "HEART",
        /// 🎉
        Celebrate = "CELEBRATE",
        /// 😄
        Laugh = "LAUGH",
        /// 🤔
        Thinking = "THINKING",
        /// 👀
        Eyes = "EYES",
        /// 💡
        Lightbulb = "LIGHTBULB",
        /// 🙏
        Thanks = "THANKS",
    }
);

impl Emoji {
    /// The emoji itself.
    pub fn symbol(self) -> &'static str {
        match self {
            Emoji::ThumbsUp => "👍",
            Emoji::Heart => "❤️",
            Emoji::Celebrate => "🎉",
            Emoji::Laugh => "😄",
            Emoji::Thinking => "🤔",
            Emoji::Eyes => "👀",
            Emoji::Lightbulb => "💡",
            Emoji::Thanks => "🙏",
        }
    }
}

/// How many people reacted to a post with one emoji.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionCount {
    /// The emoji.
    pub emoji: Emoji,
    /// How many people.
    pub count: u32,
}

code_enum!(
    /// Why a member flags a post (netiquette enforcement, seed 001).
    FlagReason {
        /// Unsolicited advertising.
        Spam = "SPAM",
        /// Rude or abusive.
        Offensive = "OFFENSIVE",
        /// Not about the thread.
        OffTopic = "OFF_TOPIC",
        /// Against the community's netiquette.
        Netiquette = "NETIQUETTE",
        /// Something else (see the note).
        Other = "OTHER",
    }
);
