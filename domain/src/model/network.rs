use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{ClusterId, NetworkId, OrganizationId};

code_enum!(
    /// Who may see a learning network.
    NetworkVisibility {
        /// Anyone, anonymous callers too.
        Public = "PUBLIC",
        /// Network members only: members of any of its communities, and its stewards.
        Private = "PRIVATE",
    }
);

/// A learning network: hosts communities, hosted by one organization, stewarded by a few people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// Key.
    pub id: NetworkId,
    /// Globally unique handle.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Free text about the network.
    pub description: String,
    /// Who may see it.
    pub visibility: NetworkVisibility,
    /// The hosting organization.
    pub host_organization_id: OrganizationId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A region inside a network ("Northwest", "Yucatán").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Key.
    pub id: ClusterId,
    /// The network it belongs to.
    pub network_id: NetworkId,
    /// Handle, unique within the network.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}
