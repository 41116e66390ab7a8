//! The one place where every error of a GraphQL response gets its `extensions.code`, for
//! both transports (HTTP and WebSocket): resolver errors carry theirs already (see
//! [`crate::error`]); what async-graphql itself reports (parse and validation errors, a bad
//! argument type) is the client's mistake, `BAD_USER_INPUT`.

use std::sync::Arc;

use async_graphql::{
    Response, ServerError,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe},
    futures_util::stream::BoxStream,
};
use futures_util::StreamExt;

use crate::error::Code;

/// Gives every error without a code `BAD_USER_INPUT`.
pub fn code_errors(errors: &mut [ServerError]) {
    for error in errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Code::BadUserInput.as_str());
        }
    }
}

/// The extension that applies [`code_errors`] to every response and subscription item.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    fn resolves_fields(&self) -> bool {
        // Whole requests only: fields keep async-graphql's fast path.
        false
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        code_errors(&mut response.errors);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                code_errors(&mut response.errors);
                response
            })
            .boxed()
    }
}
