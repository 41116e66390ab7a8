use async_graphql::{Context, ID, Interface};
use copnet_domain::{
    ids::{
        AffiliationId, CommunityId, InvitationId, JoinRequestId, MembershipId, OrganizationId,
        PersonId, ServiceAccountId,
    },
    model::{self, MembershipStatus, OrgRole, Role},
};

use super::{
    Affiliation, Community, Invitation, JoinRequest, LearningNetwork, Membership, Notification,
    Organization, Person, Post, PostRevision, RegionalCluster, ServiceAccount, Space, Thread,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::{access, load},
        ids::{Kind, decode},
        visible,
    },
};

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Global ID: opaque, stable, unique across types."
))]
pub enum Node {
    /// An organization.
    Organization(Organization),
    /// A person.
    Person(Person),
    /// An affiliation.
    Affiliation(Affiliation),
    /// A learning network.
    LearningNetwork(LearningNetwork),
    /// A regional cluster.
    RegionalCluster(RegionalCluster),
    /// A community.
    Community(Community),
    /// A membership.
    Membership(Membership),
    /// A space.
    Space(Space),
    /// A join request.
    JoinRequest(JoinRequest),
    /// An invitation.
    Invitation(Invitation),
    /// A service account.
    ServiceAccount(ServiceAccount),
    /// A discussion thread.
    Thread(Thread),
    /// A post.
    Post(Post),
    /// A former body of a post.
    PostRevision(PostRevision),
    /// A notification.
    Notification(Notification),
}

/// Whether the caller is the person or a manager of the community.
async fn party_or_manager(
    ctx: &Context<'_>,
    person: PersonId,
    community: CommunityId,
) -> ApiResult<bool> {
    let access = access(ctx).await?;
    Ok(access.person == Some(person) || access.has_role(community, Role::Manager))
}

/// A service account is visible to the admins of its organization and to itself.
pub async fn sees_service_account(
    ctx: &Context<'_>,
    account: &model::ServiceAccount,
) -> ApiResult<bool> {
    let access = access(ctx).await?;
    Ok(access
        .service_account
        .as_ref()
        .is_some_and(|sa| sa.id == account.id)
        || (access.person.is_some()
            && access.org_role(account.organization_id) == Some(OrgRole::Admin)))
}

/// The node with this ID, if it exists and the caller may see it.
pub async fn resolve_node(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<Option<Node>> {
    let (kind, uuid) = decode(field, id)?;
    Ok(match kind {
        Kind::Organization => load(ctx, OrganizationId::from(uuid))
            .await?
            .map(|o| Node::Organization(Organization(o))),
        Kind::Person => {
            let person = PersonId::from(uuid);
            if visible::person(crate::graphql::context::request(ctx)?, person).await? {
                load(ctx, person).await?.map(|p| Node::Person(Person(p)))
            } else {
                None
            }
        }
        Kind::Affiliation => match load(ctx, AffiliationId::from(uuid)).await? {
            Some(a)
                if visible::person(crate::graphql::context::request(ctx)?, a.person_id).await? =>
            {
                Some(Node::Affiliation(Affiliation(a)))
            }
            _ => None,
        },
        Kind::Network => visible::network(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|n| Node::LearningNetwork(LearningNetwork(n))),
        Kind::Cluster => visible::cluster(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|(_, c)| Node::RegionalCluster(RegionalCluster(c))),
        Kind::Community => visible::community(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|(_, c)| Node::Community(Community(c))),
        Kind::Space => visible::space(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|(_, _, s)| Node::Space(Space(s))),
        Kind::Membership => match load(ctx, MembershipId::from(uuid)).await? {
            Some(m)
                if visible::community(crate::graphql::context::request(ctx)?, m.community_id)
                    .await?
                    .is_some()
                    && (m.status == MembershipStatus::Active
                        || party_or_manager(ctx, m.person_id, m.community_id).await?) =>
            {
                Some(Node::Membership(Membership(m)))
            }
            _ => None,
        },
        Kind::JoinRequest => match load(ctx, JoinRequestId::from(uuid)).await? {
            Some(j) if party_or_manager(ctx, j.person_id, j.community_id).await? => {
                Some(Node::JoinRequest(JoinRequest(j)))
            }
            _ => None,
        },
        Kind::Invitation => match load(ctx, InvitationId::from(uuid)).await? {
            Some(i) if party_or_manager(ctx, i.person_id, i.community_id).await? => {
                Some(Node::Invitation(Invitation(i)))
            }
            _ => None,
        },
        Kind::ServiceAccount => match load(ctx, ServiceAccountId::from(uuid)).await? {
            Some(a) if sees_service_account(ctx, &a).await? => {
                Some(Node::ServiceAccount(ServiceAccount(a)))
            }
            _ => None,
        },
        Kind::Thread => visible::thread(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|(_, t)| Node::Thread(Thread(t))),
        Kind::Post => visible::post(crate::graphql::context::request(ctx)?, uuid.into())
            .await?
            .map(|(_, p)| Node::Post(Post(p))),
        Kind::Revision => match load(ctx, copnet_domain::ids::RevisionId::from(uuid)).await? {
            Some(r)
                if visible::post(crate::graphql::context::request(ctx)?, r.post_id)
                    .await?
                    .is_some() =>
            {
                Some(Node::PostRevision(PostRevision(r)))
            }
            _ => None,
        },
        Kind::Notification => {
            match load(ctx, copnet_domain::ids::NotificationId::from(uuid)).await? {
                Some(n) if access(ctx).await?.person == Some(n.person_id) => {
                    Some(Node::Notification(Notification(n)))
                }
                _ => None,
            }
        }
    })
}

/// Like [`resolve_node`], but hidden or unknown is `NOT_FOUND`.
pub async fn require_node(ctx: &Context<'_>, field: &'static str, id: &ID) -> ApiResult<Node> {
    let (kind, _) = decode(field, id)?;
    resolve_node(ctx, field, id)
        .await?
        .ok_or_else(|| ApiError::not_found(kind.type_name()))
}
