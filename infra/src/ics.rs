//! Calendar feeds in RFC 5545 (iCalendar), written with the `icalendar` crate: one `VEVENT`
//! per event with its `RRULE` and an `EXDATE` per cancelled occurrence, times local to the
//! event's IANA zone (`TZID`), and a `VTIMEZONE` per zone whose observances are read off the
//! IANA database (chrono-tz) for the years the feed spans.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use copnet_domain::model::Convening;
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};

/// The product identifier of copnet's feeds.
const PRODID: &str = "-//copnet//Communities of Practice//EN";

fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

fn local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    tz.from_utc_datetime(&at.naive_utc()).naive_local()
}

fn offset_secs(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("{sign}{:02}{:02}", abs / 3600, (abs % 3600) / 60)
}

/// The instants in `[from, to)` where the zone's offset changes, found hour by hour and
/// narrowed to the second.
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut at = from;
    while at < to {
        let next = at + Duration::hours(1);
        if offset_secs(tz, at) != offset_secs(tz, next) {
            let (mut lo, mut hi) = (at, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_secs(tz, mid) == offset_secs(tz, lo) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
        }
        at = next;
    }
    out
}

/// A `VTIMEZONE` for `tz` covering `[from, to)`: an observance at `from`, then one per
/// offset change.
fn vtimezone(name: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let tz = zone(name);
    let observance = |at: DateTime<Utc>, before: i32| {
        let offset = tz.offset_from_utc_datetime(&at.naive_utc());
        let kind = if offset.dst_offset().num_seconds() != 0 {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let after = offset.fix().local_minus_utc();
        let onset = at.naive_utc() + Duration::seconds(i64::from(before));
        let abbreviation = offset.abbreviation().unwrap_or(name).to_owned();
        format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{abbreviation}\r\nEND:{kind}\r\n",
            onset.format("%Y%m%dT%H%M%S"),
            format_offset(before),
            format_offset(after),
        )
    };
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{name}\r\n");
    let first = offset_secs(tz, from);
    text.push_str(&observance(from, first));
    for at in transitions(tz, from, to) {
        text.push_str(&observance(at, offset_secs(tz, at - Duration::seconds(1))));
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

fn vevent(e: &Convening) -> icalendar::Event {
    let tz = zone(&e.schedule.time_zone);
    let tzid = e.schedule.time_zone.clone();
    let at = |t: DateTime<Utc>| CalendarDateTime::WithTimezone {
        date_time: local(tz, t),
        tzid: tzid.clone(),
    };
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@copnet", e.id))
        .timestamp(e.updated_at)
        .summary(&e.title)
        .description(&e.description)
        .starts(at(e.schedule.starts_at))
        .ends(at(e.schedule.ends_at))
        .add_property("CATEGORIES", e.format.code())
        .add_property(
            "LAST-MODIFIED",
            e.updated_at.format("%Y%m%dT%H%M%SZ").to_string(),
        );
    if !e.location.is_empty() {
        event.location(&e.location);
    }
    if !e.join_url.is_empty() {
        event.url(&e.join_url);
    }
    if let Some(rule) = &e.schedule.recurrence {
        event.add_property("RRULE", rule.as_str());
    }
    for start in &e.cancelled_occurrences {
        let mut exdate = Property::new(
            "EXDATE",
            local(tz, *start).format("%Y%m%dT%H%M%S").to_string(),
        );
        exdate.add_parameter("TZID", &tzid);
        event.append_multi_property(exdate);
    }
    event.status(if e.cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    event.done()
}

/// A feed named `name` of these events; zones are described from `from` to `to` (the feed's
/// window, widened to the events it holds).
pub fn render(name: &str, events: &[Convening], from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(name);
    for event in events {
        calendar.push(vevent(event));
    }
    let text = calendar.done().to_string();
    let zones: BTreeSet<&str> = events
        .iter()
        .map(|e| e.schedule.time_zone.as_str())
        .collect();
    let start = events
        .iter()
        .map(|e| e.schedule.starts_at)
        .min()
        .map_or(from, |s| s.min(from));
    // Whole years, so a recurring series' later occurrences keep their observances.
    let start = Utc
        .with_ymd_and_hms(start.year(), 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(start);
    let end = Utc
        .with_ymd_and_hms(to.year() + 1, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(to);
    let zones: String = zones
        .into_iter()
        .map(|z| vtimezone(z, start, end))
        .collect();
    // The crate writes no VTIMEZONE: put them before the first component.
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{zones}{}", &text[..at], &text[at..]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_york_changes_offset_twice_a_year() {
        let from = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        let found = transitions(Tz::America__New_York, from, to);
        assert_eq!(
            found,
            vec![
                Utc.with_ymd_and_hms(2030, 3, 10, 7, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2030, 11, 3, 6, 0, 0).unwrap()
            ]
        );
        let text = vtimezone("America/New_York", from, to);
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20300310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"
        ));
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:20301103T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"
        ));
    }
}
