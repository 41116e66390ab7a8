use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::{ClusterId, NetworkId},
    listing::Scoped,
    model::{Cluster, Network},
    policy::{
        chain,
        proof::{self, Visible},
        write,
    },
    values::Slug,
};
use uuid::Uuid;

use super::{
    CommunityConnection, EventOccurrenceConnection, Organization, PersonConnection, page_args,
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::{Admit, ConnectionData, Under, admit_each, connection, cost, rows},
        context::{RequestContext, access, load},
        enums::Visibility,
        ids::{Kind, encode},
        loaders::{ClusterSlug, CommunitySlug},
    },
};

/// The `LearningNetwork` object; see its GraphQL description.
#[derive(Clone)]
pub struct LearningNetwork(pub Visible<Network>);
connection!(
    /// A page of learning networks.
    LearningNetworkConnection, LearningNetworkEdge, LearningNetwork
);

impl Admit for LearningNetwork {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        _under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        admit_each::<NetworkId, _, _>(rc, ids, |n| proof::see_network(access, n).map(Self)).await
    }
}

/// A learning network: hosts communities, grouped in regional clusters; hosted by one
/// organization and administered by its stewards. A `PRIVATE` network is visible to its
/// members only: members of any of its communities, and its stewards.
#[Object]
impl LearningNetwork {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Network, self.0.id)
    }

    /// Globally unique handle.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The network-wide success indicators, oldest first (at most 50).
    async fn indicators(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::indicator::Indicator>> {
        super::indicator::of(
            ctx,
            copnet_domain::model::IndicatorScope::Network(self.0.id),
        )
        .await
    }

    /// The health figures of the network's communities that the caller may see, summed
    /// (rule 7): a steward counts every public and network-wide community; a private
    /// community counts only for its members.
    async fn health(&self, ctx: &Context<'_>) -> ApiResult<super::health::Health> {
        super::health::of(ctx, copnet_domain::service::HealthOf::Network(self.0.id)).await
    }

    /// Free text about the network.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// `PUBLIC` or `PRIVATE`.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The hosting organization.
    async fn host_organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        load(ctx, self.0.host_organization_id)
            .await?
            .map(Organization)
            .ok_or_else(|| ApiError::not_found("organization"))
    }

    /// Whether the caller is a member of this network (of any of its communities, or a steward).
    async fn viewer_is_member(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(access(ctx).await?.is_network_member(self.0.id))
    }

    /// Whether the caller is a steward of this network.
    async fn viewer_is_steward(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(access(ctx).await?.is_steward(self.0.id))
    }

    /// Whether the caller may administer the network (`addNetworkSteward`, `createCluster`,
    /// `addClusterCoordinator`): its stewards and the platform admins.
    async fn viewer_can_administer(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let access = access(ctx).await?;
        Ok(write::can_administer_network(&access, &self.0, "administer it").is_ok())
    }

    /// Its regional clusters.
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
        let scoped = Scoped::network_clusters(&self.0);
        let under = Under::Network(self.0.clone());
        Ok(RegionalClusterConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Its shared vocabulary of topics, oldest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn topics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Case-insensitive substring of a topic's name or one of its aliases.")]
        search: Option<String>,
        #[graphql(desc = "Page size reading forward, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
        #[graphql(desc = "Page size reading backward, 1..100.")] last: Option<i32>,
        #[graphql(desc = "Cursor to read before.")] before: Option<String>,
    ) -> ApiResult<super::TopicConnection> {
        let search = search
            .map(|s| copnet_domain::values::SearchTerm::parse("search", &s))
            .transpose()?
            .map(copnet_domain::values::SearchTerm::into_inner);
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::network_topics(&self.0, search);
        let under = Under::Network(self.0.clone());
        Ok(super::TopicConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// People the caller may see with expertise on one of its topics: most expert first,
    /// then most active (their posts in the network over the last 90 days that the caller
    /// could read), then by person. Narrowed by the cluster and language of their profile
    /// and by an organization they are affiliated with.
    #[graphql(complexity = "cost(first, None, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn experts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic, of this network.")] topic_id: ID,
        #[graphql(desc = "Only people whose profile names this regional cluster.")]
        cluster_id: Option<ID>,
        #[graphql(desc = "Only people affiliated with this organization.")] organization_id: Option<
            ID,
        >,
        #[graphql(desc = "Only people whose profile lists this ISO 639-1 language code.")]
        language: Option<String>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
    ) -> ApiResult<super::topic::ExpertConnection> {
        use crate::graphql::ids::{Kind, decode_as};
        let topic = decode_as("topicId", Kind::Topic, &topic_id)?;
        let narrowing = copnet_domain::repo::ExpertNarrowing {
            cluster: cluster_id
                .map(|c| decode_as("clusterId", Kind::Cluster, &c))
                .transpose()?,
            organization: organization_id
                .map(|o| decode_as("organizationId", Kind::Organization, &o))
                .transpose()?,
            language: language
                .map(|l| copnet_domain::service::Languages::parse("language", &[l]))
                .transpose()?
                .and_then(|l| l.into_inner().pop()),
        };
        let first = match first {
            None => 20,
            Some(n) if (1..=100).contains(&n) => usize::try_from(n).unwrap_or(20),
            Some(_) => {
                return Err(ApiError::bad_input("first", "must be 1 to 100"));
            }
        };
        let after = after
            .as_deref()
            .map(super::topic::decode_expert_cursor)
            .transpose()?;
        let (rc, a) = crate::graphql::context::caller(ctx).await?;
        let page = rc
            .services()
            .experts(&a, &self.0, topic, &narrowing, after, first)
            .await?;
        let edges: Vec<super::topic::ExpertEdge> = page
            .experts
            .into_iter()
            .map(|e| super::topic::ExpertEdge {
                cursor: super::topic::expert_cursor(e.cursor()),
                level: e.level.into(),
                recent_posts: e.recent_posts,
                node: super::Person(e.person),
            })
            .collect();
        let page_info = crate::graphql::connection::PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: after.is_some(),
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        };
        Ok(super::topic::ExpertConnection {
            nodes: edges.iter().map(|e| e.node.clone()).collect(),
            edges,
            page_info,
            total_count: page.total,
        })
    }

    /// Its communities, among those the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CommunityConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::network_communities(&*access(ctx).await?, &self.0);
        let under = Under::Network(self.0.clone());
        Ok(CommunityConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Its stewards (network administrators).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn stewards(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::network_stewards(&self.0);
        let under = Under::Network(self.0.clone());
        Ok(PersonConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// The community with this slug in the network; `NOT_FOUND` when there is none or the
    /// caller may not see it.
    async fn community(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> ApiResult<Option<super::Community>> {
        let slug = Slug::parse("slug", &slug)?.into_inner();
        let found = load(ctx, CommunitySlug(self.0.id, slug)).await?;
        let access = access(ctx).await?;
        found
            .and_then(|c| proof::see_community(&access, &self.0, c))
            .map(|c| Some(super::Community(c)))
            .ok_or_else(|| ApiError::not_found("community"))
    }

    /// The cluster with this slug in the network; `NOT_FOUND` when there is none.
    async fn cluster(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<RegionalCluster>> {
        let slug = Slug::parse("slug", &slug)?.into_inner();
        load(ctx, ClusterSlug(self.0.id, slug))
            .await?
            .and_then(|c| proof::see_cluster(&self.0, c))
            .map(|c| Some(RegionalCluster(c)))
            .ok_or_else(|| ApiError::not_found("cluster"))
    }
}

/// The `RegionalCluster` object; see its GraphQL description.
#[derive(Clone)]
pub struct RegionalCluster(pub Visible<Cluster>);
connection!(
    /// A page of regional clusters.
    RegionalClusterConnection, RegionalClusterEdge, RegionalCluster
);

impl Admit for RegionalCluster {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let network = match under {
            Under::Network(n) => Some(n),
            Under::Community(c) => Some(c.network()),
            _ => None,
        };
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<ClusterId, Cluster>(rc, ids).await? {
            let seen = match (row, network) {
                (Some(c), Some(n)) => proof::see_cluster(n, c),
                (Some(c), None) => chain::cluster_row(rc, access, c).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

/// A region inside a network ("Northwest", "Yucatán"); communities may be in several.
/// Visible wherever its network is.
#[Object]
impl RegionalCluster {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Cluster, self.0.id)
    }

    /// The cluster's success indicators, oldest first (at most 50).
    async fn indicators(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::indicator::Indicator>> {
        super::indicator::of(
            ctx,
            copnet_domain::model::IndicatorScope::Cluster(self.0.id),
        )
        .await
    }

    /// The health figures of the cluster's communities that the caller may see, summed
    /// (rule 7).
    async fn health(&self, ctx: &Context<'_>) -> ApiResult<super::health::Health> {
        super::health::of(ctx, copnet_domain::service::HealthOf::Cluster(self.0.id)).await
    }

    /// Handle, unique in the network.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The network it belongs to.
    async fn network(&self) -> LearningNetwork {
        LearningNetwork(self.0.network().clone())
    }

    /// Communities in this cluster, among those the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CommunityConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::cluster_communities(&*access(ctx).await?, &self.0);
        let under = Under::Cluster(self.0.clone());
        Ok(CommunityConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Its coordinators (`CLUSTER_COORDINATOR`).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn coordinators(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::cluster_coordinators(&self.0);
        let under = Under::Cluster(self.0.clone());
        Ok(PersonConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Occurrences overlapping `[from, to)` of the cluster's events, in start order. Empty
    /// unless the caller is a member of one of the cluster's communities, coordinates it or
    /// stewards the network.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Window start (default: now).")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Window end, exclusive (default: 90 days after `from`; at most 366).")]
        to: Option<DateTime<Utc>>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
    ) -> ApiResult<EventOccurrenceConnection> {
        let (from, to) = super::event::window(from, to)?;
        let events = super::event::of_cluster(ctx, &self.0, from, to).await?;
        super::event::occurrence_page(&events, from, to, first, after.as_deref())
    }
}
