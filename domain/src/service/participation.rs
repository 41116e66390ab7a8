//! Participation circles: their settings, and the next steps inward a member is offered.

use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, PersonId, TopicId},
    listing::ReadableSpaces,
    model::{
        Asset, CircleRules, Community, Convening, MAX_CIRCLE_DAYS, MAX_INNER_THRESHOLD,
        NextStepKind, Space, Thread,
    },
    policy::{
        chain,
        proof::{Readable, Visible},
        write,
    },
    service::FeedOf,
};

/// Most next steps offered at once.
pub const MAX_NEXT_STEPS: usize = 5;
/// How far ahead `RSVP_NEXT_EVENT` looks.
pub const NEXT_EVENT_DAYS: i64 = 60;

/// What a next step points at; always something the member may read.
#[derive(Debug, Clone)]
pub enum StepTarget {
    /// The community (onboarding).
    Community(Visible<Community>),
    /// A space to post in.
    Space(Readable<Space>),
    /// A thread to answer.
    Thread(Readable<Thread>),
    /// An event's occurrence to answer.
    Event(Readable<Convening>, DateTime<Utc>),
    /// An asset to review.
    Asset(Readable<Asset>),
}

/// One suggestion inward.
#[derive(Debug, Clone)]
pub struct NextStep {
    /// What it asks.
    pub kind: NextStepKind,
    /// What it points at.
    pub target: StepTarget,
    /// The topic that made a thread a suggestion.
    pub topic: Option<TopicId>,
    /// The onboarding step still open, by key and title.
    pub onboarding_step: Option<(String, String)>,
}

impl Services {
    /// A `MANAGER` sets the community's circle settings (window 1..=366 days, threshold
    /// 1..=1000 contributions, newcomer period 0..=366 days); every member's circle is
    /// decided again under them.
    #[instrument(skip_all)]
    pub async fn set_circle_rules(
        &self,
        access: &AccessSet,
        community: CommunityId,
        rules: CircleRules,
    ) -> DomainResult<Visible<Community>> {
        let community = self.community(access, community).await?;
        write::can_manage(access, &community, "change its circle settings")?;
        if !(1..=MAX_CIRCLE_DAYS).contains(&rules.window_days) {
            return Err(DomainError::invalid(
                "windowDays",
                format!("between 1 and {MAX_CIRCLE_DAYS} days"),
            ));
        }
        if !(1..=MAX_INNER_THRESHOLD).contains(&rules.inner_threshold) {
            return Err(DomainError::invalid(
                "innerThreshold",
                format!("between 1 and {MAX_INNER_THRESHOLD} contributions"),
            ));
        }
        if rules.new_days > MAX_CIRCLE_DAYS {
            return Err(DomainError::invalid(
                "newDays",
                format!("between 0 and {MAX_CIRCLE_DAYS} days"),
            ));
        }
        self.repos
            .participation
            .set_circle_rules(community.id, &rules, Utc::now())
            .await?;
        Ok(community)
    }

    /// A visible community's circle settings.
    pub async fn circle_rules(
        &self,
        access: &AccessSet,
        community: CommunityId,
    ) -> DomainResult<CircleRules> {
        let community = self.community(access, community).await?;
        Ok(self
            .repos
            .participation
            .circle_rules(&[community.id])
            .await?
            .remove(&community.id)
            .unwrap_or_default())
    }

    /// The next steps inward for the caller in a community they are a member of, at most
    /// [`MAX_NEXT_STEPS`], in this order: an open onboarding step, an introduction (never
    /// posted), assets waiting for their review, unanswered threads on topics they know or
    /// follow (two at most), the next occurrence they have not answered. Each target is
    /// admitted through the read chain, so none is hidden from them.
    #[instrument(skip_all)]
    pub async fn next_steps(
        &self,
        access: &AccessSet,
        community: &Visible<Community>,
    ) -> DomainResult<Vec<NextStep>> {
        let person = access.require_person()?;
        if !access.is_member(community.id) {
            return Ok(Vec::new());
        }
        let now = Utc::now();
        let mut steps: Vec<NextStep> = Vec::new();
        self.onboarding_steps(access, person, community, now, &mut steps)
            .await?;
        self.review_steps(access, person, community, &mut steps)
            .await?;
        self.thread_steps(access, person, community, &mut steps)
            .await?;
        self.event_steps(access, person, community, now, &mut steps)
            .await?;
        steps.truncate(MAX_NEXT_STEPS);
        Ok(steps)
    }

    async fn onboarding_steps(
        &self,
        access: &AccessSet,
        person: PersonId,
        community: &Visible<Community>,
        now: DateTime<Utc>,
        steps: &mut Vec<NextStep>,
    ) -> DomainResult<()> {
        let repos = &self.repos;
        let journey = repos
            .onboarding
            .steps_of(&[community.id])
            .await?
            .remove(&community.id)
            .unwrap_or_default();
        let activity = repos
            .onboarding
            .activity(&[(community.id, person)], now)
            .await?
            .remove(&(community.id, person))
            .unwrap_or_default();
        if let Some(open) = journey.iter().find(|s| activity.completed_at(s).is_none()) {
            steps.push(NextStep {
                kind: NextStepKind::CompleteOnboarding,
                target: StepTarget::Community(community.clone()),
                topic: None,
                onboarding_step: Some((open.key.clone(), open.title.clone())),
            });
        }
        if activity.first_post.is_none() {
            let readable = ReadableSpaces::for_access(access, community);
            let space = repos
                .participation
                .first_readable_space(community.id, &readable)
                .await?;
            if let Some(id) = space
                && let Some(space) = chain::readable_space(repos, access, id).await?
            {
                steps.push(NextStep {
                    kind: NextStepKind::IntroduceYourself,
                    target: StepTarget::Space(space),
                    topic: None,
                    onboarding_step: None,
                });
            }
        }
        Ok(())
    }

    async fn review_steps(
        &self,
        access: &AccessSet,
        person: PersonId,
        community: &Visible<Community>,
        steps: &mut Vec<NextStep>,
    ) -> DomainResult<()> {
        let ids = self
            .repos
            .participation
            .awaiting_review(community.id, person, MAX_NEXT_STEPS as u64)
            .await?;
        for id in ids {
            if let Some(asset) = chain::asset(&self.repos, access, id).await? {
                steps.push(NextStep {
                    kind: NextStepKind::ReviewAsset,
                    target: StepTarget::Asset(asset),
                    topic: None,
                    onboarding_step: None,
                });
            }
        }
        Ok(())
    }

    async fn thread_steps(
        &self,
        access: &AccessSet,
        person: PersonId,
        community: &Visible<Community>,
        steps: &mut Vec<NextStep>,
    ) -> DomainResult<()> {
        let repos = &self.repos;
        let mut topics: Vec<TopicId> = repos
            .knowledge
            .expertise_of(&[person])
            .await?
            .remove(&person)
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.topic_id)
            .collect();
        topics.extend(
            repos
                .knowledge
                .interests_of(&[person])
                .await?
                .remove(&person)
                .unwrap_or_default(),
        );
        topics.sort();
        topics.dedup();
        let readable = ReadableSpaces::for_access(access, community);
        let found = repos
            .participation
            .unanswered_threads(community.id, &readable, &topics, person, 2)
            .await?;
        for (id, topic) in found {
            if let Some(thread) = chain::thread(repos, access, id).await? {
                steps.push(NextStep {
                    kind: NextStepKind::ReplyToUnansweredThread,
                    target: StepTarget::Thread(thread),
                    topic: Some(topic),
                    onboarding_step: None,
                });
            }
        }
        Ok(())
    }

    async fn event_steps(
        &self,
        access: &AccessSet,
        person: PersonId,
        community: &Visible<Community>,
        now: DateTime<Utc>,
        steps: &mut Vec<NextStep>,
    ) -> DomainResult<()> {
        let until = now + Duration::days(NEXT_EVENT_DAYS);
        let events = self
            .feed(access, FeedOf::Community(community.id), now, until)
            .await?;
        let mut upcoming: Vec<(DateTime<Utc>, Readable<Convening>)> = events
            .into_iter()
            .flat_map(|event| {
                let starts: Vec<DateTime<Utc>> = event
                    .schedule
                    .occurrences(now, until)
                    .into_iter()
                    .map(|o| o.starts_at)
                    .filter(|start| *start >= now && !event.is_cancelled(*start))
                    .collect();
                starts.into_iter().map(move |s| (s, event.clone()))
            })
            .collect();
        upcoming.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        let keys: Vec<_> = upcoming.iter().map(|(s, e)| (e.id, *s)).collect();
        let answered = self.repos.events.rsvps(&keys, Some(person)).await?;
        let next = upcoming.into_iter().find(|(start, event)| {
            !answered.iter().any(|r| {
                r.event_id == event.id && r.occurrence_start == *start && r.person_id == person
            })
        });
        if let Some((start, event)) = next {
            steps.push(NextStep {
                kind: NextStepKind::RsvpNextEvent,
                target: StepTarget::Event(event, start),
                topic: None,
                onboarding_step: None,
            });
        }
        Ok(())
    }
}
