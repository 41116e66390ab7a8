use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{CommunityId, InvitationId, JoinRequestId, PersonId},
    model,
};

use super::{id, message, shown};
use crate::{
    error::ApiResult,
    graphql::{
        context::{load, write},
        enums::CommunityRole,
        ids::Kind,
        loaders::ViewerMembership,
        types::{Invitation, JoinRequest, Membership},
    },
};

/// Input naming a community.
#[derive(InputObject)]
pub struct CommunityInput {
    /// The community.
    pub community_id: ID,
}

/// Input of `requestToJoin`.
#[derive(InputObject)]
pub struct RequestToJoinInput {
    /// The community.
    pub community_id: ID,
    /// A note to the managers, up to 2000 characters.
    pub message: Option<String>,
}

/// Input of `decideJoinRequest`.
#[derive(InputObject)]
pub struct DecideJoinRequestInput {
    /// The pending request.
    pub join_request_id: ID,
    /// `true` admits the person, `false` declines.
    pub approve: bool,
}

/// Input of `inviteToCommunity`.
#[derive(InputObject)]
pub struct InviteToCommunityInput {
    /// The community.
    pub community_id: ID,
    /// The person to invite.
    pub person_id: ID,
    /// A note to the invitee, up to 2000 characters.
    pub message: Option<String>,
}

/// Input naming an invitation.
#[derive(InputObject)]
pub struct InvitationInput {
    /// The pending invitation.
    pub invitation_id: ID,
}

/// Input naming a member of a community.
#[derive(InputObject)]
pub struct MemberInput {
    /// The community.
    pub community_id: ID,
    /// The member.
    pub person_id: ID,
}

/// Input of `grantRole` and `revokeRole`.
#[derive(InputObject)]
pub struct RoleInput {
    /// The community.
    pub community_id: ID,
    /// The member.
    pub person_id: ID,
    /// The role.
    pub role: CommunityRole,
}

/// Result of mutations that change a membership.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    /// The membership as stored.
    pub membership: Membership,
}

/// Result of join-request mutations.
#[derive(SimpleObject)]
pub struct JoinRequestPayload {
    /// The request as stored.
    pub join_request: JoinRequest,
}

/// Result of invitation mutations.
#[derive(SimpleObject)]
pub struct InvitationPayload {
    /// The invitation as stored.
    pub invitation: Invitation,
    /// The caller's membership, once an invitation is accepted.
    pub membership: Option<Membership>,
}

fn community(input: &ID) -> ApiResult<CommunityId> {
    id("communityId", Kind::Community, input)
}

fn person(input: &ID) -> ApiResult<PersonId> {
    id("personId", Kind::Person, input)
}

async fn membership(
    ctx: &Context<'_>,
    m: model::Membership,
) -> ApiResult<Option<MembershipPayload>> {
    Ok(Some(MembershipPayload {
        membership: shown::membership(ctx, m).await?,
    }))
}

#[derive(Default)]
pub struct MembershipMutations;

#[Object]
impl MembershipMutations {
    /// Joins an `OPEN` community at once. Signed-in people who can see it and pass its
    /// organization allow-list.
    async fn join_community(
        &self,
        ctx: &Context<'_>,
        input: CommunityInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let c = community(&input.community_id)?;
        let changed = write(ctx, async |s, a| s.join_community(a, c).await).await?;
        membership(ctx, changed).await
    }

    /// Asks to join an `APPROVAL` community; its managers decide.
    async fn request_to_join(
        &self,
        ctx: &Context<'_>,
        input: RequestToJoinInput,
    ) -> ApiResult<Option<JoinRequestPayload>> {
        let c = community(&input.community_id)?;
        let note = message(input.message.as_deref())?;
        let request = write(ctx, async |s, a| s.request_to_join(a, c, note).await).await?;
        Ok(Some(JoinRequestPayload {
            join_request: shown::join_request(request),
        }))
    }

    /// Approves or declines a pending join request. `MANAGER`s of the community only.
    async fn decide_join_request(
        &self,
        ctx: &Context<'_>,
        input: DecideJoinRequestInput,
    ) -> ApiResult<Option<JoinRequestPayload>> {
        let request: JoinRequestId =
            id("joinRequestId", Kind::JoinRequest, &input.join_request_id)?;
        let approve = input.approve;
        let request = write(ctx, async |s, a| {
            s.decide_join_request(a, request, approve).await
        })
        .await?;
        Ok(Some(JoinRequestPayload {
            join_request: shown::join_request(request),
        }))
    }

    /// Invites a person (by ID) into the community. `MANAGER`s only; the invitee must pass
    /// the organization allow-list.
    async fn invite_to_community(
        &self,
        ctx: &Context<'_>,
        input: InviteToCommunityInput,
    ) -> ApiResult<Option<InvitationPayload>> {
        let c = community(&input.community_id)?;
        let p = person(&input.person_id)?;
        let note = message(input.message.as_deref())?;
        let invitation =
            write(ctx, async |s, a| s.invite_to_community(a, c, p, note).await).await?;
        Ok(Some(InvitationPayload {
            invitation: shown::invitation(invitation),
            membership: None,
        }))
    }

    /// Accepts an invitation addressed to the caller; they become a `MEMBER`.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: InvitationInput,
    ) -> ApiResult<Option<InvitationPayload>> {
        let invitation: InvitationId = id("invitationId", Kind::Invitation, &input.invitation_id)?;
        let invitation = write(ctx, async |s, a| {
            s.answer_invitation(a, invitation, true).await
        })
        .await?;
        let joined = match load(ctx, ViewerMembership(invitation.community_id)).await? {
            Some(m) => Some(shown::membership(ctx, (*m).clone()).await?),
            None => None,
        };
        Ok(Some(InvitationPayload {
            invitation: shown::invitation(invitation),
            membership: joined,
        }))
    }

    /// Declines an invitation addressed to the caller.
    async fn decline_invitation(
        &self,
        ctx: &Context<'_>,
        input: InvitationInput,
    ) -> ApiResult<Option<InvitationPayload>> {
        let invitation: InvitationId = id("invitationId", Kind::Invitation, &input.invitation_id)?;
        let invitation = write(ctx, async |s, a| {
            s.answer_invitation(a, invitation, false).await
        })
        .await?;
        Ok(Some(InvitationPayload {
            invitation: shown::invitation(invitation),
            membership: None,
        }))
    }

    /// Leaves a community. The last `MANAGER` cannot leave (`CONFLICT`).
    async fn leave_community(
        &self,
        ctx: &Context<'_>,
        input: CommunityInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let c = community(&input.community_id)?;
        let changed = write(ctx, async |s, a| s.leave_community(a, c).await).await?;
        membership(ctx, changed).await
    }

    /// Removes a member (and takes them off the community's space lists). `MANAGER`s only;
    /// the last manager cannot be removed.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        input: MemberInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let c = community(&input.community_id)?;
        let p = person(&input.person_id)?;
        let changed = write(ctx, async |s, a| s.remove_member(a, c, p).await).await?;
        membership(ctx, changed).await
    }

    /// Grants a role to a member (no change if held). `MANAGER`s only.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        input: RoleInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let c = community(&input.community_id)?;
        let p = person(&input.person_id)?;
        let role = input.role.into();
        let changed = write(ctx, async |s, a| s.grant_role(a, c, p, role).await).await?;
        membership(ctx, changed).await
    }

    /// Revokes a role (no change if not held). `MANAGER`s only; a membership keeps one role
    /// and the community one manager.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: RoleInput,
    ) -> ApiResult<Option<MembershipPayload>> {
        let c = community(&input.community_id)?;
        let p = person(&input.person_id)?;
        let role = input.role.into();
        let changed = write(ctx, async |s, a| s.revoke_role(a, c, p, role).await).await?;
        membership(ctx, changed).await
    }
}
