#!/usr/bin/env python3
"""Writes N distinct made-up news articles quoting the report, for the batch
figure of benches/cli.sh (`quotes --articles` against one `quotes --article`
process per article).

    python3 benches/articles.py VOL1 VOL2 PDF_TEXT OUT_DIR [N] [SEED]

Everything is drawn from the corpus at run time with a fixed seed (default
13), so every run writes the same articles and no corpus text is kept in the
repository. Each article is:

- 500 to 1,500 words: paragraphs of template prose written for this bench
  (the kind of sentences a news story about a report is made of, with slots
  filled from fixed word lists), the quotations set into them with the usual
  cues ("the report said", "according to investigators", ...);
- 8 to 22 quotations, of passages no other article quotes (each sentence of
  the report is quoted by at most one article; the body has about 3,550
  sentences a reporter would quote whole, and 200 articles use about 3,250):
  - whole sentences, and short fragments (3 to 10 words) inside the writer's
    own sentence;
  - some edited the way editors do: words left out with an ellipsis (`...`
    or `…`), a word replaced or a capital lowered in brackets (`[t]he`,
    `[the campaign]`), the case of the first letter changed, one word changed;
  - some running over two paragraphs (the second paragraph reopens with a
    quote mark, the first has no closing one);
  - a few that are not in the report at all (made-up sentences);
  - a few passages that cross a page break in the printed report (found by
    matching the volume's sentence against the PDF text: its first words on
    one page, its last on the next); quoted as the volume writes them, so
    against the volumes they are ordinary quotes and against the PDF text
    they exercise the page-break search;
  - inner quotation marks of the report turned into single ones, footnote
    markers left out, as a reporter writes them.

Writes OUT_DIR/all.jsonl (`{"id", "text"}` per line) and OUT_DIR/NNN.txt
(one file per article, for the one-process-per-article run).
"""

import json
import os
import random
import re
import sys

v1, v2, pdf, out = sys.argv[1:5]
N = int(sys.argv[5]) if len(sys.argv) > 5 else 200
SEED = int(sys.argv[6]) if len(sys.argv) > 6 else 13
rng = random.Random(SEED)


def body(path):
    text = open(path, encoding="utf-8").read()
    # The footnotes follow a line "Footnotes"; the body is what articles quote.
    cut = text.find("\nFootnotes\n")
    return text if cut < 0 else text[:cut]


MARKER = re.compile(r"\[\^\d+\]")
SPLIT = re.compile(r"(?<=[.?!])[”’\"]?\s+(?=[A-Z“])")


def sentences_of(paragraph):
    p = MARKER.sub("", paragraph).strip()
    out = []
    for s in SPLIT.split(p):
        s = s.strip()
        words = s.split()
        if not 8 <= len(words) <= 60:
            continue
        # Redaction labels and headings are not what a reporter quotes.
        if "[" in s or "]" in s or s.isupper() or not s[0].isupper():
            continue
        if s.count("“") != s.count("”") or not s.endswith((".", "?", "!", ".”")):
            continue
        out.append(s)
    return out


paragraphs = []
for path in (v1, v2):
    for p in body(path).split("\n\n"):
        ss = sentences_of(p)
        if ss:
            paragraphs.append(ss)
total = sum(map(len, paragraphs))
order = list(range(len(paragraphs)))
rng.shuffle(order)
taken = 0


def take(k=1):
    """The next k sentences (at most) of a paragraph, none quoted before: the
    rest of the paragraph goes back to the end of the queue, for another
    article."""
    global taken
    if not order:
        sys.exit("the report has too few sentences for that many articles")
    p = order.pop(0)
    ss, rest = paragraphs[p][:k], paragraphs[p][k:]
    if rest:
        paragraphs.append(rest)
        order.append(len(paragraphs) - 1)
    taken += len(ss)
    return ss


# Passages crossing a page break of the printed report: a volume sentence whose
# first words stand on one PDF page and last words on the next.
def flat(s):
    s = s.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(s.split())


pdf_pages = open(pdf, encoding="utf-8").read().split("\f")
flat_pages = [flat(re.sub(r"-\n", "", p)) for p in pdf_pages]
joined = "\f".join(flat_pages)
crossing = []
cand = list(range(len(paragraphs)))
rng.shuffle(cand)
for k in cand:
    if len(crossing) >= 3 * N // 10 + 5:
        break
    for s in paragraphs[k]:
        w = flat(s).split()
        if len(w) < 14:
            continue
        head, tail = " ".join(w[:5]), " ".join(w[-5:])
        at = joined.find(head)
        if at < 0 or joined.find(head, at + 1) >= 0:
            continue
        brk = joined.find("\f", at)
        end = joined.find(tail, at)
        if brk >= 0 and end > brk and end - at < 5000 and joined.find("\f", brk + 1) > end:
            crossing.append((k, s))
            break
crossing_paras = {k for k, _ in crossing}
order = [k for k in order if k not in crossing_paras]

# Template prose, written for this bench.
PEOPLE = [
    "the special counsel", "investigators", "prosecutors", "the president's lawyers",
    "a former campaign aide", "congressional Democrats", "Republican leaders", "the attorney general",
    "a spokesman for the White House", "defense attorneys", "legal analysts", "a former prosecutor",
]
THINGS = [
    "the investigation", "the report", "the redacted findings", "the campaign's contacts",
    "the obstruction inquiry", "the volume on Russian interference", "the evidence", "the interviews",
    "the released pages", "the appendix", "the grand jury material", "the declination decisions",
]
VERBS = [
    "examined", "described", "questioned", "revisited", "summarized", "weighed", "disputed",
    "documented", "played down", "pointed to", "returned to", "set out",
]
WHEN = [
    "on Thursday", "last spring", "in the weeks that followed", "during the hearing", "after the release",
    "late last year", "in a court filing", "over the weekend", "in an interview", "earlier this month",
]
CUES_BEFORE = [
    "The report says", "According to the report,", "Investigators wrote that", "The special counsel found that",
    "In one passage, the report states that", "The document notes that", "Prosecutors concluded that",
    "As the report puts it,", "Elsewhere the authors write that", "The volume records that",
]
CUES_AFTER = [
    "the report said", "investigators wrote", "the special counsel's office concluded", "the document states",
    "according to the report", "the authors noted", "prosecutors wrote",
]
FILLER = [
    "{P} {V} {T} {W}, and the reaction in Washington was swift.",
    "Much of {T} had been reported before, but the details were new.",
    "{P} said {W} that they had not finished reading {T}.",
    "The questions raised by {T} are unlikely to be settled soon.",
    "{P} {V} {T} at length, though few minds appeared to change.",
    "It was not the first time {P} had {V} {T}.",
    "For months, {P} had argued that {T} would clear the air; it did not.",
    "Some of the most closely read pages concern {T}.",
    "{P} declined to comment {W}.",
    "The account is detailed, and in places it is dry.",
    "Read closely, {T} tells a more complicated story than the summary suggested.",
    "{P} {V} {T} {W}, according to people familiar with the matter.",
    "That distinction matters, {P} argued {W}.",
    "None of this was lost on {P}.",
    "The timeline that emerges from {T} is hard to square with earlier accounts.",
    "{P} have {V} {T} in very different terms.",
]


def filler(n):
    out = []
    for _ in range(n):
        t = rng.choice(FILLER)
        s = t.format(P=rng.choice(PEOPLE), V=rng.choice(VERBS), T=rng.choice(THINGS), W=rng.choice(WHEN))
        out.append(upper(s))
    return " ".join(out)


MADE_UP = [
    "The campaign's outreach to foreign officials was coordinated at the highest level of the organization",
    "Several witnesses described a standing instruction to delete messages after every meeting",
    "The Office found no record of the second telephone call described by the witness",
    "Investigators were unable to locate the ledger said to record the payments",
    "The President told aides that the inquiry would be over by the end of the summer",
    "No member of the transition team reported the contact to the FBI at the time",
    "The witness later said he had misremembered the date of the dinner",
    "Our investigation did not resolve whether the draft letter was ever sent",
]

CHANGE = {
    "said": "stated", "told": "informed", "asked": "requested", "wanted": "sought", "later": "subsequently",
    "because": "since", "about": "regarding", "also": "additionally", "believed": "thought", "began": "started",
    "large": "big", "several": "many", "show": "demonstrate", "help": "assist", "meeting": "session",
}


def inner(s):
    """A reporter's form of a report sentence: inner quotes made single."""
    return s.replace("“", "‘").replace("”", "’")


def edited(s):
    """The sentence edited one way an editor would, and the way."""
    w = s.split()
    kind = rng.choice(["ellipsis", "bracket", "case", "word"])
    if kind == "ellipsis" and len(w) > 14:
        a = rng.randrange(3, len(w) - 8)
        b = a + rng.randrange(3, 6)
        return " ".join(w[:a] + [rng.choice(["...", "…"])] + w[b:])
    if kind == "bracket":
        if rng.random() < 0.5:
            return "[" + w[0][0].lower() + "]" + " ".join([w[0][1:]] + w[1:])
        k = rng.randrange(1, len(w) - 1)
        return " ".join(w[:k] + ["[" + rng.choice(["the campaign", "Trump", "the Office", "Russia"]) + "]"] + w[k + 1 :])
    if kind == "word":
        for k in rng.sample(range(len(w)), len(w)):
            if w[k] in CHANGE:
                return " ".join(w[:k] + [CHANGE[w[k]]] + w[k + 1 :])
    return w[0][0].lower() + " ".join([w[0][1:]] + w[1:])


def fragment(s):
    """A few words of the sentence, opening and closing on a longer word."""
    w = s.rstrip(".?!”").split()
    for _ in range(20):
        n = rng.randrange(3, min(10, len(w) - 2) + 1)
        a = rng.randrange(0, len(w) - n + 1)
        f = w[a : a + n]
        if all(len(x.strip(",;:’‘")) >= 4 and x.strip(",;:’‘").isalpha() for x in (f[0], f[-1])):
            break
    return " ".join(f).strip(",;:")


def upper(s):
    return s[0].upper() + s[1:]


def quoted_sentence(q):
    """A paragraph sentence carrying one quotation of a whole sentence."""
    body = q.rstrip(".")
    if rng.random() < 0.5:
        return f"{rng.choice(CUES_BEFORE)} “{body[0].lower() + body[1:] if rng.random() < 0.3 else body}.”"
    return f"“{body},” {rng.choice(CUES_AFTER)}."


def article():
    paragraphs_out = []
    target_quotes = rng.randrange(8, 23)
    target_words = rng.randrange(500, 1501)
    words = 0
    quotes = 0
    made_up = rng.randrange(1, 4)
    crossings = 1 if crossing and rng.random() < 0.3 else 0
    multi = 1 if rng.random() < 0.4 else 0
    while quotes < target_quotes or words < target_words:
        if quotes >= target_quotes:
            p = filler(rng.randrange(3, 7))
        elif multi and quotes > 2:
            multi = 0
            a, b = take(2), take(1)
            p = f"{rng.choice(CUES_BEFORE).rstrip(',')}:\n\n“{inner(' '.join(a))}\n\n“{inner(' '.join(b))}”"
            quotes += 1
        else:
            parts = [filler(rng.randrange(1, 3))]
            ss = take(rng.randrange(1, 4))
            for s in ss:
                if quotes >= target_quotes:
                    break
                r = rng.random()
                if crossings and r < 0.15:
                    crossings = 0
                    parts.append(quoted_sentence(inner(crossing.pop()[1])))
                elif made_up and r < 0.25:
                    made_up -= 1
                    parts.append(quoted_sentence(rng.choice(MADE_UP) + "."))
                elif r < 0.45:
                    parts.append(quoted_sentence(inner(s)))
                elif r < 0.75:
                    f = inner(fragment(s))
                    parts.append(
                        f"{upper(rng.choice(PEOPLE))} {rng.choice(VERBS)} what the report calls “{f}” {rng.choice(WHEN)}."
                    )
                else:
                    parts.append(quoted_sentence(inner(edited(s))))
                quotes += 1
                if rng.random() < 0.5:
                    parts.append(filler(1))
            p = " ".join(parts)
        paragraphs_out.append(p)
        words += len(p.split())
    headline = f"What the report says about {rng.choice(THINGS)[4:]}, {rng.choice(WHEN)}"
    return headline + "\n\n" + "\n\n".join(paragraphs_out) + "\n"


os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "all.jsonl"), "w", encoding="utf-8") as f:
    for i in range(N):
        a = article()
        f.write(json.dumps({"id": i, "text": a}) + "\n")
        with open(os.path.join(out, f"{i:03}.txt"), "w", encoding="utf-8") as g:
            g.write(a)
print(f"articles: {N}, report sentences quoted: {taken} of {total}, crossing page breaks found: {len(crossing_paras)}")
