//! Cost-based rate limits (see [`copnet_domain::rate`]). An operation's cost comes from its
//! document before it runs: `1 + complexity / 100` points, plus 10 for a mutation, where
//! complexity is what `COPNET_MAX_QUERY_COMPLEXITY` bounds (each field 1, a list field its
//! page size times its items). The points are drawn from the caller's bucket once
//! validation has measured the document; an empty bucket stops the operation before it
//! runs with `RATE_LIMITED`. Every response carries `extensions.cost {requested remaining
//! limit resetAt}`.

use std::sync::{
    Arc, Mutex, PoisonError,
    atomic::{AtomicBool, Ordering},
};

use async_graphql::{
    Request, ServerError, ServerResult, ValidationResult,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
    },
};
use copnet_domain::rate::{Quota, RateLimiter};
use serde_json::json;

use super::{RequestContext, operation::runs_mutation};
use crate::error::Code;

/// Points a mutation costs beyond its document's.
pub const MUTATION_COST: u32 = 10;

/// The cost of a document of this complexity.
pub fn cost(complexity: usize, mutation: bool) -> u32 {
    let points = 1 + u32::try_from(complexity / 100).unwrap_or(u32::MAX - MUTATION_COST - 1);
    if mutation {
        points + MUTATION_COST
    } else {
        points
    }
}

/// Whose bucket a request draws on, and its size.
#[derive(Clone)]
pub struct Budget {
    /// The buckets.
    pub limiter: Arc<dyn RateLimiter>,
    /// The bucket: `person:<id>`, `service-account:<id>` or `anonymous:<address>`.
    pub key: String,
    /// Points per minute.
    pub limit: u32,
}

/// A request's draw, once made.
#[derive(Default)]
pub struct Drawn(Mutex<Option<Quota>>);

impl Drawn {
    /// The quota after the draw, if one was made.
    pub fn get(&self) -> Option<Quota> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, quota: Quota) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(quota);
    }
}

/// `extensions.cost` of a quota.
pub fn cost_extension(quota: &Quota) -> serde_json::Value {
    json!({
        "requested": quota.requested,
        "remaining": quota.remaining,
        "limit": quota.limit,
        "resetAt": quota.reset_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

fn refusal(code: Code, message: String, quota: &Quota) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    if let Ok(value) = async_graphql::Value::from_json(cost_extension(quota)) {
        extensions.set("cost", value);
    }
    if quota.retry_after_secs > 0 {
        extensions.set("retryAfter", quota.retry_after_secs);
    }
    error.extensions = Some(extensions);
    error
}

/// The extension's factory.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateLimits;

impl ExtensionFactory for RateLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Draw::default())
    }
}

/// One request's draw.
#[derive(Debug, Default)]
struct Draw {
    mutation: AtomicBool,
}

#[async_trait::async_trait]
impl Extension for Draw {
    fn resolves_fields(&self) -> bool {
        false
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let mutation = runs_mutation(&mut request)?;
        self.mutation.store(mutation, Ordering::Relaxed);
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let Some(rc) = ctx.data_opt::<Arc<RequestContext>>() else {
            return Ok(result);
        };
        let Some(budget) = rc.budget() else {
            return Ok(result);
        };
        let cost = cost(result.complexity, self.mutation.load(Ordering::Relaxed));
        if cost > budget.limit {
            // No wait helps: the operation must ask for less.
            let quota = Quota {
                retry_after_secs: 0,
                ..Quota::at(
                    budget.limit,
                    cost,
                    f64::from(budget.limit),
                    false,
                    chrono::Utc::now(),
                )
            };
            rc.drawn().set(quota);
            return Err(vec![refusal(
                Code::LimitExceeded,
                format!(
                    "this operation costs {cost} points, more than the whole budget of {} a minute: ask for smaller pages",
                    budget.limit
                ),
                &quota,
            )]);
        }
        let quota = budget.limiter.take(&budget.key, budget.limit, cost).await;
        rc.drawn().set(quota);
        if !quota.allowed {
            return Err(vec![refusal(
                Code::RateLimited,
                format!(
                    "rate limit exceeded: this operation costs {cost} points and {} remain; retry in {} s",
                    quota.remaining, quota.retry_after_secs
                ),
                &quota,
            )]);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_grows_with_complexity_and_mutations_cost_more() {
        assert_eq!(cost(0, false), 1);
        assert_eq!(cost(99, false), 1);
        assert_eq!(cost(650, false), 7);
        assert_eq!(cost(5, true), 11);
        assert_eq!(cost(100_000, false), 1001);
    }
}
