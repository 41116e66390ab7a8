//! The authorization contract of DOMAIN.md, as pure functions over an [`AccessSet`] and the
//! resources in question. Nothing here touches a database, so every rule is unit-tested
//! exhaustively.
//!
//! * [`read`]: who can see what (rules 0, 1, 2, 7, 8), as predicates.
//! * [`proof`]: the chain's steps, which apply those predicates and hand out proofs
//!   ([`proof::Visible`], [`proof::Readable`]) that only they construct.
//! * [`chain`]: the one chain from an id to its proof, over a batch [`chain::Lookup`] that the
//!   API's loaders and the repositories both implement.
//! * [`filter`]: the same rules as filter descriptions that `infra` turns into `WHERE` clauses,
//!   so that lists, cursors and counts only ever cover what the caller may see; each has a
//!   pure twin tested against the predicates.
//! * [`write`]: who may change what (rules 3, 4, 5), one function per ability, shared by
//!   the mutations and the `viewerCan…` fields.
//! * [`service`]: the access set of a service account (rule 5).
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

pub mod assets;
pub mod audit;
pub mod chain;
pub mod filter;
pub mod indicators;
pub mod proof;
pub mod read;
pub mod service;
pub mod write;
