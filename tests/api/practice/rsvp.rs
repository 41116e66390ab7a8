use serde_json::json;

use crate::mutations::world;

const RSVP: &str = "mutation($e: ID!, $o: DateTime!, $r: RsvpResponse!) { rsvp(input: {eventId: $e, occurrenceStart: $o, response: $r}) {
    occurrence { startsAt viewerRsvp goingCount waitlistCount } } }";
const START: &str = "2030-03-05T15:00:00Z";

#[tokio::test]
async fn capacity_is_enforced_with_a_waiting_list_that_moves_up_when_a_place_frees() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"capacity": 1}),
        )
        .await;
    let wr = &w;
    let answer = |who, r: &str| {
        let r = r.to_owned();
        let event = event.clone();
        async move {
            let g = wr
                .run(Some(who), RSVP, json!({"e": event, "o": START, "r": r}))
                .await;
            g.ok();
            g.at("/rsvp/occurrence").clone()
        }
    };
    let first = answer(&w.bob, "GOING").await;
    assert_eq!(first["viewerRsvp"], "GOING");
    assert_eq!(first["goingCount"], 1);
    let second = answer(&dan, "GOING").await;
    assert_eq!(second["viewerRsvp"], "WAITLISTED");
    assert_eq!(second["waitlistCount"], 1);
    // Saying GOING again keeps one's place in the queue.
    assert_eq!(answer(&w.bob, "GOING").await["viewerRsvp"], "GOING");
    assert_eq!(answer(&w.alice, "MAYBE").await["viewerRsvp"], "MAYBE");
    // Bob gives up his place: dan moves up.
    let freed = answer(&w.bob, "DECLINED").await;
    assert_eq!(freed["viewerRsvp"], "DECLINED");
    let read = w
        .run(
            Some(&dan),
            "query($id: ID!) { node(id: $id) { ... on Event { occurrences(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-01T00:00:00Z\") { nodes { viewerRsvp goingCount waitlistCount } } } } }",
            json!({"id": event}),
        )
        .await;
    read.ok();
    assert_eq!(
        read.at("/node/occurrences/nodes/0"),
        &json!({"viewerRsvp": "GOING", "goingCount": 1, "waitlistCount": 0})
    );
}

#[tokio::test]
async fn answers_are_refused_to_outsiders_and_for_occurrences_that_do_not_exist_or_are_over() {
    let w = world().await;
    let event = w
        .app
        .event(&w.alice, json!({"communityId": w.community}), json!({}))
        .await;
    let go = |o: &str| json!({"e": event, "o": o, "r": "GOING"});
    w.run(Some(&w.carol), RSVP, go(START))
        .await
        .expect_code("FORBIDDEN");
    w.run(None, RSVP, go(START))
        .await
        .expect_code("UNAUTHENTICATED");
    let wrong = w.run(Some(&w.bob), RSVP, go("2030-03-06T15:00:00Z")).await;
    wrong.expect_code("BAD_USER_INPUT");
    assert_eq!(wrong.errors()[0]["extensions"]["field"], "occurrenceStart");
    let past = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": "2020-01-01T15:00:00Z", "endsAt": "2020-01-01T16:00:00Z"}),
        )
        .await;
    w.run(
        Some(&w.bob),
        RSVP,
        json!({"e": past, "o": "2020-01-01T15:00:00Z", "r": "GOING"}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.app
        .must(
            &w.alice,
            "mutation($e: ID!) { cancelEvent(input: {eventId: $e}) { event { id } } }",
            json!({"e": event}),
            "/cancelEvent/event/id",
        )
        .await;
    w.run(Some(&w.bob), RSVP, go(START))
        .await
        .expect_code("FAILED_PRECONDITION");
}
