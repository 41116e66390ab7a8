//! The query root.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    Actor,
    listing::{CommunityNarrowing, Scoped},
    policy::proof,
    values::{SearchTerm, Slug},
};

use super::{
    connection::{ConnectionData, PageArgs, Under, cost},
    context::{access, load, request},
    enums::CommunityStage,
    ids::{Kind, decode_as},
    loaders::{NetworkSlug, OrganizationSlug},
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
            Some(id) => Person::visible(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The calling service account (API key callers); null for people and anonymous callers.
    async fn viewer_service_account(&self, ctx: &Context<'_>) -> ApiResult<Option<ServiceAccount>> {
        let rc = request(ctx)?;
        match rc.actor() {
            Actor::ServiceAccount { id } => {
                ServiceAccount::find(rc, &*rc.access().await?, id).await
            }
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
        let access = access(ctx).await?;
        let me = access.require_person()?;
        let me = proof::myself(&access, me).ok_or_else(|| ApiError::not_found("person"))?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::person_notifications(me, unread_only.unwrap_or(false));
        Ok(NotificationConnection(
            ConnectionData::fetch(ctx, scoped, Under::Myself(me), &args).await?,
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
        let scoped = Scoped::organizations(self::search(search)?);
        let args: PageArgs = page_args!(first, after, last, before);
        Ok(OrganizationConnection(
            ConnectionData::fetch(ctx, scoped, Under::Organization, &args).await?,
        ))
    }

    /// The organization with this slug; `NOT_FOUND` when there is none.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> ApiResult<Option<Organization>> {
        let slug = Slug::parse("slug", &slug)?.into_inner();
        load(ctx, OrganizationSlug(slug))
            .await?
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
        let scoped = Scoped::networks(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        Ok(LearningNetworkConnection(
            ConnectionData::fetch(ctx, scoped, Under::Root, &args).await?,
        ))
    }

    /// The learning network with this slug; `NOT_FOUND` when there is none or the caller may
    /// not see it.
    async fn network(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<LearningNetwork>> {
        let slug = Slug::parse("slug", &slug)?.into_inner();
        let found = load(ctx, NetworkSlug(slug)).await?;
        let access = access(ctx).await?;
        found
            .and_then(|n| proof::see_network(&access, n))
            .map(|n| Some(LearningNetwork(n)))
            .ok_or_else(|| ApiError::not_found("network"))
    }

    /// Communities to join and people to meet in a network, for the viewer, with typed
    /// reasons and a deterministic score (see `ReasonKind`); empty for anonymous callers, null
    /// with `NOT_FOUND` for a network the caller may not see.
    async fn suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The network.")] network_id: ID,
    ) -> ApiResult<Option<super::types::suggestion::Suggestions>> {
        let id = decode_as("networkId", Kind::Network, &network_id)?;
        let (rc, a) = crate::graphql::context::caller(ctx).await?;
        let network = copnet_domain::policy::chain::network(rc, &a, id)
            .await?
            .ok_or_else(|| ApiError::not_found("network"))?;
        let found = rc.services().suggestions(&a, &network).await?;
        Ok(Some(super::types::suggestion::shown(ctx, found).await?))
    }

    /// Full-text search over communities, spaces, threads, posts, assets, events and people,
    /// with stemming for English, Spanish, French and Portuguese. The query holds words (all
    /// required), `word*` prefixes and `"quoted phrases"`. Only what the caller may read is
    /// found or counted: a private space's post is never a hit, nor counted, for someone who
    /// may not read it; a hidden post, a draft that is not the caller's and a person the
    /// caller may not see (rule 8) neither. Narrowed to a network or a community (which must
    /// be visible, else `NOT_FOUND` and null), people are those with an active membership
    /// there.
    #[graphql(complexity = "cost(first, None, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words, `word*` prefixes and `\"phrases\"`; at most 200 characters.")]
        query: String,
        #[graphql(desc = "Kinds to search (all when omitted or empty).")] types: Option<
            Vec<super::types::search::SearchType>,
        >,
        #[graphql(desc = "Only within this network.")] network_id: Option<ID>,
        #[graphql(desc = "Only within this community.")] community_id: Option<ID>,
        #[graphql(desc = "Hits per page, 1 to 50 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the hit to continue after (the first 1,000 hits page).")]
        after: Option<String>,
    ) -> ApiResult<Option<super::types::search::SearchConnection>> {
        use copnet_domain::search::SearchRequest;
        let (rc, a) = crate::graphql::context::caller(ctx).await?;
        let offset = after
            .as_deref()
            .map(super::types::search::decode)
            .transpose()?
            .unwrap_or(0);
        let limit = u32::try_from(first.unwrap_or(20))
            .map_err(|_| ApiError::bad_input("first", "must be between 1 and 50"))?;
        let request = SearchRequest::new(
            &query,
            types
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            optional_id("networkId", Kind::Network, network_id)?,
            optional_id("communityId", Kind::Community, community_id)?,
            offset,
            limit,
        )?;
        let found = rc.services().search(&a, &request).await?;
        Ok(Some(
            super::types::search::shown(rc, &a, found, offset).await?,
        ))
    }

    /// A digest of a period for a newsletter, of a community or of a network's communities
    /// (give exactly one of `communityId` and `networkId`): the busiest threads, new assets,
    /// upcoming events and new members, as data and as sanitized HTML. Only what the caller
    /// may read; a hidden community or network is `NOT_FOUND`.
    async fn digest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community.")] community_id: Option<ID>,
        #[graphql(desc = "The network.")] network_id: Option<ID>,
        #[graphql(desc = "Start of the period.")] from: DateTime<Utc>,
        #[graphql(desc = "End of the period (exclusive), at most 366 days after `from`.")]
        to: DateTime<Utc>,
    ) -> ApiResult<Option<super::types::digest::Digest>> {
        use copnet_domain::service::DigestOf;
        let (rc, a) = crate::graphql::context::caller(ctx).await?;
        let (of, title) = match (community_id, network_id) {
            (Some(c), None) => {
                let id = decode_as("communityId", Kind::Community, &c)?;
                let community = copnet_domain::policy::chain::community(rc, &a, id)
                    .await?
                    .ok_or_else(|| ApiError::not_found("community"))?;
                (DigestOf::Community(id), community.name.clone())
            }
            (None, Some(n)) => {
                let id = decode_as("networkId", Kind::Network, &n)?;
                let network = copnet_domain::policy::chain::network(rc, &a, id)
                    .await?
                    .ok_or_else(|| ApiError::not_found("network"))?;
                (DigestOf::Network(id), network.name.clone())
            }
            _ => {
                return Err(ApiError::bad_input(
                    "communityId",
                    "give exactly one of communityId and networkId",
                ));
            }
        };
        let found = rc.services().digest(&a, of, from, to).await?;
        Ok(Some(
            super::types::digest::shown(ctx, title, found, from, to).await?,
        ))
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
        let narrow = CommunityNarrowing {
            network: optional_id("networkId", Kind::Network, filter.network_id)?,
            cluster: optional_id("clusterId", Kind::Cluster, filter.cluster_id)?,
            host_organization: optional_id(
                "organizationId",
                Kind::Organization,
                filter.organization_id,
            )?,
            stage: filter.stage.map(Into::into),
            search: search(filter.search)?,
        };
        let scoped = Scoped::communities(&*access(ctx).await?, narrow);
        let args = page_args!(first, after, last, before);
        Ok(CommunityConnection(
            ConnectionData::fetch(ctx, scoped, Under::Root, &args).await?,
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
        let scoped = Scoped::people(&*access(ctx).await?, self::search(search)?);
        let args = page_args!(first, after, last, before);
        Ok(PersonConnection(
            ConnectionData::fetch(ctx, scoped, Under::Root, &args).await?,
        ))
    }
}
