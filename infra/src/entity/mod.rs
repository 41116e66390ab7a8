//! sea-orm entities, one per table; private to `infra`.

pub mod affiliations;
pub mod cluster_coordinators;
pub mod clusters;
pub mod communities;
pub mod community_allowed_organizations;
pub mod community_clusters;
pub mod flags;
pub mod invitations;
pub mod join_requests;
pub mod membership_roles;
pub mod memberships;
pub mod mentions;
pub mod network_stewards;
pub mod networks;
pub mod notifications;
pub mod organizations;
pub mod people;
pub mod post_revisions;
pub mod posts;
pub mod reactions;
pub mod read_markers;
pub mod service_accounts;
pub mod space_members;
pub mod spaces;
pub mod threads;
