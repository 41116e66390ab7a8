//! Service-account keys: an expiry, rotation with a grace period, and a last use; every key
//! shown once and stored hashed.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use copnet_tests::{TestApp, fixtures::Person, ws::WsEvent};
use serde_json::{Value, json};

const CREATE: &str = "mutation($o: ID!, $e: DateTime) {
    createServiceAccount(input: {organizationId: $o, name: \"sync\", scopes: [READ_HOSTED], expiresAt: $e}) {
        token serviceAccount { id } } }";
const ROTATE: &str = "mutation($a: ID!, $g: Int!, $e: DateTime) {
    rotateServiceAccountKey(input: {serviceAccountId: $a, graceSeconds: $g, expiresAt: $e}) {
        token serviceAccount { id keys { keyId expiresAt lastUsedAt } } } }";
const WHO: &str = "{ viewerServiceAccount { id } }";
const KEYS: &str = "query($a: ID!) { node(id: $a) { ... on ServiceAccount { lastUsedAt keys { keyId createdAt expiresAt lastUsedAt } } } }";

struct World {
    app: TestApp,
    admin: Person,
    org: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let admin = app.person("hana").await;
    let org = app.organization(&admin, "host").await;
    World { app, admin, org }
}

fn in_secs(secs: i64) -> String {
    (Utc::now() + chrono::Duration::seconds(secs)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl World {
    /// A new account: (its id, its token).
    async fn account(&self, expires_at: Option<String>) -> (String, String) {
        let created = self
            .app
            .gql(
                Some(&self.admin.token),
                CREATE,
                json!({"o": self.org, "e": expires_at}),
            )
            .await;
        created.ok();
        (
            created.str("/createServiceAccount/serviceAccount/id"),
            created.str("/createServiceAccount/token"),
        )
    }

    async fn rotate(&self, account: &str, grace: i64) -> String {
        let rotated = self
            .app
            .gql(
                Some(&self.admin.token),
                ROTATE,
                json!({"a": account, "g": grace}),
            )
            .await;
        rotated.ok();
        rotated.str("/rotateServiceAccountKey/token")
    }

    /// The HTTP status of an authenticated request with the token.
    async fn status(&self, token: &str) -> u16 {
        self.app.gql(Some(token), WHO, json!({})).await.status
    }

    async fn keys(&self, account: &str) -> Value {
        let listed = self
            .app
            .gql(Some(&self.admin.token), KEYS, json!({"a": account}))
            .await;
        listed.ok();
        listed.at("/node").clone()
    }
}

/// The key id inside a `cpk_<key id>_<secret>` token.
fn key_id(token: &str) -> String {
    token
        .strip_prefix("cpk_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id.to_owned())
        .expect("a cpk_ token")
}

#[tokio::test]
async fn a_key_with_an_expiry_stops_authenticating_when_it_passes() {
    let w = world().await;
    w.app
        .gql(
            Some(&w.admin.token),
            CREATE,
            json!({"o": w.org, "e": in_secs(-5)}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    let (account, token) = w.account(Some(in_secs(2))).await;
    assert!(token.starts_with("cpk_"), "{token}");
    assert_eq!(w.status(&token).await, 200);
    let keys = w.keys(&account).await;
    assert_eq!(keys["keys"][0]["keyId"], json!(key_id(&token)));
    assert!(keys["keys"][0]["expiresAt"].is_string(), "{keys}");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let refused = w.app.gql(Some(&token), WHO, json!({})).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.codes(), ["UNAUTHENTICATED"]);
    assert_eq!(w.keys(&account).await["keys"], json!([]));
}

#[tokio::test]
async fn a_rotated_key_keeps_working_for_its_grace_period_beside_the_new_one() {
    let w = world().await;
    let (account, old) = w.account(None).await;
    let new = w.rotate(&account, 2).await;
    assert_ne!(key_id(&new), key_id(&old));
    assert_eq!(w.status(&old).await, 200);
    assert_eq!(w.status(&new).await, 200);
    let keys = w.keys(&account).await;
    let listed: Vec<&Value> = keys["keys"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 2, "{keys}");
    assert_eq!(listed[0]["keyId"], json!(key_id(&old)));
    assert!(
        listed[0]["expiresAt"].is_string(),
        "the old key now ends: {keys}"
    );
    assert_eq!(listed[1]["expiresAt"], Value::Null);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(w.status(&old).await, 401);
    assert_eq!(w.status(&new).await, 200);

    // Without grace the old key ends at once.
    let newest = w.rotate(&account, 0).await;
    assert_eq!(w.status(&new).await, 401);
    assert_eq!(w.status(&newest).await, 200);
}

#[tokio::test]
async fn only_the_organizations_admins_rotate_and_only_within_bounds() {
    let w = world().await;
    let (account, token) = w.account(None).await;
    let outsider = w.app.person("otto").await;
    w.app
        .gql(Some(&outsider.token), ROTATE, json!({"a": account, "g": 0}))
        .await
        .expect_code("NOT_FOUND");
    w.app
        .gql(Some(&token), ROTATE, json!({"a": account, "g": 0}))
        .await
        .expect_code("FORBIDDEN");
    for grace in [-1, 2_592_001] {
        w.app
            .gql(
                Some(&w.admin.token),
                ROTATE,
                json!({"a": account, "g": grace}),
            )
            .await
            .expect_code("BAD_USER_INPUT");
    }
    w.app
        .gql(
            Some(&w.admin.token),
            ROTATE,
            json!({"a": account, "g": 60, "e": in_secs(-1)}),
        )
        .await
        .expect_code("BAD_USER_INPUT");
    // Five keys may authenticate at once; a sixth waits for a grace period to end.
    for _ in 0..4 {
        w.rotate(&account, 3600).await;
    }
    w.app
        .gql(
            Some(&w.admin.token),
            ROTATE,
            json!({"a": account, "g": 3600}),
        )
        .await
        .expect_code("CONFLICT");
    assert_eq!(w.status(&token).await, 200, "refusals change nothing");
    w.app
        .must(
            &w.admin,
            "mutation($a: ID!) { revokeServiceAccount(input: {serviceAccountId: $a}) { serviceAccount { id } } }",
            json!({"a": account}),
            "/revokeServiceAccount/serviceAccount/id",
        )
        .await;
    w.app
        .gql(Some(&w.admin.token), ROTATE, json!({"a": account, "g": 0}))
        .await
        .expect_code("CONFLICT");
    assert_eq!(w.keys(&account).await["keys"], json!([]));
}

#[tokio::test]
async fn a_keys_last_use_is_recorded() {
    let w = world().await;
    let (account, token) = w.account(None).await;
    let before = w.keys(&account).await;
    assert_eq!(before["lastUsedAt"], Value::Null);
    assert_eq!(before["keys"][0]["lastUsedAt"], Value::Null);
    assert_eq!(w.status(&token).await, 200);
    let after = w.keys(&account).await;
    assert!(after["lastUsedAt"].is_string(), "{after}");
    assert_eq!(after["keys"][0]["lastUsedAt"], after["lastUsedAt"]);
}

#[tokio::test]
async fn a_socket_on_a_rotated_out_key_closes_when_its_grace_ends() {
    let w = world().await;
    let (account, old) = w.account(None).await;
    let mut on_old = w.app.subscriber(Some(&old)).await;
    on_old.subscribe("q", WHO, json!({})).await;
    on_old.expect_next("q").await;
    let new = w.rotate(&account, 1).await;
    let mut on_new = w.app.subscriber(Some(&new)).await;
    on_new.subscribe("q", WHO, json!({})).await;
    on_new.expect_next("q").await;
    let mut closed = None;
    for _ in 0..10 {
        match on_old.next(Duration::from_secs(1)).await {
            WsEvent::Closed(code) => {
                closed = code;
                break;
            }
            WsEvent::Message(_) | WsEvent::Silence => {}
        }
    }
    assert_eq!(closed, Some(4403));
    // The new key's socket stays open.
    loop {
        match on_new.next(Duration::from_millis(1500)).await {
            WsEvent::Silence => break,
            WsEvent::Message(m) => assert_eq!(m["type"], "complete", "{m}"),
            WsEvent::Closed(code) => panic!("the new key's socket closed: {code:?}"),
        }
    }
}
