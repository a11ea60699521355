// Resolves W3C TextQuoteSelectors with Apache Annotator (@apache-annotator/dom)
// in a jsdom document holding one text node.
// stdin: {"text": "...", "selectors": [{"exact", "prefix", "suffix"}, ...]}
// stdout: for each selector, every match as [start, end] in code points.
import { JSDOM } from 'jsdom';
import { createTextQuoteSelectorMatcher } from '@apache-annotator/dom';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const dom = new JSDOM('<!DOCTYPE html><body></body>');
const doc = dom.window.document;
globalThis.Node = dom.window.Node;
globalThis.Range = dom.window.Range;
globalThis.NodeFilter = dom.window.NodeFilter;
globalThis.Text = dom.window.Text;
globalThis.document = doc;
const pre = doc.createElement('pre');
pre.appendChild(doc.createTextNode(input.text));
doc.body.appendChild(pre);
// Code-point offset of each UTF-16 offset, computed once.
const cp = new Uint32Array(input.text.length + 1);
for (let i = 0, n = 0; i <= input.text.length; i++) {
  cp[i] = n;
  const c = input.text.charCodeAt(i);
  if (!(c >= 0xdc00 && c <= 0xdfff)) n++;
}
const out = [];
for (const s of input.selectors) {
  const scope = doc.createRange();
  scope.selectNodeContents(pre);
  const matches = [];
  for await (const m of createTextQuoteSelectorMatcher({ type: 'TextQuoteSelector', ...s })(scope)) {
    matches.push([cp[m.startOffset], cp[m.endOffset]]);
  }
  out.push(matches);
}
process.stdout.write(JSON.stringify(out));
