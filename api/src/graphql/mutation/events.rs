use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, SubsecRound, Utc};
use copnet_domain::{
    ids::{ClusterId, CommunityId, EventId, SpaceId},
    model::Tagged,
    policy::chain,
    schedule::{Occurrence, Schedule},
    service::{Cancel, Capacity, EventChanges, EventDetails, HostInput, JoinUrl},
    values::{Description, Title},
};

use super::id;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::{caller, write},
        enums::{EventFormat, EventMode, RsvpResponse},
        ids::Kind,
        types::{Event, EventOccurrence},
    },
};

/// Input of `scheduleEvent`. Name the community (`communityId`, with `spaceId` for one of
/// its spaces) or the regional cluster (`clusterId`).
#[derive(InputObject)]
pub struct ScheduleEventInput {
    /// The community, for a community-wide event (or with `spaceId`).
    pub community_id: Option<ID>,
    /// The regional cluster, for a cluster event (members of its communities read it).
    pub cluster_id: Option<ID>,
    /// A space of the community: the event is then exactly as readable as the space.
    pub space_id: Option<ID>,
    /// Title, 1..200 characters.
    pub title: String,
    /// The agenda, up to 4000 characters.
    pub description: Option<String>,
    /// Engagement format (`LAUNCH` for the launch event).
    pub format: EventFormat,
    /// Online, in person or hybrid.
    pub mode: EventMode,
    /// Start of the first occurrence (whole seconds; fractions are dropped).
    pub starts_at: DateTime<Utc>,
    /// End of the first occurrence: after the start, at most 31 days later.
    pub ends_at: DateTime<Utc>,
    /// IANA time zone the recurrence is expanded in (`America/Mexico_City`).
    pub time_zone: String,
    /// RFC 5545 RRULE value (`FREQ=WEEKLY;BYDAY=TU`, `FREQ=MONTHLY;BYDAY=2TU;COUNT=10`);
    /// absent for a one-off event. At most daily.
    pub recurrence: Option<String>,
    /// Where, for in-person and hybrid events (up to 4000 characters).
    pub location: Option<String>,
    /// Where to join online: an absolute http(s) URL.
    pub join_url: Option<String>,
    /// Most people GOING per occurrence (1..100000); beyond it answers wait for a place.
    pub capacity: Option<i64>,
    /// Up to 10 topics of the network that the event is about.
    pub topic_ids: Option<Vec<ID>>,
}

/// Input of `updateEvent`. Absent fields stay as they are; a new `startsAt`, `endsAt`,
/// `timeZone` or `recurrence` makes a new schedule (answers stay with the occurrences that
/// still exist).
#[derive(InputObject)]
pub struct UpdateEventInput {
    /// The event.
    pub event_id: ID,
    /// Title, 1..200 characters.
    pub title: Option<String>,
    /// The agenda, up to 4000 characters.
    pub description: Option<String>,
    /// Engagement format.
    pub format: Option<EventFormat>,
    /// Online, in person or hybrid.
    pub mode: Option<EventMode>,
    /// Start of the first occurrence.
    pub starts_at: Option<DateTime<Utc>>,
    /// End of the first occurrence.
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// RFC 5545 RRULE value; `null` makes the event one-off.
    pub recurrence: MaybeUndefined<String>,
    /// Where.
    pub location: Option<String>,
    /// Where to join online.
    pub join_url: Option<String>,
    /// Most people GOING per occurrence; `null` removes the limit.
    pub capacity: MaybeUndefined<i64>,
    /// Replaces its topics (up to 10 of the network's).
    pub topic_ids: Option<Vec<ID>>,
}

/// Input of `cancelEvent`.
#[derive(InputObject)]
pub struct CancelEventInput {
    /// The event.
    pub event_id: ID,
    /// The start of the one occurrence to cancel; absent cancels the whole event.
    pub occurrence_start: Option<DateTime<Utc>>,
}

/// Input of `rsvp`.
#[derive(InputObject)]
pub struct RsvpInput {
    /// The event.
    pub event_id: ID,
    /// The start of the occurrence (`EventOccurrence.startsAt`).
    pub occurrence_start: DateTime<Utc>,
    /// The answer.
    pub response: RsvpResponse,
}

/// Result of event mutations.
#[derive(SimpleObject)]
pub struct EventPayload {
    /// The event as stored.
    pub event: Event,
}

/// Result of `rsvp`.
#[derive(SimpleObject)]
pub struct RsvpPayload {
    /// The occurrence, with the caller's answer (`viewerRsvp`) and the counts.
    pub occurrence: EventOccurrence,
}

fn details(input: &ScheduleEventInput) -> ApiResult<EventDetails> {
    Ok(EventDetails {
        title: Title::parse("title", &input.title)?,
        description: Description::parse(
            "description",
            input.description.as_deref().unwrap_or_default(),
        )?,
        format: input.format.into(),
        mode: input.mode.into(),
        schedule: Schedule::parse(
            input.starts_at.trunc_subsecs(0),
            input.ends_at.trunc_subsecs(0),
            &input.time_zone,
            input.recurrence.as_deref(),
        )?,
        location: Description::parse("location", input.location.as_deref().unwrap_or_default())?,
        join_url: JoinUrl::parse("joinUrl", input.join_url.as_deref().unwrap_or_default())?,
        capacity: input
            .capacity
            .map(|c| Capacity::parse("capacity", c))
            .transpose()?,
    })
}

fn host(input: &ScheduleEventInput) -> ApiResult<HostInput> {
    if input.cluster_id.is_some() && (input.community_id.is_some() || input.space_id.is_some())
        || (input.cluster_id.is_none() && input.community_id.is_none() && input.space_id.is_none())
    {
        return Err(ApiError::bad_input(
            "communityId",
            "name a community (optionally with spaceId) or a cluster, not both",
        ));
    }
    let community: Option<CommunityId> = input
        .community_id
        .as_ref()
        .map(|c| id("communityId", Kind::Community, c))
        .transpose()?;
    let cluster: Option<ClusterId> = input
        .cluster_id
        .as_ref()
        .map(|c| id("clusterId", Kind::Cluster, c))
        .transpose()?;
    let space: Option<SpaceId> = input
        .space_id
        .as_ref()
        .map(|s| id("spaceId", Kind::Space, s))
        .transpose()?;
    match (community, cluster, space) {
        (_, None, Some(space)) => Ok(HostInput::Space(space, community)),
        (Some(c), None, None) => Ok(HostInput::Community(c)),
        (None, Some(k), None) => Ok(HostInput::Cluster(k)),
        _ => Err(ApiError::bad_input(
            "communityId",
            "name a community (optionally with spaceId) or a cluster, not both",
        )),
    }
}

async fn shown(ctx: &Context<'_>, id: EventId) -> ApiResult<Option<Event>> {
    let (rc, a) = caller(ctx).await?;
    Ok(chain::event(rc, &a, id).await?.map(Event))
}

#[derive(Default)]
pub struct EventMutations;

#[Object]
impl EventMutations {
    /// Schedules an event, one-off or recurring. A community's `MANAGER`s for the community
    /// or its spaces (not when archived); a cluster's coordinators and the network's stewards
    /// for a cluster.
    async fn schedule_event(
        &self,
        ctx: &Context<'_>,
        input: ScheduleEventInput,
    ) -> ApiResult<Option<EventPayload>> {
        let host = host(&input)?;
        let details = details(&input)?;
        let topics = super::topic_ids(input.topic_ids.as_deref())?;
        let event = write(ctx, async |s, a| {
            let topics = match &topics {
                Some(ids) => Some(s.check_topics_at(a, &host, ids).await?),
                None => None,
            };
            let event = s.schedule_event(a, host, details).await?;
            if let Some(ids) = topics {
                s.set_topics(a, Tagged::Event(event.id), &ids).await?;
            }
            Ok(event)
        })
        .await?;
        Ok(shown(ctx, event.id)
            .await?
            .map(|event| EventPayload { event }))
    }

    /// Changes an event; who may schedule it may change it. A cancelled event cannot change.
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        input: UpdateEventInput,
    ) -> ApiResult<Option<EventPayload>> {
        let event: EventId = id("eventId", Kind::Event, &input.event_id)?;
        let (rc, a) = caller(ctx).await?;
        let current = chain::event(rc, &a, event)
            .await?
            .ok_or_else(|| ApiError::not_found("Event"))?;
        let new_schedule = input.starts_at.is_some()
            || input.ends_at.is_some()
            || input.time_zone.is_some()
            || !input.recurrence.is_undefined();
        let schedule = if new_schedule {
            let old = &current.schedule;
            let recurrence = match &input.recurrence {
                MaybeUndefined::Undefined => old.recurrence.clone(),
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(r) => Some(r.clone()),
            };
            Some(Schedule::parse(
                input
                    .starts_at
                    .map_or(old.starts_at, |s| s.trunc_subsecs(0)),
                input.ends_at.map_or(old.ends_at, |e| e.trunc_subsecs(0)),
                input.time_zone.as_deref().unwrap_or(&old.time_zone),
                recurrence.as_deref(),
            )?)
        } else {
            None
        };
        let changes = EventChanges {
            title: input
                .title
                .as_deref()
                .map(|t| Title::parse("title", t))
                .transpose()?,
            description: input
                .description
                .as_deref()
                .map(|d| Description::parse("description", d))
                .transpose()?,
            format: input.format.map(Into::into),
            mode: input.mode.map(Into::into),
            schedule,
            location: input
                .location
                .as_deref()
                .map(|l| Description::parse("location", l))
                .transpose()?,
            join_url: input
                .join_url
                .as_deref()
                .map(|u| JoinUrl::parse("joinUrl", u))
                .transpose()?,
            capacity: match input.capacity {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(c) => Some(Some(Capacity::parse("capacity", c)?)),
            },
        };
        let topics = super::topic_ids(input.topic_ids.as_deref())?;
        let event = write(ctx, async |s, a| {
            if let Some(ids) = &topics {
                s.set_topics(a, Tagged::Event(event), ids).await?;
            }
            s.update_event(a, event, changes).await
        })
        .await?;
        Ok(shown(ctx, event.id)
            .await?
            .map(|event| EventPayload { event }))
    }

    /// Cancels a whole event, or one occurrence of a series (idempotent). Who may schedule it
    /// may cancel it.
    async fn cancel_event(
        &self,
        ctx: &Context<'_>,
        input: CancelEventInput,
    ) -> ApiResult<Option<EventPayload>> {
        let event: EventId = id("eventId", Kind::Event, &input.event_id)?;
        let what = input
            .occurrence_start
            .map_or(Cancel::Series, Cancel::Occurrence);
        let event = write(ctx, async |s, a| s.cancel_event(a, event, what).await).await?;
        Ok(shown(ctx, event.id)
            .await?
            .map(|event| EventPayload { event }))
    }

    /// Answers for one upcoming occurrence (a second answer replaces the first). Members of
    /// the event's community (not archived); for a cluster event, whoever reads it. GOING
    /// beyond the capacity waits for a place (`WAITLISTED`), in the order people said GOING,
    /// and moves up when a place frees.
    async fn rsvp(&self, ctx: &Context<'_>, input: RsvpInput) -> ApiResult<Option<RsvpPayload>> {
        let event: EventId = id("eventId", Kind::Event, &input.event_id)?;
        let start = input.occurrence_start;
        let response = input.response.into();
        let readable = write(ctx, async |s, a| s.rsvp(a, event, start, response).await).await?;
        let Some(event) = shown(ctx, readable.id).await? else {
            return Ok(None);
        };
        let occurrence = Occurrence {
            starts_at: start,
            ends_at: start + event.0.schedule.duration(),
        };
        Ok(Some(RsvpPayload {
            occurrence: EventOccurrence { event, occurrence },
        }))
    }
}
