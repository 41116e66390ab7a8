use serde_json::json;

use super::{MALFORMED_ID, World, world};

const JOIN: &str = "mutation($c: ID!) { joinCommunity(input: {communityId: $c}) { membership { roles status person { id } community { memberCount viewerMembership { id } } } } }";
const REQUEST: &str = "mutation($c: ID!, $m: String) { requestToJoin(input: {communityId: $c, message: $m}) { joinRequest { id status message person { id } } } }";
const DECIDE: &str = "mutation($j: ID!, $a: Boolean!) { decideJoinRequest(input: {joinRequestId: $j, approve: $a}) { joinRequest { status decidedBy { id } } } }";
const INVITE: &str = "mutation($c: ID!, $p: ID!) { inviteToCommunity(input: {communityId: $c, personId: $p, message: \"Welcome\"}) { invitation { id status message invitedBy { id } } } }";
const ACCEPT: &str = "mutation($i: ID!) { acceptInvitation(input: {invitationId: $i}) { invitation { status } membership { roles community { slug } } } }";
const DECLINE: &str =
    "mutation($i: ID!) { declineInvitation(input: {invitationId: $i}) { invitation { status } } }";
const LEAVE: &str = "mutation($c: ID!) { leaveCommunity(input: {communityId: $c}) { membership { status roles community { id } } } }";
const REMOVE: &str = "mutation($c: ID!, $p: ID!) { removeMember(input: {communityId: $c, personId: $p}) { membership { status roles } } }";
const GRANT: &str = "mutation($c: ID!, $p: ID!, $r: CommunityRole!) { grantRole(input: {communityId: $c, personId: $p, role: $r}) { membership { roles } } }";
const REVOKE: &str = "mutation($c: ID!, $p: ID!, $r: CommunityRole!) { revokeRole(input: {communityId: $c, personId: $p, role: $r}) { membership { roles } } }";

async fn with_policy(w: &World, slug: &str, visibility: &str, policy: &str) -> String {
    w.app
        .community(&w.alice, &w.network, slug, visibility, policy)
        .await
}

#[tokio::test]
async fn person_joins_an_open_community_at_once() {
    let w = world().await;
    let joined = w.run(Some(&w.carol), JOIN, json!({"c": w.community})).await;
    joined.ok();
    assert_eq!(
        joined.at("/joinCommunity/membership/roles"),
        &json!(["MEMBER"])
    );
    assert_eq!(
        joined.at("/joinCommunity/membership/community/memberCount"),
        &json!(3)
    );
    assert!(
        joined
            .at("/joinCommunity/membership/community/viewerMembership/id")
            .is_string()
    );
    w.run(Some(&w.carol), JOIN, json!({"c": w.community}))
        .await
        .expect_code("CONFLICT");
}

#[tokio::test]
async fn joining_is_refused_by_policy_allow_list_visibility_and_to_anonymous_callers() {
    let w = world().await;
    let approval = with_policy(&w, "approval", "PUBLIC", "APPROVAL").await;
    let invite_only = with_policy(&w, "invite-only", "PUBLIC", "INVITE_ONLY").await;
    let private = with_policy(&w, "private", "PRIVATE", "OPEN").await;
    w.run(Some(&w.carol), JOIN, json!({"c": approval}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), JOIN, json!({"c": invite_only}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.carol), JOIN, json!({"c": private}))
        .await
        .expect_code("NOT_FOUND");
    w.run(None, JOIN, json!({"c": w.community}))
        .await
        .expect_code("UNAUTHENTICATED");
    w.run(Some(&w.carol), JOIN, json!({"c": MALFORMED_ID}))
        .await
        .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.carol), JOIN, json!({"c": w.network}))
        .await
        .expect_code("NOT_FOUND");
    // An allow-list admits only affiliated people.
    w.run(Some(&w.alice), "mutation($c: ID!, $o: [ID!]) { updateCommunity(input: {communityId: $c, allowedOrganizationIds: $o}) { community { id } } }",
        json!({"c": w.community, "o": [w.org]})).await.ok();
    w.run(Some(&w.carol), JOIN, json!({"c": w.community}))
        .await
        .expect_code("FORBIDDEN");
    w.app
        .affiliate(&w.alice, &w.org, &w.carol, "ORG_MEMBER")
        .await;
    w.run(Some(&w.carol), JOIN, json!({"c": w.community}))
        .await
        .ok();
}

#[tokio::test]
async fn manager_approves_a_join_request_and_the_requester_becomes_a_member() {
    let w = world().await;
    let approval = with_policy(&w, "approval", "PUBLIC", "APPROVAL").await;
    let asked = w
        .run(
            Some(&w.carol),
            REQUEST,
            json!({"c": approval, "m": "Please"}),
        )
        .await;
    asked.ok();
    let request = asked.str("/requestToJoin/joinRequest/id");
    w.run(Some(&w.carol), REQUEST, json!({"c": approval}))
        .await
        .expect_code("CONFLICT");
    let pending = w.run(Some(&w.alice), "query($c: ID!) { node(id: $c) { ... on Community { joinRequests(status: PENDING) { totalCount nodes { person { id } } } } } }", json!({"c": approval})).await;
    assert_eq!(pending.at("/node/joinRequests/totalCount"), &json!(1));
    // Only managers decide; the requester is refused, anyone else cannot see the request.
    w.run(Some(&w.carol), DECIDE, json!({"j": request, "a": true}))
        .await
        .expect_code("FORBIDDEN");
    w.run(Some(&w.bob), DECIDE, json!({"j": request, "a": true}))
        .await
        .expect_code("NOT_FOUND");
    let decided = w
        .run(Some(&w.alice), DECIDE, json!({"j": request, "a": true}))
        .await;
    decided.ok();
    assert_eq!(
        decided.at("/decideJoinRequest/joinRequest/status"),
        &json!("APPROVED")
    );
    w.run(Some(&w.alice), DECIDE, json!({"j": request, "a": false}))
        .await
        .expect_code("CONFLICT");
    let member = w
        .run(
            Some(&w.carol),
            "query($c: ID!) { node(id: $c) { ... on Community { viewerMembership { roles } } } }",
            json!({"c": approval}),
        )
        .await;
    assert_eq!(
        member.at("/node/viewerMembership/roles"),
        &json!(["MEMBER"])
    );
}

#[tokio::test]
async fn rejected_request_leaves_the_requester_outside() {
    let w = world().await;
    let approval = with_policy(&w, "approval", "PUBLIC", "APPROVAL").await;
    let request = w
        .app
        .must(
            &w.carol,
            REQUEST,
            json!({"c": approval}),
            "/requestToJoin/joinRequest/id",
        )
        .await;
    let decided = w
        .run(Some(&w.alice), DECIDE, json!({"j": request, "a": false}))
        .await;
    assert_eq!(
        decided.at("/decideJoinRequest/joinRequest/status"),
        &json!("REJECTED")
    );
    let mine = w
        .run(
            Some(&w.carol),
            "{ viewer { joinRequests { nodes { status } } memberships { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine.at("/viewer/joinRequests/nodes/0/status"),
        &json!("REJECTED")
    );
    assert_eq!(mine.at("/viewer/memberships/totalCount"), &json!(0));
}

#[tokio::test]
async fn join_requests_with_bad_input_or_policy_are_refused() {
    let w = world().await;
    w.run(Some(&w.carol), REQUEST, json!({"c": w.community}))
        .await
        .expect_code("FAILED_PRECONDITION");
    let approval = with_policy(&w, "approval", "PUBLIC", "APPROVAL").await;
    w.run(
        Some(&w.carol),
        REQUEST,
        json!({"c": approval, "m": "m".repeat(2001)}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.bob), REQUEST, json!({"c": w.community}))
        .await
        .expect_code("CONFLICT");
    w.run(
        Some(&w.alice),
        DECIDE,
        json!({"j": MALFORMED_ID, "a": true}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(Some(&w.alice), DECIDE, json!({"j": w.community, "a": true}))
        .await
        .expect_code("NOT_FOUND");
    w.run(
        Some(&w.bob),
        "query($c: ID!) { node(id: $c) { ... on Community { joinRequests { totalCount } } } }",
        json!({"c": approval}),
    )
    .await
    .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn invited_person_accepts_and_sees_the_private_community() {
    let w = world().await;
    let private = with_policy(&w, "private", "PRIVATE", "INVITE_ONLY").await;
    let invited = w
        .run(
            Some(&w.alice),
            INVITE,
            json!({"c": private, "p": w.carol.id}),
        )
        .await;
    invited.ok();
    let invitation = invited.str("/inviteToCommunity/invitation/id");
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": private, "p": w.carol.id}),
    )
    .await
    .expect_code("CONFLICT");
    let before = w
        .run(
            Some(&w.carol),
            "{ viewer { invitations(status: PENDING) { nodes { message community { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        before.at("/viewer/invitations/nodes/0/message"),
        &json!("Welcome")
    );
    assert_eq!(
        before.at("/viewer/invitations/nodes/0/community"),
        &json!(null)
    );
    w.run(Some(&w.bob), ACCEPT, json!({"i": invitation}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.alice), ACCEPT, json!({"i": invitation}))
        .await
        .expect_code("FORBIDDEN");
    let accepted = w
        .run(Some(&w.carol), ACCEPT, json!({"i": invitation}))
        .await;
    accepted.ok();
    assert_eq!(
        accepted.at("/acceptInvitation/membership/community/slug"),
        &json!("private")
    );
    w.run(Some(&w.carol), ACCEPT, json!({"i": invitation}))
        .await
        .expect_code("CONFLICT");
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": private, "p": w.carol.id}),
    )
    .await
    .expect_code("CONFLICT");
}

#[tokio::test]
async fn invitee_declines_and_stays_outside() {
    let w = world().await;
    let invitation = w
        .app
        .must(
            &w.alice,
            INVITE,
            json!({"c": w.community, "p": w.carol.id}),
            "/inviteToCommunity/invitation/id",
        )
        .await;
    let declined = w
        .run(Some(&w.carol), DECLINE, json!({"i": invitation}))
        .await;
    assert_eq!(
        declined.at("/declineInvitation/invitation/status"),
        &json!("DECLINED")
    );
    w.run(Some(&w.carol), ACCEPT, json!({"i": invitation}))
        .await
        .expect_code("CONFLICT");
    w.run(Some(&w.carol), DECLINE, json!({"i": MALFORMED_ID}))
        .await
        .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn only_managers_invite_and_only_people_of_allowed_organizations() {
    let w = world().await;
    w.run(
        Some(&w.bob),
        INVITE,
        json!({"c": w.community, "p": w.carol.id}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": w.community, "p": w.bob.id}),
    )
    .await
    .expect_code("CONFLICT");
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": w.community, "p": w.network}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(Some(&w.alice), "mutation($c: ID!, $o: [ID!]) { updateCommunity(input: {communityId: $c, allowedOrganizationIds: $o}) { community { id } } }",
        json!({"c": w.community, "o": [w.org]})).await.ok();
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": w.community, "p": w.carol.id}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
}

#[tokio::test]
async fn member_leaves_and_a_private_community_disappears_for_them() {
    let w = world().await;
    let private = with_policy(&w, "private", "PRIVATE", "INVITE_ONLY").await;
    w.app.enroll(&w.alice, &private, &w.carol).await;
    let left = w.run(Some(&w.carol), LEAVE, json!({"c": private})).await;
    left.ok();
    assert_eq!(left.at("/leaveCommunity/membership/status"), &json!("LEFT"));
    assert_eq!(
        left.at("/leaveCommunity/membership/community"),
        &json!(null)
    );
    w.run(Some(&w.carol), LEAVE, json!({"c": private}))
        .await
        .expect_code("NOT_FOUND");
    w.run(Some(&w.carol), LEAVE, json!({"c": w.community}))
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.alice), LEAVE, json!({"c": w.community}))
        .await
        .expect_code("CONFLICT");
    w.run(None, LEAVE, json!({"c": w.community}))
        .await
        .expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_former_member_can_join_again() {
    let w = world().await;
    w.run(Some(&w.bob), LEAVE, json!({"c": w.community}))
        .await
        .ok();
    let again = w.run(Some(&w.bob), JOIN, json!({"c": w.community})).await;
    again.ok();
    assert_eq!(
        again.at("/joinCommunity/membership/status"),
        &json!("ACTIVE")
    );
}

#[tokio::test]
async fn manager_removes_a_member_who_loses_private_space_access() {
    let w = world().await;
    let space = w.app.space(&w.alice, &w.community, "core", "PRIVATE").await;
    w.app.add_to_space(&w.alice, &space, &w.bob).await;
    let readable = w
        .read(Some(&w.bob), &space, "... on Space { viewerCanRead }")
        .await;
    assert_eq!(readable.at("/node/viewerCanRead"), &json!(true));
    w.run(
        Some(&w.bob),
        REMOVE,
        json!({"c": w.community, "p": w.alice.id}),
    )
    .await
    .expect_code("FORBIDDEN");
    let removed = w
        .run(
            Some(&w.alice),
            REMOVE,
            json!({"c": w.community, "p": w.bob.id}),
        )
        .await;
    assert_eq!(
        removed.at("/removeMember/membership/status"),
        &json!("REMOVED")
    );
    assert_eq!(removed.at("/removeMember/membership/roles"), &json!([]));
    w.read(Some(&w.bob), &space, "")
        .await
        .expect_code("NOT_FOUND");
    // Joining again does not restore the space list.
    w.run(Some(&w.bob), JOIN, json!({"c": w.community}))
        .await
        .ok();
    let again = w
        .read(Some(&w.bob), &space, "... on Space { viewerCanRead }")
        .await;
    assert_eq!(again.at("/node/viewerCanRead"), &json!(false));
    w.run(
        Some(&w.alice),
        REMOVE,
        json!({"c": w.community, "p": w.carol.id}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        REMOVE,
        json!({"c": w.community, "p": w.alice.id}),
    )
    .await
    .expect_code("CONFLICT");
}

#[tokio::test]
async fn manager_grants_and_revokes_roles_keeping_one_manager_and_one_role() {
    let w = world().await;
    let granted = w
        .run(
            Some(&w.alice),
            GRANT,
            json!({"c": w.community, "p": w.bob.id, "r": "MODERATOR"}),
        )
        .await;
    assert_eq!(
        granted.at("/grantRole/membership/roles"),
        &json!(["MODERATOR", "MEMBER"])
    );
    let again = w
        .run(
            Some(&w.alice),
            GRANT,
            json!({"c": w.community, "p": w.bob.id, "r": "MODERATOR"}),
        )
        .await;
    assert_eq!(
        again.at("/grantRole/membership/roles"),
        &json!(["MODERATOR", "MEMBER"])
    );
    let revoked = w
        .run(
            Some(&w.alice),
            REVOKE,
            json!({"c": w.community, "p": w.bob.id, "r": "MEMBER"}),
        )
        .await;
    assert_eq!(
        revoked.at("/revokeRole/membership/roles"),
        &json!(["MODERATOR"])
    );
    w.run(
        Some(&w.alice),
        REVOKE,
        json!({"c": w.community, "p": w.bob.id, "r": "MODERATOR"}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.alice),
        REVOKE,
        json!({"c": w.community, "p": w.alice.id, "r": "MANAGER"}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.alice.id, "r": "MEMBER"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        REVOKE,
        json!({"c": w.community, "p": w.alice.id, "r": "MANAGER"}),
    )
    .await
    .expect_code("CONFLICT");
    // With a second manager, the first may step down.
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.bob.id, "r": "MANAGER"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        REVOKE,
        json!({"c": w.community, "p": w.alice.id, "r": "MANAGER"}),
    )
    .await
    .ok();
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.alice.id, "r": "MANAGER"}),
    )
    .await
    .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn roles_are_granted_by_managers_to_members_only() {
    let w = world().await;
    w.run(
        Some(&w.bob),
        GRANT,
        json!({"c": w.community, "p": w.bob.id, "r": "MANAGER"}),
    )
    .await
    .expect_code("FORBIDDEN");
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.carol.id, "r": "CORE"}),
    )
    .await
    .expect_code("NOT_FOUND");
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.bob.id, "r": "OWNER"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.alice),
        REVOKE,
        json!({"c": w.community, "p": MALFORMED_ID, "r": "CORE"}),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    w.run(
        Some(&w.carol),
        REVOKE,
        json!({"c": w.community, "p": w.bob.id, "r": "MEMBER"}),
    )
    .await
    .expect_code("FORBIDDEN");
}

#[tokio::test]
async fn archived_community_accepts_no_membership_changes() {
    let w = world().await;
    w.run(Some(&w.alice), "mutation($c: ID!) { setCommunityStage(input: {communityId: $c, stage: ARCHIVED}) { community { id } } }",
        json!({"c": w.community})).await.ok();
    w.run(Some(&w.carol), JOIN, json!({"c": w.community}))
        .await
        .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.alice),
        INVITE,
        json!({"c": w.community, "p": w.carol.id}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(
        Some(&w.alice),
        GRANT,
        json!({"c": w.community, "p": w.bob.id, "r": "CORE"}),
    )
    .await
    .expect_code("FAILED_PRECONDITION");
    w.run(Some(&w.bob), LEAVE, json!({"c": w.community}))
        .await
        .expect_code("FAILED_PRECONDITION");
}

#[tokio::test]
async fn membership_mutations_with_malformed_ids_are_bad_user_input_and_change_nothing() {
    let w = world().await;
    let cases = [
        (ACCEPT, json!({"i": MALFORMED_ID})),
        (INVITE, json!({"c": w.community, "p": MALFORMED_ID})),
        (LEAVE, json!({"c": MALFORMED_ID})),
        (REMOVE, json!({"c": w.community, "p": MALFORMED_ID})),
        (
            GRANT,
            json!({"c": MALFORMED_ID, "p": w.bob.id, "r": "CORE"}),
        ),
        (REQUEST, json!({"c": MALFORMED_ID})),
    ];
    for (query, variables) in cases {
        w.run(Some(&w.alice), query, variables)
            .await
            .expect_code("BAD_USER_INPUT");
    }
    let members = w
        .read(
            Some(&w.alice),
            &w.community,
            "... on Community { memberCount }",
        )
        .await;
    assert_eq!(members.at("/node/memberCount"), &json!(2));
}
