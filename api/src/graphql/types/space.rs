use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{listing::Listing, model, policy::read};

use super::{Community, PersonConnection, ThreadConnection, batch, page_args};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load},
        enums::SpaceVisibility,
        ids::{Kind, encode},
    },
};

/// The `Space` object; see its GraphQL description.
#[derive(Clone)]
pub struct Space(pub model::Space);
batch!(Space, copnet_domain::ids::SpaceId);
connection!(
    /// A page of spaces.
    SpaceConnection, SpaceEdge, Space
);

impl Space {
    async fn can_read(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some(community) = load(ctx, self.0.community_id).await? else {
            return Ok(false);
        };
        let Some(network) = load(ctx, community.network_id).await? else {
            return Ok(false);
        };
        Ok(read::can_read_space(
            &*access(ctx).await?,
            &network,
            &community,
            &self.0,
        ))
    }
}

/// A place inside a community where discussions, events and documents live. `PUBLIC` spaces
/// are read by whoever can read the community, `MEMBERS` spaces by its members, `PRIVATE`
/// spaces by their member list and the community's managers and moderators only; other
/// members see that a private space exists (`viewerCanRead: false`).
#[Object]
impl Space {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Space, self.0.id)
    }

    /// Handle, unique in the community.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Free text about the space.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who may see and read it.
    async fn visibility(&self) -> SpaceVisibility {
        self.0.visibility.into()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The community it belongs to.
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Community> {
        load(ctx, self.0.community_id)
            .await?
            .map(Community)
            .ok_or_else(|| ApiError::not_found("community"))
    }

    /// Whether the caller may read its content.
    async fn viewer_can_read(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        self.can_read(ctx).await
    }

    /// The space's own member list (which grants reading of a `PRIVATE` space). Readers only
    /// (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PersonConnection> {
        if !self.can_read(ctx).await? {
            return Err(ApiError::new(
                Code::Forbidden,
                "only readers of this space may list its members",
            ));
        }
        let args = page_args!(first, after, last, before);
        let data =
            ConnectionData::fetch(ctx, Listing::SpaceMembers, self.0.id.uuid(), &args).await?;
        Ok(PersonConnection(data))
    }

    /// Its threads, most recent activity first. Readers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn threads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only pinned (`true`) or only unpinned (`false`) threads.")]
        pinned: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<ThreadConnection> {
        if !self.can_read(ctx).await? {
            return Err(ApiError::new(
                Code::Forbidden,
                "only readers of this space may list its threads",
            ));
        }
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::SpaceThreads { pinned },
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(ThreadConnection(data))
    }
}
