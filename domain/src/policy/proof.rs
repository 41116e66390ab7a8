//! Proofs of visibility and readability: values that only this module constructs, each made
//! by one step of the chain "a thing is visible only if its container is" (rule 0). A
//! [`Visible<Community>`] holds the community and the [`Visible<Network>`] it was found in;
//! a [`Readable<Post>`] holds the post, its thread, its readable space, its community and its
//! network. Listing a container's children takes the container's proof
//! ([`crate::listing::Scoped`]), and the GraphQL objects wrap proofs, so reading something
//! without the check does not compile.
//!
//! The steps are pure: each takes the caller's access set, the proof of the container and
//! the row, and applies the predicates of [`read`](super::read).

use std::{fmt, ops::Deref, sync::Arc};

use crate::{
    access::AccessSet,
    ids::{OrganizationId, PersonId},
    model::{
        Asset, Cluster, Community, Convening, EventHost, Network, Person, Post, Role, Space,
        Thread, Topic,
    },
    policy::read,
};

/// What a visible thing of this type is found in.
pub trait Seen: Sized + Send + Sync + 'static {
    /// The proof of its container (`()` at the top).
    type In: Clone + Send + Sync + 'static;
}

/// What a readable thing of this type is found in.
pub trait Read: Sized + Send + Sync + 'static {
    /// The proof of its container.
    type In: Clone + Send + Sync + 'static;
}

/// Proof that the caller may see `T` (and so its containers).
pub struct Visible<T: Seen> {
    item: Arc<T>,
    within: T::In,
}

/// Proof that the caller may read `T`'s content (and so see it and its containers).
pub struct Readable<T: Read> {
    item: Arc<T>,
    within: T::In,
}

macro_rules! proof_common {
    ($proof:ident, $bound:ident) => {
        impl<T: $bound> Clone for $proof<T> {
            fn clone(&self) -> Self {
                Self {
                    item: Arc::clone(&self.item),
                    within: self.within.clone(),
                }
            }
        }

        impl<T: $bound> Deref for $proof<T> {
            type Target = T;

            fn deref(&self) -> &T {
                &self.item
            }
        }

        impl<T: $bound + fmt::Debug> fmt::Debug for $proof<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($proof)).field(&self.item).finish()
            }
        }

        impl<T: $bound> $proof<T> {
            fn new(item: Arc<T>, within: T::In) -> Self {
                Self { item, within }
            }

            /// The thing itself.
            pub fn item(&self) -> &T {
                &self.item
            }

            /// The thing, shared.
            pub fn shared(&self) -> &Arc<T> {
                &self.item
            }

            /// The proof of its container.
            pub fn within(&self) -> &T::In {
                &self.within
            }
        }
    };
}
proof_common!(Visible, Seen);
proof_common!(Readable, Read);

impl Seen for Network {
    type In = ();
}
impl Seen for Cluster {
    type In = Visible<Network>;
}
impl Seen for Community {
    type In = Visible<Network>;
}
impl Seen for Space {
    type In = Visible<Community>;
}
impl Seen for Person {
    type In = ();
}
impl Seen for Topic {
    type In = Visible<Network>;
}
impl Read for Space {
    type In = Visible<Community>;
}
impl Read for Thread {
    type In = Readable<Space>;
}
impl Read for Post {
    type In = Readable<Thread>;
}
impl Read for Asset {
    type In = Readable<Space>;
}
impl Read for Convening {
    type In = EventWithin;
}

/// Where a readable event was found: a visible community (community-wide events), a
/// readable space, or a cluster whose events the caller reads.
#[derive(Clone)]
pub enum EventWithin {
    /// A community-wide event of a visible community.
    Community(Visible<Community>),
    /// An event of a readable space.
    Space(Readable<Space>),
    /// An event of a cluster whose events the caller reads.
    Cluster(Visible<Cluster>),
}

impl Readable<Convening> {
    /// Its community, for community and space events.
    pub fn community(&self) -> Option<&Visible<Community>> {
        match &self.within {
            EventWithin::Community(c) => Some(c),
            EventWithin::Space(s) => Some(s.community()),
            EventWithin::Cluster(_) => None,
        }
    }
}

impl Visible<Community> {
    /// Its network.
    pub fn network(&self) -> &Visible<Network> {
        &self.within
    }
}

impl Visible<Cluster> {
    /// Its network.
    pub fn network(&self) -> &Visible<Network> {
        &self.within
    }
}

impl Visible<Space> {
    /// Its community.
    pub fn community(&self) -> &Visible<Community> {
        &self.within
    }
}

impl Readable<Space> {
    /// Its community.
    pub fn community(&self) -> &Visible<Community> {
        &self.within
    }

    /// A readable space is visible.
    pub fn visible(&self) -> Visible<Space> {
        Visible::new(Arc::clone(&self.item), self.within.clone())
    }
}

impl Readable<Thread> {
    /// Its space.
    pub fn space(&self) -> &Readable<Space> {
        &self.within
    }

    /// Its community.
    pub fn community(&self) -> &Visible<Community> {
        self.within.community()
    }
}

impl Readable<Asset> {
    /// Its space.
    pub fn space(&self) -> &Readable<Space> {
        &self.within
    }

    /// Its community.
    pub fn community(&self) -> &Visible<Community> {
        self.within.community()
    }
}

impl Readable<Post> {
    /// Its thread.
    pub fn thread(&self) -> &Readable<Thread> {
        &self.within
    }

    /// Its community.
    pub fn community(&self) -> &Visible<Community> {
        self.within.community()
    }
}

/// A visible network (rule 0's root).
pub fn see_network(access: &AccessSet, network: Arc<Network>) -> Option<Visible<Network>> {
    read::can_see_network(access, &network).then(|| Visible::new(network, ()))
}

/// A cluster of a visible network: visible wherever its network is.
pub fn see_cluster(network: &Visible<Network>, cluster: Arc<Cluster>) -> Option<Visible<Cluster>> {
    (cluster.network_id == network.id).then(|| Visible::new(cluster, network.clone()))
}

/// A topic of a visible network's vocabulary: visible wherever its network is.
pub fn see_topic(network: &Visible<Network>, topic: Arc<Topic>) -> Option<Visible<Topic>> {
    (topic.network_id == network.id).then(|| Visible::new(topic, network.clone()))
}

/// A community of a visible network, by its own visibility.
pub fn see_community(
    access: &AccessSet,
    network: &Visible<Network>,
    community: Arc<Community>,
) -> Option<Visible<Community>> {
    (community.network_id == network.id && read::can_see_community(access, network, &community))
        .then(|| Visible::new(community, network.clone()))
}

/// A space of a visible community, by its own visibility (a `PRIVATE` space's existence is
/// visible to the community's members).
pub fn see_space(
    access: &AccessSet,
    community: &Visible<Community>,
    space: Arc<Space>,
) -> Option<Visible<Space>> {
    (space.community_id == community.id
        && read::can_see_space(access, community.network(), community, &space))
    .then(|| Visible::new(space, community.clone()))
}

/// A visible space whose content the caller may read (rule 1).
pub fn read_space(access: &AccessSet, space: &Visible<Space>) -> Option<Readable<Space>> {
    let community = space.community();
    read::can_read_space(access, community.network(), community, space)
        .then(|| Readable::new(Arc::clone(space.shared()), community.clone()))
}

/// A thread of a readable space: as readable as the space.
pub fn read_thread(space: &Readable<Space>, thread: Arc<Thread>) -> Option<Readable<Thread>> {
    (thread.space_id == space.id).then(|| Readable::new(thread, space.clone()))
}

/// A post of a readable thread: as readable as the thread.
pub fn read_post(thread: &Readable<Thread>, post: Arc<Post>) -> Option<Readable<Post>> {
    (post.thread_id == thread.id).then(|| Readable::new(post, thread.clone()))
}

/// An asset of a readable space, if its status lets the caller read it
/// ([`read::can_read_asset`]).
pub fn read_asset(
    access: &AccessSet,
    space: &Readable<Space>,
    asset: Arc<Asset>,
) -> Option<Readable<Asset>> {
    (asset.space_id == space.id && read::can_read_asset(access, space.community(), &asset))
        .then(|| Readable::new(asset, space.clone()))
}

/// A community-wide event of a visible community: as visible as the community.
pub fn read_community_event(
    community: &Visible<Community>,
    event: Arc<Convening>,
) -> Option<Readable<Convening>> {
    (event.host
        == EventHost::Community {
            community: community.id,
            space: None,
        })
    .then(|| Readable::new(event, EventWithin::Community(community.clone())))
}

/// An event of a readable space: exactly as readable as the space (rule 1).
pub fn read_space_event(
    space: &Readable<Space>,
    event: Arc<Convening>,
) -> Option<Readable<Convening>> {
    (event.host
        == EventHost::Community {
            community: space.community_id,
            space: Some(space.id),
        })
    .then(|| Readable::new(event, EventWithin::Space(space.clone())))
}

/// An event of a visible cluster, for those who read the cluster's events.
pub fn read_cluster_event(
    access: &AccessSet,
    cluster: &Visible<Cluster>,
    event: Arc<Convening>,
) -> Option<Readable<Convening>> {
    (event.host == EventHost::Cluster(cluster.id) && read::can_read_cluster_events(access, cluster))
        .then(|| Readable::new(event, EventWithin::Cluster(cluster.clone())))
}

/// A person the caller may see (rule 8), as decided by [`PersonFilter`]'s SQL (whose pure
/// twin is [`read::can_see_person`]) or because it is the caller.
///
/// [`PersonFilter`]: super::filter::PersonFilter
pub(crate) fn see_person(person: Arc<Person>) -> Visible<Person> {
    Visible::new(person, ())
}

/// Where a listed person was found; each place is a clause of rule 8.
#[derive(Clone, Copy)]
pub enum Listed<'a> {
    /// A steward of a visible network.
    StewardOf(&'a Visible<Network>),
    /// A coordinator of a cluster of a visible network.
    CoordinatorOf(&'a Visible<Cluster>),
    /// An active member of a visible community (space member lists hold active members only).
    MemberOf(&'a Visible<Community>),
}

/// A person listed in one of rule 8's places is visible to whoever sees that place.
pub fn see_listed_person(_place: Listed<'_>, person: Arc<Person>) -> Visible<Person> {
    Visible::new(person, ())
}

/// The parties of a join request or an invitation the caller may see (the requester or
/// invitee, the inviting or deciding manager) are visible to each other through it.
pub fn see_party(person: Arc<Person>) -> Visible<Person> {
    Visible::new(person, ())
}

/// Proof that the caller manages a visible community (`MANAGER`): its join requests and
/// invitations are theirs to list.
#[derive(Clone, Debug)]
pub struct Managing(Visible<Community>);

impl Managing {
    /// The community.
    pub fn community(&self) -> &Visible<Community> {
        &self.0
    }
}

/// The caller manages the community.
pub fn managing(access: &AccessSet, community: &Visible<Community>) -> Option<Managing> {
    access
        .has_role(community.id, Role::Manager)
        .then(|| Managing(community.clone()))
}

/// Proof that the caller is this person: their invitations, requests and notifications are
/// theirs alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Myself(PersonId);

impl Myself {
    /// The person.
    pub fn id(self) -> PersonId {
        self.0
    }
}

/// The caller is `person`.
pub fn myself(access: &AccessSet, person: PersonId) -> Option<Myself> {
    (access.person == Some(person)).then_some(Myself(person))
}

/// Proof that the caller administers an organization: its service accounts are theirs to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Administering(OrganizationId);

impl Administering {
    /// The organization.
    pub fn id(self) -> OrganizationId {
        self.0
    }
}

/// The caller administers the organization ([`super::write::can_admin_organization`]).
pub fn administering(access: &AccessSet, org: OrganizationId) -> Option<Administering> {
    super::write::can_admin_organization(access, org).then_some(Administering(org))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::Utc;

    use super::*;
    use crate::{
        access::CommunityAccess,
        ids::{AssetId, CommunityId, NetworkId, SpaceId},
        listing::AssetSeen,
        model::{
            AssetContent, AssetKind, AssetStatus, CommunityVisibility, JoinPolicy,
            NetworkVisibility, SpaceVisibility, Stage,
        },
    };

    fn member(community: &Community, role: Role) -> AccessSet {
        let mut a = AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        };
        a.communities.insert(
            community.id,
            CommunityAccess {
                network_id: community.network_id,
                roles: BTreeSet::from([Role::Member, role]),
            },
        );
        a
    }

    #[test]
    fn asset_lists_admit_exactly_the_assets_the_chain_lets_each_caller_read() {
        let network = Arc::new(Network {
            id: NetworkId::generate(),
            slug: "n".into(),
            name: "N".into(),
            description: String::new(),
            visibility: NetworkVisibility::Public,
            host_organization_id: OrganizationId::generate(),
            created_at: Utc::now(),
        });
        let community = Arc::new(Community {
            id: CommunityId::generate(),
            network_id: network.id,
            slug: "c".into(),
            name: "C".into(),
            description: String::new(),
            visibility: CommunityVisibility::Public,
            join_policy: JoinPolicy::Open,
            stage: Stage::Active,
            host_organization_id: None,
            allowed_organization_ids: vec![],
            created_at: Utc::now(),
            updated_at: Utc::now(),
        });
        let space = Arc::new(Space {
            id: SpaceId::generate(),
            community_id: community.id,
            slug: "s".into(),
            name: "S".into(),
            description: String::new(),
            visibility: SpaceVisibility::Public,
            created_at: Utc::now(),
        });
        let author = member(&community, Role::Member);
        let reviewer = member(&community, Role::Member);
        let callers = [
            AccessSet::anonymous(),
            author.clone(),
            reviewer.clone(),
            member(&community, Role::Member),
            member(&community, Role::Moderator),
            member(&community, Role::Manager),
        ];
        for status in AssetStatus::ALL {
            let asset = Arc::new(Asset {
                id: AssetId::generate(),
                community_id: community.id,
                space_id: space.id,
                author_id: author.person,
                kind: AssetKind::Toolkit,
                status: *status,
                content: AssetContent {
                    title: "t".into(),
                    summary: String::new(),
                    body: String::new(),
                    body_html: String::new(),
                    url: None,
                    tags: vec![],
                },
                version: 1,
                review_round: 1,
                reviewers: reviewer.person.into_iter().collect(),
                published_at: None,
                retired_at: None,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            });
            for access in &callers {
                let n = see_network(access, Arc::clone(&network)).expect("public network");
                let c = see_community(access, &n, Arc::clone(&community)).expect("public");
                let s = see_space(access, &c, Arc::clone(&space)).expect("public space");
                let readable = read_space(access, &s).expect("public space is read");
                assert_eq!(
                    AssetSeen::for_access(access, &c).admits(&asset),
                    read_asset(access, &readable, Arc::clone(&asset)).is_some(),
                    "{status:?} for {access:?}"
                );
            }
        }
    }
}
