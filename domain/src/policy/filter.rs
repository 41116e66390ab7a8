//! Filter descriptions: the read rules in a form `infra` turns into `WHERE` clauses, so that
//! lists are filtered in SQL (page sizes, cursors and `totalCount` then cover exactly what the
//! caller may see). Each filter has a `matches` twin of its SQL meaning, and the tests prove
//! it agrees with [`read`](super::read) for every combination.

use super::read::{self, PersonFacts};
use crate::{
    access::AccessSet,
    ids::{CommunityId, NetworkId, OrganizationId, PersonId},
    model::{Community, CommunityVisibility, Network, NetworkVisibility, Space, SpaceVisibility},
};

/// Visible networks: `visibility = PUBLIC OR id IN member_networks`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NetworkFilter {
    /// Networks whose insides the caller reads: memberships, stewardships, hosted (sorted).
    pub member_networks: Vec<NetworkId>,
}

/// Visible communities:
/// `(c.visibility = PUBLIC AND n.visibility = PUBLIC)
///  OR (c.visibility IN (PUBLIC, NETWORK) AND c.network_id IN member_networks)
///  OR c.id IN member_communities`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommunityFilter {
    /// Networks whose insides the caller reads: memberships, stewardships, hosted (sorted).
    pub member_networks: Vec<NetworkId>,
    /// Communities the caller reads as a member: memberships, hosted (sorted).
    pub member_communities: Vec<CommunityId>,
}

/// Visible spaces of an already visible community:
/// `visibility = PUBLIC OR community_id IN member_communities`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpaceFilter {
    /// Communities the caller reads as a member: memberships, hosted (sorted).
    pub member_communities: Vec<CommunityId>,
}

/// Visible people: the caller, plus whoever has an active membership in a visible community,
/// stewards a visible network, coordinates a cluster of a visible network (rule 8), or is
/// affiliated with an organization the caller is `ORG_ADMIN` of (rule 4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonFilter {
    /// The caller.
    pub me: Option<PersonId>,
    /// Which communities (and, through `member_networks`, networks) are visible.
    pub communities: CommunityFilter,
    /// Organizations the caller is `ORG_ADMIN` of (sorted).
    pub administered: Vec<OrganizationId>,
}

impl NetworkFilter {
    /// The filter of the caller.
    pub fn for_access(access: &AccessSet) -> Self {
        Self {
            member_networks: access.network_ids(),
        }
    }

    /// What the SQL clause means, for one row.
    pub fn matches(&self, network: &Network) -> bool {
        network.visibility == NetworkVisibility::Public
            || self.member_networks.contains(&network.id)
    }
}

impl CommunityFilter {
    /// The filter of the caller.
    pub fn for_access(access: &AccessSet) -> Self {
        Self {
            member_networks: access.network_ids(),
            member_communities: access.community_ids(),
        }
    }

    /// The matching network filter.
    pub fn networks(&self) -> NetworkFilter {
        NetworkFilter {
            member_networks: self.member_networks.clone(),
        }
    }

    /// What the SQL clause means, for one row joined with its network.
    pub fn matches(&self, network: &Network, community: &Community) -> bool {
        (community.visibility == CommunityVisibility::Public
            && network.visibility == NetworkVisibility::Public)
            || (community.visibility != CommunityVisibility::Private
                && self.member_networks.contains(&community.network_id))
            || self.member_communities.contains(&community.id)
    }
}

impl SpaceFilter {
    /// The filter of the caller.
    pub fn for_access(access: &AccessSet) -> Self {
        Self {
            member_communities: access.community_ids(),
        }
    }

    /// What the SQL clause means, for one row (its community being visible).
    pub fn matches(&self, space: &Space) -> bool {
        space.visibility == SpaceVisibility::Public
            || self.member_communities.contains(&space.community_id)
    }
}

impl PersonFilter {
    /// The filter of the caller.
    pub fn for_access(access: &AccessSet) -> Self {
        let mut administered: Vec<OrganizationId> = access
            .organizations
            .keys()
            .copied()
            .filter(|org| read::administers_people_of(access, *org))
            .collect();
        administered.sort();
        Self {
            me: access.person,
            communities: CommunityFilter::for_access(access),
            administered,
        }
    }

    /// What the SQL clause means, for one person (whose memberships, stewardships and
    /// coordinations are given).
    pub fn matches(&self, person: &PersonFacts) -> bool {
        let networks = self.communities.networks();
        self.me == Some(person.id)
            || person
                .organizations
                .iter()
                .any(|org| self.administered.contains(org))
            || person
                .communities
                .iter()
                .any(|(network, community)| self.communities.matches(network, community))
            || person
                .stewarded
                .iter()
                .chain(&person.coordinated)
                .any(|network| networks.matches(network))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::Utc;

    use super::*;
    use crate::{
        access::CommunityAccess,
        ids::{OrganizationId, SpaceId},
        model::{JoinPolicy, OrgRole, Role, Stage},
        policy::read,
    };

    /// Every caller shape that matters for visibility, over one network holding `c`.
    fn callers(network: &Network, c: &Community, sibling: &Community) -> Vec<AccessSet> {
        let person = || Some(PersonId::generate());
        let member = |community: &Community| {
            let mut a = AccessSet {
                person: person(),
                ..AccessSet::default()
            };
            a.communities.insert(
                community.id,
                CommunityAccess {
                    network_id: community.network_id,
                    roles: BTreeSet::from([Role::Member]),
                },
            );
            a
        };
        let mut steward = AccessSet {
            person: person(),
            ..AccessSet::default()
        };
        steward.stewarded_networks.insert(network.id);
        let admin_of = |role| {
            let mut a = AccessSet {
                person: person(),
                ..AccessSet::default()
            };
            a.organizations.insert(network.host_organization_id, role);
            a
        };
        let mut hosting = AccessSet::anonymous();
        hosting.hosted_networks.insert(network.id);
        hosting.hosted_communities.insert(c.id);
        let mut hosting_sibling = AccessSet::anonymous();
        hosting_sibling.hosted_networks.insert(network.id);
        hosting_sibling.hosted_communities.insert(sibling.id);
        vec![
            admin_of(OrgRole::Admin),
            admin_of(OrgRole::Member),
            hosting,
            hosting_sibling,
            AccessSet::anonymous(),
            AccessSet {
                person: person(),
                platform_admin: true,
                ..AccessSet::default()
            },
            member(c),
            member(sibling),
            steward,
        ]
    }

    /// A person in every position rule 8 names, one at a time, and in none.
    fn person_shapes(network: &Network, c: &Community) -> Vec<PersonFacts> {
        let id = PersonId::generate();
        let none = PersonFacts {
            id,
            communities: vec![],
            stewarded: vec![],
            coordinated: vec![],
            organizations: vec![],
        };
        vec![
            none.clone(),
            PersonFacts {
                communities: vec![(network.clone(), c.clone())],
                ..none.clone()
            },
            PersonFacts {
                stewarded: vec![network.clone()],
                ..none.clone()
            },
            PersonFacts {
                coordinated: vec![network.clone()],
                ..none.clone()
            },
            PersonFacts {
                organizations: vec![network.host_organization_id],
                ..none
            },
        ]
    }

    #[test]
    fn sql_filters_agree_with_point_rules_for_every_combination() {
        for nv in NetworkVisibility::ALL {
            for cv in CommunityVisibility::ALL {
                for sv in SpaceVisibility::ALL {
                    let network = Network {
                        id: NetworkId::generate(),
                        slug: "n".into(),
                        name: "N".into(),
                        description: String::new(),
                        visibility: *nv,
                        host_organization_id: OrganizationId::generate(),
                        created_at: Utc::now(),
                    };
                    let make = |visibility| Community {
                        id: CommunityId::generate(),
                        network_id: network.id,
                        slug: "c".into(),
                        name: "C".into(),
                        description: String::new(),
                        visibility,
                        join_policy: JoinPolicy::Open,
                        stage: Stage::Active,
                        host_organization_id: None,
                        allowed_organization_ids: vec![],
                        created_at: Utc::now(),
                        updated_at: Utc::now(),
                    };
                    let c = make(*cv);
                    let sibling = make(CommunityVisibility::Private);
                    let space = Space {
                        id: SpaceId::generate(),
                        community_id: c.id,
                        slug: "s".into(),
                        name: "S".into(),
                        description: String::new(),
                        visibility: *sv,
                        created_at: Utc::now(),
                    };
                    for access in callers(&network, &c, &sibling) {
                        assert_eq!(
                            NetworkFilter::for_access(&access).matches(&network),
                            read::can_see_network(&access, &network)
                        );
                        let community_visible = read::can_see_community(&access, &network, &c);
                        assert_eq!(
                            CommunityFilter::for_access(&access).matches(&network, &c),
                            community_visible,
                            "{nv:?} {cv:?} {access:?}"
                        );
                        assert_eq!(
                            community_visible && SpaceFilter::for_access(&access).matches(&space),
                            read::can_see_space(&access, &network, &c, &space)
                        );
                        for facts in person_shapes(&network, &c) {
                            assert_eq!(
                                PersonFilter::for_access(&access).matches(&facts),
                                read::can_see_person(&access, &facts),
                                "{nv:?} {cv:?} {facts:?} {access:?}"
                            );
                            let mut me = access.clone();
                            me.person = Some(facts.id);
                            assert!(PersonFilter::for_access(&me).matches(&facts));
                            assert!(read::can_see_person(&me, &facts));
                        }
                    }
                }
            }
        }
    }
}
