use std::collections::BTreeSet;

use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    event::Event,
    ids::{CommunityId, InvitationId, JoinRequestId, NotificationId, PersonId},
    model::{
        Invitation, InvitationStatus, JoinRequest, JoinRequestStatus, Membership, MembershipStatus,
        Notification, NotificationKind, Role,
    },
    policy::write,
    values::Message,
};

impl Services {
    /// Joins an `OPEN` community at once.
    #[instrument(skip_all)]
    pub async fn join_community(
        &self,
        access: &AccessSet,
        id: CommunityId,
    ) -> DomainResult<Membership> {
        let person = access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_join(access, &community)?;
        let membership = self
            .repos
            .memberships
            .activate(community.id, person, &BTreeSet::from([Role::Member]))
            .await?;
        self.membership_changed(person, community.id).await;
        Ok(membership)
    }

    /// Asks to join an `APPROVAL` community.
    #[instrument(skip_all)]
    pub async fn request_to_join(
        &self,
        access: &AccessSet,
        id: CommunityId,
        message: Message,
    ) -> DomainResult<JoinRequest> {
        let person = access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_request_to_join(access, &community)?;
        let request = JoinRequest {
            id: JoinRequestId::generate(),
            community_id: community.id,
            person_id: person,
            message: message.into_inner(),
            status: JoinRequestStatus::Pending,
            created_at: Utc::now(),
            decided_at: None,
            decided_by: None,
        };
        self.repos.memberships.create_join_request(&request).await?;
        Ok(request)
    }

    /// A `MANAGER` approves or rejects a pending join request. The requester and managers can
    /// see a request; for everyone else it does not exist.
    #[instrument(skip_all)]
    pub async fn decide_join_request(
        &self,
        access: &AccessSet,
        id: JoinRequestId,
        approve: bool,
    ) -> DomainResult<JoinRequest> {
        let me = access.require_person()?;
        let request = self
            .repos
            .memberships
            .join_requests_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("join request"))?;
        let community = self
            .community(access, request.community_id)
            .await
            .map_err(|e| e.not_found_as("join request"))?;
        let manager = access.has_role(community.id, Role::Manager);
        if !manager && request.person_id != me {
            return Err(DomainError::NotFound("join request"));
        }
        write::can_manage(access, &community, "decide join requests")?;
        if request.status != JoinRequestStatus::Pending {
            return Err(DomainError::conflict(
                "this join request was already decided",
            ));
        }
        let decided = JoinRequest {
            status: if approve {
                JoinRequestStatus::Approved
            } else {
                JoinRequestStatus::Rejected
            },
            decided_at: Some(Utc::now()),
            decided_by: Some(me),
            ..request
        };
        self.repos.memberships.decide_join_request(&decided).await?;
        let note = Notification {
            join_request_id: Some(decided.id),
            ..self.notice(
                decided.person_id,
                NotificationKind::JoinDecision,
                me,
                community.id,
            )
        };
        self.notify(note).await;
        if approve {
            self.membership_changed(decided.person_id, community.id)
                .await;
        }
        Ok(decided)
    }

    /// A `MANAGER` invites a person (known by id) into the community.
    #[instrument(skip_all)]
    pub async fn invite_to_community(
        &self,
        access: &AccessSet,
        id: CommunityId,
        person: PersonId,
        message: Message,
    ) -> DomainResult<Invitation> {
        let me = access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_manage(access, &community, "invite people")?;
        self.person(person).await?;
        let existing = self
            .repos
            .memberships
            .of_person_in(person, &[community.id])
            .await?;
        if existing
            .iter()
            .any(|m| m.status == MembershipStatus::Active)
        {
            return Err(DomainError::conflict("this person is already a member"));
        }
        let affiliations = self.repos.organizations.affiliations_of(&[person]).await?;
        if !write::organization_allowed(&community, affiliations.iter().map(|a| a.organization_id))
        {
            return Err(DomainError::invalid(
                "personId",
                "this person is not affiliated with any of the community's allowed organizations",
            ));
        }
        let invitation = Invitation {
            id: InvitationId::generate(),
            community_id: community.id,
            person_id: person,
            invited_by: me,
            message: message.into_inner(),
            status: InvitationStatus::Pending,
            created_at: Utc::now(),
            responded_at: None,
        };
        self.repos
            .memberships
            .create_invitation(&invitation)
            .await?;
        let note = Notification {
            invitation_id: Some(invitation.id),
            ..self.notice(person, NotificationKind::Invitation, me, community.id)
        };
        self.notify(note).await;
        Ok(invitation)
    }

    /// The invitee accepts (`accept`) or declines a pending invitation. The invitee and the
    /// community's managers can see an invitation; for everyone else it does not exist.
    #[instrument(skip_all)]
    pub async fn answer_invitation(
        &self,
        access: &AccessSet,
        id: InvitationId,
        accept: bool,
    ) -> DomainResult<Invitation> {
        let me = access.require_person()?;
        let invitation = self
            .repos
            .memberships
            .invitations_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("invitation"))?;
        let community = self
            .repos
            .communities
            .by_ids(&[invitation.community_id])
            .await?
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("invitation"))?;
        if invitation.person_id != me {
            return if access.has_role(community.id, Role::Manager) {
                Err(DomainError::forbidden(
                    "only the invited person may answer an invitation",
                ))
            } else {
                Err(DomainError::NotFound("invitation"))
            };
        }
        if invitation.status != InvitationStatus::Pending {
            return Err(DomainError::conflict(
                "this invitation was already answered",
            ));
        }
        if accept {
            write::can_become_member(access, &community)?;
        }
        let answered = Invitation {
            status: if accept {
                InvitationStatus::Accepted
            } else {
                InvitationStatus::Declined
            },
            responded_at: Some(Utc::now()),
            ..invitation
        };
        self.repos.memberships.answer_invitation(&answered).await?;
        if accept {
            self.membership_changed(me, community.id).await;
        }
        Ok(answered)
    }

    /// A member leaves; the last manager cannot.
    #[instrument(skip_all)]
    pub async fn leave_community(
        &self,
        access: &AccessSet,
        id: CommunityId,
    ) -> DomainResult<Membership> {
        let person = access.require_person()?;
        let community = self.community(access, id).await?;
        write::require_writable(&community)?;
        let membership =
            self.active_membership(community.id, person)
                .await
                .map_err(|e| match e {
                    DomainError::NotFound(_) => {
                        DomainError::precondition("you are not a member of this community")
                    }
                    other => other,
                })?;
        let ended = self
            .repos
            .memberships
            .end(membership.id, MembershipStatus::Left)
            .await?;
        self.membership_changed(person, community.id).await;
        Ok(ended)
    }

    /// A `MANAGER` removes a member; the last manager cannot be removed.
    #[instrument(skip_all)]
    pub async fn remove_member(
        &self,
        access: &AccessSet,
        id: CommunityId,
        person: PersonId,
    ) -> DomainResult<Membership> {
        access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_manage(access, &community, "remove members")?;
        let membership = self.active_membership(community.id, person).await?;
        let ended = self
            .repos
            .memberships
            .end(membership.id, MembershipStatus::Removed)
            .await?;
        self.membership_changed(person, community.id).await;
        Ok(ended)
    }

    /// A `MANAGER` grants a role to a member (granting a held role changes nothing).
    #[instrument(skip_all)]
    pub async fn grant_role(
        &self,
        access: &AccessSet,
        id: CommunityId,
        person: PersonId,
        role: Role,
    ) -> DomainResult<Membership> {
        access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_manage(access, &community, "grant roles")?;
        let membership = self.active_membership(community.id, person).await?;
        if membership.roles.contains(&role) {
            return Ok(membership);
        }
        let mut roles = membership.roles.clone();
        roles.insert(role);
        let changed = self
            .repos
            .memberships
            .set_roles(membership.id, &roles)
            .await?;
        self.membership_changed(person, community.id).await;
        Ok(changed)
    }

    /// A `MANAGER` revokes a role (revoking a role not held changes nothing). A membership
    /// keeps at least one role, and the community at least one manager.
    #[instrument(skip_all)]
    pub async fn revoke_role(
        &self,
        access: &AccessSet,
        id: CommunityId,
        person: PersonId,
        role: Role,
    ) -> DomainResult<Membership> {
        access.require_person()?;
        let community = self.community(access, id).await?;
        write::can_manage(access, &community, "revoke roles")?;
        let membership = self.active_membership(community.id, person).await?;
        if !membership.roles.contains(&role) {
            return Ok(membership);
        }
        let mut roles = membership.roles.clone();
        roles.remove(&role);
        if roles.is_empty() {
            return Err(DomainError::precondition(
                "a membership keeps at least one role: use removeMember to end it",
            ));
        }
        let changed = self
            .repos
            .memberships
            .set_roles(membership.id, &roles)
            .await?;
        self.membership_changed(person, community.id).await;
        Ok(changed)
    }

    /// A notification for `person` about a community, made now.
    fn notice(
        &self,
        person: PersonId,
        kind: NotificationKind,
        actor: PersonId,
        community: CommunityId,
    ) -> Notification {
        Notification {
            id: NotificationId::generate(),
            person_id: person,
            kind,
            actor_id: Some(actor),
            community_id: Some(community),
            thread_id: None,
            post_id: None,
            invitation_id: None,
            join_request_id: None,
            created_at: Utc::now(),
            read_at: None,
        }
    }

    /// Stores a notification after the write it is about, and announces it. A failure here
    /// is logged: the write itself has happened and its record is still listed.
    async fn notify(&self, notification: Notification) {
        match self
            .repos
            .discussions
            .create_notifications(std::slice::from_ref(&notification))
            .await
        {
            Ok(()) => {
                self.publish([Event::NotificationAdded {
                    person: notification.person_id,
                    notification: notification.id,
                }])
                .await;
            }
            Err(err) => tracing::error!(error = %err, "cannot store a notification"),
        }
    }

    async fn active_membership(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<Membership> {
        self.repos
            .memberships
            .of_person_in(person, &[community])
            .await?
            .into_iter()
            .find(|m| m.status == MembershipStatus::Active)
            .ok_or(DomainError::NotFound("membership"))
    }
}
