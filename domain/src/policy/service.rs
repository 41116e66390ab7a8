//! Rule 5: a service account acts for one organization with explicit scopes. It sees public
//! data, plus, with `READ_HOSTED`, what its organization hosts: the networks it hosts (read
//! as a network member reads them) and the communities it hosts inside networks the account
//! can see (read as a member reads them, private spaces excepted: rule 1). It never acts as
//! a person. A revoked account is anonymous.

use crate::{
    access::{AccessSet, ServiceAccountAccess},
    model::{Community, Network, Scope, ServiceAccount},
    policy::read,
};

/// What an organization hosts, as rule 5 needs it.
#[derive(Debug, Clone, Default)]
pub struct Hosted {
    /// The networks it hosts.
    pub networks: Vec<Network>,
    /// The communities it hosts, each with its network.
    pub communities: Vec<(Community, Network)>,
}

/// The access set of a service account, given what its organization hosts.
pub fn service_account_access(account: &ServiceAccount, hosted: &Hosted) -> AccessSet {
    if account.revoked_at.is_some() {
        return AccessSet::anonymous();
    }
    let mut access = AccessSet {
        service_account: Some(ServiceAccountAccess {
            id: account.id,
            organization: account.organization_id,
            scopes: account.scopes.clone(),
        }),
        ..AccessSet::default()
    };
    if !account.scopes.contains(&Scope::ReadHosted) {
        return access;
    }
    let org = account.organization_id;
    access.hosted_networks = hosted
        .networks
        .iter()
        .filter(|n| n.host_organization_id == org)
        .map(|n| n.id)
        .collect();
    // Hosted communities count only inside networks the account can see (rule 0).
    let seen: Vec<_> = hosted
        .communities
        .iter()
        .filter(|(c, n)| {
            c.host_organization_id == Some(org)
                && c.network_id == n.id
                && read::can_see_network(&access, n)
        })
        .map(|(c, _)| c.id)
        .collect();
    access.hosted_communities.extend(seen);
    access
}

/// Whether the account needs [`Hosted`] at all (it holds `READ_HOSTED` and is not revoked).
pub fn reads_hosted(account: &ServiceAccount) -> bool {
    account.revoked_at.is_none() && account.scopes.contains(&Scope::ReadHosted)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::Utc;

    use super::*;
    use crate::{
        ids::{CommunityId, NetworkId, OrganizationId, PersonId, ServiceAccountId},
        model::{CommunityVisibility, JoinPolicy, NetworkVisibility, Stage},
    };

    fn network(host: OrganizationId, visibility: NetworkVisibility) -> Network {
        Network {
            id: NetworkId::generate(),
            slug: "n".into(),
            name: "N".into(),
            description: String::new(),
            visibility,
            host_organization_id: host,
            created_at: Utc::now(),
        }
    }

    fn community(network: &Network, host: OrganizationId) -> Community {
        Community {
            id: CommunityId::generate(),
            network_id: network.id,
            slug: "c".into(),
            name: "C".into(),
            description: String::new(),
            visibility: CommunityVisibility::Private,
            join_policy: JoinPolicy::Open,
            stage: Stage::Active,
            host_organization_id: Some(host),
            allowed_organization_ids: vec![],
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn account(org: OrganizationId, scopes: &[Scope]) -> ServiceAccount {
        ServiceAccount {
            id: ServiceAccountId::generate(),
            organization_id: org,
            name: "sync".into(),
            scopes: scopes.iter().copied().collect::<BTreeSet<_>>(),
            created_by: PersonId::generate(),
            created_at: Utc::now(),
            revoked_at: None,
            last_used_at: None,
        }
    }

    #[test]
    fn hosted_communities_count_only_inside_networks_the_account_sees() {
        let (org, other) = (OrganizationId::generate(), OrganizationId::generate());
        let own = network(org, NetworkVisibility::Private);
        let public = network(other, NetworkVisibility::Public);
        let foreign_private = network(other, NetworkVisibility::Private);
        let hosted = Hosted {
            networks: vec![own.clone()],
            communities: vec![
                (community(&own, org), own.clone()),
                (community(&public, org), public.clone()),
                (community(&foreign_private, org), foreign_private.clone()),
            ],
        };
        let access = service_account_access(&account(org, &[Scope::ReadHosted]), &hosted);
        assert!(access.hosted_networks.contains(&own.id));
        assert!(
            access
                .hosted_communities
                .contains(&hosted.communities[0].0.id)
        );
        assert!(
            access
                .hosted_communities
                .contains(&hosted.communities[1].0.id)
        );
        assert!(
            !access
                .hosted_communities
                .contains(&hosted.communities[2].0.id)
        );
        assert!(access.person.is_none());
    }

    #[test]
    fn without_read_hosted_or_once_revoked_nothing_hosted_is_read() {
        let org = OrganizationId::generate();
        let own = network(org, NetworkVisibility::Private);
        let hosted = Hosted {
            networks: vec![own.clone()],
            communities: vec![(community(&own, org), own)],
        };
        let sync = service_account_access(&account(org, &[Scope::ManageAffiliations]), &hosted);
        assert!(sync.hosted_networks.is_empty() && sync.hosted_communities.is_empty());
        assert!(sync.service_account.is_some());
        let mut revoked = account(org, &[Scope::ReadHosted, Scope::ManageAffiliations]);
        revoked.revoked_at = Some(Utc::now());
        assert!(!reads_hosted(&revoked));
        assert_eq!(
            service_account_access(&revoked, &hosted),
            AccessSet::anonymous()
        );
    }
}
