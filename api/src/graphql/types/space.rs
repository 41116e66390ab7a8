use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::SpaceId,
    listing::Scoped,
    model,
    policy::{
        chain,
        proof::{self, Readable, Visible},
        write,
    },
};
use uuid::Uuid;

use super::{
    Community, EventOccurrenceConnection, PersonConnection, ThreadConnection, event, page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{Admit, ConnectionData, Under, connection, cost, rows},
        context::{RequestContext, access},
        enums::SpaceVisibility,
        ids::{Kind, encode},
    },
};

/// The `Space` object; see its GraphQL description.
#[derive(Clone)]
pub struct Space(pub Visible<model::Space>);
connection!(
    /// A page of spaces.
    SpaceConnection, SpaceEdge, Space
);

impl Admit for Space {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<SpaceId, model::Space>(rc, ids).await? {
            let seen = match (row, under) {
                (Some(s), Under::Community(c)) => proof::see_space(access, c, s),
                (Some(s), _) => chain::space_row(rc, access, s).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

impl Space {
    async fn readable(&self, ctx: &Context<'_>) -> ApiResult<Option<Readable<model::Space>>> {
        Ok(proof::read_space(&*access(ctx).await?, &self.0))
    }

    async fn reader(&self, ctx: &Context<'_>, what: &str) -> ApiResult<Readable<model::Space>> {
        self.readable(ctx).await?.ok_or_else(|| {
            ApiError::new(
                Code::Forbidden,
                format!("only readers of this space may list its {what}"),
            )
        })
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
    async fn community(&self) -> Community {
        Community(self.0.community().clone())
    }

    /// Whether the caller may read its content.
    async fn viewer_can_read(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(self.readable(ctx).await?.is_some())
    }

    /// Whether `startThread` would succeed here: the caller reads the space, is a member of
    /// the community, and the community accepts writes.
    async fn viewer_can_start_thread(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let access = access(ctx).await?;
        Ok(proof::read_space(&access, &self.0)
            .is_some_and(|space| write::can_start_thread(&access, &space).is_ok()))
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
        let space = self.reader(ctx, "members").await?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::space_members(&space);
        Ok(PersonConnection(
            ConnectionData::fetch(ctx, scoped, Under::Space(space), &args).await?,
        ))
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
        let space = self.reader(ctx, "threads").await?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::space_threads(&space, pinned);
        Ok(ThreadConnection(
            ConnectionData::fetch(ctx, scoped, Under::Space(space), &args).await?,
        ))
    }

    /// Its knowledge assets that the caller reads, newest first: `PUBLISHED` and `RETIRED`
    /// ones, and the drafts and reviews the caller follows. Readers of the space only
    /// (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrowing by kind, tag and status.")] filter: Option<
            super::asset::AssetFilterInput,
        >,
        #[graphql(desc = "Page size reading forward, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
        #[graphql(desc = "Page size reading backward, 1..100.")] last: Option<i32>,
        #[graphql(desc = "Cursor to read before.")] before: Option<String>,
    ) -> ApiResult<super::AssetConnection> {
        let space = self.reader(ctx, "assets").await?;
        let filter = filter.unwrap_or_default().into_domain()?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::space_assets(&*access(ctx).await?, &space, filter);
        Ok(super::AssetConnection(
            ConnectionData::fetch(ctx, scoped, Under::Space(space), &args).await?,
        ))
    }

    /// Occurrences of the space's events overlapping `[from, to)`, in start order. Readers of
    /// the space only (`FORBIDDEN` for others).
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Window start (default: now).")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Window end, exclusive (default: 90 days after `from`; at most 366).")]
        to: Option<DateTime<Utc>>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
    ) -> ApiResult<EventOccurrenceConnection> {
        let (from, to) = event::window(from, to)?;
        let space = self.reader(ctx, "events").await?;
        let events = event::of_space(ctx, &space, from, to).await?;
        event::occurrence_page(&events, from, to, first, after.as_deref())
    }
}
