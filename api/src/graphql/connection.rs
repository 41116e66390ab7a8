//! Relay connections. Every list field takes `first/after/last/before` (page size 1..100),
//! pages through a [`Scoped`] listing (built only from the proof of its container) with the
//! request's page loader (one statement per level of a nested query), and admits its nodes
//! through the policy: from the container's proof where it has one ([`Under`]), through the
//! chain otherwise.

use std::sync::Arc;

use async_graphql::{Context, SimpleObject};
use copnet_domain::{
    AccessSet,
    listing::Scoped,
    model::{Asset, Cluster, Community, Network, Person, Post, Space, Thread},
    page::{IdPage, PageRequest},
    policy::proof::{Administering, Managing, Myself, Readable, Visible},
};
use uuid::Uuid;

use super::{
    context::{RequestContext, load, request},
    ids::{cursor, decode_cursor},
    loaders::{CountKey, PageKey},
};
use crate::error::ApiResult;

/// Where a page sits in its list.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// More items follow this page.
    pub has_next_page: bool,
    /// More items precede this page (when paging forward: whether `after` was given).
    pub has_previous_page: bool,
    /// Cursor of the first item of the page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of the page.
    pub end_cursor: Option<String>,
}

/// Relay page arguments as received.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// Page size reading forward.
    pub first: Option<i32>,
    /// Cursor to read after.
    pub after: Option<String>,
    /// Page size reading backward.
    pub last: Option<i32>,
    /// Cursor to read before.
    pub before: Option<String>,
}

impl PageArgs {
    /// Validates the arguments.
    pub fn request(&self) -> ApiResult<PageRequest> {
        let after = self
            .after
            .as_deref()
            .map(|c| decode_cursor("after", c))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|c| decode_cursor("before", c))
            .transpose()?;
        Ok(PageRequest::new(self.first, after, self.last, before)?)
    }
}

/// The complexity of a list field: its page size times the cost of one item.
pub fn cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(copnet_domain::page::DEFAULT_PAGE_SIZE as usize)
        .clamp(1, copnet_domain::page::MAX_PAGE_SIZE as usize);
    size.saturating_mul(child_complexity.max(1))
        .saturating_add(1)
}

/// The container a list was taken from, with its proof: its nodes are admitted from it.
#[derive(Clone)]
pub enum Under {
    /// A root list (filtered in SQL by the caller's filter): each node goes through the chain.
    Root,
    /// An organization's list (organizations are public).
    Organization,
    /// The service accounts of an organization the caller administers.
    Administering(Administering),
    /// A visible network's list.
    Network(Visible<Network>),
    /// A visible cluster's list.
    Cluster(Visible<Cluster>),
    /// A visible community's list.
    Community(Visible<Community>),
    /// A managed community's join requests or invitations.
    Managing(Managing),
    /// A readable space's list.
    Space(Readable<Space>),
    /// A readable thread's posts.
    Thread(Readable<Thread>),
    /// A readable post's replies or revisions.
    Post(Readable<Post>),
    /// A readable asset's versions.
    Asset(Readable<Asset>),
    /// A visible person's list.
    Person(Visible<Person>),
    /// The caller's own list.
    Myself(Myself),
}

/// One fetched page of a listing under a parent.
#[derive(Clone)]
pub struct ConnectionData {
    scoped: Scoped,
    under: Under,
    page: IdPage,
}

impl ConnectionData {
    /// Fetches one page of `scoped`, whose nodes are admitted from `under`.
    pub async fn fetch(
        ctx: &Context<'_>,
        scoped: Scoped,
        under: Under,
        args: &PageArgs,
    ) -> ApiResult<Self> {
        let key = PageKey {
            scoped: scoped.clone(),
            page: args.request()?,
        };
        let page = load(ctx, key).await?.unwrap_or_default();
        Ok(Self {
            scoped,
            under,
            page,
        })
    }

    /// The node ids of the page, in order.
    pub fn ids(&self) -> Vec<Uuid> {
        self.page.items.iter().map(|i| i.id).collect()
    }

    /// Where the nodes come from.
    pub fn under(&self) -> &Under {
        &self.under
    }

    /// The cursors of the page, in order.
    pub fn cursors(&self) -> Vec<String> {
        self.page.items.iter().map(|i| cursor(i.key)).collect()
    }

    /// Page information.
    pub fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.page.has_next_page,
            has_previous_page: self.page.has_previous_page,
            start_cursor: self.page.items.first().map(|i| cursor(i.key)),
            end_cursor: self.page.items.last().map(|i| cursor(i.key)),
        }
    }

    /// The size of the whole list, counted in SQL with the same filter.
    pub async fn total_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        Ok(load(ctx, CountKey(self.scoped.clone())).await?.unwrap_or(0))
    }
}

/// Node types whose listed rows the policy admits.
pub trait Admit: Sized {
    /// The nodes with these ids that the caller may see, aligned with `ids` (`None` where
    /// one vanished or is hidden).
    fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> impl Future<Output = ApiResult<Vec<Option<Self>>>> + Send;
}

/// The admitted nodes of a page.
pub async fn nodes<N: Admit>(
    ctx: &Context<'_>,
    data: &ConnectionData,
) -> ApiResult<Vec<Option<N>>> {
    let rc = request(ctx)?;
    let access = rc.access().await?;
    N::admit(rc, &access, data.under(), &data.ids()).await
}

/// Loads rows by raw ids through the loaders, aligned with `ids`.
pub async fn rows<K, T>(rc: &RequestContext, ids: &[Uuid]) -> ApiResult<Vec<Option<Arc<T>>>>
where
    K: From<Uuid> + Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    super::loaders::Fetcher: async_graphql::dataloader::Loader<
            K,
            Value = Arc<T>,
            Error = Arc<copnet_domain::DomainError>,
        >,
    T: Send + Sync + 'static,
{
    let keys: Vec<K> = ids.iter().map(|u| K::from(*u)).collect();
    let found = rc.loaders().load_many(keys.iter().cloned()).await?;
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

/// Loads rows by raw ids and admits each with `admit` (a pure decision), aligned with `ids`.
pub async fn admit_each<K, T, N>(
    rc: &RequestContext,
    ids: &[Uuid],
    admit: impl Fn(Arc<T>) -> Option<N>,
) -> ApiResult<Vec<Option<N>>>
where
    K: From<Uuid> + Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    super::loaders::Fetcher: async_graphql::dataloader::Loader<
            K,
            Value = Arc<T>,
            Error = Arc<copnet_domain::DomainError>,
        >,
    T: Send + Sync + 'static,
{
    Ok(rows::<K, T>(rc, ids)
        .await?
        .into_iter()
        .map(|row| row.and_then(&admit))
        .collect())
}

/// Declares `<Node>Connection` and `<Node>Edge` for a node type.
macro_rules! connection {
    ($(#[$doc:meta])* $conn:ident, $edge:ident, $node:ty) => {
        /// A page of a list; see the GraphQL description.
        pub struct $conn(pub $crate::graphql::connection::ConnectionData);

        $(#[$doc])*
        #[async_graphql::Object]
        impl $conn {
            /// The items of this page, each with its cursor.
            async fn edges(&self, ctx: &async_graphql::Context<'_>) -> $crate::error::ApiResult<Vec<$edge>> {
                let nodes = $crate::graphql::connection::nodes::<$node>(ctx, &self.0).await?;
                Ok(self
                    .0
                    .cursors()
                    .into_iter()
                    .zip(nodes)
                    .filter_map(|(cursor, node)| node.map(|node| $edge { cursor, node }))
                    .collect())
            }

            /// The items of this page.
            async fn nodes(&self, ctx: &async_graphql::Context<'_>) -> $crate::error::ApiResult<Vec<$node>> {
                let nodes = $crate::graphql::connection::nodes::<$node>(ctx, &self.0).await?;
                Ok(nodes.into_iter().flatten().collect())
            }

            /// Where this page sits in the list.
            async fn page_info(&self) -> $crate::graphql::connection::PageInfo {
                self.0.page_info()
            }

            /// How many items the whole list holds; only what the caller may see is counted.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> $crate::error::ApiResult<u64> {
                self.0.total_count(ctx).await
            }
        }

        /// An item of a list and its cursor.
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this item, for `after`/`before`.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }
    };
}
pub(crate) use connection;
