//! copnet's domain: the model of multi-organization Communities of Practice networks, the
//! authorization policy (DOMAIN.md rules), write services and the repository traits that the
//! `infra` crate implements.
//!
//! This crate knows no ORM, HTTP, GraphQL or Redis crate; CI checks that with `cargo tree`.

pub mod access;
pub mod auth;
pub mod cache;
pub mod error;
pub mod event;
pub mod ids;
pub mod listing;
pub mod model;
pub mod page;
pub mod policy;
pub mod rate;
pub mod repo;
pub mod schedule;
pub mod search;
pub mod service;
pub mod values;

pub use access::{AccessSet, Actor, CommunityAccess, ServiceAccountAccess};
pub use error::{DomainError, DomainResult};
