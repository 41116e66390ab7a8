//! When an event happens: a first occurrence, a duration, an IANA time zone and an optional
//! RFC 5545 recurrence rule, expanded by the `rrule` crate in the event's own time zone, so a
//! weekly 10:00 meeting stays at 10:00 local time across daylight-saving changes.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rrule::{Frequency, RRule, RRuleSet, Tz, Unvalidated};

use crate::error::{DomainError, DomainResult};

/// Longest event (a multi-day conference).
pub const MAX_DURATION_DAYS: i64 = 31;
/// Longest recurrence rule, in characters.
pub const MAX_RULE_LEN: usize = 500;
/// Most occurrences of one series listed in one window.
pub const MAX_OCCURRENCES: usize = 1000;
/// Most occurrences walked to reach or leave a window (guards rules that never match).
const MAX_STEPS: usize = 100_000;

/// A validated schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Start of the first occurrence.
    pub starts_at: DateTime<Utc>,
    /// End of the first occurrence; every occurrence lasts as long.
    pub ends_at: DateTime<Utc>,
    /// IANA time zone the rule is expanded in (`America/Mexico_City`).
    pub time_zone: String,
    /// RFC 5545 `RRULE` value (`FREQ=MONTHLY;BYDAY=2TU`), or `None` for a one-off event.
    pub recurrence: Option<String>,
}

/// One occurrence of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// Its start (identifies it within its event).
    pub starts_at: DateTime<Utc>,
    /// Its end.
    pub ends_at: DateTime<Utc>,
}

fn zone(field: &'static str, name: &str) -> DomainResult<chrono_tz::Tz> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        DomainError::invalid(
            field,
            format!("unknown time zone {name:?}; use an IANA name such as \"Europe/Berlin\""),
        )
    })
}

impl Schedule {
    /// Validates a schedule: a known time zone, an end after the start (at most
    /// [`MAX_DURATION_DAYS`] later), and a recurrence rule the `rrule` crate accepts (no
    /// `DTSTART`, which is `startsAt`; no sub-hourly frequencies).
    pub fn parse(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        time_zone: &str,
        recurrence: Option<&str>,
    ) -> DomainResult<Self> {
        zone("timeZone", time_zone)?;
        if ends_at <= starts_at {
            return Err(DomainError::invalid("endsAt", "must be after startsAt"));
        }
        if ends_at - starts_at > Duration::days(MAX_DURATION_DAYS) {
            return Err(DomainError::invalid(
                "endsAt",
                format!("an event lasts at most {MAX_DURATION_DAYS} days"),
            ));
        }
        let recurrence = recurrence.map(str::trim).filter(|r| !r.is_empty());
        let schedule = Self {
            starts_at,
            ends_at,
            time_zone: time_zone.to_owned(),
            recurrence: recurrence.map(|r| r.strip_prefix("RRULE:").unwrap_or(r).to_owned()),
        };
        if let Some(rule) = &schedule.recurrence {
            if rule.chars().count() > MAX_RULE_LEN {
                return Err(DomainError::invalid(
                    "recurrence",
                    format!("at most {MAX_RULE_LEN} characters"),
                ));
            }
            if rule.contains(['\n', '\r', ':']) {
                return Err(DomainError::invalid(
                    "recurrence",
                    "give the RRULE value only (FREQ=WEEKLY;BYDAY=TU); the start is startsAt",
                ));
            }
            schedule.set("recurrence")?;
            if schedule.starts().next() != Some(starts_at) {
                return Err(DomainError::invalid(
                    "startsAt",
                    "must be the first occurrence of the recurrence rule (for FREQ=MONTHLY;\
                     BYDAY=2TU, a second Tuesday)",
                ));
            }
        }
        Ok(schedule)
    }

    /// The duration of every occurrence.
    pub fn duration(&self) -> Duration {
        self.ends_at - self.starts_at
    }

    fn tz(&self) -> Tz {
        Tz::Tz(zone("timeZone", &self.time_zone).unwrap_or(chrono_tz::UTC))
    }

    /// The rule set, or `None` for a one-off event.
    fn set(&self, field: &'static str) -> DomainResult<Option<RRuleSet>> {
        let Some(rule) = &self.recurrence else {
            return Ok(None);
        };
        let bad = |e: rrule::RRuleError| DomainError::invalid(field, format!("invalid RRULE: {e}"));
        let parsed: RRule<Unvalidated> = rule.parse().map_err(bad)?;
        if matches!(
            parsed.get_freq(),
            Frequency::Secondly | Frequency::Minutely | Frequency::Hourly
        ) {
            return Err(DomainError::invalid(
                field,
                "events recur at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)",
            ));
        }
        let start = self.starts_at.with_timezone(&self.tz());
        let validated = parsed.validate(start).map_err(bad)?;
        Ok(Some(RRuleSet::new(start).rrule(validated)))
    }

    /// Occurrence starts in order, from the first.
    fn starts(&self) -> Box<dyn Iterator<Item = DateTime<Utc>>> {
        match self.set("recurrence") {
            Ok(Some(set)) => Box::new(
                set.into_iter()
                    .take(MAX_STEPS)
                    .map(|d| d.with_timezone(&Utc)),
            ),
            // A stored rule that no longer parses (it was validated on write) leaves the
            // first occurrence only.
            Ok(None) | Err(_) => Box::new(std::iter::once(self.starts_at)),
        }
    }

    /// The occurrences overlapping `[from, to)`, in order, at most [`MAX_OCCURRENCES`].
    pub fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Occurrence> {
        let duration = self.duration();
        self.starts()
            .take_while(|start| *start < to)
            .filter(|start| *start + duration > from)
            .take(MAX_OCCURRENCES)
            .map(|starts_at| Occurrence {
                starts_at,
                ends_at: starts_at + duration,
            })
            .collect()
    }

    /// Whether an occurrence starts at this instant.
    pub fn has_occurrence(&self, start: DateTime<Utc>) -> bool {
        self.starts()
            .take_while(|s| *s <= start)
            .any(|s| s == start)
    }

    /// The end of the last occurrence, or `None` when the series never ends.
    pub fn last_ends_at(&self) -> Option<DateTime<Utc>> {
        let Ok(Some(set)) = self.set("recurrence") else {
            return Some(self.ends_at);
        };
        let bounded = set
            .get_rrule()
            .iter()
            .all(|r| r.get_count().is_some() || r.get_until().is_some());
        if !bounded {
            return None;
        }
        let mut last = None;
        for (index, start) in self.starts().enumerate() {
            if index + 1 >= MAX_STEPS {
                return None;
            }
            last = Some(start);
        }
        last.map(|s| s + self.duration())
    }

    /// The first occurrence's start as local time in the event's zone, for calendars.
    pub fn local_start(&self) -> chrono::NaiveDateTime {
        let tz = zone("timeZone", &self.time_zone).unwrap_or(chrono_tz::UTC);
        tz.from_utc_datetime(&self.starts_at.naive_utc())
            .naive_local()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Timelike};

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_weekly_meeting_keeps_its_local_hour_across_daylight_saving() {
        // 10:00 in New York is 14:00 UTC in summer time and 15:00 UTC in winter time.
        let s = Schedule::parse(
            at(2026, 10, 20, 14),
            at(2026, 10, 20, 15),
            "America/New_York",
            Some("FREQ=WEEKLY;COUNT=4"),
        );
        let Ok(s) = s else {
            panic!("valid schedule refused: {s:?}");
        };
        let hours: Vec<u32> = s
            .occurrences(at(2026, 10, 1, 0), at(2026, 12, 1, 0))
            .iter()
            .map(|o| o.starts_at.hour())
            .collect();
        assert_eq!(hours, vec![14, 14, 15, 15]);
        assert_eq!(s.last_ends_at(), Some(at(2026, 11, 10, 16)));
    }

    #[test]
    fn bad_rules_zones_and_durations_are_refused() {
        let start = at(2026, 1, 1, 10);
        let end = at(2026, 1, 1, 11);
        assert!(Schedule::parse(start, end, "Mars/Olympus", None).is_err());
        assert!(Schedule::parse(end, start, "UTC", None).is_err());
        assert!(Schedule::parse(start, end, "UTC", Some("FREQ=SOMETIMES")).is_err());
        assert!(Schedule::parse(start, end, "UTC", Some("FREQ=MINUTELY")).is_err());
        assert!(Schedule::parse(start, end, "UTC", Some("FREQ=DAILY")).is_ok());
        // 2026-01-01 is a Thursday, not a Tuesday.
        assert!(Schedule::parse(start, end, "UTC", Some("FREQ=WEEKLY;BYDAY=TU")).is_err());
    }

    #[test]
    fn an_open_series_has_no_last_end_and_a_one_off_event_has_one_occurrence() {
        let start = at(2026, 1, 1, 10);
        let end = at(2026, 1, 1, 11);
        let open = Schedule::parse(start, end, "UTC", Some("FREQ=MONTHLY")).ok();
        assert_eq!(open.as_ref().and_then(Schedule::last_ends_at), None);
        assert!(open.is_some_and(|s| s.has_occurrence(at(2026, 3, 1, 10))));
        let once = Schedule::parse(start, end, "UTC", None).ok();
        assert_eq!(
            once.map(|s| s.occurrences(at(2025, 1, 1, 0), at(2027, 1, 1, 0)).len()),
            Some(1)
        );
    }
}
