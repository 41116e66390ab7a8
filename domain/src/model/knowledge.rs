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

code_enum!(
    /// Why something is suggested to a person.
    ReasonKind {
        /// It is about topics they know or want to learn.
        SharedTopic = "SHARED_TOPIC",
        /// It is in (or they are of) the regional cluster of their profile.
        SameCluster = "SAME_CLUSTER",
        /// It is hosted by (or they are affiliated with) one of their organizations.
        SameOrganization = "SAME_ORGANIZATION",
        /// They are a practitioner or expert on a topic the person wants to learn.
        ExpertInYourInterest = "EXPERT_IN_YOUR_INTEREST",
        /// They posted lately in one of the person's communities.
        ActiveInYourCommunity = "ACTIVE_IN_YOUR_COMMUNITY",
    }
);

impl ReasonKind {
    /// What one instance of the reason adds to a score: 4 per topic for an expert in an
    /// interest, 3 per shared topic, 2 for the same cluster, 1 for the same organization,
    /// 1 for activity in one's community.
    pub fn weight(self) -> u32 {
        match self {
            Self::ExpertInYourInterest => 4,
            Self::SharedTopic => 3,
            Self::SameCluster => 2,
            Self::SameOrganization | Self::ActiveInYourCommunity => 1,
        }
    }
}

/// One reason, with the topics it names (for the topic reasons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Which reason.
    pub kind: ReasonKind,
    /// The topics concerned.
    pub topics: Vec<TopicId>,
}

impl Reason {
    /// Its part of the score: the weight, per topic for the topic reasons.
    pub fn score(&self) -> u32 {
        let times = if matches!(
            self.kind,
            ReasonKind::SharedTopic | ReasonKind::ExpertInYourInterest
        ) {
            u32::try_from(self.topics.len()).unwrap_or(u32::MAX)
        } else {
            1
        };
        self.kind.weight().saturating_mul(times)
    }
}
