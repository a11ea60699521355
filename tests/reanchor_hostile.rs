//! Re-anchoring into hostile paged texts: a clean revision with footnotes and
//! redaction labels, and a second revision printed from it the way a scanned
//! PDF prints it (pages, running heads, page numbers, footnote numbers split,
//! misread, dropped or doubled, box edges, labels loose or gone, lines
//! shuffled or cut, non-ASCII noise), or random bytes. Whatever the second
//! revision holds, `reanchor` never panics, every place it reports lies in the
//! new text on one of its pages, its counts add up, a second run is refused
//! without writing, and the ledger's log still verifies.

mod common;

use claimledger::import::{Redactions, SourceImport};
use claimledger::reanchor::{AnchorMove, Reanchored};
use claimledger::*;
use proptest::prelude::*;
use proptest::sample::{Index, select};

const WORDS: &[&str] = &[
    "auditor",
    "board",
    "ferry",
    "contract",
    "minister",
    "harbour",
    "signed",
    "ledger",
    "payments",
    "committee",
    "reviewed",
    "clerk",
    "minutes",
    "landing",
    "fees",
    "quay",
    "repair",
    "season",
    "timetable",
    "objected",
    "wrote",
    "replied",
    "letter",
    "May",
    "June",
    "2023",
    "12",
    "clause",
    "Ltd",
    "Id.",
    "See",
    "at",
    "the",
    "of",
    "and",
    "to",
    "in",
    "U.S.C.",
    "§",
    "p.",
    "“Trump",
    "Campaign”",
    "302,",
];
const LABELS: &[&str] = &["Harm to Ongoing Matter", "Personal Privacy", "Grand Jury", "Investigative Technique"];
/// Non-ASCII and scan noise sprinkled into lines.
const NOISE: &[&str] = &[
    "“", "”", "‘", "’", "¶", "–", "—", "■", "•", "🙂", "e\u{301}", "\u{301}", "ﬁ", "…", "\u{a0}", "°", "§", "İ", "ß",
    "\u{200b}", "\u{ad}", "~", "··", "|", "_", "\x0c", "\r", "¹", "４", "٤", "\t",
];
/// Words a scan prints on a line of their own.
const ONE_WORDS: &[&str] = &["Summary", "Introduction", "I.", "A.", "1", "12", "l", "°", "■", "Footnotes", "HOM", "—"];
const HEADS: &[(&str, &str)] = &[
    (
        "U.S. Department of Justice",
        "Attorney Work Product // May Contain Material Protected Under Fed. R. Crim. P. 6(e)",
    ),
    ("Office of the Inspector General", "Review of the Ferry Contract"),
];

// ------------------------------------------------------------------ revision 1

#[derive(Debug, Clone)]
enum Note {
    Words(Vec<&'static str>),
    /// A footnote that is nothing but one redaction label or several.
    Labels(Vec<&'static str>),
}

#[derive(Debug, Clone)]
struct Sentence {
    words: Vec<&'static str>,
    /// A redaction label in the sentence, after word `.0` (modulo its length).
    label: Option<(usize, &'static str)>,
    /// Starts a new paragraph.
    paragraph: bool,
    /// Starts a new page (revision 1 may be paged too).
    page: bool,
    /// A passage is cited on this sentence.
    passage: bool,
}

#[derive(Debug, Clone)]
struct Clean {
    /// The number of the first footnote.
    first: u32,
    /// How much each footnote's number exceeds the one before (the first's
    /// is `first`): numbers may have gaps.
    steps: Vec<u32>,
    sentences: Vec<Sentence>,
    /// Footnote `i` is cited after sentence `i`.
    notes: Vec<Note>,
}

impl Clean {
    /// The number of each footnote.
    fn numbers(&self) -> Vec<u32> {
        let mut n = self.first;
        (0..self.notes.len())
            .map(|i| {
                if i > 0 {
                    n += self.steps.get(i).copied().unwrap_or(1);
                }
                n
            })
            .collect()
    }
}

fn note() -> impl Strategy<Value = Note> {
    prop_oneof![
        2 => prop::collection::vec(select(WORDS), 1..14).prop_map(Note::Words),
        // Runs of footnotes withheld for one reason, some under one box.
        1 => Just(Note::Labels(vec!["Personal Privacy"])),
        1 => prop::collection::vec(select(LABELS), 1..4).prop_map(Note::Labels),
    ]
}

fn sentence() -> impl Strategy<Value = Sentence> {
    (
        prop::collection::vec(select(WORDS), 2..12),
        proptest::option::weighted(0.25, (0usize..12, select(LABELS))),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(words, label, paragraph, page, passage)| Sentence { words, label, paragraph, page, passage })
}

fn clean() -> impl Strategy<Value = Clean> {
    let steps = prop::collection::vec(prop_oneof![6 => Just(1u32), 1 => 2u32..4], 0..12);
    (select(vec![1u32, 9, 57, 94, 99, 578, 998, 9998, 99_997]), steps, prop::collection::vec(note(), 0..12), 0usize..4)
        .prop_flat_map(|(first, steps, notes, extra)| {
            let n = notes.len() + extra;
            prop::collection::vec(sentence(), n.max(1)..=n.max(1)).prop_map(move |sentences| Clean {
                first,
                steps: steps.clone(),
                sentences,
                notes: notes.clone(),
            })
        })
}

fn sentence_words(s: &Sentence) -> Vec<String> {
    let mut out: Vec<String> = s.words.iter().map(|w| w.to_string()).collect();
    if let Some((at, label)) = s.label {
        out.insert(at % (out.len() + 1), format!("[{label}]"));
    }
    out
}

fn note_text(n: &Note) -> String {
    match n {
        Note::Words(w) => format!("{}.", w.join(" ")),
        Note::Labels(l) => l.iter().map(|l| format!("[{l}]")).collect::<Vec<_>>().join(" "),
    }
}

/// The clean text, and the byte spans of the sentences a passage is cited on.
fn clean_text(c: &Clean) -> (String, Vec<(usize, usize)>) {
    let mut t = String::new();
    let mut passages = Vec::new();
    let numbers = c.numbers();
    for (i, s) in c.sentences.iter().enumerate() {
        if i > 0 {
            t.push_str(match (s.paragraph, s.page) {
                (_, true) => "\n\x0c",
                (true, _) => "\n\n",
                _ => " ",
            });
        }
        let start = t.len();
        t.push_str(&sentence_words(s).join(" "));
        t.push('.');
        if s.passage {
            passages.push((start, t.len()));
        }
        if let Some(n) = numbers.get(i) {
            t.push_str(&format!("[^{n}]"));
        }
    }
    if !c.notes.is_empty() {
        t.push_str("\n\nFootnotes\n\n");
        for (i, n) in c.notes.iter().enumerate() {
            t.push_str(&format!("[^{}]: {}\n", numbers[i], note_text(n)));
        }
    }
    (t, passages)
}

// ------------------------------------------------------------------ revision 2

/// How the body prints a footnote marker.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// `word.45`
    Attached,
    /// `word. 45`
    Spaced,
    Dropped,
    /// The number alone on its line.
    OwnLine,
    /// `word.4S`
    Misread,
    /// `word.⁴⁵`
    Superscript,
    /// `word.４５`
    FullWidth,
}

/// How the notes print a footnote's number.
#[derive(Debug, Clone, Copy)]
enum Num {
    /// Alone on its line, the text on the next.
    Alone,
    /// `45 text`
    Before,
    /// `58 1` alone (581), or `58 1 text`.
    Split,
    /// `5l`, `20S`, or `94` alone and the next line starting with `°` (940).
    Misread,
    Dropped,
    /// Printed twice.
    Doubled,
    /// `1111       45 text`, `____    45 text`
    BoxEdge,
}

/// How a redaction label is printed.
#[derive(Debug, Clone, Copy)]
enum Label {
    Loose,
    /// `~ Personal Privacy ··`
    Noisy,
    Dropped,
    /// Other words: the redaction lifted.
    Released,
    /// A box's noise.
    Box,
    /// Alone on its line (`HOM` for harm to an ongoing matter).
    OwnLine,
}

#[derive(Debug, Clone)]
enum Op {
    Swap(Index),
    Cut(Index, Index),
    Lead(Index, &'static str),
    OneWord(Index, &'static str),
    Sprinkle(Index, Index, &'static str),
    Long(Index, usize),
    Drop(Index),
    Dup(Index),
    EmptyPage(Index),
    Break(Index),
    Join(Index),
}

/// Digits other than ASCII ones.
fn other_digits(n: u32, zero: char) -> String {
    const SUPER: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .bytes()
        .map(|b| {
            let d = u32::from(b - b'0');
            if zero == '⁰' { SUPER[d as usize] } else { char::from_u32(zero as u32 + d).unwrap() }
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Print {
    marks: Vec<Mark>,
    nums: Vec<Num>,
    labels: Vec<Label>,
    /// Wrap width of the body, in characters.
    width: usize,
    /// Where pages break in the body's and the notes' lines.
    body_breaks: Vec<Index>,
    note_breaks: Vec<Index>,
    /// Running heads: none, one line or two.
    heads: usize,
    head: usize,
    /// The first page's number, when pages print their numbers.
    page_numbers: Option<u32>,
    ops: Vec<Op>,
    /// The text ends with a newline.
    final_newline: bool,
    /// Lines end with `\r\n`.
    crlf: bool,
    /// Lines of contents before the body (the body far past its old offset).
    contents: usize,
}

fn op() -> impl Strategy<Value = Op> {
    let i = any::<Index>;
    prop_oneof![
        (i()).prop_map(Op::Swap),
        (i(), i()).prop_map(|(a, b)| Op::Cut(a, b)),
        (i(), select(vec![" ", "   ", "\t", "\u{a0}", " \x0c", "\x0c"])).prop_map(|(a, b)| Op::Lead(a, b)),
        (i(), select(ONE_WORDS)).prop_map(|(a, b)| Op::OneWord(a, b)),
        (i(), i(), select(NOISE)).prop_map(|(a, b, c)| Op::Sprinkle(a, b, c)),
        (i(), 200usize..4000).prop_map(|(a, b)| Op::Long(a, b)),
        (i()).prop_map(Op::Drop),
        (i()).prop_map(Op::Dup),
        (i()).prop_map(Op::EmptyPage),
        (i()).prop_map(Op::Break),
        (i()).prop_map(Op::Join),
    ]
}

fn print() -> impl Strategy<Value = Print> {
    let mark = select(vec![
        Mark::Attached,
        Mark::Spaced,
        Mark::Dropped,
        Mark::OwnLine,
        Mark::Misread,
        Mark::Superscript,
        Mark::FullWidth,
    ]);
    let num = select(vec![Num::Alone, Num::Before, Num::Split, Num::Misread, Num::Dropped, Num::Doubled, Num::BoxEdge]);
    let label = select(vec![Label::Loose, Label::Noisy, Label::Dropped, Label::Released, Label::Box, Label::OwnLine]);
    (
        (prop::collection::vec(mark, 0..10), prop::collection::vec(num, 0..10), prop::collection::vec(label, 0..12)),
        (8usize..100, prop::collection::vec(any::<Index>(), 0..4), prop::collection::vec(any::<Index>(), 0..4)),
        (0usize..3, 0usize..HEADS.len(), proptest::option::of(1u32..400)),
        prop::collection::vec(op(), 0..8),
        (any::<bool>(), prop::bool::weighted(0.1), prop_oneof![9 => Just(0usize), 1 => 100usize..250]),
    )
        .prop_map(
            |(
                (marks, nums, labels),
                (width, body_breaks, note_breaks),
                (heads, head, page_numbers),
                ops,
                (nl, crlf, contents),
            )| {
                Print {
                    marks,
                    nums,
                    labels,
                    width,
                    body_breaks,
                    note_breaks,
                    heads,
                    head,
                    page_numbers,
                    ops,
                    final_newline: nl,
                    crlf,
                    contents,
                }
            },
        )
}

/// A number with one digit read as a letter (`5l`, `20S`, `4O`).
fn misread(n: u32) -> String {
    let mut s = n.to_string();
    let last = s.pop().unwrap();
    let with = match last {
        '1' => 'l',
        '5' => 'S',
        '0' => 'O',
        '8' => 'B',
        '2' => 'Z',
        c => {
            s.push(c);
            'l'
        }
    };
    s.push(with);
    s
}

fn printed_label(label: &str, how: Label) -> Vec<String> {
    match how {
        Label::Loose => vec![label.to_string()],
        Label::Noisy => vec![format!("~ {label} ··")],
        Label::Dropped => Vec::new(),
        Label::Released => vec!["Ann Lee".into()],
        Label::Box => vec!["■■■ ■".into()],
        Label::OwnLine => {
            vec!["\n".into(), if label.starts_with("Harm") { "HOM".into() } else { label.to_string() }, "\n".into()]
        }
    }
}

/// Words (and `"\n"` for forced line breaks) wrapped to `width` characters.
fn wrap(tokens: &[String], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for t in tokens {
        if t == "\n" {
            lines.push(std::mem::take(&mut line));
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + t.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(t);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts `lines` into `breaks.len() + 1` pieces at the given places (in order).
fn split_at(lines: Vec<String>, breaks: &[Index], pages: usize) -> Vec<Vec<String>> {
    let mut at: Vec<usize> = breaks.iter().take(pages - 1).map(|b| b.index(lines.len() + 1)).collect();
    at.resize(pages - 1, lines.len());
    at.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for a in at {
        out.push(lines[from..a].to_vec());
        from = a;
    }
    out.push(lines[from..].to_vec());
    out
}

/// The second revision: `c` printed as a scanned PDF prints it, damaged by `p`.
fn pdf_text(c: &Clean, p: &Print) -> String {
    let pick = |v: &[Label], i: usize| v.get(i).copied().unwrap_or(Label::Loose);
    let numbers = c.numbers();
    let mut label_i = 0;
    // The body.
    let mut tokens: Vec<String> = Vec::new();
    for (i, s) in c.sentences.iter().enumerate() {
        if s.paragraph && i > 0 {
            tokens.push("\n".into());
        }
        let mut words = sentence_words(s);
        if let Some(last) = words.last_mut() {
            last.push('.');
        }
        for w in words {
            match w.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
                Some(label) if LABELS.contains(&label) => {
                    tokens.extend(printed_label(label, pick(&p.labels, label_i)));
                    label_i += 1;
                }
                _ => tokens.push(w.trim_end_matches(']').to_string()),
            }
        }
        if let Some(&n) = numbers.get(i) {
            match p.marks.get(i).copied().unwrap_or(Mark::Attached) {
                Mark::Attached => tokens.last_mut().unwrap().push_str(&n.to_string()),
                Mark::Spaced => tokens.push(n.to_string()),
                Mark::Dropped => {}
                Mark::OwnLine => tokens.extend(["\n".into(), n.to_string(), "\n".into()]),
                Mark::Misread => tokens.last_mut().unwrap().push_str(&misread(n)),
                Mark::Superscript => tokens.last_mut().unwrap().push_str(&other_digits(n, '⁰')),
                Mark::FullWidth => tokens.last_mut().unwrap().push_str(&other_digits(n, '０')),
            }
        }
    }
    let mut body: Vec<String> =
        (0..p.contents).map(|k| format!("{} {} .............. {}", WORDS[k % WORDS.len()], k, k / 3 + 1)).collect();
    body.extend(wrap(&tokens, p.width));
    // The notes.
    let mut notes: Vec<String> = Vec::new();
    for (i, note) in c.notes.iter().enumerate() {
        let n = numbers[i];
        let text: Vec<String> = match note {
            Note::Words(w) => wrap(&w.iter().map(|w| w.to_string()).collect::<Vec<_>>(), p.width),
            Note::Labels(ls) => ls
                .iter()
                .flat_map(|l| {
                    let how = pick(&p.labels, label_i);
                    label_i += 1;
                    printed_label(l, how)
                })
                .filter(|l| l != "\n")
                .collect(),
        };
        let first = text.first().cloned().unwrap_or_default();
        let rest = text.iter().skip(1).cloned();
        let num = n.to_string();
        match p.nums.get(i).copied().unwrap_or(Num::Alone) {
            Num::Alone => notes.extend(std::iter::once(num).chain(text)),
            Num::Before => notes.extend(std::iter::once(format!("{num} {first}")).chain(rest)),
            Num::Split if num.len() > 1 => {
                let (a, b) = num.split_at(num.len() - 1);
                notes.extend(std::iter::once(format!("{a} {b}")).chain(text));
            }
            Num::Split => notes.extend(std::iter::once(format!("{num} 1 {first}")).chain(rest)),
            Num::Misread if n.is_multiple_of(10) => {
                notes.push((n / 10).to_string());
                notes.extend(std::iter::once(format!("°{first}")).chain(rest));
            }
            Num::Misread => notes.extend(std::iter::once(format!("{} {first}", misread(n))).chain(rest)),
            Num::Dropped => notes.extend(text),
            Num::Doubled => notes.extend([num.clone(), format!("{num} {first}")].into_iter().chain(rest)),
            Num::BoxEdge => {
                let edge = if n.is_multiple_of(2) { "1111       " } else { "____    " };
                notes.extend(std::iter::once(format!("{edge}{num} {first}")).chain(rest));
            }
        }
    }
    // Pages.
    let pages = 1 + p.body_breaks.len().max(p.note_breaks.len());
    let body = split_at(body, &p.body_breaks, pages);
    let notes = split_at(notes, &p.note_breaks, pages);
    let mut lines: Vec<String> = Vec::new();
    for (k, (b, n)) in body.into_iter().zip(notes).enumerate() {
        let start = lines.len();
        let (h1, h2) = HEADS[p.head];
        lines.extend([h1, h2].into_iter().take(p.heads).map(str::to_string));
        lines.extend(b);
        lines.extend(n);
        if let Some(first) = p.page_numbers {
            lines.push((first + k as u32).to_string());
        }
        if k > 0 {
            if start == lines.len() {
                lines.push(String::new());
            }
            lines[start].insert(0, '\x0c');
        }
    }
    // Damage.
    for op in &p.ops {
        let len = lines.len();
        if len == 0 {
            lines.push(String::new());
            continue;
        }
        match op {
            Op::Swap(i) => {
                let i = i.index(len);
                lines.swap(i, (i + 1).min(len - 1));
            }
            Op::Cut(i, at) => {
                let l = &mut lines[i.index(len)];
                let keep = at.index(l.chars().count() + 1);
                *l = l.chars().take(keep).collect();
            }
            Op::Lead(i, ws) => lines[i.index(len)].insert_str(0, ws),
            Op::OneWord(i, w) => lines.insert(i.index(len + 1), (*w).to_string()),
            Op::Sprinkle(i, at, s) => {
                let l = &mut lines[i.index(len)];
                let at = l.char_indices().map(|(b, _)| b).nth(at.index(l.chars().count() + 1)).unwrap_or(l.len());
                l.insert_str(at, s);
            }
            Op::Long(i, n) => {
                let words: Vec<&str> = WORDS.iter().chain(NOISE).copied().collect();
                let mut l = String::new();
                let mut k = 0;
                while l.len() < *n {
                    l.push_str(words[k * 7 % words.len()]);
                    l.push(' ');
                    k += 1;
                }
                lines.insert(i.index(len + 1), l);
            }
            Op::Drop(i) => {
                lines.remove(i.index(len));
            }
            Op::Dup(i) => {
                let i = i.index(len);
                lines.insert(i, lines[i].clone());
            }
            Op::EmptyPage(i) => lines.insert(i.index(len + 1), "\x0c".into()),
            Op::Break(i) => lines[i.index(len)].insert(0, '\x0c'),
            Op::Join(i) => {
                let i = i.index(len);
                if i + 1 < len {
                    let next = lines.remove(i + 1);
                    lines[i].push(' ');
                    lines[i].push_str(&next);
                }
            }
        }
    }
    let nl = if p.crlf { "\r\n" } else { "\n" };
    let mut t = lines.join(nl);
    if p.final_newline {
        t.push_str(nl);
    }
    t
}

/// Random bytes read as UTF-8, or a random mix of the paged texts' atoms.
fn random_text() -> impl Strategy<Value = String> {
    let atoms: Vec<&'static str> = WORDS
        .iter()
        .chain(NOISE)
        .chain(ONE_WORDS)
        .chain(LABELS)
        .copied()
        .chain(["\n", "\n", "\x0c", " ", "  ", "       ", "1", "45", "58 1", "[^1]", "[Grand Jury]", "Footnotes"])
        .collect();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..1500).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        prop::collection::vec(select(atoms), 0..300).prop_map(|v| v.join(" ")),
    ]
}

// ------------------------------------------------------------------ the property

/// Imports `clean` and `pdf` as revisions 1 and 2 of one source, re-anchors 1
/// into 2 and checks everything that must hold whatever `pdf` holds.
fn check(c: &Clean, pdf: &str, detect: bool) -> std::result::Result<(), TestCaseError> {
    let (clean, sentences) = clean_text(c);
    let mut l = Ledger::open_in_memory().unwrap();
    let src =
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), clean.clone())).unwrap();
    prop_assert_eq!(src.footnotes, c.notes.len(), "{}", clean);
    for (s, e) in sentences {
        l.add_passage(NewPassage::new(Span::new(src.revision.id, s, e))).unwrap();
    }
    // One claim cites every passage of revision 1 once.
    let article = l.add_document(NewDocument::new(DocumentKind::Article, "Story")).unwrap();
    let story = l.add_revision(article.id, NewRevision::new("The board met.")).unwrap();
    let claim = l.add_claim(NewClaim::new(Span::new(story.id, 0, 14))).unwrap();
    for p in l.passages(src.revision.id).unwrap() {
        l.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports)).unwrap();
    }
    let cited = l.citations(claim.id).unwrap().len();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf);
    imp.redactions = if detect { Redactions::Detect } else { Redactions::None };
    imp.revision_of = Some(src.document.id);
    let new_rev = match l.import_source(imp) {
        Ok(out) if out.revision.seq == 2 => out.revision.id,
        Ok(_) => return Ok(()),
        Err(e) => {
            prop_assert!(e.is_invalid_input() || matches!(e, Error::TooLarge { .. }), "{e:?}");
            return Ok(());
        }
    };
    let old_passages = l.passages(src.revision.id).unwrap();
    let old_redactions = l.redactions(src.revision.id).unwrap();
    let before = common::dump(&l);
    let out = match l.reanchor(src.document.id, 1, 2) {
        Ok(out) => out,
        Err(e) => {
            prop_assert!(e.is_invalid_input() || matches!(e, Error::TooLarge { .. }), "{e:?}");
            prop_assert!(common::dump(&l) == before, "a refused re-anchoring wrote something: {e}");
            return Ok(());
        }
    };
    check_moves(&l, &out, &clean, pdf)?;
    prop_assert_eq!(out.anchors.len(), old_passages.len() + old_redactions.len());
    // Each passage that landed carried its one citation to the passage it
    // landed on (once to a passage several landed on), and the count says
    // how many citations were written.
    let landed: std::collections::BTreeSet<PassageId> = out
        .anchors
        .iter()
        .filter(|m| m.kind == AnchorKind::Passage && m.new.is_some())
        .map(|m| m.passage.expect("a passage that landed has a passage on the new revision"))
        .collect();
    let on_new: Vec<PassageId> = l.passages(new_rev).unwrap().iter().map(|p| p.id).collect();
    let carried: std::collections::BTreeSet<PassageId> =
        l.citations(claim.id).unwrap().iter().map(|c| c.passage).filter(|p| on_new.contains(p)).collect();
    prop_assert_eq!(&carried, &landed);
    prop_assert_eq!(out.counts.citations, l.citations(claim.id).unwrap().len() - cited);
    // Twice: refused, nothing written.
    let after = common::dump(&l);
    let again = l.reanchor(src.document.id, 1, 2);
    prop_assert!(matches!(&again, Err(e) if e.is_conflict()), "{again:?}");
    prop_assert!(common::dump(&l) == after, "a second re-anchoring wrote something");
    // And back: the paged revision (with the passages it gained) into the clean one.
    let old_passages = l.passages(new_rev).unwrap();
    let old_redactions = l.redactions(new_rev).unwrap();
    let before = common::dump(&l);
    match l.reanchor(src.document.id, 2, 1) {
        Ok(back) => {
            check_moves(&l, &back, pdf, &clean)?;
            prop_assert_eq!(back.anchors.len(), old_passages.len() + old_redactions.len());
            let again = l.reanchor(src.document.id, 2, 1);
            prop_assert!(matches!(&again, Err(e) if e.is_conflict()), "{again:?}");
        }
        Err(e) => {
            prop_assert!(e.is_invalid_input() || matches!(e, Error::TooLarge { .. }), "{e:?}");
            prop_assert!(common::dump(&l) == before, "a refused re-anchoring wrote something: {e}");
        }
    }
    let v = l.verify().unwrap();
    prop_assert!(v.is_ok(), "{:?}", v.problems);
    Ok(())
}

fn check_place(text: &str, chars: &CharIndex, p: &claimledger::reanchor::Place) -> std::result::Result<(), String> {
    let len = chars.char_len();
    if !(p.start <= p.end && p.end <= len) {
        return Err(format!("{p:?} outside a text of {len} code points"));
    }
    let pages = Pages::new(text);
    let byte = chars.to_byte(p.start).unwrap();
    let expected = pages.is_paged().then(|| pages.page_of(byte));
    if p.page != expected {
        return Err(format!("{p:?} is on page {expected:?} of {}", pages.count()));
    }
    Ok(())
}

/// Checks what `reanchor` reported from `old` (the text of revision
/// `out.from`) into `new`.
fn check_moves(l: &Ledger, out: &Reanchored, old: &str, new: &str) -> std::result::Result<(), TestCaseError> {
    let (old_chars, new_chars) = (CharIndex::new(old), CharIndex::new(new));
    let new_rev = l.revisions(out.document).unwrap().into_iter().find(|r| r.seq == out.to).unwrap();
    let new_passages = l.passages(new_rev.id).unwrap();
    let c = &out.counts;
    prop_assert_eq!(c.same + c.moved + c.changed + c.orphaned + c.released + c.kept, out.anchors.len());
    for m in &out.anchors {
        let AnchorMove { state, old: was, new: is, score, released_text, passage, kind, .. } = m;
        check_place(old, &old_chars, was).map_err(|e| TestCaseError::fail(format!("old place: {e}: {m:?}")))?;
        match is {
            Some(p) => {
                prop_assert!(*state != AnchorState::Orphaned, "{m:?}");
                check_place(new, &new_chars, p).map_err(|e| TestCaseError::fail(format!("new place: {e}: {m:?}")))?;
            }
            None => prop_assert_eq!(*state, AnchorState::Orphaned, "{:?}", m),
        }
        if let Some(s) = score {
            prop_assert!((0.0..=1.0).contains(s), "{m:?}");
        }
        prop_assert_eq!(released_text.is_some(), *state == AnchorState::Released, "{:?}", m);
        match state {
            AnchorState::Kept | AnchorState::Released => prop_assert_eq!(*kind, AnchorKind::Redaction),
            AnchorState::Same | AnchorState::Moved | AnchorState::Changed => {
                prop_assert_ne!(*kind, AnchorKind::Redaction)
            }
            _ => {}
        }
        if *state == AnchorState::Same {
            prop_assert_eq!(is.map(|p| (p.start, p.end)), Some((was.start, was.end)), "{:?}", m);
        }
        if let Some(id) = passage {
            prop_assert_eq!(*kind, AnchorKind::Passage);
            let p = new_passages.iter().find(|p| p.id == *id);
            prop_assert!(p.is_some(), "{m:?}: its passage is not on the new revision");
            // The passage its citations followed to lies where it landed.
            let span = p.unwrap().span;
            let at = is.map(|p| (new_chars.to_byte(p.start), new_chars.to_byte(p.end)));
            prop_assert_eq!(at, Some((Some(span.start), Some(span.end))), "{:?}", m);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn reanchoring_into_a_damaged_paged_text_never_panics_and_places_fit(
        c in clean(), p in print(), detect in any::<bool>(),
    ) {
        let pdf = pdf_text(&c, &p);
        check(&c, &pdf, detect)?;
    }

    #[test]
    fn reanchoring_into_random_text_never_panics_and_places_fit(
        c in clean(), pdf in random_text(), detect in any::<bool>(),
    ) {
        check(&c, &pdf, detect)?;
    }
}

/// Regression: footnotes 3 and 4 share the one box printed between footnotes
/// 2 and 5, so both land on one passage; a claim citing both is carried
/// there once, and the count said two citations were copied.
#[test]
fn footnotes_sharing_a_box_count_the_one_citation_carried() {
    let clean = "The clerk kept the minutes.[^1] The board replied.[^2] The chair left.[^3] \
                 The minister signed.[^4] The master objected.[^5]\n\nFootnotes\n\n\
                 [^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Personal Privacy]\n[^3]: [Personal Privacy]\n[^4]: [Personal Privacy]\n\
                 [^5]: [Personal Privacy]\n";
    let pdf = "The clerk kept the minutes.1 The board replied. 2 The chair left. 3\n\
               The minister signed.4 The master objected. 5\n\
               1\nLetter of the auditor to the board, May 2, 2023.\n\
               2 Personal Privacy\n·• Personal Privacy\n5 Personal Privacy\n7\n\x0cThe end.\n";
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Notes"), clean)).unwrap();
    let article = l.add_document(NewDocument::new(DocumentKind::Article, "Story")).unwrap();
    let story = l.add_revision(article.id, NewRevision::new("The board met.")).unwrap();
    let claim = l.add_claim(NewClaim::new(Span::new(story.id, 0, 14))).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    for p in &passages {
        l.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports)).unwrap();
    }
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf);
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let before = l.citations(claim.id).unwrap().len();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    let note = |n: u32| {
        let p = passages.iter().find(|p| p.footnote == Some(n)).unwrap();
        out.anchors.iter().find(|m| m.id == p.id.to_string()).unwrap()
    };
    let (three, four) = (note(3), note(4));
    assert!(three.new.is_some() && three.new == four.new, "{three:?} {four:?}");
    assert_eq!(three.passage, four.passage);
    let added = l.citations(claim.id).unwrap().len() - before;
    let landed = out.anchors.iter().filter(|m| m.kind == AnchorKind::Passage && m.new.is_some()).count();
    assert_eq!(added, landed - 1);
    assert_eq!(out.counts.citations, added);
}
