use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, FeedbackId, OrganizationId, StakeholderId},
    model::{Cadence, Feedback, FeedbackTarget, Stakeholder, StakeholderRole},
    policy::write,
    values::{Description, Name},
};

/// The fields of a stakeholder.
#[derive(Debug, Clone)]
pub struct StakeholderDetails {
    /// Who.
    pub name: Name,
    /// Their organization in copnet, if any.
    pub organization_id: Option<OrganizationId>,
    /// How they relate to the community.
    pub role: StakeholderRole,
    /// What they care about.
    pub interest: Description,
    /// How often they receive a report.
    pub reporting_cadence: Cadence,
}

/// A rating of 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating(u8);

impl Rating {
    /// Validates the input field `field`.
    pub fn parse(field: &'static str, raw: i64) -> DomainResult<Self> {
        u8::try_from(raw)
            .ok()
            .filter(|r| (1..=5).contains(r))
            .map(Self)
            .ok_or_else(|| DomainError::invalid(field, "must be 1 to 5"))
    }
}

impl Services {
    /// A `MANAGER` records a stakeholder.
    #[instrument(skip_all)]
    pub async fn add_stakeholder(
        &self,
        access: &AccessSet,
        community: CommunityId,
        details: StakeholderDetails,
    ) -> DomainResult<Stakeholder> {
        access.require_person()?;
        let community = self.community(access, community).await?;
        write::can_manage(access, &community, "record its stakeholders")?;
        if let Some(org) = details.organization_id {
            self.organization(org).await?;
        }
        let stakeholder = Stakeholder {
            id: StakeholderId::generate(),
            community_id: community.id,
            name: details.name.into_inner(),
            organization_id: details.organization_id,
            role: details.role,
            interest: details.interest.into_inner(),
            reporting_cadence: details.reporting_cadence,
            created_at: Utc::now(),
        };
        self.repos.stakeholders.put(&stakeholder).await?;
        Ok(stakeholder)
    }

    /// A `MANAGER` changes a stakeholder (every field).
    #[instrument(skip_all)]
    pub async fn update_stakeholder(
        &self,
        access: &AccessSet,
        id: StakeholderId,
        details: StakeholderDetails,
    ) -> DomainResult<Stakeholder> {
        let mut stakeholder = self.stakeholder(access, id).await?;
        if let Some(org) = details.organization_id {
            self.organization(org).await?;
        }
        stakeholder.name = details.name.into_inner();
        stakeholder.organization_id = details.organization_id;
        stakeholder.role = details.role;
        stakeholder.interest = details.interest.into_inner();
        stakeholder.reporting_cadence = details.reporting_cadence;
        self.repos.stakeholders.put(&stakeholder).await?;
        Ok(stakeholder)
    }

    /// A `MANAGER` removes a stakeholder.
    #[instrument(skip_all)]
    pub async fn remove_stakeholder(
        &self,
        access: &AccessSet,
        id: StakeholderId,
    ) -> DomainResult<Stakeholder> {
        let stakeholder = self.stakeholder(access, id).await?;
        self.repos.stakeholders.remove(id).await?;
        Ok(stakeholder)
    }

    /// A stakeholder of a community the caller manages (hidden ones are `NOT_FOUND`).
    async fn stakeholder(
        &self,
        access: &AccessSet,
        id: StakeholderId,
    ) -> DomainResult<Stakeholder> {
        access.require_person()?;
        let found = self
            .repos
            .stakeholders
            .by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound("stakeholder"))?;
        let community = self
            .community(access, found.community_id)
            .await
            .map_err(|e| e.not_found_as("stakeholder"))?;
        if !access.reads_community(community.id) {
            return Err(DomainError::NotFound("stakeholder"));
        }
        write::can_manage(access, &community, "change its stakeholders")?;
        Ok(found)
    }

    /// A member rates a community or an event they may answer for; a second rating of the
    /// same target replaces the first.
    #[instrument(skip_all)]
    pub async fn give_feedback(
        &self,
        access: &AccessSet,
        target: FeedbackTarget,
        rating: Rating,
        comment: Description,
    ) -> DomainResult<Feedback> {
        let person = access.require_person()?;
        let community_id = match target {
            FeedbackTarget::Community(id) => {
                let community = self.community(access, id).await?;
                write::can_write(access, &community)?;
                Some(id)
            }
            FeedbackTarget::Event(id) => {
                let event = self.event(access, id).await?;
                write::can_rsvp(access, &event)?;
                event.community().map(|c| c.id)
            }
        };
        let feedback = Feedback {
            id: FeedbackId::generate(),
            target,
            community_id,
            person_id: person,
            rating: rating.0,
            comment: comment.into_inner(),
            updated_at: Utc::now(),
        };
        let given = self.repos.stakeholders.give_feedback(&feedback).await?;
        if let Some(community) = community_id {
            self.figures_changed(community).await;
        }
        Ok(given)
    }
}
