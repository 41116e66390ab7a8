use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{CommunityId, InvitationId, JoinRequestId, MembershipId, PersonId},
    model::{self, MembershipStatus, Role},
    policy::{
        chain,
        proof::{self, Listed, Visible},
    },
};
use uuid::Uuid;

use super::{Community, Person, participation};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{Admit, Under, admit_each, connection, rows},
        context::{RequestContext, caller, load, request},
        enums::{
            Circle, CommunityRole, InvitationStatus, JoinRequestStatus, MembershipStatus as Status,
        },
        ids::{Kind, encode},
    },
};

/// The `Membership` object; see its GraphQL description.
#[derive(Clone)]
pub struct Membership {
    row: Arc<model::Membership>,
    /// The community, when the caller sees it.
    community: Option<Visible<model::Community>>,
}
connection!(
    /// A page of memberships.
    MembershipConnection, MembershipEdge, Membership
);

impl Membership {
    /// A membership the caller may see, with its community's proof when they see that.
    pub fn new(row: Arc<model::Membership>, community: Option<Visible<model::Community>>) -> Self {
        Self { row, community }
    }

    /// The membership with this id, if the caller may see it: its community is visible, and
    /// it is active or the caller is its person or a manager of the community.
    pub async fn find(
        rc: &RequestContext,
        access: &AccessSet,
        id: MembershipId,
    ) -> ApiResult<Option<Self>> {
        let Some(row) = rc.load(id).await? else {
            return Ok(None);
        };
        let Some(community) = chain::community(rc, access, row.community_id).await? else {
            return Ok(None);
        };
        let shown = row.status == MembershipStatus::Active
            || party_or_manager(access, row.person_id, row.community_id);
        Ok(shown.then(|| Self::new(row, Some(community))))
    }
}

/// Whether the caller is the person or a manager of the community.
pub fn party_or_manager(access: &AccessSet, person: PersonId, community: CommunityId) -> bool {
    access.person == Some(person) || access.has_role(community, Role::Manager)
}

/// Whether a join request or invitation of `person` into `community` belongs to the list it
/// was taken from: a managed community's, or the caller's own.
fn listed_for_party(under: &Under, person: PersonId, community: CommunityId) -> bool {
    match under {
        Under::Managing(m) => community == m.community().id,
        Under::Myself(me) => person == me.id(),
        _ => false,
    }
}

impl Admit for Membership {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<MembershipId, model::Membership>(rc, ids).await? {
            let admitted = match (row, under) {
                (Some(m), Under::Community(c)) if m.community_id == c.id => {
                    Some(Self::new(m, Some(c.clone())))
                }
                (Some(m), Under::Person(p)) if m.person_id == p.id => {
                    let community = chain::community(rc, access, m.community_id).await?;
                    community.map(|c| Self::new(m, Some(c)))
                }
                _ => None,
            };
            out.push(admitted);
        }
        Ok(out)
    }
}

/// The visible community with this id.
async fn community(ctx: &Context<'_>, id: CommunityId) -> ApiResult<Option<Community>> {
    Ok({
        let (rc, a) = caller(ctx).await?;
        chain::community(rc, &a, id).await?
    }
    .map(Community))
}

/// A person in a community, with roles. Visible to whoever can see both the person and the
/// community.
#[Object]
impl Membership {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Membership, self.row.id)
    }

    /// The member. Null only when an ended membership's person is no longer visible.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match &self.community {
            Some(community) if self.row.status == MembershipStatus::Active => {
                let row = load(ctx, self.row.person_id).await?;
                Ok(row.map(|p| Person(proof::see_listed_person(Listed::MemberOf(community), p))))
            }
            _ => {
                let id = self.row.person_id;
                Ok({
                    let (rc, a) = caller(ctx).await?;
                    chain::person(rc, &a, id).await?
                }
                .map(Person))
            }
        }
    }

    /// The community; null when the caller may not see it (for instance after leaving a
    /// private community).
    async fn community(&self) -> Option<Community> {
        self.community.clone().map(Community)
    }

    /// Roles held, in a stable order; empty once the membership has ended.
    async fn roles(&self) -> Vec<CommunityRole> {
        self.row.roles.iter().copied().map(Into::into).collect()
    }

    /// Current or ended.
    async fn status(&self) -> Status {
        self.row.status.into()
    }

    /// When the person (last) joined.
    async fn joined_at(&self) -> DateTime<Utc> {
        self.row.joined_at
    }

    /// The member's participation circle now (see `Circle`); null once the membership has
    /// ended.
    async fn circle(&self, ctx: &Context<'_>) -> ApiResult<Option<Circle>> {
        Ok(participation::circle_of(ctx, &self.row)
            .await?
            .map(|(c, _)| c))
    }

    /// Since when the member has been in their circle; null once the membership has ended.
    async fn circle_since(&self, ctx: &Context<'_>) -> ApiResult<Option<DateTime<Utc>>> {
        Ok(participation::circle_of(ctx, &self.row)
            .await?
            .map(|(_, s)| s))
    }

    /// What the member did in the community's circle window, as community-level counts over
    /// all its spaces; null once the membership has ended.
    async fn activity(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<participation::MemberActivity>> {
        participation::activity_of(ctx, &self.row).await
    }

    /// Concrete steps inward, for the member only (null for anyone else): at most 5, in this
    /// order: an onboarding step not done, an introduction (never posted), assets waiting
    /// for their review, up to two unanswered threads on topics they know or follow, the
    /// next event occurrence (60 days ahead) they have not answered. Every target is one
    /// the member may read.
    async fn next_steps(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<participation::NextStep>>> {
        participation::next_steps_of(ctx, &self.row, self.community.as_ref()).await
    }

    /// The member's way through the community's onboarding journey. For the member and the
    /// community's managers, while the membership is active; null for others.
    async fn onboarding(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<super::onboarding::OnboardingProgress>> {
        let (_, access) = caller(ctx).await?;
        super::onboarding::progress(ctx, &access, &self.row).await
    }
}

/// The `JoinRequest` object; see its GraphQL description.
#[derive(Clone)]
pub struct JoinRequest(pub Arc<model::JoinRequest>);
connection!(
    /// A page of join requests.
    JoinRequestConnection, JoinRequestEdge, JoinRequest
);

impl JoinRequest {
    /// The request with this id, if the caller is its requester or a manager of its community.
    pub async fn find(
        rc: &RequestContext,
        access: &AccessSet,
        id: JoinRequestId,
    ) -> ApiResult<Option<Self>> {
        Ok(rc
            .load(id)
            .await?
            .filter(|j| party_or_manager(access, j.person_id, j.community_id))
            .map(Self))
    }
}

impl Admit for JoinRequest {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        admit_each::<JoinRequestId, _, _>(rc, ids, |j: Arc<model::JoinRequest>| {
            listed_for_party(under, j.person_id, j.community_id).then_some(Self(j))
        })
        .await
    }
}

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
        requester(ctx, self.0.person_id).await
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
            Some(id) => Ok(Some(requester(ctx, id).await?)),
            None => Ok(None),
        }
    }
}

/// The person a join request or an invitation is about: its parties see each other (a
/// manager sees the requester's profile, the invitee the inviting manager's).
async fn requester(ctx: &Context<'_>, id: PersonId) -> ApiResult<Person> {
    let rc = request(ctx)?;
    rc.load(id)
        .await?
        .map(|p| Person(proof::see_party(p)))
        .ok_or_else(|| ApiError::not_found("person"))
}

/// The `Invitation` object; see its GraphQL description.
#[derive(Clone)]
pub struct Invitation(pub Arc<model::Invitation>);
connection!(
    /// A page of invitations.
    InvitationConnection, InvitationEdge, Invitation
);

impl Invitation {
    /// The invitation with this id, if the caller is its invitee or a manager of its
    /// community.
    pub async fn find(
        rc: &RequestContext,
        access: &AccessSet,
        id: InvitationId,
    ) -> ApiResult<Option<Self>> {
        Ok(rc
            .load(id)
            .await?
            .filter(|i| party_or_manager(access, i.person_id, i.community_id))
            .map(Self))
    }
}

impl Admit for Invitation {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        admit_each::<InvitationId, _, _>(rc, ids, |i: Arc<model::Invitation>| {
            listed_for_party(under, i.person_id, i.community_id).then_some(Self(i))
        })
        .await
    }
}

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
        requester(ctx, self.0.person_id).await
    }

    /// The manager who invited.
    async fn invited_by(&self, ctx: &Context<'_>) -> ApiResult<Person> {
        requester(ctx, self.0.invited_by).await
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
