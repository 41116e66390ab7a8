//! Opaque global IDs (`base64url("Type:uuid")`) and cursors.
//!
//! A malformed ID is `BAD_USER_INPUT`; a well-formed ID of another type, of nothing, or of
//! something hidden is `NOT_FOUND` (the same answer, so existence does not leak).

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// The node types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Organization`.
    Organization,
    /// `Person`.
    Person,
    /// `Affiliation`.
    Affiliation,
    /// `LearningNetwork`.
    Network,
    /// `RegionalCluster`.
    Cluster,
    /// `Community`.
    Community,
    /// `Membership`.
    Membership,
    /// `Space`.
    Space,
    /// `JoinRequest`.
    JoinRequest,
    /// `Invitation`.
    Invitation,
    /// `ServiceAccount`.
    ServiceAccount,
    /// `Thread`.
    Thread,
    /// `Post`.
    Post,
    /// `PostRevision`.
    Revision,
    /// `Notification`.
    Notification,
    /// `Event`.
    Event,
    /// `CalendarToken` (not a node: seen only by its owner, when made).
    CalendarToken,
    /// `Stakeholder` (not a node: listed by its community).
    Stakeholder,
    /// `Asset`.
    Asset,
    /// `AssetVersion`.
    AssetVersion,
    /// `Topic`.
    Topic,
    /// `Indicator`.
    Indicator,
}

impl Kind {
    const ALL: [Kind; 22] = [
        Kind::Organization,
        Kind::Person,
        Kind::Affiliation,
        Kind::Network,
        Kind::Cluster,
        Kind::Community,
        Kind::Membership,
        Kind::Space,
        Kind::JoinRequest,
        Kind::Invitation,
        Kind::ServiceAccount,
        Kind::Thread,
        Kind::Post,
        Kind::Revision,
        Kind::Notification,
        Kind::Event,
        Kind::CalendarToken,
        Kind::Stakeholder,
        Kind::Asset,
        Kind::AssetVersion,
        Kind::Topic,
        Kind::Indicator,
    ];

    /// The GraphQL type name.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Organization => "Organization",
            Kind::Person => "Person",
            Kind::Affiliation => "Affiliation",
            Kind::Network => "LearningNetwork",
            Kind::Cluster => "RegionalCluster",
            Kind::Community => "Community",
            Kind::Membership => "Membership",
            Kind::Space => "Space",
            Kind::JoinRequest => "JoinRequest",
            Kind::Invitation => "Invitation",
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Thread => "Thread",
            Kind::Post => "Post",
            Kind::Revision => "PostRevision",
            Kind::Notification => "Notification",
            Kind::Event => "Event",
            Kind::CalendarToken => "CalendarToken",
            Kind::Stakeholder => "Stakeholder",
            Kind::Asset => "Asset",
            Kind::AssetVersion => "AssetVersion",
            Kind::Topic => "Topic",
            Kind::Indicator => "Indicator",
        }
    }
}

/// The global ID of a node.
impl Kind {
    /// The kind whose GraphQL type is named so.
    pub fn from_type_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.type_name() == name)
    }
}

pub fn encode(kind: Kind, id: impl Into<Uuid>) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.type_name(), id.into())))
}

/// Reads any global ID.
pub fn decode(field: &'static str, id: &ID) -> ApiResult<(Kind, Uuid)> {
    let bad = || ApiError::bad_input(field, "not a valid ID");
    if id.len() > 128 {
        return Err(bad());
    }
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (name, raw) = text.split_once(':').ok_or_else(bad)?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.type_name() == name)
        .ok_or_else(bad)?;
    let uuid = Uuid::parse_str(raw).map_err(|_| bad())?;
    Ok((kind, uuid))
}

/// Reads a global ID that must be of `kind`; another type is `NOT_FOUND`.
pub fn decode_as<T: From<Uuid>>(field: &'static str, kind: Kind, id: &ID) -> ApiResult<T> {
    let (found, uuid) = decode(field, id)?;
    if found == kind {
        Ok(T::from(uuid))
    } else {
        Err(ApiError::not_found(kind.type_name()))
    }
}

/// Reads a list of global IDs of one kind; another type is `BAD_USER_INPUT` naming the item.
pub fn decode_list<T: From<Uuid>>(
    field: &'static str,
    kind: Kind,
    ids: &[ID],
    max: usize,
) -> ApiResult<Vec<T>> {
    if ids.len() > max {
        return Err(ApiError::bad_input(field, format!("at most {max} items")));
    }
    ids.iter()
        .enumerate()
        .map(|(index, id)| match decode(field, id) {
            Ok((found, uuid)) if found == kind => Ok(T::from(uuid)),
            Ok(_) => Err(ApiError::bad_input(
                field,
                format!("item {index} is not the ID of a {}", kind.type_name()),
            )),
            Err(_) => Err(ApiError::bad_input(
                field,
                format!("item {index} is not a valid ID"),
            )),
        })
        .collect()
}

/// An opaque cursor for an ordering key.
pub fn cursor(key: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Reads a cursor.
pub fn decode_cursor(field: &'static str, cursor: &str) -> ApiResult<Uuid> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| Uuid::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::bad_input(field, "not a valid cursor"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_id_round_trips_and_checks_its_type() {
        let uuid = Uuid::now_v7();
        let id = encode(Kind::Community, uuid);
        assert_eq!(decode("id", &id).ok(), Some((Kind::Community, uuid)));
        assert!(
            decode_as::<Uuid>("id", Kind::Space, &id)
                .is_err_and(|e| e.code == crate::error::Code::NotFound)
        );
        assert!(
            decode("id", &ID("nonsense!".into()))
                .is_err_and(|e| e.code == crate::error::Code::BadUserInput)
        );
    }
}
