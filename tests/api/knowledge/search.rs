//! `Query.search`: full-text with stemming in four languages, phrases and prefixes, kept in
//! step by the writes, and every hit and count filtered by the caller's rights.

use serde_json::{Value, json};

use crate::mutations::world;

const SEARCH: &str =
    "query($q: String!, $t: [SearchType!], $n: ID, $c: ID, $first: Int, $after: String) {
    search(query: $q, types: $t, networkId: $n, communityId: $c, first: $first, after: $after) {
      totalCount countsByType { type count } pageInfo { hasNextPage endCursor }
      edges { cursor type snippet rank node {
        __typename
        ... on Community { id name } ... on Space { id name } ... on Thread { id title }
        ... on Post { id body } ... on Asset { id title } ... on Event { id title }
        ... on Person { id displayName } } } } }";
const START: &str = "mutation($s: ID!, $title: String!, $body: String!) { startThread(input: {spaceId: $s, title: $title, body: $body}) { thread { id posts(first: 1) { nodes { id } } } } }";
const REPLY: &str = "mutation($t: ID!, $b: String!) { createPost(input: {threadId: $t, body: $b}) { post { id } } }";
const ASSET: &str = "mutation($s: ID!, $title: String!) { createAsset(input: {spaceId: $s, kind: TOOLKIT, title: $title, summary: \"A guide to drip irrigation\"}) { asset { id } } }";

fn vars(q: &str) -> Value {
    json!({ "q": q })
}

/// The (type, id) of every hit, in order.
fn hits(g: &copnet_tests::Gql) -> Vec<(String, String)> {
    g.ok();
    g.at("/search/edges")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default().to_owned(),
                e["node"]["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn count(g: &copnet_tests::Gql, kind: &str) -> u64 {
    g.at("/search/countsByType")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .find(|c| c["type"] == kind)
        .and_then(|c| c["count"].as_u64())
        .unwrap_or(0)
}

#[tokio::test]
async fn search_stems_four_languages_and_understands_phrases_and_prefixes() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let started = app
        .gql(
            Some(&w.bob.token),
            START,
            json!({"s": open, "title": "Rainwater harvesting in drylands",
                   "body": "We **harvested** 40 litres after the first storm."}),
        )
        .await;
    let thread = started.str("/startThread/thread/id");
    let first_post = started.str("/startThread/thread/posts/nodes/0/id");
    let spanish = app
        .must(
            &w.alice,
            REPLY,
            json!({"t": thread, "b": "Las cosechas de agua de lluvia mejoran los cultivos de las comunidades rurales."}),
            "/createPost/post/id",
        )
        .await;
    let french = app
        .must(
            &w.alice,
            REPLY,
            json!({"t": thread, "b": "Les communautés rurales récoltent l'eau de pluie pour leurs cultures."}),
            "/createPost/post/id",
        )
        .await;

    // English stems: "harvests" finds the title's "harvesting" and the body's "harvested".
    let found = w.run(Some(&w.carol), SEARCH, vars("harvests")).await;
    let mut got = hits(&found);
    got.sort();
    let mut want = vec![
        ("POST".to_owned(), first_post.clone()),
        ("THREAD".to_owned(), thread.clone()),
    ];
    want.sort();
    assert_eq!(got, want);
    let post_edge = found
        .at("/search/edges")
        .as_array()
        .and_then(|e| e.iter().find(|e| e["type"] == "POST").cloned())
        .expect("the post");
    assert!(
        post_edge["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>harvested</mark>")),
        "{post_edge}"
    );
    assert!(post_edge["rank"].as_f64().is_some_and(|r| r > 0.0));
    assert_eq!(found.at("/search/totalCount"), 2);

    // Spanish and French stems, accents or not.
    let cosecha = w.run(None, SEARCH, vars("cosecha")).await;
    assert_eq!(hits(&cosecha), [("POST".to_owned(), spanish.clone())]);
    let communaute = w.run(None, SEARCH, vars("communaute")).await;
    assert_eq!(hits(&communaute), [("POST".to_owned(), french.clone())]);

    // A phrase needs its words in a row; a prefix matches the words it starts.
    let phrase = w.run(None, SEARCH, vars("\"rainwater harvesting\"")).await;
    assert_eq!(hits(&phrase), [("THREAD".to_owned(), thread.clone())]);
    let reversed = w.run(None, SEARCH, vars("\"harvesting rainwater\"")).await;
    assert_eq!(hits(&reversed), []);
    let prefix = w.run(None, SEARCH, vars("dryl*")).await;
    assert_eq!(hits(&prefix), [("THREAD".to_owned(), thread.clone())]);
    let every_word = w.run(None, SEARCH, vars("rainwater storm")).await;
    assert_eq!(hits(&every_word), [], "all words are required");
}

#[tokio::test]
async fn search_never_finds_or_counts_what_the_caller_may_not_read() {
    let w = world().await;
    let app = &w.app;
    let core = app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let members = app.space(&w.alice, &w.community, "inner", "MEMBERS").await;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let secret = app
        .must(
            &w.alice,
            START,
            json!({"s": core, "title": "Compost budget", "body": "compost costs"}),
            "/startThread/thread/id",
        )
        .await;
    app.must(
        &w.alice,
        START,
        json!({"s": members, "title": "Compost rota", "body": "compost turns"}),
        "/startThread/thread/id",
    )
    .await;
    let public = app
        .gql(
            Some(&w.bob.token),
            START,
            json!({"s": open, "title": "Compost basics", "body": "compost for all"}),
        )
        .await;
    let public_post = public.str("/startThread/thread/posts/nodes/0/id");
    let draft = app
        .must(
            &w.alice,
            ASSET,
            json!({"s": open, "title": "Compost toolkit"}),
            "/createAsset/asset/id",
        )
        .await;
    let hidden = app
        .must(
            &w.bob,
            REPLY,
            json!({"t": public.str("/startThread/thread/id"), "b": "compost spam"}),
            "/createPost/post/id",
        )
        .await;
    app.must(
        &w.alice,
        "mutation($p: ID!) { hidePost(input: {postId: $p, hidden: true}) { post { id } } }",
        json!({"p": hidden}),
        "/hidePost/post/id",
    )
    .await;
    let private = app
        .community(
            &w.alice,
            &w.network,
            "compost-circle",
            "PRIVATE",
            "INVITE_ONLY",
        )
        .await;

    let q = vars("compost");
    // Anonymous and outsiders: the public space only.
    for who in [None, Some(&w.carol)] {
        let g = w.run(who, SEARCH, q.clone()).await;
        g.ok();
        assert_eq!(count(&g, "THREAD"), 1, "{:?}", g.body);
        assert_eq!(count(&g, "POST"), 1);
        assert_eq!(count(&g, "ASSET"), 0, "a draft is its author's");
        assert_eq!(
            count(&g, "COMMUNITY"),
            0,
            "a private community stays hidden"
        );
        assert_eq!(g.at("/search/totalCount"), 2);
        assert!(!g.body.to_string().contains("budget"));
        assert!(hits(&g).contains(&("POST".to_owned(), public_post.clone())));
    }
    // A member reads the members' space, not the private one, nor the hidden post.
    let bob = w.run(Some(&w.bob), SEARCH, q.clone()).await;
    assert_eq!(count(&bob, "THREAD"), 2);
    assert_eq!(count(&bob, "POST"), 2);
    assert!(!bob.body.to_string().contains("budget"));
    assert!(!hits(&bob).iter().any(|(_, id)| *id == hidden));
    // The manager reads everything: the private space, her draft, her private community.
    let alice = w.run(Some(&w.alice), SEARCH, q.clone()).await;
    assert_eq!(count(&alice, "THREAD"), 3);
    assert_eq!(count(&alice, "ASSET"), 1);
    assert_eq!(count(&alice, "COMMUNITY"), 1);
    let found = hits(&alice);
    assert!(found.contains(&("THREAD".to_owned(), secret.clone())));
    assert!(found.contains(&("ASSET".to_owned(), draft.clone())));
    assert!(found.contains(&("COMMUNITY".to_owned(), private.clone())));
    // Narrowing to a community the caller may not see is NOT_FOUND, as if it did not exist.
    let narrowed = w
        .run(
            Some(&w.carol),
            SEARCH,
            json!({"q": "compost", "c": private}),
        )
        .await;
    narrowed.expect_code("NOT_FOUND");
    // Shown again, the post is found again; hidden once more, it is gone once more.
    for shown in [true, false] {
        app.must(
            &w.alice,
            "mutation($p: ID!, $h: Boolean!) { hidePost(input: {postId: $p, hidden: $h}) { post { id } } }",
            json!({"p": hidden, "h": !shown}),
            "/hidePost/post/id",
        )
        .await;
        let bob = w.run(Some(&w.bob), SEARCH, q.clone()).await;
        assert_eq!(count(&bob, "POST"), if shown { 3 } else { 2 });
        assert_eq!(hits(&bob).iter().any(|(_, id)| *id == hidden), shown);
    }
}

#[tokio::test]
async fn search_narrows_by_type_and_place_pages_and_refuses_bad_queries() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let other = app
        .community(&w.alice, &w.network, "orchard", "PUBLIC", "OPEN")
        .await;
    let other_space = app.space(&w.alice, &other, "open", "PUBLIC").await;
    for (space, title) in [
        (&open, "Mulch one"),
        (&open, "Mulch two"),
        (&other_space, "Mulch three"),
    ] {
        app.must(
            &w.alice,
            START,
            json!({"s": space, "title": title, "body": "mulch notes"}),
            "/startThread/thread/id",
        )
        .await;
    }
    app.event(
        &w.alice,
        json!({"communityId": w.community}),
        json!({"title": "Mulch day", "description": "Bring mulch"}),
    )
    .await;

    let all = w.run(None, SEARCH, vars("mulch")).await;
    all.ok();
    assert_eq!(count(&all, "THREAD"), 3);
    assert_eq!(count(&all, "POST"), 3);
    assert_eq!(count(&all, "EVENT"), 1);
    assert_eq!(all.at("/search/totalCount"), 7);

    let threads = w
        .run(
            None,
            SEARCH,
            json!({"q": "mulch", "t": ["THREAD"], "c": w.community, "first": 1}),
        )
        .await;
    assert_eq!(threads.at("/search/totalCount"), 2);
    assert_eq!(hits(&threads).len(), 1);
    assert_eq!(threads.at("/search/pageInfo/hasNextPage"), true);
    let after = threads.str("/search/pageInfo/endCursor");
    let next = w
        .run(
            None,
            SEARCH,
            json!({"q": "mulch", "t": ["THREAD"], "c": w.community, "first": 1, "after": after}),
        )
        .await;
    assert_eq!(hits(&next).len(), 1);
    assert_ne!(hits(&next), hits(&threads));
    assert_eq!(next.at("/search/pageInfo/hasNextPage"), false);

    // People narrowed to a community are its members.
    let people = w
        .run(
            Some(&w.alice),
            SEARCH,
            json!({"q": "bob", "t": ["PERSON"], "c": w.community}),
        )
        .await;
    assert_eq!(hits(&people), [("PERSON".to_owned(), w.bob.id.clone())]);
    let elsewhere = w
        .run(
            Some(&w.alice),
            SEARCH,
            json!({"q": "bob", "t": ["PERSON"], "c": other}),
        )
        .await;
    assert_eq!(hits(&elsewhere), []);

    for bad in [
        json!({"q": "  \"\" * "}),
        json!({"q": "x".repeat(201)}),
        json!({"q": "mulch", "first": 0}),
        json!({"q": "mulch", "first": 51}),
        json!({"q": "mulch", "after": "bm90LWEtY3Vyc29y"}),
    ] {
        w.run(None, SEARCH, bad.clone())
            .await
            .expect_code("BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn edits_and_deletions_keep_the_index_in_step() {
    let w = world().await;
    let app = &w.app;
    let open = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let started = app
        .gql(
            Some(&w.bob.token),
            START,
            json!({"s": open, "title": "Seeds", "body": "sunflower seeds"}),
        )
        .await;
    let post = started.str("/startThread/thread/posts/nodes/0/id");
    let sunflower = || w.run(None, SEARCH, vars("sunflower"));
    assert_eq!(sunflower().await.at("/search/totalCount"), 1);

    app.must(
        &w.bob,
        "mutation($p: ID!) { editPost(input: {postId: $p, body: \"pumpkin seeds\"}) { post { id } } }",
        json!({"p": post}),
        "/editPost/post/id",
    )
    .await;
    assert_eq!(sunflower().await.at("/search/totalCount"), 0);
    let pumpkin = w.run(None, SEARCH, vars("pumpkins")).await;
    assert_eq!(hits(&pumpkin), [("POST".to_owned(), post.clone())]);

    app.must(
        &w.bob,
        "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { id } } }",
        json!({"p": post}),
        "/deletePost/post/id",
    )
    .await;
    assert_eq!(
        w.run(None, SEARCH, vars("pumpkin"))
            .await
            .at("/search/totalCount"),
        0
    );

    // A space made private leaves the search at once (its rights are read live).
    let renamed = w
        .run(
            Some(&w.alice),
            "mutation($s: ID!) { updateSpace(input: {spaceId: $s, visibility: PRIVATE}) { space { id } } }",
            json!({"s": open}),
        )
        .await;
    renamed.ok();
    assert_eq!(
        w.run(Some(&w.carol), SEARCH, vars("seeds"))
            .await
            .at("/search/totalCount"),
        0
    );
}
