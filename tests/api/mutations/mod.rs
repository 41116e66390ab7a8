//! Every mutation's success, denial and bad-input paths, through HTTP.

mod community;
mod membership;
mod network;
mod organization;
mod space;

use copnet_tests::{Gql, TestApp, fixtures::Person};
use serde_json::{Value, json};

/// A small world: alice is ORG_ADMIN of `acme`, steward of the public network `net` and
/// MANAGER of its public, open community `garden`; bob is a member of `garden`; carol is
/// signed in and belongs to nothing.
pub struct World {
    pub app: TestApp,
    pub alice: Person,
    pub bob: Person,
    pub carol: Person,
    pub org: String,
    pub network: String,
    pub community: String,
}

pub async fn world() -> World {
    let app = TestApp::spawn().await;
    let alice = app.person("alice").await;
    let bob = app.person("bob").await;
    let carol = app.person("carol").await;
    let org = app.organization(&alice, "acme").await;
    let network = app.network(&alice, &org, "net", "PUBLIC").await;
    let community = app
        .community(&alice, &network, "garden", "PUBLIC", "OPEN")
        .await;
    app.enroll(&alice, &community, &bob).await;
    World {
        app,
        alice,
        bob,
        carol,
        org,
        network,
        community,
    }
}

impl World {
    /// Runs an operation as `who` (anonymous when `None`).
    pub async fn run(&self, who: Option<&Person>, query: &str, variables: Value) -> Gql {
        self.app
            .gql(who.map(|p| p.token.as_str()), query, variables)
            .await
    }

    /// A global ID of the right shape but of another type.
    pub fn wrong_type_id(&self) -> String {
        self.community.clone()
    }

    /// Reads a node's field as `who`.
    pub async fn read(&self, who: Option<&Person>, id: &str, fields: &str) -> Gql {
        self.run(
            who,
            &format!("query($id: ID!) {{ node(id: $id) {{ id {fields} }} }}"),
            json!({"id": id}),
        )
        .await
    }
}

/// An ID that decodes to nothing valid.
pub const MALFORMED_ID: &str = "definitely-not-an-id";
