//! The audit log: every write recorded with actor, action, target, time and request id;
//! read by an organization's admins and a community's managers, never showing what the
//! reader may not see.

use copnet_tests::{TestApp, fixtures::Person};
use serde_json::{Value, json};

const START: &str = "mutation($s: ID!, $t: String!) { startThread(input: {spaceId: $s, title: $t, body: \"b\"}) { thread { id } } }";
const ORG_LOG: &str = "query($o: ID!, $f: AuditLogFilter, $first: Int, $after: String) { node(id: $o) { ... on Organization {
    auditLog(first: $first, after: $after, filter: $f) {
        nodes { action actorKind asPlatformAdmin requestId at targetType
            actor { __typename ... on Person { id } ... on ServiceAccount { id } }
            target { __typename ... on Thread { id title } }
            community { slug } space { slug } }
        pageInfo { hasNextPage endCursor } } } } }";
const COMMUNITY_LOG: &str = "query($c: ID!, $f: AuditLogFilter) { node(id: $c) { ... on Community {
    auditLog(filter: $f) { nodes { action actor { ... on Person { id } } targetType target { ... on Thread { title } } space { slug } } } } } }";

/// `acme` (admin alice) hosts the network and the community `garden`, where alice manages a
/// PUBLIC space `open` and a PRIVATE space `secret`. `bob` is a member of garden, on
/// secret's list, and staff of `other` (admin dora), which hosts nothing.
struct World {
    app: TestApp,
    alice: Person,
    bob: Person,
    dora: Person,
    acme: String,
    other: String,
    garden: String,
    open: String,
    secret: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
    let dora = app.person("dora").await;
    let acme = app.organization(&alice, "acme").await;
    let other = app.organization(&dora, "other").await;
    app.affiliate(&dora, &other, &bob, "ORG_MEMBER").await;
    let network = app.network(&alice, &acme, "net", "PUBLIC").await;
    let garden = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    app.enroll(&alice, &garden, &bob).await;
    let open = app.space(&alice, &garden, "open", "PUBLIC").await;
    let secret = app.space(&alice, &garden, "secret", "PRIVATE").await;
    app.add_to_space(&alice, &secret, &bob).await;
    World {
        app,
        alice,
        bob,
        dora,
        acme,
        other,
        garden,
        open,
        secret,
    }
}

impl World {
    async fn start(&self, who: &Person, space: &str, title: &str) -> String {
        self.app
            .must(
                who,
                START,
                json!({"s": space, "t": title}),
                "/startThread/thread/id",
            )
            .await
    }

    async fn org_log(&self, who: &Person, org: &str, filter: Value) -> Vec<Value> {
        let read = self
            .app
            .gql(
                Some(&who.token),
                ORG_LOG,
                json!({"o": org, "f": filter, "first": 100}),
            )
            .await;
        read.ok();
        read.at("/node/auditLog/nodes")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn actions(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_communitys_managers_read_every_write_made_in_it() {
    let w = world().await;
    w.start(&w.bob, &w.open, "in the open").await;
    w.start(&w.bob, &w.secret, "in secret").await;
    let read = w
        .app
        .gql(
            Some(&w.alice.token),
            COMMUNITY_LOG,
            json!({"c": w.garden, "f": {"actorId": w.bob.id}}),
        )
        .await;
    read.ok();
    let entries = read.at("/node/auditLog/nodes").as_array().unwrap().clone();
    // Newest first: bob's two threads, then his acceptance of the invitation.
    assert_eq!(
        actions(&entries),
        ["startThread", "startThread", "acceptInvitation"],
        "{entries:?}"
    );
    assert_eq!(entries[0]["space"]["slug"], "secret");
    assert_eq!(entries[0]["target"]["title"], "in secret");
    assert_eq!(entries[0]["actor"]["id"], json!(w.bob.id));
    assert_eq!(entries[1]["space"]["slug"], "open");
    // Every write by alice in the community is there too, with its target type.
    let all = w
        .app
        .gql(
            Some(&w.alice.token),
            COMMUNITY_LOG,
            json!({"c": w.garden, "f": {"action": "createSpace"}}),
        )
        .await;
    let spaces = all.at("/node/auditLog/nodes").as_array().unwrap().clone();
    assert_eq!(spaces.len(), 2, "{spaces:?}");
    assert!(spaces.iter().all(|e| e["targetType"] == "Space"));

    // Members and outsiders are refused.
    for who in [&w.bob, &w.dora] {
        w.app
            .gql(Some(&who.token), COMMUNITY_LOG, json!({"c": w.garden}))
            .await
            .expect_code("FORBIDDEN");
    }
}

#[tokio::test]
async fn an_organizations_admins_read_their_actors_writes_but_not_inside_a_private_space_they_cannot_read()
 {
    let w = world().await;
    w.start(&w.bob, &w.open, "in the open").await;
    w.start(&w.bob, &w.secret, "in secret").await;
    let entries = w.org_log(&w.dora, &w.other, json!(null)).await;
    let threads: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "startThread")
        .collect();
    assert_eq!(threads.len(), 1, "{entries:?}");
    assert_eq!(threads[0]["space"]["slug"], "open");
    assert_eq!(threads[0]["target"]["title"], "in the open");
    let body = serde_json::to_string(&entries).unwrap();
    assert!(!body.contains("secret"), "{body}");
    // Dora's own write to her organization is there (bob's affiliation).
    assert!(actions(&entries).contains(&"addAffiliation".to_owned()));
    // Alice's writes in acme's community are not other's: none of them shows.
    assert!(
        entries
            .iter()
            .all(|e| e["actor"]["id"] != json!(w.alice.id)),
        "{entries:?}"
    );

    // acme hosts garden: alice reads every write made there, bob's in secret included
    // (she manages the community, so she reads the space).
    let hosted = w
        .org_log(&w.alice, &w.acme, json!({"actorId": w.bob.id}))
        .await;
    assert_eq!(
        actions(&hosted),
        ["startThread", "startThread", "acceptInvitation"]
    );

    // Bob is staff of other and becomes an admin of acme: other's admin does not learn of
    // what he then writes to acme (its service accounts).
    w.app
        .affiliate(&w.alice, &w.acme, &w.bob, "ORG_ADMIN")
        .await;
    w.app
        .must(
            &w.bob,
            "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"acme sync\", scopes: [READ_HOSTED]}) { serviceAccount { id } } }",
            json!({"o": w.acme}),
            "/createServiceAccount/serviceAccount/id",
        )
        .await;
    let seen_by_dora = w
        .org_log(&w.dora, &w.other, json!({"actorId": w.bob.id}))
        .await;
    assert!(
        !actions(&seen_by_dora).contains(&"createServiceAccount".to_owned()),
        "{seen_by_dora:?}"
    );
    let seen_by_alice = w
        .org_log(&w.alice, &w.acme, json!({"actorId": w.bob.id}))
        .await;
    assert_eq!(actions(&seen_by_alice)[0], "createServiceAccount");

    // Neither a staff member nor another organization's admin reads it.
    for (who, org) in [(&w.bob, &w.other), (&w.alice, &w.other), (&w.dora, &w.acme)] {
        w.app
            .gql(Some(&who.token), ORG_LOG, json!({"o": org}))
            .await
            .expect_code("FORBIDDEN");
    }
}

#[tokio::test]
async fn audit_entries_carry_the_request_id_and_service_account_actors() {
    let w = world().await;
    let created = w
        .app
        .gql(
            Some(&w.dora.token),
            "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"hr sync\", scopes: [MANAGE_AFFILIATIONS]}) { token serviceAccount { id } } }",
            json!({"o": w.other}),
        )
        .await;
    created.ok();
    let (token, account) = (
        created.str("/createServiceAccount/token"),
        created.str("/createServiceAccount/serviceAccount/id"),
    );
    let staff = w.app.person("staff").await;
    let body = json!({
        "query": "mutation($o: ID!, $p: ID!) { addAffiliation(input: {organizationId: $o, personId: $p}) { affiliation { id } } }",
        "variables": {"o": w.other, "p": staff.id},
    })
    .to_string();
    let bearer = format!("Bearer {token}");
    let added = w
        .app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
                ("x-request-id", "sync-run-42"),
            ],
            body,
        )
        .await;
    added.ok();
    let entries = w
        .org_log(&w.dora, &w.other, json!({"actorId": account}))
        .await;
    assert_eq!(actions(&entries), ["addAffiliation"], "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["actorKind"], "SERVICE_ACCOUNT");
    assert_eq!(entry["asPlatformAdmin"], false);
    assert_eq!(entry["requestId"], "sync-run-42");
    assert_eq!(entry["targetType"], "Affiliation");
    assert_eq!(entry["actor"]["__typename"], "ServiceAccount");
    assert_eq!(entry["actor"]["id"], json!(account));

    // Without a client's id, one is made for the request and recorded.
    let made = w
        .org_log(&w.dora, &w.other, json!({"action": "createServiceAccount"}))
        .await;
    assert_eq!(made.len(), 1);
    assert!(
        made[0]["requestId"]
            .as_str()
            .is_some_and(|id| id.len() >= 32)
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_time_and_pages_without_repeating() {
    let w = world().await;
    for n in 0..5 {
        w.start(&w.bob, &w.open, &format!("t{n}")).await;
    }
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    assert!(
        w.org_log(&w.dora, &w.other, json!({"from": future}))
            .await
            .is_empty()
    );
    w.app
        .gql(
            Some(&w.dora.token),
            ORG_LOG,
            json!({"o": w.other, "f": {"from": future, "to": chrono::Utc::now().to_rfc3339()}}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    w.app
        .gql(
            Some(&w.dora.token),
            ORG_LOG,
            json!({"o": w.other, "f": {"actorId": w.garden}}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = w
            .app
            .gql(
                Some(&w.dora.token),
                ORG_LOG,
                json!({"o": w.other, "f": {"action": "startThread"}, "first": 2, "after": after}),
            )
            .await;
        page.ok();
        for entry in page.at("/node/auditLog/nodes").as_array().unwrap() {
            seen.push(entry["target"]["title"].as_str().unwrap().to_owned());
        }
        if page.at("/node/auditLog/pageInfo/hasNextPage") != &json!(true) {
            break;
        }
        after = Some(page.str("/node/auditLog/pageInfo/endCursor"));
    }
    assert_eq!(seen, ["t4", "t3", "t2", "t1", "t0"]);
}
