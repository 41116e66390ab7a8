//! Participation circles (seed 002's core group, seed 004's "pathways to become more active"):
//! where a member stands in a community, decided from their roles and from daily activity
//! counters that every contributing write keeps up to date.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

use super::{Role, code_enum};

code_enum!(
    /// A member's participation circle, from the centre outwards.
    Circle {
        /// Organisers and moderators: holds `CORE`, `MANAGER` or `MODERATOR`.
        Core = "CORE",
        /// Contributes regularly: at least the threshold of contributions in the window.
        Inner = "INNER",
        /// Joined recently and not (yet) inner.
        New = "NEW",
        /// Everyone else: reads, contributes now and then.
        Outer = "OUTER",
    }
);

impl Circle {
    /// How far in: `OUTER` and `NEW` 0, `INNER` 1, `CORE` 2. A move that raises it is a move
    /// inward (`CIRCLE_INWARD_MOVES`).
    pub fn depth(self) -> u8 {
        match self {
            Circle::Core => 2,
            Circle::Inner => 1,
            Circle::New | Circle::Outer => 0,
        }
    }
}

code_enum!(
    /// What a next step asks of a member.
    NextStepKind {
        /// Finish the community's onboarding journey.
        CompleteOnboarding = "COMPLETE_ONBOARDING",
        /// Say hello: the member has never posted in the community.
        IntroduceYourself = "INTRODUCE_YOURSELF",
        /// Review an asset whose review waits for them.
        ReviewAsset = "REVIEW_ASSET",
        /// Answer a thread nobody answered yet, on a topic they know or follow.
        ReplyToUnansweredThread = "REPLY_TO_UNANSWERED_THREAD",
        /// Answer the next event they have not answered.
        RsvpNextEvent = "RSVP_NEXT_EVENT",
    }
);

/// What a member did that the circles count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contribution {
    /// Started a thread.
    Post,
    /// Replied in a thread.
    Reply,
    /// Reacted to a post (shown in the activity, not a contribution for the circles).
    Reaction,
    /// Answered `GOING` to an event (counted while the answer stays `GOING`).
    Rsvp,
    /// Had an asset published.
    Asset,
}

impl Contribution {
    /// Whether it counts towards `INNER`.
    pub fn counts(self) -> bool {
        !matches!(self, Contribution::Reaction)
    }
}

/// A community's circle settings (defaults: 90 days, 3 contributions, 30 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircleRules {
    /// How many days of activity count.
    pub window_days: u32,
    /// Contributions in the window that make a member `INNER`.
    pub inner_threshold: u32,
    /// How long after joining a member is `NEW`.
    pub new_days: u32,
}

impl Default for CircleRules {
    fn default() -> Self {
        CircleRules {
            window_days: 90,
            inner_threshold: 3,
            new_days: 30,
        }
    }
}

/// The largest window or newcomer period a community may set, in days.
pub const MAX_CIRCLE_DAYS: u32 = 366;
/// The largest threshold a community may set.
pub const MAX_INNER_THRESHOLD: u32 = 1_000;

/// A member's activity counts over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// Threads started.
    pub posts: u32,
    /// Replies.
    pub replies: u32,
    /// Reactions given.
    pub reactions: u32,
    /// `GOING` answers given (and not withdrawn).
    pub rsvps: u32,
    /// Assets published.
    pub assets: u32,
}

impl Activity {
    /// What counts towards `INNER`.
    pub fn contributions(&self) -> u32 {
        self.posts + self.replies + self.rsvps + self.assets
    }

    /// Adds another day's counts.
    pub fn add(&mut self, other: &Activity) {
        self.posts += other.posts;
        self.replies += other.replies;
        self.reactions += other.reactions;
        self.rsvps += other.rsvps;
        self.assets += other.assets;
    }
}

/// A UTC day as a number of days since 1970-01-01: how the activity counters are keyed.
pub fn day_of(at: DateTime<Utc>) -> i32 {
    i32::try_from(at.timestamp().div_euclid(86_400)).unwrap_or(i32::MAX)
}

/// The start (00:00 UTC) of a day number.
pub fn start_of(day: i32) -> DateTime<Utc> {
    Utc.from_utc_datetime(
        &(DateTime::UNIX_EPOCH.date_naive() + Duration::days(i64::from(day)))
            .and_time(NaiveTime::MIN),
    )
}

/// The first day inside a window that ends today: a contribution counts while
/// `day > today - window_days`.
pub fn first_day_in_window(now: DateTime<Utc>, rules: &CircleRules) -> i32 {
    day_of(now) - i32::try_from(rules.window_days).unwrap_or(i32::MAX) + 1
}

/// Until when the member stays `INNER` without contributing again: the day on which the
/// newest `inner_threshold` contributions were reached, plus the window. `None` when the
/// contributions in the window fall short. `days` holds (day, contributions) in any order.
pub fn inner_until(
    days: &[(i32, u32)],
    now: DateTime<Utc>,
    rules: &CircleRules,
) -> Option<DateTime<Utc>> {
    if rules.inner_threshold == 0 {
        return Some(DateTime::<Utc>::MAX_UTC);
    }
    let first = first_day_in_window(now, rules);
    let mut recent: Vec<(i32, u32)> = days.iter().copied().filter(|(d, _)| *d >= first).collect();
    recent.sort_unstable_by_key(|d| std::cmp::Reverse(d.0));
    let mut sum = 0u32;
    for (day, n) in recent {
        sum = sum.saturating_add(n);
        if sum >= rules.inner_threshold {
            let window = i32::try_from(rules.window_days).unwrap_or(i32::MAX);
            return Some(start_of(day.saturating_add(window)));
        }
    }
    None
}

/// The roles that make a member `CORE`.
pub const CORE_ROLES: [Role; 3] = [Role::Core, Role::Manager, Role::Moderator];

/// Whether these roles make a member `CORE`.
pub fn is_core(roles: &BTreeSet<Role>) -> bool {
    CORE_ROLES.iter().any(|r| roles.contains(r))
}

/// What decides a member's circle at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircleInputs {
    /// Holds a core role.
    pub core: bool,
    /// Until when their recent contributions keep them `INNER`.
    pub inner_until: Option<DateTime<Utc>>,
    /// When they (last) joined.
    pub joined_at: DateTime<Utc>,
}

/// The circle at `now`, decided in the contract's order: `CORE`, `INNER`, `NEW`, `OUTER`.
pub fn decide(inputs: &CircleInputs, rules: &CircleRules, now: DateTime<Utc>) -> Circle {
    if inputs.core {
        Circle::Core
    } else if inputs.inner_until.is_some_and(|until| until > now) {
        Circle::Inner
    } else if now < new_until(inputs.joined_at, rules) {
        Circle::New
    } else {
        Circle::Outer
    }
}

/// When a member stops being `NEW`.
pub fn new_until(joined_at: DateTime<Utc>, rules: &CircleRules) -> DateTime<Utc> {
    joined_at + Duration::days(i64::from(rules.new_days))
}

/// A member's circle as last written: the circle a write decided, since when, and the
/// inputs it was decided from. Time alone only moves members outwards (`INNER` expires,
/// `NEW` ends), so [`CircleState::at`] works out the circle of any later moment exactly,
/// without a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircleState {
    /// The circle decided at the last write.
    pub circle: Circle,
    /// Since when the member has been in it.
    pub since: DateTime<Utc>,
    /// The inputs of that decision.
    pub inputs: CircleInputs,
}

impl CircleState {
    /// The state of a member no write has decided yet: from their roles and join time.
    pub fn initial(inputs: CircleInputs, rules: &CircleRules, now: DateTime<Utc>) -> Self {
        let at_join = decide(&inputs, rules, inputs.joined_at.min(now));
        CircleState {
            circle: at_join,
            since: inputs.joined_at,
            inputs,
        }
        .at(rules, now)
    }

    /// The circle and since when, at `now` (not before the last write).
    pub fn at(&self, rules: &CircleRules, now: DateTime<Utc>) -> CircleState {
        let circle = decide(&self.inputs, rules, now);
        if circle == self.circle {
            return *self;
        }
        // A move by time alone: out of INNER when it expired, out of NEW when it ended.
        let inner_end = self.inputs.inner_until.filter(|t| *t <= now);
        let new_end = Some(new_until(self.inputs.joined_at, rules)).filter(|t| *t <= now);
        let since = match circle {
            Circle::New => inner_end,
            Circle::Outer => inner_end.max(new_end),
            Circle::Core | Circle::Inner => None,
        }
        .unwrap_or(now)
        .max(self.since);
        CircleState {
            circle,
            since,
            inputs: self.inputs,
        }
    }

    /// The state after a write changed the inputs at `now`: the same `since` when the circle
    /// stays, else `now`. Returns the previous circle too, for the record of moves.
    pub fn after(
        &self,
        inputs: CircleInputs,
        rules: &CircleRules,
        now: DateTime<Utc>,
    ) -> (Circle, CircleState) {
        let before = self.at(rules, now);
        let circle = decide(&inputs, rules, now);
        let since = if circle == before.circle {
            before.since
        } else {
            now
        };
        (
            before.circle,
            CircleState {
                circle,
                since,
                inputs,
            },
        )
    }
}

/// How many members of a community are in each circle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CircleCounts {
    /// `CORE` members.
    pub core: u32,
    /// `INNER` members.
    pub inner: u32,
    /// `OUTER` members.
    pub outer: u32,
    /// `NEW` members.
    pub new: u32,
}

impl CircleCounts {
    /// Counts one member.
    pub fn add(&mut self, circle: Circle) {
        match circle {
            Circle::Core => self.core += 1,
            Circle::Inner => self.inner += 1,
            Circle::Outer => self.outer += 1,
            Circle::New => self.new += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i32, hour: i64) -> DateTime<Utc> {
        start_of(day) + Duration::hours(hour)
    }

    #[test]
    fn three_contributions_in_the_window_make_a_member_inner_until_the_third_newest_ages_out() {
        let rules = CircleRules::default();
        let now = at(20_000, 12);
        // Two today and one 10 days ago: the third newest is 10 days old.
        let until = inner_until(&[(20_000, 2), (19_990, 1), (19_000, 9)], now, &rules);
        assert_eq!(until, Some(start_of(19_990 + 90)));
        // The 9 contributions of day 19,000 are outside the window.
        assert_eq!(inner_until(&[(20_000, 2), (19_000, 9)], now, &rules), None);
    }

    #[test]
    fn a_lapsed_inner_member_who_joined_long_ago_is_outer_since_the_expiry() {
        let rules = CircleRules::default();
        let joined = at(19_000, 0);
        let expiry = at(20_010, 0);
        let state = CircleState {
            circle: Circle::Inner,
            since: at(19_950, 0),
            inputs: CircleInputs {
                core: false,
                inner_until: Some(expiry),
                joined_at: joined,
            },
        };
        let later = state.at(&rules, at(20_050, 3));
        assert_eq!((later.circle, later.since), (Circle::Outer, expiry));
    }

    #[test]
    fn a_newcomer_becomes_outer_when_the_newcomer_period_ends() {
        let rules = CircleRules::default();
        let joined = at(20_000, 6);
        let inputs = CircleInputs {
            core: false,
            inner_until: None,
            joined_at: joined,
        };
        let state = CircleState::initial(inputs, &rules, joined);
        assert_eq!(state.circle, Circle::New);
        let later = state.at(&rules, at(20_040, 0));
        assert_eq!((later.circle, later.since), (Circle::Outer, at(20_030, 6)));
    }

    #[test]
    fn a_role_change_moves_the_member_now_and_keeps_since_when_the_circle_stays() {
        let rules = CircleRules::default();
        let joined = at(19_000, 0);
        let inputs = CircleInputs {
            core: false,
            inner_until: None,
            joined_at: joined,
        };
        let state = CircleState::initial(inputs, &rules, at(19_500, 0));
        let now = at(19_600, 0);
        let (before, core) = state.after(
            CircleInputs {
                core: true,
                ..inputs
            },
            &rules,
            now,
        );
        assert_eq!(
            (before, core.circle, core.since),
            (Circle::Outer, Circle::Core, now)
        );
        let (_, again) = core.after(core.inputs, &rules, at(19_700, 0));
        assert_eq!(again.since, now);
    }
}
