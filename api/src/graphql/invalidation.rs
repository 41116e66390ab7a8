//! Every mutation drops the cached anonymous responses, on every replica, before it answers
//! (over HTTP and over the WebSocket alike): whatever it wrote, no anonymous reader is then
//! served a response computed before it. Finer entries (a community's health) are dropped
//! by the events the services publish.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use async_graphql::{
    Request, Response, ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest},
};
use copnet_domain::cache::CacheScope;

use super::{RequestContext, operation::runs_mutation};

/// The extension's factory.
#[derive(Debug, Clone, Copy, Default)]
pub struct InvalidateOnWrite;

impl ExtensionFactory for InvalidateOnWrite {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Writes::default())
    }
}

/// One request's extension: whether its operation writes.
#[derive(Debug, Default)]
struct Writes {
    mutation: AtomicBool,
}

#[async_trait::async_trait]
impl Extension for Writes {
    fn resolves_fields(&self) -> bool {
        false
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // The limits extension, registered before this one, has checked and parsed it.
        let mutation = runs_mutation(&mut request)?;
        self.mutation.store(mutation, Ordering::Relaxed);
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if self.mutation.load(Ordering::Relaxed)
            && let Ok(context) = ctx.data::<Arc<RequestContext>>()
        {
            context
                .services()
                .cache()
                .invalidate(&[CacheScope::Anonymous])
                .await;
        }
        response
    }
}
