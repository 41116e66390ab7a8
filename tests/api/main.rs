//! The integration suite: one binary, driving real servers over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod abilities;
mod audit_log;
mod authz_matrix;
mod bench_seed;
mod cache;
mod discussions;
mod execution;
mod faults;
mod http;
mod jwt;
mod knowledge;
mod limits;
mod loaders;
mod migrations;
mod multiplex;
mod mutations;
mod oidc;
mod pagination;
mod people;
mod persisted_queries;
mod practice;
mod rate_limits;
mod resume;
mod schema;
mod service_account_keys;
mod service_accounts;
mod subscriptions;
