//! `Query.search`: a page of hits of any kind, each with its snippet and rank, and the counts
//! of all hits by kind. The statement filters every hit and count by the caller's rights; each
//! hit is then resolved through the read chain like any node.

use async_graphql::{Enum, SimpleObject, Union};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use copnet_domain::{
    AccessSet,
    policy::chain,
    search::{SearchHit, SearchKind, SearchResults},
};
use futures_util::future::join_all;

use super::{Asset, Community, Event, Person, Post, Space, Thread};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{connection::PageInfo, context::RequestContext},
};

/// What a search hit is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SearchType {
    /// A community: its name and description.
    Community,
    /// A space: its name and description.
    Space,
    /// A thread: its title.
    Thread,
    /// A post: its text.
    Post,
    /// A knowledge asset: its title, summary, tags and body.
    Asset,
    /// An event: its title and description.
    Event,
    /// A person: their display name and bio.
    Person,
}

impl From<SearchType> for SearchKind {
    fn from(value: SearchType) -> Self {
        match value {
            SearchType::Community => SearchKind::Community,
            SearchType::Space => SearchKind::Space,
            SearchType::Thread => SearchKind::Thread,
            SearchType::Post => SearchKind::Post,
            SearchType::Asset => SearchKind::Asset,
            SearchType::Event => SearchKind::Event,
            SearchType::Person => SearchKind::Person,
        }
    }
}

impl From<SearchKind> for SearchType {
    fn from(value: SearchKind) -> Self {
        match value {
            SearchKind::Community => SearchType::Community,
            SearchKind::Space => SearchType::Space,
            SearchKind::Thread => SearchType::Thread,
            SearchKind::Post => SearchType::Post,
            SearchKind::Asset => SearchType::Asset,
            SearchKind::Event => SearchType::Event,
            SearchKind::Person => SearchType::Person,
        }
    }
}

/// A thing a search found.
#[derive(Union)]
pub enum SearchResult {
    /// A community.
    Community(Community),
    /// A space.
    Space(Space),
    /// A thread.
    Thread(Thread),
    /// A post.
    Post(Post),
    /// A knowledge asset.
    Asset(Asset),
    /// An event.
    Event(Event),
    /// A person.
    Person(Person),
}

/// One hit.
#[derive(SimpleObject)]
pub struct SearchEdge {
    /// Where this hit sits, for `after`.
    pub cursor: String,
    /// The thing found.
    pub node: SearchResult,
    /// What it is.
    #[graphql(name = "type")]
    pub kind: SearchType,
    /// A fragment of its text around the first matching word: HTML with every character
    /// escaped and the matching words in `<mark>` elements.
    pub snippet: String,
    /// Relevance, higher first; comparable within one search only.
    pub rank: f64,
}

/// How many hits a kind has.
#[derive(SimpleObject)]
pub struct SearchCount {
    /// The kind.
    #[graphql(name = "type")]
    pub kind: SearchType,
    /// Its hits in all (whatever the page).
    pub count: u64,
}

/// A page of search hits, most relevant first.
#[derive(SimpleObject)]
pub struct SearchConnection {
    /// The hits of this page.
    pub edges: Vec<SearchEdge>,
    /// Where the page sits.
    pub page_info: PageInfo,
    /// Hits in all, over every kind searched.
    pub total_count: u64,
    /// Hits in all by kind (kinds without hits left out), counted by the same rights.
    pub counts_by_type: Vec<SearchCount>,
}

/// A search cursor: the position of a hit.
pub fn cursor(position: u32) -> String {
    URL_SAFE_NO_PAD.encode(format!("search:{position}"))
}

/// The position after a cursor.
pub fn decode(after: &str) -> ApiResult<u32> {
    URL_SAFE_NO_PAD
        .decode(after)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| s.strip_prefix("search:")?.parse::<u32>().ok())
        .map(|p| p.saturating_add(1))
        .ok_or_else(|| ApiError::bad_input("after", "not a valid search cursor"))
}

async fn node(
    rc: &RequestContext,
    access: &AccessSet,
    hit: &SearchHit,
) -> ApiResult<Option<SearchResult>> {
    let id = hit.id;
    Ok(match hit.kind {
        SearchKind::Community => chain::community(rc, access, id.into())
            .await?
            .map(|c| SearchResult::Community(Community(c))),
        SearchKind::Space => chain::space(rc, access, id.into())
            .await?
            .map(|s| SearchResult::Space(Space(s))),
        SearchKind::Thread => chain::thread(rc, access, id.into())
            .await?
            .map(|t| SearchResult::Thread(Thread(t))),
        SearchKind::Post => chain::post(rc, access, id.into())
            .await?
            .map(|p| SearchResult::Post(Post(p))),
        SearchKind::Asset => chain::asset(rc, access, id.into())
            .await?
            .map(|a| SearchResult::Asset(Asset(a))),
        SearchKind::Event => chain::event(rc, access, id.into())
            .await?
            .map(|e| SearchResult::Event(Event(e))),
        SearchKind::Person => chain::person(rc, access, id.into())
            .await?
            .map(|p| SearchResult::Person(Person(p))),
    })
}

/// The connection of a search's results, each hit resolved through the read chain (batched
/// by the request's loaders). A hit the chain refuses is left out and logged: the statement
/// and the policy disagree, which is a bug.
pub async fn shown(
    rc: &RequestContext,
    access: &AccessSet,
    found: SearchResults,
    offset: u32,
) -> ApiResult<SearchConnection> {
    let total = found.total();
    let page = u64::try_from(found.hits.len()).unwrap_or_default();
    let nodes = join_all(found.hits.iter().map(|hit| node(rc, access, hit))).await;
    let mut edges = Vec::with_capacity(found.hits.len());
    for ((i, hit), node) in found.hits.into_iter().enumerate().zip(nodes) {
        let Some(node) = node? else {
            tracing::warn!(kind = hit.kind.code(), id = %hit.id, "search hit refused by the policy");
            continue;
        };
        let position = offset.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        edges.push(SearchEdge {
            cursor: cursor(position),
            node,
            kind: hit.kind.into(),
            snippet: hit.snippet,
            rank: hit.rank,
        });
    }
    let served = u64::from(offset) + page;
    Ok(SearchConnection {
        page_info: PageInfo {
            has_next_page: served < total,
            has_previous_page: offset > 0,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
        total_count: total,
        counts_by_type: found
            .counts
            .into_iter()
            .map(|(kind, count)| SearchCount {
                kind: kind.into(),
                count,
            })
            .collect(),
    })
}
