#!/usr/bin/env bash
# Whole-process figures of the release binary, each against its limit in the
# same run:
#
#   1. `locate` of one quote in a ~100 MB source (the corpus volumes repeated,
#      one made-up sentence planted at 90%), found as written, not found,
#      found by the normalized tier and found by the fuzzy tier, against
#      Hypothesis's matcher run by Node on the same file and quote
#      (benches/peers/locate.mjs; `(cd benches/peers && npm install)` once);
#   2. `quotes --articles` with 200 articles (JSON Lines) against one
#      `quotes --article` process per article, both against both volumes with
#      their redaction files: 200 distinct articles written by
#      benches/articles.py (the headline figure), and the earlier set of 18
#      distinct texts repeated (see below).
#
#   CLAIMLEDGER_CORPUS=/path/to/corpus bash benches/cli.sh
#   CLI_BENCH=locate ...   only the locate figures (1.); CLI_BENCH=batch only 2.
#
# Wall time and CPU time (user + system) from GNU time (`apt-get install time`),
# one run each: on a shared machine the CPU time moves less than the wall time.
# Needs python3 (to write the inputs) and node.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${CLAIMLEDGER_CORPUS:?set CLAIMLEDGER_CORPUS to the corpus folder}"
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 1; }
# CLAIMLEDGER_BIN=path runs that binary instead of building this checkout.
if [ -n "${CLAIMLEDGER_BIN:-}" ]; then BIN="$CLAIMLEDGER_BIN"; else
    cargo build --release --locked --quiet
    BIN="$PWD/target/release/claimledger"
fi
WORK="$PWD/target/bench-data/cli"
mkdir -p "$WORK"
V1="$CORPUS/mueller-report-vol1.txt"; V2="$CORPUS/mueller-report-vol2.txt"
R1="$CORPUS/mueller-report-vol1.redactions.json"; R2="$CORPUS/mueller-report-vol2.redactions.json"
ART="$CORPUS/tpm-trump-and-russia-worked-towards-the-same-goal.txt"

# timed NAME COMMAND...: runs it once, prints NAME, wall and CPU seconds.
timed() {
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" > "$WORK/out.txt"
    read -r wall user sys < "$WORK/time.txt"
    printf 'RESULT %-44s wall %7.2f s  cpu %7.2f s\n' "$name" "$wall" "$(awk "BEGIN {print $user + $sys}")"
    echo "$wall $(awk "BEGIN {print $user + $sys}")" > "$WORK/last.txt"
}

echo "machine: $(nproc) cores, $(lscpu | awk -F': +' '/Model name/ {print $2; exit}'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# CLI_BENCH=batch runs only the batch figures (2.), CLI_BENCH=locate only
# the locate figures (1.).
case "${CLI_BENCH:-all}" in all|batch|locate) ;; *) echo "CLI_BENCH is all, batch or locate" >&2; exit 2 ;; esac
if [ "${CLI_BENCH:-all}" != batch ]; then
# 1. locate on 100 MB.
BIG="$WORK/big.txt"
PLANTED="Auditors for the harbor commission said the weekend overtime billed by the ferry contractor “was never approved in writing” by the board’s finance committee."
FOUND="the weekend overtime billed by the ferry contractor “was never approved in writing” by the board"
MISSING="the weekend overtime billed by the tugboat operator was never signed off by the harbor board"
# Capitals and straight quote marks: found by the normalized tier.
NORMALIZED='The Weekend Overtime billed by the ferry contractor "was never approved in writing" by the board'
# One word misspelled, the quote marks dropped: found by the fuzzy tier.
FUZZY="the weekend overtime billed by the ferry contractor was never aproved in writing by the board"
python3 - "$V1" "$V2" "$BIG" "$PLANTED" <<'EOF'
import sys
v1, v2, out, planted = sys.argv[1:5]
base = open(v1, "rb").read() + open(v2, "rb").read()
text = bytearray()
while len(text) < 100 << 20:
    text += base
at = text.index(b"\n\n", len(text) // 10 * 9) + 2
open(out, "wb").write(bytes(text[:at]) + planted.encode() + b"\n\n" + bytes(text[at:]))
EOF
echo "source: $(stat -c %s "$BIG") bytes"
if [ -d benches/peers/node_modules ]; then PEER=1; else PEER=0; echo "benches/peers/node_modules missing: no Node peer"; fi
for case in found missing normalized fuzzy; do
    case $case in found) Q="$FOUND" ;; missing) Q="$MISSING" ;; normalized) Q="$NORMALIZED" ;; fuzzy) Q="$FUZZY" ;; esac
    timed "locate 100 MB, $case: claimledger" "$BIN" locate --source "$BIG" --quote "$Q" --format json
    read -r cw cc < "$WORK/last.txt"
    grep -E '"(status|tier|start)"' "$WORK/out.txt" | tr -d ' \n'; echo
    if [ $PEER = 1 ]; then
        timed "locate 100 MB, $case: node approx-string-match" node benches/peers/locate.mjs "$BIG" "$Q"
        read -r nw nc < "$WORK/last.txt"
        cat "$WORK/out.txt"
        echo "RESULT locate 100 MB, $case: node / claimledger = $(awk "BEGIN {printf \"%.1f\", $nw / $cw}")x wall, $(awk "BEGIN {printf \"%.1f\", $nc / $cc}")x cpu"
    fi
done
rm -f "$BIG"
fi
[ "${CLI_BENCH:-all}" = locate ] && exit 0

# 2. 200 articles: one batch process against one process per article, twice:
#    - distinct (the headline figure): 200 made-up articles, each quoting
#      passages no other article quotes, drawn from the volumes with a fixed
#      seed by benches/articles.py (500-1,500 words of template prose, 8-22
#      quotations each: whole sentences, fragments, edited ones, two-paragraph
#      ones, made-up ones, passages crossing a page break of the PDF);
#    - repeated (the earlier figure, kept beside it): the corpus article every
#      tenth and its 17 quoting paragraphs in turn, so 18 distinct texts; the
#      batch's memo of quote words makes most of that figure.
DIST="$WORK/articles-distinct"
REP="$WORK/articles-repeated"
rm -rf "$DIST" "$REP" && mkdir -p "$DIST" "$REP"
python3 benches/articles.py "$V1" "$V2" "$CORPUS/mueller-report-doj-pdf-text.txt" "$DIST" 200 13
python3 - "$ART" "$REP" <<'EOF'
import json, sys
art, out = sys.argv[1:3]
text = open(art, encoding="utf-8").read()
paras = [p for p in text.split("\n\n") if "\u201c" in p or '"' in p]
arts = []
k = 0
while len(arts) < 200:
    arts.append(text if k % 10 == 0 else paras[k % len(paras)])
    k += 1
with open(f"{out}/all.jsonl", "w", encoding="utf-8") as f:
    for i, a in enumerate(arts):
        f.write(json.dumps({"id": i, "text": a}) + "\n")
        open(f"{out}/{i:03}.txt", "w", encoding="utf-8").write(a)
EOF
SRC=(--source "$V1" --source "$V2" --redactions "$R1" --redactions "$R2")
for set in distinct repeated; do
    if [ "$set" = distinct ]; then ARTS="$DIST"; else ARTS="$REP"; fi
    timed "quotes --articles, 200 $set articles" "$BIN" quotes --articles "$ARTS/all.jsonl" "${SRC[@]}"
    read -r bw bc < "$WORK/last.txt"
    # Each quotation has one "article_start"; "status" is also given to each place of
    # an ambiguous quotation, so it counts quotations plus those places.
    NQ=$(grep -o '"article_start"' "$WORK/out.txt" | wc -l)
    echo "records: $(wc -l < "$WORK/out.txt"), quotations: $NQ, places of ambiguous quotations: $(( $(grep -o '"status"' "$WORK/out.txt" | wc -l) - NQ ))"
    timed "quotes --article, 200 processes ($set)" bash -c 'for f in "$0"/[0-9]*.txt; do "$1" quotes --article "$f" --source "$2" --source "$3" --redactions "$4" --redactions "$5" --format json > /dev/null; done' "$ARTS" "$BIN" "$V1" "$V2" "$R1" "$R2"
    read -r pw pc < "$WORK/last.txt"
    echo "RESULT per $set article: batch $(awk "BEGIN {printf \"%.2f\", $bw * 1000 / 200}") ms wall ($(awk "BEGIN {printf \"%.2f\", $bc * 1000 / 200}") ms cpu), one process each $(awk "BEGIN {printf \"%.2f\", $pw * 1000 / 200}") ms wall ($(awk "BEGIN {printf \"%.2f\", $pc * 1000 / 200}") ms cpu): $(awk "BEGIN {printf \"%.1f\", $pw / $bw}")x wall, $(awk "BEGIN {printf \"%.1f\", $pc / $bc}")x cpu"
done
