//! Building worlds through the public API: each helper runs one mutation and panics with the
//! response body if it fails.

use serde_json::{Value, json};

use crate::TestApp;

/// A signed-in person of a test.
#[derive(Debug, Clone)]
pub struct Person {
    /// Subject.
    pub subject: String,
    /// Bearer token.
    pub token: String,
    /// Global ID.
    pub id: String,
}

impl TestApp {
    /// Signs a person in (provisioning them) and returns their token and ID.
    pub async fn person(&self, subject: &str) -> Person {
        let token = self.token(subject);
        let response = self.gql(Some(&token), "{ viewer { id } }", json!({})).await;
        response.ok();
        Person {
            subject: subject.to_owned(),
            id: response.str("/viewer/id"),
            token,
        }
    }

    /// Runs a mutation that must succeed; returns the value at `pointer`.
    pub async fn must(&self, who: &Person, query: &str, variables: Value, pointer: &str) -> String {
        let response = self.gql(Some(&who.token), query, variables).await;
        response.ok();
        response.str(pointer)
    }

    /// Creates an organization; `who` becomes its admin.
    pub async fn organization(&self, who: &Person, slug: &str) -> String {
        self.must(
            who,
            "mutation($slug: String!) { createOrganization(input: {slug: $slug, name: $slug}) { organization { id } } }",
            json!({"slug": slug}),
            "/createOrganization/organization/id",
        )
        .await
    }

    /// Affiliates a person with an organization.
    pub async fn affiliate(&self, admin: &Person, org: &str, person: &Person, role: &str) {
        self.must(
            admin,
            "mutation($o: ID!, $p: ID!, $r: OrganizationRole) { addAffiliation(input: {organizationId: $o, personId: $p, role: $r}) { affiliation { id } } }",
            json!({"o": org, "p": person.id, "r": role}),
            "/addAffiliation/affiliation/id",
        )
        .await;
    }

    /// Creates a network hosted by `org`; `who` becomes its steward.
    pub async fn network(&self, who: &Person, org: &str, slug: &str, visibility: &str) -> String {
        self.must(
            who,
            "mutation($o: ID!, $s: String!, $v: Visibility!) { createNetwork(input: {hostOrganizationId: $o, slug: $s, name: $s, visibility: $v}) { network { id } } }",
            json!({"o": org, "s": slug, "v": visibility}),
            "/createNetwork/network/id",
        )
        .await
    }

    /// Adds a steward.
    pub async fn steward(&self, steward: &Person, network: &str, person: &Person) {
        self.must(
            steward,
            "mutation($n: ID!, $p: ID!) { addNetworkSteward(input: {networkId: $n, personId: $p}) { network { id } } }",
            json!({"n": network, "p": person.id}),
            "/addNetworkSteward/network/id",
        )
        .await;
    }

    /// Creates a community; `who` becomes its manager.
    pub async fn community(
        &self,
        who: &Person,
        network: &str,
        slug: &str,
        visibility: &str,
        policy: &str,
    ) -> String {
        self.must(
            who,
            "mutation($n: ID!, $s: String!, $v: Visibility!, $j: JoinPolicy!) { createCommunity(input: {networkId: $n, slug: $s, name: $s, visibility: $v, joinPolicy: $j}) { community { id } } }",
            json!({"n": network, "s": slug, "v": visibility, "j": policy}),
            "/createCommunity/community/id",
        )
        .await
    }

    /// Creates a space.
    pub async fn space(
        &self,
        manager: &Person,
        community: &str,
        slug: &str,
        visibility: &str,
    ) -> String {
        self.must(
            manager,
            "mutation($c: ID!, $s: String!, $v: SpaceVisibility!) { createSpace(input: {communityId: $c, slug: $s, name: $s, visibility: $v}) { space { id } } }",
            json!({"c": community, "s": slug, "v": visibility}),
            "/createSpace/space/id",
        )
        .await
    }

    /// Makes `person` a member: the manager invites, the person accepts.
    pub async fn enroll(&self, manager: &Person, community: &str, person: &Person) {
        let invitation = self
            .must(
                manager,
                "mutation($c: ID!, $p: ID!) { inviteToCommunity(input: {communityId: $c, personId: $p}) { invitation { id } } }",
                json!({"c": community, "p": person.id}),
                "/inviteToCommunity/invitation/id",
            )
            .await;
        self.must(
            person,
            "mutation($i: ID!) { acceptInvitation(input: {invitationId: $i}) { invitation { id } } }",
            json!({"i": invitation}),
            "/acceptInvitation/invitation/id",
        )
        .await;
    }

    /// Grants a role.
    pub async fn grant(&self, manager: &Person, community: &str, person: &Person, role: &str) {
        self.must(
            manager,
            "mutation($c: ID!, $p: ID!, $r: CommunityRole!) { grantRole(input: {communityId: $c, personId: $p, role: $r}) { membership { id } } }",
            json!({"c": community, "p": person.id, "r": role}),
            "/grantRole/membership/id",
        )
        .await;
    }

    /// Takes a member off a space's list.
    pub async fn remove_from_space(&self, manager: &Person, space: &str, person: &Person) {
        self.must(
            manager,
            "mutation($s: ID!, $p: ID!) { removeSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }",
            json!({"s": space, "p": person.id}),
            "/removeSpaceMember/space/id",
        )
        .await;
    }

    /// Puts a member on a space's list.
    pub async fn add_to_space(&self, manager: &Person, space: &str, person: &Person) {
        self.must(
            manager,
            "mutation($s: ID!, $p: ID!) { addSpaceMember(input: {spaceId: $s, personId: $p}) { space { id } } }",
            json!({"s": space, "p": person.id}),
            "/addSpaceMember/space/id",
        )
        .await;
    }

    /// Writes a complete charter revision (a domain and one goal).
    pub async fn charter(&self, manager: &Person, community: &str) {
        self.must(
            manager,
            "mutation($c: ID!) { updateCharter(input: {communityId: $c, domain: \"Forests\", goals: [\"Share practice\"]}) { charter { domain } } }",
            json!({"c": community}),
            "/updateCharter/charter/domain",
        )
        .await;
    }

    /// Schedules an event; `host` is the input's host fields (`{"communityId": ..}`,
    /// `{"spaceId": ..}` or `{"clusterId": ..}`), `extra` adds or overrides fields. Returns
    /// its ID.
    pub async fn event(&self, manager: &Person, host: Value, extra: Value) -> String {
        let mut input = json!({
            "title": "Roundtable", "format": "ROUNDTABLE", "mode": "ONLINE",
            "startsAt": "2030-03-05T15:00:00Z", "endsAt": "2030-03-05T16:00:00Z",
            "timeZone": "UTC",
        });
        for source in [host, extra] {
            if let (Some(to), Value::Object(from)) = (input.as_object_mut(), source) {
                to.extend(from);
            }
        }
        self.must(
            manager,
            "mutation($i: ScheduleEventInput!) { scheduleEvent(input: $i) { event { id } } }",
            json!({"i": input}),
            "/scheduleEvent/event/id",
        )
        .await
    }

    /// A charter and a held launch event: what `ACTIVE` needs.
    pub async fn ready_to_activate(&self, manager: &Person, community: &str) {
        self.charter(manager, community).await;
        self.event(
            manager,
            json!({"communityId": community}),
            json!({"format": "LAUNCH", "startsAt": "2020-01-01T15:00:00Z", "endsAt": "2020-01-01T16:00:00Z"}),
        )
        .await;
    }
}
