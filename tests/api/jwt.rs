//! Authentication at the edge: the JWT attack set is refused with HTTP 401 and
//! `UNAUTHENTICATED`; valid tokens provision a person on first use.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use copnet_tests::{TEST_SECRET, TestApp};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

const RSA_PRIVATE: &str = include_str!("../fixtures/rsa_private.pem");
const RSA_PUBLIC: &str = include_str!("../fixtures/rsa_public.pem");
const EC_PRIVATE: &str = include_str!("../fixtures/ec_private.pem");
const EC_PUBLIC: &str = include_str!("../fixtures/ec_public.pem");

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(sub: &str) -> Value {
    json!({"sub": sub, "name": "Test Person", "iss": "copnet", "aud": "copnet", "iat": now(), "exp": now() + 600})
}

fn hs256(claims: &Value, secret: &[u8]) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

async fn assert_refused(app: &TestApp, authorization: &str, case: &str) {
    let response = app
        .post_raw(
            &[
                ("content-type", "application/json"),
                ("authorization", authorization),
            ],
            json!({"query": "{ viewer { id } }"}).to_string(),
        )
        .await;
    assert_eq!(response.status, 401, "{case}: {}", response.body);
    assert_eq!(
        response.codes(),
        vec!["UNAUTHENTICATED"],
        "{case}: {}",
        response.body
    );
}

#[tokio::test]
async fn request_without_a_token_is_anonymous() {
    let app = TestApp::spawn().await;
    let response = app.gql(None, "{ viewer { id } }", json!({})).await;
    response.ok();
    assert_eq!(response.at("/viewer"), &Value::Null);
}

#[tokio::test]
async fn valid_token_provisions_the_person_once_with_the_name_claim() {
    let app = TestApp::spawn().await;
    let token = hs256(&claims("alice"), TEST_SECRET.as_bytes());
    let first = app
        .gql(
            Some(&token),
            "{ viewer { id displayName email } }",
            json!({}),
        )
        .await;
    first.ok();
    assert_eq!(first.str("/viewer/displayName"), "Test Person");
    let second = app.gql(Some(&token), "{ viewer { id } }", json!({})).await;
    assert_eq!(first.str("/viewer/id"), second.str("/viewer/id"));
}

#[tokio::test]
async fn every_token_of_the_attack_set_is_refused_with_401() {
    let app = TestApp::spawn().await;
    let secret = TEST_SECRET.as_bytes();
    let good = claims("mallory");
    let valid = hs256(&good, secret);

    let mut cases: Vec<(&str, String)> = Vec::new();
    // alg: none, with and without a signature segment.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(good.to_string());
    cases.push(("alg none", format!("{header}.{payload}.")));
    cases.push((
        "alg None",
        format!(
            "{}.{payload}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"None"}"#)
        ),
    ));
    // An algorithm outside the allow-list, with the right secret.
    cases.push((
        "HS512",
        encode(
            &Header::new(Algorithm::HS512),
            &good,
            &EncodingKey::from_secret(secret),
        )
        .unwrap(),
    ));
    // RS256 when no public key is configured.
    cases.push((
        "RS256 without a configured key",
        encode(
            &Header::new(Algorithm::RS256),
            &good,
            &EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap(),
        )
        .unwrap(),
    ));
    cases.push((
        "expired",
        hs256(&with(good.clone(), "exp", json!(now() - 3600)), secret),
    ));
    cases.push((
        "not yet valid",
        hs256(&with(good.clone(), "nbf", json!(now() + 3600)), secret),
    ));
    cases.push((
        "wrong issuer",
        hs256(&with(good.clone(), "iss", json!("someone-else")), secret),
    ));
    cases.push((
        "wrong audience",
        hs256(&with(good.clone(), "aud", json!("another-api")), secret),
    ));
    cases.push(("missing exp", hs256(&without(good.clone(), "exp"), secret)));
    cases.push(("missing sub", hs256(&without(good.clone(), "sub"), secret)));
    cases.push((
        "empty sub",
        hs256(&with(good.clone(), "sub", json!("")), secret),
    ));
    cases.push(("missing iss", hs256(&without(good.clone(), "iss"), secret)));
    cases.push((
        "string exp in the past",
        hs256(
            &with(good.clone(), "exp", json!((now() - 3600).to_string())),
            secret,
        ),
    ));
    cases.push((
        "another secret",
        hs256(&good, b"some-other-secret-that-is-long-enough-0123"),
    ));
    // Tampered payload: same signature, different subject.
    let parts: Vec<&str> = valid.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode(with(good.clone(), "sub", json!("admin")).to_string());
    cases.push((
        "tampered payload",
        format!("{}.{forged}.{}", parts[0], parts[2]),
    ));
    // Tampered signature.
    let mut signature = parts[2].to_owned();
    let last = if signature.ends_with('A') { 'B' } else { 'A' };
    signature.pop();
    signature.push(last);
    cases.push((
        "tampered signature",
        format!("{}.{}.{signature}", parts[0], parts[1]),
    ));
    cases.push(("garbage", "not-a-jwt".to_owned()));

    for (case, token) in &cases {
        assert_refused(&app, &format!("Bearer {token}"), case).await;
    }
    assert_refused(&app, &format!("Basic {valid}"), "wrong scheme").await;
    assert_refused(&app, "Bearer ", "empty bearer").await;
    // Nobody was provisioned by a refused token.
    let admin = app
        .gql(
            Some(&app.token("witness")),
            "{ people { totalCount } }",
            json!({}),
        )
        .await;
    admin.ok();
    assert_eq!(admin.at("/people/totalCount"), &json!(1));
}

#[tokio::test]
async fn tokens_of_an_external_identity_provider_are_accepted_with_its_public_key() {
    for (algorithm, private, public) in [
        (
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap(),
            RSA_PUBLIC,
        ),
        (
            Algorithm::ES256,
            EncodingKey::from_ec_pem(EC_PRIVATE.as_bytes()).unwrap(),
            EC_PUBLIC,
        ),
    ] {
        let app = TestApp::spawn_with(|s| s.jwt_public_key = Some(public.to_owned())).await;
        let token = encode(&Header::new(algorithm), &claims("idp-user"), &private).unwrap();
        let response = app
            .gql(Some(&token), "{ viewer { displayName } }", json!({}))
            .await;
        response.ok();
        assert_eq!(
            response.str("/viewer/displayName"),
            "Test Person",
            "{algorithm:?}"
        );

        // Algorithm confusion: an HS256 token keyed with the public key itself is refused.
        let confused = hs256(&claims("idp-user"), public.as_bytes());
        assert_refused(
            &app,
            &format!("Bearer {confused}"),
            "HS256 keyed with the public key",
        )
        .await;
    }
}

#[tokio::test]
async fn allow_list_refuses_an_algorithm_that_has_a_key() {
    let app = TestApp::spawn_with(|s| {
        s.jwt_public_key = Some(RSA_PUBLIC.to_owned());
        s.jwt_algorithms = "RS256".into();
    })
    .await;
    let token = hs256(&claims("alice"), TEST_SECRET.as_bytes());
    assert_refused(
        &app,
        &format!("Bearer {token}"),
        "HS256 left out of the allow-list",
    )
    .await;
}
