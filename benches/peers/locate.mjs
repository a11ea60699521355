// The Node peer of `claimledger locate`, run as a whole process: read a source
// file, search it once for a quote with Hypothesis's fuzzy matcher (npm
// approx-string-match 2, the matcher its client uses to re-anchor quotes), print
// the best match. `benches/locate.sh` times this process against the release
// binary's `locate` on the same file and quote.
//
//   node benches/peers/locate.mjs TEXT_FILE QUOTE
//
// The error budget is claimledger's fuzzy budget: 15% of the quote's length,
// at most 200.
import { readFileSync } from "node:fs";
import search from "approx-string-match";

const [textFile, quote] = process.argv.slice(2);
const text = readFileSync(textFile, "utf8");
const maxErrors = Math.min(Math.ceil(quote.length * 0.15), 200);
const matches = search(text, quote, maxErrors);
let best = null;
for (const m of matches) {
  if (best === null || m.errors < best.errors) best = m;
}
console.log(JSON.stringify(best === null ? { found: false } : { found: true, start: best.start, end: best.end, errors: best.errors }));
