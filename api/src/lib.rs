//! copnet's server: the GraphQL API over HTTP, authentication at the edge, configuration,
//! telemetry wiring and the command line.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod http;
