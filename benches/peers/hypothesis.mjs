// Times Hypothesis's fuzzy matcher (npm approx-string-match 2, the matcher its
// client uses to re-anchor quotes) on the same text and pattern as
// `cargo bench --bench anchor`, which writes them to target/bench-data/.
//
//   node benches/peers/hypothesis.mjs TEXT_FILE PATTERN_FILE MAX_ERRORS
//
// Prints the matches found and `chars_per_second N` (UTF-16 code units of the
// text per second; the same as code points for text without astral characters).
import { readFileSync } from "node:fs";
import search from "approx-string-match";

const [textFile, patternFile, maxErrorsArg] = process.argv.slice(2);
const text = readFileSync(textFile, "utf8");
const pattern = readFileSync(patternFile, "utf8");
const maxErrors = Number(maxErrorsArg ?? "10");

let matches = search(text, pattern, maxErrors); // warm-up (JIT)
const runs = [];
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  matches = search(text, pattern, maxErrors);
  runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)];
console.log(`approx-string-match: ${matches.length} matches, best errors ${Math.min(...matches.map((m) => m.errors))}`);
console.log(`approx-string-match: text ${text.length} chars, pattern ${pattern.length} chars, max errors ${maxErrors}, median ${(median * 1e3).toFixed(1)} ms of ${runs.length}`);
console.log(`chars_per_second ${(text.length / median).toFixed(0)}`);
