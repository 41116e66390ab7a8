//! The `copnet` binary.

fn main() -> std::process::ExitCode {
    copnet_api::cli::main()
}
