use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CalendarTokenId, ClusterId, CommunityId, EventId, RsvpId, SpaceId},
    listing::EventScope,
    model::{CalendarToken, Convening, EventFormat, EventHost, EventMode, Rsvp, RsvpResponse},
    policy::{
        chain,
        proof::{self, Readable},
        write::{self, EventPlace},
    },
    schedule::Schedule,
    values::{Description, Title},
};

/// Most people per occurrence an event may admit.
pub const MAX_CAPACITY: u32 = 100_000;
/// Longest `joinUrl`.
pub const URL_MAX: usize = 2000;

/// Where a new event is held, as given.
#[derive(Debug, Clone, Copy)]
pub enum HostInput {
    /// A community (community-wide).
    Community(CommunityId),
    /// A space, of the community when one is named.
    Space(SpaceId, Option<CommunityId>),
    /// A regional cluster.
    Cluster(ClusterId),
}

/// The details of an event, validated.
#[derive(Debug, Clone)]
pub struct EventDetails {
    /// Title.
    pub title: Title,
    /// Free text (the agenda).
    pub description: Description,
    /// Format.
    pub format: EventFormat,
    /// Mode.
    pub mode: EventMode,
    /// Schedule.
    pub schedule: Schedule,
    /// Where, for in-person and hybrid events.
    pub location: Description,
    /// Where to join online.
    pub join_url: JoinUrl,
    /// Most people `GOING` per occurrence.
    pub capacity: Option<Capacity>,
}

/// Input of `update_event`: `None` leaves a field as it is; a new schedule replaces the old
/// one whole.
#[derive(Debug, Clone, Default)]
pub struct EventChanges {
    /// Title.
    pub title: Option<Title>,
    /// Free text.
    pub description: Option<Description>,
    /// Format.
    pub format: Option<EventFormat>,
    /// Mode.
    pub mode: Option<EventMode>,
    /// Schedule.
    pub schedule: Option<Schedule>,
    /// Where.
    pub location: Option<Description>,
    /// Where to join online.
    pub join_url: Option<JoinUrl>,
    /// Capacity (`Some(None)` removes the limit).
    pub capacity: Option<Option<Capacity>>,
}

/// An absolute `http`/`https` URL of up to 2000 characters, or empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinUrl(String);

impl JoinUrl {
    /// The URL, or `None` when empty.
    pub fn into_option(self) -> Option<String> {
        (!self.0.is_empty()).then_some(self.0)
    }

    /// Validates the input field `field`.
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self::default());
        }
        if raw.chars().count() > URL_MAX {
            return Err(DomainError::invalid(
                field,
                format!("at most {URL_MAX} characters"),
            ));
        }
        match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {
                Ok(Self(u.to_string()))
            }
            _ => Err(DomainError::invalid(
                field,
                "must be an absolute http or https URL",
            )),
        }
    }
}

/// A number of places, 1 to 100,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity(u32);

impl Capacity {
    /// Validates the input field `field`.
    pub fn parse(field: &'static str, raw: i64) -> DomainResult<Self> {
        u32::try_from(raw)
            .ok()
            .filter(|n| (1..=MAX_CAPACITY).contains(n))
            .map(Self)
            .ok_or_else(|| DomainError::invalid(field, format!("must be 1 to {MAX_CAPACITY}")))
    }
}

/// Whose events a calendar feed lists.
#[derive(Debug, Clone, Copy)]
pub enum FeedOf {
    /// A community's (and its readable spaces').
    Community(CommunityId),
    /// A regional cluster's.
    Cluster(ClusterId),
}

/// Which part of an event `cancel_event` cancels.
#[derive(Debug, Clone, Copy)]
pub enum Cancel {
    /// The whole event (every occurrence).
    Series,
    /// The occurrence starting then.
    Occurrence(DateTime<Utc>),
}

impl Services {
    /// Schedules an event: a community's `MANAGER` for the community or one of its spaces, a
    /// cluster's coordinator or a steward for a cluster.
    #[instrument(skip_all)]
    pub async fn schedule_event(
        &self,
        access: &AccessSet,
        host: HostInput,
        details: EventDetails,
    ) -> DomainResult<Convening> {
        let person = access.require_person()?;
        let host = match host {
            HostInput::Community(id) => {
                let community = self.community(access, id).await?;
                write::can_manage_events(access, EventPlace::Community(&community))?;
                EventHost::Community {
                    community: id,
                    space: None,
                }
            }
            HostInput::Space(id, named) => {
                let space = self.space(access, id).await?;
                if named.is_some_and(|c| c != space.community_id) {
                    return Err(DomainError::invalid(
                        "spaceId",
                        "the space is not in the community named by communityId",
                    ));
                }
                write::can_manage_events(access, EventPlace::Community(space.community()))?;
                EventHost::Community {
                    community: space.community_id,
                    space: Some(id),
                }
            }
            HostInput::Cluster(id) => {
                let cluster = self.cluster(access, id).await?;
                write::can_manage_events(access, EventPlace::Cluster(&cluster))?;
                EventHost::Cluster(id)
            }
        };
        let now = Utc::now();
        let mut event = Convening {
            id: EventId::generate(),
            host,
            title: String::new(),
            description: String::new(),
            format: details.format,
            mode: details.mode,
            last_ends_at: None,
            schedule: details.schedule.clone(),
            location: String::new(),
            join_url: String::new(),
            capacity: None,
            created_by: person,
            cancelled: false,
            cancelled_occurrences: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        apply(&mut event, details.into());
        self.repos.events.create(&event).await?;
        self.event_changed(&event).await;
        Ok(event)
    }

    /// Changes an event; who may schedule it may change it. A cancelled event stays as it is.
    #[instrument(skip_all)]
    pub async fn update_event(
        &self,
        access: &AccessSet,
        id: EventId,
        changes: EventChanges,
    ) -> DomainResult<Convening> {
        let found = self.event(access, id).await?;
        write::can_manage_events(access, EventPlace::of(&found))?;
        if found.cancelled {
            return Err(DomainError::precondition(
                "the event was cancelled and cannot change",
            ));
        }
        let mut event = found.item().clone();
        apply(&mut event, changes);
        event.updated_at = Utc::now();
        self.repos.events.update(&event).await?;
        self.event_changed(&event).await;
        Ok(event)
    }

    /// Cancels a whole event or one of its occurrences (idempotent).
    #[instrument(skip_all)]
    pub async fn cancel_event(
        &self,
        access: &AccessSet,
        id: EventId,
        what: Cancel,
    ) -> DomainResult<Convening> {
        let found = self.event(access, id).await?;
        write::can_manage_events(access, EventPlace::of(&found))?;
        let mut event = found.item().clone();
        match what {
            Cancel::Series => event.cancelled = true,
            Cancel::Occurrence(start) => {
                if !event.schedule.has_occurrence(start) {
                    return Err(DomainError::invalid(
                        "occurrenceStart",
                        "the event has no occurrence starting then",
                    ));
                }
                if !event.cancelled_occurrences.contains(&start) {
                    event.cancelled_occurrences.push(start);
                    event.cancelled_occurrences.sort();
                }
            }
        }
        event.updated_at = Utc::now();
        self.repos.events.update(&event).await?;
        self.event_changed(&event).await;
        Ok(event)
    }

    /// A person answers for one occurrence. `GOING` beyond the capacity waits for a place,
    /// in the order people said `GOING`; a place freed goes to the first who waits.
    #[instrument(skip_all)]
    pub async fn rsvp(
        &self,
        access: &AccessSet,
        id: EventId,
        occurrence: DateTime<Utc>,
        response: RsvpResponse,
    ) -> DomainResult<Readable<Convening>> {
        let person = access.require_person()?;
        let event = self.event(access, id).await?;
        write::can_rsvp(access, &event)?;
        if !event.schedule.has_occurrence(occurrence) {
            return Err(DomainError::invalid(
                "occurrenceStart",
                "the event has no occurrence starting then",
            ));
        }
        if event.is_cancelled(occurrence) {
            return Err(DomainError::precondition("this occurrence was cancelled"));
        }
        let now = Utc::now();
        if occurrence + event.schedule.duration() <= now {
            return Err(DomainError::precondition("this occurrence is over"));
        }
        let earlier = self
            .repos
            .events
            .rsvps(&[(event.id, occurrence)], Some(person))
            .await?
            .into_iter()
            .find(|r| r.person_id == person);
        let going_since = match (response, &earlier) {
            (RsvpResponse::Going, Some(r)) if r.response == RsvpResponse::Going => r.going_since,
            (RsvpResponse::Going, _) => Some(now),
            _ => None,
        };
        let rsvp = Rsvp {
            id: earlier.as_ref().map_or_else(RsvpId::generate, |r| r.id),
            event_id: event.id,
            occurrence_start: occurrence,
            person_id: person,
            response,
            going_since,
            updated_at: now,
        };
        self.repos.events.put_rsvp(&rsvp).await?;
        if let Some(community) = event.community() {
            self.figures_changed(community.id).await;
        }
        Ok(event)
    }

    /// A signed-in person makes a calendar feed token; `hash` is the stored form of the
    /// secret handed out once.
    #[instrument(skip_all)]
    pub async fn create_calendar_token(
        &self,
        access: &AccessSet,
        id: CalendarTokenId,
        hash: &str,
    ) -> DomainResult<CalendarToken> {
        let person = access.require_person()?;
        let token = CalendarToken {
            id,
            person_id: person,
            created_at: Utc::now(),
            revoked_at: None,
        };
        self.repos
            .events
            .create_calendar_token(&token, hash)
            .await?;
        Ok(token)
    }

    /// A person revokes one of their calendar tokens: every feed read with it stops.
    #[instrument(skip_all)]
    pub async fn revoke_calendar_token(
        &self,
        access: &AccessSet,
        id: CalendarTokenId,
    ) -> DomainResult<()> {
        let person = access.require_person()?;
        if self
            .repos
            .events
            .revoke_calendar_token(id, person, Utc::now())
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("calendar token"))
        }
    }

    /// The token with this id and its stored hash, if it exists and is not revoked.
    pub async fn calendar_token(
        &self,
        id: CalendarTokenId,
    ) -> DomainResult<Option<(CalendarToken, String)>> {
        Ok(self
            .repos
            .events
            .calendar_token(id)
            .await?
            .filter(|(t, _)| t.revoked_at.is_none()))
    }

    /// The readable events of a visible community (its own and those of the spaces the
    /// caller reads) or of a cluster, that may occur in `[from, to)`: a calendar feed.
    pub async fn feed(
        &self,
        access: &AccessSet,
        of: FeedOf,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> DomainResult<Vec<Readable<Convening>>> {
        let repos = &self.repos;
        match of {
            FeedOf::Community(id) => {
                let community = self.community(access, id).await?;
                let scope = EventScope::community(access, &community);
                let rows = repos.events.in_windows(&[(scope, from, to)]).await?;
                let rows = rows.into_iter().flatten().map(Arc::new).collect();
                chain::community_events(repos, access, &community, rows).await
            }
            FeedOf::Cluster(id) => {
                let cluster = self.cluster(access, id).await?;
                let Some(scope) = EventScope::cluster(access, &cluster) else {
                    return Ok(Vec::new());
                };
                let rows = repos.events.in_windows(&[(scope, from, to)]).await?;
                Ok(rows
                    .into_iter()
                    .flatten()
                    .filter_map(|row| proof::read_cluster_event(access, &cluster, Arc::new(row)))
                    .collect())
            }
        }
    }

    async fn event_changed(&self, event: &Convening) {
        self.publish([crate::event::Event::EventChanged {
            event: event.id,
            host: event.host,
        }])
        .await;
    }
}

impl From<EventDetails> for EventChanges {
    fn from(d: EventDetails) -> Self {
        Self {
            title: Some(d.title),
            description: Some(d.description),
            format: Some(d.format),
            mode: Some(d.mode),
            schedule: Some(d.schedule),
            location: Some(d.location),
            join_url: Some(d.join_url),
            capacity: Some(d.capacity),
        }
    }
}

fn apply(event: &mut Convening, changes: EventChanges) {
    if let Some(title) = changes.title {
        event.title = title.into_inner();
    }
    if let Some(description) = changes.description {
        event.description = description.into_inner();
    }
    if let Some(format) = changes.format {
        event.format = format;
    }
    if let Some(mode) = changes.mode {
        event.mode = mode;
    }
    if let Some(schedule) = changes.schedule {
        // Cancelled occurrences of the former schedule no longer name occurrences.
        event
            .cancelled_occurrences
            .retain(|start| schedule.has_occurrence(*start));
        event.schedule = schedule;
    }
    event.last_ends_at = event.schedule.last_ends_at();
    if let Some(location) = changes.location {
        event.location = location.into_inner();
    }
    if let Some(url) = changes.join_url {
        event.join_url = url.0;
    }
    if let Some(capacity) = changes.capacity {
        event.capacity = capacity.map(|c| c.0);
    }
}
