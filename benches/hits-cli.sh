#!/usr/bin/env bash
# Cost per hit from the command line, in instructions (load-independent):
# a generated source of 1 MB or 8 MB (made-up sentences, footnote markers,
# `[Grand Jury]` labels, 1,000 planted unique sentences, the shape of
# benches/hits.rs), an article quoting the first 0, 100 or 1,000 of them,
# `claimledger quotes --article` under `valgrind --tool=cachegrind`; the
# 0-quote run is subtracted.
#
#   bash benches/hits-cli.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-}"
if [ -z "$BIN" ]; then cargo build --release --locked --quiet; BIN="$PWD/target/release/claimledger"; fi
WORK="$PWD/target/bench-data/hits-cli"
mkdir -p "$WORK"
for mb in 1 8; do
python3 - $((mb << 20)) 1000 "$WORK/s$mb" <<'PY'
import random, sys
size, hits, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
vocab = ("the board said that its auditors found several invoices were paid twice before the harbor "
         "commission met again in May while contractors billed overtime for weekend work on the northern pier").split()
parts, planted, n, i = [], [], 0, 0
every = size // max(hits, 1); nxt = every // 2
while n < size or len(planted) < hits:
    if n >= nxt and len(planted) < hits:
        p = f"Inspector number {len(planted)} found ledger entry {i} signed by clerk {i*7+3}."
        parts.append(p + " "); planted.append(p); nxt += every; n += len(p) + 1
    s = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20))).capitalize() + "."
    if i % 40 == 0: s += f"[^{i//40+1}]"
    if i % 60 == 30: s += " [Grand Jury]"
    s += "\n\n" if i % 5 == 4 else " "
    parts.append(s); n += len(s); i += 1
open(out + ".txt", "w").write("".join(parts))
for h in (0, hits // 10, hits):
    art = " ".join(f"The memo said \u201c{p[:-1]}\u201d on that day." for p in planted[:h]) or "No quotation here."
    open(f"{out}-{h}.art", "w").write(art)
PY
    base=""
    for h in 0 100 1000; do
        ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
            "$BIN" quotes --article "$WORK/s$mb-$h.art" --source "$WORK/s$mb.txt" --format json 2>&1 >/dev/null \
            | awk '/I *refs/ {gsub(",", "", $NF); print $NF}')
        [ -z "$base" ] && base=$ir
        if [ "$h" = 0 ]; then echo "RESULT ${mb} MB, no quotation: $ir instructions"
        else echo "RESULT ${mb} MB, $h hits: $ir instructions, $(( (ir - base) / h )) per hit"; fi
    done
done
