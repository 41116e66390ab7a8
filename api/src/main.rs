//! The `copnet` binary.

/// mimalloc: less time in the allocator and less memory per WebSocket connection than the
/// system allocator under many concurrent subscribers (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    copnet_api::cli::main()
}
