//! Success indicators (seed 003 step 5, the WBG toolkit): a target per period, and the
//! measured (or recorded) value of each period.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Utc};

use super::code_enum;
use crate::ids::{ClusterId, CommunityId, IndicatorId, NetworkId, PersonId};

code_enum!(
    /// What an indicator measures, per period.
    IndicatorKind {
        /// Members at the period's end.
        Members = "MEMBERS",
        /// Members with activity in the period, over members at its end.
        ActiveRatio = "ACTIVE_RATIO",
        /// Threads started and replies written.
        Posts = "POSTS",
        /// Threads started.
        Threads = "THREADS",
        /// Event occurrences held (not cancelled).
        EventsHeld = "EVENTS_HELD",
        /// `GOING` answers for occurrences in the period.
        EventAttendance = "EVENT_ATTENDANCE",
        /// Assets published.
        AssetsPublished = "ASSETS_PUBLISHED",
        /// Moves into `INNER` or `CORE` from further out.
        CircleInwardMoves = "CIRCLE_INWARD_MOVES",
        /// The mean feedback rating given in the period.
        FeedbackAverage = "FEEDBACK_AVERAGE",
        /// Anything else: values are recorded by hand.
        Custom = "CUSTOM",
    }
);

code_enum!(
    /// The length of an indicator's periods (UTC; weeks start on Monday).
    Period {
        /// Monday to Sunday.
        Week = "WEEK",
        /// A calendar month.
        Month = "MONTH",
        /// January–March, April–June, July–September, October–December.
        Quarter = "QUARTER",
        /// A calendar year.
        Year = "YEAR",
    }
);

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_time(chrono::NaiveTime::MIN))
}

impl Period {
    /// The start of the period holding `at`.
    pub fn start_of(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let d = at.date_naive();
        let first = |month: u32| NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d);
        midnight(match self {
            Period::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Period::Month => first(d.month()),
            Period::Quarter => first((d.month() - 1) / 3 * 3 + 1),
            Period::Year => first(1),
        })
    }

    /// The start of the next period.
    pub fn next(self, start: DateTime<Utc>) -> DateTime<Utc> {
        let months = |n: u32| start.checked_add_months(Months::new(n)).unwrap_or(start);
        match self {
            Period::Week => start + Duration::days(7),
            Period::Month => months(1),
            Period::Quarter => months(3),
            Period::Year => months(12),
        }
    }

    /// Whether `at` is the start of a period.
    pub fn is_start(self, at: DateTime<Utc>) -> bool {
        self.start_of(at) == at
    }

    /// The periods `[start, end)` overlapping `[from, to)`, at most `max`.
    pub fn between(
        self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        max: usize,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out = Vec::new();
        let mut start = self.start_of(from);
        while start < to && out.len() < max {
            let end = self.next(start);
            out.push((start, end));
            start = end;
        }
        out
    }
}

/// Where an indicator belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndicatorScope {
    /// One community.
    Community(CommunityId),
    /// A regional cluster's communities.
    Cluster(ClusterId),
    /// A network's communities.
    Network(NetworkId),
}

/// A success indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Key.
    pub id: IndicatorId,
    /// The network it is in (of its community or cluster).
    pub network_id: NetworkId,
    /// Where it belongs.
    pub scope: IndicatorScope,
    /// What it measures.
    pub kind: IndicatorKind,
    /// Its name.
    pub name: String,
    /// The value aimed at, per period.
    pub target: f64,
    /// Its periods.
    pub period: Period,
    /// Values are recorded by hand (always for `CUSTOM`) rather than measured.
    pub manual: bool,
    /// Who defined it.
    pub created_by: PersonId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A value recorded by hand for one period of a manual indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    /// Which indicator.
    pub indicator_id: IndicatorId,
    /// The start of the period.
    pub period_start: DateTime<Utc>,
    /// The value.
    pub value: f64,
    /// A note on it.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: PersonId,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// The start of the period.
    pub period_start: DateTime<Utc>,
    /// The measured or recorded value; `None` when there is none (nothing recorded, or an
    /// average over nothing).
    pub value: Option<f64>,
    /// The target.
    pub target: f64,
    /// The note recorded with a manual value.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        midnight(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
    }

    #[test]
    fn periods_start_on_monday_the_first_of_the_month_quarter_and_year() {
        let t = at(2026, 8, 13) + Duration::hours(15); // a Thursday
        assert_eq!(Period::Week.start_of(t), at(2026, 8, 10));
        assert_eq!(Period::Month.start_of(t), at(2026, 8, 1));
        assert_eq!(Period::Quarter.start_of(t), at(2026, 7, 1));
        assert_eq!(Period::Year.start_of(t), at(2026, 1, 1));
        assert_eq!(Period::Quarter.next(at(2026, 10, 1)), at(2027, 1, 1));
        assert!(!Period::Month.is_start(t));
    }

    #[test]
    fn between_lists_every_overlapping_period_up_to_the_cap() {
        let months = Period::Month.between(at(2026, 1, 15), at(2026, 4, 1), 10);
        let starts: Vec<_> = months.iter().map(|p| p.0).collect();
        assert_eq!(starts, [at(2026, 1, 1), at(2026, 2, 1), at(2026, 3, 1)]);
        assert_eq!(
            Period::Week
                .between(at(2020, 1, 1), at(2030, 1, 1), 5)
                .len(),
            5
        );
    }
}
