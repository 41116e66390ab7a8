use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use copnet_domain::{
    listing::EventScope,
    model::{self, RsvpResponse},
    policy::{
        chain,
        proof::{self, EventWithin, Readable, Visible},
        write::{self, EventPlace},
    },
    schedule::Occurrence,
};
use uuid::Uuid;

use super::{Community, FeedbackSummary, Person, RegionalCluster, Space};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::PageInfo,
        context::{RequestContext, access, caller, load},
        enums::{EventFormat, EventMode, RsvpStatus},
        ids::{Kind, encode},
        loaders::{Attendance, AttendanceOf, EventsIn, OutputsOf, SummaryOf},
    },
};

/// Default calendar window: from now, 90 days.
const DEFAULT_WINDOW_DAYS: i64 = 90;
/// Longest calendar window.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// Default and largest page of occurrences.
const DEFAULT_PAGE: usize = 20;
const MAX_PAGE: usize = 100;

/// The `Event` object; see its GraphQL description.
#[derive(Clone)]
pub struct Event(pub Readable<model::Convening>);

/// A calendar window `[from, to)`, validated: `to` after `from`, at most 366 days apart.
pub fn window(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let from = from.unwrap_or_else(Utc::now);
    let to = to.unwrap_or(from + Duration::days(DEFAULT_WINDOW_DAYS));
    if to <= from {
        return Err(ApiError::bad_input("to", "must be after from"));
    }
    if to - from > Duration::days(MAX_WINDOW_DAYS) {
        return Err(ApiError::bad_input(
            "to",
            format!("a window spans at most {MAX_WINDOW_DAYS} days"),
        ));
    }
    Ok((from, to))
}

/// The readable events of a visible community that may occur in the window: its own and
/// those of the spaces the caller reads.
pub async fn of_community(
    ctx: &Context<'_>,
    community: &Visible<model::Community>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<Readable<model::Convening>>> {
    let (rc, a) = caller(ctx).await?;
    let scope = EventScope::community(&a, community);
    let rows = load(ctx, EventsIn { scope, from, to })
        .await?
        .unwrap_or_default();
    Ok(chain::community_events(rc, &a, community, rows).await?)
}

/// The events of a readable space that may occur in the window.
pub async fn of_space(
    ctx: &Context<'_>,
    space: &Readable<model::Space>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<Readable<model::Convening>>> {
    let scope = EventScope::space(space);
    let rows = load(ctx, EventsIn { scope, from, to })
        .await?
        .unwrap_or_default();
    Ok(rows
        .into_iter()
        .filter_map(|row| proof::read_space_event(space, row))
        .collect())
}

/// The events of a visible cluster that may occur in the window, for those who read them.
pub async fn of_cluster(
    ctx: &Context<'_>,
    cluster: &Visible<model::Cluster>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<Readable<model::Convening>>> {
    let a = access(ctx).await?;
    let Some(scope) = EventScope::cluster(&a, cluster) else {
        return Ok(Vec::new());
    };
    let rows = load(ctx, EventsIn { scope, from, to })
        .await?
        .unwrap_or_default();
    Ok(rows
        .into_iter()
        .filter_map(|row| proof::read_cluster_event(&a, cluster, row))
        .collect())
}

fn occurrence_cursor(o: &EventOccurrence) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "{}:{}",
        o.occurrence.starts_at.timestamp_millis(),
        o.event.0.id
    ))
}

fn decode_occurrence_cursor(raw: &str) -> ApiResult<(i64, Uuid)> {
    let bad = || ApiError::bad_input("after", "not a valid cursor");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (millis, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((
        millis.parse().map_err(|_| bad())?,
        Uuid::parse_str(id).map_err(|_| bad())?,
    ))
}

/// One page of the occurrences of these events in the window, in start order.
pub fn occurrence_page(
    events: &[Readable<model::Convening>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    first: Option<i32>,
    after: Option<&str>,
) -> ApiResult<EventOccurrenceConnection> {
    let size = match first {
        None => DEFAULT_PAGE,
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| ApiError::bad_input("first", format!("must be 1 to {MAX_PAGE}")))?,
    };
    let after = after.map(decode_occurrence_cursor).transpose()?;
    let mut all: Vec<EventOccurrence> = events
        .iter()
        .flat_map(|e| {
            e.schedule
                .occurrences(from, to)
                .into_iter()
                .map(|occurrence| EventOccurrence {
                    event: Event(e.clone()),
                    occurrence,
                })
        })
        .collect();
    all.sort_by_key(|o| (o.occurrence.starts_at, o.event.0.id));
    let total = all.len();
    let start = match after {
        Some((millis, id)) => all
            .iter()
            .position(|o| {
                (
                    o.occurrence.starts_at.timestamp_millis(),
                    o.event.0.id.uuid(),
                ) > (millis, id)
            })
            .unwrap_or(total),
        None => 0,
    };
    let page: Vec<EventOccurrence> = all.into_iter().skip(start).take(size).collect();
    Ok(EventOccurrenceConnection {
        page_info: PageInfo {
            has_next_page: start + page.len() < total,
            has_previous_page: start > 0,
            start_cursor: page.first().map(occurrence_cursor),
            end_cursor: page.last().map(occurrence_cursor),
        },
        total_count: total,
        edges: page
            .into_iter()
            .map(|node| EventOccurrenceEdge {
                cursor: occurrence_cursor(&node),
                node,
            })
            .collect(),
    })
}

/// A page of event occurrences, in start order. Pages forward with `first` (1..100, default
/// 20) and `after`.
pub struct EventOccurrenceConnection {
    edges: Vec<EventOccurrenceEdge>,
    page_info: PageInfo,
    total_count: usize,
}

/// A page of event occurrences in start order (ties by event).
#[Object]
impl EventOccurrenceConnection {
    /// The occurrences of this page, each with its cursor.
    async fn edges(&self) -> &[EventOccurrenceEdge] {
        &self.edges
    }

    /// The occurrences of this page.
    async fn nodes(&self) -> Vec<EventOccurrence> {
        self.edges.iter().map(|e| e.node.clone()).collect()
    }

    /// Where this page sits in the list.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// How many occurrences the window holds (of events the caller may read).
    async fn total_count(&self) -> usize {
        self.total_count
    }
}

/// An occurrence and its cursor.
#[derive(SimpleObject, Clone)]
pub struct EventOccurrenceEdge {
    /// Opaque position of this occurrence, for `after`.
    pub cursor: String,
    /// The occurrence.
    pub node: EventOccurrence,
}

/// One occurrence of an event (a one-off event has one; a series one per recurrence).
#[derive(Clone)]
pub struct EventOccurrence {
    /// Its event.
    pub event: Event,
    /// When.
    pub occurrence: Occurrence,
}

impl EventOccurrence {
    async fn attendance(&self, ctx: &Context<'_>) -> ApiResult<Arc<Attendance>> {
        Ok(load(
            ctx,
            AttendanceOf(self.event.0.id, self.occurrence.starts_at),
        )
        .await?
        .unwrap_or_default())
    }

    fn places(&self, going: usize) -> usize {
        self.event.0.capacity.map_or(going, |c| {
            going.min(usize::try_from(c).unwrap_or(usize::MAX))
        })
    }
}

/// One occurrence of an event, with its answers.
#[Object]
impl EventOccurrence {
    /// Its event (the series, for a recurring event).
    async fn event(&self) -> &Event {
        &self.event
    }

    /// When it starts; identifies the occurrence within its event (`rsvp`, `cancelEvent`).
    async fn starts_at(&self) -> DateTime<Utc> {
        self.occurrence.starts_at
    }

    /// When it ends.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.occurrence.ends_at
    }

    /// Cancelled, alone or with its whole event.
    async fn cancelled(&self) -> bool {
        self.event.0.is_cancelled(self.occurrence.starts_at)
    }

    /// People going with a place (at most the capacity).
    async fn going_count(&self, ctx: &Context<'_>) -> ApiResult<usize> {
        let going = self.attendance(ctx).await?.going.len();
        Ok(self.places(going))
    }

    /// People who said GOING beyond the capacity and wait for a place.
    async fn waitlist_count(&self, ctx: &Context<'_>) -> ApiResult<usize> {
        let going = self.attendance(ctx).await?.going.len();
        Ok(going - self.places(going))
    }

    /// The caller's answer; `WAITLISTED` when they said GOING and no place is free yet.
    /// Null when they have not answered.
    async fn viewer_rsvp(&self, ctx: &Context<'_>) -> ApiResult<Option<RsvpStatus>> {
        let attendance = self.attendance(ctx).await?;
        let Some(mine) = &attendance.viewer else {
            return Ok(None);
        };
        Ok(Some(match mine.response {
            RsvpResponse::Going => {
                let position = attendance
                    .going
                    .iter()
                    .position(|p| *p == mine.person_id)
                    .unwrap_or(0);
                if self.places(attendance.going.len()) > position {
                    RsvpStatus::Going
                } else {
                    RsvpStatus::Waitlisted
                }
            }
            RsvpResponse::Maybe => RsvpStatus::Maybe,
            RsvpResponse::Declined => RsvpStatus::Declined,
        }))
    }
}

/// A convening: a one-off event or a recurring series (the community's rhythm), held for a
/// community, one of its spaces, or a regional cluster. An event in a space is exactly as
/// readable as the space; a community-wide event as visible as the community; a cluster's
/// event is read by the members of the cluster's communities, its coordinators and the
/// network's stewards.
#[Object]
impl Event {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Event, self.0.id)
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The topics of the network it is about.
    async fn topics(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Topic>> {
        super::topic::topics_of(ctx, model::Tagged::Event(self.0.id)).await
    }

    /// Free text: the agenda.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Engagement format.
    async fn format(&self) -> EventFormat {
        self.0.format.into()
    }

    /// Online, in person or hybrid.
    async fn mode(&self) -> EventMode {
        self.0.mode.into()
    }

    /// Start of the first occurrence.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.schedule.starts_at
    }

    /// End of the first occurrence; every occurrence lasts as long.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.schedule.ends_at
    }

    /// IANA time zone the recurrence is expanded in: a weekly 10:00 stays at 10:00 local
    /// time across daylight-saving changes.
    async fn time_zone(&self) -> &str {
        &self.0.schedule.time_zone
    }

    /// RFC 5545 RRULE value (`FREQ=MONTHLY;BYDAY=2TU`); null for a one-off event.
    async fn recurrence(&self) -> Option<&str> {
        self.0.schedule.recurrence.as_deref()
    }

    /// Where, for in-person and hybrid events.
    async fn location(&self) -> &str {
        &self.0.location
    }

    /// Where to join online.
    async fn join_url(&self) -> &str {
        &self.0.join_url
    }

    /// Most people GOING per occurrence; null for no limit.
    async fn capacity(&self) -> Option<u32> {
        self.0.capacity
    }

    /// The whole event was cancelled.
    async fn cancelled(&self) -> bool {
        self.0.cancelled
    }

    /// Starts of the single occurrences that were cancelled.
    async fn cancelled_occurrences(&self) -> &[DateTime<Utc>] {
        &self.0.cancelled_occurrences
    }

    /// The community, for community and space events.
    async fn community(&self) -> Option<Community> {
        self.0.community().cloned().map(Community)
    }

    /// The space, for space events.
    async fn space(&self) -> Option<Space> {
        match self.0.within() {
            EventWithin::Space(s) => Some(Space(s.visible())),
            _ => None,
        }
    }

    /// The regional cluster, for cluster events.
    async fn cluster(&self) -> Option<RegionalCluster> {
        match self.0.within() {
            EventWithin::Cluster(k) => Some(RegionalCluster(k.clone())),
            _ => None,
        }
    }

    /// Who scheduled it; null when the caller may not see them.
    async fn created_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        let (rc, a) = caller(ctx).await?;
        Ok(chain::person(rc, &a, self.0.created_by).await?.map(Person))
    }

    /// When it was scheduled.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Its occurrences overlapping `[from, to)` (default: the next 90 days; at most 366).
    async fn occurrences(
        &self,
        #[graphql(desc = "Window start (default: now).")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Window end, exclusive (default: 90 days after `from`).")] to: Option<
            DateTime<Utc>,
        >,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
    ) -> ApiResult<EventOccurrenceConnection> {
        let (from, to) = window(from, to)?;
        occurrence_page(
            std::slice::from_ref(&self.0),
            from,
            to,
            first,
            after.as_deref(),
        )
    }

    /// What came out of it (a recording, the notes): the linked assets the caller reads, in
    /// the order linked (at most 20).
    async fn outputs(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Asset>> {
        let (rc, a) = caller(ctx).await?;
        let ids = load(ctx, OutputsOf(self.0.id)).await?.unwrap_or_default();
        let rows = chain::Lookup::assets(rc, &ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(asset) = chain::asset_row(rc, &a, row).await? {
                out.push(super::Asset(asset));
            }
        }
        Ok(out)
    }

    /// Ratings of the event, counted; for members of its community (for a cluster event,
    /// its readers), null for others.
    async fn feedback_summary(&self, ctx: &Context<'_>) -> ApiResult<Option<FeedbackSummary>> {
        if let Some(community) = self.0.community()
            && !access(ctx).await?.reads_community(community.id)
        {
            return Ok(None);
        }
        let target = model::FeedbackTarget::Event(self.0.id);
        Ok(Some(
            load(ctx, SummaryOf(target))
                .await?
                .unwrap_or_default()
                .into(),
        ))
    }

    /// Whether `updateEvent` and `cancelEvent` would succeed: a `MANAGER` of its community
    /// (not archived), or a coordinator of its cluster or a steward.
    async fn viewer_can_manage(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_manage_events(&*access(ctx).await?, EventPlace::of(&self.0)).is_ok())
    }

    /// Whether `rsvp` would succeed for an upcoming occurrence: a signed-in member of its
    /// community (not archived), or a reader of its cluster's events.
    async fn viewer_can_rsvp(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(write::can_rsvp(&*access(ctx).await?, &self.0).is_ok())
    }
}

/// The event with this ID, if the caller may read it.
pub async fn find(
    rc: &RequestContext,
    access: &copnet_domain::AccessSet,
    id: copnet_domain::ids::EventId,
) -> ApiResult<Option<Event>> {
    Ok(chain::event(rc, access, id).await?.map(Event))
}
