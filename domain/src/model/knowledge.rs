use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{AssetId, ClusterId, EventId, NetworkId, PersonId, ThreadId, TopicId};

/// A shared topic of a network's vocabulary (seed 004's knowledge mapping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Key.
    pub id: TopicId,
    /// The network whose vocabulary it is in.
    pub network_id: NetworkId,
    /// Its name, unique in the network (case-insensitive).
    pub name: String,
    /// Other names people use for it.
    pub aliases: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

code_enum!(
    /// How well a person knows a topic.
    ExpertiseLevel {
        /// Knows of it.
        Aware = "AWARE",
        /// Works with it.
        Practitioner = "PRACTITIONER",
        /// Others come to them about it.
        Expert = "EXPERT",
    }
);

/// A person's declared expertise on a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expertise {
    /// Who.
    pub person_id: PersonId,
    /// On what.
    pub topic_id: TopicId,
    /// How well.
    pub level: ExpertiseLevel,
    /// In their words.
    pub note: String,
    /// When declared or last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a person says about themselves beyond their name: the languages they work in, the
/// regional cluster they belong to, a short bio.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Language codes (ISO 639-1, lowercase), in their order of preference.
    pub languages: Vec<String>,
    /// Their regional cluster.
    pub region_cluster_id: Option<ClusterId>,
    /// A short bio.
    pub bio: String,
}

/// Something that carries topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tagged {
    /// A thread.
    Thread(ThreadId),
    /// A knowledge asset.
    Asset(AssetId),
    /// An event.
    Event(EventId),
}

impl Tagged {
    /// The raw id of the thing.
    pub fn uuid(self) -> uuid::Uuid {
        match self {
            Self::Thread(id) => id.uuid(),
            Self::Asset(id) => id.uuid(),
            Self::Event(id) => id.uuid(),
        }
    }

    /// The stored code of its kind.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Thread(_) => "THREAD",
            Self::Asset(_) => "ASSET",
            Self::Event(_) => "EVENT",
        }
    }
}
