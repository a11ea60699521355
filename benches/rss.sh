#!/usr/bin/env bash
# Peak resident memory (max RSS, from `/usr/bin/time -v`) of each CLI workload on
# the corpus, and the memory cost of anchoring into a source per byte of source:
# `locate` in a ~100 MB source minus `locate` in a tiny one, over the size.
#
#   CLAIMLEDGER_CORPUS=/path/to/corpus bash benches/rss.sh
#
# Needs GNU time (`apt-get install time`). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${CLAIMLEDGER_CORPUS:?set CLAIMLEDGER_CORPUS to the corpus folder}"
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 1; }
cargo build --release --locked --quiet
BIN="$PWD/target/release/claimledger"
WORK="$PWD/target/bench-data/rss"
rm -rf "$WORK" && mkdir -p "$WORK"
V1="$CORPUS/mueller-report-vol1.txt"; V2="$CORPUS/mueller-report-vol2.txt"
R1="$CORPUS/mueller-report-vol1.redactions.json"; R2="$CORPUS/mueller-report-vol2.redactions.json"
ART="$CORPUS/tpm-trump-and-russia-worked-towards-the-same-goal.txt"
TRACE="$PWD/tests/fixtures/tpm-trump-russia.trace.toml"
LEDGER="$WORK/tpm.ledger"
T1="Report On The Investigation Into Russian Interference In The 2016 Presidential Election, Volume I"
T2="Report On The Investigation Into Russian Interference In The 2016 Presidential Election, Volume II"
QUOTE="the Russian government perceived it would benefit from a Trump presidency"

# rss NAME COMMAND...: runs the command, prints NAME, max RSS (KiB) and wall time.
rss() {
    local name="$1"; shift
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/out.txt"
    local kb wall
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
    printf '%-34s %8d KiB  %6.1f MiB  wall %s\n' "$name" "$kb" "$(awk "BEGIN {print $kb/1024}")" "$wall"
    echo "$kb" > "$WORK/last.kb"
}

echo "machine: $(nproc) cores, $(lscpu | awk -F': +' '/Model name/ {print $2; exit}')"
rss "init"                               "$BIN" init "$LEDGER"
rss "add-source vol1 (+redactions)"      "$BIN" add-source "$LEDGER" "$V1" --redactions "$R1" --title "$T1"
rss "add-source vol2 (+redactions)"      "$BIN" add-source "$LEDGER" "$V2" --redactions "$R2" --title "$T2"
rss "trace (corpus article)"             "$BIN" trace "$LEDGER" --article "$ART" --trace "$TRACE"
rss "audit (json)"                       "$BIN" audit "$LEDGER" --format json
rss "quotes (article, both volumes)"     "$BIN" quotes --article "$ART" --source "$V1" --source "$V2" --redactions "$R1" --redactions "$R2" --format json
rss "locate (both volumes)"              "$BIN" locate --source "$V1" --source "$V2" --redactions "$R1" --redactions "$R2" --quote "$QUOTE" --format json

# Anchoring cost per source byte: a ~100 MB source (the volumes repeated) vs a tiny one.
BIG="$WORK/big.txt"; TINY="$WORK/tiny.txt"
: > "$BIG"
while [ "$(stat -c %s "$BIG")" -lt 104857600 ]; do cat "$V1" "$V2" >> "$BIG"; done
head -c 2000 "$V1" > "$TINY"
rss "locate (tiny source)"               "$BIN" locate --source "$TINY" --quote "$QUOTE" --format json
tiny=$(cat "$WORK/last.kb")
rss "locate (~100 MB source)"            "$BIN" locate --source "$BIG" --quote "$QUOTE" --format json
big=$(cat "$WORK/last.kb")
size=$(stat -c %s "$BIG")
echo "anchoring memory: $(( (big - tiny) * 1024 )) bytes for a $size-byte source = $(awk "BEGIN {printf \"%.2f\", ($big - $tiny) * 1024 / $size}")x the source (target <= 3x)"
rm -f "$BIG"
