use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{CommunityId, PersonId, SpaceId},
    model::{MembershipStatus, Space, SpaceVisibility},
    policy::write,
    values::{Description, Name, Slug},
};

/// Input of `create_space`.
#[derive(Debug, Clone)]
pub struct NewSpace {
    /// The community.
    pub community_id: CommunityId,
    /// Handle, unique in the community.
    pub slug: Slug,
    /// Display name.
    pub name: Name,
    /// Free text.
    pub description: Description,
    /// Who may see and read it.
    pub visibility: SpaceVisibility,
}

/// Input of `update_space`: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SpaceChanges {
    /// Handle, unique in the community.
    pub slug: Option<Slug>,
    /// Display name.
    pub name: Option<Name>,
    /// Free text.
    pub description: Option<Description>,
    /// Who may see and read it.
    pub visibility: Option<SpaceVisibility>,
}

impl Services {
    /// A `MANAGER` creates a space.
    #[instrument(skip_all)]
    pub async fn create_space(&self, access: &AccessSet, input: NewSpace) -> DomainResult<Space> {
        access.require_person()?;
        let community = self.community(access, input.community_id).await?;
        write::can_manage(access, &community, "create spaces")?;
        let space = Space {
            id: SpaceId::generate(),
            community_id: community.id,
            slug: input.slug.into_inner(),
            name: input.name.into_inner(),
            description: input.description.into_inner(),
            visibility: input.visibility,
            created_at: Utc::now(),
        };
        self.repos.spaces.create(&space).await?;
        Ok(space)
    }

    /// A `MANAGER` changes a space.
    #[instrument(skip_all)]
    pub async fn update_space(
        &self,
        access: &AccessSet,
        id: SpaceId,
        changes: SpaceChanges,
    ) -> DomainResult<Space> {
        access.require_person()?;
        let visible = self.space(access, id).await?;
        write::can_manage(access, visible.community(), "change spaces")?;
        let mut space = visible.item().clone();
        if let Some(slug) = changes.slug {
            space.slug = slug.into_inner();
        }
        if let Some(name) = changes.name {
            space.name = name.into_inner();
        }
        if let Some(description) = changes.description {
            space.description = description.into_inner();
        }
        if let Some(visibility) = changes.visibility {
            space.visibility = visibility;
        }
        self.repos.spaces.update(&space).await?;
        self.container_changed(space.community_id).await;
        Ok(space)
    }

    /// A `MANAGER` puts a community member on a space's member list (idempotent).
    #[instrument(skip_all)]
    pub async fn add_space_member(
        &self,
        access: &AccessSet,
        id: SpaceId,
        person: PersonId,
    ) -> DomainResult<Space> {
        access.require_person()?;
        let space = self.space(access, id).await?;
        write::can_manage(access, space.community(), "change space member lists")?;
        let memberships = self
            .repos
            .memberships
            .of_person_in(person, &[space.community_id])
            .await?;
        if !memberships
            .iter()
            .any(|m| m.status == MembershipStatus::Active)
        {
            self.person(person).await?;
            return Err(DomainError::precondition(
                "only members of the community can be put on a space's member list",
            ));
        }
        self.repos.spaces.add_member(space.id, person).await?;
        self.access_changed(person).await;
        Ok(space.item().clone())
    }

    /// A `MANAGER` takes a person off a space's member list.
    #[instrument(skip_all)]
    pub async fn remove_space_member(
        &self,
        access: &AccessSet,
        id: SpaceId,
        person: PersonId,
    ) -> DomainResult<Space> {
        access.require_person()?;
        let space = self.space(access, id).await?;
        write::can_manage(access, space.community(), "change space member lists")?;
        if self.repos.spaces.remove_member(space.id, person).await? {
            self.access_changed(person).await;
            Ok(space.item().clone())
        } else {
            Err(DomainError::NotFound("space member"))
        }
    }
}
