//! Every `viewerCan…` field answers whether its mutation would succeed: for each caller of
//! the authorization matrix and each target (spaces, threads, posts and communities in every
//! state that matters: members-only and private, archived, locked, written by the caller, by
//! someone who left), the field is read, then the mutation is run, and the two must agree.
//! A hidden target has no field to read, and its mutation must be `NOT_FOUND` (anonymous
//! callers: `UNAUTHENTICATED`, whatever exists).

use copnet_tests::{PLATFORM_ADMIN, TestApp, fixtures::Person};
use serde_json::{Value, json};

const CALLERS: [&str; 10] = [
    "anonymous",
    "stranger",
    "other-org-member",
    "member",
    "space-member",
    "moderator",
    "manager",
    "org-admin",
    "steward",
    PLATFORM_ADMIN,
];

/// One ability and the mutation it predicts.
struct Check {
    label: String,
    /// The target's global ID (read through `node(id:)`).
    node: String,
    /// The fragment reading the ability, and the field's name.
    fragment: &'static str,
    field: &'static str,
    /// The mutation, its variables, and the payload's ID pointer.
    mutation: &'static str,
    variables: Value,
    payload: &'static str,
    /// What undoes a successful mutation, so that later checks see the same world.
    undo: Option<(&'static str, Value)>,
}

const START: &str = "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }";
const REPLY: &str =
    "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"reply\"}) { post { id } } }";
const LOCK: &str = "mutation($t: ID!, $l: Boolean) { lockThread(input: {threadId: $t, locked: $l}) { thread { id } } }";
const EDIT: &str =
    "mutation($p: ID!) { editPost(input: {postId: $p, body: \"b\"}) { post { id } } }";
const HIDE: &str =
    "mutation($p: ID!) { hidePost(input: {postId: $p, hidden: false}) { post { id } } }";
const REACT: &str =
    "mutation($p: ID!) { addReaction(input: {postId: $p, emoji: HEART}) { post { id } } }";
const UNREACT: &str =
    "mutation($p: ID!) { removeReaction(input: {postId: $p, emoji: HEART}) { post { id } } }";
const DELETE: &str = "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { id } } }";
const MANAGE: &str = "mutation($c: ID!) { updateCommunity(input: {communityId: $c, description: \"d\"}) { community { id } } }";
const JOIN: &str =
    "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }";
const LEAVE: &str =
    "mutation($c: ID!) { leaveCommunity(input: {communityId: $c}) { membership { id } } }";
const ASK: &str =
    "mutation($c: ID!) { requestToJoin(input: {communityId: $c}) { joinRequest { id } } }";
const CLUSTER: &str = "mutation($n: ID!, $s: String!) { createCluster(input: {networkId: $n, slug: $s, name: $s}) { cluster { id } } }";
const ACCOUNT: &str = "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"sync\", scopes: [READ_HOSTED]}) { serviceAccount { id } } }";

struct World {
    app: TestApp,
    people: Vec<Option<Person>>,
    org: String,
    network: String,
    /// (label, community id)
    communities: Vec<(&'static str, String)>,
    /// (label, space id)
    spaces: Vec<(String, String)>,
    /// (label, thread id, locked)
    threads: Vec<(String, String, bool)>,
    /// (label, post id)
    posts: Vec<(String, String)>,
    /// Posts of `member` in the open community's public space, one per caller, to delete.
    doomed: Vec<String>,
}

async fn thread(app: &TestApp, author: &Person, space: &str) -> (String, String) {
    let started = app
        .gql(
            Some(&author.token),
            "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } post { id } } }",
            json!({"s": space}),
        )
        .await;
    started.ok();
    (
        started.str("/startThread/thread/id"),
        started.str("/startThread/post/id"),
    )
}

async fn post(app: &TestApp, author: &Person, thread: &str) -> String {
    app.must(
        author,
        "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"b\"}) { post { id } } }",
        json!({"t": thread}),
        "/createPost/post/id",
    )
    .await
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let founder = app.person("founder").await;
    let mut people = vec![None];
    for subject in &CALLERS[1..] {
        people.push(Some(app.person(subject).await));
    }
    let who = |name: &str| -> Person {
        let i = CALLERS.iter().position(|c| *c == name).unwrap();
        people[i].clone().unwrap()
    };
    let (other, member, space_member, moderator, manager, org_admin, steward) = (
        who("other-org-member"),
        who("member"),
        who("space-member"),
        who("moderator"),
        who("manager"),
        who("org-admin"),
        who("steward"),
    );
    let org = app.organization(&founder, "host-org").await;
    app.affiliate(&founder, &org, &org_admin, "ORG_ADMIN").await;
    app.organization(&other, "other-org").await;
    let network = app.network(&founder, &org, "net", "PUBLIC").await;
    app.steward(&founder, &network, &steward).await;
    let sibling = app
        .community(&founder, &network, "sibling", "PRIVATE", "OPEN")
        .await;
    app.enroll(&founder, &sibling, &other).await;

    let mut communities = Vec::new();
    let mut spaces = Vec::new();
    let mut threads = Vec::new();
    let mut posts = Vec::new();
    let mut doomed = Vec::new();
    for (label, visibility, policy) in [
        ("open", "PUBLIC", "OPEN"),
        ("approval", "PUBLIC", "APPROVAL"),
        ("archived", "PUBLIC", "OPEN"),
        ("secret", "PRIVATE", "OPEN"),
    ] {
        let community = app
            .community(&founder, &network, label, visibility, policy)
            .await;
        for person in [&member, &space_member, &moderator, &manager] {
            app.enroll(&founder, &community, person).await;
        }
        app.grant(&founder, &community, &moderator, "MODERATOR")
            .await;
        app.grant(&founder, &community, &manager, "MANAGER").await;
        communities.push((label, community.clone()));
        if label == "approval" {
            continue;
        }
        for (space_label, sv) in [
            ("public", "PUBLIC"),
            ("members", "MEMBERS"),
            ("private", "PRIVATE"),
        ] {
            if label != "open" && sv != "PUBLIC" {
                continue;
            }
            let space = app.space(&founder, &community, space_label, sv).await;
            app.add_to_space(&founder, &space, &space_member).await;
            let at = format!("{label}/{space_label}");
            spaces.push((at.clone(), space.clone()));
            let (t, p) = thread(&app, &founder, &space).await;
            threads.push((at.clone(), t.clone(), false));
            posts.push((format!("{at} founder's"), p));
            let writer = if sv == "PRIVATE" {
                &space_member
            } else {
                &member
            };
            posts.push((format!("{at} member's"), post(&app, writer, &t).await));
            if label == "open" && sv == "PUBLIC" {
                // A thread the moderators locked, and a post by someone who then left.
                let (locked, _) = thread(&app, &founder, &space).await;
                posts.push((
                    format!("{at} member's in a locked thread"),
                    post(&app, &member, &locked).await,
                ));
                app.must(
                    &founder,
                    LOCK,
                    json!({"t": locked, "l": true}),
                    "/lockThread/thread/id",
                )
                .await;
                threads.push((format!("{at} locked"), locked, true));
                app.must(
                    &other,
                    JOIN,
                    json!({"c": community}),
                    "/joinCommunity/membership/id",
                )
                .await;
                posts.push((
                    format!("{at} a former member's"),
                    post(&app, &other, &t).await,
                ));
                app.must(
                    &other,
                    LEAVE,
                    json!({"c": community}),
                    "/leaveCommunity/membership/id",
                )
                .await;
                for _ in &CALLERS {
                    doomed.push(post(&app, &member, &t).await);
                }
            }
        }
        if label == "archived" {
            app.must(
                &founder,
                "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { id } } }",
                json!({"c": community}),
                "/setCommunityStage/community/id",
            )
            .await;
        }
    }
    World {
        app,
        people,
        org,
        network,
        communities,
        spaces,
        threads,
        posts,
        doomed,
    }
}

fn checks(w: &World, caller: usize) -> Vec<Check> {
    let mut checks = Vec::new();
    for (label, space) in &w.spaces {
        checks.push(Check {
            label: format!("{label} space: startThread"),
            node: space.clone(),
            fragment: "... on Space { viewerCanStartThread }",
            field: "viewerCanStartThread",
            mutation: START,
            variables: json!({"s": space}),
            payload: "/startThread/thread/id",
            undo: None,
        });
    }
    for (label, thread, locked) in &w.threads {
        checks.push(Check {
            label: format!("{label} thread: createPost"),
            node: thread.clone(),
            fragment: "... on Thread { viewerCanReply }",
            field: "viewerCanReply",
            mutation: REPLY,
            variables: json!({"t": thread}),
            payload: "/createPost/post/id",
            undo: None,
        });
        checks.push(Check {
            label: format!("{label} thread: lockThread"),
            node: thread.clone(),
            fragment: "... on Thread { viewerCanModerate }",
            field: "viewerCanModerate",
            mutation: LOCK,
            variables: json!({"t": thread, "l": locked}),
            payload: "/lockThread/thread/id",
            undo: None,
        });
    }
    for (label, post) in &w.posts {
        for (fragment, field, mutation, payload, undo) in [
            (
                "... on Post { viewerCanEdit }",
                "viewerCanEdit",
                EDIT,
                "/editPost/post/id",
                None,
            ),
            (
                "... on Post { viewerCanModerate }",
                "viewerCanModerate",
                HIDE,
                "/hidePost/post/id",
                None,
            ),
            (
                "... on Post { viewerCanReact }",
                "viewerCanReact",
                REACT,
                "/addReaction/post/id",
                Some(UNREACT),
            ),
        ] {
            checks.push(Check {
                label: format!("{label} post: {field}"),
                node: post.clone(),
                fragment,
                field,
                mutation,
                variables: json!({"p": post}),
                payload,
                undo: undo.map(|u| (u, json!({"p": post}))),
            });
        }
    }
    let archived_post = w
        .posts
        .iter()
        .find(|(l, _)| l == "archived/public member's")
        .map(|(_, p)| ("archived/public member's", p.clone()));
    let doomed = Some(("open/public member's", w.doomed[caller].clone()));
    for (label, post) in [doomed, archived_post].into_iter().flatten() {
        checks.push(Check {
            label: format!("{label} post: deletePost"),
            node: post.clone(),
            fragment: "... on Post { viewerCanDelete }",
            field: "viewerCanDelete",
            mutation: DELETE,
            variables: json!({"p": post}),
            payload: "/deletePost/post/id",
            undo: None,
        });
    }
    for (label, community) in &w.communities {
        for (field, mutation, payload, undo) in [
            ("manage", MANAGE, "/updateCommunity/community/id", None),
            ("join", JOIN, "/joinCommunity/membership/id", Some(LEAVE)),
            ("requestToJoin", ASK, "/requestToJoin/joinRequest/id", None),
        ] {
            checks.push(Check {
                label: format!("{label} community: viewerCan.{field}"),
                node: community.clone(),
                fragment: match field {
                    "manage" => "... on Community { viewerCan { manage } }",
                    "join" => "... on Community { viewerCan { join } }",
                    _ => "... on Community { viewerCan { requestToJoin } }",
                },
                field,
                mutation,
                variables: json!({"c": community}),
                payload,
                undo: undo.map(|u| (u, json!({"c": community}))),
            });
        }
    }
    checks.push(Check {
        label: "network: createCluster".into(),
        node: w.network.clone(),
        fragment: "... on LearningNetwork { viewerCanAdminister }",
        field: "viewerCanAdminister",
        mutation: CLUSTER,
        variables: json!({"n": w.network, "s": format!("cluster-{caller}")}),
        payload: "/createCluster/cluster/id",
        undo: None,
    });
    checks.push(Check {
        label: "organization: createServiceAccount".into(),
        node: w.org.clone(),
        fragment: "... on Organization { viewerCanAdminister }",
        field: "viewerCanAdminister",
        mutation: ACCOUNT,
        variables: json!({"o": w.org}),
        payload: "/createServiceAccount/serviceAccount/id",
        undo: None,
    });
    checks
}

/// The ability as read: `None` when the target is hidden.
fn ability(node: &Value, field: &str) -> Option<bool> {
    if node.is_null() {
        return None;
    }
    let value = node
        .get(field)
        .or_else(|| node.pointer(&format!("/viewerCan/{field}")));
    Some(
        value
            .and_then(Value::as_bool)
            .unwrap_or_else(|| panic!("no {field} in {node}")),
    )
}

#[tokio::test]
async fn every_viewer_can_field_is_true_exactly_when_its_mutation_succeeds() {
    let w = world().await;
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut answers: std::collections::BTreeMap<&str, (bool, bool)> = Default::default();
    for (i, caller) in CALLERS.iter().enumerate() {
        let token = w.people[i].as_ref().map(|p| p.token.as_str());
        for check in checks(&w, i) {
            let read = w
                .app
                .gql(
                    token,
                    &format!(
                        "query($id: ID!) {{ node(id: $id) {{ {} }} }}",
                        check.fragment
                    ),
                    json!({"id": check.node}),
                )
                .await;
            let can = ability(read.at("/node"), check.field);
            let done = w
                .app
                .gql(token, check.mutation, check.variables.clone())
                .await;
            let succeeded = done.errors().is_empty() && done.at(check.payload).is_string();
            compared += 1;
            let seen = answers.entry(check.field).or_default();
            match can {
                Some(true) => seen.0 = true,
                Some(false) => seen.1 = true,
                None => {}
            }
            let name = format!("[{caller} | {}]", check.label);
            // Anonymous callers are asked to sign in before anything is looked up, which tells
            // them nothing about what exists.
            let hidden_code = if token.is_some() {
                "NOT_FOUND"
            } else {
                "UNAUTHENTICATED"
            };
            match can {
                Some(can) if can != succeeded => failures.push(format!(
                    "{name} the field says {can}, the mutation {}: {}",
                    if succeeded { "succeeded" } else { "failed" },
                    done.body
                )),
                None if done.codes() != [hidden_code] => failures.push(format!(
                    "{name} hidden, but the mutation answered {}",
                    done.body
                )),
                _ => {}
            }
            if succeeded && let Some((undo, variables)) = &check.undo {
                w.app.gql(token, undo, variables.clone()).await.ok();
            }
        }
    }
    assert!(compared > 400, "{compared} comparisons");
    assert!(
        failures.is_empty(),
        "{} of {compared} abilities disagree with their mutations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Each ability was seen both granted and refused, so each comparison could fail.
    for (field, (granted, refused)) in answers {
        assert!(
            granted && refused,
            "{field}: granted {granted}, refused {refused}"
        );
    }
}
