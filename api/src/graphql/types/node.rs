use async_graphql::{Context, ID, Interface};
use copnet_domain::{
    ids::{
        AffiliationId, InvitationId, JoinRequestId, MembershipId, NotificationId, OrganizationId,
        RevisionId, ServiceAccountId,
    },
    policy::chain,
};

use super::{
    Affiliation, Community, Invitation, JoinRequest, LearningNetwork, Membership, Notification,
    Organization, Person, Post, PostRevision, RegionalCluster, ServiceAccount, Space, Thread,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::request,
        ids::{Kind, decode},
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
    /// An event.
    Event(super::Event),
    /// A knowledge asset.
    Asset(super::Asset),
    /// A topic of a network's vocabulary.
    Topic(super::topic::Topic),
    /// A success indicator.
    Indicator(super::indicator::Indicator),
}

/// The node with this ID, if it exists and the caller may see it.
pub async fn resolve_node(
    ctx: &Context<'_>,
    field: &'static str,
    id: &ID,
) -> ApiResult<Option<Node>> {
    let (kind, uuid) = decode(field, id)?;
    let rc = request(ctx)?;
    let access = rc.access().await?;
    let (rc, a) = (&**rc, &*access);
    Ok(match kind {
        Kind::Organization => rc
            .load(OrganizationId::from(uuid))
            .await?
            .map(|o| Node::Organization(Organization(o))),
        Kind::Person => chain::person(rc, a, uuid.into())
            .await?
            .map(|p| Node::Person(Person(p))),
        Kind::Affiliation => match rc.load(AffiliationId::from(uuid)).await? {
            Some(row) => chain::person(rc, a, row.person_id)
                .await?
                .and_then(|p| Affiliation::new(row, p))
                .map(Node::Affiliation),
            None => None,
        },
        Kind::Network => chain::network(rc, a, uuid.into())
            .await?
            .map(|n| Node::LearningNetwork(LearningNetwork(n))),
        Kind::Cluster => chain::cluster(rc, a, uuid.into())
            .await?
            .map(|c| Node::RegionalCluster(RegionalCluster(c))),
        Kind::Community => chain::community(rc, a, uuid.into())
            .await?
            .map(|c| Node::Community(Community(c))),
        Kind::Space => chain::space(rc, a, uuid.into())
            .await?
            .map(|s| Node::Space(Space(s))),
        Kind::Membership => Membership::find(rc, a, MembershipId::from(uuid))
            .await?
            .map(Node::Membership),
        Kind::JoinRequest => JoinRequest::find(rc, a, JoinRequestId::from(uuid))
            .await?
            .map(Node::JoinRequest),
        Kind::Invitation => Invitation::find(rc, a, InvitationId::from(uuid))
            .await?
            .map(Node::Invitation),
        Kind::ServiceAccount => ServiceAccount::find(rc, a, ServiceAccountId::from(uuid))
            .await?
            .map(Node::ServiceAccount),
        Kind::Thread => chain::thread(rc, a, uuid.into())
            .await?
            .map(|t| Node::Thread(Thread(t))),
        Kind::Post => chain::post(rc, a, uuid.into())
            .await?
            .map(|p| Node::Post(Post(p))),
        Kind::Revision => match rc.load(RevisionId::from(uuid)).await? {
            Some(row) => chain::post(rc, a, row.post_id)
                .await?
                .and_then(|p| PostRevision::of(&p, row))
                .map(Node::PostRevision),
            None => None,
        },
        Kind::Notification => Notification::find(rc, a, NotificationId::from(uuid))
            .await?
            .map(Node::Notification),
        Kind::Event => super::event::find(rc, a, uuid.into())
            .await?
            .map(Node::Event),
        Kind::Asset => super::asset::find(rc, a, uuid.into())
            .await?
            .map(Node::Asset),
        Kind::Topic => super::topic::find(rc, a, uuid.into())
            .await?
            .map(Node::Topic),
        Kind::Indicator => super::indicator::find(rc, a, uuid.into())
            .await?
            .map(Node::Indicator),
        Kind::CalendarToken | Kind::Stakeholder | Kind::AssetVersion => None,
    })
}

/// Like [`resolve_node`], but hidden or unknown is `NOT_FOUND`.
pub async fn require_node(ctx: &Context<'_>, field: &'static str, id: &ID) -> ApiResult<Node> {
    let (kind, _) = decode(field, id)?;
    resolve_node(ctx, field, id)
        .await?
        .ok_or_else(|| ApiError::not_found(kind.type_name()))
}
