//! Who may change what (DOMAIN.md rules 3 and 4), and what the viewer may do with a community.
//! These checks run after the resource was found visible, so a refusal here is `FORBIDDEN`.

use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{NetworkId, OrganizationId},
    model::{Community, JoinPolicy, OrgRole, Role, Scope, Stage},
};

/// Only a community's `MANAGER` changes its settings, roles, spaces and join decisions.
pub fn require_manager(
    access: &AccessSet,
    community: &Community,
    action: &str,
) -> DomainResult<()> {
    if access.has_role(community.id, Role::Manager) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only a MANAGER of this community may {action}"
        )))
    }
}

/// Archived communities stay readable and accept no writes.
pub fn require_writable(community: &Community) -> DomainResult<()> {
    if community.is_archived() {
        Err(DomainError::precondition(
            "the community is archived and accepts no changes",
        ))
    } else {
        Ok(())
    }
}

/// An organization's people are managed by its `ORG_ADMIN`s (and the platform admins), and
/// by its service accounts holding `MANAGE_AFFILIATIONS` (rules 4 and 5).
pub fn require_people_manager(
    access: &AccessSet,
    org: OrganizationId,
    action: &str,
) -> DomainResult<()> {
    if access.service_scope(Scope::ManageAffiliations) == Some(org) {
        return Ok(());
    }
    require_org_admin(access, org, action)
}

/// A person who is an `ORG_ADMIN` of the organization (or a platform admin).
pub fn require_org_admin(
    access: &AccessSet,
    org: OrganizationId,
    action: &str,
) -> DomainResult<()> {
    if access.person.is_some()
        && (access.platform_admin || access.org_role(org) == Some(OrgRole::Admin))
    {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only an ORG_ADMIN of this organization may {action}"
        )))
    }
}

/// A network is administered by its `STEWARD`s (and the platform admins).
pub fn require_steward(access: &AccessSet, network: NetworkId, action: &str) -> DomainResult<()> {
    if access.platform_admin || access.is_steward(network) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only a STEWARD of this network may {action}"
        )))
    }
}

/// A stage change needs the community's `MANAGER` or a `STEWARD` of its network; restoring an
/// archived community needs a steward. The move must follow the lifecycle.
pub fn check_stage_change(
    access: &AccessSet,
    community: &Community,
    to: Stage,
) -> DomainResult<()> {
    let steward = access.platform_admin || access.is_steward(community.network_id);
    let manager = access.has_role(community.id, Role::Manager);
    if community.is_archived() && !steward {
        return Err(DomainError::forbidden(
            "only a STEWARD of the network may restore an archived community",
        ));
    }
    if !(steward || manager) {
        return Err(DomainError::forbidden(
            "only a MANAGER of this community or a STEWARD of its network may change its stage",
        ));
    }
    if !community.stage.next_stages().contains(&to) {
        return Err(DomainError::precondition(format!(
            "a community cannot move from {} to {}",
            community.stage.code(),
            to.code()
        )));
    }
    Ok(())
}

/// `MODERATOR`s and `MANAGER`s hide, lock and pin (rule 3), and read private spaces (rule 1).
pub fn can_moderate(access: &AccessSet, community: &Community) -> bool {
    access.has_role(community.id, Role::Moderator) || access.has_role(community.id, Role::Manager)
}

/// Writing in a readable space: a member of its community, community not archived.
pub fn require_member_writer(access: &AccessSet, community: &Community) -> DomainResult<()> {
    access.require_person()?;
    if !access.is_member(community.id) {
        return Err(DomainError::forbidden(
            "only members of the community write in it",
        ));
    }
    require_writable(community)
}

/// Whether the caller's organizations pass the community's allow-list.
pub fn organization_allowed(
    community: &Community,
    person_organizations: impl IntoIterator<Item = OrganizationId>,
) -> bool {
    community.allowed_organization_ids.is_empty()
        || person_organizations
            .into_iter()
            .any(|org| community.allowed_organization_ids.contains(&org))
}

/// Why a person may not become a member right now, if they may not.
pub fn join_obstacle(access: &AccessSet, community: &Community) -> Option<DomainError> {
    if access.person.is_none() {
        return Some(DomainError::Unauthenticated);
    }
    if access.is_member(community.id) {
        return Some(DomainError::conflict(
            "you are already a member of this community",
        ));
    }
    if community.is_archived() {
        return Some(DomainError::precondition(
            "the community is archived and accepts no members",
        ));
    }
    if !organization_allowed(community, access.organizations.keys().copied()) {
        return Some(DomainError::forbidden(
            "this community admits only people of its allowed organizations",
        ));
    }
    None
}

/// What the viewer may do with a visible community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityAbilities {
    /// Join at once (`OPEN` policy, allowed organization, not a member yet).
    pub join: bool,
    /// Ask to join (`APPROVAL` policy, no pending request).
    pub request_to_join: bool,
    /// Write in the community (a member, community not archived).
    pub post: bool,
    /// Change settings, roles, spaces and join decisions (a `MANAGER`, not archived).
    pub manage: bool,
}

/// The viewer's abilities in a community they can see.
pub fn community_abilities(access: &AccessSet, community: &Community) -> CommunityAbilities {
    let can_become_member = join_obstacle(access, community).is_none();
    let writable = !community.is_archived();
    CommunityAbilities {
        join: can_become_member && community.join_policy == JoinPolicy::Open,
        request_to_join: can_become_member
            && community.join_policy == JoinPolicy::Approval
            && !access.pending_requests.contains(&community.id),
        post: writable && access.is_member(community.id),
        manage: writable && access.has_role(community.id, Role::Manager),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::Utc;

    use super::*;
    use crate::{
        access::CommunityAccess,
        ids::{CommunityId, PersonId},
        model::CommunityVisibility,
    };

    fn community(policy: JoinPolicy, stage: Stage, allowed: Vec<OrganizationId>) -> Community {
        Community {
            id: CommunityId::generate(),
            network_id: NetworkId::generate(),
            slug: "c".into(),
            name: "C".into(),
            description: String::new(),
            visibility: CommunityVisibility::Public,
            join_policy: policy,
            stage,
            host_organization_id: None,
            allowed_organization_ids: allowed,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn person() -> AccessSet {
        AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        }
    }

    #[test]
    fn abilities_follow_join_policy_and_membership() {
        let open = community(JoinPolicy::Open, Stage::Active, vec![]);
        let a = community_abilities(&person(), &open);
        assert!(a.join && !a.request_to_join && !a.post && !a.manage);

        let approval = community(JoinPolicy::Approval, Stage::Active, vec![]);
        let mut asker = person();
        assert!(community_abilities(&asker, &approval).request_to_join);
        asker.pending_requests.insert(approval.id);
        assert!(!community_abilities(&asker, &approval).request_to_join);

        let invite = community(JoinPolicy::InviteOnly, Stage::Active, vec![]);
        let a = community_abilities(&person(), &invite);
        assert!(!a.join && !a.request_to_join);

        let mut manager = person();
        manager.communities.insert(
            open.id,
            CommunityAccess {
                network_id: open.network_id,
                roles: BTreeSet::from([Role::Manager]),
            },
        );
        let a = community_abilities(&manager, &open);
        assert!(!a.join && a.post && a.manage);
        assert!(!community_abilities(&AccessSet::anonymous(), &open).join);
    }

    #[test]
    fn allow_list_admits_only_listed_organizations() {
        let org = OrganizationId::generate();
        let c = community(JoinPolicy::Open, Stage::Active, vec![org]);
        assert!(!community_abilities(&person(), &c).join);
        let mut affiliated = person();
        affiliated.organizations.insert(org, OrgRole::Member);
        assert!(community_abilities(&affiliated, &c).join);
    }

    #[test]
    fn archived_community_accepts_no_members_and_no_writes() {
        let c = community(JoinPolicy::Open, Stage::Archived, vec![]);
        assert!(matches!(
            join_obstacle(&person(), &c),
            Some(DomainError::FailedPrecondition(_))
        ));
        assert!(require_writable(&c).is_err());
    }

    #[test]
    fn stage_changes_follow_the_lifecycle_and_need_manager_or_steward() {
        let c = community(JoinPolicy::Open, Stage::Proposed, vec![]);
        let mut steward = person();
        steward.stewarded_networks.insert(c.network_id);
        assert!(check_stage_change(&steward, &c, Stage::Launching).is_ok());
        assert!(matches!(
            check_stage_change(&steward, &c, Stage::Active),
            Err(DomainError::FailedPrecondition(_))
        ));
        assert!(matches!(
            check_stage_change(&person(), &c, Stage::Launching),
            Err(DomainError::Forbidden(_))
        ));
        let archived = community(JoinPolicy::Open, Stage::Archived, vec![]);
        let mut manager = person();
        manager.communities.insert(
            archived.id,
            CommunityAccess {
                network_id: archived.network_id,
                roles: BTreeSet::from([Role::Manager]),
            },
        );
        assert!(check_stage_change(&manager, &archived, Stage::Dormant).is_err());
        let mut steward = person();
        steward.stewarded_networks.insert(archived.network_id);
        assert!(check_stage_change(&steward, &archived, Stage::Dormant).is_ok());
    }
}
