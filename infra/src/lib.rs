//! copnet's adapters: the sea-orm repositories behind the domain's traits (PostgreSQL and
//! SQLite), JWT verification, Redis, and telemetry.

pub mod api_keys;
pub mod bench_seed;
pub mod cache;
pub mod db;
pub mod digest_html;
mod entity;
mod error;
pub mod events;
pub mod ics;
pub mod indicator_csv;
pub mod jwks;
pub mod jwt;
mod listing;
pub mod markdown;
pub mod rate_limit;
pub mod redis;
pub mod redis_bus;
mod repo;
pub mod search;
mod sql;
pub mod telemetry;

pub use db::{Database, DatabaseOptions};
pub use error::InfraError;
pub use repo::Store;
