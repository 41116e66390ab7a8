//! Participation circles through HTTP: activity fixtures whose circles are worked out by hand,
//! settings, counts for members only, and the denial paths.

use chrono::{DurationRound, SecondsFormat, TimeDelta, Utc};
use copnet_tests::{TestApp, fixtures::Person, uuid_of};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::{Value, json};

use crate::mutations::world;

const START: &str = "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"t\", body: \"b\"}) { thread { id } } }";
const REPLY: &str =
    "mutation($t: ID!) { createPost(input: {threadId: $t, body: \"r\"}) { post { id } } }";
const REACT: &str = "mutation($p: ID!, $e: ReactionEmoji!) { addReaction(input: {postId: $p, emoji: $e}) { post { id } } }";
const MEMBERS: &str = "query($c: ID!) { node(id: $c) { ... on Community {
    circles { core inner outer new }
    circleSettings { windowDays innerThreshold newDays }
    members(first: 50) { edges { node { person { displayName } circle circleSince
      activity { posts replies reactions rsvps assets windowDays } } } } } } }";
const SETTINGS: &str = "mutation($c: ID!, $w: Int, $t: Int, $n: Int) { setCircleSettings(input: {communityId: $c, windowDays: $w, innerThreshold: $t, newDays: $n}) { community { circleSettings { windowDays innerThreshold newDays } } } }";

/// Moves a member's recorded activity `days` days into the past and their join time
/// `joined_days` days back, as if both had happened then.
async fn backdate(app: &TestApp, who: &Person, days: i32, joined_days: i64) {
    let person = uuid_of(&who.id);
    let conn = app.database().conn();
    let activity = Query::update()
        .table("activity_days")
        .value("day", Expr::col("day").sub(days))
        .and_where(Expr::col("person_id").eq(person))
        .to_owned();
    conn.execute(&activity).await.expect("backdate activity");
    let joined = Query::update()
        .table("memberships")
        .value("joined_at", Utc::now() - TimeDelta::days(joined_days))
        .and_where(Expr::col("person_id").eq(person))
        .to_owned();
    conn.execute(&joined).await.expect("backdate join");
}

/// Each member's (circle, activity) by display name.
fn by_name(g: &copnet_tests::Gql) -> Vec<(String, String, Value)> {
    let mut out: Vec<(String, String, Value)> = g
        .at("/node/members/edges")
        .as_array()
        .expect("members")
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["person"]["displayName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                n["circle"].as_str().unwrap_or_default().to_owned(),
                n["activity"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn circle_of(rows: &[(String, String, Value)], name: &str) -> String {
    rows.iter()
        .find(|r| r.0 == name)
        .map(|r| r.1.clone())
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

#[tokio::test]
async fn circles_follow_roles_contributions_in_the_window_and_join_time() {
    let w = world().await;
    let app = &w.app;
    let space = app.space(&w.alice, &w.community, "open", "PUBLIC").await;
    let mut people = Vec::new();
    for name in ["dan", "erin", "frank", "gina"] {
        let p = app.person(name).await;
        app.enroll(&w.alice, &w.community, &p).await;
        people.push(p);
    }
    let [dan, erin, frank, gina] = [&people[0], &people[1], &people[2], &people[3]];
    app.grant(&w.alice, &w.community, gina, "MODERATOR").await;

    // Dan: a thread, a reply and a GOING answer (3 contributions) and two reactions.
    let thread = app
        .must(dan, START, json!({"s": space}), "/startThread/thread/id")
        .await;
    let reply = app
        .must(dan, REPLY, json!({"t": thread}), "/createPost/post/id")
        .await;
    for emoji in ["HEART", "CELEBRATE"] {
        app.must(
            dan,
            REACT,
            json!({"p": reply, "e": emoji}),
            "/addReaction/post/id",
        )
        .await;
    }
    let minute = TimeDelta::minutes(1);
    let starts = Utc::now().duration_trunc(minute).expect("minute") + TimeDelta::days(2);
    let iso = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let event = app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": iso(starts), "endsAt": iso(starts + TimeDelta::hours(1))}),
        )
        .await;
    let rsvp = "mutation($e: ID!, $o: DateTime!, $r: RsvpResponse!) { rsvp(input: {eventId: $e, occurrenceStart: $o, response: $r}) { occurrence { startsAt } } }";
    app.must(
        dan,
        rsvp,
        json!({"e": event, "o": iso(starts), "r": "GOING"}),
        "/rsvp/occurrence/startsAt",
    )
    .await;
    // Erin: two threads (2 contributions). Frank: three threads, 100 days ago.
    for who in [erin, erin, frank, frank, frank] {
        app.must(who, START, json!({"s": space}), "/startThread/thread/id")
            .await;
    }

    let g = w
        .run(Some(&w.bob), MEMBERS, json!({"c": w.community}))
        .await;
    g.ok();
    let rows = by_name(&g);
    assert_eq!(circle_of(&rows, "alice"), "CORE");
    assert_eq!(circle_of(&rows, "gina"), "CORE");
    assert_eq!(circle_of(&rows, "dan"), "INNER");
    // Erin joined today and is short of 3 contributions: NEW. Frank has 3: INNER.
    assert_eq!(circle_of(&rows, "erin"), "NEW");
    assert_eq!(circle_of(&rows, "frank"), "INNER");
    assert_eq!(circle_of(&rows, "bob"), "NEW");
    let dan_activity = &rows.iter().find(|r| r.0 == "dan").expect("dan").2;
    assert_eq!(
        dan_activity,
        &json!({"posts": 1, "replies": 1, "reactions": 2, "rsvps": 1, "assets": 0, "windowDays": 90})
    );

    // Erin joined 40 days ago; Frank's threads were 100 days ago, and he joined 120 days
    // ago. Deciding again (same settings): Erin OUTER (past NEW, 2 < 3), Frank OUTER
    // (nothing in the window).
    backdate(app, erin, 0, 40).await;
    backdate(app, frank, 100, 120).await;
    w.run(Some(&w.alice), SETTINGS, json!({"c": w.community}))
        .await
        .ok();
    let g = w
        .run(Some(&w.bob), MEMBERS, json!({"c": w.community}))
        .await;
    let rows = by_name(&g);
    assert_eq!(circle_of(&rows, "erin"), "OUTER");
    assert_eq!(circle_of(&rows, "frank"), "OUTER");
    assert_eq!(
        g.at("/node/circles"),
        &json!({"core": 2, "inner": 1, "outer": 2, "new": 1})
    );
    let frank_activity = &rows.iter().find(|r| r.0 == "frank").expect("frank").2;
    assert_eq!(frank_activity["posts"], 0, "outside the window");

    // Dan deletes his reply: 2 contributions, and he joined today: NEW again.
    let delete = "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { id } } }";
    w.run(Some(dan), delete, json!({"p": reply})).await.ok();
    let rows = by_name(
        &w.run(Some(&w.bob), MEMBERS, json!({"c": w.community}))
            .await,
    );
    assert_eq!(circle_of(&rows, "dan"), "NEW");

    // Two contributions suffice from now on: Dan and Erin are INNER, Frank stays OUTER.
    let g = app
        .gql(
            Some(&w.alice.token),
            SETTINGS,
            json!({"c": w.community, "t": 2}),
        )
        .await;
    assert_eq!(
        g.at("/setCircleSettings/community/circleSettings"),
        &json!({"windowDays": 90, "innerThreshold": 2, "newDays": 30})
    );
    let g = w
        .run(Some(&w.bob), MEMBERS, json!({"c": w.community}))
        .await;
    assert_eq!(
        g.at("/node/circles"),
        &json!({"core": 2, "inner": 2, "outer": 1, "new": 1})
    );
}

#[tokio::test]
async fn circle_counts_are_for_members_and_settings_for_managers() {
    let w = world().await;
    let counts = "query($c: ID!) { node(id: $c) { ... on Community { circles { core new } } } }";
    let member = w.run(Some(&w.bob), counts, json!({"c": w.community})).await;
    assert_eq!(member.at("/node/circles"), &json!({"core": 1, "new": 1}));
    for who in [Some(&w.carol), None] {
        let g = w.run(who, counts, json!({"c": w.community})).await;
        g.ok();
        assert_eq!(g.at("/node/circles"), &Value::Null);
    }

    let denied = w
        .run(Some(&w.bob), SETTINGS, json!({"c": w.community, "w": 30}))
        .await;
    denied.expect_code("FORBIDDEN");
    let outsider = w
        .run(Some(&w.carol), SETTINGS, json!({"c": w.community, "w": 30}))
        .await;
    outsider.expect_code("FORBIDDEN");
    for (vars, field) in [
        (json!({"c": w.community, "w": 0}), "windowDays"),
        (json!({"c": w.community, "w": 400}), "windowDays"),
        (json!({"c": w.community, "t": 0}), "innerThreshold"),
        (json!({"c": w.community, "n": -1}), "newDays"),
    ] {
        let g = w.run(Some(&w.alice), SETTINGS, vars).await;
        g.expect_code("BAD_USER_INPUT");
        assert_eq!(g.field(), Some(field), "{}", g.body);
    }
    let kept = w
        .run(
            Some(&w.bob),
            "query($c: ID!) { node(id: $c) { ... on Community { circleSettings { windowDays innerThreshold newDays } } } }",
            json!({"c": w.community}),
        )
        .await;
    assert_eq!(
        kept.at("/node/circleSettings"),
        &json!({"windowDays": 90, "innerThreshold": 3, "newDays": 30})
    );
}
