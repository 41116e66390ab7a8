//! The ICS feed, parsed back with the `icalendar` crate's parser and expanded from its own
//! text, against the API's occurrences.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use icalendar::parser::{Component, read_calendar, unfold};
use serde_json::json;

use crate::mutations::world;

const TOKEN: &str = "mutation($f: ID) { createCalendarToken(input: {feedOf: $f}) { token path calendarToken { id } } }";

/// The first Sunday of November (when New York leaves daylight time) not before today.
fn next_dst_end() -> NaiveDate {
    let today = Utc::now().date_naive();
    (today.year()..)
        .filter_map(|y| {
            (1..=7)
                .filter_map(|d| NaiveDate::from_ymd_opt(y, 11, d))
                .find(|d| d.weekday() == Weekday::Sun)
        })
        .find(|d| *d >= today)
        .unwrap_or(today)
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Vec<&'a icalendar::parser::Property<'a>> {
    c.properties.iter().filter(|p| p.name == name).collect()
}

fn tzid(p: &icalendar::parser::Property<'_>) -> String {
    p.params
        .iter()
        .find(|x| x.key == "TZID")
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str().to_owned())
        .unwrap_or_default()
}

/// The starts of the VEVENT with this UID, expanded from the feed's own DTSTART, RRULE and
/// EXDATE lines.
fn expand(ics: &str, uid: &str) -> Vec<DateTime<Utc>> {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("the feed parses");
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT" && prop(c, "UID").iter().any(|p| p.val == uid))
        .expect("the event is in the feed");
    let start = prop(event, "DTSTART")[0];
    let mut text = format!("DTSTART;TZID={}:{}", tzid(start), start.val.as_str());
    for rule in prop(event, "RRULE") {
        text.push_str(&format!("\nRRULE:{}", rule.val.as_str()));
    }
    for ex in prop(event, "EXDATE") {
        text.push_str(&format!("\nEXDATE;TZID={}:{}", tzid(ex), ex.val.as_str()));
    }
    let set: rrule::RRuleSet = text.parse().expect("the feed's recurrence parses");
    set.all(100)
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .collect()
}

#[tokio::test]
async fn the_feed_parses_back_and_matches_the_api_occurrence_by_occurrence_across_daylight_saving()
{
    let w = world().await;
    let sunday = next_dst_end();
    // A Tuesday 19 days before: three weekly 10:00 meetings in daylight time, three after.
    let first = Utc.from_utc_datetime(
        &(sunday - Duration::days(19))
            .and_hms_opt(14, 0, 0)
            .expect("time"),
    );
    let event = w
        .app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            json!({"startsAt": first, "endsAt": first + Duration::hours(1),
                "timeZone": "America/New_York", "recurrence": "FREQ=WEEKLY;COUNT=6",
                "title": "Weekly, with a comma; and a long title that the feed must fold onto more than one line of seventy-five octets"}),
        )
        .await;
    let second = first + Duration::days(7);
    w.app.must(&w.alice, "mutation($e: ID!, $o: DateTime!) { cancelEvent(input: {eventId: $e, occurrenceStart: $o}) { event { id } } }", json!({"e": event, "o": second}), "/cancelEvent/event/id").await;
    let api = w
        .run(
            None,
            "query($id: ID!, $from: DateTime!, $to: DateTime!) { node(id: $id) { ... on Event { occurrences(from: $from, to: $to) { nodes { startsAt cancelled } } } } }",
            json!({"id": event, "from": first - Duration::days(1), "to": first + Duration::days(60)}),
        )
        .await;
    api.ok();
    let held: Vec<DateTime<Utc>> = api
        .at("/node/occurrences/nodes")
        .as_array()
        .expect("occurrences")
        .iter()
        .filter(|o| o["cancelled"] == json!(false))
        .map(|o| {
            o["startsAt"]
                .as_str()
                .expect("start")
                .parse()
                .expect("a time")
        })
        .collect();
    assert_eq!(held.len(), 5);
    assert_eq!(held[0], first);
    assert_eq!(
        held[4] - held[0],
        Duration::days(35) + Duration::hours(1),
        "10:00 EST is an hour later in UTC"
    );

    let (status, ics) = w
        .app
        .get(&format!("/calendar/communities/{}.ics", w.community), &[])
        .await;
    assert_eq!(status, 200, "{ics}");
    let uid = format!("{}@copnet", copnet_tests::uuid_of(&event));
    assert_eq!(
        expand(&ics, &uid),
        held,
        "the feed and the API agree:\n{ics}"
    );
    if std::env::var_os("SHOW_ICS").is_some() {
        eprintln!("{ics}");
    }
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\nTZID:America/New_York"),
        "{ics}"
    );
    assert!(
        ics.contains("TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"),
        "{ics}"
    );
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded: {ics}"
    );
    assert_eq!(ics.matches("PRODID:").count(), 1, "{ics}");
}

#[tokio::test]
async fn anonymous_feeds_hold_public_events_and_a_token_shows_what_its_owner_sees_until_revoked() {
    let w = world().await;
    let members = w.app.space(&w.alice, &w.community, "mem", "MEMBERS").await;
    let core = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    let soon = Utc::now() + Duration::days(3);
    let at = |title: &str| {
        json!({"title": title, "startsAt": soon.format("%Y-%m-%dT%H:00:00Z").to_string(),
        "endsAt": (soon + Duration::hours(1)).format("%Y-%m-%dT%H:00:00Z").to_string()})
    };
    w.app
        .event(
            &w.alice,
            json!({"communityId": w.community}),
            at("Open to all"),
        )
        .await;
    w.app
        .event(&w.alice, json!({"spaceId": members}), at("Members only"))
        .await;
    w.app
        .event(&w.alice, json!({"spaceId": core}), at("Core only"))
        .await;
    let path = format!("/calendar/communities/{}.ics", w.community);
    let summaries = |ics: &str| -> Vec<String> {
        let unfolded = unfold(ics);
        let calendar = read_calendar(&unfolded).expect("parses");
        let mut s: Vec<String> = calendar
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .flat_map(|c| {
                prop(c, "SUMMARY")
                    .into_iter()
                    .map(|p| p.val.as_str().to_owned())
            })
            .collect();
        s.sort();
        s
    };
    let (status, anonymous) = w.app.get(&path, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(summaries(&anonymous), vec!["Open to all"]);

    let made = w.run(Some(&w.bob), TOKEN, json!({"f": w.community})).await;
    made.ok();
    let bobs = made.str("/createCalendarToken/path");
    assert!(bobs.starts_with(&path));
    let (status, ics) = w.app.get(&bobs, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(summaries(&ics), vec!["Members only", "Open to all"]);
    let alices = w.run(Some(&w.alice), TOKEN, json!({})).await;
    let token = alices.str("/createCalendarToken/token");
    let (_, ics) = w.app.get(&format!("{path}?token={token}"), &[]).await;
    assert_eq!(
        summaries(&ics),
        vec!["Core only", "Members only", "Open to all"]
    );

    // Revoked, the token stops at once; a forged one never worked.
    let id = made.str("/createCalendarToken/calendarToken/id");
    w.run(Some(&w.carol), "mutation($t: ID!) { revokeCalendarToken(input: {calendarTokenId: $t}) { revokedCalendarTokenId } }", json!({"t": id}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.bob), "mutation($t: ID!) { revokeCalendarToken(input: {calendarTokenId: $t}) { revokedCalendarTokenId } }", json!({"t": id}))
        .await
        .ok();
    let (status, _) = w.app.get(&bobs, &[]).await;
    assert_eq!(status, 401);
    let forged = format!("{}x", &token[..token.len() - 1]);
    let (status, _) = w.app.get(&format!("{path}?token={forged}"), &[]).await;
    assert_eq!(status, 401);
    // Anonymous callers and service accounts cannot make tokens.
    w.run(None, TOKEN, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_hidden_community_has_no_feed_and_bad_paths_are_not_found() {
    let w = world().await;
    let hidden = w
        .app
        .community(&w.alice, &w.network, "hidden", "PRIVATE", "INVITE_ONLY")
        .await;
    for path in [
        format!("/calendar/communities/{hidden}.ics"),
        format!("/calendar/communities/{}", w.community),
        format!("/calendar/clusters/{}.ics", w.community),
        "/calendar/communities/nonsense.ics".to_owned(),
    ] {
        let (status, body) = w.app.get(&path, &[]).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let alices = w.run(Some(&w.alice), TOKEN, json!({"f": hidden})).await;
    let (status, ics) = w
        .app
        .get(&alices.str("/createCalendarToken/path"), &[])
        .await;
    assert_eq!(status, 200, "{ics}");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
}
