//! The GraphQL schema: query and mutation roots, types, loaders, limits.

pub mod audit;
pub mod batches;
pub mod connection;
pub mod context;
pub mod enums;
pub mod errors;
pub mod ids;
mod invalidation;
pub mod limits;
pub mod loaders;
pub mod multiplex;
mod mutation;
pub mod operation;
pub mod persisted;
pub mod query;
pub mod rate;
pub mod subscription;
pub mod types;

use std::sync::Arc;

use async_graphql::Schema;
use copnet_domain::{auth::ApiKeys, event::EventSource};

pub use context::RequestContext;
pub use limits::QueryLimits;
use mutation::Mutation;
use query::Query;
use subscription::Subscription;

/// copnet's schema.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Schema options from configuration.
#[derive(Debug, Clone, Copy)]
pub struct SchemaOptions {
    /// Query limits.
    pub limits: QueryLimits,
    /// Whether `__schema`/`__type` introspection is answered.
    pub introspection: bool,
}

/// Builds the schema. Per-request state ([`RequestContext`]) goes on each request.
pub fn build_schema(
    options: SchemaOptions,
    keys: Arc<dyn ApiKeys>,
    events: Arc<dyn EventSource>,
) -> AppSchema {
    let mut builder = Schema::build(Query, Mutation::default(), Subscription)
        .data(keys)
        .data(events)
        .extension(errors::ErrorCodes)
        .extension(options.limits)
        .extension(invalidation::InvalidateOnWrite)
        .extension(rate::RateLimits)
        .limit_recursive_depth(64);
    if !options.introspection {
        // No "Did you mean ...?" either: suggestions would name the fields introspection hides.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema's SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, Mutation::default(), Subscription)
        .finish()
        .sdl()
}
