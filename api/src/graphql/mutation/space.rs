use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{PersonId, SpaceId},
    service::{NewSpace, SpaceChanges},
    values::{Description, Name, Slug},
};

use super::{description, id, name, shown, slug};
use crate::{
    error::ApiResult,
    graphql::{context::write, enums::SpaceVisibility, ids::Kind, types::Space},
};

/// Input of `createSpace`.
#[derive(InputObject)]
pub struct CreateSpaceInput {
    /// The community.
    pub community_id: ID,
    /// Handle, unique in the community: 2..64 of `a-z`, `0-9`, `-`.
    pub slug: String,
    /// Display name, 1..120 characters.
    pub name: String,
    /// Free text, up to 4000 characters.
    pub description: Option<String>,
    /// Who may see and read it.
    pub visibility: SpaceVisibility,
}

/// Input of `updateSpace`. Absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateSpaceInput {
    /// The space.
    pub space_id: ID,
    /// New handle.
    pub slug: Option<String>,
    /// Display name, 1..120 characters.
    pub name: Option<String>,
    /// Free text, up to 4000 characters.
    pub description: Option<String>,
    /// Who may see and read it.
    pub visibility: Option<SpaceVisibility>,
}

/// Input of `addSpaceMember` and `removeSpaceMember`.
#[derive(InputObject)]
pub struct SpaceMemberInput {
    /// The space.
    pub space_id: ID,
    /// The person; for `addSpaceMember`, an active member of the community.
    pub person_id: ID,
}

/// Result of space mutations.
#[derive(SimpleObject)]
pub struct SpacePayload {
    /// The space as stored.
    pub space: Space,
}

#[derive(Default)]
pub struct SpaceMutations;

#[Object]
impl SpaceMutations {
    /// Creates a space. `MANAGER`s of the community only; not when archived.
    async fn create_space(
        &self,
        ctx: &Context<'_>,
        input: CreateSpaceInput,
    ) -> ApiResult<Option<SpacePayload>> {
        let new = NewSpace {
            community_id: id("communityId", Kind::Community, &input.community_id)?,
            slug: slug(&input.slug)?,
            name: name(&input.name)?,
            description: description(input.description.as_deref())?,
            visibility: input.visibility.into(),
        };
        let space = write(ctx, async |s, a| s.create_space(a, new).await).await?;
        Ok(shown::space(ctx, space.id)
            .await?
            .map(|space| SpacePayload { space }))
    }

    /// Changes a space. `MANAGER`s of the community only.
    async fn update_space(
        &self,
        ctx: &Context<'_>,
        input: UpdateSpaceInput,
    ) -> ApiResult<Option<SpacePayload>> {
        let space: SpaceId = id("spaceId", Kind::Space, &input.space_id)?;
        let changes = SpaceChanges {
            slug: input
                .slug
                .as_deref()
                .map(|s| Slug::parse("slug", s))
                .transpose()?,
            name: input
                .name
                .as_deref()
                .map(|n| Name::parse("name", n))
                .transpose()?,
            description: input
                .description
                .as_deref()
                .map(|d| Description::parse("description", d))
                .transpose()?,
            visibility: input.visibility.map(Into::into),
        };
        let space = write(ctx, async |s, a| s.update_space(a, space, changes).await).await?;
        Ok(shown::space(ctx, space.id)
            .await?
            .map(|space| SpacePayload { space }))
    }

    /// Puts a community member on a space's member list (no change if already there).
    /// `MANAGER`s only.
    async fn add_space_member(
        &self,
        ctx: &Context<'_>,
        input: SpaceMemberInput,
    ) -> ApiResult<Option<SpacePayload>> {
        let space: SpaceId = id("spaceId", Kind::Space, &input.space_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let space = write(ctx, async |s, a| s.add_space_member(a, space, person).await).await?;
        Ok(shown::space(ctx, space.id)
            .await?
            .map(|space| SpacePayload { space }))
    }

    /// Takes a person off a space's member list. `MANAGER`s only.
    async fn remove_space_member(
        &self,
        ctx: &Context<'_>,
        input: SpaceMemberInput,
    ) -> ApiResult<Option<SpacePayload>> {
        let space: SpaceId = id("spaceId", Kind::Space, &input.space_id)?;
        let person: PersonId = id("personId", Kind::Person, &input.person_id)?;
        let space = write(ctx, async |s, a| {
            s.remove_space_member(a, space, person).await
        })
        .await?;
        Ok(shown::space(ctx, space.id)
            .await?
            .map(|space| SpacePayload { space }))
    }
}
