//! Full-text search: the analysis shared by both databases, the index kept in step by the
//! writes, and the statements that filter every hit and count by the caller's rights.

pub mod analyze;
pub(crate) mod index;
pub(crate) mod query;
pub mod snippet;
