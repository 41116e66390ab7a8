//! The query root.

use async_graphql::{Context, ID, InputObject, Object};
use copnet_domain::{
    Actor,
    ids::{ClusterId, NetworkId, OrganizationId},
    listing::{Listing, ROOT},
    policy::{
        filter::{CommunityFilter, NetworkFilter, PersonFilter},
        read,
    },
    values::{SearchTerm, Slug},
};

use super::{
    connection::{ConnectionData, PageArgs, cost},
    context::{access, load, request},
    enums::CommunityStage,
    ids::{Kind, decode_as},
    types::{
        CommunityConnection, LearningNetwork, LearningNetworkConnection, Node,
        NotificationConnection, Organization, OrganizationConnection, Person, PersonConnection,
        ServiceAccount, page_args, require_node, resolve_node,
    },
};
use crate::error::{ApiError, ApiResult};

/// Most IDs `nodes(ids:)` takes at once.
const MAX_NODES: usize = 100;

/// Narrows `communities`. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct CommunityFilterInput {
    /// Only communities of this learning network.
    pub network_id: Option<ID>,
    /// Only communities in this regional cluster.
    pub cluster_id: Option<ID>,
    /// Only communities hosted by this organization.
    pub organization_id: Option<ID>,
    /// Only communities in this stage.
    pub stage: Option<CommunityStage>,
    /// Only communities whose name or slug contains this text (case-insensitive, 1..100 characters).
    pub search: Option<String>,
}

fn search(term: Option<String>) -> ApiResult<Option<String>> {
    Ok(term
        .map(|t| SearchTerm::parse("search", &t))
        .transpose()?
        .map(SearchTerm::into_inner))
}

fn optional_id<T: From<uuid::Uuid>>(
    field: &'static str,
    kind: Kind,
    id: Option<ID>,
) -> ApiResult<Option<T>> {
    id.map(|id| decode_as(field, kind, &id)).transpose()
}

/// The query root.
pub struct Query;

/// Reads start here. Errors carry `extensions.code`, one of `UNAUTHENTICATED`, `FORBIDDEN`,
/// `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`, `FAILED_PRECONDITION`, `LIMIT_EXCEEDED`,
/// `INTERNAL`. Things the caller may not see behave as if they did not exist (`NOT_FOUND`).
#[Object]
impl Query {
    /// The signed-in caller; null for anonymous callers.
    async fn viewer(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match request(ctx)?.actor().person_id() {
            Some(id) => Ok(load(ctx, id).await?.map(Person)),
            None => Ok(None),
        }
    }

    /// The calling service account (API key callers); null for people and anonymous callers.
    async fn viewer_service_account(&self, ctx: &Context<'_>) -> ApiResult<Option<ServiceAccount>> {
        match request(ctx)?.actor() {
            Actor::ServiceAccount { id } => Ok(load(ctx, id).await?.map(ServiceAccount)),
            _ => Ok(None),
        }
    }

    /// The caller's notifications, newest first. Signed-in people only.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only notifications not marked read (default `false`).")]
        unread_only: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<NotificationConnection> {
        let me = access(ctx).await?.require_person()?;
        let args = page_args!(first, after, last, before);
        let listing = Listing::PersonNotifications {
            unread_only: unread_only.unwrap_or(false),
        };
        Ok(NotificationConnection(
            ConnectionData::fetch(ctx, listing, me.uuid(), &args).await?,
        ))
    }

    /// Any object by its global ID. Unknown and hidden IDs alike are `NOT_FOUND`.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        require_node(ctx, "id", &id).await.map(Some)
    }

    /// Objects by global IDs (at most 100), in order; null where an ID is unknown or hidden.
    #[graphql(complexity = "ids.len() * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::bad_input(
                "ids",
                format!("at most {MAX_NODES} IDs"),
            ));
        }
        // Resolved concurrently, so that the loaders batch them.
        futures_util::future::try_join_all(ids.iter().map(|id| resolve_node(ctx, "ids", id))).await
    }

    /// All organizations (they are public), optionally searched by name or slug.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Case-insensitive text in the name or slug (1..100 characters).")] search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<OrganizationConnection> {
        let listing = Listing::Organizations {
            search: self::search(search)?,
        };
        let args: PageArgs = page_args!(first, after, last, before);
        Ok(OrganizationConnection(
            ConnectionData::fetch(ctx, listing, ROOT, &args).await?,
        ))
    }

    /// The organization with this slug; `NOT_FOUND` when there is none.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> ApiResult<Option<Organization>> {
        let slug = Slug::parse("slug", &slug)?;
        let found = request(ctx)?
            .services()
            .repos()
            .organizations
            .by_slug(slug.as_str())
            .await?;
        found
            .map(|o| Some(Organization(o)))
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// Learning networks the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn networks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<LearningNetworkConnection> {
        let visible = NetworkFilter::for_access(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        Ok(LearningNetworkConnection(
            ConnectionData::fetch(ctx, Listing::Networks { visible }, ROOT, &args).await?,
        ))
    }

    /// The learning network with this slug; `NOT_FOUND` when there is none or the caller may
    /// not see it.
    async fn network(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<LearningNetwork>> {
        let slug = Slug::parse("slug", &slug)?;
        let found = request(ctx)?
            .services()
            .repos()
            .networks
            .by_slug(slug.as_str())
            .await?;
        let access = access(ctx).await?;
        found
            .filter(|n| read::can_see_network(&access, n))
            .map(|n| Some(LearningNetwork(n)))
            .ok_or_else(|| ApiError::not_found("network"))
    }

    /// Communities the caller may see, across networks, optionally narrowed.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Conditions the communities must meet.")] filter: Option<
            CommunityFilterInput,
        >,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CommunityConnection> {
        let filter = filter.unwrap_or_default();
        let network: Option<NetworkId> =
            optional_id("networkId", Kind::Network, filter.network_id)?;
        let cluster: Option<ClusterId> =
            optional_id("clusterId", Kind::Cluster, filter.cluster_id)?;
        let host: Option<OrganizationId> =
            optional_id("organizationId", Kind::Organization, filter.organization_id)?;
        let listing = Listing::Communities {
            visible: CommunityFilter::for_access(&*access(ctx).await?),
            network,
            cluster,
            host_organization: host,
            stage: filter.stage.map(Into::into),
            search: search(filter.search)?,
        };
        let args = page_args!(first, after, last, before);
        Ok(CommunityConnection(
            ConnectionData::fetch(ctx, listing, ROOT, &args).await?,
        ))
    }

    /// People the caller may see (rule 8), optionally searched by display name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Case-insensitive text in the display name (1..100 characters).")] search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        let listing = Listing::People {
            visible: PersonFilter::for_access(&*access(ctx).await?),
            search: self::search(search)?,
        };
        let args = page_args!(first, after, last, before);
        Ok(PersonConnection(
            ConnectionData::fetch(ctx, listing, ROOT, &args).await?,
        ))
    }
}
