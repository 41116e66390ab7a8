//! Who may change knowledge assets and their peer review: one function per ability, like
//! [`write`](super::write), each taking the proof that the caller reads the asset.

use super::{
    proof::Readable,
    write::{Ability, EventPlace, can_manage_events, can_write},
};
use crate::{
    access::AccessSet,
    error::DomainError,
    model::{Asset, AssetStatus, Convening, Role, Space},
};

fn author_or_manager(access: &AccessSet, asset: &Readable<Asset>, action: &str) -> Ability {
    let community = asset.community();
    can_write(access, community)?;
    if asset.is_author(access.person) || access.has_role(community.id, Role::Manager) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only its author or a MANAGER of the community may {action}"
        )))
    }
}

/// Creating an asset in a readable space: whoever writes in its community.
pub fn can_create_asset(access: &AccessSet, space: &Readable<Space>) -> Ability {
    can_write(access, space.community())
}

/// Revising an asset (a new version): a `DRAFT` by its author or a `MANAGER`; a `PUBLISHED`
/// asset by a `MANAGER` only (an editorial correction that keeps it published). An asset in
/// review or retired is not revised.
pub fn can_revise_asset(access: &AccessSet, asset: &Readable<Asset>) -> Ability {
    match asset.status {
        AssetStatus::Draft => author_or_manager(access, asset, "revise a draft"),
        AssetStatus::Published => {
            let community = asset.community();
            can_write(access, community)?;
            if access.has_role(community.id, Role::Manager) {
                Ok(())
            } else {
                Err(DomainError::forbidden(
                    "only a MANAGER of the community may revise a published asset",
                ))
            }
        }
        AssetStatus::InReview => Err(DomainError::precondition(
            "the asset is in review; it returns to DRAFT when a reviewer requests changes",
        )),
        AssetStatus::Retired => Err(DomainError::precondition("the asset is retired")),
    }
}

/// Submitting a `DRAFT` for review: its author or a `MANAGER`.
pub fn can_submit_asset(access: &AccessSet, asset: &Readable<Asset>) -> Ability {
    author_or_manager(access, asset, "submit it for review")?;
    if asset.status == AssetStatus::Draft {
        Ok(())
    } else {
        Err(DomainError::precondition(
            "only a DRAFT is submitted for review",
        ))
    }
}

/// Whether a person may be named a reviewer: an active member of the community (not the
/// asset's author) who reads the space, decided on the candidate's own access set and the
/// proof that they read the space.
pub fn can_be_reviewer(
    candidate: &AccessSet,
    asset: &Asset,
    space: Option<&Readable<Space>>,
) -> Ability {
    if asset.is_author(candidate.person) {
        return Err(DomainError::invalid(
            "reviewerIds",
            "the author does not review their own asset",
        ));
    }
    match space {
        Some(space) if space.id == asset.space_id && candidate.is_member(asset.community_id) => {
            Ok(())
        }
        _ => Err(DomainError::invalid(
            "reviewerIds",
            "every reviewer must be a member of the community who can read the space",
        )),
    }
}

/// Deciding on an asset in review: one of the reviewers named in its current round, still
/// writing in the community.
pub fn can_review_asset(access: &AccessSet, asset: &Readable<Asset>) -> Ability {
    let me = access.require_person()?;
    can_write(access, asset.community())?;
    if !asset.reviewers.contains(&me) {
        return Err(DomainError::forbidden(
            "only a reviewer named for this asset may review it",
        ));
    }
    if asset.status == AssetStatus::InReview {
        Ok(())
    } else {
        Err(DomainError::precondition("the asset is not in review"))
    }
}

/// Taking an asset back from review (to `DRAFT`), as when a reviewer can no longer review
/// it: its author or a `MANAGER`.
pub fn can_withdraw_asset(access: &AccessSet, asset: &Readable<Asset>) -> Ability {
    author_or_manager(access, asset, "withdraw it from review")?;
    if asset.status == AssetStatus::InReview {
        Ok(())
    } else {
        Err(DomainError::precondition("the asset is not in review"))
    }
}

/// Retiring a `PUBLISHED` asset: its author or a `MANAGER`.
pub fn can_retire_asset(access: &AccessSet, asset: &Readable<Asset>) -> Ability {
    author_or_manager(access, asset, "retire it")?;
    if asset.status == AssetStatus::Published {
        Ok(())
    } else {
        Err(DomainError::precondition(
            "only a PUBLISHED asset is retired",
        ))
    }
}

/// Linking an asset as an event's output: whoever manages the event, for a `PUBLISHED`
/// asset they read, of the event's community (any community's, for a cluster's event).
pub fn can_link_output(
    access: &AccessSet,
    event: &Readable<Convening>,
    asset: &Readable<Asset>,
) -> Ability {
    can_manage_events(access, EventPlace::of(event))?;
    if let Some(community) = event.community()
        && community.id != asset.community_id
    {
        return Err(DomainError::invalid(
            "assetId",
            "the asset must belong to the event's community",
        ));
    }
    if asset.status == AssetStatus::Published {
        Ok(())
    } else {
        Err(DomainError::precondition(
            "only a PUBLISHED asset is linked as an output",
        ))
    }
}
