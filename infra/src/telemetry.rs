//! Logs and traces: `tracing` with an `EnvFilter` (`RUST_LOG`), plain or JSON lines
//! (`COPNET_LOG_FORMAT=json`), and spans exported over OTLP/gRPC when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` is set.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::{Resource, trace::SdkTracerProvider};
use tracing_subscriber::{EnvFilter, Layer, layer::SubscriberExt, util::SubscriberInitExt};

use crate::error::InfraError;

/// Default filter when `RUST_LOG` is unset.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,async_graphql=warn";

/// Flushes exported spans when dropped.
#[derive(Debug)]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(err) = provider.shutdown()
        {
            eprintln!("telemetry shutdown failed: {err}");
        }
    }
}

/// Installs the global subscriber. Call once, early, inside the Tokio runtime.
pub fn init(service_name: &'static str, json: bool) -> Result<TelemetryGuard, InfraError> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let fmt = if json {
        tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .boxed()
    } else {
        tracing_subscriber::fmt::layer().with_target(true).boxed()
    };
    let provider = match std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT") {
        Ok(endpoint) if !endpoint.trim().is_empty() => {
            let exporter = opentelemetry_otlp::SpanExporter::builder()
                .with_tonic()
                .build()
                .map_err(|e| InfraError::Telemetry(e.to_string()))?;
            Some(
                SdkTracerProvider::builder()
                    .with_resource(Resource::builder().with_service_name(service_name).build())
                    .with_batch_exporter(exporter)
                    .build(),
            )
        }
        _ => None,
    };
    let otel = provider
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer(service_name)));
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(otel)
        .try_init()
        .map_err(|e| InfraError::Telemetry(e.to_string()))?;
    Ok(TelemetryGuard { provider })
}
