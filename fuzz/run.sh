#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each (default 300), one
# job each, and prints libFuzzer's final statistics. Usage:
#   [MAX_LEN=bytes] fuzz/run.sh [SECONDS] [TARGET...]   (inputs up to 65536 bytes by default)
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain take the sanitizer flags. Findings land in fuzz/artifacts/.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(segment_quotes quote_marks normalize anchor verify trace_import redaction_import bundle_import evidence)
fi
export RUSTC_BOOTSTRAP=1
mkdir -p logs
cargo fuzz build -s none -a || exit 1
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t ($secs s)"
    cargo fuzz run -s none -a "$t" "corpus/$t" -- -max_total_time="$secs" \
        -timeout=20 -rss_limit_mb=4096 -max_len="${MAX_LEN:-65536}" -print_final_stats=1 >"logs/$t.log" 2>&1
    echo "exit $?"
    grep -E "stat::number_of_executed_units|stat::new_units_added|Done [0-9]+ runs|SUMMARY|panicked|ERROR" "logs/$t.log" | head -8
done
