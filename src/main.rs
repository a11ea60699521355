//! The `claimledger` command: a thin face over the library.

use claimledger::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
