//! DOMAIN.md's authorization rules 0, 1, 2, 7 and 8 as one data-driven matrix:
//! 10 callers × 2 network visibilities × 3 community visibilities × 3 space visibilities ×
//! (21 access paths + 3 asset paths × 4 asset statuses) = 5940 cells, plus each network's
//! `health` sum for each caller (20 checks). The first four paths (`node(id)`, lists,
//! counts, slug lookups) assert whether the network, the community and the space are
//! visible and whether the space is readable; the next two that a thread and its post in the
//! space are visible exactly when the space is readable, through `node(id)` and through the
//! space's thread list with its counts and unread counts; four that a space's event is seen
//! exactly when the space is readable and a community-wide event exactly when the community
//! is visible, through `node(id)`, `Community.events` with its count, and the community's
//! ICS feed read with the caller's calendar token; the asset paths that an asset of each
//! status is seen exactly as rule 1 and its status allow (published and retired ones by the
//! space's readers, drafts by managers, assets in review also by their reviewer), through
//! `node(id)`, `Space.assets` and `Community.assets` with their counts; one that the
//! `eventChanged` subscription delivers a space's event exactly when the space is readable
//! (and refuses a hidden community with `NOT_FOUND`); the expertise paths that a person
//! known only through a cell's community, and their expertise, are seen exactly when the
//! community is (rule 8), through `node(id)`, `LearningNetwork.experts` and
//! `Query.suggestions`; the search paths that a thread is found and counted by
//! `Query.search` exactly when its space is readable, across every network and narrowed to
//! its community (a hidden one is `NOT_FOUND`); the figures paths (rule 7) that a
//! community's `health`, and the sum of a cluster holding it alone, carry its figures
//! exactly when the community is visible, and `Community.circles` only for its members; the
//! digest paths that a thread is in its community's and its network's digest (data and
//! HTML) exactly when its space is readable; and the network sums that each network's
//! `health` counts exactly the communities the caller sees. A failing cell is named in the
//! report.

use std::collections::{BTreeMap, HashSet};

use copnet_domain::{event::Topic, ids::CommunityId};
use copnet_tests::{PLATFORM_ADMIN, TestApp, fixtures::Person, ws::WsEvent};
use serde_json::{Value, json};

const NETWORKS: [&str; 2] = ["PUBLIC", "PRIVATE"];
const COMMUNITIES: [&str; 3] = ["PUBLIC", "NETWORK", "PRIVATE"];
const SPACES: [&str; 3] = ["PUBLIC", "MEMBERS", "PRIVATE"];
/// When the matrix's events take place (inside every calendar window the tests read).
const SOON: (&str, &str) = ("2027-03-02T15:00:00Z", "2027-03-02T16:00:00Z");
/// Active members of every cell's community: founder, member, space member, moderator, manager,
/// the cell's expert.
const MEMBERS_PER_COMMUNITY: u64 = 6;

/// One caller and what DOMAIN.md says they are, cell by cell.
struct Caller {
    name: &'static str,
    /// A network member (member of any community of it, or steward) of both networks.
    network_member: bool,
    /// A member of every cell's community.
    community_member: bool,
    /// May read `PRIVATE` spaces (on their list, or MANAGER/MODERATOR).
    reads_private: bool,
    /// A MANAGER of every cell's community: sees drafts.
    manages: bool,
    /// Named reviewer of every cell's asset in review.
    reviews: bool,
}

/// The table the whole matrix is driven by.
const CALLERS: [Caller; 10] = [
    Caller {
        name: "anonymous",
        network_member: false,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "person with no membership",
        network_member: false,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "member of another organization",
        network_member: true,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "community member",
        network_member: true,
        community_member: true,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "space member",
        network_member: true,
        community_member: true,
        reads_private: true,
        manages: false,
        reviews: true,
    },
    Caller {
        name: "MODERATOR",
        network_member: true,
        community_member: true,
        reads_private: true,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "MANAGER",
        network_member: true,
        community_member: true,
        reads_private: true,
        manages: true,
        reviews: false,
    },
    Caller {
        name: "ORG_ADMIN of the host organization",
        network_member: false,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "network STEWARD",
        network_member: true,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
    Caller {
        name: "platform admin",
        network_member: false,
        community_member: false,
        reads_private: false,
        manages: false,
        reviews: false,
    },
];

/// What a caller should get for one (network, community, space) visibility triple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Expected {
    network: bool,
    community: bool,
    space: bool,
    readable: bool,
}

fn expected(caller: &Caller, nv: &str, cv: &str, sv: &str) -> Expected {
    let network = nv == "PUBLIC" || caller.network_member;
    let community = network
        && match cv {
            "PUBLIC" => true,
            "NETWORK" => caller.network_member,
            _ => caller.community_member,
        };
    let space = community && (sv == "PUBLIC" || caller.community_member);
    let readable = space && (sv != "PRIVATE" || caller.reads_private);
    Expected {
        network,
        community,
        space,
        readable,
    }
}

struct Cell {
    nv: &'static str,
    cv: &'static str,
    sv: &'static str,
    network: String,
    network_slug: String,
    /// A regional cluster holding this cell's community only.
    cluster: String,
    community: String,
    community_slug: String,
    space: String,
    thread: String,
    post: String,
    space_event: String,
    community_event: String,
    /// The space's assets, one per status, in [`ASSET_STATUSES`] order.
    assets: Vec<String>,
    /// A person who is a member of this cell's community only, expert on `topic`.
    expert: String,
    /// A topic of the cell's network.
    topic: String,
}

/// The statuses of each cell's assets.
const ASSET_STATUSES: [&str; 4] = ["DRAFT", "IN_REVIEW", "PUBLISHED", "RETIRED"];

/// Whether a caller should see a cell's asset of this status (DOMAIN.md rule 1, and drafts
/// for their author and the managers, reviews also for the named reviewers).
fn sees_asset(caller: &Caller, e: Expected, status: &str) -> bool {
    e.readable
        && match status {
            "DRAFT" => caller.manages,
            "IN_REVIEW" => caller.manages || caller.reviews,
            _ => true,
        }
}

/// Creates one asset per status in the space; the space member reviews.
async fn assets_in(app: &TestApp, founder: &Person, reviewer: &Person, space: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for status in ASSET_STATUSES {
        let id = app
            .must(
                founder,
                "mutation($s: ID!, $t: String!) { createAsset(input: {spaceId: $s, kind: TOOLKIT, title: $t}) { asset { id } } }",
                json!({"s": space, "t": status}),
                "/createAsset/asset/id",
            )
            .await;
        if status != "DRAFT" {
            app.must(
                founder,
                "mutation($a: ID!, $r: ID!) { submitAssetForReview(input: {assetId: $a, reviewerIds: [$r]}) { asset { status } } }",
                json!({"a": id, "r": reviewer.id}),
                "/submitAssetForReview/asset/status",
            )
            .await;
        }
        if matches!(status, "PUBLISHED" | "RETIRED") {
            app.must(
                reviewer,
                "mutation($a: ID!) { reviewAsset(input: {assetId: $a, decision: APPROVE}) { asset { status } } }",
                json!({"a": id}),
                "/reviewAsset/asset/status",
            )
            .await;
        }
        if status == "RETIRED" {
            app.must(
                founder,
                "mutation($a: ID!) { retireAsset(input: {assetId: $a}) { asset { status } } }",
                json!({"a": id}),
                "/retireAsset/asset/status",
            )
            .await;
        }
        ids.push(id);
    }
    ids
}

struct World {
    app: TestApp,
    callers: Vec<Option<Person>>,
    cells: Vec<Cell>,
}

async fn build_world() -> World {
    let app = TestApp::spawn_with(|s| {
        s.max_aliases = 500;
        s.max_query_complexity = 10_000_000;
    })
    .await;
    let founder = app.person("founder").await;
    let people = [
        None,
        Some(app.person("stranger").await),
        Some(app.person("other-org-member").await),
        Some(app.person("member").await),
        Some(app.person("space-member").await),
        Some(app.person("moderator").await),
        Some(app.person("manager").await),
        Some(app.person("org-admin").await),
        Some(app.person("steward").await),
        Some(app.person(PLATFORM_ADMIN).await),
    ];
    let person = |i: usize| people[i].clone().expect("signed-in caller");
    let (other, member, space_member, moderator, manager, org_admin, steward) = (
        person(2),
        person(3),
        person(4),
        person(5),
        person(6),
        person(7),
        person(8),
    );

    let host = app.organization(&founder, "host-org").await;
    app.affiliate(&founder, &host, &org_admin, "ORG_ADMIN")
        .await;
    app.organization(&other, "other-org").await;

    let mut cells = Vec::new();
    for nv in NETWORKS {
        let network_slug = format!("net-{}", nv.to_lowercase());
        let network = app.network(&founder, &host, &network_slug, nv).await;
        app.steward(&founder, &network, &steward).await;
        let topic = app
            .must(
                &founder,
                "mutation($n: ID!) { createTopic(input: {networkId: $n, name: \"mapped\"}) { topic { id } } }",
                json!({"n": network}),
                "/createTopic/topic/id",
            )
            .await;
        let sibling = app
            .community(&founder, &network, "sibling", "PRIVATE", "OPEN")
            .await;
        app.enroll(&founder, &sibling, &other).await;
        for cv in COMMUNITIES {
            for sv in SPACES {
                let community_slug = format!("c-{}-{}", cv.to_lowercase(), sv.to_lowercase());
                // A cluster of this community alone, so that its sum is this cell's figures.
                let cluster = app
                    .must(
                        &founder,
                        "mutation($n: ID!, $s: String!) { createCluster(input: {networkId: $n, slug: $s, name: $s}) { cluster { id } } }",
                        json!({"n": network, "s": community_slug}),
                        "/createCluster/cluster/id",
                    )
                    .await;
                let community = app
                    .must(
                        &founder,
                        "mutation($n: ID!, $s: String!, $v: Visibility!, $k: ID!) { createCommunity(input: {networkId: $n, slug: $s, name: $s, visibility: $v, joinPolicy: OPEN, clusterIds: [$k]}) { community { id } } }",
                        json!({"n": network, "s": community_slug, "v": cv, "k": cluster}),
                        "/createCommunity/community/id",
                    )
                    .await;
                let space = app.space(&founder, &community, "the-space", sv).await;
                let started = app
                    .gql(
                        Some(&founder.token),
                        "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"matrix t\", body: \"b\"}) { thread { id } post { id } } }",
                        json!({"s": space}),
                    )
                    .await;
                started.ok();
                let (thread, post) = (
                    started.str("/startThread/thread/id"),
                    started.str("/startThread/post/id"),
                );
                for who in [&member, &space_member, &moderator, &manager] {
                    app.enroll(&founder, &community, who).await;
                }
                app.grant(&founder, &community, &moderator, "MODERATOR")
                    .await;
                app.grant(&founder, &community, &manager, "MANAGER").await;
                app.add_to_space(&founder, &space, &space_member).await;
                let when = json!({"title": "in the space", "startsAt": SOON.0, "endsAt": SOON.1});
                let space_event = app.event(&founder, json!({"spaceId": space}), when).await;
                let when = json!({"title": "community-wide", "startsAt": SOON.0, "endsAt": SOON.1});
                let community_event = app
                    .event(&founder, json!({"communityId": community}), when)
                    .await;
                let assets = assets_in(&app, &founder, &space_member, &space).await;
                // Someone known only through this community, expert on the network's topic.
                let expert = app.person(&format!("expert-{community_slug}-{nv}")).await;
                app.enroll(&founder, &community, &expert).await;
                app.must(
                    &expert,
                    "mutation($t: ID!) { setExpertise(input: {topicId: $t, level: EXPERT}) { expertise { level } } }",
                    json!({"t": topic}),
                    "/setExpertise/expertise/level",
                )
                .await;
                cells.push(Cell {
                    nv,
                    cv,
                    sv,
                    network: network.clone(),
                    network_slug: network_slug.clone(),
                    cluster,
                    community,
                    community_slug,
                    space,
                    thread,
                    post,
                    space_event,
                    community_event,
                    assets,
                    expert: expert.id.clone(),
                    topic: topic.clone(),
                });
            }
        }
    }
    World {
        app,
        callers: people.to_vec(),
        cells,
    }
}

/// Observed outcome of one cell on one path.
type Observed = Expected;

fn present(set: &HashSet<String>, id: &str) -> bool {
    set.contains(id)
}

async fn observe_node(world: &World, token: Option<&str>) -> Vec<(Observed, Option<String>)> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " n{i}: node(id: \"{}\") {{ id }} c{i}: node(id: \"{}\") {{ id }} s{i}: node(id: \"{}\") {{ id ... on Space {{ viewerCanRead }} }}",
            cell.network, cell.community, cell.space
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    world
        .cells
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let seen = |alias: String| {
                let value = response.at(&format!("/{alias}"));
                let code = response.code_at(&[alias.as_str()]);
                (!value.is_null(), code)
            };
            let (network, network_code) = seen(format!("n{i}"));
            let (community, community_code) = seen(format!("c{i}"));
            let (space, space_code) = seen(format!("s{i}"));
            let readable = response.at(&format!("/s{i}/viewerCanRead")) == &Value::Bool(true);
            // A hidden node must be NOT_FOUND, never FORBIDDEN or anything else.
            let bad_code = [
                (network, network_code),
                (community, community_code),
                (space, space_code),
            ]
            .into_iter()
            .find_map(|(shown, code)| match (shown, code) {
                (false, Some(code)) if code == "NOT_FOUND" => None,
                (true, None) => None,
                (_, code) => Some(format!("unexpected error code {code:?}")),
            });
            (
                Observed {
                    network,
                    community,
                    space,
                    readable,
                },
                bad_code,
            )
        })
        .collect()
}

async fn observe_lists(world: &World, token: Option<&str>) -> Vec<(Observed, Option<String>)> {
    let query = "{ networks(first: 100) { nodes { id communities(first: 100) { nodes { id spaces(first: 100) { nodes { id viewerCanRead } } } } } }
                   communities(first: 100) { nodes { id } } }";
    let response = world.app.gql(token, query, json!({})).await;
    response.ok();
    let mut networks = HashSet::new();
    let mut communities = HashSet::new();
    let mut spaces = BTreeMap::new();
    for network in response
        .at("/networks/nodes")
        .as_array()
        .into_iter()
        .flatten()
    {
        networks.insert(network["id"].as_str().unwrap_or_default().to_owned());
        for community in network
            .pointer("/communities/nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            communities.insert(community["id"].as_str().unwrap_or_default().to_owned());
            for space in community
                .pointer("/spaces/nodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                spaces.insert(
                    space["id"].as_str().unwrap_or_default().to_owned(),
                    space["viewerCanRead"] == true,
                );
            }
        }
    }
    let root: HashSet<String> = response
        .at("/communities/nodes")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    world
        .cells
        .iter()
        .map(|cell| {
            let in_root = present(&root, &cell.community);
            let in_nested = present(&communities, &cell.community);
            let mismatch = (in_root != in_nested)
                .then(|| "root and nested community lists disagree".to_owned());
            (
                Observed {
                    network: present(&networks, &cell.network),
                    community: in_nested,
                    space: spaces.contains_key(&cell.space),
                    readable: spaces.get(&cell.space).copied().unwrap_or(false),
                },
                mismatch,
            )
        })
        .collect()
}

async fn observe_counts(
    world: &World,
    token: Option<&str>,
    expected_networks: u64,
) -> Vec<(Observed, Option<String>)> {
    let mut query = String::from("{ networks { totalCount }");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " k{i}: communities(filter: {{networkId: \"{}\", search: \"{}\"}}) {{ totalCount nodes {{ memberCount spaces {{ totalCount nodes {{ viewerCanRead }} }} }} }}",
            cell.network, cell.community_slug
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    response.ok();
    let networks_total = response.at("/networks/totalCount").as_u64();
    world
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let count = response
                .at(&format!("/k{i}/totalCount"))
                .as_u64()
                .unwrap_or(99);
            let members = response.at(&format!("/k{i}/nodes/0/memberCount")).as_u64();
            let spaces = response
                .at(&format!("/k{i}/nodes/0/spaces/totalCount"))
                .as_u64()
                .unwrap_or(0);
            let mut problem = None;
            if networks_total != Some(expected_networks) {
                problem = Some(format!(
                    "networks.totalCount {networks_total:?}, expected {expected_networks}"
                ));
            }
            if count == 1 && members != Some(MEMBERS_PER_COMMUNITY) {
                problem = Some(format!(
                    "memberCount {members:?}, expected {MEMBERS_PER_COMMUNITY}"
                ));
            }
            if count > 1 || spaces > 1 {
                problem = Some(format!(
                    "count {count} / spaces {spaces} above 1 in {}",
                    cell.community_slug
                ));
            }
            (
                Observed {
                    // The network count is checked above; the cell's network is visible iff
                    // the filtered list could be asked about it at all.
                    network: networks_total == Some(expected_networks)
                        && (cell.nv == "PUBLIC" || expected_networks == 2),
                    community: count == 1,
                    space: spaces == 1,
                    readable: response.at(&format!("/k{i}/nodes/0/spaces/nodes/0/viewerCanRead"))
                        == &Value::Bool(true),
                },
                problem,
            )
        })
        .collect()
}

async fn observe_slugs(world: &World, token: Option<&str>) -> Vec<(Observed, Option<String>)> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " l{i}: network(slug: \"{}\") {{ id community(slug: \"{}\") {{ id space(slug: \"the-space\") {{ id viewerCanRead }} }} }}",
            cell.network_slug, cell.community_slug
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    world
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let alias = format!("l{i}");
            let network =
                response.at(&format!("/{alias}/id")).as_str() == Some(cell.network.as_str());
            let community = response.at(&format!("/{alias}/community/id")).as_str()
                == Some(cell.community.as_str());
            let space = response
                .at(&format!("/{alias}/community/space/id"))
                .as_str()
                == Some(cell.space.as_str());
            let readable = response.at(&format!("/{alias}/community/space/viewerCanRead"))
                == &Value::Bool(true);
            let hidden_at: Vec<&str> = match (network, community, space) {
                (false, _, _) => vec![alias.as_str()],
                (true, false, _) => vec![alias.as_str(), "community"],
                (true, true, false) => vec![alias.as_str(), "community", "space"],
                (true, true, true) => vec![],
            };
            let problem = if hidden_at.is_empty() {
                None
            } else {
                match response.code_at(&hidden_at) {
                    Some(code) if code == "NOT_FOUND" => None,
                    other => Some(format!(
                        "hidden at {hidden_at:?} with code {other:?}, expected NOT_FOUND"
                    )),
                }
            };
            (
                Observed {
                    network,
                    community,
                    space,
                    readable,
                },
                problem,
            )
        })
        .collect()
}

/// Whether a cell's thread and post were seen, and what was wrong.
type Seen = (bool, Option<String>);

async fn observe_thread_nodes(world: &World, token: Option<&str>) -> Vec<Seen> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " t{i}: node(id: \"{}\") {{ id }} p{i}: node(id: \"{}\") {{ id ... on Post {{ body }} }}",
            cell.thread, cell.post
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    (0..world.cells.len())
        .map(|i| {
            let thread = !response.at(&format!("/t{i}")).is_null();
            let post = response.at(&format!("/p{i}/body")) == &json!("b");
            let mut problem =
                (thread != post).then(|| format!("thread seen {thread}, post seen {post}"));
            for (alias, seen) in [(format!("t{i}"), thread), (format!("p{i}"), post)] {
                let code = response.code_at(&[alias.as_str()]);
                if !seen && code.as_deref() != Some("NOT_FOUND") {
                    problem = Some(format!(
                        "{alias} hidden with code {code:?}, expected NOT_FOUND"
                    ));
                }
            }
            (thread, problem)
        })
        .collect()
}

async fn observe_thread_lists(world: &World, token: Option<&str>) -> Vec<Seen> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " s{i}: node(id: \"{}\") {{ ... on Space {{ threads {{ totalCount nodes {{ id postCount viewerUnreadCount posts {{ totalCount nodes {{ id }} }} }} }} }} }}",
            cell.space
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    world
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let base = format!("/s{i}/threads");
            let listed =
                response.at(&format!("{base}/nodes/0/id")).as_str() == Some(cell.thread.as_str());
            let mut problem = None;
            if listed {
                // The founder wrote the only post: unread for every signed-in reader.
                let expected_unread = u64::from(token.is_some());
                let counts = (
                    response.at(&format!("{base}/totalCount")).as_u64(),
                    response.at(&format!("{base}/nodes/0/postCount")).as_u64(),
                    response
                        .at(&format!("{base}/nodes/0/posts/totalCount"))
                        .as_u64(),
                    response
                        .at(&format!("{base}/nodes/0/posts/nodes/0/id"))
                        .as_str()
                        == Some(cell.post.as_str()),
                    response
                        .at(&format!("{base}/nodes/0/viewerUnreadCount"))
                        .as_u64(),
                );
                if counts != (Some(1), Some(1), Some(1), true, Some(expected_unread)) {
                    problem = Some(format!("counts {counts:?}"));
                }
            } else {
                let code = response
                    .code_at(&[&format!("s{i}"), "threads"])
                    .or_else(|| response.code_at(&[&format!("s{i}")]));
                if !matches!(code.as_deref(), Some("NOT_FOUND" | "FORBIDDEN")) {
                    problem = Some(format!("threads withheld with code {code:?}"));
                }
            }
            (listed, problem)
        })
        .collect()
}

/// Whether each cell's thread is a hit of one search over everything the caller may read,
/// whose `totalCount` and `countsByType` count exactly the hits.
async fn observe_search(world: &World, token: Option<&str>) -> Vec<Seen> {
    let response = world
        .app
        .gql(
            token,
            "{ search(query: \"matrix\", types: [THREAD], first: 50) { totalCount countsByType { type count } edges { node { ... on Thread { id } } } } }",
            json!({}),
        )
        .await;
    let found: HashSet<String> = response
        .at("/search/edges")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
        .collect();
    let total = response.at("/search/totalCount").as_u64();
    let by_type = response.at("/search/countsByType/0/count").as_u64();
    let problem = (total != Some(found.len() as u64) || by_type.unwrap_or(0) != found.len() as u64)
        .then(|| {
            format!(
                "{} hits, totalCount {total:?}, THREAD count {by_type:?}",
                found.len()
            )
        });
    world
        .cells
        .iter()
        .map(|cell| (present(&found, &cell.thread), problem.clone()))
        .collect()
}

/// Whether each cell's thread is found by a search narrowed to its community (hidden
/// communities are `NOT_FOUND`; a visible one with an unreadable space finds and counts
/// nothing).
async fn observe_narrowed_search(world: &World, token: Option<&str>) -> Vec<Seen> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " s{i}: search(query: \"matrix\", communityId: \"{}\") {{ totalCount edges {{ node {{ ... on Thread {{ id }} }} }} }}",
            cell.community
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    world
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let base = format!("/s{i}");
            let hit = response.at(&format!("{base}/edges/0/node/id")).as_str()
                == Some(cell.thread.as_str());
            let total = response.at(&format!("{base}/totalCount")).as_u64();
            let problem = match (hit, total) {
                (true, Some(1)) | (false, Some(0)) => None,
                (false, None) => {
                    let code = response.code_at(&[&format!("s{i}")]);
                    (code.as_deref() != Some("NOT_FOUND"))
                        .then(|| format!("withheld with code {code:?}, expected NOT_FOUND"))
                }
                (_, total) => Some(format!("found {hit} with totalCount {total:?}")),
            };
            (hit, problem)
        })
        .collect()
}

/// Boolean cells as they are checked: how many, and what failed, each named by its cell.
#[derive(Default)]
struct Tally {
    cells: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Counts one cell, recording a mismatch with what DOMAIN.md says and any problem seen.
    fn check(&mut self, caller: &Caller, cell: &Cell, path: &str, seen: Seen, want: bool) {
        self.cells += 1;
        let name = format!(
            "[{} | network {} | community {} | space {} | {path}]",
            caller.name, cell.nv, cell.cv, cell.sv
        );
        let (seen, problem) = seen;
        if seen != want {
            self.failures
                .push(format!("{name} expected visible = {want}, observed {seen}"));
        }
        if let Some(problem) = problem {
            self.failures.push(format!("{name} {problem}"));
        }
    }
}

/// An event access path: its name, what was seen per cell, and what should have been.
type EventPath = (&'static str, Vec<Seen>, fn(Expected) -> bool);

/// Whether each cell's space event and community event were seen through `node(id)`.
async fn observe_event_nodes(world: &World, token: Option<&str>) -> (Vec<Seen>, Vec<Seen>) {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " s{i}: node(id: \"{}\") {{ ... on Event {{ title }} }} c{i}: node(id: \"{}\") {{ ... on Event {{ title }} }}",
            cell.space_event, cell.community_event
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    let seen = |alias: String, title: &str| {
        let shown = response.at(&format!("/{alias}/title")) == &json!(title);
        let code = response.code_at(&[alias.as_str()]);
        let problem = (!shown && code.as_deref() != Some("NOT_FOUND"))
            .then(|| format!("{alias} hidden with code {code:?}, expected NOT_FOUND"));
        (shown, problem)
    };
    (0..world.cells.len())
        .map(|i| {
            (
                seen(format!("s{i}"), "in the space"),
                seen(format!("c{i}"), "community-wide"),
            )
        })
        .unzip()
}

/// Whether each cell's space event is in `Community.events` (with a `totalCount` that
/// counts what is listed), for communities the caller sees.
async fn observe_event_lists(world: &World, token: Option<&str>) -> Vec<Seen> {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " c{i}: node(id: \"{}\") {{ ... on Community {{ events(from: \"2027-03-01T00:00:00Z\", to: \"2027-03-31T00:00:00Z\") {{ totalCount nodes {{ event {{ title }} }} }} }} }}",
            cell.community
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    (0..world.cells.len())
        .map(|i| {
            let nodes = response.at(&format!("/c{i}/events/nodes"));
            let titles: Vec<&str> = nodes
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n["event"]["title"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            let total = response.at(&format!("/c{i}/events/totalCount")).as_u64();
            let listed = titles.contains(&"in the space");
            let community_seen = !response.at(&format!("/c{i}")).is_null();
            let mut problem = None;
            if community_seen
                && (!titles.contains(&"community-wide") || total != Some(titles.len() as u64))
            {
                problem = Some(format!("listed {titles:?} with totalCount {total:?}"));
            }
            (listed, problem)
        })
        .collect()
}

/// Whether each cell's space event is in the community's ICS feed, read with the caller's
/// calendar token (anonymous callers: none). A hidden community's feed is 404.
async fn observe_feeds(world: &World, person: Option<&Person>) -> Vec<Seen> {
    let query = match person {
        Some(p) => {
            let made = world
                .app
                .gql(
                    Some(&p.token),
                    "mutation { createCalendarToken(input: {}) { token } }",
                    json!({}),
                )
                .await;
            format!("?token={}", made.str("/createCalendarToken/token"))
        }
        None => String::new(),
    };
    let mut out = Vec::new();
    for cell in &world.cells {
        let (status, body) = world
            .app
            .get(
                &format!("/calendar/communities/{}.ics{query}", cell.community),
                &[],
            )
            .await;
        let listed = status == 200 && body.contains("SUMMARY:in the space");
        let problem = match status {
            200 if !body.contains("SUMMARY:community-wide") => {
                Some("feed without its community-wide event".to_owned())
            }
            200 | 404 => None,
            other => Some(format!("feed answered {other}")),
        };
        out.push((listed, problem));
    }
    out
}

/// Whether each cell's assets (per status) are seen through `node(id)`, through
/// `Space.assets` and through `Community.assets` (each list with a `totalCount` that counts
/// what it lists).
async fn observe_assets(world: &World, token: Option<&str>) -> [Vec<Vec<Seen>>; 3] {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        for (j, asset) in cell.assets.iter().enumerate() {
            query.push_str(&format!(
                " a{i}_{j}: node(id: \"{asset}\") {{ ... on Asset {{ id }} }}"
            ));
        }
        query.push_str(&format!(
            " s{i}: node(id: \"{}\") {{ ... on Space {{ assets {{ totalCount nodes {{ id }} }} }} }} c{i}: node(id: \"{}\") {{ ... on Community {{ assets {{ totalCount nodes {{ id }} }} }} }}",
            cell.space, cell.community
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    let listed = |base: String| -> (Vec<String>, Option<String>) {
        let ids: Vec<String> = response
            .at(&format!("{base}/assets/nodes"))
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let total = response.at(&format!("{base}/assets/totalCount")).as_u64();
        let problem = (total.is_some() && total != Some(ids.len() as u64))
            .then(|| format!("{base} lists {} with totalCount {total:?}", ids.len()));
        (ids, problem)
    };
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    for (i, cell) in world.cells.iter().enumerate() {
        let (in_space, space_problem) = listed(format!("/s{i}"));
        let (in_community, community_problem) = listed(format!("/c{i}"));
        let mut nodes = Vec::new();
        let mut spaces = Vec::new();
        let mut communities = Vec::new();
        for (j, asset) in cell.assets.iter().enumerate() {
            let alias = format!("a{i}_{j}");
            let shown = response.at(&format!("/{alias}/id")).as_str() == Some(asset.as_str());
            let code = response.code_at(&[alias.as_str()]);
            let problem = (!shown && code.as_deref() != Some("NOT_FOUND"))
                .then(|| format!("{alias} hidden with code {code:?}, expected NOT_FOUND"));
            nodes.push((shown, problem));
            spaces.push((in_space.contains(asset), space_problem.clone()));
            communities.push((in_community.contains(asset), community_problem.clone()));
        }
        out[0].push(nodes);
        out[1].push(spaces);
        out[2].push(communities);
    }
    out
}

/// The expertise paths (rule 8): a cell's expert, a member of its community only, and their
/// expertise are seen exactly when the community is, through `node(id) { expertise }` and
/// through `LearningNetwork.experts` with its count.
async fn observe_expertise(world: &World, token: Option<&str>) -> [Vec<Seen>; 2] {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " p{i}: node(id: \"{}\") {{ ... on Person {{ expertise {{ topic {{ id }} level }} }} }}",
            cell.expert
        ));
    }
    let mut networks: Vec<(&str, &str)> = world
        .cells
        .iter()
        .map(|c| (c.network.as_str(), c.topic.as_str()))
        .collect();
    networks.sort_unstable();
    networks.dedup();
    for (j, (network, topic)) in networks.iter().enumerate() {
        query.push_str(&format!(
            " x{j}: node(id: \"{network}\") {{ ... on LearningNetwork {{ experts(topicId: \"{topic}\", first: 100) {{ totalCount nodes {{ id }} }} }} }}"
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    let mut nodes = Vec::new();
    let mut lists = Vec::new();
    for (i, cell) in world.cells.iter().enumerate() {
        let shown = response.at(&format!("/p{i}/expertise/0/topic/id")).as_str()
            == Some(cell.topic.as_str());
        let code = response.code_at(&[&format!("p{i}")]);
        let problem = (!shown && code.as_deref() != Some("NOT_FOUND"))
            .then(|| format!("p{i} hidden with code {code:?}, expected NOT_FOUND"));
        nodes.push((shown, problem));
        let j = networks
            .iter()
            .position(|(n, _)| *n == cell.network)
            .unwrap_or_default();
        let listed: Vec<&str> = response
            .at(&format!("/x{j}/experts/nodes"))
            .as_array()
            .map(|a| a.iter().filter_map(|n| n["id"].as_str()).collect())
            .unwrap_or_default();
        let total = response.at(&format!("/x{j}/experts/totalCount")).as_u64();
        let problem = (total.is_some() && total != Some(listed.len() as u64))
            .then(|| format!("experts lists {} with totalCount {total:?}", listed.len()));
        lists.push((listed.contains(&cell.expert.as_str()), problem));
    }
    [nodes, lists]
}

/// The suggestion path (rule 8): every signed-in caller wants to learn the networks' topics,
/// so each cell's expert is suggested to them exactly when the caller sees that expert, that
/// is when the cell's community is visible (anonymous callers get no suggestions).
async fn observe_suggestions(world: &World, person: Option<&Person>) -> Vec<Seen> {
    let token = person.map(|p| p.token.as_str());
    let mut networks: Vec<(&str, &str)> = world
        .cells
        .iter()
        .map(|c| (c.network.as_str(), c.topic.as_str()))
        .collect();
    networks.sort_unstable();
    networks.dedup();
    if person.is_some() {
        for (_, topic) in &networks {
            // Hidden networks' topics are NOT_FOUND: nothing to declare there.
            world
                .app
                .gql(
                    token,
                    "mutation($t: ID!) { setInterest(input: {topicId: $t}) { topic { id } } }",
                    json!({"t": topic}),
                )
                .await;
        }
    }
    let mut query = String::from("{");
    for (j, (network, _)) in networks.iter().enumerate() {
        query.push_str(&format!(
            " s{j}: suggestions(networkId: \"{network}\") {{ people {{ person {{ id }} }} }}"
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    world
        .cells
        .iter()
        .map(|cell| {
            let j = networks
                .iter()
                .position(|(n, _)| *n == cell.network)
                .unwrap_or_default();
            let suggested: Vec<&str> = response
                .at(&format!("/s{j}/people"))
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p["person"]["id"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            let shown = suggested.contains(&cell.expert.as_str());
            let code = response.code_at(&[&format!("s{j}")]);
            let hidden_network = response.at(&format!("/s{j}")).is_null();
            let problem = (hidden_network && code.as_deref() != Some("NOT_FOUND"))
                .then(|| format!("suggestions withheld with code {code:?}, expected NOT_FOUND"));
            (shown, problem)
        })
        .collect()
}

/// Each cell's community figures as its members would see them: six members, one post.
const CELL_HEALTH: (u64, u64) = (MEMBERS_PER_COMMUNITY, 1);
/// Each cell's circles: the founder, the moderator and the manager are CORE; the member, the
/// space member and the expert joined just now without three contributions: NEW.
const CELL_CIRCLES: [u64; 4] = [3, 0, 0, 3];

/// The figures paths (rule 7): a cell community's `health` through `node(id)` and the sum of
/// its cluster (of this community alone) are shown with the community's whole figures
/// exactly when the community is visible; `Community.circles` exactly when the caller is
/// also a member of it. Returns [community health, cluster health, circles].
async fn observe_figures(world: &World, token: Option<&str>) -> [Vec<Seen>; 3] {
    let mut query = String::from("{");
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " c{i}: node(id: \"{}\") {{ ... on Community {{ health {{ communities members postsLast30Days }} circles {{ core inner outer new }} }} }} k{i}: node(id: \"{}\") {{ ... on RegionalCluster {{ health {{ communities members postsLast30Days }} }} }}",
            cell.community, cell.cluster
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    let figures = |base: String| {
        let health = response.at(&format!("{base}/health"));
        let read = |field: &str| health[field].as_u64();
        match (
            read("communities"),
            read("members"),
            read("postsLast30Days"),
        ) {
            (Some(1), Some(m), Some(p)) if (m, p) == CELL_HEALTH => (true, None),
            (Some(0), Some(0), Some(0)) => (false, None),
            (None, None, None) => (false, None),
            other => (
                false,
                Some(format!(
                    "health {other:?}, expected 1 community with {CELL_HEALTH:?} or none"
                )),
            ),
        }
    };
    let hidden = |alias: String| {
        let code = response.code_at(&[alias.as_str()]);
        (response.at(&format!("/{alias}")).is_null() && code.as_deref() != Some("NOT_FOUND"))
            .then(|| format!("{alias} hidden with code {code:?}, expected NOT_FOUND"))
    };
    let mut out: [Vec<Seen>; 3] = Default::default();
    for i in 0..world.cells.len() {
        let (shown, problem) = figures(format!("/c{i}"));
        out[0].push((shown, problem.or_else(|| hidden(format!("c{i}")))));
        let (shown, problem) = figures(format!("/k{i}"));
        // A visible cluster whose community is hidden sums nothing (0, never the figures).
        let problem = problem.or_else(|| {
            let network_seen = !response.at(&format!("/k{i}")).is_null();
            (network_seen
                && !shown
                && response.at(&format!("/k{i}/health/communities")) != &json!(0))
                .then(|| "a visible cluster without health".to_owned())
        });
        out[1].push((shown, problem.or_else(|| hidden(format!("k{i}")))));
        let circles = response.at(&format!("/c{i}/circles"));
        let counts: Vec<u64> = ["core", "inner", "outer", "new"]
            .iter()
            .filter_map(|c| circles[*c].as_u64())
            .collect();
        let shown = !circles.is_null();
        let problem = (shown && counts != CELL_CIRCLES)
            .then(|| format!("circles {counts:?}, expected {CELL_CIRCLES:?}"));
        out[2].push((shown, problem));
    }
    out
}

/// A network's `health` as a caller sees it: `(network visibility, communities, members)`.
type NetworkFigures = (&'static str, Option<u64>, Option<u64>);

/// The network-wide sums (rule 7): each network's `health` counts exactly the communities
/// the caller sees, each with its members.
async fn observe_network_health(world: &World, token: Option<&str>) -> Vec<NetworkFigures> {
    let mut networks: Vec<(&str, &'static str)> = world
        .cells
        .iter()
        .map(|c| (c.network.as_str(), c.nv))
        .collect();
    networks.dedup();
    let mut query = String::from("{");
    for (j, (network, _)) in networks.iter().enumerate() {
        query.push_str(&format!(
            " n{j}: node(id: \"{network}\") {{ ... on LearningNetwork {{ health {{ communities members }} }} }}"
        ));
    }
    query.push('}');
    let response = world.app.gql(token, &query, json!({})).await;
    networks
        .iter()
        .enumerate()
        .map(|(j, (_, nv))| {
            let health = response.at(&format!("/n{j}/health"));
            (
                *nv,
                health["communities"].as_u64(),
                health["members"].as_u64(),
            )
        })
        .collect()
}

/// What a caller's network `health` should sum: the cells' communities they see (six members
/// each) and the private sibling community for its member (the founder and them).
fn expected_network_health(caller: &Caller, nv: &'static str) -> NetworkFigures {
    let network = expected(caller, nv, "PUBLIC", "PUBLIC").network;
    if !network {
        return (nv, None, None);
    }
    let seen = COMMUNITIES
        .iter()
        .filter(|cv| expected(caller, nv, cv, "PUBLIC").community)
        .count() as u64
        * SPACES.len() as u64;
    let sibling = u64::from(caller.name == "member of another organization");
    (
        nv,
        Some(seen + sibling),
        Some(seen * MEMBERS_PER_COMMUNITY + sibling * 2),
    )
}

/// The digest paths: each cell's thread is among a digest's top threads, and named in its
/// HTML, exactly when its space is readable; through the digest of its community (a hidden
/// one is `NOT_FOUND`) and through that of its network. Returns [community, network].
async fn observe_digests(world: &World, token: Option<&str>) -> [Vec<Seen>; 2] {
    let from = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let to = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let mut networks: Vec<&str> = world.cells.iter().map(|c| c.network.as_str()).collect();
    networks.dedup();
    let mut query = String::from("query($f: DateTime!, $t: DateTime!) {");
    let digest = "topThreads { thread { id } postsInPeriod } newMemberCount html";
    for (i, cell) in world.cells.iter().enumerate() {
        query.push_str(&format!(
            " d{i}: digest(communityId: \"{}\", from: $f, to: $t) {{ {digest} }}",
            cell.community
        ));
    }
    for (j, network) in networks.iter().enumerate() {
        query.push_str(&format!(
            " n{j}: digest(networkId: \"{network}\", from: $f, to: $t) {{ {digest} }}"
        ));
    }
    query.push('}');
    let response = world
        .app
        .gql(token, &query, json!({"f": from, "t": to}))
        .await;
    let threads = |alias: &str| -> Vec<String> {
        response
            .at(&format!("/{alias}/topThreads"))
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["thread"]["id"].as_str().map(str::to_owned))
            .collect()
    };
    let mut out: [Vec<Seen>; 2] = Default::default();
    for (i, cell) in world.cells.iter().enumerate() {
        let alias = format!("d{i}");
        let listed = threads(&alias);
        let shown = listed.contains(&cell.thread);
        let html = response
            .at(&format!("/{alias}/html"))
            .as_str()
            .unwrap_or_default();
        let joined = response.at(&format!("/{alias}/newMemberCount")).as_u64();
        let code = response.code_at(&[alias.as_str()]);
        let problem = if response.at(&format!("/{alias}")).is_null() {
            (code.as_deref() != Some("NOT_FOUND"))
                .then(|| format!("digest withheld with code {code:?}, expected NOT_FOUND"))
        } else if shown != html.contains("matrix t") || listed.len() > 1 {
            Some(format!("top threads {listed:?} against HTML {html}"))
        } else {
            (joined != Some(MEMBERS_PER_COMMUNITY))
                .then(|| format!("newMemberCount {joined:?}, expected {MEMBERS_PER_COMMUNITY}"))
        };
        out[0].push((shown, problem));
        let j = networks
            .iter()
            .position(|n| *n == cell.network)
            .unwrap_or_default();
        out[1].push((threads(&format!("n{j}")).contains(&cell.thread), None));
    }
    out
}

/// The subscription path: every caller watches `eventChanged` of every cell's community; the
/// founder then schedules a space event and a community-wide marker in each. A hidden
/// community's subscription is refused with `NOT_FOUND`; a visible one delivers the space
/// event before the marker exactly when the caller reads the space.
async fn observe_event_subscriptions(world: &World) -> Vec<Vec<Seen>> {
    const WATCH: &str =
        "subscription($c: ID!) { eventChanged(communityId: $c) { event { title } } }";
    let mut clients = Vec::new();
    for person in &world.callers {
        let mut client = world
            .app
            .subscriber(person.as_ref().map(|p| p.token.as_str()))
            .await;
        for (i, cell) in world.cells.iter().enumerate() {
            client
                .subscribe(&format!("c{i}"), WATCH, json!({"c": cell.community}))
                .await;
        }
        clients.push(client);
    }
    for cell in &world.cells {
        let watchers = CALLERS
            .iter()
            .filter(|c| expected(c, cell.nv, cell.cv, cell.sv).community)
            .count();
        let id = CommunityId::from(copnet_tests::uuid_of(&cell.community));
        world
            .app
            .subscribed(Topic::CommunityEvents(id), watchers)
            .await;
    }
    let founder = world.app.person("founder").await;
    for cell in &world.cells {
        let when = json!({"title": "live in the space", "startsAt": SOON.0, "endsAt": SOON.1});
        world
            .app
            .event(&founder, json!({"spaceId": cell.space}), when)
            .await;
        let when = json!({"title": "live marker", "startsAt": SOON.0, "endsAt": SOON.1});
        world
            .app
            .event(&founder, json!({"communityId": cell.community}), when)
            .await;
    }
    let mut out = Vec::new();
    for mut client in clients {
        let mut seen: Vec<Option<Seen>> = vec![None; world.cells.len()];
        let mut space_event = vec![false; world.cells.len()];
        while seen.iter().any(Option::is_none) {
            let message = match client.next(std::time::Duration::from_secs(10)).await {
                WsEvent::Message(m) => m,
                other => {
                    for slot in seen.iter_mut().filter(|s| s.is_none()) {
                        *slot = Some((false, Some(format!("no delivery, got {other:?}"))));
                    }
                    break;
                }
            };
            let Some(i) = message["id"]
                .as_str()
                .and_then(|id| id.strip_prefix('c'))
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|i| *i < world.cells.len())
            else {
                continue;
            };
            let refused = message["type"] == "error"
                || (message["type"] == "next" && message["payload"]["errors"].is_array());
            if refused {
                let text = message["payload"].to_string();
                let problem = (!text.contains("NOT_FOUND")).then(|| format!("refused with {text}"));
                seen[i] = Some((false, problem));
                continue;
            }
            if message["type"] != "next" {
                continue;
            }
            match message["payload"]["data"]["eventChanged"]["event"]["title"].as_str() {
                Some("live in the space") => space_event[i] = true,
                Some("live marker") => seen[i] = Some((space_event[i], None)),
                other => seen[i] = Some((false, Some(format!("unexpected event {other:?}")))),
            }
        }
        out.push(seen.into_iter().map(Option::unwrap_or_default).collect());
    }
    out
}

#[tokio::test]
async fn every_caller_sees_exactly_what_the_visibility_rules_allow_on_every_access_path() {
    let world = build_world().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    let mut tally = Tally::default();
    for (caller, person) in CALLERS.iter().zip(&world.callers) {
        let token = person.as_ref().map(|p| p.token.as_str());
        let expected_networks = if caller.network_member { 2 } else { 1 };
        let paths = [
            ("node(id)", observe_node(&world, token).await),
            ("list field", observe_lists(&world, token).await),
            (
                "totalCount/memberCount",
                observe_counts(&world, token, expected_networks).await,
            ),
            ("slug lookup", observe_slugs(&world, token).await),
        ];
        for (path, observed) in paths {
            for (cell, (seen, problem)) in world.cells.iter().zip(observed) {
                cells += 1;
                let want = expected(caller, cell.nv, cell.cv, cell.sv);
                let name = format!(
                    "[{} | network {} | community {} | space {} | {path}]",
                    caller.name, cell.nv, cell.cv, cell.sv
                );
                if seen != want {
                    failures.push(format!("{name} expected {want:?}, observed {seen:?}"));
                }
                if let Some(problem) = problem {
                    failures.push(format!("{name} {problem}"));
                }
            }
        }
        let thread_paths = [
            (
                "thread and post via node(id)",
                observe_thread_nodes(&world, token).await,
            ),
            (
                "threads list, counts and unread counts",
                observe_thread_lists(&world, token).await,
            ),
        ];
        for (path, observed) in thread_paths {
            for (cell, seen) in world.cells.iter().zip(observed) {
                let want = expected(caller, cell.nv, cell.cv, cell.sv).readable;
                tally.check(caller, cell, path, seen, want);
            }
        }
        let (space_events, community_events) = observe_event_nodes(&world, token).await;
        let event_paths: [EventPath; 4] = [
            ("space event via node(id)", space_events, |e| e.readable),
            ("community event via node(id)", community_events, |e| {
                e.community
            }),
            (
                "Community.events and its totalCount",
                observe_event_lists(&world, token).await,
                |e| e.readable,
            ),
            (
                "ICS feed with the caller's token",
                observe_feeds(&world, person.as_ref()).await,
                |e| e.readable,
            ),
        ];
        for (path, observed, wanted) in event_paths {
            for (cell, seen) in world.cells.iter().zip(observed) {
                let want = wanted(expected(caller, cell.nv, cell.cv, cell.sv));
                tally.check(caller, cell, path, seen, want);
            }
        }
        let [people, experts] = observe_expertise(&world, token).await;
        for (path, observed) in [
            ("expertise via node(id)", people),
            ("LearningNetwork.experts and its totalCount", experts),
        ] {
            for (cell, seen) in world.cells.iter().zip(observed) {
                let want = expected(caller, cell.nv, cell.cv, cell.sv).community;
                tally.check(caller, cell, path, seen, want);
            }
        }
        let suggested = observe_suggestions(&world, person.as_ref()).await;
        for (cell, seen) in world.cells.iter().zip(suggested) {
            let want = person.is_some() && expected(caller, cell.nv, cell.cv, cell.sv).community;
            tally.check(caller, cell, "Query.suggestions", seen, want);
        }
        for (path, observed) in [
            (
                "Query.search hits and counts",
                observe_search(&world, token).await,
            ),
            (
                "Query.search narrowed to the community",
                observe_narrowed_search(&world, token).await,
            ),
        ] {
            for (cell, seen) in world.cells.iter().zip(observed) {
                let want = expected(caller, cell.nv, cell.cv, cell.sv).readable;
                tally.check(caller, cell, path, seen, want);
            }
        }
        let [health, cluster, circles] = observe_figures(&world, token).await;
        let [community_digest, network_digest] = observe_digests(&world, token).await;
        let figure_paths: [EventPath; 4] = [
            ("Community.health via node(id)", health, |e| e.community),
            ("RegionalCluster.health of its cluster", cluster, |e| {
                e.community
            }),
            ("Query.digest of the community", community_digest, |e| {
                e.readable
            }),
            ("Query.digest of the network", network_digest, |e| {
                e.readable
            }),
        ];
        for (path, observed, wanted) in figure_paths {
            for (cell, seen) in world.cells.iter().zip(observed) {
                let want = wanted(expected(caller, cell.nv, cell.cv, cell.sv));
                tally.check(caller, cell, path, seen, want);
            }
        }
        for (cell, seen) in world.cells.iter().zip(circles) {
            let want =
                caller.community_member && expected(caller, cell.nv, cell.cv, cell.sv).community;
            tally.check(caller, cell, "Community.circles (members only)", seen, want);
        }
        for seen in observe_network_health(&world, token).await {
            cells += 1;
            let want = expected_network_health(caller, seen.0);
            if seen != want {
                failures.push(format!(
                    "[{} | network {} | LearningNetwork.health] expected (communities, members) {:?}, observed {:?}",
                    caller.name, seen.0, (want.1, want.2), (seen.1, seen.2)
                ));
            }
        }
        let [nodes, spaces, communities] = observe_assets(&world, token).await;
        for (path, observed) in [
            ("asset via node(id)", nodes),
            ("Space.assets and its totalCount", spaces),
            ("Community.assets and its totalCount", communities),
        ] {
            for (cell, per_status) in world.cells.iter().zip(observed) {
                for (status, seen) in ASSET_STATUSES.iter().zip(per_status) {
                    let want =
                        sees_asset(caller, expected(caller, cell.nv, cell.cv, cell.sv), status);
                    tally.check(
                        caller,
                        cell,
                        &format!("{status} asset | {path}"),
                        seen,
                        want,
                    );
                }
            }
        }
    }
    let live = observe_event_subscriptions(&world).await;
    for (caller, observed) in CALLERS.iter().zip(live) {
        for (cell, seen) in world.cells.iter().zip(observed) {
            let want = expected(caller, cell.nv, cell.cv, cell.sv).readable;
            tally.check(caller, cell, "eventChanged subscription", seen, want);
        }
    }
    let Tally {
        cells: tallied,
        failures: more,
    } = tally;
    cells += tallied;
    failures.extend(more);
    assert_eq!(cells, 5940 + 10 * 2, "the matrix must cover every cell");
    assert!(
        failures.is_empty(),
        "{} failing cells:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
