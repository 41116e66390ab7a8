//! Who may change what (DOMAIN.md rules 3, 4 and 5): one function per ability, taking the
//! proof that the caller sees the thing. The mutation calls it and fails with its error; the
//! matching `viewerCan…` field calls the same function and answers whether it is `Ok`. A
//! refusal here is `FORBIDDEN` (or a precondition), never `NOT_FOUND`: the thing is visible.

use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{NetworkId, OrganizationId},
    model::{
        Cluster, Community, Convening, JoinPolicy, Network, OrgRole, Post, Role, Scope, Space,
        Stage, Thread,
    },
    policy::proof::{EventWithin, Readable, Visible},
};

/// `Ok` when the caller may do it; otherwise the error the mutation returns.
pub type Ability = DomainResult<()>;

/// Archived communities stay readable and accept no writes.
pub fn require_writable(community: &Community) -> Ability {
    if community.is_archived() {
        Err(DomainError::precondition(
            "the community is archived and accepts no changes",
        ))
    } else {
        Ok(())
    }
}

/// Writing in a community: a signed-in member, the community not archived (rule 3).
pub fn can_write(access: &AccessSet, community: &Visible<Community>) -> Ability {
    access.require_person()?;
    if !access.is_member(community.id) {
        return Err(DomainError::forbidden(
            "only members of the community write in it",
        ));
    }
    require_writable(community)
}

/// Changing a community's settings, roles, spaces and join decisions: its `MANAGER`, the
/// community not archived (rule 3). `action` completes "only a MANAGER of this community may".
pub fn can_manage(access: &AccessSet, community: &Visible<Community>, action: &str) -> Ability {
    access.require_person()?;
    if !access.has_role(community.id, Role::Manager) {
        return Err(DomainError::forbidden(format!(
            "only a MANAGER of this community may {action}"
        )));
    }
    require_writable(community)
}

/// Holds a moderating role (`MODERATOR` or `MANAGER`): sees hidden posts and flag counts,
/// posts in locked threads, reads private spaces (rule 1).
pub fn moderates(access: &AccessSet, community: &Community) -> bool {
    access.has_role(community.id, Role::Moderator) || access.has_role(community.id, Role::Manager)
}

/// Hiding posts, locking and pinning threads: a moderating role, the community not archived.
pub fn can_moderate(access: &AccessSet, community: &Visible<Community>) -> Ability {
    access.require_person()?;
    if !moderates(access, community) {
        return Err(DomainError::forbidden(
            "only a MODERATOR or MANAGER of the community may do this",
        ));
    }
    require_writable(community)
}

/// Starting a thread in a readable space: whoever writes in its community.
pub fn can_start_thread(access: &AccessSet, space: &Readable<Space>) -> Ability {
    can_write(access, space.community())
}

/// Posting in a readable thread: whoever writes in its community; a locked thread only for
/// those who moderate.
pub fn can_reply(access: &AccessSet, thread: &Readable<Thread>) -> Ability {
    let community = thread.community();
    can_write(access, community)?;
    if thread.locked && !moderates(access, community) {
        return Err(DomainError::precondition("the thread is locked"));
    }
    Ok(())
}

/// Editing a post: its author, still writing in the community, the post not deleted, its
/// thread not locked (unless they moderate).
pub fn can_edit_post(access: &AccessSet, post: &Readable<Post>) -> Ability {
    if access.require_person()? != post.author_id {
        return Err(DomainError::forbidden("only its author may edit a post"));
    }
    let community = post.community();
    can_write(access, community)?;
    if post.deleted {
        return Err(DomainError::precondition("the post was deleted"));
    }
    if post.thread().locked && !moderates(access, community) {
        return Err(DomainError::precondition("the thread is locked"));
    }
    Ok(())
}

/// Deleting a post: its author or a moderator, the community not archived (deleting a
/// deleted post changes nothing and succeeds).
pub fn can_delete_post(access: &AccessSet, post: &Readable<Post>) -> Ability {
    let me = access.require_person()?;
    let community = post.community();
    if post.author_id != me && !moderates(access, community) {
        return Err(DomainError::forbidden(
            "only its author or a moderator may delete a post",
        ));
    }
    require_writable(community)
}

/// Reacting to a post: whoever writes in its community, the post not deleted.
pub fn can_react(access: &AccessSet, post: &Readable<Post>) -> Ability {
    can_write(access, post.community())?;
    if post.deleted {
        return Err(DomainError::precondition("the post was deleted"));
    }
    Ok(())
}

/// Flagging a post for the moderators: whoever writes in its community.
pub fn can_flag(access: &AccessSet, post: &Readable<Post>) -> Ability {
    can_write(access, post.community())
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

/// Why the caller may not become a member now, whatever the join policy.
pub fn can_become_member(access: &AccessSet, community: &Community) -> Ability {
    access.require_person()?;
    if access.is_member(community.id) {
        return Err(DomainError::conflict(
            "you are already a member of this community",
        ));
    }
    if community.is_archived() {
        return Err(DomainError::precondition(
            "the community is archived and accepts no members",
        ));
    }
    if !organization_allowed(community, access.organizations.keys().copied()) {
        return Err(DomainError::forbidden(
            "this community admits only people of its allowed organizations",
        ));
    }
    Ok(())
}

/// Joining at once: an `OPEN` community the caller may become a member of.
pub fn can_join(access: &AccessSet, community: &Visible<Community>) -> Ability {
    can_become_member(access, community)?;
    match community.join_policy {
        JoinPolicy::Open => Ok(()),
        JoinPolicy::Approval => Err(DomainError::forbidden(
            "this community admits members on approval: use requestToJoin",
        )),
        JoinPolicy::InviteOnly => Err(DomainError::forbidden(
            "this community admits members by invitation only",
        )),
    }
}

/// Asking to join: an `APPROVAL` community the caller may become a member of, with no
/// pending request of theirs.
pub fn can_request_to_join(access: &AccessSet, community: &Visible<Community>) -> Ability {
    can_become_member(access, community)?;
    match community.join_policy {
        JoinPolicy::Approval => {}
        JoinPolicy::Open => {
            return Err(DomainError::precondition(
                "this community is open: use joinCommunity",
            ));
        }
        JoinPolicy::InviteOnly => {
            return Err(DomainError::forbidden(
                "this community admits members by invitation only",
            ));
        }
    }
    if access.pending_requests.contains(&community.id) {
        return Err(DomainError::conflict(
            "you already have a pending request to join this community",
        ));
    }
    Ok(())
}

/// A stage change needs the community's `MANAGER` or a `STEWARD` of its network; restoring an
/// archived community needs a steward. The move must follow the lifecycle.
pub fn can_change_stage(access: &AccessSet, community: &Visible<Community>, to: Stage) -> Ability {
    access.require_person()?;
    let steward = administers_network(access, community.network_id);
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

fn administers_network(access: &AccessSet, network: NetworkId) -> bool {
    access.person.is_some() && (access.platform_admin || access.is_steward(network))
}

/// Administering a network (stewards, clusters, coordinators): its `STEWARD`s and the
/// platform admins.
pub fn can_administer_network(
    access: &AccessSet,
    network: &Visible<Network>,
    action: &str,
) -> Ability {
    access.require_person()?;
    if administers_network(access, network.id) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only a STEWARD of this network may {action}"
        )))
    }
}

/// Administering an organization (its networks, service accounts, people): a signed-in
/// `ORG_ADMIN` of it, or a platform admin (rule 4). The one organization-admin check.
pub fn can_admin_organization(access: &AccessSet, org: OrganizationId) -> bool {
    access.person.is_some()
        && (access.platform_admin || access.org_role(org) == Some(OrgRole::Admin))
}

/// [`can_admin_organization`], as the error a mutation returns.
pub fn require_org_admin(access: &AccessSet, org: OrganizationId, action: &str) -> Ability {
    access.require_person()?;
    if can_admin_organization(access, org) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only an ORG_ADMIN of this organization may {action}"
        )))
    }
}

/// Managing an organization's people (affiliations): its admins, and its service accounts
/// holding `MANAGE_AFFILIATIONS` (rules 4 and 5).
pub fn can_manage_people(access: &AccessSet, org: OrganizationId, action: &str) -> Ability {
    if access.service_scope(Scope::ManageAffiliations) == Some(org) {
        return Ok(());
    }
    require_org_admin(access, org, action)
}

/// Naming an organization as a community's host: one the caller is affiliated with (or a
/// platform admin).
pub fn can_name_host(access: &AccessSet, org: OrganizationId) -> Ability {
    if access.org_role(org).is_some() || access.platform_admin {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "you may name as host only an organization you are affiliated with",
        ))
    }
}

/// Where events are scheduled.
#[derive(Clone, Copy)]
pub enum EventPlace<'a> {
    /// A visible community (community-wide events and those of its spaces).
    Community(&'a Visible<Community>),
    /// A visible cluster.
    Cluster(&'a Visible<Cluster>),
}

impl<'a> EventPlace<'a> {
    /// Where a readable event is held.
    pub fn of(event: &'a Readable<Convening>) -> Self {
        match event.within() {
            EventWithin::Community(c) => Self::Community(c),
            EventWithin::Space(s) => Self::Community(s.community()),
            EventWithin::Cluster(k) => Self::Cluster(k),
        }
    }
}

/// Scheduling, changing and cancelling events: a community's `MANAGER` (the community not
/// archived); a cluster's `CLUSTER_COORDINATOR` or a `STEWARD` of its network.
pub fn can_manage_events(access: &AccessSet, place: EventPlace<'_>) -> Ability {
    match place {
        EventPlace::Community(c) => can_manage(access, c, "schedule and change its events"),
        EventPlace::Cluster(k) => {
            access.require_person()?;
            if access.is_coordinator(k.id) || administers_network(access, k.network_id) {
                Ok(())
            } else {
                Err(DomainError::forbidden(
                    "only a CLUSTER_COORDINATOR of this cluster or a STEWARD of its network may \
                     schedule and change its events",
                ))
            }
        }
    }
}

/// Answering for an event: a signed-in person who reads it and, for a community's events, a
/// member of that community (not archived); a cluster's events are answered by whoever reads
/// them (the members of the cluster's communities).
pub fn can_rsvp(access: &AccessSet, event: &Readable<Convening>) -> Ability {
    access.require_person()?;
    match event.community() {
        Some(c) => can_write(access, c),
        None => Ok(()),
    }
}

/// What the viewer may do with a visible community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityAbilities {
    /// [`can_join`].
    pub join: bool,
    /// [`can_request_to_join`].
    pub request_to_join: bool,
    /// [`can_write`].
    pub post: bool,
    /// [`can_manage`].
    pub manage: bool,
}

/// The viewer's abilities in a community they can see.
pub fn community_abilities(
    access: &AccessSet,
    community: &Visible<Community>,
) -> CommunityAbilities {
    CommunityAbilities {
        join: can_join(access, community).is_ok(),
        request_to_join: can_request_to_join(access, community).is_ok(),
        post: can_write(access, community).is_ok(),
        manage: can_manage(access, community, "manage it").is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeSet, sync::Arc};

    use chrono::Utc;

    use super::*;
    use crate::{
        access::CommunityAccess,
        ids::{CommunityId, PersonId, PostId, SpaceId, ThreadId},
        model::{CommunityVisibility, NetworkVisibility, SpaceVisibility},
        policy::proof,
    };

    fn network() -> Arc<Network> {
        Arc::new(Network {
            id: NetworkId::generate(),
            slug: "n".into(),
            name: "N".into(),
            description: String::new(),
            visibility: NetworkVisibility::Public,
            host_organization_id: OrganizationId::generate(),
            created_at: Utc::now(),
        })
    }

    /// A public community of a public network, seen by `access`.
    fn community(
        access: &AccessSet,
        policy: JoinPolicy,
        stage: Stage,
        allowed: Vec<OrganizationId>,
    ) -> Visible<Community> {
        let network = proof::see_network(access, network()).unwrap();
        let community = Community {
            id: CommunityId::generate(),
            network_id: network.id,
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
        };
        proof::see_community(access, &network, Arc::new(community)).unwrap()
    }

    fn person() -> AccessSet {
        AccessSet {
            person: Some(PersonId::generate()),
            ..AccessSet::default()
        }
    }

    fn with_roles(mut access: AccessSet, c: &Visible<Community>, roles: &[Role]) -> AccessSet {
        access.communities.insert(
            c.id,
            CommunityAccess {
                network_id: c.network_id,
                roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            },
        );
        access
    }

    /// A post by `author` in a thread of a public space of `c`.
    fn post(
        access: &AccessSet,
        c: &Visible<Community>,
        author: PersonId,
        locked: bool,
    ) -> Readable<Post> {
        let space = Space {
            id: SpaceId::generate(),
            community_id: c.id,
            slug: "s".into(),
            name: "S".into(),
            description: String::new(),
            visibility: SpaceVisibility::Public,
            created_at: Utc::now(),
        };
        let space = proof::see_space(access, c, Arc::new(space)).unwrap();
        let space = proof::read_space(access, &space).unwrap();
        let (thread_id, post_id) = (ThreadId::generate(), PostId::generate());
        let thread = Thread {
            id: thread_id,
            space_id: space.id,
            author_id: author,
            title: "t".into(),
            pinned: false,
            locked,
            created_at: Utc::now(),
            last_activity_at: Utc::now(),
            last_post_id: post_id,
            post_count: 1,
        };
        let thread = proof::read_thread(&space, Arc::new(thread)).unwrap();
        let post = Post {
            id: post_id,
            thread_id,
            author_id: author,
            body: "b".into(),
            body_html: "<p>b</p>".into(),
            reply_to: None,
            hidden: false,
            deleted: false,
            created_at: Utc::now(),
            edited_at: None,
        };
        proof::read_post(&thread, Arc::new(post)).unwrap()
    }

    #[test]
    fn abilities_follow_join_policy_and_membership() {
        let caller = person();
        let open = community(&caller, JoinPolicy::Open, Stage::Active, vec![]);
        let a = community_abilities(&caller, &open);
        assert!(a.join && !a.request_to_join && !a.post && !a.manage);

        let approval = community(&caller, JoinPolicy::Approval, Stage::Active, vec![]);
        let mut asker = person();
        assert!(community_abilities(&asker, &approval).request_to_join);
        asker.pending_requests.insert(approval.id);
        assert!(!community_abilities(&asker, &approval).request_to_join);

        let invite = community(&caller, JoinPolicy::InviteOnly, Stage::Active, vec![]);
        let a = community_abilities(&person(), &invite);
        assert!(!a.join && !a.request_to_join);

        let manager = with_roles(person(), &open, &[Role::Manager]);
        let a = community_abilities(&manager, &open);
        assert!(!a.join && a.post && a.manage);
        assert!(!community_abilities(&AccessSet::anonymous(), &open).join);
    }

    #[test]
    fn allow_list_admits_only_listed_organizations() {
        let org = OrganizationId::generate();
        let caller = person();
        let c = community(&caller, JoinPolicy::Open, Stage::Active, vec![org]);
        assert!(!community_abilities(&caller, &c).join);
        let mut affiliated = person();
        affiliated.organizations.insert(org, OrgRole::Member);
        assert!(community_abilities(&affiliated, &c).join);
    }

    #[test]
    fn archived_community_accepts_no_members_and_no_writes() {
        let caller = person();
        let c = community(&caller, JoinPolicy::Open, Stage::Archived, vec![]);
        assert!(matches!(
            can_join(&caller, &c),
            Err(DomainError::FailedPrecondition(_))
        ));
        let manager = with_roles(person(), &c, &[Role::Manager, Role::Moderator]);
        assert!(can_write(&manager, &c).is_err());
        assert!(can_manage(&manager, &c, "x").is_err());
        assert!(can_moderate(&manager, &c).is_err());
    }

    #[test]
    fn editing_a_post_needs_its_author_still_writing_an_unlocked_thread() {
        let author = person();
        let c = community(&author, JoinPolicy::Open, Stage::Active, vec![]);
        let me = author.person.unwrap();
        let member = with_roles(author.clone(), &c, &[Role::Member]);
        assert!(can_edit_post(&member, &post(&member, &c, me, false)).is_ok());
        // No longer a member.
        assert!(can_edit_post(&author, &post(&author, &c, me, false)).is_err());
        // Someone else's post.
        let other = PersonId::generate();
        assert!(can_edit_post(&member, &post(&member, &c, other, false)).is_err());
        // A locked thread: only for those who moderate.
        assert!(can_edit_post(&member, &post(&member, &c, me, true)).is_err());
        assert!(can_reply(&member, post(&member, &c, me, true).thread()).is_err());
        let moderator = with_roles(author, &c, &[Role::Moderator]);
        assert!(can_edit_post(&moderator, &post(&moderator, &c, me, true)).is_ok());
        assert!(can_reply(&moderator, post(&moderator, &c, me, true).thread()).is_ok());
        // An archived community.
        let archived = community(&member, JoinPolicy::Open, Stage::Archived, vec![]);
        let member = with_roles(member, &archived, &[Role::Member]);
        assert!(can_edit_post(&member, &post(&member, &archived, me, false)).is_err());
        assert!(can_reply(&member, post(&member, &archived, me, false).thread()).is_err());
    }

    #[test]
    fn stage_changes_follow_the_lifecycle_and_need_manager_or_steward() {
        let caller = person();
        let c = community(&caller, JoinPolicy::Open, Stage::Proposed, vec![]);
        let mut steward = person();
        steward.stewarded_networks.insert(c.network_id);
        assert!(can_change_stage(&steward, &c, Stage::Launching).is_ok());
        assert!(matches!(
            can_change_stage(&steward, &c, Stage::Active),
            Err(DomainError::FailedPrecondition(_))
        ));
        assert!(matches!(
            can_change_stage(&person(), &c, Stage::Launching),
            Err(DomainError::Forbidden(_))
        ));
        let archived = community(&caller, JoinPolicy::Open, Stage::Archived, vec![]);
        let manager = with_roles(person(), &archived, &[Role::Manager]);
        assert!(can_change_stage(&manager, &archived, Stage::Dormant).is_err());
        let mut steward = person();
        steward.stewarded_networks.insert(archived.network_id);
        assert!(can_change_stage(&steward, &archived, Stage::Dormant).is_ok());
    }

    #[test]
    fn organization_admins_are_signed_in_admins_or_platform_admins() {
        let org = OrganizationId::generate();
        let mut admin = person();
        assert!(!can_admin_organization(&admin, org));
        admin.organizations.insert(org, OrgRole::Admin);
        assert!(can_admin_organization(&admin, org));
        let platform = AccessSet {
            platform_admin: true,
            ..person()
        };
        assert!(can_admin_organization(&platform, org));
        let mut account = AccessSet::anonymous();
        account.organizations.insert(org, OrgRole::Admin);
        assert!(!can_admin_organization(&account, org));
    }
}
