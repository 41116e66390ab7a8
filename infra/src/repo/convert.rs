//! Rows to domain values. A stored code the domain does not know is an internal error.

use copnet_domain::{
    DomainResult,
    model::{
        Affiliation, Cluster, Community, CommunityVisibility, Invitation, InvitationStatus,
        JoinPolicy, JoinRequest, JoinRequestStatus, Network, NetworkVisibility, OrgRole,
        Organization, Person, Space, SpaceVisibility, Stage,
    },
};

use crate::entity::*;

macro_rules! code {
    ($ty:ty, $column:literal, $value:expr) => {
        <$ty>::from_code(&$value).ok_or_else(|| $crate::error::bad_code($column, &$value))
    };
}
pub(crate) use code;

pub(crate) fn organization(m: organizations::Model) -> Organization {
    Organization {
        id: m.id.into(),
        slug: m.slug,
        name: m.name,
        created_at: m.created_at,
    }
}

pub(crate) fn person(m: people::Model) -> Person {
    Person {
        id: m.id.into(),
        subject: m.subject,
        display_name: m.display_name,
        email: m.email,
        created_at: m.created_at,
    }
}

pub(crate) fn affiliation(m: affiliations::Model) -> DomainResult<Affiliation> {
    let affiliations::Model {
        id,
        person_id,
        organization_id,
        role,
        created_at,
    } = m;
    Ok(Affiliation {
        id: id.into(),
        person_id: person_id.into(),
        organization_id: organization_id.into(),
        role: code!(OrgRole, "affiliations.role", role)?,
        created_at,
    })
}

pub(crate) fn network(m: networks::Model) -> DomainResult<Network> {
    Ok(Network {
        id: m.id.into(),
        slug: m.slug,
        name: m.name,
        description: m.description,
        visibility: code!(NetworkVisibility, "networks.visibility", m.visibility)?,
        host_organization_id: m.host_organization_id.into(),
        created_at: m.created_at,
    })
}

pub(crate) fn cluster(m: clusters::Model) -> Cluster {
    Cluster {
        id: m.id.into(),
        network_id: m.network_id.into(),
        slug: m.slug,
        name: m.name,
        created_at: m.created_at,
    }
}

/// A community row; its allow-list comes from another table.
pub(crate) fn community(
    m: communities::Model,
    allowed: Vec<copnet_domain::ids::OrganizationId>,
) -> DomainResult<Community> {
    Ok(Community {
        id: m.id.into(),
        network_id: m.network_id.into(),
        slug: m.slug,
        name: m.name,
        description: m.description,
        visibility: code!(CommunityVisibility, "communities.visibility", m.visibility)?,
        join_policy: code!(JoinPolicy, "communities.join_policy", m.join_policy)?,
        stage: code!(Stage, "communities.stage", m.stage)?,
        host_organization_id: m.host_organization_id.map(Into::into),
        allowed_organization_ids: allowed,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn join_request(m: join_requests::Model) -> DomainResult<JoinRequest> {
    Ok(JoinRequest {
        id: m.id.into(),
        community_id: m.community_id.into(),
        person_id: m.person_id.into(),
        message: m.message,
        status: code!(JoinRequestStatus, "join_requests.status", m.status)?,
        created_at: m.created_at,
        decided_at: m.decided_at,
        decided_by: m.decided_by.map(Into::into),
    })
}

pub(crate) fn invitation(m: invitations::Model) -> DomainResult<Invitation> {
    Ok(Invitation {
        id: m.id.into(),
        community_id: m.community_id.into(),
        person_id: m.person_id.into(),
        invited_by: m.invited_by.into(),
        message: m.message,
        status: code!(InvitationStatus, "invitations.status", m.status)?,
        created_at: m.created_at,
        responded_at: m.responded_at,
    })
}

pub(crate) fn space(m: spaces::Model) -> DomainResult<Space> {
    Ok(Space {
        id: m.id.into(),
        community_id: m.community_id.into(),
        slug: m.slug,
        name: m.name,
        description: m.description,
        visibility: code!(SpaceVisibility, "spaces.visibility", m.visibility)?,
        created_at: m.created_at,
    })
}

/// Raw UUIDs of typed ids.
pub(crate) fn uuids<T: Copy + Into<uuid::Uuid>>(ids: &[T]) -> Vec<uuid::Uuid> {
    ids.iter().map(|id| (*id).into()).collect()
}

pub(crate) fn thread(m: threads::Model) -> copnet_domain::model::Thread {
    copnet_domain::model::Thread {
        id: m.id.into(),
        space_id: m.space_id.into(),
        author_id: m.author_id.into(),
        title: m.title,
        pinned: m.pinned,
        locked: m.locked,
        created_at: m.created_at,
        last_activity_at: m.last_activity_at,
        last_post_id: m.last_post_id.into(),
        post_count: u32::try_from(m.post_count).unwrap_or(0),
    }
}

pub(crate) fn post(m: posts::Model) -> copnet_domain::model::Post {
    copnet_domain::model::Post {
        id: m.id.into(),
        thread_id: m.thread_id.into(),
        author_id: m.author_id.into(),
        body: m.body,
        body_html: m.body_html,
        reply_to: m.reply_to.map(Into::into),
        hidden: m.hidden,
        deleted: m.deleted,
        created_at: m.created_at,
        edited_at: m.edited_at,
    }
}

pub(crate) fn notification(
    m: notifications::Model,
) -> DomainResult<copnet_domain::model::Notification> {
    let notifications::Model {
        id,
        person_id,
        kind,
        actor_id,
        community_id,
        thread_id,
        post_id,
        invitation_id,
        join_request_id,
        created_at,
        read_at,
    } = m;
    Ok(copnet_domain::model::Notification {
        id: id.into(),
        person_id: person_id.into(),
        kind: code!(
            copnet_domain::model::NotificationKind,
            "notifications.kind",
            kind
        )?,
        actor_id: actor_id.map(Into::into),
        community_id: community_id.map(Into::into),
        thread_id: thread_id.map(Into::into),
        post_id: post_id.map(Into::into),
        invitation_id: invitation_id.map(Into::into),
        join_request_id: join_request_id.map(Into::into),
        created_at,
        read_at,
    })
}
