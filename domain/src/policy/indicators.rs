//! Who defines success indicators and records their values.

use super::{proof::Visible, write::Ability};
use crate::{
    access::AccessSet,
    error::DomainError,
    model::{Cluster, Community, Network},
};

/// Where an indicator belongs, with the proof that the caller sees it.
#[derive(Debug, Clone)]
pub enum IndicatorPlace {
    /// A community.
    Community(Visible<Community>),
    /// A regional cluster.
    Cluster(Visible<Cluster>),
    /// A network.
    Network(Visible<Network>),
}

/// Defining indicators and recording their values: a community's `MANAGER`s (not
/// archived); a cluster's `CLUSTER_COORDINATOR`s and its network's `STEWARD`s; a network's
/// `STEWARD`s. Platform admins everywhere.
pub fn can_manage_indicators(access: &AccessSet, place: &IndicatorPlace) -> Ability {
    access.require_person()?;
    let (allowed, who) = match place {
        IndicatorPlace::Community(c) => {
            return super::write::can_manage(access, c, "define and record its indicators");
        }
        IndicatorPlace::Cluster(k) => (
            access.platform_admin || access.is_coordinator(k.id) || access.is_steward(k.network_id),
            "a CLUSTER_COORDINATOR of this cluster or a STEWARD of its network",
        ),
        IndicatorPlace::Network(n) => (
            access.platform_admin || access.is_steward(n.id),
            "a STEWARD of this network",
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only {who} may define and record its indicators"
        )))
    }
}
