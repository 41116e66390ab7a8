use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{AccessSet, ids::NotificationId, model, policy::chain};
use uuid::Uuid;

use super::{Community, Invitation, JoinRequest, Person, Post, Thread};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, Under, admit_each, connection},
        context::{RequestContext, caller, request},
        enums::NotificationKind,
        ids::{Kind, encode},
    },
};

/// The `Notification` object; see its GraphQL description.
#[derive(Clone)]
pub struct Notification(pub Arc<model::Notification>);
connection!(
    /// A page of notifications.
    NotificationConnection, NotificationEdge, Notification
);

impl Notification {
    /// The notification with this id, if the caller is its recipient.
    pub async fn find(
        rc: &RequestContext,
        access: &AccessSet,
        id: NotificationId,
    ) -> ApiResult<Option<Self>> {
        Ok(rc
            .load(id)
            .await?
            .filter(|n| access.person == Some(n.person_id))
            .map(Self))
    }
}

impl Admit for Notification {
    async fn admit(
        rc: &RequestContext,
        _access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let Under::Myself(me) = under else {
            return Ok(vec![None; ids.len()]);
        };
        admit_each::<NotificationId, _, _>(rc, ids, |n: Arc<model::Notification>| {
            (n.person_id == me.id()).then_some(Self(n))
        })
        .await
    }
}

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
        let Some(id) = self.0.community_id else {
            return Ok(None);
        };
        Ok({
            let (rc, a) = caller(ctx).await?;
            chain::community(rc, &a, id).await?
        }
        .map(Community))
    }

    /// The thread concerned, if readable.
    async fn thread(&self, ctx: &Context<'_>) -> ApiResult<Option<Thread>> {
        let Some(id) = self.0.thread_id else {
            return Ok(None);
        };
        Ok({
            let (rc, a) = caller(ctx).await?;
            chain::thread(rc, &a, id).await?
        }
        .map(Thread))
    }

    /// The post concerned, if readable.
    async fn post(&self, ctx: &Context<'_>) -> ApiResult<Option<Post>> {
        let Some(id) = self.0.post_id else {
            return Ok(None);
        };
        Ok({
            let (rc, a) = caller(ctx).await?;
            chain::post(rc, &a, id).await?
        }
        .map(Post))
    }

    /// The invitation concerned.
    async fn invitation(&self, ctx: &Context<'_>) -> ApiResult<Option<Invitation>> {
        let Some(id) = self.0.invitation_id else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        Invitation::find(rc, &*rc.access().await?, id).await
    }

    /// The join request concerned.
    async fn join_request(&self, ctx: &Context<'_>) -> ApiResult<Option<JoinRequest>> {
        let Some(id) = self.0.join_request_id else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        JoinRequest::find(rc, &*rc.access().await?, id).await
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
