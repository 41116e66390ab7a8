//! The audit log as read: `Organization.auditLog` and `Community.auditLog`.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use copnet_domain::{
    model::{self, AuditActor},
    policy::chain,
    repo::{AuditActorId, AuditFilter},
    service::AuditPage,
};

use super::{
    Community, Person, ServiceAccount, Space,
    node::{Node, resolve_node},
};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        connection::PageInfo,
        context::{access, request},
        ids::{Kind, cursor, decode, decode_cursor, encode},
    },
};

/// Narrows an audit log. Every field is optional; given fields must all match.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Only the writes of this actor: a `Person` or `ServiceAccount` ID.
    pub actor_id: Option<ID>,
    /// Only this mutation, by its GraphQL name (`createPost`, `grantRole`).
    pub action: Option<String>,
    /// Only writes made at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only writes made before this instant.
    pub to: Option<DateTime<Utc>>,
}

impl AuditLogFilter {
    /// The domain's filter.
    pub fn into_filter(self) -> ApiResult<AuditFilter> {
        let actor = match &self.actor_id {
            None => None,
            Some(id) => Some(match decode("filter.actorId", id)? {
                (Kind::Person, uuid) => AuditActorId::Person(uuid.into()),
                (Kind::ServiceAccount, uuid) => AuditActorId::ServiceAccount(uuid.into()),
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.actorId",
                        "must be the ID of a Person or a ServiceAccount",
                    ));
                }
            }),
        };
        if let Some(action) = &self.action
            && (action.is_empty() || action.len() > 64)
        {
            return Err(ApiError::bad_input("filter.action", "1..64 characters"));
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::bad_input(
                "filter.to",
                "must not be before `from`",
            ));
        }
        Ok(AuditFilter {
            actor,
            action: self.action,
            from: self.from,
            to: self.to,
        })
    }
}

/// Page arguments of an audit log (newest first, forward only).
pub fn audit_page_args(
    first: Option<i32>,
    after: Option<&str>,
) -> ApiResult<(usize, Option<copnet_domain::ids::AuditEntryId>)> {
    let first = first.unwrap_or(20);
    if !(1..=100).contains(&first) {
        return Err(ApiError::bad_input("first", "must be between 1 and 100"));
    }
    let after = after
        .map(|c| decode_cursor("after", c).map(Into::into))
        .transpose()?;
    Ok((usize::try_from(first).unwrap_or(20), after))
}

/// Who made a write.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum AuditActorKind {
    /// A signed-in person.
    Person,
    /// A partner organization's service account.
    ServiceAccount,
}

/// The actor of a write, when the reader may see them.
#[derive(Union)]
pub enum AuditActorNode {
    /// A person.
    Person(Person),
    /// A service account.
    ServiceAccount(ServiceAccount),
}

/// One write: who made it, which mutation, on what, where, when, in which request.
pub struct AuditEntry(pub model::AuditEntry);

/// One write: who made it (`actor`), which mutation (`action`), on what (`target`), where
/// (`community`, `space`), when (`at`), in which request (`requestId`, the `x-request-id`
/// of the HTTP request or `<upgrade request id>/<operation id>` over WebSocket). Recorded
/// after the write commits.
#[Object]
impl AuditEntry {
    /// When the write was made.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The mutation, by its GraphQL name (`createPost`).
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The request's id.
    async fn request_id(&self) -> &str {
        &self.0.request_id
    }

    /// Whether a person or a service account made it.
    async fn actor_kind(&self) -> AuditActorKind {
        match self.0.actor {
            AuditActor::Person { .. } => AuditActorKind::Person,
            AuditActor::ServiceAccount(_) => AuditActorKind::ServiceAccount,
        }
    }

    /// Whether the person acted as a platform admin.
    async fn as_platform_admin(&self) -> bool {
        matches!(
            self.0.actor,
            AuditActor::Person {
                platform_admin: true,
                ..
            }
        )
    }

    /// Who made it; null when the reader may not see them (anymore).
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<AuditActorNode>> {
        let id = match self.0.actor {
            AuditActor::Person { id, .. } => encode(Kind::Person, id),
            AuditActor::ServiceAccount(id) => encode(Kind::ServiceAccount, id),
        };
        Ok(match resolve_node(ctx, "actor", &id).await? {
            Some(Node::Person(p)) => Some(AuditActorNode::Person(p)),
            Some(Node::ServiceAccount(a)) => Some(AuditActorNode::ServiceAccount(a)),
            _ => None,
        })
    }

    /// The GraphQL type of what it changed (`Post`), when it names one object.
    async fn target_type(&self) -> Option<&str> {
        self.0.target.as_ref().map(|t| t.kind.as_str())
    }

    /// What it changed, as it is now; null when it names no object, is gone, or the reader
    /// may not see it.
    async fn target(&self, ctx: &Context<'_>) -> ApiResult<Option<Node>> {
        let Some(target) = &self.0.target else {
            return Ok(None);
        };
        let Some(kind) = Kind::from_type_name(&target.kind) else {
            return Ok(None);
        };
        resolve_node(ctx, "target", &encode(kind, target.id)).await
    }

    /// The community it was made in, if any.
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<Option<Community>> {
        let Some(id) = self.0.place.community else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let access = access(ctx).await?;
        Ok(chain::community(&**rc, &access, id).await?.map(Community))
    }

    /// The space it was made in, if any.
    async fn space(&self, ctx: &Context<'_>) -> ApiResult<Option<Space>> {
        let Some(id) = self.0.place.space else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let access = access(ctx).await?;
        Ok(chain::space(&**rc, &access, id).await?.map(Space))
    }
}

/// An entry and its cursor.
#[derive(SimpleObject)]
pub struct AuditEntryEdge {
    /// Opaque position of this entry, for `after`.
    pub cursor: String,
    /// The entry.
    pub node: AuditEntry,
}

/// A page of an audit log, newest first. Entries the reader may not see are left out, so a
/// page may hold fewer than `first` entries while `pageInfo.hasNextPage` is true: go on from
/// `pageInfo.endCursor`. There is no total count (it would count what the reader may not
/// see).
pub struct AuditEntryConnection(pub AuditPage, pub bool);

/// A page of an audit log, newest first; see `Organization.auditLog`.
#[Object]
impl AuditEntryConnection {
    /// The entries of this page, each with its cursor.
    async fn edges(&self) -> Vec<AuditEntryEdge> {
        self.0
            .entries
            .iter()
            .map(|e| AuditEntryEdge {
                cursor: cursor(e.id.uuid()),
                node: AuditEntry(e.clone()),
            })
            .collect()
    }

    /// The entries of this page.
    async fn nodes(&self) -> Vec<AuditEntry> {
        self.0.entries.iter().cloned().map(AuditEntry).collect()
    }

    /// Where this page sits: `endCursor` is where the next page starts, which may be past
    /// the last entry shown.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.0.has_next_page,
            has_previous_page: self.1,
            start_cursor: self.0.entries.first().map(|e| cursor(e.id.uuid())),
            end_cursor: self.0.end.map(|id| cursor(id.uuid())),
        }
    }
}
