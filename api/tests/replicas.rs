//! Two `copnet serve` processes on one database and one Redis: a subscriber on replica A
//! receives what is written through replica B; when Redis stops, writes keep working and
//! each replica still serves its own subscribers; when Redis comes back, cross-replica
//! delivery resumes within 5 seconds.
//!
//! Runs in the PostgreSQL + Redis pass of `.ci/run` (`COPNET_TEST_REDIS_URL` set), with a
//! `redis-server` of its own on a free port so that it can stop and start it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    net::TcpListener,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use copnet_tests::{
    TestDatabase,
    process::{Killed, Server, graphql, sign},
    ws::{WsClient, WsEvent},
};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_copnet");
const SECRET: &str = "replica-test-secret-0123456789-abcdefghijkl";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn redis_server(port: u16) -> Killed {
    let binary =
        std::env::var("COPNET_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
    let child = Command::new(&binary)
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("the Redis test needs {binary}: {e}"));
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "redis-server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Killed(child)
}

/// Subscribers of a Redis channel (`PUBSUB NUMSUB`), over a bare connection.
fn numsub(port: u16, channel: &str) -> i64 {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n${}\r\n{channel}\r\n",
        channel.len()
    )
    .unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 512];
    while !reply.ends_with(b"\r\n") || reply.iter().filter(|b| **b == b'\n').count() < 4 {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "redis closed the connection");
        reply.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&reply);
    text.lines()
        .find_map(|l| l.strip_prefix(':'))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Waits until a replica has subscribed upstream to each of these channels: only then do
/// events published elsewhere reach its subscribers (a subscription is acknowledged by no
/// message of the protocol).
async fn upstream(port: u16, channels: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    for channel in channels {
        while numsub(port, channel) < 1 {
            assert!(Instant::now() < deadline, "nobody subscribed to {channel}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// The Redis channel of a topic, by kind and global ID (`copnet:<kind>:<uuid>`).
fn channel(kind: &str, global_id: &str) -> String {
    format!("copnet:{kind}:{}", copnet_tests::uuid_of(global_id))
}

fn copnet(database: &str, redis: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database)
        .env("REDIS_URL", redis)
        .env("COPNET_JWT_SECRET", SECRET)
        .env("RUST_LOG", "info");
    command
}

/// Starts a replica.
fn replica(database: &str, redis: &str) -> Server {
    let mut command = copnet(database, redis);
    command.stderr(Stdio::null());
    Server::start(command)
}

fn token(subject: &str) -> String {
    sign(SECRET, subject, 3600)
}

async fn gql(base: &str, token: &str, query: &str, variables: Value) -> Value {
    graphql(&reqwest::Client::new(), base, token, query, variables).await
}

async fn post(base: &str, token: &str, thread: &str, body: &str) {
    gql(base, token, "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { id } } }", json!({"t": thread, "b": body})).await;
}

/// Waits for the next post on `client` and returns its body.
async fn received(client: &mut WsClient, wait: Duration) -> Option<String> {
    match client.next(wait).await {
        WsEvent::Message(m) if m["type"] == "next" => m
            .pointer("/payload/data/postAdded/body")
            .and_then(Value::as_str)
            .map(str::to_owned),
        WsEvent::Silence => None,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn subscribers_on_one_replica_receive_writes_through_another_and_survive_a_redis_restart() {
    if copnet_tests::redis_url().is_none() {
        // Part of the PostgreSQL + Redis pass of `.ci/run`.
        return;
    }
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let redis = redis_server(port);
    let db = TestDatabase::create().await;
    let (server_a, server_b) = (replica(db.url(), &redis_url), replica(db.url(), &redis_url));
    let (a, b) = (server_a.base.clone(), server_b.base.clone());

    let alice = token("alice");
    let org = gql(&a, &alice, "mutation { createOrganization(input: {slug: \"acme\", name: \"Acme\"}) { organization { id } } }", json!({})).await;
    let org = org
        .pointer("/createOrganization/organization/id")
        .unwrap()
        .clone();
    let net = gql(&a, &alice, "mutation($o: ID!) { createNetwork(input: {hostOrganizationId: $o, slug: \"net\", name: \"Net\", visibility: PUBLIC}) { network { id } } }", json!({"o": org})).await;
    let net = net.pointer("/createNetwork/network/id").unwrap().clone();
    let community = gql(&a, &alice, "mutation($n: ID!) { createCommunity(input: {networkId: $n, slug: \"cop\", name: \"C\", visibility: PUBLIC, joinPolicy: OPEN}) { community { id } } }", json!({"n": net})).await;
    let community = community
        .pointer("/createCommunity/community/id")
        .unwrap()
        .clone();
    let space = gql(&a, &alice, "mutation($c: ID!) { createSpace(input: {communityId: $c, slug: \"talk\", name: \"S\", visibility: PUBLIC}) { space { id } } }", json!({"c": community})).await;
    let space = space.pointer("/createSpace/space/id").unwrap().clone();
    let thread = gql(&b, &alice, "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"first\"}) { thread { id } } }", json!({"s": space})).await;
    let thread = thread
        .pointer("/startThread/thread/id")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();

    let subscribe = |base: String| {
        let thread = thread.clone();
        async move {
            let mut client = WsClient::subscriber(&base, None).await;
            client
                .subscribe(
                    "1",
                    "subscription($t: ID!) { postAdded(threadId: $t) { body } }",
                    json!({"t": thread}),
                )
                .await;
            client
        }
    };
    let mut on_a = subscribe(a.clone()).await;
    let mut on_b = subscribe(b.clone()).await;
    // Both replicas have subscribed upstream.
    let thread_channel = channel("thread", &thread);
    let deadline = Instant::now() + Duration::from_secs(10);
    while numsub(port, &thread_channel) < 2 {
        assert!(Instant::now() < deadline, "the replicas did not subscribe");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Across replicas through Redis.
    post(&b, &alice, &thread, "from b").await;
    assert_eq!(
        received(&mut on_a, Duration::from_secs(2)).await.as_deref(),
        Some("from b")
    );
    assert_eq!(
        received(&mut on_b, Duration::from_secs(2)).await.as_deref(),
        Some("from b")
    );

    // Redis goes away: writes keep working, the writing replica's subscribers still hear.
    drop(redis);
    post(&b, &alice, &thread, "while redis is down").await;
    assert_eq!(
        received(&mut on_b, Duration::from_secs(2)).await.as_deref(),
        Some("while redis is down")
    );
    assert_eq!(received(&mut on_a, Duration::from_millis(500)).await, None);

    // Redis comes back on the same port: delivery across replicas resumes within 5 s.
    let _redis = redis_server(port);
    let back = Instant::now();
    let mut resumed = None;
    let mut n = 0;
    while back.elapsed() < Duration::from_secs(5) && resumed.is_none() {
        n += 1;
        post(&b, &alice, &thread, &format!("probe {n}")).await;
        while received(&mut on_b, Duration::from_millis(500))
            .await
            .is_some()
        {}
        if received(&mut on_a, Duration::from_millis(250))
            .await
            .is_some()
        {
            resumed = Some(back.elapsed());
        }
    }
    let resumed = resumed.expect("cross-replica delivery resumed within 5 s of Redis coming back");
    eprintln!("cross-replica delivery resumed {resumed:?} after Redis came back");
}

#[tokio::test]
async fn a_removal_made_while_redis_was_down_ends_the_subscription_on_the_other_replica_when_it_returns()
 {
    if copnet_tests::redis_url().is_none() {
        return;
    }
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let redis = redis_server(port);
    let db = TestDatabase::create().await;
    let (server_a, server_b) = (replica(db.url(), &redis_url), replica(db.url(), &redis_url));
    let (a, b) = (server_a.base.clone(), server_b.base.clone());
    let (alice, bob) = (token("alice"), token("bob"));
    let id = |v: &Value, p: &str| v.pointer(p).unwrap().clone();

    let bob_id = id(
        &gql(&a, &bob, "{ viewer { id } }", json!({})).await,
        "/viewer/id",
    );
    let org = gql(&a, &alice, "mutation { createOrganization(input: {slug: \"acme\", name: \"Acme\"}) { organization { id } } }", json!({})).await;
    let net = gql(&a, &alice, "mutation($o: ID!) { createNetwork(input: {hostOrganizationId: $o, slug: \"net\", name: \"Net\", visibility: PUBLIC}) { network { id } } }", json!({"o": id(&org, "/createOrganization/organization/id")})).await;
    let community = gql(&a, &alice, "mutation($n: ID!) { createCommunity(input: {networkId: $n, slug: \"cop\", name: \"C\", visibility: PUBLIC, joinPolicy: OPEN}) { community { id } } }", json!({"n": id(&net, "/createNetwork/network/id")})).await;
    let community = id(&community, "/createCommunity/community/id");
    gql(
        &a,
        &bob,
        "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }",
        json!({"c": community}),
    )
    .await;
    let space = gql(&a, &alice, "mutation($c: ID!) { createSpace(input: {communityId: $c, slug: \"core\", name: \"Core\", visibility: PRIVATE}) { space { id } } }", json!({"c": community})).await;
    let space = id(&space, "/createSpace/space/id");
    gql(&a, &alice, "mutation($s: ID!, $p: ID!) { addSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }", json!({"s": space, "p": bob_id})).await;
    let thread = gql(&a, &alice, "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"first\"}) { thread { id } } }", json!({"s": space})).await;
    let thread = id(&thread, "/startThread/thread/id");

    let mut on_a = WsClient::subscriber(&a, Some(&bob)).await;
    on_a.subscribe(
        "1",
        "subscription($t: ID!) { postAdded(threadId: $t) { body } }",
        json!({"t": thread}),
    )
    .await;
    let thread_id = thread.as_str().unwrap_or_default();
    upstream(
        port,
        &[
            channel("thread", thread_id),
            channel("person", bob_id.as_str().unwrap_or_default()),
        ],
    )
    .await;

    // Redis down: bob is removed through replica B; replica A cannot hear of it.
    drop(redis);
    gql(&b, &alice, "mutation($s: ID!, $p: ID!) { removeSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }", json!({"s": space, "p": bob_id})).await;

    // Redis back: replica A resyncs, and bob's subscription ends with NOT_FOUND.
    let _redis = redis_server(port);
    match on_a.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) if m["type"] == "next" => {
            assert_eq!(
                m.pointer("/payload/errors/0/extensions/code"),
                Some(&json!("NOT_FOUND")),
                "{m}"
            );
        }
        other => panic!("expected the subscription to end with NOT_FOUND, got {other:?}"),
    }
}

/// The subscription `id` on `client` ends with `NOT_FOUND`.
async fn ends_not_found(client: &mut WsClient, id: &str) {
    match client.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) if m["type"] == "next" && m["id"] == id => {
            assert_eq!(
                m.pointer("/payload/errors/0/extensions/code"),
                Some(&json!("NOT_FOUND")),
                "{m}"
            );
        }
        other => panic!("expected {id} to end with NOT_FOUND, got {other:?}"),
    }
}

#[tokio::test]
async fn rights_changed_and_keys_revoked_through_one_replica_end_streams_on_the_other() {
    if copnet_tests::redis_url().is_none() {
        return;
    }
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let _redis = redis_server(port);
    let db = TestDatabase::create().await;
    let (server_a, server_b) = (replica(db.url(), &redis_url), replica(db.url(), &redis_url));
    let (a, b) = (server_a.base.clone(), server_b.base.clone());
    let id = |v: &Value, p: &str| v.pointer(p).unwrap().as_str().unwrap().to_owned();
    let alice = token("alice");
    let [bob, carol, dave, erin] = ["bob", "carol", "dave", "erin"].map(token);
    let mut ids = Vec::new();
    for t in [&bob, &carol, &dave, &erin] {
        ids.push(id(
            &gql(&a, t, "{ viewer { id } }", json!({})).await,
            "/viewer/id",
        ));
    }
    let org = gql(&a, &alice, "mutation { createOrganization(input: {slug: \"acme\", name: \"Acme\"}) { organization { id } } }", json!({})).await;
    let org = id(&org, "/createOrganization/organization/id");
    let net = gql(&a, &alice, "mutation($o: ID!) { createNetwork(input: {hostOrganizationId: $o, slug: \"net\", name: \"Net\", visibility: PUBLIC}) { network { id } } }", json!({"o": org})).await;
    let cop = gql(&a, &alice, "mutation($n: ID!, $o: ID!) { createCommunity(input: {networkId: $n, slug: \"cop\", name: \"C\", visibility: PUBLIC, joinPolicy: OPEN, hostOrganizationId: $o}) { community { id } } }", json!({"n": id(&net, "/createNetwork/network/id"), "o": org})).await;
    let cop = id(&cop, "/createCommunity/community/id");
    for t in [&bob, &dave, &erin] {
        gql(
            &a,
            t,
            "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { id } } }",
            json!({"c": cop}),
        )
        .await;
    }
    gql(&a, &alice, "mutation($c: ID!, $p: ID!) { grantRole(input: {communityId: $c, personId: $p, role: MODERATOR}) { membership { id } } }", json!({"c": cop, "p": ids[2]})).await;
    let space = |slug: &'static str, visibility: &'static str| {
        let (a, alice, cop) = (a.clone(), alice.clone(), cop.clone());
        async move {
            let s = gql(&a, &alice, "mutation($c: ID!, $s: String!, $v: SpaceVisibility!) { createSpace(input: {communityId: $c, slug: $s, name: $s, visibility: $v}) { space { id } } }", json!({"c": cop, "s": slug, "v": visibility})).await;
            s.pointer("/createSpace/space/id")
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (core, open, plaza) = (
        space("core", "PRIVATE").await,
        space("open", "PUBLIC").await,
        space("plaza", "PUBLIC").await,
    );
    for p in [&ids[0], &ids[3]] {
        gql(&a, &alice, "mutation($s: ID!, $p: ID!) { addSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }", json!({"s": core, "p": p})).await;
    }
    let thread_in = |space: String| {
        let (a, alice) = (a.clone(), alice.clone());
        async move {
            let t = gql(&a, &alice, "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }", json!({"s": space})).await;
            t.pointer("/startThread/thread/id")
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (core_thread, open_thread, plaza_thread) = (
        thread_in(core.clone()).await,
        thread_in(open.clone()).await,
        thread_in(plaza.clone()).await,
    );
    let key = gql(&a, &alice, "mutation($o: ID!) { createServiceAccount(input: {organizationId: $o, name: \"sync\", scopes: [READ_HOSTED]}) { serviceAccount { id } token } }", json!({"o": org})).await;
    let (account, key) = (
        id(&key, "/createServiceAccount/serviceAccount/id"),
        id(&key, "/createServiceAccount/token"),
    );

    // Everyone watches on replica A.
    const ADDED: &str = "subscription($t: ID!) { postAdded(threadId: $t) { body } }";
    let watch = |who: Option<String>, thread: String| {
        let a = a.clone();
        async move {
            let mut client = WsClient::subscriber(&a, who.as_deref()).await;
            client.subscribe("w", ADDED, json!({"t": thread})).await;
            client
        }
    };
    let mut bob_on_a = watch(Some(bob.clone()), core_thread.clone()).await;
    let mut dave_on_a = watch(Some(dave.clone()), core_thread.clone()).await;
    let mut erin_on_a = watch(Some(erin.clone()), core_thread.clone()).await;
    let mut carol_on_a = watch(Some(carol.clone()), open_thread.clone()).await;
    let mut anonymous_on_a = watch(None, plaza_thread.clone()).await;
    let mut key_on_a = watch(Some(key.clone()), plaza_thread.clone()).await;
    let mut channels: Vec<String> = [&core_thread, &open_thread, &plaza_thread]
        .iter()
        .map(|t| channel("thread", t))
        .collect();
    channels.extend(ids.iter().map(|p| channel("person", p)));
    channels.push(channel("community", &cop));
    channels.push(channel("service-account", &account));
    upstream(port, &channels).await;

    // Each change is made through replica B.
    gql(&b, &alice, "mutation($c: ID!, $p: ID!) { removeMember(input: {communityId: $c, personId: $p}) { membership { id } } }", json!({"c": cop, "p": ids[0]})).await;
    ends_not_found(&mut bob_on_a, "w").await;
    gql(
        &b,
        &erin,
        "mutation($c: ID!) { leaveCommunity(input: {communityId: $c}) { membership { id } } }",
        json!({"c": cop}),
    )
    .await;
    ends_not_found(&mut erin_on_a, "w").await;
    gql(&b, &alice, "mutation($c: ID!, $p: ID!) { revokeRole(input: {communityId: $c, personId: $p, role: MODERATOR}) { membership { id } } }", json!({"c": cop, "p": ids[2]})).await;
    ends_not_found(&mut dave_on_a, "w").await;
    gql(&b, &alice, "mutation($s: ID!) { updateSpace(input: {spaceId: $s, visibility: MEMBERS}) { space { id } } }", json!({"s": open})).await;
    ends_not_found(&mut carol_on_a, "w").await;
    gql(&b, &alice, "mutation($c: ID!) { updateCommunity(input: {communityId: $c, visibility: PRIVATE}) { community { id } } }", json!({"c": cop})).await;
    ends_not_found(&mut anonymous_on_a, "w").await;
    // The key's socket on A outlived the community change (its organization hosts it), and
    // closes when B revokes the key.
    gql(&b, &alice, "mutation($a: ID!) { revokeServiceAccount(input: {serviceAccountId: $a}) { serviceAccount { id } } }", json!({"a": account})).await;
    assert_eq!(
        key_on_a.next(Duration::from_secs(5)).await,
        WsEvent::Closed(Some(4403))
    );
}

/// The bodies of the next `n` `postAdded` items on `client`.
async fn next_bodies(client: &mut WsClient, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        match client.next(Duration::from_secs(10)).await {
            WsEvent::Message(m) if m["type"] == "next" => out.push(
                m.pointer("/payload/data/postAdded/body")
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{m}"))
                    .to_owned(),
            ),
            other => panic!("expected a post after {out:?}, got {other:?}"),
        }
    }
    out
}

#[tokio::test]
async fn posts_written_while_redis_was_down_reach_subscribers_on_the_other_replica_in_order() {
    if copnet_tests::redis_url().is_none() {
        return;
    }
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let redis = redis_server(port);
    let db = TestDatabase::create().await;
    let (server_a, server_b) = (replica(db.url(), &redis_url), replica(db.url(), &redis_url));
    let (a, b) = (server_a.base.clone(), server_b.base.clone());
    let alice = token("alice");
    let v = |v: &Value, p: &str| v.pointer(p).unwrap().as_str().unwrap().to_owned();
    let org = gql(&a, &alice, "mutation { createOrganization(input: {slug: \"acme\", name: \"Acme\"}) { organization { id } } }", json!({})).await;
    let net = gql(&a, &alice, "mutation($o: ID!) { createNetwork(input: {hostOrganizationId: $o, slug: \"net\", name: \"Net\", visibility: PUBLIC}) { network { id } } }", json!({"o": v(&org, "/createOrganization/organization/id")})).await;
    let cop = gql(&a, &alice, "mutation($n: ID!) { createCommunity(input: {networkId: $n, slug: \"cop\", name: \"C\", visibility: PUBLIC, joinPolicy: OPEN}) { community { id } } }", json!({"n": v(&net, "/createNetwork/network/id")})).await;
    let space = gql(&a, &alice, "mutation($c: ID!) { createSpace(input: {communityId: $c, slug: \"talk\", name: \"S\", visibility: PUBLIC}) { space { id } } }", json!({"c": v(&cop, "/createCommunity/community/id")})).await;
    let thread = gql(&a, &alice, "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"first\"}) { thread { id } } }", json!({"s": v(&space, "/createSpace/space/id")})).await;
    let thread = v(&thread, "/startThread/thread/id");
    const ADDED: &str =
        "subscription($t: ID!, $a: String) { postAdded(threadId: $t, after: $a) { body cursor } }";

    // One client stays connected to A; another leaves after its first post.
    let mut staying = WsClient::subscriber(&a, None).await;
    staying.subscribe("1", ADDED, json!({"t": thread})).await;
    let mut leaving = WsClient::subscriber(&a, None).await;
    leaving.subscribe("1", ADDED, json!({"t": thread})).await;
    upstream(port, &[channel("thread", &thread)]).await;
    post(&b, &alice, &thread, "seen").await;
    assert_eq!(next_bodies(&mut staying, 1).await, ["seen"]);
    let seen = match leaving.next(Duration::from_secs(10)).await {
        WsEvent::Message(m) => m
            .pointer("/payload/data/postAdded/cursor")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{m}"))
            .to_owned(),
        other => panic!("expected the first post, got {other:?}"),
    };
    drop(leaving);

    // Redis goes away; 20 posts are written through B; Redis comes back.
    drop(redis);
    let missed: Vec<String> = (0..20).map(|i| format!("missed {i}")).collect();
    for body in &missed {
        post(&b, &alice, &thread, body).await;
    }
    let _redis = redis_server(port);

    // A replays what it could not hear to the client that stayed, in order, once ...
    assert_eq!(next_bodies(&mut staying, 20).await, missed);
    // ... and the client that left resumes from its cursor with exactly those.
    let mut back = WsClient::subscriber(&a, None).await;
    back.subscribe("2", ADDED, json!({"t": thread, "a": seen}))
        .await;
    assert_eq!(next_bodies(&mut back, 20).await, missed);
    // Live again across replicas, with nothing twice.
    let deadline = Instant::now() + Duration::from_secs(10);
    while numsub(port, &channel("thread", &thread)) < 1 {
        assert!(Instant::now() < deadline, "A did not resubscribe");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    post(&b, &alice, &thread, "live").await;
    assert_eq!(next_bodies(&mut staying, 1).await, ["live"]);
    assert_eq!(next_bodies(&mut back, 1).await, ["live"]);
}
