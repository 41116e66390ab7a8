use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::model;

use super::{Community, Invitation, JoinRequest, Person, Post, Thread, batch};
use crate::{
    error::ApiResult,
    graphql::{
        connection::connection,
        context::load,
        enums::NotificationKind,
        ids::{Kind, encode},
        visible,
    },
};

/// The `Notification` object; see its GraphQL description.
#[derive(Clone)]
pub struct Notification(pub model::Notification);
batch!(Notification, copnet_domain::ids::NotificationId);
connection!(
    /// A page of notifications.
    NotificationConnection, NotificationEdge, Notification
);

/// Something the caller should know about: a mention, a reply, an invitation, a decision on
/// a join request. Only its recipient sees it; what it points at is shown only while the
/// recipient may see that.
#[Object]
impl Notification {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Notification, self.0.id)
    }

    /// What it is about.
    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    /// Who caused it; null when not visible to the recipient.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<Person>> {
        match self.0.actor_id {
            Some(id) => Person::visible(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The community concerned, if visible.
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<Community>> {
        match self.0.community_id {
            Some(id) => Ok(
                visible::community(crate::graphql::context::request(ctx)?, id)
                    .await?
                    .map(|(_, c)| Community(c)),
            ),
            None => Ok(None),
        }
    }

    /// The thread concerned, if readable.
    async fn thread(&self, ctx: &Context<'_>) -> ApiResult<Option<Thread>> {
        match self.0.thread_id {
            Some(id) => Ok(visible::thread(crate::graphql::context::request(ctx)?, id)
                .await?
                .map(|(_, t)| Thread(t))),
            None => Ok(None),
        }
    }

    /// The post concerned, if readable.
    async fn post(&self, ctx: &Context<'_>) -> ApiResult<Option<Post>> {
        match self.0.post_id {
            Some(id) => Ok(visible::post(crate::graphql::context::request(ctx)?, id)
                .await?
                .map(|(_, p)| Post(p))),
            None => Ok(None),
        }
    }

    /// The invitation concerned.
    async fn invitation(&self, ctx: &Context<'_>) -> ApiResult<Option<Invitation>> {
        match self.0.invitation_id {
            Some(id) => Ok(load(ctx, id).await?.map(Invitation)),
            None => Ok(None),
        }
    }

    /// The join request concerned.
    async fn join_request(&self, ctx: &Context<'_>) -> ApiResult<Option<JoinRequest>> {
        match self.0.join_request_id {
            Some(id) => Ok(load(ctx, id).await?.map(JoinRequest)),
            None => Ok(None),
        }
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the recipient marked it read; null while unread.
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}
