use serde_json::{Value, json};

use crate::mutations::world;

const OCCURRENCES: &str = "query($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) {
    ... on Event { occurrences(from: $from, to: $to) { totalCount nodes { startsAt endsAt cancelled } } } } }";
const COMMUNITY_EVENTS: &str = "query($id: ID!) { node(id: $id) { ... on Community {
    events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\") { totalCount nodes { event { title } } } } } }";
const SCHEDULE: &str =
    "mutation($i: ScheduleEventInput!) { scheduleEvent(input: $i) { event { id } } }";

fn titles(g: &copnet_tests::Gql, pointer: &str) -> Vec<String> {
    g.ok();
    g.at(pointer)
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["event"]["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_weekly_meeting_stays_at_ten_local_time_across_the_daylight_saving_change() {
    let w = world().await;
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": "2030-10-22T14:00:00Z", "endsAt": "2030-10-22T15:00:00Z",
                "timeZone": "America/New_York", "recurrence": "FREQ=WEEKLY;COUNT=4"}),
        )
        .await;
    let read = w
        .run(
            None,
            OCCURRENCES,
            json!({"id": event, "from": "2030-10-01T00:00:00Z", "to": "2030-12-01T00:00:00Z"}),
        )
        .await;
    read.ok();
    let starts: Vec<&Value> = read
        .at("/node/occurrences/nodes")
        .as_array()
        .map(|a| a.iter().map(|o| &o["startsAt"]).collect())
        .unwrap_or_default();
    // 10:00 EDT is 14:00 UTC; after 3 November 2030, 10:00 EST is 15:00 UTC.
    assert_eq!(
        starts,
        vec![
            "2030-10-22T14:00:00+00:00",
            "2030-10-29T14:00:00+00:00",
            "2030-11-05T15:00:00+00:00",
            "2030-11-12T15:00:00+00:00"
        ]
    );
    assert_eq!(read.at("/node/occurrences/totalCount"), &json!(4));
}

#[tokio::test]
async fn bad_schedules_are_refused_by_field() {
    let w = world().await;
    let base = json!({"communityId": w.community, "title": "T", "format": "MEETING", "mode": "ONLINE",
        "startsAt": "2030-03-05T15:00:00Z", "endsAt": "2030-03-05T16:00:00Z", "timeZone": "UTC"});
    for (change, field) in [
        (json!({"recurrence": "FREQ=SOMETIMES"}), "recurrence"),
        (json!({"recurrence": "FREQ=MINUTELY"}), "recurrence"),
        (
            json!({"recurrence": "DTSTART:20300305T150000Z\nRRULE:FREQ=DAILY"}),
            "recurrence",
        ),
        (json!({"recurrence": "FREQ=WEEKLY;BYDAY=MO"}), "startsAt"),
        (json!({"timeZone": "Mars/Olympus_Mons"}), "timeZone"),
        (json!({"endsAt": "2030-03-05T14:00:00Z"}), "endsAt"),
        (json!({"endsAt": "2030-05-05T14:00:00Z"}), "endsAt"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"joinUrl": "javascript:alert(1)"}), "joinUrl"),
        (json!({"title": ""}), "title"),
        (json!({"clusterId": w.community}), "communityId"),
    ] {
        let mut input = base.clone();
        if let (Some(to), Value::Object(from)) = (input.as_object_mut(), change) {
            to.extend(from);
        }
        let refused = w.run(Some(&w.alice), SCHEDULE, json!({"i": input})).await;
        refused.expect_code("BAD_USER_INPUT");
        assert_eq!(refused.errors()[0]["extensions"]["field"], json!(field));
    }
}

#[tokio::test]
async fn only_managers_schedule_community_events_and_never_in_hidden_or_archived_communities() {
    let w = world().await;
    let input = |c: &str| {
        json!({"i": {"communityId": c, "title": "T", "format": "MEETING", "mode": "ONLINE",
        "startsAt": "2030-03-05T15:00:00Z", "endsAt": "2030-03-05T16:00:00Z", "timeZone": "UTC"}})
    };
    w.run(Some(&w.bob), SCHEDULE, input(&w.community))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), SCHEDULE, input(&w.community))
        .await
        .expect_code("FORBIDDEN");
    w.run(None, SCHEDULE, input(&w.community))
        .await
        .expect_code("UNAUTHENTICATED");
    let hidden = w
        .app
        .community(&w.alice, &w.network, "hidden", "PRIVATE", "INVITE_ONLY")
        .await;
    w.run(Some(&w.carol), SCHEDULE, input(&hidden))
        .await
        .expect_code("NOT_FOUND");
    let event = w
        .app
        .event(&w.alice, json!({"communityId": w.community}), json!({}))
        .await;
    // Members cannot change or cancel it either.
    w.run(
        Some(&w.bob),
        "mutation($e: ID!) { updateEvent(input: {eventId: $e, title: \"Mine\"}) { event { id } } }",
        json!({"e": event}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.bob),
        "mutation($e: ID!) { cancelEvent(input: {eventId: $e}) { event { id } } }",
        json!({"e": event}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.app.must(&w.alice, "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { stage } } }", json!({"c": w.community}), "/setCommunityStage/community/stage").await;
    w.run(Some(&w.alice), SCHEDULE, input(&w.community))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn events_are_exactly_as_visible_as_their_space_or_community() {
    let w = world().await;
    let dan = w.app.person("dan").await;
    w.app.enroll(&w.alice, &w.community, &dan).await;
    let public = w.app.space(&w.alice, &w.community, "pub", "PUBLIC").await;
    let members = w.app.space(&w.alice, &w.community, "mem", "MEMBERS").await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.app.add_to_space(&w.alice, &core, &dan).await;
    let ev = |host: Value, title: &str| {
        let app = &w.app;
        let alice = &w.alice;
        let title = title.to_owned();
        async move { app.event(alice, host, json!({"title": title})).await }
    };
    let whole = ev(json!({"communityId": w.community}), "whole").await;
    ev(json!({"spaceId": public}), "pub").await;
    ev(
        json!({"spaceId": members, "communityId": w.community}),
        "mem",
    )
    .await;
    let secret = ev(json!({"spaceId": core}), "core").await;
    let wr = &w;
    let seen = |who| async move {
        titles(
            &wr.run(who, COMMUNITY_EVENTS, json!({"id": wr.community}))
                .await,
            "/node/events/nodes",
        )
    };
    assert_eq!(seen(None).await, vec!["whole", "pub"]);
    assert_eq!(seen(Some(&w.carol)).await, vec!["whole", "pub"]);
    assert_eq!(seen(Some(&w.bob)).await, vec!["whole", "pub", "mem"]);
    assert_eq!(seen(Some(&dan)).await, vec!["whole", "pub", "mem", "core"]);
    assert_eq!(
        seen(Some(&w.alice)).await,
        vec!["whole", "pub", "mem", "core"]
    );
    // node(id:) agrees: the private space's event does not exist for bob.
    let node = "query($id: ID!) { node(id: $id) { ... on Event { title space { slug } community { slug } } } }";
    let hidden = w.run(Some(&w.bob), node, json!({"id": secret})).await;
    assert_eq!(hidden.at("/node"), &json!(null));
    let shown = w.run(Some(&dan), node, json!({"id": secret})).await;
    assert_eq!(shown.at("/node/space/slug"), &json!("core"));
    let shown = w.run(None, node, json!({"id": whole})).await;
    assert_eq!(shown.at("/node/community/slug"), &json!("garden"));
    // Space.events is for the space's readers.
    let space_events = "query($id: ID!) { node(id: $id) { ... on Space { events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\") { nodes { event { title } } } } } }";
    assert_eq!(
        titles(
            &w.run(Some(&dan), space_events, json!({"id": core})).await,
            "/node/events/nodes"
        ),
        vec!["core"]
    );
    w.run(Some(&w.bob), space_events, json!({"id": core}))
        .await
        .expect_code("FORBIDDEN");
    // Taken off the list, dan no longer sees it.
    w.app.remove_from_space(&w.alice, &core, &dan).await;
    assert_eq!(seen(Some(&dan)).await, vec!["whole", "pub", "mem"]);
}

#[tokio::test]
async fn cluster_events_are_for_the_members_of_the_clusters_communities() {
    let w = world().await;
    let cluster = w.app.must(&w.alice, "mutation($n: ID!) { createCluster(input: {networkId: $n, slug: \"north\", name: \"North\"}) { cluster { id } } }", json!({"n": w.network}), "/createCluster/cluster/id").await;
    let inside = w.app.must(&w.alice, "mutation($n: ID!, $k: ID!) { createCommunity(input: {networkId: $n, slug: \"inside\", name: \"Inside\", visibility: PUBLIC, joinPolicy: OPEN, clusterIds: [$k]}) { community { id } } }", json!({"n": w.network, "k": cluster}), "/createCommunity/community/id").await;
    let erin = w.app.person("erin").await;
    w.app.enroll(&w.alice, &inside, &erin).await;
    // A member of a community outside the cluster cannot schedule there; the steward can.
    w.run(
        Some(&w.bob),
        SCHEDULE,
        json!({"i": {"clusterId": cluster, "title": "T", "format": "CONFERENCE", "mode": "HYBRID",
        "startsAt": "2030-03-05T15:00:00Z", "endsAt": "2030-03-06T16:00:00Z", "timeZone": "UTC"}}),
    )
    .await
    .expect_code("FORBIDDEN");
    let event = w
        .app
        .event(
            &w.alice,
            json!({"clusterId": cluster}),
            json!({"title": "Regional meet"}),
        )
        .await;
    let list = "query($id: ID!) { node(id: $id) { ... on RegionalCluster { events(from: \"2030-01-01T00:00:00Z\", to: \"2030-12-31T00:00:00Z\") { totalCount nodes { event { title cluster { slug } } } } } } }";
    assert_eq!(
        titles(
            &w.run(Some(&erin), list, json!({"id": cluster})).await,
            "/node/events/nodes"
        ),
        vec!["Regional meet"]
    );
    for who in [None, Some(&w.bob), Some(&w.carol)] {
        let g = w.run(who, list, json!({"id": cluster})).await;
        assert_eq!(
            g.at("/node/events/totalCount"),
            &json!(0),
            "{:?}",
            g.errors()
        );
        let n = w
            .run(
                who,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": event}),
            )
            .await;
        assert_eq!(n.at("/node"), &json!(null));
    }
    // A coordinator schedules too.
    w.app.must(&w.alice, "mutation($c: ID!, $p: ID!) { addClusterCoordinator(input: {clusterId: $c, personId: $p}) { cluster { id } } }", json!({"c": cluster, "p": erin.id}), "/addClusterCoordinator/cluster/id").await;
    w.app
        .event(
            &erin,
            json!({"clusterId": cluster}),
            json!({"title": "Coordinated"}),
        )
        .await;
}

#[tokio::test]
async fn managers_change_and_cancel_events_and_single_occurrences() {
    let w = world().await;
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"recurrence": "FREQ=MONTHLY;BYDAY=1TU;COUNT=3"}),
        )
        .await;
    let updated = w
        .run(
            Some(&w.alice),
            "mutation($e: ID!) { updateEvent(input: {eventId: $e, title: \"Monthly roundtable\", capacity: 10, location: \"Hall\"}) { event { title capacity location recurrence } } }",
            json!({"e": event}),
        )
        .await;
    updated.ok();
    assert_eq!(
        updated.at("/updateEvent/event"),
        &json!({"title": "Monthly roundtable", "capacity": 10, "location": "Hall", "recurrence": "FREQ=MONTHLY;BYDAY=1TU;COUNT=3"})
    );
    let cancel = "mutation($e: ID!, $o: DateTime) { cancelEvent(input: {eventId: $e, occurrenceStart: $o}) { event { cancelled cancelledOccurrences } } }";
    let one = w
        .run(
            Some(&w.alice),
            cancel,
            json!({"e": event, "o": "2030-04-02T15:00:00Z"}),
        )
        .await;
    one.ok();
    assert_eq!(
        one.at("/cancelEvent/event"),
        &json!({"cancelled": false, "cancelledOccurrences": ["2030-04-02T15:00:00+00:00"]})
    );
    let read = w
        .run(
            None,
            OCCURRENCES,
            json!({"id": event, "from": "2030-01-01T00:00:00Z", "to": "2030-12-01T00:00:00Z"}),
        )
        .await;
    let cancelled: Vec<&Value> = read
        .at("/node/occurrences/nodes")
        .as_array()
        .map(|a| a.iter().map(|o| &o["cancelled"]).collect())
        .unwrap_or_default();
    assert_eq!(cancelled, vec![&json!(false), &json!(true), &json!(false)]);
    w.run(
        Some(&w.alice),
        cancel,
        json!({"e": event, "o": "2030-04-03T15:00:00Z"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.alice), cancel, json!({"e": event}))
        .await
        .ok();
    w.run(
        Some(&w.alice),
        "mutation($e: ID!) { updateEvent(input: {eventId: $e, title: \"Back\"}) { event { id } } }",
        json!({"e": event}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
}
