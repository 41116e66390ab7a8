//! sea-orm entities, one per table; private to `infra`.

pub mod affiliations;
pub mod cluster_coordinators;
pub mod clusters;
pub mod communities;
pub mod community_allowed_organizations;
pub mod community_clusters;
pub mod invitations;
pub mod join_requests;
pub mod membership_roles;
pub mod memberships;
pub mod network_stewards;
pub mod networks;
pub mod organizations;
pub mod people;
pub mod service_accounts;
pub mod space_members;
pub mod spaces;
