use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CharterId, CommunityId, StageChangeId},
    model::{Cadence, Charter, Community, Stage, StageChange},
    policy::write,
    values::{Description, TextList},
};

/// Input of `update_charter`: `None` keeps the latest revision's value (empty or `NONE` for
/// a first revision).
#[derive(Debug, Clone, Default)]
pub struct CharterDraft {
    /// Purpose: the subject matter.
    pub domain: Option<Description>,
    /// Purpose: what success looks like.
    pub goals: Option<TextList>,
    /// People: who is in.
    pub audience: Option<Description>,
    /// Who and what is not.
    pub out_of_scope: Option<Description>,
    /// Practice: what it produces.
    pub outputs: Option<TextList>,
    /// Practice: how it is run.
    pub governance: Option<Description>,
    /// How often it convenes.
    pub meeting_rhythm: Option<Cadence>,
    /// How often the newsletter goes out.
    pub newsletter_cadence: Option<Cadence>,
    /// How often stakeholders hear from it.
    pub reporting_cadence: Option<Cadence>,
}

/// What `ACTIVE` asks for, as `extensions.missing` codes.
pub const MISSING_CHARTER: &str = "CHARTER";
/// A `LAUNCH` event whose start has passed.
pub const MISSING_LAUNCH_EVENT: &str = "LAUNCH_EVENT";

impl Services {
    /// A `MANAGER` appends a charter revision (revisions are never edited or deleted).
    #[instrument(skip_all)]
    pub async fn update_charter(
        &self,
        access: &AccessSet,
        community: CommunityId,
        draft: CharterDraft,
    ) -> DomainResult<Charter> {
        let author = access.require_person()?;
        let community = self.community(access, community).await?;
        write::can_manage(access, &community, "change its charter")?;
        let latest = self.repos.charters.latest(&[community.id]).await?.pop();
        let keep = |f: fn(&Charter) -> String| latest.as_ref().map(f).unwrap_or_default();
        let keep_list = |f: fn(&Charter) -> Vec<String>| latest.as_ref().map(f).unwrap_or_default();
        let keep_cadence = |f: fn(&Charter) -> Cadence| latest.as_ref().map_or(Cadence::None, f);
        let charter = Charter {
            id: CharterId::generate(),
            community_id: community.id,
            revision: 0,
            domain: draft
                .domain
                .map_or_else(|| keep(|c| c.domain.clone()), Description::into_inner),
            goals: draft
                .goals
                .map_or_else(|| keep_list(|c| c.goals.clone()), TextList::into_inner),
            audience: draft
                .audience
                .map_or_else(|| keep(|c| c.audience.clone()), Description::into_inner),
            out_of_scope: draft
                .out_of_scope
                .map_or_else(|| keep(|c| c.out_of_scope.clone()), Description::into_inner),
            outputs: draft
                .outputs
                .map_or_else(|| keep_list(|c| c.outputs.clone()), TextList::into_inner),
            governance: draft
                .governance
                .map_or_else(|| keep(|c| c.governance.clone()), Description::into_inner),
            meeting_rhythm: draft
                .meeting_rhythm
                .unwrap_or_else(|| keep_cadence(|c| c.meeting_rhythm)),
            newsletter_cadence: draft
                .newsletter_cadence
                .unwrap_or_else(|| keep_cadence(|c| c.newsletter_cadence)),
            reporting_cadence: draft
                .reporting_cadence
                .unwrap_or_else(|| keep_cadence(|c| c.reporting_cadence)),
            author_id: Some(author),
            created_at: Utc::now(),
        };
        let stored = self.repos.charters.append(&charter).await?;
        self.container_changed(community.id).await;
        Ok(stored)
    }

    /// A `MANAGER` or a `STEWARD` moves the community through its lifecycle: `PROPOSED ->
    /// LAUNCHING -> ACTIVE <-> DORMANT`, any stage to `ARCHIVED`, a steward restores an
    /// archived one to `DORMANT`. `ACTIVE` needs a complete charter and a held `LAUNCH`
    /// event. Every change is recorded.
    #[instrument(skip_all)]
    pub async fn set_community_stage(
        &self,
        access: &AccessSet,
        id: CommunityId,
        stage: Stage,
    ) -> DomainResult<Community> {
        let actor = access.require_person()?;
        let visible = self.community(access, id).await?;
        write::can_change_stage(access, &visible, stage)?;
        if stage == Stage::Active {
            self.check_ready(visible.id).await?;
        }
        let now = Utc::now();
        let change = StageChange {
            id: StageChangeId::generate(),
            community_id: visible.id,
            from: visible.stage,
            to: stage,
            actor_id: Some(actor),
            created_at: now,
        };
        let mut community = visible.item().clone();
        community.stage = stage;
        community.updated_at = now;
        self.repos
            .charters
            .change_stage(&community, &change)
            .await?;
        self.container_changed(community.id).await;
        Ok(community)
    }

    /// `ACTIVE` needs a charter with a domain and a goal, and a `LAUNCH` event (not
    /// cancelled) whose first occurrence has started.
    async fn check_ready(&self, community: CommunityId) -> DomainResult<()> {
        let mut missing = Vec::new();
        let charter = self.repos.charters.latest(&[community]).await?.pop();
        if !charter.is_some_and(|c| c.is_complete()) {
            missing.push(MISSING_CHARTER);
        }
        let now = Utc::now();
        let launched = self
            .repos
            .events
            .launch_events(community)
            .await?
            .iter()
            .any(|e| e.schedule.starts_at <= now && !e.is_cancelled(e.schedule.starts_at));
        if !launched {
            missing.push(MISSING_LAUNCH_EVENT);
        }
        if missing.is_empty() {
            return Ok(());
        }
        let mut needs = Vec::new();
        if missing.contains(&MISSING_CHARTER) {
            needs.push("a charter with a domain and at least one goal");
        }
        if missing.contains(&MISSING_LAUNCH_EVENT) {
            needs.push("a LAUNCH event that has taken place");
        }
        Err(DomainError::Missing {
            message: format!("an ACTIVE community needs {}", needs.join(" and ")),
            missing,
        })
    }
}
