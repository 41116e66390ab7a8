use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    listing::Listing,
    model::{self, MembershipStatus, Role},
    policy::{filter::SpaceFilter, read, write},
    values::Slug,
};

use super::{
    InvitationConnection, JoinRequestConnection, LearningNetwork, Membership, MembershipConnection,
    Organization, OrganizationConnection, RegionalClusterConnection, Space, SpaceConnection, batch,
    page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load, request},
        enums::{
            CommunityRole, CommunityStage, InvitationStatus, JoinPolicy, JoinRequestStatus,
            Visibility,
        },
        ids::{Kind, encode},
        loaders::{CountKey, ViewerMembership},
    },
};

/// The `Community` object; see its GraphQL description.
#[derive(Clone)]
pub struct Community(pub model::Community);
batch!(Community, copnet_domain::ids::CommunityId);
connection!(
    /// A page of communities.
    CommunityConnection, CommunityEdge, Community
);

/// What the caller may do with a community.
#[derive(SimpleObject)]
pub struct ViewerCan {
    /// `joinCommunity` would succeed (`OPEN`, allowed organization, not yet a member).
    pub join: bool,
    /// `requestToJoin` would succeed (`APPROVAL`, allowed organization, no pending request).
    pub request_to_join: bool,
    /// The caller is a member and the community accepts writes.
    pub post: bool,
    /// The caller is a `MANAGER` and the community accepts writes.
    pub manage: bool,
}

impl Community {
    async fn require_manager(&self, ctx: &Context<'_>, what: &str) -> ApiResult<()> {
        if access(ctx).await?.has_role(self.0.id, Role::Manager) {
            Ok(())
        } else {
            Err(ApiError::new(
                Code::Forbidden,
                format!("only a MANAGER of this community may list its {what}"),
            ))
        }
    }
}

/// A Community of Practice. It belongs to one network and is visible only where the network
/// is: `PUBLIC` to all who see the network, `NETWORK` to network members, `PRIVATE` to its
/// members. Only members write in it; only a `MANAGER` changes its settings, roles, spaces and
/// join decisions. `ARCHIVED` communities stay readable and accept no writes.
#[Object]
impl Community {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Community, self.0.id)
    }

    /// Handle, unique in its network.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Free text about the community.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who may see it.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// How people join.
    async fn join_policy(&self) -> JoinPolicy {
        self.0.join_policy.into()
    }

    /// Lifecycle stage.
    async fn stage(&self) -> CommunityStage {
        self.0.stage.into()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its settings last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The network it belongs to.
    async fn network(&self, ctx: &Context<'_>) -> ApiResult<LearningNetwork> {
        load(ctx, self.0.network_id)
            .await?
            .map(LearningNetwork)
            .ok_or_else(|| ApiError::not_found("network"))
    }

    /// The hosting organization, if any.
    async fn host_organization(&self, ctx: &Context<'_>) -> ApiResult<Option<Organization>> {
        match self.0.host_organization_id {
            Some(id) => Ok(load(ctx, id).await?.map(Organization)),
            None => Ok(None),
        }
    }

    /// The regional clusters it is in.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn clusters(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<RegionalClusterConnection> {
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::CommunityClusters, self.0.id.uuid(), &args).await?;
        Ok(RegionalClusterConnection(data))
    }

    /// The organization allow-list: when not empty, only people affiliated with one of these
    /// may join.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn allowed_organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<OrganizationConnection> {
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::CommunityAllowedOrganizations,
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(OrganizationConnection(data))
    }

    /// Its spaces that the caller may see: `PUBLIC` ones, and for members all of them
    /// (a `PRIVATE` space's content stays with its readers: see `Space.viewerCanRead`).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn spaces(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<SpaceConnection> {
        let visible = SpaceFilter::for_access(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::CommunitySpaces { visible },
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(SpaceConnection(data))
    }

    /// The space with this slug; `NOT_FOUND` when there is none or the caller may not see it.
    async fn space(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<Space>> {
        let slug = Slug::parse("slug", &slug)?;
        let rc = request(ctx)?;
        let found = rc
            .services()
            .repos()
            .spaces
            .by_slug(self.0.id, slug.as_str())
            .await?;
        let network = load(ctx, self.0.network_id).await?;
        let access = access(ctx).await?;
        match (found, network) {
            (Some(space), Some(network))
                if read::can_see_space(&access, &network, &self.0, &space) =>
            {
                Ok(Some(Space(space)))
            }
            _ => Err(ApiError::not_found("space")),
        }
    }

    /// Active members, optionally only those holding a role.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only members holding this role.")] role: Option<CommunityRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let listing = Listing::CommunityMembers {
            role: role.map(Into::into),
        };
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?;
        Ok(MembershipConnection(data))
    }

    /// Number of active members.
    async fn member_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let key = CountKey {
            listing: Listing::CommunityMembers { role: None },
            parent: self.0.id.uuid(),
        };
        Ok(load(ctx, key).await?.unwrap_or(0))
    }

    /// The caller's active membership; null when not a member.
    async fn viewer_membership(&self, ctx: &Context<'_>) -> ApiResult<Option<Membership>> {
        if !access(ctx).await?.is_member(self.0.id) {
            return Ok(None);
        }
        Ok(load(ctx, ViewerMembership(self.0.id))
            .await?
            .filter(|m| m.status == MembershipStatus::Active)
            .map(Membership))
    }

    /// What the caller may do here.
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<ViewerCan> {
        let abilities = write::community_abilities(&*access(ctx).await?, &self.0);
        Ok(ViewerCan {
            join: abilities.join,
            request_to_join: abilities.request_to_join,
            post: abilities.post,
            manage: abilities.manage,
        })
    }

    /// Requests to join. Managers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn join_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests in this status.")] status: Option<JoinRequestStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<JoinRequestConnection> {
        self.require_manager(ctx, "join requests").await?;
        let listing = Listing::CommunityJoinRequests {
            status: status.map(Into::into),
        };
        let args = page_args!(first, after, last, before);
        Ok(JoinRequestConnection(
            ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?,
        ))
    }

    /// Invitations sent. Managers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only invitations in this status.")] status: Option<InvitationStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<InvitationConnection> {
        self.require_manager(ctx, "invitations").await?;
        let listing = Listing::CommunityInvitations {
            status: status.map(Into::into),
        };
        let args = page_args!(first, after, last, before);
        Ok(InvitationConnection(
            ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?,
        ))
    }
}
