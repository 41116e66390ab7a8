//! Full-text search: what may be searched, and the caller's rights as data for SQL, so that
//! every hit and every count is filtered in the statement (a private space's post is never a
//! hit, nor counted, for someone who may not read it).

use uuid::Uuid;

use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{ClusterId, CommunityId, NetworkId, PersonId, SpaceId},
    model::Role,
    policy::filter::{CommunityFilter, PersonFilter},
};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most hits a page holds.
pub const MAX_SEARCH_PAGE: u32 = 50;
/// Deepest a search pages (offset of the last hit served).
pub const MAX_SEARCH_OFFSET: u32 = 1_000;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKind {
    /// A community: its name, slug, description and purpose.
    Community,
    /// A space: its name and description.
    Space,
    /// A thread: its title.
    Thread,
    /// A post: its body.
    Post,
    /// A knowledge asset: its title, summary and tags.
    Asset,
    /// An event: its title and description.
    Event,
    /// A person: their display name and bio.
    Person,
}

impl SearchKind {
    /// Every kind.
    pub const ALL: [SearchKind; 7] = [
        SearchKind::Community,
        SearchKind::Space,
        SearchKind::Thread,
        SearchKind::Post,
        SearchKind::Asset,
        SearchKind::Event,
        SearchKind::Person,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Community => "COMMUNITY",
            SearchKind::Space => "SPACE",
            SearchKind::Thread => "THREAD",
            SearchKind::Post => "POST",
            SearchKind::Asset => "ASSET",
            SearchKind::Event => "EVENT",
            SearchKind::Person => "PERSON",
        }
    }

    /// From a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The caller's rights over searchable things, as lists for SQL: the same rules as
/// [`read`](crate::policy::read), applied by the search statement to every row it matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchScope {
    /// Visible communities (and so their community-wide events).
    pub communities: CommunityFilter,
    /// Visible people (rule 8).
    pub people: PersonFilter,
    /// Communities the caller is an active member of (sorted).
    pub member_of: Vec<CommunityId>,
    /// Communities where the caller is `MANAGER` or `MODERATOR`: every private space (sorted).
    pub moderates: Vec<CommunityId>,
    /// Communities the caller manages: every asset draft (sorted).
    pub manages: Vec<CommunityId>,
    /// Private spaces whose list names the caller (read while a member of their community).
    pub private_spaces: Vec<SpaceId>,
    /// Clusters whose events the caller reads as a member of one of their communities.
    pub clusters: Vec<ClusterId>,
    /// Networks the caller stewards (their clusters' events).
    pub stewarded: Vec<NetworkId>,
    /// The caller, whose drafts are theirs to find.
    pub me: Option<PersonId>,
}

fn sorted<T: Ord + Copy>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.into_iter().collect();
    v.sort();
    v.dedup();
    v
}

impl SearchScope {
    /// The caller's scope.
    pub fn for_access(access: &AccessSet) -> Self {
        let role = |r: Role| {
            sorted(
                access
                    .communities
                    .iter()
                    .filter(|(_, c)| c.roles.contains(&r))
                    .map(|(id, _)| *id),
            )
        };
        let mut moderates = role(Role::Manager);
        moderates.extend(role(Role::Moderator));
        Self {
            communities: CommunityFilter::for_access(access),
            people: PersonFilter::for_access(access),
            member_of: sorted(access.communities.keys().copied()),
            moderates: sorted(moderates),
            manages: role(Role::Manager),
            private_spaces: sorted(access.spaces.iter().copied()),
            clusters: sorted(access.clusters.iter().copied()),
            stewarded: sorted(access.stewarded_networks.iter().copied()),
            me: access.person,
        }
    }
}

/// A search to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query text: words, `word*` prefixes and `"phrases"`, all required.
    pub query: String,
    /// Kinds searched (every kind when empty).
    pub kinds: Vec<SearchKind>,
    /// Only within this network.
    pub network: Option<NetworkId>,
    /// Only within this community.
    pub community: Option<CommunityId>,
    /// Hits skipped.
    pub offset: u32,
    /// Hits served.
    pub limit: u32,
}

impl SearchRequest {
    /// A checked request.
    pub fn new(
        query: &str,
        kinds: Vec<SearchKind>,
        network: Option<NetworkId>,
        community: Option<CommunityId>,
        offset: u32,
        limit: u32,
    ) -> DomainResult<Self> {
        let query = query.trim();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(DomainError::invalid(
                "query",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        if !query.chars().any(char::is_alphanumeric) {
            return Err(DomainError::invalid("query", "must hold a word"));
        }
        if limit == 0 || limit > MAX_SEARCH_PAGE {
            return Err(DomainError::invalid(
                "first",
                format!("must be between 1 and {MAX_SEARCH_PAGE}"),
            ));
        }
        if offset.saturating_add(limit) > MAX_SEARCH_OFFSET {
            return Err(DomainError::invalid(
                "after",
                format!("a search pages through its first {MAX_SEARCH_OFFSET} hits"),
            ));
        }
        let mut kinds = kinds;
        kinds.sort();
        kinds.dedup();
        Ok(Self {
            query: query.to_owned(),
            kinds,
            network,
            community,
            offset,
            limit,
        })
    }

    /// The kinds searched.
    pub fn kinds(&self) -> &[SearchKind] {
        if self.kinds.is_empty() {
            &SearchKind::ALL
        } else {
            &self.kinds
        }
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// What it is.
    pub kind: SearchKind,
    /// Its id.
    pub id: Uuid,
    /// Relevance (higher first); comparable within one search only.
    pub rank: f64,
    /// A fragment of its text, HTML-escaped, matching words in `<mark>`.
    pub snippet: String,
}

/// A page of hits and the counts of all of them by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// The page, most relevant first.
    pub hits: Vec<SearchHit>,
    /// How many hits of each kind match in all (kinds without hits left out).
    pub counts: Vec<(SearchKind, u64)>,
}

impl SearchResults {
    /// Hits in all.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}
