//! Onboarding journeys through HTTP: managers define them, members walk them (some steps
//! complete themselves from activity), managers see who is stuck.

use chrono::{DurationRound, SecondsFormat, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::mutations::world;

const SET: &str = "mutation($c: ID!, $s: [OnboardingStepInput!]!) { setOnboardingSteps(input: {communityId: $c, steps: $s}) { community { onboardingSteps { key kind } } } }";
const DONE: &str = "mutation($c: ID!, $k: String!) { completeOnboardingStep(input: {communityId: $c, key: $k}) { membership { onboarding { completed total finished steps { key completedAt } } } } }";
const MINE: &str = "query($c: ID!) { node(id: $c) { ... on Community { viewerMembership { id onboarding { completed total finished steps { key kind completedAt } } } } } }";
const STUCK: &str = "query($c: ID!, $d: Int) { node(id: $c) { ... on Community { onboardingStuck(olderThanDays: $d) { totalCount nodes { person { displayName } onboarding { completed total } } } } } }";

fn journey() -> Value {
    json!([
        {"key": "read-charter", "title": "Read the charter", "kind": "READ_CHARTER"},
        {"key": "hello", "title": "Introduce yourself", "description": "In the welcome space", "kind": "INTRODUCE_YOURSELF"},
        {"key": "first-post", "title": "Write a first post", "kind": "FIRST_POST"},
        {"key": "first-event", "title": "Come to a roundtable", "kind": "FIRST_EVENT"},
    ])
}

fn completed_at(progress: &Value, key: &str) -> Value {
    progress["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["key"] == key))
        .map(|s| s["completedAt"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_new_member_walks_the_journey_and_derived_steps_complete_themselves() {
    let w = world().await;
    let set = w
        .run(
            Some(&w.alice),
            SET,
            json!({"c": w.community, "s": journey()}),
        )
        .await;
    set.ok();
    assert_eq!(
        set.at("/setOnboardingSteps/community/onboardingSteps/2"),
        &json!({"key": "first-post", "kind": "FIRST_POST"})
    );
    let mine = w.run(Some(&w.bob), MINE, json!({"c": w.community})).await;
    mine.ok();
    let progress = mine.at("/node/viewerMembership/onboarding");
    assert_eq!(
        (
            &progress["completed"],
            &progress["total"],
            &progress["finished"]
        ),
        (&json!(0), &json!(4), &json!(false))
    );

    let marked = w
        .run(
            Some(&w.bob),
            DONE,
            json!({"c": w.community, "k": "read-charter"}),
        )
        .await;
    marked.ok();
    let progress = marked.at("/completeOnboardingStep/membership/onboarding");
    let first_time = completed_at(progress, "read-charter");
    assert!(first_time.is_string(), "{progress}");
    // Marking it again keeps the first time.
    let again = w
        .run(
            Some(&w.bob),
            DONE,
            json!({"c": w.community, "k": "read-charter"}),
        )
        .await;
    assert_eq!(
        completed_at(
            again.at("/completeOnboardingStep/membership/onboarding"),
            "read-charter"
        ),
        first_time
    );
    // Derived steps are not marked by hand; unknown keys are not found.
    let derived = w
        .run(
            Some(&w.bob),
            DONE,
            json!({"c": w.community, "k": "first-post"}),
        )
        .await;
    derived.expect_code("BAD_USER_INPUT");
    assert_eq!(derived.field(), Some("key"));
    w.run(Some(&w.bob), DONE, json!({"c": w.community, "k": "nope"}))
        .await
        .expect_code("NOT_FOUND");
    w.run(
        Some(&w.carol),
        DONE,
        json!({"c": w.community, "k": "hello"}),
    )
    .await
    .expect_code("FORBIDDEN");

    // A first post completes FIRST_POST.
    let space = w
        .app
        .space(&w.alice, &w.community, "welcome", "PUBLIC")
        .await;
    w.app
        .must(
            &w.bob,
            "mutation($s: ID!) { startThread(input: {spaceId: $s, title: \"Hello\", body: \"I am Bob\"}) { thread { id } } }",
            json!({"s": space}),
            "/startThread/thread/id",
        )
        .await;
    // An RSVP GOING to an occurrence that has started completes FIRST_EVENT; one to a
    // future occurrence does not.
    let minute = TimeDelta::minutes(1);
    let started = Utc::now().duration_trunc(minute).expect("minute") - TimeDelta::minutes(10);
    let iso = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let rsvp = "mutation($e: ID!, $o: DateTime!) { rsvp(input: {eventId: $e, occurrenceStart: $o, response: GOING}) { occurrence { startsAt } } }";
    let later = started + TimeDelta::days(3);
    let future = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": iso(later), "endsAt": iso(later + TimeDelta::hours(1))}),
        )
        .await;
    w.app
        .must(
            &w.bob,
            rsvp,
            json!({"e": future, "o": iso(later)}),
            "/rsvp/occurrence/startsAt",
        )
        .await;
    let mine = w.run(Some(&w.bob), MINE, json!({"c": w.community})).await;
    let progress = mine.at("/node/viewerMembership/onboarding");
    assert!(
        completed_at(progress, "first-post").is_string(),
        "{progress}"
    );
    assert_eq!(completed_at(progress, "first-event"), Value::Null);
    let now = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": iso(started), "endsAt": iso(started + TimeDelta::hours(2))}),
        )
        .await;
    w.app
        .must(
            &w.bob,
            rsvp,
            json!({"e": now, "o": iso(started)}),
            "/rsvp/occurrence/startsAt",
        )
        .await;
    w.run(Some(&w.bob), DONE, json!({"c": w.community, "k": "hello"}))
        .await
        .ok();
    let mine = w.run(Some(&w.bob), MINE, json!({"c": w.community})).await;
    let progress = mine.at("/node/viewerMembership/onboarding");
    assert_eq!(
        completed_at(progress, "first-event"),
        json!(started.to_rfc3339())
    );
    assert_eq!(
        (&progress["completed"], &progress["finished"]),
        (&json!(4), &json!(true))
    );

    // The member and the managers see it; others do not.
    let membership = mine.str("/node/viewerMembership/id");
    let read = "query($m: ID!) { node(id: $m) { ... on Membership { onboarding { completed } } } }";
    assert_eq!(
        w.run(Some(&w.alice), read, json!({"m": membership}))
            .await
            .at("/node/onboarding/completed"),
        &json!(4)
    );
    for who in [Some(&w.carol), None] {
        let seen = w.run(who, read, json!({"m": membership})).await;
        seen.ok();
        assert_eq!(seen.at("/node/onboarding"), &Value::Null);
    }
    let steps = "query($c: ID!) { node(id: $c) { ... on Community { onboardingSteps { key } } } }";
    assert_eq!(
        w.run(Some(&w.carol), steps, json!({"c": w.community}))
            .await
            .at("/node/onboardingSteps"),
        &Value::Null
    );
}

#[tokio::test]
async fn managers_see_who_is_stuck_in_onboarding() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let stuck = |days: Option<i64>| json!({"c": w.community, "d": days});
    // No journey: nobody is stuck.
    let none = w.run(Some(&w.alice), STUCK, stuck(Some(0))).await;
    none.ok();
    assert_eq!(none.at("/node/onboardingStuck/totalCount"), &json!(0));
    w.run(
        Some(&w.alice),
        SET,
        json!({"c": w.community, "s": [{"key": "hello", "title": "Introduce yourself", "kind": "INTRODUCE_YOURSELF"}]}),
    )
    .await
    .ok();
    w.run(Some(&w.bob), DONE, json!({"c": w.community, "k": "hello"}))
        .await
        .ok();
    // Alice (who founded it) and Dan have not introduced themselves; Bob has.
    let listed = w.run(Some(&w.alice), STUCK, stuck(Some(0))).await;
    listed.ok();
    assert_eq!(
        listed.at("/node/onboardingStuck"),
        &json!({"totalCount": 2, "nodes": [
            {"person": {"displayName": "alice"}, "onboarding": {"completed": 0, "total": 1}},
            {"person": {"displayName": "dan"}, "onboarding": {"completed": 0, "total": 1}}]})
    );
    // Everyone joined today: nobody is stuck for more than 14 days.
    let recent = w.run(Some(&w.alice), STUCK, stuck(None)).await;
    assert_eq!(recent.at("/node/onboardingStuck/totalCount"), &json!(0));
    w.run(Some(&w.alice), STUCK, stuck(Some(-1)))
        .await
        .expect_code("BAD_USER_INPUT");
    for who in [Some(&w.bob), Some(&w.carol), None] {
        w.run(who, STUCK, stuck(Some(0)))
            .await
            .expect_code("FORBIDDEN");
    }
}

#[tokio::test]
async fn journeys_refuse_bad_steps_non_managers_and_archived_communities() {
    let w = world().await;
    let step = |key: &str, kind: &str| json!({"key": key, "title": "A step", "kind": kind});
    for (steps, why) in [
        (
            json!([step("a1", "CUSTOM"), step("a1", "READ_CHARTER")]),
            "a key used twice",
        ),
        (
            json!([step("p1", "FIRST_POST"), step("p2", "FIRST_POST")]),
            "two FIRST_POST steps",
        ),
        (
            json!([step("Not A Slug", "CUSTOM")]),
            "a key that is no slug",
        ),
        (
            json!([{"key": "t1", "title": "", "kind": "CUSTOM"}]),
            "an empty title",
        ),
        (
            json!(
                (0..21)
                    .map(|i| step(&format!("s{i}"), "CUSTOM"))
                    .collect::<Vec<_>>()
            ),
            "21 steps",
        ),
    ] {
        let refused = w
            .run(Some(&w.alice), SET, json!({"c": w.community, "s": steps}))
            .await;
        assert_eq!(refused.code(), Some("BAD_USER_INPUT"), "{why}");
    }
    let fine = json!({"c": w.community, "s": [step("hello", "INTRODUCE_YOURSELF")]});
    w.run(Some(&w.bob), SET, fine.clone())
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), SET, fine.clone())
        .await
        .expect_code("FORBIDDEN");
    w.run(None, SET, fine.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(Some(&w.alice), SET, fine.clone()).await.ok();
    // Replacing the journey with none empties it.
    let emptied = w
        .run(Some(&w.alice), SET, json!({"c": w.community, "s": []}))
        .await;
    assert_eq!(
        emptied.at("/setOnboardingSteps/community/onboardingSteps"),
        &json!([])
    );
    w.run(Some(&w.alice), SET, fine.clone()).await.ok();
    w.app.must(&w.alice, "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { stage } } }", json!({"c": w.community}), "/setCommunityStage/community/stage").await;
    w.run(Some(&w.alice), SET, fine)
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.bob), DONE, json!({"c": w.community, "k": "hello"}))
        .await
        .expect_code("FAILED_PRECONDITION");
}
