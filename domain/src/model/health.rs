//! A community's health figures (seed 003 step 5), and their sums over clusters and networks.

/// How a community is doing now: every figure covers all its spaces and is kept by the
/// writes (daily counters, circle states), not recounted from posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Health {
    /// Communities summed (1 for a community's own figures).
    pub communities: u32,
    /// Current members.
    pub members: u32,
    /// Current members with a contribution or reaction in the last 30 days.
    pub active_members: u32,
    /// Threads started and replies written in the last 30 days.
    pub posts_last_30_days: u32,
    /// Event occurrences (not cancelled) that started in the last 90 days.
    pub events_last_90_days: u32,
    /// Assets published in the last 90 days.
    pub assets_published_last_90_days: u32,
    /// Ratings of the community and its events.
    pub feedback_count: u64,
    /// Their sum.
    pub feedback_sum: u64,
}

impl Health {
    /// Active members over members (0 without members).
    pub fn active_ratio(&self) -> f64 {
        if self.members == 0 {
            0.0
        } else {
            f64::from(self.active_members) / f64::from(self.members)
        }
    }

    /// The mean rating, 1 to 5; `None` without ratings.
    pub fn average_feedback(&self) -> Option<f64> {
        (self.feedback_count > 0).then(|| self.feedback_sum as f64 / self.feedback_count as f64)
    }

    /// Adds another community's figures.
    pub fn add(&mut self, other: &Health) {
        self.communities += other.communities;
        self.members += other.members;
        self.active_members += other.active_members;
        self.posts_last_30_days += other.posts_last_30_days;
        self.events_last_90_days += other.events_last_90_days;
        self.assets_published_last_90_days += other.assets_published_last_90_days;
        self.feedback_count += other.feedback_count;
        self.feedback_sum += other.feedback_sum;
    }
}
