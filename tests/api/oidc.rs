//! OpenID Connect: tokens of an identity provider checked with the keys its JWKS URL
//! publishes (by `kid`, RS256 and ES256), fetched again when the provider rotates its keys
//! (and no more often than the refresh interval), and its organization claim mapped to
//! affiliations on sign-in. The provider is a small JWKS server on loopback.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Json, Router, extract::State, routing::get};
use copnet_tests::TestApp;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oidc");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// The pretend provider: the key set it serves, and how often it was fetched.
#[derive(Clone)]
struct Provider {
    keys: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
}

impl Provider {
    async fn start(kids: &[&str]) -> (Provider, SocketAddr) {
        let provider = Provider {
            keys: Arc::new(Mutex::new(Vec::new())),
            fetches: Arc::new(AtomicUsize::new(0)),
        };
        provider.publish(kids);
        let app = Router::new()
            .route(
                "/jwks",
                get(|State(p): State<Provider>| async move {
                    p.fetches.fetch_add(1, Ordering::SeqCst);
                    Json(json!({"keys": *p.keys.lock().unwrap()}))
                }),
            )
            .with_state(provider.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        (provider, address)
    }

    /// Publishes these keys only (a rotation).
    fn publish(&self, kids: &[&str]) {
        let all: Value = serde_json::from_str(&fixture("jwks.json")).unwrap();
        *self.keys.lock().unwrap() = kids.iter().map(|k| all[*k].clone()).collect();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// A token for `subject` with `kid` in its header, signed with the private key `signer`.
fn token(kid: &str, signer: &str, subject: &str, extra: Value) -> String {
    let pem = fixture(&format!("{signer}.pem"));
    let (alg, key) = if signer.starts_with('e') {
        (
            Algorithm::ES256,
            EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
        )
    } else {
        (
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
        )
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    let mut claims = json!({
        "sub": subject, "name": format!("{subject} from the IdP"), "iss": "copnet", "aud": "copnet",
        "exp": chrono::Utc::now().timestamp() + 600,
    });
    if let (Some(claims), Value::Object(extra)) = (claims.as_object_mut(), extra) {
        claims.extend(extra);
    }
    encode(&header, &claims, &key).unwrap()
}

async fn viewer(app: &TestApp, token: &str) -> copnet_tests::Gql {
    app.gql(Some(token), "{ viewer { id displayName } }", json!({}))
        .await
}

#[tokio::test]
async fn tokens_are_checked_with_the_providers_published_keys_through_a_rotation() {
    let (provider, address) = Provider::start(&["k1", "e1"]).await;
    let app = TestApp::spawn_with(|s| {
        s.jwt_jwks_url = Some(format!("http://{address}/jwks"));
        s.jwt_jwks_min_refresh_secs = 1;
    })
    .await;
    let fetched_at_start = provider.fetches();
    assert_eq!(fetched_at_start, 1, "the keys are fetched at startup");

    let rsa = viewer(&app, &token("k1", "k1", "oidc-ana", json!({}))).await;
    rsa.ok();
    assert_eq!(rsa.at("/viewer/displayName"), "oidc-ana from the IdP");
    viewer(&app, &token("e1", "e1", "oidc-eve", json!({})))
        .await
        .ok();
    // Named key, wrong signer; a key used with another algorithm; the shared secret's
    // tokens still work beside the provider's.
    assert_eq!(
        viewer(&app, &token("k1", "k2", "oidc-ana", json!({})))
            .await
            .status,
        401
    );
    assert_eq!(
        viewer(&app, &token("e1", "k1", "oidc-ana", json!({})))
            .await
            .status,
        401
    );
    app.person("local").await;

    // Unknown key ids fetch the set at most once per refresh interval.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let before = provider.fetches();
    for _ in 0..5 {
        let refused = viewer(&app, &token("made-up", "k1", "oidc-ana", json!({}))).await;
        assert_eq!(refused.status, 401);
    }
    assert_eq!(
        provider.fetches(),
        before + 1,
        "one fetch for five unknown-key tokens"
    );

    // The provider rotates: k2 replaces k1.
    provider.publish(&["k2"]);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let rotated = viewer(&app, &token("k2", "k2", "oidc-ana", json!({}))).await;
    rotated.ok();
    assert_eq!(
        rotated.at("/viewer/id"),
        rsa.at("/viewer/id"),
        "the same person"
    );
    assert_eq!(provider.fetches(), before + 2);
    // The retired key signs nothing any more.
    assert_eq!(
        viewer(&app, &token("k1", "k1", "oidc-ana", json!({})))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn the_organization_claim_affiliates_a_person_on_sign_in_without_changing_roles() {
    let (_provider, address) = Provider::start(&["k1"]).await;
    let app = TestApp::spawn_with(|s| {
        s.jwt_jwks_url = Some(format!("http://{address}/jwks"));
        s.jwt_organization_claim = "orgs".into();
        s.jwt_name_claim = "preferred_username".into();
    })
    .await;
    let admin = app.person("admin").await;
    let acme = app.organization(&admin, "acme").await;
    app.organization(&admin, "giz").await;
    let claims = json!({"orgs": ["acme", "giz", "no-such-org"], "preferred_username": "Zoe Z."});
    let signed_in = viewer(&app, &token("k1", "k1", "oidc-zoe", claims.clone())).await;
    signed_in.ok();
    assert_eq!(signed_in.at("/viewer/displayName"), "Zoe Z.");
    let zoe = signed_in.str("/viewer/id");
    let read = app
        .gql(
            Some(&admin.token),
            "query($p: ID!) { node(id: $p) { ... on Person { affiliations { nodes { role organization { slug } } } } } }",
            json!({"p": zoe}),
        )
        .await;
    read.ok();
    let mut held: Vec<(String, String)> = read
        .at("/node/affiliations/nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["organization"]["slug"].as_str().unwrap().to_owned(),
                a["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    held.sort();
    assert_eq!(
        held,
        [
            ("acme".to_owned(), "ORG_MEMBER".to_owned()),
            ("giz".to_owned(), "ORG_MEMBER".to_owned())
        ]
    );
    // Made an admin of acme, Zoe stays one when she signs in again with the same claim.
    app.must(
        &admin,
        "mutation($o: ID!, $p: ID!) { addAffiliation(input: {organizationId: $o, personId: $p, role: ORG_ADMIN}) { affiliation { id } } }",
        json!({"o": acme, "p": zoe}),
        "/addAffiliation/affiliation/id",
    )
    .await;
    let replica = app.replica().await;
    viewer(&replica, &token("k1", "k1", "oidc-zoe", claims))
        .await
        .ok();
    let again = app
        .gql(
            Some(&admin.token),
            "query($p: ID!) { node(id: $p) { ... on Person { affiliations { nodes { role organization { slug } } } } } }",
            json!({"p": zoe}),
        )
        .await;
    let acme_role = again
        .at("/node/affiliations/nodes")
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["organization"]["slug"] == "acme")
        .map(|a| a["role"].clone());
    assert_eq!(acme_role, Some(json!("ORG_ADMIN")));
}
