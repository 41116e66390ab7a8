use chrono::{DateTime, Utc};

use super::code_enum;
use crate::{
    ids::{CalendarTokenId, ClusterId, CommunityId, EventId, PersonId, RsvpId, SpaceId},
    schedule::Schedule,
};

code_enum!(
    /// The engagement formats the seeds name (seed 000 "Designing Effective Events", seed 003).
    EventFormat {
        /// A roundtable discussion.
        Roundtable = "ROUNDTABLE",
        /// A peer assist: peers help one team with a problem.
        PeerAssist = "PEER_ASSIST",
        /// A fishbowl: an inner circle talks, the outer circle listens, seats rotate.
        Fishbowl = "FISHBOWL",
        /// An online debate over several days.
        EDebate = "E_DEBATE",
        /// A webinar.
        Webinar = "WEBINAR",
        /// A working meeting.
        Meeting = "MEETING",
        /// A jam session: an intensive online brainstorm.
        JamSession = "JAM_SESSION",
        /// The community's launch event (seed 003 step 7).
        Launch = "LAUNCH",
        /// A conference.
        Conference = "CONFERENCE",
        /// Anything else.
        Other = "OTHER",
    }
);

code_enum!(
    /// Where an event takes place.
    EventMode {
        /// Online only.
        Online = "ONLINE",
        /// Face to face.
        InPerson = "IN_PERSON",
        /// Both.
        Hybrid = "HYBRID",
    }
);

code_enum!(
    /// A person's answer for one occurrence.
    RsvpResponse {
        /// Attending (or waiting for a place, when the event is full).
        Going = "GOING",
        /// Perhaps.
        Maybe = "MAYBE",
        /// Not attending.
        Declined = "DECLINED",
    }
);

/// Where an event is held, which decides who sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum EventHost {
    /// A community's event, for the whole community (`space: None`) or one of its spaces.
    Community {
        /// The community.
        community: CommunityId,
        /// The space, if any: the event is then exactly as readable as the space.
        space: Option<SpaceId>,
    },
    /// A regional cluster's event, for the members of the cluster's communities.
    Cluster(ClusterId),
}

impl EventHost {
    /// The community, for community events.
    pub fn community(self) -> Option<CommunityId> {
        match self {
            EventHost::Community { community, .. } => Some(community),
            EventHost::Cluster(_) => None,
        }
    }
}

/// A convening (DOMAIN.md "Events"): one-off, or a recurring series (the community's rhythm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convening {
    /// Key.
    pub id: EventId,
    /// Where it is held.
    pub host: EventHost,
    /// Title.
    pub title: String,
    /// Free text (the agenda).
    pub description: String,
    /// Engagement format.
    pub format: EventFormat,
    /// Online, in person or both.
    pub mode: EventMode,
    /// When it happens.
    pub schedule: Schedule,
    /// The end of the last occurrence (`None` for an open series); kept to find events by
    /// window in SQL.
    pub last_ends_at: Option<DateTime<Utc>>,
    /// Where, for in-person and hybrid events.
    pub location: String,
    /// Where to join online.
    pub join_url: String,
    /// Most people `GOING` per occurrence; `None` for no limit.
    pub capacity: Option<u32>,
    /// Who scheduled it.
    pub created_by: PersonId,
    /// The whole series was cancelled.
    pub cancelled: bool,
    /// Starts of single occurrences that were cancelled.
    pub cancelled_occurrences: Vec<DateTime<Utc>>,
    /// When it was scheduled.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Convening {
    /// Whether this occurrence was cancelled (alone or with the series).
    pub fn is_cancelled(&self, start: DateTime<Utc>) -> bool {
        self.cancelled || self.cancelled_occurrences.contains(&start)
    }
}

/// A person's answer for one occurrence of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsvp {
    /// Key.
    pub id: RsvpId,
    /// The event.
    pub event_id: EventId,
    /// The occurrence (its start).
    pub occurrence_start: DateTime<Utc>,
    /// Who.
    pub person_id: PersonId,
    /// The answer.
    pub response: RsvpResponse,
    /// Since when the answer has been `GOING`: places go in this order, the rest wait.
    pub going_since: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A secret that lets a calendar application read a person's feeds (it cannot send headers).
/// Only a hash of the secret is stored; revoking it stops every feed at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarToken {
    /// Key.
    pub id: CalendarTokenId,
    /// Whose feeds it reads, with their rights.
    pub person_id: PersonId,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}
