//! Visibility of single resources. A `false` becomes `NOT_FOUND` at the edge, never
//! `FORBIDDEN`, so that existence does not leak (rule 2).

use crate::{
    access::AccessSet,
    ids::{OrganizationId, PersonId},
    model::{
        Asset, AssetStatus, Cluster, Community, CommunityVisibility, Network, NetworkVisibility,
        OrgRole, Role, Space, SpaceVisibility,
    },
};

/// A network is visible when public, or to its members (rule 0's root), or to service
/// accounts of its host organization (rule 5).
pub fn can_see_network(access: &AccessSet, network: &Network) -> bool {
    network.visibility == NetworkVisibility::Public || access.reads_network(network.id)
}

/// A community is visible only inside a visible network (rule 0), and then by its own
/// visibility: `PUBLIC` to all who see the network, `NETWORK` to network members, `PRIVATE` to
/// its members.
pub fn can_see_community(access: &AccessSet, network: &Network, community: &Community) -> bool {
    debug_assert_eq!(network.id, community.network_id);
    can_see_network(access, network)
        && match community.visibility {
            CommunityVisibility::Public => true,
            CommunityVisibility::Network => access.reads_network(network.id),
            CommunityVisibility::Private => access.reads_community(community.id),
        }
}

/// A space is visible inside a visible community: `PUBLIC` spaces to all who see the
/// community, the others to community members (a `PRIVATE` space's existence included).
pub fn can_see_space(
    access: &AccessSet,
    network: &Network,
    community: &Community,
    space: &Space,
) -> bool {
    debug_assert_eq!(community.id, space.community_id);
    can_see_community(access, network, community)
        && (space.visibility == SpaceVisibility::Public || access.reads_community(community.id))
}

/// Reading a space's content (threads, posts, events, assets, member list). For `PRIVATE`
/// spaces: its member list and the community's managers and moderators only; no other role
/// grants it (rule 1).
pub fn can_read_space(
    access: &AccessSet,
    network: &Network,
    community: &Community,
    space: &Space,
) -> bool {
    can_see_space(access, network, community, space)
        && match space.visibility {
            SpaceVisibility::Public | SpaceVisibility::Members => true,
            SpaceVisibility::Private => {
                (access.is_member(community.id) && access.spaces.contains(&space.id))
                    || access.has_role(community.id, Role::Manager)
                    || access.has_role(community.id, Role::Moderator)
            }
        }
}

/// A regional cluster's events are read by the members of the cluster's communities, its
/// coordinators and the stewards of its network (the cluster itself being visible).
pub fn can_read_cluster_events(access: &AccessSet, cluster: &Cluster) -> bool {
    access.clusters.contains(&cluster.id) || access.is_steward(cluster.network_id)
}

/// An asset of a readable space, by its status: `PUBLISHED` and `RETIRED` assets to whoever
/// reads the space; a `DRAFT` to its author and the community's managers; an asset
/// `IN_REVIEW` also to its named reviewers. The pure twin of the asset lists' SQL
/// ([`AssetSeen`](crate::listing::AssetSeen)).
pub fn can_read_asset(access: &AccessSet, community: &Community, asset: &Asset) -> bool {
    debug_assert_eq!(community.id, asset.community_id);
    match asset.status {
        AssetStatus::Published | AssetStatus::Retired => true,
        AssetStatus::Draft => {
            asset.is_author(access.person) || access.has_role(community.id, Role::Manager)
        }
        AssetStatus::InReview => {
            asset.is_author(access.person)
                || access.has_role(community.id, Role::Manager)
                || access.person.is_some_and(|p| asset.reviewers.contains(&p))
        }
    }
}

/// What decides whether a person is visible (rule 8), for [`can_see_person`].
#[derive(Debug, Clone)]
pub struct PersonFacts {
    /// Who.
    pub id: PersonId,
    /// The communities they are an active member of, with their networks.
    pub communities: Vec<(Network, Community)>,
    /// The networks they steward.
    pub stewarded: Vec<Network>,
    /// The networks of the clusters they coordinate.
    pub coordinated: Vec<Network>,
    /// The organizations they are affiliated with.
    pub organizations: Vec<OrganizationId>,
}

/// A person is visible to themselves, and to whoever can see a community they are an active
/// member of, a network they steward, or a network one of whose clusters they coordinate
/// (rule 8); and to the `ORG_ADMIN`s of their organizations, who manage them (rule 4). The
/// pure twin of [`PersonFilter`](super::filter::PersonFilter)'s SQL: lists and lookups of
/// people are decided there, and tests hold the two together.
pub fn can_see_person(access: &AccessSet, person: &PersonFacts) -> bool {
    access.person == Some(person.id)
        || person
            .organizations
            .iter()
            .any(|org| administers_people_of(access, *org))
        || person
            .communities
            .iter()
            .any(|(network, community)| can_see_community(access, network, community))
        || person
            .stewarded
            .iter()
            .chain(&person.coordinated)
            .any(|network| can_see_network(access, network))
}

/// A signed-in `ORG_ADMIN` of the organization (not a platform admin by that role alone): sees
/// its people's profiles and e-mail addresses.
pub fn administers_people_of(access: &AccessSet, org: OrganizationId) -> bool {
    access.person.is_some() && access.org_role(org) == Some(OrgRole::Admin)
}

/// E-mail addresses are visible to the person and to the `ORG_ADMIN`s of their organizations
/// (rule 8; platform admins administer organizations, but see e-mail addresses only where
/// they hold that affiliation).
pub fn can_see_email(
    access: &AccessSet,
    person: PersonId,
    person_organizations: &[OrganizationId],
) -> bool {
    access.person == Some(person)
        || person_organizations
            .iter()
            .any(|org| administers_people_of(access, *org))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::Utc;

    use super::*;
    use crate::{
        access::CommunityAccess,
        ids::{CommunityId, NetworkId, SpaceId},
        model::{JoinPolicy, Stage},
    };

    fn network(visibility: NetworkVisibility) -> Network {
        Network {
            id: NetworkId::generate(),
            slug: "n".into(),
            name: "N".into(),
            description: String::new(),
            visibility,
            host_organization_id: OrganizationId::generate(),
            created_at: Utc::now(),
        }
    }

    fn community(network: &Network, visibility: CommunityVisibility) -> Community {
        Community {
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
        }
    }

    fn space(community: &Community, visibility: SpaceVisibility) -> Space {
        Space {
            id: SpaceId::generate(),
            community_id: community.id,
            slug: "s".into(),
            name: "S".into(),
            description: String::new(),
            visibility,
            created_at: Utc::now(),
        }
    }

    fn member_of(community: &Community, roles: &[Role]) -> AccessSet {
        let mut access = AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        };
        access.communities.insert(
            community.id,
            CommunityAccess {
                network_id: community.network_id,
                roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            },
        );
        access
    }

    #[test]
    fn anonymous_caller_sees_only_public_all_the_way_down() {
        let anon = AccessSet::anonymous();
        for nv in NetworkVisibility::ALL {
            for cv in CommunityVisibility::ALL {
                for sv in SpaceVisibility::ALL {
                    let n = network(*nv);
                    let c = community(&n, *cv);
                    let s = space(&c, *sv);
                    let all_public = *nv == NetworkVisibility::Public
                        && *cv == CommunityVisibility::Public
                        && *sv == SpaceVisibility::Public;
                    assert_eq!(can_see_space(&anon, &n, &c, &s), all_public);
                    assert_eq!(can_read_space(&anon, &n, &c, &s), all_public);
                }
            }
        }
    }

    #[test]
    fn public_community_in_private_network_is_hidden_from_outsiders() {
        let n = network(NetworkVisibility::Private);
        let c = community(&n, CommunityVisibility::Public);
        let outsider = AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        };
        assert!(!can_see_community(&outsider, &n, &c));
        assert!(can_see_community(&member_of(&c, &[Role::Member]), &n, &c));
    }

    #[test]
    fn member_of_a_sibling_community_sees_network_communities_but_not_private_ones() {
        let n = network(NetworkVisibility::Private);
        let sibling = community(&n, CommunityVisibility::Private);
        let access = member_of(&sibling, &[Role::Member]);
        assert!(can_see_network(&access, &n));
        assert!(can_see_community(
            &access,
            &n,
            &community(&n, CommunityVisibility::Network)
        ));
        assert!(!can_see_community(
            &access,
            &n,
            &community(&n, CommunityVisibility::Private)
        ));
    }

    #[test]
    fn steward_is_a_network_member_but_reads_no_members_space() {
        let n = network(NetworkVisibility::Private);
        let c = community(&n, CommunityVisibility::Network);
        let mut steward = AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        };
        steward.stewarded_networks.insert(n.id);
        assert!(can_see_community(&steward, &n, &c));
        assert!(can_see_space(
            &steward,
            &n,
            &c,
            &space(&c, SpaceVisibility::Public)
        ));
        assert!(!can_see_space(
            &steward,
            &n,
            &c,
            &space(&c, SpaceVisibility::Members)
        ));
    }

    #[test]
    fn private_space_is_read_by_its_list_managers_and_moderators_only() {
        let n = network(NetworkVisibility::Public);
        let c = community(&n, CommunityVisibility::Public);
        let s = space(&c, SpaceVisibility::Private);
        let member = member_of(&c, &[Role::Member, Role::Core, Role::Sponsor]);
        assert!(can_see_space(&member, &n, &c, &s));
        assert!(!can_read_space(&member, &n, &c, &s));
        let mut listed = member;
        listed.spaces.insert(s.id);
        assert!(can_read_space(&listed, &n, &c, &s));
        assert!(can_read_space(&member_of(&c, &[Role::Manager]), &n, &c, &s));
        assert!(can_read_space(
            &member_of(&c, &[Role::Moderator]),
            &n,
            &c,
            &s
        ));
        let mut platform_admin = AccessSet {
            person: Some(PersonId::generate()),
            platform_admin: true,
            ..AccessSet::default()
        };
        platform_admin.stewarded_networks.insert(n.id);
        platform_admin
            .organizations
            .insert(n.host_organization_id, OrgRole::Admin);
        assert!(!can_see_space(&platform_admin, &n, &c, &s));
        assert!(!can_read_space(&platform_admin, &n, &c, &s));
    }

    #[test]
    fn email_is_visible_to_self_and_admins_of_the_persons_organizations() {
        let person = PersonId::generate();
        let org = OrganizationId::generate();
        let mut admin = AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        };
        assert!(!can_see_email(&admin, person, &[org]));
        admin.organizations.insert(org, OrgRole::Member);
        assert!(!can_see_email(&admin, person, &[org]));
        admin.organizations.insert(org, OrgRole::Admin);
        assert!(can_see_email(&admin, person, &[org]));
        let me = AccessSet {
            person: Some(person),
            ..AccessSet::default()
        };
        assert!(can_see_email(&me, person, &[]));
    }

    #[test]
    fn service_account_reads_what_its_organization_hosts_but_no_private_space() {
        let n = network(NetworkVisibility::Private);
        let hosted = community(&n, CommunityVisibility::Private);
        let unhosted = community(&n, CommunityVisibility::Private);
        let mut account = AccessSet::anonymous();
        account.hosted_networks.insert(n.id);
        account.hosted_communities.insert(hosted.id);
        assert!(can_see_network(&account, &n));
        assert!(can_see_community(&account, &n, &hosted));
        assert!(!can_see_community(&account, &n, &unhosted));
        assert!(can_read_space(
            &account,
            &n,
            &hosted,
            &space(&hosted, SpaceVisibility::Members)
        ));
        let private = space(&hosted, SpaceVisibility::Private);
        account.spaces.insert(private.id);
        assert!(can_see_space(&account, &n, &hosted, &private));
        assert!(!can_read_space(&account, &n, &hosted, &private));
    }
}
