//! Attribution: to whom an article attributes each of its quotations, and with
//! which words (the cue).
//!
//! # Design
//!
//! Pure pattern matching over the article's words, no model and no lexicon
//! beyond [`REPORTING_VERBS`]: the speaker and the cue stand in the same sentence
//! as the quotation, or in the sentence before it. The patterns, tried in this
//! order for each quotation:
//!
//! 1. **after the quotation** (the commonest in news): the closing mark, then
//!    `SPEAKER VERB` (`,” Barr said`, `,” the report reads`, `,” Papadopoulos
//!    wrote in an email`), the inverted `VERB SPEAKER` (`,” said Barr`), or
//!    `according to SPEAKER`;
//! 2. **before it**, in its sentence: the nearest reporting verb at most
//!    [`MAX_GAP`] words before the opening mark, with its subject right before
//!    it (`McConnell said in a statement that “…`, `The special counsel adds
//!    that “…`); `according to SPEAKER, “…`; a participle with no subject of its
//!    own (`Clovis, however, demurred, telling Papadopoulos “…`) takes the
//!    sentence's subject;
//! 3. **a colon introduction** without a reporting verb (`The report was blunt:
//!    “…`): the subject of the clause before the colon;
//! 4. **the sentence before**, for a quotation that opens its sentence: one that
//!    ends with a colon (`He wrote:` then the quotation), else the attribution of
//!    the previous sentence's last quotation in the same paragraph (a speaker
//!    quoted in several sentences in a row).
//!
//! A nested quotation is looked for inside the quotation holding it only (`“The
//! Special Counsel states that ‘…’,” Barr said`: the inner words are the Special
//! Counsel's, the outer ones Barr's), and never inherits its parent's speaker.
//! Words inside other quotations are never read as cues. A quotation with no cue
//! has no attribution (`None`): nothing is guessed.

use std::ops::Range;

use super::quotes::{Analysis, Quotation};
use super::segment::{self, Statement};

/// Reporting verbs (compared ignoring ASCII case): what a speaker does to words.
pub const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "wrote",
    "writes",
    "write",
    "writing",
    "added",
    "adds",
    "adding",
    "told",
    "tells",
    "telling",
    "stated",
    "states",
    "stating",
    "noted",
    "notes",
    "noting",
    "reads",
    "argued",
    "argues",
    "arguing",
    "explained",
    "explains",
    "explaining",
    "claimed",
    "claims",
    "claiming",
    "asserted",
    "asserts",
    "insisted",
    "insists",
    "declared",
    "declares",
    "testified",
    "testifies",
    "recalled",
    "recalls",
    "concluded",
    "concludes",
    "continued",
    "continues",
    "asked",
    "asks",
    "asking",
    "answered",
    "replied",
    "replies",
    "responded",
    "tweeted",
    "tweets",
    "posted",
    "warned",
    "warns",
    "warning",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "described",
    "describes",
    "describing",
    "called",
    "calls",
    "calling",
    "characterized",
    "characterizes",
    "termed",
    "recounted",
    "recounts",
    "reported",
    "reports",
    "announced",
    "announces",
    "boasted",
    "promised",
    "suggested",
    "suggests",
    "observed",
    "observes",
    "remarked",
    "conceded",
    "cited",
    "cites",
    "found",
    "finds",
    "alleged",
    "alleges",
    "emailed",
    "texted",
    "messaged",
    "quoted",
    "quotes",
    "complained",
    "urged",
];

/// Most words between a reporting verb (or `according to`) and the opening mark
/// for a cue before the quotation (`said in a statement on Tuesday that “`).
pub const MAX_GAP: usize = 8;

/// Most words of a speaker (`Attorney General William P. Barr`).
pub const MAX_SPEAKER_WORDS: usize = 6;

/// Which pattern gave an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// `“…,” Barr said`: speaker then verb after the quotation.
    SpeakerVerbAfter,
    /// `“…,” said Barr`: verb then speaker after the quotation.
    VerbSpeakerAfter,
    /// `“…,” according to Gates` or `according to Gates, “…”`.
    AccordingTo,
    /// `McConnell said in a statement that “…”`: speaker and verb before it.
    Before,
    /// `The report was blunt: “…”`: the subject of a clause ending in a colon.
    Colon,
    /// Found in the sentence before the quotation's.
    PreviousSentence,
}

impl Pattern {
    /// Stable code: `speaker_verb_after`, `verb_speaker_after`, `according_to`,
    /// `before`, `colon`, `previous_sentence`.
    pub fn code(self) -> &'static str {
        match self {
            Pattern::SpeakerVerbAfter => "speaker_verb_after",
            Pattern::VerbSpeakerAfter => "verb_speaker_after",
            Pattern::AccordingTo => "according_to",
            Pattern::Before => "before",
            Pattern::Colon => "colon",
            Pattern::PreviousSentence => "previous_sentence",
        }
    }
}

/// To whom the article attributes a quotation, and with which words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attribution {
    /// The speaker as the article names them (`Barr`, `the report`, `he`).
    pub speaker: String,
    /// Byte range of the speaker in the article.
    pub speaker_range: Range<usize>,
    /// The cue: the words that attribute the quotation (`Barr said`, `according
    /// to Gates`, `McConnell said in a statement that`).
    pub cue: String,
    /// Byte range of the cue in the article.
    pub cue_range: Range<usize>,
    /// The pattern that found it.
    pub pattern: Pattern,
}

/// One pattern of attribution, with an example: the README's attribution table
/// is this table (a test holds the two together, and another runs every example).
#[derive(Debug, Clone, Copy)]
pub struct PatternExample {
    /// The pattern.
    pub pattern: Pattern,
    /// What the article writes.
    pub rule: &'static str,
    /// An example article text (its first quotation is the one attributed) ...
    pub example: &'static str,
    /// ... the speaker found ...
    pub speaker: &'static str,
    /// ... and the cue.
    pub cue: &'static str,
}

/// Every attribution pattern, with an example each.
pub const PATTERNS: &[PatternExample] = &[
    PatternExample {
        pattern: Pattern::SpeakerVerbAfter,
        rule: "speaker and reporting verb after the quotation",
        example: "“We will not resign,” Barr said on Monday.",
        speaker: "Barr",
        cue: "Barr said",
    },
    PatternExample {
        pattern: Pattern::VerbSpeakerAfter,
        rule: "reporting verb then speaker after the quotation (inverted)",
        example: "“We will not resign,” said Barr.",
        speaker: "Barr",
        cue: "said Barr",
    },
    PatternExample {
        pattern: Pattern::AccordingTo,
        rule: "`according to` and the speaker, before or after the quotation",
        example: "The campaign, according to Gates, “was planning a press strategy.”",
        speaker: "Gates",
        cue: "according to Gates",
    },
    PatternExample {
        pattern: Pattern::Before,
        rule: "speaker and reporting verb before the quotation, at most 8 words before its opening mark",
        example: "McConnell said in a statement that “the case is closed.”",
        speaker: "McConnell",
        cue: "McConnell said in a statement that",
    },
    PatternExample {
        pattern: Pattern::Colon,
        rule: "a clause ending in a colon introduces the quotation; its subject is the speaker",
        example: "The report was blunt: “The evidence does not establish a conspiracy.”",
        speaker: "The report",
        cue: "The report was blunt:",
    },
    PatternExample {
        pattern: Pattern::PreviousSentence,
        rule: "a quotation opening its sentence takes the cue of the sentence before (a colon introduction, or the speaker of its last quotation)",
        example: "“I just finished a productive lunch,” Papadopoulos wrote. “They are ready to meet.”",
        speaker: "Papadopoulos",
        cue: "Papadopoulos wrote",
    },
];

/// The attribution of every quotation of `analysis` (from
/// [`super::quotes::analyze`] of `text`), in the same order: `None` where the
/// article gives no cue.
///
/// ```
/// use claimledger::text::{attribution, quotes};
///
/// let text = "“The counsel states that ‘it does not exonerate him’,” Barr said.";
/// let a = quotes::analyze(text)?;
/// let who = attribution::attributions(text, &a);
/// assert_eq!(who[0].as_ref().map(|x| x.speaker.as_str()), Some("Barr"));
/// assert_eq!(who[1].as_ref().map(|x| x.cue.as_str()), Some("The counsel states that"));
/// # Ok::<(), claimledger::Error>(())
/// ```
pub fn attributions(text: &str, analysis: &Analysis) -> Vec<Option<Attribution>> {
    attributions_in(text, &segment::statements(text), analysis)
}

/// [`attributions`] with the article's statements already cut
/// (`segment::statements(text)`).
pub(crate) fn attributions_in(text: &str, sentences: &[Statement], analysis: &Analysis) -> Vec<Option<Attribution>> {
    let quotes = &analysis.quotations;
    let outer: Vec<Range<usize>> = quotes.iter().map(|q| q.outer_range(text)).collect();
    // The quotations by where their marks start, to find those near a place
    // without a scan of them all.
    let mut by_start: Vec<(usize, usize)> = outer.iter().enumerate().map(|(i, r)| (r.start, i)).collect();
    by_start.sort_unstable();
    let near = Near { quotes, outer: &outer, by_start: &by_start };
    let mut out: Vec<Option<Attribution>> = Vec::with_capacity(quotes.len());
    for (k, q) in quotes.iter().enumerate() {
        let found = attribute(text, sentences, &near, k, q, &out);
        out.push(found);
    }
    out
}

/// The quotations of an article with their outer ranges, sorted by start.
struct Near<'a> {
    quotes: &'a [Quotation],
    outer: &'a [Range<usize>],
    by_start: &'a [(usize, usize)],
}

impl Near<'_> {
    /// The quotations (indexes) whose marks-and-words overlap `window`: those
    /// starting inside it, and those holding its start (the last one starting
    /// before it and the quotations holding that one).
    fn overlapping(&self, window: &Range<usize>) -> Vec<usize> {
        let lo = self.by_start.partition_point(|&(s, _)| s < window.start);
        let hi = self.by_start.partition_point(|&(s, _)| s < window.end.max(window.start));
        let mut out: Vec<usize> = self.by_start[lo..hi].iter().map(|&(_, i)| i).collect();
        let mut up = lo.checked_sub(1).map(|j| self.by_start[j].1);
        let mut steps = 0;
        while let Some(i) = up {
            if self.outer[i].end > window.start && !out.contains(&i) {
                out.push(i);
            }
            steps += 1;
            if steps > 64 {
                break;
            }
            up = self.quotes[i].parent;
        }
        out
    }
}

/// Words naming a document (compared ignoring case, a plural `s` too): a
/// speaker holding one (`the report`, `the Mueller report`, `the filing`, `Rick
/// Gates (as summarized in the report)`) speaks for a document, so for the
/// ledger's sources (see [`SourceNames`]).
pub const DOCUMENT_WORDS: &[&str] = &[
    "report",
    "document",
    "filing",
    "memo",
    "memorandum",
    "letter",
    "indictment",
    "complaint",
    "affidavit",
    "transcript",
    "ruling",
    "opinion",
    "judgment",
    "brief",
    "motion",
    "finding",
    "summary",
    "study",
    "review",
    "audit",
    "investigation",
    "inquiry",
    "volume",
    "record",
    "minutes",
    "footnote",
    "appendix",
    "exhibit",
    "dossier",
    "paper",
    "analysis",
    "assessment",
    "statute",
    "text",
];

/// Roles of a document's authors (compared ignoring case, a plural `s` too):
/// a speaker holding one (`the special counsel`, `prosecutors`, `the
/// inspector general`, `the authors`) speaks for a document.
pub const AUTHOR_ROLES: &[&str] =
    &["counsel", "prosecutor", "investigator", "inspector", "author", "auditor", "examiner"];

/// Pronouns: a speaker made only of them (`he`, `they`) names nobody.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "one", "this", "that", "these", "those"];

/// Who a speaker is, as far as the ledger can tell (see [`SourceNames::classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeakerKind {
    /// One of the ledger's sources or its authors: the quote should be the
    /// source's words.
    Source,
    /// A pronoun alone (`he`, `they`): nobody the ledger can tell apart.
    Unnamed,
    /// Someone else: the quote is theirs, not a source's.
    Other,
}

/// The names of the ledger's sources (titles, authors, publishers), to tell a
/// speaker who is a source from one who is not.
///
/// A speaker is a [`SpeakerKind::Source`] when one of its words is a
/// [`DOCUMENT_WORDS`] word or an [`AUTHOR_ROLES`] role, or when its last name
/// word (before any bracket or comma: `Mueller`, `Sen. Mitch McConnell` gives
/// `McConnell`) is a word of a source's title, author or publisher (words of
/// three letters or more, not a stop word or a document word). A speaker of
/// pronouns alone is [`SpeakerKind::Unnamed`]; anyone else is
/// [`SpeakerKind::Other`].
///
/// ```
/// use claimledger::text::attribution::{SourceNames, SpeakerKind};
///
/// let names = SourceNames::new(["Harbor Board review of 2023", "Ada Lindqvist"]);
/// assert_eq!(names.classify("the report"), SpeakerKind::Source);
/// assert_eq!(names.classify("the special counsel"), SpeakerKind::Source);
/// assert_eq!(names.classify("Lindqvist"), SpeakerKind::Source);
/// assert_eq!(names.classify("the Harbor Board"), SpeakerKind::Source);
/// assert_eq!(names.classify("he"), SpeakerKind::Unnamed);
/// assert_eq!(names.classify("Sen. Mitch McConnell"), SpeakerKind::Other);
/// ```
#[derive(Debug, Clone, Default)]
pub struct SourceNames {
    words: std::collections::HashSet<String>,
}

/// The lowercase words of `s` (letters and digits; a possessive `’s` falls
/// apart into a word `s`, ignored by the callers).
fn name_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// `w` or its singular is in `list`.
fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w) || w.strip_suffix('s').is_some_and(|x| list.contains(&x))
}

impl SourceNames {
    /// The names of the sources: each a title, an author or a publisher.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> SourceNames {
        let mut words = std::collections::HashSet::new();
        for n in names {
            for w in name_words(n) {
                if w.chars().count() >= 3
                    && !w.chars().all(|c| c.is_ascii_digit())
                    && !STOP.contains(&w.as_str())
                    && !in_list(DOCUMENT_WORDS, &w)
                    && !matches!(w.as_str(), "the" | "and" | "volume" | "part")
                {
                    words.insert(w);
                }
            }
        }
        SourceNames { words }
    }

    /// Who `speaker` (as an article or a trace names them) is.
    pub fn classify(&self, speaker: &str) -> SpeakerKind {
        let all: Vec<String> = name_words(speaker).collect();
        if all.iter().any(|w| in_list(DOCUMENT_WORDS, w) || in_list(AUTHOR_ROLES, w)) {
            return SpeakerKind::Source;
        }
        let name = speaker.split(['(', '[', ',', ';']).next().unwrap_or("");
        let words: Vec<String> = name_words(name).filter(|w| w != "s").collect();
        if words.iter().all(|w| PRONOUNS.contains(&w.as_str()) || matches!(w.as_str(), "the" | "a" | "an")) {
            return SpeakerKind::Unnamed;
        }
        match words.last() {
            Some(head) if self.words.contains(head) => SpeakerKind::Source,
            _ => SpeakerKind::Other,
        }
    }
}

/// A word of the article: its core (punctuation around it trimmed) and whether
/// a clause boundary (`,` `;` `:` `.` a dash or a bracket) follows or precedes it.
#[derive(Debug, Clone)]
struct Word<'a> {
    range: Range<usize>,
    text: &'a str,
    /// The punctuation right after the core.
    after: &'a str,
    /// A boundary right before the core.
    boundary_before: bool,
}

impl Word<'_> {
    fn lower(&self) -> String {
        self.text.to_lowercase()
    }

    fn is(&self, w: &str) -> bool {
        self.text.eq_ignore_ascii_case(w)
    }

    fn is_verb(&self) -> bool {
        REPORTING_VERBS.iter().any(|v| self.is(v))
    }

    fn is_participle(&self) -> bool {
        self.is_verb() && self.lower().ends_with("ing")
    }

    /// A clause boundary right after it.
    fn boundary_after(&self) -> bool {
        !self.is_abbreviation()
            && self.after.chars().any(|c| matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–' | ')' | ']'))
    }

    fn ends_sentence(&self) -> bool {
        if self.is_abbreviation() {
            return false;
        }
        self.after.chars().any(|c| matches!(c, '.' | '!' | '?' | ';'))
    }

    /// `Sen.`, `Mr.`, `P.`: a short capitalized word with only a period after it.
    fn is_abbreviation(&self) -> bool {
        self.after == "." && self.capitalized() && self.text.chars().count() <= 3
    }

    fn capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Words that end a speaker when walking back from a verb (not part of it).
const STOP: &[&str] = &[
    "that", "which", "who", "whom", "whose", "and", "but", "or", "nor", "when", "while", "as", "after", "before",
    "because", "if", "how", "where", "since", "although", "though", "so", "than", "to", "of", "in", "on", "at", "by",
    "for", "with", "from", "about", "into", "what", "why", "not",
];

/// Adverbs skipped between a speaker and the verb (`Trump repeatedly said`).
fn is_adverb(w: &Word<'_>) -> bool {
    let l = w.lower();
    (l.ends_with("ly") && l.len() > 3 && !w.capitalized())
        || matches!(
            l.as_str(),
            "also"
                | "then"
                | "later"
                | "however"
                | "again"
                | "once"
                | "further"
                | "now"
                | "still"
                | "even"
                | "has"
                | "had"
                | "have"
                | "was"
                | "is"
                | "had,"
                | "once,"
        )
}

/// Determiners and pronouns that may start a speaker.
fn is_determiner(w: &Word<'_>) -> bool {
    matches!(
        w.lower().as_str(),
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "one"
            | "another"
            | "this"
            | "that"
            | "these"
            | "those"
            | "he"
            | "she"
            | "they"
            | "it"
            | "we"
            | "i"
            | "you"
            | "some"
            | "many"
            | "several"
            | "two"
            | "three"
    )
}

/// The words of `text[range]`, leaving out words inside any quotation of
/// `skip` (byte ranges of the marks-and-words of other quotations).
fn words<'a>(text: &'a str, range: Range<usize>, skip: &Skips) -> Vec<Word<'a>> {
    let mut out: Vec<Word<'a>> = Vec::new();
    let Some(slice) = text.get(range.clone()) else { return out };
    let mut pending_boundary = false;
    for (off, chunk) in split_whitespace_indices(slice) {
        let at = range.start + off;
        let lead = chunk.len() - chunk.trim_start_matches(is_edge_punct).len();
        let core = chunk.trim_start_matches(is_edge_punct).trim_end_matches(is_edge_punct);
        let start = at + lead;
        let end = start + core.len();
        let after = &chunk[lead + core.len()..];
        if core.is_empty() || !core.chars().any(char::is_alphanumeric) {
            // Punctuation alone (a dash): a boundary.
            if let Some(last) = out.last_mut()
                && last.after.is_empty()
            {
                last.after = &text[at..at + chunk.len()];
            }
            pending_boundary = true;
            continue;
        }
        if skip.holds(start..end) {
            pending_boundary = true;
            continue;
        }
        let before = &chunk[..lead];
        out.push(Word {
            range: start..end,
            text: &text[start..end],
            after,
            boundary_before: pending_boundary || before.chars().any(|c| matches!(c, '(' | '[' | '—' | '–')),
        });
        pending_boundary = false;
    }
    out
}

fn split_whitespace_indices(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace().map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// Punctuation trimmed from the edges of a word (an abbreviation's period is
/// trimmed too; the speaker's range is its words').
fn is_edge_punct(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric() && !matches!(c, '&' | '%' | '$');
    }
    // Quote marks and general punctuation (dashes, primes) without a table lookup.
    super::quotes::is_quote_char(c) || ('\u{2000}'..='\u{206F}').contains(&c) || !c.is_alphanumeric()
}

/// The attribution of quotation `k`.
fn attribute(
    text: &str,
    sentences: &[Statement],
    near: &Near<'_>,
    k: usize,
    q: &Quotation,
    earlier: &[Option<Attribution>],
) -> Option<Attribution> {
    let quotes = near.quotes;
    let outer = near.outer[k].clone();
    // Where to look: the sentences holding the marks, inside the parent if any.
    let sentence_at = |b: usize| segment::statement_at(sentences, b).map(|i| sentences[i].range());
    let mut before = sentence_at(outer.start).map_or(outer.start..outer.start, |s| s.start..outer.start);
    let mut after =
        sentence_at(outer.end.saturating_sub(1)).map_or(outer.end..outer.end, |s| outer.end..s.end.max(outer.end));
    if let Some(p) = q.parent.and_then(|p| quotes.get(p)) {
        before.start = before.start.max(p.start);
        after.end = after.end.min(p.end);
        before.start = before.start.min(before.end);
        after.end = after.end.max(after.start);
    }
    // Bounded windows: the cue stands within a few words of the marks, and
    // after the quotation before the next one (which never holds it).
    let next = near.by_start.partition_point(|&(st, _)| st < outer.end.max(outer.start + 1));
    if let Some(&(st, _)) = near.by_start.get(next) {
        after.end = after.end.min(st).max(after.start);
    }
    let (before, before_cut) = bounded(text, before, true);
    let (after, _) = bounded(text, after, false);
    // Other quotations' words are not cues: those not holding this one.
    let skips = |window: &Range<usize>| {
        Skips::new(
            near.overlapping(window)
                .into_iter()
                .filter(|&j| j != k && !(quotes[j].start <= q.open && q.end <= quotes[j].end))
                .map(|j| near.outer[j].clone())
                .collect(),
        )
    };
    // Other quotations' words are never cues; with no letter or digit on
    // either side (a run of marks) there is nothing to read here.
    let has_word = |r: &Range<usize>| text.get(r.clone()).is_some_and(|w| w.chars().any(|c| !is_edge_punct(c)));
    let read_around = has_word(&after) || has_word(&before);
    if read_around {
        let skip = skips(&(before.start..after.end.max(outer.end)));
        let after_words = words(text, after.clone(), &skip);
        let after_words = until_next_quote(after.start, after_words, &skip);
        if let Some(a) = after_quote(text, &after_words) {
            return Some(a);
        }
        let before_words = words(text, before.clone(), &skip);
        if let Some(a) = before_quote(text, &before_words, before_cut) {
            return Some(a);
        }
    }
    if q.parent.is_some() {
        return None;
    }
    // The sentence before, for a quotation opening its sentence.
    let opens_sentence = !before_cut
        && text
            .get(before.clone())
            .is_some_and(|s| s.chars().all(|c| c.is_whitespace() || super::quotes::is_quote_char(c)));
    if !opens_sentence {
        return None;
    }
    let prev = segment::statement_at(sentences, outer.start)
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| sentences.get(i))
        .map(Statement::range)?;
    let between = text.get(prev.end..before.start.max(prev.end)).unwrap_or("");
    let paragraph_break = between.matches('\n').count() >= 2 || between.contains("\n\n");
    let prev_text = text.get(prev.clone()).unwrap_or("").trim_end();
    if prev_text.ends_with(':') {
        let (window, cut) = bounded(text, prev.clone(), true);
        let w = words(text, window.clone(), &skips(&window));
        return before_quote(text, &w, cut)
            .or_else(|| if cut { None } else { colon_subject(text, &w) })
            .map(|a| Attribution { pattern: Pattern::PreviousSentence, ..a });
    }
    if paragraph_break {
        return None;
    }
    // The last earlier quotation in the previous sentence, attributed (the
    // quotations are in order of their start, never after their opening mark).
    quotes[..k]
        .iter()
        .zip(earlier)
        .rev()
        .take_while(|(o, _)| o.start >= prev.start)
        .filter(|(o, _)| o.parent.is_none() && o.open >= prev.start && o.open < prev.end)
        .find_map(|(_, a)| a.clone())
        .map(|a| Attribution { pattern: Pattern::PreviousSentence, ..a })
}

/// The words after a closing mark, up to the next quotation's opening mark.
fn until_next_quote<'a>(from: usize, words: Vec<Word<'a>>, skip: &Skips) -> Vec<Word<'a>> {
    let next = skip.next_start(from);
    words.into_iter().take_while(|w| w.range.start < next).collect()
}

/// Most bytes read on each side of a quotation for its cue (and of the
/// sentence before): far more than the patterns' words, and a bound on the
/// work per quotation whatever the length of its sentence.
const WINDOW_BYTES: usize = 400;

/// The marks-and-words of the other quotations near one, as sorted disjoint
/// byte ranges: no word inside them is a cue.
struct Skips(Vec<Range<usize>>);

impl Skips {
    fn new(mut ranges: Vec<Range<usize>>) -> Skips {
        ranges.sort_unstable_by_key(|r| (r.start, r.end));
        let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        Skips(out)
    }

    /// Whether `r` lies inside one of the ranges.
    fn holds(&self, r: Range<usize>) -> bool {
        let i = self.0.partition_point(|x| x.start <= r.start);
        i > 0 && r.end <= self.0[i - 1].end
    }

    /// The first range start at or after `from` (`usize::MAX` when none).
    fn next_start(&self, from: usize) -> usize {
        let i = self.0.partition_point(|x| x.start < from);
        self.0.get(i).map_or(usize::MAX, |x| x.start)
    }
}

/// `range` cut to at most [`WINDOW_BYTES`] at its end (`keep_end`) or its
/// start, on a character boundary; and whether it was cut.
fn bounded(text: &str, range: Range<usize>, keep_end: bool) -> (Range<usize>, bool) {
    if range.len() <= WINDOW_BYTES {
        return (range, false);
    }
    if keep_end {
        let mut s = range.end - WINDOW_BYTES;
        while s < range.end && !text.is_char_boundary(s) {
            s += 1;
        }
        (s..range.end, true)
    } else {
        let mut e = range.start + WINDOW_BYTES;
        while e > range.start && !text.is_char_boundary(e) {
            e -= 1;
        }
        (range.start..e, true)
    }
}

fn span(text: &str, r: Range<usize>) -> String {
    text.get(r).unwrap_or("").to_string()
}

fn make(text: &str, speaker: Range<usize>, cue: Range<usize>, pattern: Pattern) -> Option<Attribution> {
    if speaker.is_empty() {
        return None;
    }
    Some(Attribution {
        speaker: span(text, speaker.clone()),
        speaker_range: speaker,
        cue: span(text, cue.clone()),
        cue_range: cue,
        pattern,
    })
}

/// A speaker: up to [`MAX_SPEAKER_WORDS`] words from `ws[0]`, ending at a clause
/// boundary, a stop word or a verb.
fn speaker_forward(ws: &[Word<'_>]) -> Option<Range<usize>> {
    let first = ws.first()?;
    if STOP.iter().any(|s| first.is(s)) || first.is_verb() {
        return None;
    }
    let mut end = first.range.end;
    for w in ws.iter().take(MAX_SPEAKER_WORDS) {
        if w.range.start != first.range.start && (w.boundary_before || STOP.iter().any(|s| w.is(s)) || w.is_verb()) {
            break;
        }
        end = w.range.end;
        if w.boundary_after() {
            break;
        }
    }
    Some(first.range.start..end)
}

/// Pattern 1: the words right after the closing mark.
fn after_quote(text: &str, ws: &[Word<'_>]) -> Option<Attribution> {
    let first = ws.first()?;
    if first.boundary_before && first.text.is_empty() {
        return None;
    }
    // `according to X`
    if first.is("according") && ws.get(1).is_some_and(|w| w.is("to")) {
        let sp = speaker_forward(ws.get(2..)?)?;
        return make(text, sp.clone(), first.range.start..sp.end, Pattern::AccordingTo);
    }
    // `said Barr` (not a participle: `adding that` introduces more words)
    if first.is_verb() && !first.is_participle() && !first.boundary_after() {
        let sp = speaker_forward(ws.get(1..)?)?;
        return make(text, sp.clone(), first.range.start..sp.end, Pattern::VerbSpeakerAfter);
    }
    // `Barr said`, `the report reads`
    if STOP.iter().any(|s| first.is(s)) {
        return None;
    }
    if !first.capitalized() && !is_determiner(first) {
        return None;
    }
    let v = ws.iter().take(MAX_SPEAKER_WORDS + 1).position(Word::is_verb)?;
    if v == 0 || ws[..v].iter().any(Word::ends_sentence) || ws[..v].iter().skip(1).any(|w| STOP.iter().any(|s| w.is(s)))
    {
        return None;
    }
    let mut last = v - 1;
    while last > 0 && is_adverb(&ws[last]) {
        last -= 1;
    }
    let sp = first.range.start..ws[last].range.end;
    make(text, sp, first.range.start..ws[v].range.end, Pattern::SpeakerVerbAfter)
}

/// Pattern 2 (and 3): the words before the opening mark, in its sentence.
fn before_quote(text: &str, ws: &[Word<'_>], cut: bool) -> Option<Attribution> {
    let n = ws.len();
    let last = ws.last()?;
    let cue_end = last.range.end;
    // The nearest verb or `according to` within the gap.
    for i in (n.saturating_sub(MAX_GAP + 1)..n).rev() {
        let w = &ws[i];
        if ws[i..].iter().take(n - i - 1).any(Word::ends_sentence) {
            break;
        }
        if w.is("according") && ws.get(i + 1).is_some_and(|t| t.is("to")) {
            let sp = speaker_forward(ws.get(i + 2..)?)?;
            return make(text, sp, w.range.start..cue_end, Pattern::AccordingTo);
        }
        if !w.is_verb() {
            continue;
        }
        // Its subject: the words right before it, adverbs skipped.
        let mut j = i;
        while j > 0 && is_adverb(&ws[j - 1]) && !ws[j - 1].boundary_after() {
            j -= 1;
        }
        let mut start = j;
        while start > 0 && j - start < MAX_SPEAKER_WORDS {
            let p = &ws[start - 1];
            if p.boundary_after() || STOP.iter().any(|s| p.is(s)) || p.is_verb() || ws[start].boundary_before {
                break;
            }
            start -= 1;
        }
        if start < j {
            let sp = ws[start].range.start..ws[j - 1].range.end;
            return make(text, sp.clone(), sp.start..cue_end, Pattern::Before);
        }
        if w.is_participle() && !cut && (ws[j].boundary_before || j > 0 && ws[j - 1].boundary_after()) {
            // `Clovis, however, demurred, telling Papadopoulos “…`: the sentence's
            // subject, for a participle opening a clause (not `after asking`).
            let sp = subject(ws)?;
            return make(text, sp.clone(), sp.start..cue_end, Pattern::Before);
        }
        return None;
    }
    if last.after.contains(':') && !cut {
        return colon_subject(text, ws);
    }
    None
}

/// Pattern 3: a clause ending in a colon; its subject speaks.
fn colon_subject(text: &str, ws: &[Word<'_>]) -> Option<Attribution> {
    let last = ws.last()?;
    if !last.after.contains(':') {
        return None;
    }
    // The clause: after the last boundary before the colon.
    let from = ws[..ws.len() - 1].iter().rposition(Word::boundary_after).map_or(0, |p| p + 1);
    let sp = subject(&ws[from..])?;
    let cue_end = last.range.end + last.after.find(':').map_or(0, |p| p + 1);
    make(text, sp.clone(), sp.start..cue_end, Pattern::Colon)
}

/// The subject at the start of `ws`: a name (capitalized words) or a
/// determiner and up to three words, ending at a boundary, a stop word or a
/// lowercase word that is not part of it.
fn subject(ws: &[Word<'_>]) -> Option<Range<usize>> {
    let first = ws.first()?;
    let det = is_determiner(first);
    if !first.capitalized() && !det {
        return None;
    }
    let mut end = first.range.end;
    for (i, w) in ws.iter().enumerate().take(MAX_SPEAKER_WORDS) {
        if i > 0 {
            let fits =
                w.capitalized() || (det && i <= 3 && !w.is_verb() && !is_adverb(w) && !STOP.iter().any(|s| w.is(s)));
            if w.boundary_before || !fits || w.is_verb() {
                break;
            }
        }
        end = w.range.end;
        if w.boundary_after() {
            break;
        }
    }
    // A pronoun alone is a subject too (`He wrote:`).
    Some(first.range.start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::quotes::analyze;

    /// Speaker, cue and pattern of an attribution.
    type Found = Option<(String, String, Pattern)>;

    /// (quoted text, speaker, cue, pattern) of every quotation of `text`.
    fn who(text: &str) -> Vec<(&str, Found)> {
        let a = analyze(text).unwrap();
        let at = attributions(text, &a);
        a.quotations.iter().zip(at).map(|(q, x)| (&text[q.range()], x.map(|x| (x.speaker, x.cue, x.pattern)))).collect()
    }

    fn speakers(text: &str) -> Vec<Option<String>> {
        who(text).into_iter().map(|(_, x)| x.map(|x| x.0)).collect()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn every_pattern_of_the_table_finds_its_speaker_and_cue() {
        for p in PATTERNS {
            let a = analyze(p.example).unwrap();
            let at = attributions(p.example, &a);
            let last = at.iter().rev().find_map(|x| x.clone());
            let got = if p.pattern == Pattern::PreviousSentence { last } else { at[0].clone() };
            let got = got.unwrap_or_else(|| panic!("{}: nothing found", p.rule));
            assert_eq!(
                (got.speaker.as_str(), got.cue.as_str(), got.pattern),
                (p.speaker, p.cue, p.pattern),
                "{}",
                p.rule
            );
            assert_eq!(&p.example[got.cue_range.clone()], p.cue);
            assert_eq!(&p.example[got.speaker_range.clone()], p.speaker);
        }
    }

    #[test]
    fn speaker_and_verb_after_the_quote() {
        assert_eq!(speakers("“We will not resign,” Barr said."), [some("Barr")]);
        assert_eq!(speakers("“The campaign was warned,” the report reads."), [some("the report")]);
        assert_eq!(speakers("“It was a setback,” Mueller writes."), [some("Mueller")]);
        assert_eq!(
            speakers("“I just finished a lunch,” Papadopoulos wrote in a March 2016 email to the team."),
            [some("Papadopoulos")]
        );
        // An adverb between speaker and verb is left out.
        assert_eq!(speakers("“No deal,” Trump repeatedly said."), [some("Trump")]);
        // A name of several words, with a title.
        assert_eq!(speakers("“Case closed,” Sen. Mitch McConnell said."), [some("Sen. Mitch McConnell")]);
        // The quote in the middle of a sentence, attributed after it.
        assert_eq!(
            speakers("Manafort “expressed excitement about the release,” Gates said, while others waited."),
            [some("Gates")]
        );
    }

    #[test]
    fn inverted_verb_then_speaker() {
        let got = who("“We will not resign,” said Attorney General William Barr.");
        assert_eq!(
            got[0].1,
            Some((
                "Attorney General William Barr".into(),
                "said Attorney General William Barr".into(),
                Pattern::VerbSpeakerAfter
            ))
        );
        assert_eq!(speakers("“Nothing was found,” says the report."), [some("the report")]);
    }

    #[test]
    fn according_to_before_or_after() {
        assert_eq!(speakers("“The plan was ready,” according to Rick Gates."), [some("Rick Gates")]);
        let got =
            who("Later, Mueller writes that, according to Rick Gates, “by the late summer the campaign was planning.”");
        assert_eq!(got[0].1, Some(("Rick Gates".into(), "according to Rick Gates".into(), Pattern::AccordingTo)));
    }

    #[test]
    fn speaker_and_verb_before_the_quote() {
        let got = who("McConnell said in a statement that “the case is closed.”");
        assert_eq!(got[0].1, Some(("McConnell".into(), "McConnell said in a statement that".into(), Pattern::Before)));
        assert_eq!(
            speakers("The special counsel adds that “the Office did not identify evidence.”"),
            [some("The special counsel")]
        );
        assert_eq!(
            speakers("Kilimnik described the conversations as covering “a range of issues.”"),
            [some("Kilimnik")]
        );
        // A participle with no subject of its own takes the sentence's.
        assert_eq!(speakers("Clovis, however, demurred, telling Papadopoulos “no commitments yet.”"), [some("Clovis")]);
        // ... not one inside a clause of its own (`after asking`): its subject is not the sentence's.
        assert_eq!(speakers("That much is plain from the memo, after publicly asking the city to “fix” it."), [None]);
        // Too far from the verb: no cue.
        assert_eq!(
            speakers(
                "The mayor said the council had for many months and through several votes refused to “find” the money."
            ),
            [None]
        );
    }

    #[test]
    fn a_colon_introduction() {
        assert_eq!(
            speakers("The report was blunt: “The evidence does not establish a conspiracy.”"),
            [some("The report")]
        );
        assert_eq!(speakers("He wrote: “We are done.”"), [some("He")]);
        // The colon ends the sentence before.
        let got = who("The letter reads:\n“We will comply.”");
        assert_eq!(got[0].1.as_ref().map(|x| (x.0.as_str(), x.2)), Some(("The letter", Pattern::PreviousSentence)));
    }

    #[test]
    fn a_speaker_goes_on_in_the_next_sentence() {
        let t = "“I just finished a lunch,” Papadopoulos wrote. “They said the leadership is ready.” Later “find” was said.";
        assert_eq!(speakers(t), [some("Papadopoulos"), some("Papadopoulos"), None]);
        // Not over a paragraph break.
        let t2 = "“I just finished a lunch,” Papadopoulos wrote.\n\n“They said the leadership is ready.”";
        assert_eq!(speakers(t2), [some("Papadopoulos"), None]);
    }

    #[test]
    fn a_nested_quote_is_attributed_inside_its_parent() {
        let t = "“The Special Counsel states that ‘while this report does not conclude that the President committed a crime, it also does not exonerate him’,” Barr said.";
        let got = who(t);
        assert_eq!(got[0].1.as_ref().map(|x| x.0.as_str()), Some("Barr"));
        assert_eq!(
            got[1].1.as_ref().map(|x| (x.0.as_str(), x.1.as_str())),
            Some(("The Special Counsel", "The Special Counsel states that"))
        );
        // With no cue inside its parent, a nested quote has none (never the parent's).
        let t2 = "“It was ‘a hoax’ for months,” Barr said.";
        assert_eq!(speakers(t2), [some("Barr"), None]);
    }

    #[test]
    fn no_cue_no_attribution() {
        assert_eq!(speakers("The campaign set out to “find” the emails."), [None]);
        // A verb's subject is a speaker: `asked` is reporting.
        assert_eq!(speakers("Trump asked Russia to “find” the emails."), [some("Trump")]);
        assert_eq!(speakers("He learned of “dirt” on Clinton gathered by intelligence."), [None]);
        // Words inside another quotation are not cues.
        assert_eq!(speakers("“Barr said nothing.” Then “more” came."), [None, None]);
    }
}
