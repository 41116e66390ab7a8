//! The authorization contract of DOMAIN.md, as pure functions over an [`AccessSet`] and the
//! resources in question. Nothing here touches a database, so every rule is unit-tested
//! exhaustively.
//!
//! * [`read`]: who can see what (rules 0, 1, 2, 7, 8), for point lookups.
//! * [`filter`]: the same rules as filter descriptions that `infra` turns into `WHERE` clauses,
//!   so that lists, cursors and counts only ever cover what the caller may see.
//! * [`write`]: who may change what (rules 3, 4), and the viewer's abilities.
//!
//! Choices where DOMAIN.md is silent (also stated in the GraphQL schema's descriptions):
//! * Roles outside a community grant no reading inside it: platform admins, organization
//!   admins and stewards see what their memberships let them see. A steward is a network
//!   member by definition, so sees the network and its `NETWORK` communities.
//! * A `PRIVATE` space's name and existence are visible to the members of its community (so
//!   they can ask to be added); its content and member list only to readers.
//! * Stewards and cluster coordinators are visible, as people, to whoever sees their network.
//!
//! [`AccessSet`]: crate::AccessSet

pub mod filter;
pub mod read;
pub mod write;
