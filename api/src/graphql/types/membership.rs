use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::model::{self, MembershipStatus};

use super::{Community, Person, batch};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::connection,
        context::load,
        enums::{CommunityRole, InvitationStatus, JoinRequestStatus, MembershipStatus as Status},
        ids::{Kind, encode},
        visible,
    },
};

/// The `Membership` object; see its GraphQL description.
#[derive(Clone)]
pub struct Membership(pub model::Membership);
batch!(Membership, copnet_domain::ids::MembershipId);
connection!(
    /// A page of memberships.
    MembershipConnection, MembershipEdge, Membership
);

async fn person(ctx: &Context<'_>, id: copnet_domain::ids::PersonId) -> ApiResult<Person> {
    load(ctx, id)
        .await?
        .map(Person)
        .ok_or_else(|| ApiError::not_found("person"))
}

async fn community(
    ctx: &Context<'_>,
    id: copnet_domain::ids::CommunityId,
) -> ApiResult<Option<Community>> {
    Ok(
        visible::community(crate::graphql::context::request(ctx)?, id)
            .await?
            .map(|(_, c)| Community(c)),
    )
}

/// A person in a community, with roles. Visible to whoever can see both the person and the
/// community.
#[Object]
impl Membership {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Membership, self.0.id)
    }

    /// The member. Null only when an ended membership's person is no longer visible.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        let shown = self.0.status == MembershipStatus::Active
            || visible::person(crate::graphql::context::request(ctx)?, self.0.person_id).await?;
        if shown {
            Ok(Some(person(ctx, self.0.person_id).await?))
        } else {
            Ok(None)
        }
    }

    /// The community; null when the caller may not see it (for instance after leaving a
    /// private community).
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<Community>> {
        community(ctx, self.0.community_id).await
    }

    /// Roles held, in a stable order; empty once the membership has ended.
    async fn roles(&self) -> Vec<CommunityRole> {
        self.0.roles.iter().copied().map(Into::into).collect()
    }

    /// Current or ended.
    async fn status(&self) -> Status {
        self.0.status.into()
    }

    /// When the person (last) joined.
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
}

/// The `JoinRequest` object; see its GraphQL description.
#[derive(Clone)]
pub struct JoinRequest(pub model::JoinRequest);
batch!(JoinRequest, copnet_domain::ids::JoinRequestId);
connection!(
    /// A page of join requests.
    JoinRequestConnection, JoinRequestEdge, JoinRequest
);

/// A person's request to join an `APPROVAL` community. Visible to the requester and to the
/// community's managers (who see the requester's profile through it).
#[Object]
impl JoinRequest {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::JoinRequest, self.0.id)
    }

    /// The community asked for; null when the caller may not see it.
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<Community>> {
        community(ctx, self.0.community_id).await
    }

    /// Who asks.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Person> {
        person(ctx, self.0.person_id).await
    }

    /// The requester's note to the managers.
    async fn message(&self) -> &str {
        &self.0.message
    }

    /// Where it stands.
    async fn status(&self) -> JoinRequestStatus {
        self.0.status.into()
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When a manager decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    /// The manager who decided.
    async fn decided_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match self.0.decided_by {
            Some(id) => Ok(Some(person(ctx, id).await?)),
            None => Ok(None),
        }
    }
}

/// The `Invitation` object; see its GraphQL description.
#[derive(Clone)]
pub struct Invitation(pub model::Invitation);
batch!(Invitation, copnet_domain::ids::InvitationId);
connection!(
    /// A page of invitations.
    InvitationConnection, InvitationEdge, Invitation
);

/// A manager's invitation of a person into a community. Visible to the invitee and to the
/// community's managers.
#[Object]
impl Invitation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Invitation, self.0.id)
    }

    /// The community; null while the invitee may not see it (a private community becomes
    /// visible once the invitation is accepted).
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<Community>> {
        community(ctx, self.0.community_id).await
    }

    /// Who is invited.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Person> {
        person(ctx, self.0.person_id).await
    }

    /// The manager who invited.
    async fn invited_by(&self, ctx: &Context<'_>) -> ApiResult<Person> {
        person(ctx, self.0.invited_by).await
    }

    /// A note to the invitee.
    async fn message(&self) -> &str {
        &self.0.message
    }

    /// Where it stands.
    async fn status(&self) -> InvitationStatus {
        self.0.status.into()
    }

    /// When it was sent.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the invitee answered.
    async fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.0.responded_at
    }
}
