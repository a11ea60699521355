//! Evidence items: what a footnote cites, read with general legal-citation conventions.
//!
//! # Design
//!
//! A footnote is read as citation sentences and prose. The reader works in layers,
//! each over byte ranges of the footnote's text, so every item keeps its exact span:
//!
//! 1. **Sentences.** The text is cut at a `.`, `?` or `!` followed by a space and a
//!    capital, a digit, `@`, `[` or an opening quote, outside parentheses, brackets
//!    and double quotes, unless the word before the period is an abbreviation
//!    (`Cong.`, `Mar.`, `Jr.`, `D.D.C.`, `Stmt.`, an initial). A closing quote
//!    right after `.`, `?` or `!` ends a sentence too (`... he wrote: “No!”
//!    @acct 3/4/19 Tweet.`: the post is the next sentence's citation).
//! 2. **Citation clauses.** A sentence is cut at each semicolon outside parentheses,
//!    brackets and quotes (a string citation).
//! 3. **Signals.** A clause may open with an introductory signal (`See`, `See, e.g.,`,
//!    `see also`, `Cf.`, `But see`, ...); a signal carries over to the following
//!    clauses of the same sentence until another signal (Bluebook rule 1.2), and is
//!    normalized to [`Signal`].
//! 4. **Redaction labels.** A bracketed label (`[Grand Jury]`) standing where a
//!    citation stands (alone, before a signal or a new sentence, or after a
//!    citation) is a [`EvidenceKind::Redacted`] item. A label that is the subject of
//!    a prose sentence (`[Investigative Technique] kept its ...`) or a party of a
//!    message (`@x to [Personal Privacy]`) is not. A label closing the description
//!    inside a document-number wrapper (`X0001 (Call Records of Roe [Grand Jury])`)
//!    withholds part of the wrapped record: the record is an item, then the label.
//! 5. **Typing.** Each clause is typed by the form of its citation, most specific
//!    first: `Id.` (the previous item, across footnotes), `supra` (an earlier item
//!    whose text holds the short form; a `Volume`/`Section` short form is a cross
//!    reference), cross references, document-number wrappers (`FS00011 (1/21/16 Text
//!    Messages, Sater to Cohen)` is the item it wraps), interview reports (`NAME
//!    DATE 302`), messages (`DATE Email, FROM to TO`), posts (`@account`), interviews
//!    and written answers, hearings and testimony. Then a clause that reads as prose
//!    (many lowercase words, no dated parenthetical, no signal) is not a citation;
//!    a `see ...` clause inside prose is still read, and so is a cross reference a
//!    prose sentence carries (`... are discussed in Volume I, Section IV.A.8,
//!    supra`); a statute's section named in prose (`Section 1512(c)(2) is ...`)
//!    is neither. Then the weaker forms: legal
//!    authorities (reporters, codes, `WL`, `O.L.C.`), court filings (indictment,
//!    complaint, statement of offense, transcripts, dockets), news (`Author, Title,
//!    Outlet (Date)`), public statements (`Remarks by ...`, press releases, briefings,
//!    the transcript of a named speaker's speech, remarks or news conference on
//!    whatever outlet carries it, a person's short-form statement `Roe Stmt.`),
//!    government reports, documents (records, letters, notes, memoranda, document
//!    numbers, pinpointed short titles). What is left is [`EvidenceKind::Other`].
//! 6. **Fields.** `who` is the interviewee, witness, sender, account, outlet, speaker
//!    or author, as written; `to` the recipients (`et al.` dropped); `date` the first
//!    date of the citation proper (outside explanatory parentheticals), ISO 8601,
//!    full (`2018-01-30`) or partial (`2016-03`, `1995`); `pin` the pinpoint
//!    (`at 2–3` gives `2–3`, `¶ 21(a)`, `p. 2` gives `2`, `115th Cong. 13` gives `13`;
//!    a hearing without one in the citation proper takes the `at N` of a
//!    parenthetical naming the transcript or statement: `(CQ Cong. Transcripts, at
//!    17)`).
//!
//! An item's **origin** is its source of knowledge: the witness of an interview or
//! testimony, the sender of a message, the account of a post, the outlet of news,
//! the speaker of a statement, the author of a document, otherwise the document
//! itself (its citation without pinpoint). Court filings follow one rule: a
//! defendant's plea documents (statement of offense, plea agreement, plea
//! hearing transcript) rest on the defendant's own admission, so their origin is
//! the defendant, by surname as interview reports name their witnesses
//! (`Statement of Offense, United States v. John Q. Roe, Jr.` and `Roe Statement
//! of Offense` give `Roe`, one account with `Roe 1/2/18 302`); any other filing
//! is its own origin, the filing in its case (`Complaint ¶ 3, United States v.
//! Jane Lee, No. …` gives `Complaint, United States v. Jane Lee`). A filing's
//! `who` stays empty. [`origin_key`] normalizes an origin for
//! comparison (case, periods, commas and spaces), so `Gates 1/30/18 302` and
//! `Gates 2/2/18 302` share the origin `Gates`. Redactions, legal authorities and
//! cross references have no origin: they are not an account of the facts (withheld
//! items are counted apart).
//!
//! The reader never guesses silently: what it cannot type is `other`, never dropped;
//! only prose is skipped. It is linear in the footnote's length (each layer scans
//! its range a bounded number of times; the patterns are `regex` automata) and caps
//! a footnote at [`MAX_FOOTNOTE_BYTES`].

use crate::model::{EvidenceKind, Signal};
use crate::{Error, Result};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The longest footnote text accepted (bytes); longer gives [`Error::TooLarge`].
pub const MAX_FOOTNOTE_BYTES: usize = 256 * 1024;

/// One cited item of a footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedItem {
    /// What is cited.
    pub kind: EvidenceKind,
    /// The interviewee, witness, sender, account, outlet, speaker or author.
    pub who: Option<String>,
    /// The recipients of a message or letter.
    pub to: Vec<String>,
    /// ISO 8601 date, full or partial.
    pub date: Option<String>,
    /// The pinpoint (`2–3`, `¶ 21(a)`).
    pub pin: Option<String>,
    /// The introductory signal in force.
    pub signal: Option<Signal>,
    /// The source of knowledge (see the module documentation), as written.
    pub origin: Option<String>,
    /// For `Id.` and `supra`: the earlier item this one refers to.
    pub refers_to: Option<ItemRef>,
    /// Byte offset of the item's text in the footnote text.
    pub start: usize,
    /// Byte offset just past the item's text.
    pub end: usize,
}

/// An earlier item: footnote number and index among that footnote's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemRef {
    /// The footnote number.
    pub footnote: u32,
    /// The index of the item in that footnote's list.
    pub index: usize,
}

/// Reads the footnotes of one work in order, resolving `Id.` and `supra` against
/// the items read before.
///
/// ```
/// use claimledger::text::evidence::EvidenceParser;
/// use claimledger::EvidenceKind;
///
/// let mut p = EvidenceParser::new();
/// let a = p.parse(1, "Gates 1/30/18 302, at 3; see also 2/2/18 Email, Gates to Smith.").unwrap();
/// assert_eq!(a[0].kind, EvidenceKind::Interview302);
/// assert_eq!(a[0].who.as_deref(), Some("Gates"));
/// assert_eq!(a[0].date.as_deref(), Some("2018-01-30"));
/// assert_eq!(a[0].pin.as_deref(), Some("3"));
/// assert_eq!(a[1].kind, EvidenceKind::Email);
/// let b = p.parse(2, "Id.").unwrap();
/// assert_eq!(b[0].kind, EvidenceKind::Email);
/// assert_eq!(b[0].origin.as_deref(), Some("Gates"));
/// ```
#[derive(Debug, Default, Clone)]
pub struct EvidenceParser {
    last: Option<(ItemRef, ParsedItem)>,
    history: Vec<(ItemRef, ParsedItem, String)>,
}

/// The items of one footnote read alone (`Id.` and `supra` stay unresolved:
/// [`EvidenceKind::Other`]).
pub fn parse_footnote(text: &str) -> Result<Vec<ParsedItem>> {
    EvidenceParser::new().parse(0, text)
}

/// The comparison key of an origin: lowercase, periods and commas dropped, spaces
/// collapsed (`Donald J. Trump, Jr.` and `donald j trump jr` are one origin).
pub fn origin_key(origin: &str) -> String {
    let mut out = String::with_capacity(origin.len());
    for w in origin.split(|c: char| c.is_whitespace() || c == '.' || c == ',').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            let c = if c == '’' { '\'' } else { c };
            out.extend(c.to_lowercase());
        }
    }
    out
}

impl EvidenceParser {
    /// A reader with nothing read yet.
    pub fn new() -> EvidenceParser {
        EvidenceParser::default()
    }

    /// Reads footnote `number`'s `text` into its items, in text order.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `text` is longer than [`MAX_FOOTNOTE_BYTES`].
    pub fn parse(&mut self, number: u32, text: &str) -> Result<Vec<ParsedItem>> {
        if text.len() > MAX_FOOTNOTE_BYTES {
            return Err(Error::TooLarge { what: "footnote text", len: text.len(), max: MAX_FOOTNOTE_BYTES });
        }
        let mut items: Vec<ParsedItem> = Vec::new();
        for sentence in sentences(text) {
            let mut signal: Option<Signal> = None;
            let mut prose = false;
            for clause in clauses(text, sentence) {
                self.read_clause(number, text, clause, &mut signal, &mut prose, &mut items);
            }
        }
        Ok(items)
    }

    fn push(&mut self, number: u32, text: &str, items: &mut Vec<ParsedItem>, item: ParsedItem) {
        let r = ItemRef { footnote: number, index: items.len() };
        let t = text.get(item.start..item.end).unwrap_or("").to_string();
        self.last = Some((r, item.clone()));
        if item.kind != EvidenceKind::Redacted {
            self.history.push((r, item.clone(), t));
        }
        items.push(item);
    }

    fn read_clause(
        &mut self,
        number: u32,
        text: &str,
        clause: Range<usize>,
        signal: &mut Option<Signal>,
        prose: &mut bool,
        items: &mut Vec<ParsedItem>,
    ) {
        let mut r = trim(text, clause);
        loop {
            if r.is_empty() {
                return;
            }
            let s = &text[r.clone()];
            // A leading redaction label.
            if let Some(len) = label_len(s) {
                let after = s[len..].trim_start();
                let stands = after.is_empty()
                    || after.starts_with(['.', ';', ',', '('])
                    || starts_signal(after).is_some()
                    || after.starts_with(|c: char| c.is_uppercase() || c == '[' || c.is_ascii_digit() || c == '@');
                if stands {
                    let item = bare(EvidenceKind::Redacted, r.start, r.start + len, *signal);
                    self.push(number, text, items, item);
                    let skip = s.len() - after.len();
                    let rest = r.start + skip;
                    let rest = if text[rest..r.end].starts_with(['.', ',']) { rest + 1 } else { rest };
                    r = trim(text, rest..r.end);
                    // An explanatory parenthetical of the withheld item.
                    if text[r.clone()].starts_with('(') {
                        return;
                    }
                    *prose = false;
                    continue;
                }
            }
            // A leading signal.
            if let Some((sig, len)) = starts_signal(s) {
                *signal = Some(sig);
                *prose = false;
                r = trim(text, r.start + len..r.end);
                continue;
            }
            break;
        }
        // Trailing redaction labels that stand as their own items.
        let mut trailing: Vec<Range<usize>> = Vec::new();
        let mut core = strip_end_punct(text, r.clone());
        while let Some(lr) = trailing_label(text, core.clone()) {
            let before = text[core.start..lr.start].trim_end();
            let party = before.is_empty()
                || before.ends_with('&')
                || before.ends_with(',')
                || ends_word(before, "to")
                || ends_word(before, "and");
            if party {
                break;
            }
            trailing.push(lr.clone());
            core = strip_end_punct(text, core.start..lr.start);
        }
        trailing.reverse();
        if !core.is_empty() {
            // A redaction label closing a document-number wrapper withholds what
            // the wrapped record names (`X0001 (Call Records of Roe [Grand Jury])`):
            // the record is read without it, and the label follows as its own item.
            let wrapped = wrapped_label(&text[core.clone()]).map(|l| core.start + l.start..core.start + l.end);
            let owned;
            let (s, item_end) = match &wrapped {
                Some(lr) => {
                    owned = format!("{}{}", text[core.start..lr.start].trim_end(), &text[lr.end..core.end]);
                    (owned.as_str(), trim(text, core.start..lr.start).end)
                }
                None => (&text[core.clone()], core.end),
            };
            // A citation followed by a withheld one is a citation, not prose.
            let had_signal = signal.is_some() || !trailing.is_empty();
            match self.classify(s, had_signal, *prose) {
                Some(c) => {
                    let item = ParsedItem {
                        kind: c.kind,
                        who: c.who,
                        to: c.to,
                        date: c.date,
                        pin: c.pin,
                        signal: *signal,
                        origin: c.origin,
                        refers_to: c.refers_to,
                        start: core.start,
                        end: item_end,
                    };
                    self.push(number, text, items, item);
                    if let Some(lr) = wrapped {
                        self.push(number, text, items, bare(EvidenceKind::Redacted, lr.start, lr.end, *signal));
                    }
                }
                None => {
                    *prose = true;
                    self.read_prose(number, text, core, items);
                    return;
                }
            }
        }
        for lr in trailing {
            let item = bare(EvidenceKind::Redacted, lr.start, lr.end, *signal);
            self.push(number, text, items, item);
        }
    }

    /// The citations a prose clause carries: `see ...` citations inside it, and
    /// cross references to other parts of the work (`... are discussed in Volume
    /// I, Section IV.A.8, supra`), in text order. Nothing else of prose is an item
    /// (a statute section named in a sentence is not a citation).
    fn read_prose(&mut self, number: u32, text: &str, core: Range<usize>, items: &mut Vec<ParsedItem>) {
        let s = &text[core.clone()];
        let mut found: Vec<(Range<usize>, Classified, Option<Signal>)> = Vec::new();
        for (inner, sig) in embedded_citations(s) {
            let range = strip_end_punct(text, core.start + inner.start..core.start + inner.end);
            if range.is_empty() {
                continue;
            }
            if let Some(c) = self.classify(&text[range.clone()], true, false)
                && c.kind != EvidenceKind::Other
            {
                found.push((range, c, Some(sig)));
            }
        }
        let top = mask_parens(s);
        for m in PROSE_XREF.find_iter(&top) {
            let range = core.start + m.start()..core.start + m.end();
            found.push((range, Classified::new(EvidenceKind::CrossReference), None));
        }
        found.sort_by_key(|(r, _, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut last = core.start;
        for (range, c, sig) in found {
            if range.start < last {
                continue; // inside an item already read
            }
            last = range.end;
            let item = ParsedItem {
                kind: c.kind,
                who: c.who,
                to: c.to,
                date: c.date,
                pin: c.pin,
                signal: sig,
                origin: c.origin,
                refers_to: c.refers_to,
                start: range.start,
                end: range.end,
            };
            self.push(number, text, items, item);
        }
    }

    /// Types one citation clause (signal and standing labels removed); `None` for
    /// prose.
    fn classify(&self, s: &str, cited: bool, after_prose: bool) -> Option<Classified> {
        // Id. and Ibid.
        if let Some(m) = ID.captures(s) {
            let rest = m.name("rest").map_or("", |x| x.as_str());
            return Some(match &self.last {
                Some((r, prev)) if prev.kind != EvidenceKind::Redacted => Classified {
                    kind: prev.kind,
                    who: prev.who.clone(),
                    to: prev.to.clone(),
                    date: prev.date.clone(),
                    pin: pinpoint(rest, prev.kind).or_else(|| prev.pin.clone()),
                    origin: prev.origin.clone(),
                    refers_to: Some(*r),
                },
                _ => Classified { pin: pinpoint(rest, EvidenceKind::Other), ..Classified::new(EvidenceKind::Other) },
            });
        }
        // supra
        if let Some(m) = SUPRA.captures(s)
            && m.name("short").is_some_and(|x| x.as_str().len() <= 120 && !looks_like_prose(x.as_str(), false))
        {
            let short = m.name("short").map_or("", |x| x.as_str()).trim();
            let rest = m.name("rest").map_or("", |x| x.as_str());
            if CROSS_REF.is_match(short) || short.is_empty() {
                return Some(Classified::new(EvidenceKind::CrossReference));
            }
            if let Some((r, prev, _)) = self.history.iter().rev().find(|(_, _, t)| t.contains(short)) {
                return Some(Classified {
                    kind: prev.kind,
                    who: prev.who.clone(),
                    to: prev.to.clone(),
                    date: prev.date.clone(),
                    pin: pinpoint(rest, prev.kind),
                    origin: prev.origin.clone(),
                    refers_to: Some(*r),
                });
            }
            let mut c = self.classify(short, true, false).unwrap_or_else(|| Classified::new(EvidenceKind::Other));
            c.pin = pinpoint(rest, c.kind);
            return Some(c);
        }
        if CROSS_REF.captures(s).is_some_and(|m| !statute_section(&m)) || INFRA.find(s).is_some_and(|m| m.end() <= 130)
        {
            return Some(Classified::new(EvidenceKind::CrossReference));
        }
        // A date alone (a list of dates in prose) is not a citation.
        if DATE_ONLY.is_match(s) {
            return None;
        }
        // A document-number wrapper: the item it wraps (an account number with its
        // name is a post, not a wrapper).
        if let Some(m) = WRAPPER.captures(s)
            && !SOCIAL.is_match(s)
            && is_wrapper(&m)
        {
            let id = m.name("id").map_or("", |x| x.as_str());
            if let Some(inner) = m.name("inner") {
                let mut c = self.strong(inner.as_str()).unwrap_or_else(|| {
                    let mut d = Classified::new(EvidenceKind::Document);
                    d.date = first_date(inner.as_str());
                    let (who, to) = from_to(inner.as_str());
                    d.who = who;
                    d.to = to;
                    d.origin = d.who.clone().or_else(|| Some(id.to_string()));
                    d
                });
                if c.pin.is_none() {
                    c.pin = pinpoint(m.name("tail").map_or("", |x| x.as_str()), c.kind);
                }
                return Some(c);
            }
        }
        if let Some(c) = self.strong(s) {
            return Some(c);
        }
        if !cited && looks_like_prose(s, after_prose) {
            return None;
        }
        Some(weak(s))
    }

    /// The specific forms, anchored at the start of the clause.
    fn strong(&self, s: &str) -> Option<Classified> {
        if let Some(m) = P302.captures(s).filter(|m| m.name("who").is_some_and(|w| w.as_str().chars().count() <= 80)) {
            let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
            let mut c = Classified::new(EvidenceKind::Interview302);
            c.date = m.name("date").and_then(|d| numeric_date(d.as_str()));
            c.pin = pinpoint(&s[m.get(0).map_or(0, |x| x.end())..], c.kind);
            c.origin = Some(who.clone());
            c.who = Some(who);
            return Some(c);
        }
        if let Some(m) = GRAND_JURY.captures(s) {
            let who = m.name("who").or(m.name("who2")).map(|x| clean_name(x.as_str()));
            let mut c = Classified::new(EvidenceKind::GrandJury);
            c.date = first_date(s);
            c.pin = pinpoint(s, c.kind);
            c.origin = who.clone().or_else(|| Some(strip_pin(s)));
            c.who = who;
            return Some(c);
        }
        if let Some(m) = MESSAGE.captures(s) {
            let word = m.name("kind").map_or("", |x| x.as_str());
            let kind =
                if word.to_lowercase().contains("mail") { EvidenceKind::Email } else { EvidenceKind::TextMessage };
            let body_start = m.get(0).map_or(0, |x| x.end());
            let body = &s[body_start..];
            let (parties, tail) = parties_of(body);
            let (who, to) = split_parties(parties);
            let mut c = Classified::new(kind);
            c.date = m.name("date").and_then(|d| numeric_date(d.as_str())).or_else(|| first_date(tail));
            c.pin = pinpoint(tail, kind);
            c.origin = who.clone().or_else(|| Some(strip_pin(s)));
            c.who = who;
            c.to = to;
            return Some(c);
        }
        if let Some(m) = HANDLE_POST.captures(s) {
            let who = m.name("who").map(|x| x.as_str().to_string());
            let mut c = Classified::new(EvidenceKind::SocialPost);
            c.date = first_date(s);
            c.origin = who.clone();
            c.who = who;
            return Some(c);
        }
        if let Some(m) = SOCIAL.captures(s) {
            let lead = m.name("lead").map(|x| clean_name(x.as_str()));
            let mut c = Classified::new(EvidenceKind::SocialPost);
            c.date = first_date(s);
            c.who = ACCOUNT_NAME
                .captures(s)
                .and_then(|m| m.name("name").map(|x| x.as_str().trim().to_string()))
                .or_else(|| HANDLE.find(s).map(|x| x.as_str().to_string()))
                .or(lead);
            c.origin = c.who.clone().or_else(|| Some(strip_pin(s)));
            return Some(c);
        }
        if let Some(m) = INTERVIEW_OF.captures(s) {
            let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
            let mut c = Classified::new(EvidenceKind::InterviewOther);
            c.date = first_date(s);
            c.pin = pinpoint(s, c.kind);
            c.origin = Some(who.clone());
            c.who = Some(who);
            return Some(c);
        }
        if HEARING.is_match(s) {
            let mut c = Classified::new(EvidenceKind::Hearing);
            c.date = first_date(s);
            c.pin = pinpoint(s, c.kind).or_else(|| parenthetical_pin(s));
            c.who = TESTIMONY_OF.captures(s).and_then(|m| m.name("who").map(|x| strip_titles(x.as_str())));
            c.origin = c.who.clone().or_else(|| Some(strip_pin(s)));
            return Some(c);
        }
        if let Some(m) =
            SHORT_STMT.captures(s).filter(|m| m.name("who").is_some_and(|w| w.as_str().chars().count() <= 60))
        {
            let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
            let mut c = Classified::new(EvidenceKind::PublicStatement);
            c.date = first_date(s);
            c.pin = pinpoint(s, c.kind);
            c.origin = Some(who.clone());
            c.who = Some(who);
            return Some(c);
        }
        if let Some(m) =
            AUTHORED_DOC.captures(s).filter(|m| m.name("who").is_some_and(|w| w.as_str().chars().count() <= 60))
        {
            let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
            let mut c = Classified::new(EvidenceKind::Document);
            c.date = m.name("date").and_then(|d| numeric_date(d.as_str()));
            c.pin = pinpoint(s, c.kind);
            c.origin = Some(who.clone());
            c.who = Some(who);
            return Some(c);
        }
        if let Some(m) = LETTER.captures(s) {
            let body = &s[m.get(0).map_or(0, |x| x.end())..];
            let (parties, tail) = parties_of(body);
            let (who, to) = split_parties(parties);
            let mut c = Classified::new(EvidenceKind::Document);
            c.date = m.name("date").and_then(|d| numeric_date(d.as_str())).or_else(|| first_date(tail));
            c.pin = pinpoint(tail, c.kind);
            c.origin = who.clone().or_else(|| Some(strip_pin(s)));
            c.who = who;
            c.to = to;
            return Some(c);
        }
        None
    }
}

/// What typing found, before the span and signal are added.
#[derive(Debug, Clone)]
struct Classified {
    kind: EvidenceKind,
    who: Option<String>,
    to: Vec<String>,
    date: Option<String>,
    pin: Option<String>,
    origin: Option<String>,
    refers_to: Option<ItemRef>,
}

impl Classified {
    fn new(kind: EvidenceKind) -> Classified {
        Classified { kind, who: None, to: Vec::new(), date: None, pin: None, origin: None, refers_to: None }
    }
}

fn bare(kind: EvidenceKind, start: usize, end: usize, signal: Option<Signal>) -> ParsedItem {
    ParsedItem {
        kind,
        who: None,
        to: Vec::new(),
        date: None,
        pin: None,
        signal,
        origin: None,
        refers_to: None,
        start,
        end,
    }
}

/// The weaker forms, tried once a clause is known not to be prose.
fn weak(s: &str) -> Classified {
    let top = mask_parens(s);
    let date = first_date(s);
    let mut c;
    let tail = OUTLET_TAIL.captures(s);
    let outlet = tail
        .as_ref()
        .and_then(|m| m.name("outlet").map(|x| x.as_str().trim().to_string()))
        .filter(|o| o.chars().count() <= 60);
    // The date of a publication is the one after its outlet.
    let tail_date = tail.as_ref().and_then(|m| m.name("when")).and_then(|w| earliest_date(w.as_str()));
    let speaker = SPEAKER
        .captures(s)
        .and_then(|m| m.name("who").or(m.name("who2")).or(m.name("who3")).map(|x| first_of_and(x.as_str())))
        .filter(|w| !EVENT_WORDS.contains(&w.as_str()));
    if let Some(out) = outlet.as_deref()
        && KNOWN_OUTLET.is_match(out)
        && speaker.is_none()
    {
        c = Classified::new(EvidenceKind::News);
        c.date = tail_date.or(date);
        c.pin = pinpoint(s, c.kind);
        c.origin = Some(out.to_string());
        c.who = Some(out.to_string());
        return c;
    }
    if LEGAL.is_match(&top) {
        c = Classified::new(EvidenceKind::LegalAuthority);
        c.pin = pinpoint(s, EvidenceKind::LegalAuthority);
        c.date = date;
        return c;
    }
    // A transcript of a speech is the speaker's statement, not a court record:
    // `Transcript` alone does not make a filing when a speaker is named.
    let court = COURT.find_iter(s).any(|m| speaker.is_none() || m.as_str() != "Transcript");
    if court || CASE_DOCKET.is_match(&top) {
        c = Classified::new(EvidenceKind::CourtFiling);
        c.pin = pinpoint(s, EvidenceKind::CourtFiling);
        c.date = date;
        c.origin = Some(defendants_account(s).unwrap_or_else(|| filing_origin(s)));
        return c;
    }
    if GOV_REPORT.is_match(&top) {
        c = Classified::new(EvidenceKind::GovernmentReport);
        c.date = date;
        c.pin = pinpoint(s, c.kind);
        c.origin = Some(strip_pin(s));
        return c;
    }
    if let Some(who) = speaker {
        c = Classified::new(EvidenceKind::PublicStatement);
        c.date = tail_date.or(date);
        c.pin = pinpoint(s, c.kind);
        c.origin = Some(who.clone());
        c.who = Some(who);
        return c;
    }
    if let Some(m) = CHANNEL.captures(s) {
        let who = m.name("name").map(|x| clean_name(x.as_str()));
        c = Classified::new(EvidenceKind::SocialPost);
        c.date = date;
        c.origin = who.clone();
        c.who = who;
        return c;
    }
    if let Some(out) = outlet.clone() {
        if let Some(m) = STATEMENT_SUFFIX.captures(&out) {
            let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
            c = Classified::new(EvidenceKind::PublicStatement);
            c.date = tail_date.or(date);
            c.origin = Some(who.clone());
            c.who = Some(who);
            return c;
        }
        let official = OFFICIAL.is_match(&out) || STATEMENT_TITLE.is_match(s);
        if official {
            c = Classified::new(EvidenceKind::PublicStatement);
        } else if KNOWN_OUTLET.is_match(&out) || s.matches(',').count() >= 2 || s.contains('“') || s.contains('"') {
            c = Classified::new(EvidenceKind::News);
        } else {
            c = Classified::new(EvidenceKind::Document);
        }
        c.date = tail_date.or(date);
        c.pin = pinpoint(s, c.kind);
        c.origin = Some(out.clone());
        c.who = Some(out);
        return c;
    }
    // `Author, “Title” (Date)`: a publication of its author.
    if let Some(m) = AUTHOR_TITLE.captures(s) {
        let who = clean_name(m.name("who").map_or("", |x| x.as_str()));
        let stated = OFFICIAL.is_match(&who) || STATEMENT_TITLE.is_match(m.name("title").map_or("", |x| x.as_str()));
        c = Classified::new(if stated { EvidenceKind::PublicStatement } else { EvidenceKind::Document });
        c.date = date;
        c.pin = pinpoint(s, c.kind);
        c.origin = Some(who.clone());
        c.who = Some(who);
        return c;
    }
    if SOCIAL_WORD.is_match(&top) {
        c = Classified::new(EvidenceKind::SocialPost);
        c.date = date;
        c.origin = Some(strip_pin(s));
        return c;
    }
    let pin = pinpoint(s, EvidenceKind::Document);
    if RECORD.is_match(&top) || DOC_NUMBER.is_match(&top) || pin.is_some() || WEB.is_match(s) {
        c = Classified::new(EvidenceKind::Document);
        c.date = date;
        c.pin = pin;
        let (who, to) = from_to(s);
        c.who = who.or_else(|| PUBLISHER_URL.captures(s).and_then(|m| m.name("who").map(|x| clean_name(x.as_str()))));
        c.to = to;
        c.origin = c.who.clone().or_else(|| Some(strip_pin(s)));
        return c;
    }
    c = Classified::new(EvidenceKind::Other);
    c.date = date;
    c.origin = Some(strip_pin(s));
    c
}

fn re(p: &str) -> Regex {
    // Kept small for the regex engine's fast automata (every clause meets a
    // dozen patterns): ASCII word boundaries (a Unicode `\b` keeps the engine off
    // its DFAs on text with curly quotes and dashes, every footnote; the words the
    // patterns bound are ASCII), and no long counted repetition (`{2,60}` copies
    // its class sixty times into the automaton; the lengths that matter are
    // checked in code instead).
    // Digits are written `[0-9]`: the Unicode `\d` (the decimal digits of every
    // script) made building the patterns about 30% costlier, and the numbers the
    // parser reads are parsed with `str::parse`, which takes ASCII digits only.
    debug_assert!(!p.contains(r"\d"), "evidence pattern {p:?}: write digits as [0-9]");
    let p = unbounded(&p.replace(r"\b", r"(?-u:\b)"));
    // The patterns are constants of this module, checked by its tests.
    Regex::new(&p).unwrap_or_else(|e| panic!("evidence pattern {p:?}: {e}"))
}

/// Letters of names: Latin, with the accented letters of Latin-1 and Latin
/// Extended-A (a smaller automaton than every Unicode letter).
const NAME: &str = r"[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž’'.\-]*(?:,? (?:(?:Jr|Sr)\b\.?|(?:II|III)\b)|\s+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž’'.\-]*|for|of|de|von|van|al|el|bin))*";
const NUMDATE: &str = r"[0-9]{1,2}/[0-9]{1,2}(?:[–\-][0-9]{1,2})?/(?:[0-9]{4}|[0-9]{2})";

static ID: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:Id\.|Ibid\.?)(?P<rest>.*)$"));
static SUPRA: LazyLock<Regex> = LazyLock::new(|| re(r"^(?P<short>.*?),?\s*\bsupra\b(?P<rest>.*)$"));
static INFRA: LazyLock<Regex> = LazyLock::new(|| re(r"^[^()]{0,120}\binfra\b"));
static CROSS_REF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:the\s+)?(?:Volume|Vol\.)\s+[IVX]+\b|(?:Part|Section|Appendix|Chapter)\s+(?P<num>[IVX0-9]+)(?:\.[A-Za-z0-9]+)*\b(?P<sub>\()?|(?:supra|infra)\s+(?:note|Part|Section)\b)",
    )
});
/// A cross reference carried by a prose sentence: a volume with its section or
/// part, or a section or part with `supra`/`infra`, or `supra note N`.
static PROSE_XREF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:Volume|Vol\.)\s+[IVX]+,?\s+(?:Section|Part)\s+[IVX]+(?:\.[A-Za-z0-9]+)*(?:,?\s+(?:supra|infra)\b)?|\b(?:Volume|Vol\.)\s+[IVX]+,?\s+(?:supra|infra)\b|\b(?:Section|Part)\s+[IVX]+(?:\.[A-Za-z0-9]+)*,?\s+(?:supra|infra)\b|\b(?:supra|infra)\s+(?:note\s+[0-9]+|(?:Part|Section)\s+[IVX]+(?:\.[A-Za-z0-9]+)*)",
    )
});
static WRAPPER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<id>(?:[A-Z][A-Za-z0-9]*(?:[ _\-][A-Za-z0-9]+)*[0-9]|[0-9]{5,})(?:[–\-][0-9]+)?)\s*\((?P<inner>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*(?P<tail>.*)$",
    )
});
static P302: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(?P<who>[^()0-9;]{{1,80}}?),?\s+(?P<date>{NUMDATE})\s+302s?\b")));
static GRAND_JURY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?P<who>{NAME}),?\s+(?:{NUMDATE}\s+)?Grand\s+Jury\s+(?:Testimony|Tr\.|Transcript)|Grand\s+Jury\s+(?:Testimony|Transcript)\s+of\s+(?P<who2>{NAME}))"
    ))
});
static MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?P<date>{NUMDATE})\s+)?(?P<kind>(?i:E-?mails?|Text\s+Messages?|Texts?|(?:Twitter|Facebook|Instagram|LinkedIn|WhatsApp|Signal|Telegram|Skype|Wickr|VK)\s+(?:DMs?|Direct\s+Messages?|Messages?|Chats?)|iMessages?|Direct\s+Messages?|Messages?|Chats?))\s*(?:,\s*|\s+from\s+|\s+between\s+)"
    ))
});
static LETTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?P<date>{NUMDATE})\s+)?(?:Letters?|Memorandum|Memo|Fax|Note|Notes|Invitation)\s*(?:,\s*|\s+from\s+)"
    ))
});
static AUTHORED_DOC: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?P<who>[^()0-9;,]{{1,60}}?)\s+(?P<date>{NUMDATE})\s+(?:Draft\s+)?(?:Notes?|Memorandum|Memo|Letter|Calendar|Diary|Journal|Log|Statement|Declaration|Affidavit|Summary|Talking Points|Electronic Communications?|Cable|Readout|Minutes)\b"
    ))
});
static HANDLE: LazyLock<Regex> = LazyLock::new(|| re(r"@[A-Za-z0-9_]{1,50}"));
static HANDLE_POST: LazyLock<Regex> = LazyLock::new(|| re(r"^(?P<who>@[A-Za-z0-9_]{1,50})\b"));
static SOCIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?P<lead>{NAME})\s+)?(?:{NUMDATE}\s+)?(?:Facebook|Instagram|Twitter|YouTube|VK|VKontakte|Tumblr|Reddit|Gab|Truth Social|Telegram)\s+(?i:Advertisements?|Ads?|Posts?|Pages?|Accounts?|Groups?|Events?|ID|Videos?|Tweets?|Stories|Story)\b|^(?:{NUMDATE}\s+)?(?:Tweets?|Retweets?)\b"
    ))
});
static ACCOUNT_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:ID|Account|Page|User)\s*[0-9]{3,}\s*\((?P<name>[^()]{1,80})\)"));
static CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:YouTube|Facebook|Instagram|Twitter|Telegram|VK)\s+(?:Channel|Page|Account|Group)\s+(?P<name>[^,()]{1,80}?)\s*(?:,|\(|$)",
    )
});
static STATEMENT_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?P<who>.{2,80}?)\s+(?:Press Release|Statement|Remarks|Press Briefing|Briefing|Announcement)$")
});
static PUBLISHER_URL: LazyLock<Regex> =
    LazyLock::new(|| re(r",\s*(?P<who>[^,()]{2,80}?),\s*(?:available\s+at|at)\s+(?:https?://|www\.)"));
static INTERVIEW_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:Transcript of\s+)?(?:(?:Interview|Deposition|Examination)\s+of:?|Written\s+(?:Responses|Answers)\s+of|Responses\s+of)\s+(?:President\s+)?(?P<who>{NAME})"
    ))
});
static HEARING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:^(?:[^()]*\b)?hearings?\b[^()]*\b(?:before|cong\.|committee|senate|house|subcommittee)|^testimony\s+(?:of|by|before)\b|^[^()]*\bcong\.\s*\(|\(\s*(?:testimony|prepared statement|statement for the record)\s+(?:of|by)\b)",
    )
});
static TESTIMONY_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i:testimony|prepared statement|statement for the record|statement)\s+(?:of|by)\s+(?P<who>[^(),;]{1,100})")
});
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b[0-9]+\s+(?:U\.\s?S\.|S\.\s?Ct\.|L\.\s?Ed\.(?:\s?2d)?|F\.(?:\s?(?:2d|3d|4th))?|F\.\s?Supp\.(?:\s?(?:2d|3d))?|F\.\s?App[’']x|A\.(?:2d|3d)|N\.E\.(?:2d|3d)?|N\.W\.(?:2d)?|S\.E\.(?:2d)?|S\.W\.(?:2d|3d)?|P\.(?:2d|3d)|So\.\s?(?:2d|3d)?|B\.R\.|Op\.\s?O\.L\.C\.|Op\.\s?Att[’']y\s?Gen\.|Fed\.\s?Reg\.|Stat\.|U\.S\.C\.|C\.F\.R\.)\s*(?:§+\s*)?[0-9]|\bU\.S\.C\.|\bC\.F\.R\.|\bU\.S\.\s+Const\.|\bPub\.\s?L\.|\bWL\s?[0-9]+|\bO\.L\.C\.|\bFed\.\s?R\.\s?(?:Crim|Civ|Evid|App)\.|\bU\.S\.S\.G\.|\bJustice Manual\b|\bRestatement\b|^(?:Federal\s+)?Law\s+(?:of|on)\b|\bExecutive Order\b|\bAct of [0-9]{4}\b|\b[0-9]+\s+U\.S\.\s+at\s+[0-9]",
    )
});
static COURT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:Indictment|Complaint|Criminal Information|Information,\s+United States|Statement of (?:the )?Offense|Plea Agreement|Plea Agmt\.|Sentencing Mem(?:orandum|\.)|Sentencing Submission|Transcript|Tr\.\s+at|Docket|Dkt\.|Doc\.\s*[0-9]|Superseding|Affidavit in Support|Detention Memo|Criminal No\.|No\.\s*[0-9]+:[0-9]+-c[rv]-|\(D\.\s?D\.\s?C\.|\((?:S|E|N|W|C|M)\.D\.|\([0-9]+(?:st|nd|rd|th)\s+Cir\.)",
    )
});
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:Full|Complete|Partial|Official)\s+)?(?:Transcripts?(?:\s+of)?\s*:?\s+)?(?:(?:Remarks|Comments?|Statement|Press Release|Press Conference|News Conference|Press Briefing|Briefing|Speech|Address)\s+(?:by|of|from)\s+(?P<who>[^,()]{2,100}?)(?:\s+(?:in|at|on|before|to|after|during|regarding|about|upon|following)\s|,|\(|$)|(?P<who2>(?:President|Vice President|Senator|Secretary|Governor|Candidate)\s[^,()]{1,60}?)\s+(?:Remarks|Speech|Statement|Address)\b|(?P<who3>(?:[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž’'.\-]*\s+){0,3}?[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž’'.\-]*)(?:[’']s)?(?:\s+[A-Z]{2,})?\s+(?:Remarks|Speech|Address|News Conference|Press Conference|Rally)\b)",
    )
});
/// Words that open the title of a speech without naming its speaker
/// (`Opening Remarks`, `Inaugural Address`).
const EVENT_WORDS: &[&str] = &[
    "Opening",
    "Closing",
    "Prepared",
    "Written",
    "Joint",
    "Keynote",
    "Public",
    "Official",
    "Inaugural",
    "Farewell",
    "Victory",
    "Concession",
    "Campaign",
    "Full",
    "Partial",
    "Transcript",
    "The",
];
/// The short form of a person's written statement: `Roe Stmt.` or `Roe
/// Statement`, with nothing after it but a pinpoint or a parenthetical.
static SHORT_STMT: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(?P<who>{NAME})\s+(?:Stmt\.|Statement)(?:,?\s+at\s+\S.*|\s*\(.*|\s*)$")));
static STATEMENT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Statement|Press Release|Announcement|Remarks|Readout|Joint Statement|Press Briefing|Briefing|Fact Sheet)\b",
    )
});
static OFFICIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:White House|Department|Dep[’']t|Ministry|Embassy|Office|Agency|Bureau|Administration|Government|Kremlin|Council|Commission|Treasury|Senate|House|Campaign)\b",
    )
});
static GOV_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:Intelligence Community Assessment|Inspector General|Office of (?:the )?Director of National Intelligence|ODNI|GAO|Congressional Research Service|Joint Statement from the Department of Homeland Security)\b|^(?:[^,]*,\s*)?(?:Report|Assessment)\s+(?:of|on|by)\b",
    )
});
static OUTLET_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[,”\.])\s*[”\x22]?\s*(?P<outlet>[^,()“”]{2,60}?)\s*,?\s*\((?P<when>(?:[^()]*\s)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+[0-9]{1,2}[,.])?\s+[0-9]{4})[^()]*\)",
    )
});
static AUTHOR_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?P<who>[^,“”()]{2,60}),\s*[“\x22](?P<title>[^”\x22]{1,300})[”\x22],?\s*(?:[^()]{0,80})\("));
static CASE_DOCKET: LazyLock<Regex> = LazyLock::new(|| re(r"\bv\.\s.*\bNo\.\s*[0-9]|\b[0-9]+:[0-9]+-c[rv]-[0-9]"));
static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:and\s+|or\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+[0-9]{1,2},?\s+[0-9]{4}$")
});
static WEB: LazyLock<Regex> = LazyLock::new(|| re(r"https?://|\bwww\.|\bavailable at\b"));
static KNOWN_OUTLET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:the\s+)?(?:new york times|washington post|wall street journal|cnn|nbc|nbc news|abc|abc news|cbs|cbs news|fox news|fox business|msnbc|reuters|associated press|ap|bloomberg|politico|politico\.com|buzzfeed(?: news)?|guardian|upi|cnbc|c-span|national review|axios|hill|daily beast|yahoo(?:!)? news|time|newsweek|atlantic|new yorker|vanity fair|mother jones|slate|breitbart|daily caller|rt|sputnik|tass|interfax|ria novosti|financial times|forbes|npr|pbs|bbc|vox|huffpost|huffington post|usa today|los angeles times|chicago tribune|boston globe|mcclatchy|business insider|wired|vice|propublica|talking points memo|washington examiner|washington times|new york post|daily mail|telegraph|independent|kommersant|vedomosti|rbc|meduza|kyiv post|newsmax|one america news|infowars)$",
    )
});
static SOCIAL_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:Tweets?|Retweets?|Facebook Post|Instagram Post)\b"));
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:records?|data|logs?|calendars?|invoices?|agreements?|contracts?|memorand(?:um|a)|memos?|letters?|notes|receipts?|itinerar(?:y|ies)|passports?|visas?|applications?|forms?|registrations?|minutes|agendas?|presentations?|attachments?|drafts?|documents?|spreadsheets?|photo(?:graph)?s?|videos?|recordings?|statements?|reports?|filings?|serials?|files?|emails?|messages?|manifests?|transcripts?|questionnaires?|responses?|summar(?:y|ies)|talking points|proposals?|term sheets?|chats?|entr(?:y|ies)|histor(?:y|ies)|schedules?|exhibits?|connections|profiles?|websites?|web pages?|images?|proffers?|affidavits?|declarations?|depositions?|orders?|income|loans?|transfers?)\b",
    )
});
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^[A-Z]{2,}[A-Za-z0-9]*(?:[_\-][A-Za-z0-9]+)*[0-9]\b|^[A-Z][A-Za-z]*[ _\-]?[0-9]{4,}|\bSM-[0-9]")
});
static DATE_NUM: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b([0-9]{1,2})/([0-9]{1,2})(?:[–\-][0-9]{1,2})?/([0-9]{4}|[0-9]{2})\b"));
static DATE_TXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)\s+(?:([0-9]{1,2})[,.]?\s+)?([0-9]{4})\b",
    )
});
static YEAR_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\((?:[^()]*\s)?((?:19|20)[0-9][0-9])\)"));
static SIGNAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?P<seeegalso>[Ss]ee also,? e\.g\.,?)|(?P<seeeg>[Ss]ee,? e\.g\.,?)|(?P<seealso>[Ss]ee also)|(?P<seegen>[Ss]ee generally)|(?P<butsee>[Bb]ut see)|(?P<butcf>[Bb]ut cf\.)|(?P<cf>[Cc]f\.)|(?P<compare>[Cc]ompare)|(?P<accord>[Aa]ccord)|(?P<contra>[Cc]ontra)|(?P<eg>[Ee]\.g\.,?)|(?P<see>[Ss]ee))(?:[\s,]+|$)",
    )
});
static EMBEDDED: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[,(;—]\s*)(?P<sig>see also|see, e\.g\.,|see|cf\.)\s+"));

/// `p` with every counted repetition `{n,m}` of m >= 20 made `{n,}`.
fn unbounded(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let close = tail.find('}').unwrap_or(0);
        let inner = tail.get(1..close).unwrap_or("");
        match inner.split_once(',') {
            Some((lo, hi))
                if !lo.is_empty()
                    && lo.bytes().all(|b| b.is_ascii_digit())
                    && hi.parse::<u32>().is_ok_and(|h| h >= 20) =>
            {
                out.push('{');
                out.push_str(lo);
                out.push_str(",}");
                rest = &tail[close + 1..];
            }
            _ => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a `Section N` at the start of a clause names a statute's section
/// rather than a part of the work: an Arabic number of three or more digits, or
/// one followed by a parenthesized subsection (`Section 1512(c)(2)`). Parts of a
/// work are numbered in Roman numerals or small numbers (`Section IV.A.8`).
fn statute_section(m: &regex::Captures<'_>) -> bool {
    m.name("num").is_some_and(|n| {
        let n = n.as_str();
        n.bytes().all(|b| b.is_ascii_digit()) && (n.len() >= 3 || m.name("sub").is_some())
    })
}

/// A footnote split into sentence ranges.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut paren = 0usize;
    let mut bracket = 0usize;
    let mut quote = false;
    for (i, c) in text.char_indices() {
        match c {
            '(' if bracket == 0 => paren += 1,
            ')' if bracket == 0 => paren = paren.saturating_sub(1),
            '[' => bracket += 1,
            ']' => bracket = bracket.saturating_sub(1),
            '“' => quote = true,
            '”' => quote = false,
            '"' => quote = !quote,
            _ => {}
        }
        // `!` does not end a footnote sentence (`Yahoo! News`); a redaction label
        // followed by a capitalized word does (`[Grand Jury] After the call, ...`).
        let label_end = c == ']' && bracket == 0 && paren == 0 && !quote && closes_label(&text[start..=i]);
        let ends = (matches!(c, '.' | '?' | '”' | '"') && paren == 0 && bracket == 0 && !quote) || label_end;
        if !ends {
            continue;
        }
        if matches!(c, '”' | '"') {
            let prev = text[..i].chars().next_back();
            // A quotation closing with `.`, `?` or `!` ends its sentence (a
            // bare `!` does not: `Yahoo! News`).
            if !matches!(prev, Some('.' | '?' | '!')) {
                continue;
            }
        }
        let end = i + c.len_utf8();
        let rest = &text[end..];
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            continue;
        }
        let Some(next) = after.chars().next() else { continue };
        if !(next.is_uppercase() || next.is_ascii_digit() || matches!(next, '@' | '[' | '“' | '"')) {
            continue;
        }
        if label_end && starts_signal(after).is_some() {
            continue; // `[Grand Jury] See ...` is read clause by clause
        }
        if c == '.' && abbreviation(&text[start..i]) {
            continue;
        }
        out.push(start..end);
        start = end;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Whether `s` ends with a redaction label.
fn closes_label(s: &str) -> bool {
    s.rfind('[').is_some_and(|open| label_len(&s[open..]) == Some(s.len() - open))
}

/// Whether the word ending `before` (just before a period) is an abbreviation.
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"').next().unwrap_or("");
    if word.is_empty() || word.ends_with([')', '”', '"', '’', '/']) || word.contains("://") {
        return false;
    }
    if word.contains('.') {
        return true; // D.D.C, U.S, e.g, a.m
    }
    let mut chars = word.chars();
    if let (Some(first), None) = (chars.next(), chars.next())
        && first.is_alphabetic()
    {
        return true; // an initial or p
    }
    const ABBR: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "No", "Nos", "Doc", "Dkt", "Cong", "Sess", "Rep", "Sen", "Inc",
        "Co", "Corp", "Ltd", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "Vol", "pp", "v", "vs", "cf", "Cf", "al", "Mem", "Supp", "Ct", "Cir", "App", "Stat", "Reg", "Fed", "Ave",
        "Dist", "Gen", "Gov", "Pres", "Amb", "Lt", "Col", "Sgt", "approx", "Tr", "Ex", "Id", "Ibid", "Dep’t", "Gov’t",
        "Att’y", "Ass’n", "Dep't", "Gov't", "Att'y", "Ass'n", "Op", "Sec", "Admin", "Comm", "Subcomm", "Hr'g", "Hr’g",
        "Agmt", "Ltr", "Msg", "Prelim", "Pet", "Br", "Resp", "Mot", "Def", "Sent", "Pub", "Decl", "Opp", "Cert", "Aff",
        "Exh", "Const", "Art", "Exec", "Intl", "Int’l", "Nat’l", "Ass’t", "Sup", "Stmt",
    ];
    ABBR.contains(&word)
}

/// A sentence split into citation clauses at top-level semicolons.
fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let s = &text[sentence.clone()];
    let mut start = 0;
    let mut paren = 0usize;
    let mut bracket = 0usize;
    let mut quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '(' if bracket == 0 => paren += 1,
            ')' if bracket == 0 => paren = paren.saturating_sub(1),
            '[' => bracket += 1,
            ']' => bracket = bracket.saturating_sub(1),
            '“' => quote = true,
            '”' => quote = false,
            '"' => quote = !quote,
            ';' if paren == 0 && bracket == 0 && !quote => {
                out.push(sentence.start + start..sentence.start + i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(sentence.start + start..sentence.end);
    out
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.get(r.clone()).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    r.start + lead..r.start + lead + t.len()
}

/// Drops trailing periods, commas and spaces (not a period that ends an
/// abbreviation such as `Jr.` or `et al.`, which belongs to the citation).
fn strip_end_punct(text: &str, r: Range<usize>) -> Range<usize> {
    let mut r = trim(text, r);
    loop {
        let s = &text[r.clone()];
        if s.ends_with(',') || s.ends_with(';') {
            r.end -= 1;
        } else if let Some(body) = s.strip_suffix('.') {
            let last = body.rsplit(char::is_whitespace).next().unwrap_or("");
            let initial = last.chars().count() == 1;
            if !initial && abbreviation(body) && !last.chars().all(|c| c.is_ascii_digit()) {
                break;
            }
            r.end -= 1;
        } else {
            break;
        }
        r = trim(text, r);
    }
    r
}

/// The byte length of a redaction label `[Label]` at the start of `s`.
fn label_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(']')?;
    let inner = &rest[..close];
    let ok = inner.chars().count() >= 2
        && inner.chars().next().is_some_and(char::is_uppercase)
        && inner.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '’' || c == '\'');
    if !ok {
        return None;
    }
    let len = close + 2;
    // `[T]he`: an alteration inside a word, not a label.
    if s[len..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some(len)
}

/// A redaction label ending the range.
fn trailing_label(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    if !s.ends_with(']') {
        return None;
    }
    let open = s.rfind('[')?;
    let len = label_len(&s[open..])?;
    (open + len == s.len()).then(|| r.start + open..r.end)
}

/// Whether a [`WRAPPER`] match is a document number wrapping a description,
/// not a statute's subsection in a sentence (`Section 1512(c)(2) is not ...`):
/// the parenthetical describes (it is more than a subsection letter or number)
/// and what follows it is no prose.
fn is_wrapper(m: &regex::Captures<'_>) -> bool {
    let inner = m.name("inner").map_or("", |x| x.as_str()).trim();
    let tail = m.name("tail").map_or("", |x| x.as_str());
    let subsection = inner.chars().count() <= 4 && inner.chars().all(|c| c.is_ascii_alphanumeric());
    let prose_follows = tail.split_whitespace().count() >= 3 && looks_like_prose(tail, false);
    !(subsection || prose_follows)
}

/// A redaction label standing at the end of a document-number wrapper's
/// parenthetical (`X0001 (Call Records of Roe [Grand Jury])`), relative to `s`;
/// not one that is a party of a wrapped message (`(Email, Roe to [Personal
/// Privacy])`).
fn wrapped_label(s: &str) -> Option<Range<usize>> {
    let m = WRAPPER.captures(s).filter(is_wrapper)?;
    let inner = m.name("inner")?;
    let r = trim(s, inner.start()..inner.end());
    let lr = trailing_label(s, r.clone())?;
    let before = s[r.start..lr.start].trim_end();
    let party = before.is_empty()
        || before.ends_with('&')
        || before.ends_with(',')
        || ends_word(before, "to")
        || ends_word(before, "and");
    (!party).then_some(lr)
}

fn starts_signal(s: &str) -> Option<(Signal, usize)> {
    let m = SIGNAL.captures(s)?;
    let len = m.get(0)?.end();
    let sig = if m.name("seeegalso").is_some() || m.name("seealso").is_some() {
        Signal::SeeAlso
    } else if m.name("seeeg").is_some() {
        Signal::SeeEg
    } else if m.name("seegen").is_some() {
        Signal::SeeGenerally
    } else if m.name("butsee").is_some() {
        Signal::ButSee
    } else if m.name("butcf").is_some() {
        Signal::ButCf
    } else if m.name("cf").is_some() {
        Signal::Cf
    } else if m.name("compare").is_some() {
        Signal::Compare
    } else if m.name("accord").is_some() {
        Signal::Accord
    } else if m.name("contra").is_some() {
        Signal::Contra
    } else if m.name("eg").is_some() {
        Signal::Eg
    } else {
        Signal::See
    };
    // "See" followed by lowercase prose ("see whether") is a verb, not a signal:
    // a citation follows a signal.
    let rest = &s[len..];
    if rest.is_empty() {
        return None;
    }
    Some((sig, len))
}

fn ends_word(s: &str, w: &str) -> bool {
    s.strip_suffix(w).is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace))
}

/// `see ...` citations inside a prose clause: (range relative to the clause, signal).
fn embedded_citations(s: &str) -> Vec<(Range<usize>, Signal)> {
    let mut out = Vec::new();
    for m in EMBEDDED.captures_iter(s) {
        let (Some(all), Some(sig)) = (m.get(0), m.name("sig")) else { continue };
        let signal = match sig.as_str() {
            "see also" => Signal::SeeAlso,
            "see, e.g.," => Signal::SeeEg,
            "cf." => Signal::Cf,
            _ => Signal::See,
        };
        let start = all.end();
        let rest = &s[start..];
        // The citation runs to a comma or parenthesis followed by lowercase prose,
        // or to the end.
        let mut end = rest.len();
        let bytes: Vec<(usize, char)> = rest.char_indices().collect();
        for (k, &(i, c)) in bytes.iter().enumerate() {
            if c == ',' || c == ')' || c == '—' {
                let next = bytes.get(k + 1..).unwrap_or(&[]).iter().map(|&(_, c)| c).find(|c| !c.is_whitespace());
                if next.is_some_and(char::is_lowercase) || c == ')' || c == '—' {
                    end = i;
                    break;
                }
            }
        }
        out.push((start..start + end, signal));
    }
    out
}

/// Whether a clause reads as prose rather than a citation.
fn looks_like_prose(s: &str, after_prose: bool) -> bool {
    if YEAR_PAREN.is_match(s) || DATE_TXT.is_match(&paren_dates(s)) {
        return false;
    }
    const SMALL: &[&str] = &[
        "of", "the", "to", "and", "in", "on", "for", "at", "by", "with", "a", "an", "from", "re", "v.", "et", "al.",
        "al", "de", "du", "von", "van", "or",
    ];
    let top = mask_parens(s);
    let words: Vec<&str> = top.split_whitespace().collect();
    if words.is_empty() {
        return false;
    }
    let lower = words.iter().filter(|w| w.chars().next().is_some_and(char::is_lowercase) && !SMALL.contains(w)).count();
    if after_prose && words.len() >= 3 && lower * 4 >= words.len() {
        return true;
    }
    // Words a citation rarely has outside its quotations and parentheticals:
    // pronouns, auxiliaries, conjunctions, verbs in the past tense.
    const PROSE: &[&str] = &[
        "he", "she", "they", "we", "it", "his", "her", "their", "our", "its", "was", "were", "is", "are", "had", "has",
        "have", "did", "does", "would", "could", "should", "that", "which", "who", "when", "because", "also", "not",
        "but", "if", "although", "while", "after", "before", "then", "said", "told", "stated", "about", "there",
        "this", "these", "those",
    ];
    let unquoted = strip_quoted(&top);
    let markers = unquoted
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| PROSE.contains(w) || (w.len() > 4 && w.ends_with("ed") && w.chars().all(|c| c.is_lowercase())))
        .count();
    if words.len() >= 5 && markers >= 1 {
        return true;
    }
    words.len() >= 6 && lower * 3 >= words.len()
}

/// `s` without its double-quoted parts.
fn strip_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '“' => quoted = true,
            '”' => quoted = false,
            '"' => quoted = !quoted,
            _ if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

/// The parenthesized parts of `s` (where citations keep their dates).
fn paren_dates(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                out.push(' ');
            }
            _ if depth > 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `s` with every parenthetical (parentheses included) replaced by spaces of the
/// same byte length, so offsets stay valid.
fn mask_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        let inside = depth > 0 || c == '(';
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if inside {
            for _ in 0..c.len_utf8() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// ISO date from `M/D/YY` or `M/D/YYYY` (two-digit years below 70 are 20YY).
fn numeric_date(s: &str) -> Option<String> {
    let m = DATE_NUM.captures(s)?;
    let mo: u32 = m.get(1)?.as_str().parse().ok()?;
    let d: u32 = m.get(2)?.as_str().parse().ok()?;
    let y = m.get(3)?.as_str();
    let y: u32 = if y.len() == 2 {
        let v: u32 = y.parse().ok()?;
        if v < 70 { 2000 + v } else { 1900 + v }
    } else {
        y.parse().ok()?
    };
    ((1..=12).contains(&mo) && (1..=31).contains(&d)).then(|| format!("{y:04}-{mo:02}-{d:02}"))
}

fn month_number(m: &str) -> Option<u32> {
    let k = m.get(..3)?;
    let n = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|x| *x == k)?;
    u32::try_from(n + 1).ok()
}

fn text_date(m: &regex::Captures<'_>) -> Option<String> {
    let mo = month_number(m.get(1)?.as_str())?;
    let y = m.get(3)?.as_str();
    match m.get(2) {
        Some(d) => {
            let d: u32 = d.as_str().parse().ok()?;
            (1..=31).contains(&d).then(|| format!("{y}-{mo:02}-{d:02}"))
        }
        None => Some(format!("{y}-{mo:02}")),
    }
}

/// The first date of a citation: outside parentheses first, then in a
/// parenthetical that is not an explanation (one that does not open with a
/// lowercase word or a quotation), then a year in parentheses.
fn first_date(s: &str) -> Option<String> {
    let top = mask_parens(s);
    if let Some(d) = earliest_date(&top) {
        return Some(d);
    }
    for inner in top_level_parentheticals(s) {
        let explains = inner.starts_with(|c: char| c.is_lowercase() || matches!(c, '“' | '"' | '‘'));
        if !explains && let Some(d) = earliest_date(inner) {
            return Some(d);
        }
    }
    YEAR_PAREN.captures(&s.replace(['“', '”'], " ")).and_then(|m| m.get(1).map(|y| y.as_str().to_string()))
}

fn earliest_date(s: &str) -> Option<String> {
    let n = DATE_NUM.find(s).map(|m| m.start());
    let t = DATE_TXT.find(s).map(|m| m.start());
    match (n, t) {
        (Some(a), Some(b)) if b < a => DATE_TXT.captures(s).and_then(|m| text_date(&m)),
        (Some(_), _) => numeric_date(s),
        (None, Some(_)) => DATE_TXT.captures(s).and_then(|m| text_date(&m)),
        (None, None) => None,
    }
}

/// The pinpoint of a citation, outside parentheticals.
fn pinpoint(s: &str, kind: EvidenceKind) -> Option<String> {
    let top = mask_parens(s);
    static AT: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:^|[\s,])at\s+(?P<pin>\*?[0-9]+(?:\s*(?:[–\-,&]|and)\s*\*?[0-9]+|\s*n\.\s*[0-9]+)*)"));
    static PARA: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?P<pin>(?:¶¶?|§§?)\s*[0-9]+(?:\([A-Za-z0-9]+\))*(?:\s*(?:[–\-,&]|and)\s*[0-9]+(?:\([A-Za-z0-9]+\))*)*)")
    });
    static PAGE: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[\s,])pp?\.\s*(?P<pin>[0-9]+(?:\s*[–\-,]\s*[0-9]+)*)"));
    static CONG: LazyLock<Regex> = LazyLock::new(|| re(r"Cong\.\s+(?P<pin>[0-9]+(?:\s*[–\-]\s*[0-9]+)?)\b"));
    let get = |r: &Regex| r.captures(&top).and_then(|m| m.name("pin").map(|p| p.as_str().trim().to_string()));
    if let Some(p) = get(&AT) {
        return Some(p);
    }
    if kind != EvidenceKind::LegalAuthority {
        // Subdivisions `¶ 4(b)` are parenthesized: match on the text, at top level.
        let top_level = |i: usize| top.get(i..).is_some_and(|t| t.starts_with(['¶', '§']));
        if let Some(p) = PARA.captures_iter(s).filter_map(|m| m.name("pin")).find(|p| top_level(p.start())) {
            return Some(p.as_str().trim().to_string());
        }
    }
    if let Some(p) = get(&PAGE) {
        return Some(p);
    }
    get(&CONG)
}

/// A pinpoint given inside a parenthetical, as hearings give the page of the
/// transcript or of a witness's statement (`(CQ Cong. Transcripts, at 17)`,
/// `(Statement for the Record of Jane Roe, at 6)`): the first `at N` in a
/// top-level parenthetical that names a source (opens with a capital, or with
/// `testimony`/`statement`), not one that explains.
fn parenthetical_pin(s: &str) -> Option<String> {
    top_level_parentheticals(s)
        .filter(|inner| {
            inner.starts_with(char::is_uppercase)
                || inner.starts_with("testimony")
                || inner.starts_with("statement")
                || inner.starts_with("prepared statement")
        })
        .find_map(|inner| pinpoint(inner, EvidenceKind::Hearing))
}

/// The insides of `s`'s top-level parentheticals, trimmed, in order (an
/// unclosed one gives nothing; nested ones stay inside their outer one).
fn top_level_parentheticals(s: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    let mut open = 0usize;
    s.char_indices().filter_map(move |(i, c)| match c {
        '(' => {
            if depth == 0 {
                open = i + 1;
            }
            depth += 1;
            None
        }
        ')' if depth > 0 => {
            depth -= 1;
            (depth == 0).then(|| s.get(open..i).unwrap_or("").trim())
        }
        _ => None,
    })
}

/// The origin of a defendant's plea documents: a statement of offense, a plea
/// agreement or the transcript of a plea hearing rests on the defendant's own
/// admission, so its origin is the defendant, named by surname as interview
/// reports name their witnesses (`Roe Statement of Offense` and `Statement of
/// Offense, United States v. John Q. Roe, Jr.` both give `Roe`). An entity
/// defendant keeps its whole name. `None` for other filings (their origin is the
/// filing) and when no defendant is named.
fn defendants_account(s: &str) -> Option<String> {
    static PLEA: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:Statement of (?:the )?Offense|Plea Agreement|Plea Agmt\.|Plea (?:Hearing|Hr[’']g)|Plea Tr\.|Factual Basis for (?:the )?Plea)",
        )
    });
    static CASE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"\b(?:United States|U\.S\.)\s+v\.\s+(?P<def>[^,()]{2,80}?)(?:,?\s+(?:Jr|Sr)\b\.?)?\s*(?:,|\(|$)")
    });
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"^(?P<who>{NAME})\s+(?:Statement of (?:the )?Offense|Plea Agreement|Plea Agmt\.|Plea (?:Hearing|Hr[’']g)|Plea Tr\.)"
        ))
    });
    let top = mask_parens(s);
    PLEA.find(&top)?;
    let name = CASE
        .captures(&top)
        .and_then(|m| m.name("def"))
        .or_else(|| LEAD.captures(&top).and_then(|m| m.name("who")))
        .map(|m| m.as_str().to_string())?;
    Some(surname(&name))
}

/// The origin of a court filing that is not a defendant's admission: the filing
/// in its case (`Complaint ¶ 3, United States v. Jane Lee, No. 1:18-cr-2 (...)`
/// gives `Complaint, United States v. Jane Lee`), or, without a case name, the
/// citation without its pinpoint (`Roe Indictment ¶ 12` gives `Roe Indictment`).
fn filing_origin(s: &str) -> String {
    static CASE_NAME: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:^|,\s*)(?P<case>(?:United States|U\.S\.|[A-Z][A-Za-z.&’'\-]*(?:\s+[A-Z][A-Za-z.&’'\-]*)*)\s+v\.\s+[^,()]+?)\s*(?:,|\(|$)",
        )
    });
    let top = mask_parens(s);
    if let Some(case) = CASE_NAME.captures(&top).and_then(|m| m.name("case")) {
        let name = strip_pin(&s[..case.start()]);
        let case = clean_name(case.as_str());
        return if name.is_empty() { case } else { format!("{name}, {case}") };
    }
    strip_pin(s)
}

/// The surname of a person's name (`John Q. Roe, Jr.` gives `Roe`); an entity
/// (`Acme Holdings, LLC`) keeps its whole name.
fn surname(name: &str) -> String {
    const ENTITY: &[&str] = &[
        "LLC",
        "Inc",
        "Inc.",
        "Corp",
        "Corp.",
        "Company",
        "Co.",
        "Ltd",
        "Ltd.",
        "Agency",
        "Bank",
        "Group",
        "Organization",
        "Association",
        "Holdings",
        "Foundation",
        "Trust",
        "LLP",
        "L.L.C.",
        "et",
        "al.",
    ];
    let name = clean_name(name);
    let words: Vec<&str> = name.split(' ').map(|w| w.trim_end_matches(',')).collect();
    if words.iter().any(|w| ENTITY.contains(w)) {
        return name.trim_end_matches(|c: char| c == ',' || c == '.' || c.is_whitespace()).to_string();
    }
    words
        .iter()
        .rev()
        .find(|w| !matches!(**w, "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III" | "IV") && !w.is_empty())
        .map_or(name.clone(), |w| (*w).to_string())
}

/// The citation without its pinpoint and trailing parentheticals: a document's
/// identity as an origin.
fn strip_pin(s: &str) -> String {
    let top = mask_parens(s);
    let mut end = top.trim_end().len();
    for pat in [", at ", " at ", " ¶", " §", ", p. ", ", pp. "] {
        if let Some(i) = top.find(pat) {
            end = end.min(i);
        }
    }
    let out = s.get(..end).unwrap_or(s);
    let out = mask_parens(out);
    out.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', '.']).to_string()
}

fn clean_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches(',').trim().to_string()
}

/// The parties of a message body (`Sater to Cohen (…)`): the part before the first
/// parenthetical that does not name an account, and what follows.
fn parties_of(body: &str) -> (&str, &str) {
    let mut i = 0;
    while let Some(off) = body.get(i..).and_then(|r| r.find('(')) {
        let open = i + off;
        let before = body[..open].trim_end();
        let names_account =
            before.rsplit(' ').next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty());
        if !names_account {
            return (body[..open].trim(), &body[open..]);
        }
        match body[open..].find(')') {
            Some(close) => i = open + close + 1,
            None => break,
        }
    }
    if let Some(at) = body.find(", at ") {
        return (body[..at].trim(), &body[at..]);
    }
    (body.trim(), "")
}

/// Sender and recipients of `FROM to TO1 & TO2` (or `A & B` for an exchange).
fn split_parties(p: &str) -> (Option<String>, Vec<String>) {
    let p = p.trim().trim_end_matches(['.', ',']).trim();
    if p.is_empty() {
        return (None, Vec::new());
    }
    let (from, to) = match to_split(p) {
        Some(i) => (&p[..i], &p[i + 4..]),
        None => match p.find(" & ").or_else(|| p.find(" and ")) {
            Some(i) => {
                let skip = if p[i..].starts_with(" & ") { 3 } else { 5 };
                (&p[..i], &p[i + skip..])
            }
            None => (p, ""),
        },
    };
    let who = account_or_name(from);
    let mut recipients = Vec::new();
    for part in to.split(" & ").flat_map(|x| x.split(" and ")).flat_map(split_commas) {
        let part = part.trim().trim_end_matches(" et al.").trim_end_matches(" et al").trim();
        if part.is_empty() || part == "et al." || part == "et al" {
            continue;
        }
        recipients.push(account_or_name(part).unwrap_or_else(|| part.to_string()));
    }
    (who, recipients)
}

/// Where `FROM to TO` splits: the first ` to ` that is not part of a title
/// (`Counsel to the President`, `Assistant to the Secretary`).
fn to_split(p: &str) -> Option<usize> {
    const TITLES: &[&str] = &["Counsel", "Assistant", "Adviser", "Advisor", "Ambassador", "Envoy", "Liaison", "Aide"];
    p.match_indices(" to ").map(|(i, _)| i).find(|&i| {
        let before = p[..i].rsplit(' ').next().unwrap_or("");
        !(TITLES.contains(&before) && p[i + 4..].starts_with("the "))
    })
}

/// Splits at commas, keeping `, Jr.` with its name.
fn split_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in s.match_indices(", ") {
        let next = &s[i + 2..];
        if next.starts_with("Jr") || next.starts_with("Sr") || next.starts_with("Inc") || next.starts_with("LLC") {
            continue;
        }
        out.push(&s[start..i]);
        start = i + 2;
    }
    out.push(&s[start..]);
    out
}

/// `ID 1000 (Name)` gives `Name`; anything else its cleaned text.
fn account_or_name(s: &str) -> Option<String> {
    if let Some(m) = ACCOUNT_NAME.captures(s) {
        return m.name("name").map(|x| x.as_str().trim().to_string());
    }
    let n = clean_name(s);
    (!n.is_empty()).then_some(n)
}

/// `... from X to Y` inside a description.
fn from_to(s: &str) -> (Option<String>, Vec<String>) {
    static FROM: LazyLock<Regex> = LazyLock::new(|| re(r"\bfrom\s+(?P<p>(?:the\s+)?[A-ZÀ-ÖØ-ÞĀ-Ž][^()]*)$"));
    match FROM.captures(mask_parens(s).trim_end()).and_then(|m| m.name("p").map(|x| x.as_str().to_string())) {
        Some(p) => {
            let (who, to) = split_parties(p.trim());
            (who.map(|w| w.trim_start_matches("the ").to_string()), to)
        }
        None => (None, Vec::new()),
    }
}

/// The first name of `A and B` (a speaker list).
fn first_of_and(s: &str) -> String {
    let s = s.trim();
    let s = s.split(" and ").next().unwrap_or(s);
    clean_name(s)
}

/// A witness without the office before the name (`FBI Director James B. Comey`).
fn strip_titles(s: &str) -> String {
    let s = clean_name(s);
    let words: Vec<&str> = s.split(' ').collect();
    // The name is the trailing run of capitalized words or initials, after the
    // last lowercase word or title word.
    const TITLES: &[&str] = &[
        "Director",
        "FBI",
        "CIA",
        "NSA",
        "DNI",
        "Attorney",
        "General",
        "Deputy",
        "Acting",
        "Former",
        "Secretary",
        "Senator",
        "Representative",
        "Admiral",
        "Ambassador",
        "Chairman",
        "Counsel",
        "Assistant",
        "Special",
        "Agent",
        "President",
        "Vice",
        "Chief",
        "of",
        "Staff",
        "the",
        "Mr.",
        "Ms.",
        "Dr.",
        "Adm.",
        "Gen.",
        "Sen.",
        "Rep.",
    ];
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        if TITLES.contains(w) || w.chars().next().is_some_and(char::is_lowercase) {
            start = i + 1;
        }
    }
    if start >= words.len() { s } else { words[start..].join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ParsedItem {
        let items = parse_footnote(text).expect("parse");
        assert_eq!(items.len(), 1, "{text:?}: {items:#?}");
        items.into_iter().next().expect("one item")
    }

    fn kinds(text: &str) -> Vec<EvidenceKind> {
        parse_footnote(text).expect("parse").iter().map(|i| i.kind).collect()
    }

    #[test]
    fn interview_302_with_pin_and_date() {
        let i = one("Jones 3/4/19 302, at 2–3.");
        assert_eq!(i.kind, EvidenceKind::Interview302);
        assert_eq!(i.who.as_deref(), Some("Jones"));
        assert_eq!(i.date.as_deref(), Some("2019-03-04"));
        assert_eq!(i.pin.as_deref(), Some("2–3"));
        assert_eq!(i.origin.as_deref(), Some("Jones"));
        assert_eq!(&"Jones 3/4/19 302, at 2–3."[i.start..i.end], "Jones 3/4/19 302, at 2–3");
    }

    #[test]
    fn interview_302_initials_and_counsel() {
        let items = parse_footnote("R. Smith 1/2/18 302, at 4, 7; Counsel for Lee 2/3/18 302, at 1.").expect("parse");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].who.as_deref(), Some("R. Smith"));
        assert_eq!(items[0].pin.as_deref(), Some("4, 7"));
        assert_eq!(items[1].who.as_deref(), Some("Counsel for Lee"));
    }

    #[test]
    fn interview_other_and_written_answers() {
        let i = one("Interview of Ann B. Carter, Jr., House Oversight Committee, 116th Cong. 44 (May 2, 2019).");
        assert_eq!(i.kind, EvidenceKind::InterviewOther);
        assert_eq!(i.who.as_deref(), Some("Ann B. Carter, Jr."));
        assert_eq!(i.date.as_deref(), Some("2019-05-02"));
        assert_eq!(i.pin.as_deref(), Some("44"));
        let w = one("Written Responses of Paul Doe (Jan. 9, 2020), at 5 (Response to Question II).");
        assert_eq!(w.kind, EvidenceKind::InterviewOther);
        assert_eq!(w.who.as_deref(), Some("Paul Doe"));
        assert_eq!(w.pin.as_deref(), Some("5"));
    }

    #[test]
    fn grand_jury_testimony() {
        let i = one("Miller 5/6/18 Grand Jury Testimony, at 12.");
        assert_eq!(i.kind, EvidenceKind::GrandJury);
        assert_eq!(i.who.as_deref(), Some("Miller"));
        assert_eq!(i.pin.as_deref(), Some("12"));
        let j = one("Grand Jury Testimony of Ruth Ng (Apr. 3, 2018).");
        assert_eq!(j.who.as_deref(), Some("Ruth Ng"));
        assert_eq!(j.date.as_deref(), Some("2018-04-03"));
    }

    #[test]
    fn emails_with_recipients() {
        let i = one("6/1/17 Email, Brown to Green & Black et al. (10:02 a.m.) (attachment).");
        assert_eq!(i.kind, EvidenceKind::Email);
        assert_eq!(i.who.as_deref(), Some("Brown"));
        assert_eq!(i.to, vec!["Green", "Black"]);
        assert_eq!(i.date.as_deref(), Some("2017-06-01"));
        let j = one("Email, A. White to Gray (Feb. 2, 2016).");
        assert_eq!(j.who.as_deref(), Some("A. White"));
        assert_eq!(j.date.as_deref(), Some("2016-02-02"));
    }

    #[test]
    fn text_messages_and_direct_messages() {
        let i = one("2/3/16 Text Messages, Roe & Poe (9:00:01–9:30:00 p.m.).");
        assert_eq!(i.kind, EvidenceKind::TextMessage);
        assert_eq!(i.who.as_deref(), Some("Roe"));
        assert_eq!(i.to, vec!["Poe"]);
        let j = one("7/7/16 Twitter DM, @some_account to @other.");
        assert_eq!(j.kind, EvidenceKind::TextMessage);
        assert_eq!(j.who.as_deref(), Some("@some_account"));
        assert_eq!(j.to, vec!["@other"]);
        let k = one("1/1/16 Facebook Message, ID 123456 (Jo Ann) & ID [Personal Privacy] (discussing a rally).");
        assert_eq!(k.who.as_deref(), Some("Jo Ann"));
        assert_eq!(k.to, vec!["ID [Personal Privacy]"]);
    }

    #[test]
    fn social_posts() {
        let i = one("@some_account, 5/6/16 Tweet (“a post”).");
        assert_eq!(i.kind, EvidenceKind::SocialPost);
        assert_eq!(i.who.as_deref(), Some("@some_account"));
        assert_eq!(i.date.as_deref(), Some("2016-05-06"));
        let j = one("4/6/16 Facebook Advertisement ID 6040000000000.");
        assert_eq!(j.kind, EvidenceKind::SocialPost);
        assert_eq!(j.date.as_deref(), Some("2016-04-06"));
        let k = one("Facebook ID 100000001 (Pat Example).");
        assert_eq!(k.who.as_deref(), Some("Pat Example"));
    }

    #[test]
    fn documents_notes_letters_records() {
        let i = one("Kim 4/5/17 Notes, at 2.");
        assert_eq!(i.kind, EvidenceKind::Document);
        assert_eq!(i.who.as_deref(), Some("Kim"));
        assert_eq!(i.date.as_deref(), Some("2017-04-05"));
        let j = one("3/3/18 Letter, Counsel for Acme to Board of Review, at 6.");
        assert_eq!(j.kind, EvidenceKind::Document);
        assert_eq!(j.who.as_deref(), Some("Counsel for Acme"));
        assert_eq!(j.to, vec!["Board of Review"]);
        assert_eq!(j.pin.as_deref(), Some("6"));
        assert_eq!(one("Call Records of Jane Roe.").kind, EvidenceKind::Document);
        assert_eq!(one("LOA, p. 7.").pin.as_deref(), Some("7"));
    }

    #[test]
    fn document_number_wrappers_are_the_item_they_wrap() {
        let i = one("ABC000123 (2/2/17 Email, Fox to Hound (1:00:00 p.m.)).");
        assert_eq!(i.kind, EvidenceKind::Email);
        assert_eq!(i.who.as_deref(), Some("Fox"));
        let j = one("XY_0001–02 (5/5/18 invoice from Alpha, Beta & Gamma to Delta).");
        assert_eq!(j.kind, EvidenceKind::Document);
        assert_eq!(j.who.as_deref(), Some("Alpha, Beta & Gamma"));
        assert_eq!(j.to, vec!["Delta"]);
        assert_eq!(j.date.as_deref(), Some("2018-05-05"));
        let k = one("Q-000021–22 (Lane 5/3/17 Notes) (“a quotation”).");
        assert_eq!(k.kind, EvidenceKind::Document);
        assert_eq!(k.who.as_deref(), Some("Lane"));
    }

    #[test]
    fn court_filings() {
        let i = one(
            "Plea Agreement ¶ 4(b), United States v. John Roe, No. 1:19-cr-12 (E.D. Va. Mar. 3, 2019), Doc. 9 (“Roe Plea”).",
        );
        assert_eq!(i.kind, EvidenceKind::CourtFiling);
        assert_eq!(i.pin.as_deref(), Some("¶ 4(b)"));
        assert_eq!(i.date.as_deref(), Some("2019-03-03"));
        let j = one("Roe Indictment ¶¶ 3, 5.");
        assert_eq!(j.kind, EvidenceKind::CourtFiling);
        assert_eq!(j.pin.as_deref(), Some("¶¶ 3, 5"));
        assert_eq!(j.origin.as_deref(), Some("Roe Indictment"));
    }

    #[test]
    fn hearings_with_witness() {
        let i = one(
            "Hearing on Widgets Before the Senate Committee on Commerce, 117th Cong. 5 (Mar. 1, 2021) (testimony of Deputy Secretary Ann Lee).",
        );
        assert_eq!(i.kind, EvidenceKind::Hearing);
        assert_eq!(i.who.as_deref(), Some("Ann Lee"));
        assert_eq!(i.date.as_deref(), Some("2021-03-01"));
        assert_eq!(i.pin.as_deref(), Some("5"));
    }

    #[test]
    fn news_with_outlet() {
        let i = one("See, e.g., Jan Doe, A Headline About Things, Daily Planet (Feb. 3, 2017).");
        assert_eq!(i.kind, EvidenceKind::News);
        assert_eq!(i.who.as_deref(), Some("Daily Planet"));
        assert_eq!(i.signal, Some(Signal::SeeEg));
        assert_eq!(i.date.as_deref(), Some("2017-02-03"));
        let j = one("Big news today, Reuters (Mar. 4, 2016).");
        assert_eq!(j.kind, EvidenceKind::News);
        assert_eq!(j.who.as_deref(), Some("Reuters"));
    }

    #[test]
    fn public_statements() {
        let i = one("Remarks by Governor Smith and Mayor Jones in Joint Press Conference, City Hall (Jan. 5, 2018).");
        assert_eq!(i.kind, EvidenceKind::PublicStatement);
        assert_eq!(i.who.as_deref(), Some("Governor Smith"));
        let j = one("Statement on the Visit, Ministry of Foreign Affairs (June 1, 2017).");
        assert_eq!(j.kind, EvidenceKind::PublicStatement);
        assert_eq!(j.who.as_deref(), Some("Ministry of Foreign Affairs"));
    }

    #[test]
    fn government_reports() {
        let i = one("Office of the Inspector General, Report of Review of Something (June 2018).");
        assert_eq!(i.kind, EvidenceKind::GovernmentReport);
        assert_eq!(i.date.as_deref(), Some("2018-06"));
    }

    #[test]
    fn legal_authorities() {
        assert_eq!(kinds("See 18 U.S.C. § 1512(c)."), vec![EvidenceKind::LegalAuthority]);
        let i = one("Doe v. Roe, 123 U.S. 456, 460 (1999).");
        assert_eq!(i.kind, EvidenceKind::LegalAuthority);
        assert_eq!(i.date.as_deref(), Some("1999"));
        let j = one("Cf. Some Opinion, 2010 WL 123456, at *2 (O.L.C. May 1, 2010).");
        assert_eq!(j.kind, EvidenceKind::LegalAuthority);
        assert_eq!(j.pin.as_deref(), Some("*2"));
        assert_eq!(j.signal, Some(Signal::Cf));
    }

    #[test]
    fn cross_references() {
        assert_eq!(kinds("See Volume II, Section III.B, infra."), vec![EvidenceKind::CrossReference]);
        assert_eq!(kinds("Part IV, supra."), vec![EvidenceKind::CrossReference]);
    }

    #[test]
    fn redacted_items_stand_where_citations_stand() {
        assert_eq!(kinds("[Grand Jury]"), vec![EvidenceKind::Redacted]);
        assert_eq!(
            kinds("Roe 1/1/18 302, at 2; [Harm to Ongoing Matter]"),
            vec![EvidenceKind::Interview302, EvidenceKind::Redacted]
        );
        assert_eq!(
            kinds("Call Records of Jane Roe [Grand Jury]"),
            vec![EvidenceKind::Document, EvidenceKind::Redacted]
        );
        assert_eq!(
            kinds("[Grand Jury] see also Roe 1/1/18 302."),
            vec![EvidenceKind::Redacted, EvidenceKind::Interview302]
        );
        // The subject of a prose sentence is not an item.
        assert_eq!(kinds("[Investigative Technique] kept the coins in an account at an exchange for months."), vec![]);
        // A party of a message is part of the message.
        assert_eq!(kinds("8/1/16 Twitter DM, @abc to [Personal Privacy]."), vec![EvidenceKind::TextMessage]);
    }

    #[test]
    fn signals_carry_within_a_sentence() {
        let items =
            parse_footnote("Roe 1/1/18 302; see Doe 2/2/18 302; Poe 3/3/18 302. Loe 4/4/18 302.").expect("parse");
        let sig: Vec<Option<Signal>> = items.iter().map(|i| i.signal).collect();
        assert_eq!(sig, vec![None, Some(Signal::See), Some(Signal::See), None]);
        assert_eq!(one("Cf. Roe 1/1/18 302.").signal, Some(Signal::Cf));
        assert_eq!(one("But see Roe 1/1/18 302.").signal, Some(Signal::ButSee));
        assert_eq!(one("See also Roe 1/1/18 302.").signal, Some(Signal::SeeAlso));
        assert_eq!(one("See generally Roe 1/1/18 302.").signal, Some(Signal::SeeGenerally));
    }

    #[test]
    fn id_resolves_to_previous_footnote_item() {
        let mut p = EvidenceParser::new();
        p.parse(7, "Roe 1/1/18 302, at 2; 2/2/18 Email, Poe to Roe.").expect("parse");
        let items = p.parse(8, "Id. at 3.").expect("parse");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].kind, EvidenceKind::Email);
        assert_eq!(items[0].who.as_deref(), Some("Poe"));
        assert_eq!(items[0].refers_to, Some(ItemRef { footnote: 7, index: 1 }));
        let again = p.parse(9, "Id.").expect("parse");
        assert_eq!(again[0].refers_to, Some(ItemRef { footnote: 8, index: 0 }));
        // Alone, Id. has nothing to refer to.
        assert_eq!(kinds("Id."), vec![EvidenceKind::Other]);
    }

    #[test]
    fn supra_resolves_to_an_earlier_item() {
        let mut p = EvidenceParser::new();
        p.parse(1, "Written Responses of Paul Doe (Jan. 9, 2020), at 5.").expect("parse");
        let items = p.parse(
            2,
            "Some prose sentence that explains what happened at length here. Written Responses, supra, at 7.",
        );
        let items = items.expect("parse");
        assert_eq!(items.len(), 1, "{items:#?}");
        assert_eq!(items[0].kind, EvidenceKind::InterviewOther);
        assert_eq!(items[0].who.as_deref(), Some("Paul Doe"));
        assert_eq!(items[0].pin.as_deref(), Some("7"));
        assert_eq!(items[0].refers_to, Some(ItemRef { footnote: 1, index: 0 }));
    }

    #[test]
    fn parentheticals_do_not_split_or_type_items() {
        let items = parse_footnote(
            "Roe 1/1/18 302, at 2 (stating that “he did not; she did. Then he left”); Doe 2/2/18 302 (quoting Smith v. Jones, 1 U.S. 2 (1800)).",
        )
        .expect("parse");
        let k: Vec<EvidenceKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(k, vec![EvidenceKind::Interview302, EvidenceKind::Interview302]);
        assert_eq!(items[1].date.as_deref(), Some("2018-02-02"));
    }

    #[test]
    fn prose_is_skipped_but_embedded_see_is_read() {
        let text = "The office was appointed by the board, see 5 U.S.C. § 101 note, and it is not clear that it could be removed.";
        let items = parse_footnote(text).expect("parse");
        assert_eq!(items.len(), 1, "{items:#?}");
        assert_eq!(items[0].kind, EvidenceKind::LegalAuthority);
        assert_eq!(&text[items[0].start..items[0].end], "5 U.S.C. § 101 note");
        assert_eq!(kinds("This sentence only explains what the witness meant by the word."), vec![]);
    }

    #[test]
    fn citations_carried_by_a_prose_sentence() {
        // A cross reference at the end of a prose sentence is an item (no signal).
        let text = "Roe 1/2/18 302, at 4. The later meetings are described in Volume II, Section III.C.2, supra.";
        let items = parse_footnote(text).expect("parse");
        assert_eq!(
            items.iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec![EvidenceKind::Interview302, EvidenceKind::CrossReference]
        );
        assert_eq!(&text[items[1].start..items[1].end], "Volume II, Section III.C.2, supra");
        assert_eq!(items[1].signal, None);
        assert_eq!(
            kinds("As the board explained in Section II, supra, the fund had no other donors."),
            vec![EvidenceKind::CrossReference]
        );
        // A statute's section named in prose is no citation, nor a cross reference.
        assert_eq!(kinds("Section 2314(b)(1) reaches conduct that precedes any proceeding of the kind."), vec![]);
        assert_eq!(kinds("Section 1001 was not the only statute they considered at the time."), vec![]);
        assert_eq!(kinds("Section II.B, supra."), vec![EvidenceKind::CrossReference]);
        // A quotation ending in `!` ends its sentence: the post that follows is read.
        let text = "Later that night he posted: “What a day. Nobody saw it coming!” @example_acct 3/4/19 (9:15 p.m. ET) Tweet.";
        let items = parse_footnote(text).expect("parse");
        assert_eq!(items.len(), 1, "{items:#?}");
        assert_eq!(items[0].kind, EvidenceKind::SocialPost);
        assert_eq!(items[0].who.as_deref(), Some("@example_acct"));
        assert_eq!(items[0].date.as_deref(), Some("2019-03-04"));
        // A bare `!` inside a name still does not end a sentence.
        assert_eq!(one("A Headline, Wow! Daily (Jan. 2, 2017).").kind, EvidenceKind::News);
    }

    #[test]
    fn a_label_inside_a_document_number_wrapper_is_a_withheld_item() {
        let text = "QRS0042 (Phone Records of Jane Roe [Grand Jury]); Phone Records of Jane Roe [Grand Jury].";
        let items = parse_footnote(text).expect("parse");
        assert_eq!(
            items.iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec![EvidenceKind::Document, EvidenceKind::Redacted, EvidenceKind::Document, EvidenceKind::Redacted]
        );
        assert_eq!(&text[items[0].start..items[0].end], "QRS0042 (Phone Records of Jane Roe");
        assert_eq!(&text[items[1].start..items[1].end], "[Grand Jury]");
        assert_eq!(items[0].origin.as_deref(), Some("QRS0042"));
        // A label that is a party of the wrapped message stays a party.
        let i = one("QRS0043 (2/3/17 Email, Roe to [Personal Privacy]).");
        assert_eq!(i.kind, EvidenceKind::Email);
        assert_eq!(i.to, vec!["[Personal Privacy]"]);
    }

    #[test]
    fn speech_and_remarks_transcripts_are_public_statements() {
        let i = one("See Full Transcript: Jane Roe LA Speech on the Budget, Daily Planet (June 2, 2016).");
        assert_eq!(i.kind, EvidenceKind::PublicStatement);
        assert_eq!(i.who.as_deref(), Some("Jane Roe"));
        assert_eq!(i.date.as_deref(), Some("2016-06-02"));
        // Carried by a news outlet, still the speaker's statement.
        let j = one("Governor Ann Lee News Conference, Capitol Steps, C-SPAN (May 3, 2019).");
        assert_eq!(j.kind, EvidenceKind::PublicStatement);
        assert_eq!(j.who.as_deref(), Some("Governor Ann Lee"));
        let k = one("Transcript of Remarks by Mayor Jones at the Harbor Opening, NBC (Apr. 4, 2018).");
        assert_eq!(k.kind, EvidenceKind::PublicStatement);
        assert_eq!(k.who.as_deref(), Some("Mayor Jones"));
        // A title that opens with an event word names no speaker: the outlet's news.
        assert_eq!(one("Opening Remarks Draw Crowd, Reuters (Jan. 5, 2018).").kind, EvidenceKind::News);
        // A court transcript is still a court filing.
        assert_eq!(
            one("Transcript of Plea Hearing at 12, United States v. John Roe, No. 1:18-cr-7 (D.D.C. May 2, 2018).")
                .kind,
            EvidenceKind::CourtFiling
        );
        // A statement's pinpoint is kept.
        let p = one("Statement of Ann Lee to the Board of Review, at 4 (Jul. 2, 2017).");
        assert_eq!((p.kind, p.pin.as_deref()), (EvidenceKind::PublicStatement, Some("4")));
    }

    #[test]
    fn short_form_statements() {
        let items = parse_footnote("Lee Stmt. at 9; Lee 4/5/18 302, at 2.").expect("parse");
        assert_eq!(items[0].kind, EvidenceKind::PublicStatement);
        assert_eq!(items[0].who.as_deref(), Some("Lee"));
        assert_eq!(items[0].pin.as_deref(), Some("9"));
        assert_eq!(items[0].origin.as_deref(), Some("Lee"));
        assert_eq!(items[1].kind, EvidenceKind::Interview302);
        assert_eq!(one("Ann Lee Statement, at 3.").who.as_deref(), Some("Ann Lee"));
        // `Statement of Offense` is a court filing, not a person's statement.
        assert_eq!(one("Lee Statement of Offense ¶ 4.").kind, EvidenceKind::CourtFiling);
    }

    #[test]
    fn an_agencys_electronic_communication_keeps_its_author() {
        let i = one("DEA 3/9/17 Electronic Communication, at 2 (documenting 3/1/17 call with Roe).");
        assert_eq!(i.kind, EvidenceKind::Document);
        assert_eq!(i.who.as_deref(), Some("DEA"));
        assert_eq!(i.date.as_deref(), Some("2017-03-09"));
        assert_eq!(i.pin.as_deref(), Some("2"));
    }

    #[test]
    fn a_hearings_pinpoint_inside_its_parenthetical() {
        let i = one(
            "Hearing on Ports Before the House Committee on Transport, 116th Cong. (Apr. 2, 2019) (Statement for the Record of Jane Roe, former Port Director, at 11).",
        );
        assert_eq!(i.kind, EvidenceKind::Hearing);
        assert_eq!(i.who.as_deref(), Some("Jane Roe"));
        assert_eq!(i.pin.as_deref(), Some("11"));
        let j = one(
            "Hearing on Budgets Before the Senate Finance Committee, 116th Cong. (May 1, 2019) (Official Transcripts, at 34) (testimony by Budget Director Ann Lee).",
        );
        assert_eq!(j.pin.as_deref(), Some("34"));
        assert_eq!(j.who.as_deref(), Some("Ann Lee"));
        // A pinpoint in the citation proper wins; an explaining parenthetical gives none.
        let k = one(
            "Hearing on Widgets Before the Senate Committee on Commerce, 117th Cong. 5 (Mar. 1, 2021) (Transcripts, at 9).",
        );
        assert_eq!(k.pin.as_deref(), Some("5"));
        let l = one(
            "Hearing on Widgets Before the Senate Committee on Commerce, 117th Cong. (Mar. 1, 2021) (discussing the meeting at 10 a.m.).",
        );
        assert_eq!(l.pin, None);
    }

    #[test]
    fn a_defendants_plea_documents_have_the_defendant_as_origin() {
        let mut p = EvidenceParser::new();
        let a = p
            .parse(
                1,
                "Statement of Offense ¶ 7, United States v. John Q. Roe, Jr., No. 1:18-cr-9 (D.D.C. Apr. 3, 2018), Doc. 12.",
            )
            .expect("parse");
        assert_eq!(a[0].kind, EvidenceKind::CourtFiling);
        assert_eq!(a[0].who, None, "a court filing has no who");
        assert_eq!(a[0].origin.as_deref(), Some("Roe"));
        let b = p.parse(2, "Roe Statement of Offense ¶ 9; Id. ¶ 10; Roe 2/2/18 302, at 4.").expect("parse");
        let origins: Vec<Option<&str>> = b.iter().map(|i| i.origin.as_deref()).collect();
        assert_eq!(origins, vec![Some("Roe"), Some("Roe"), Some("Roe")], "one account, one origin");
        assert_eq!(one("Lee Plea Agreement ¶ 2.").origin.as_deref(), Some("Lee"));
        // An entity defendant keeps its name; other filings are their own origin.
        assert_eq!(
            one("Plea Agreement ¶ 3, United States v. Acme Shipping Company, No. 1:19-cr-4 (D.D.C. Jan. 9, 2019).")
                .origin
                .as_deref(),
            Some("Acme Shipping Company")
        );
        assert_eq!(one("Roe Indictment ¶ 12.").origin.as_deref(), Some("Roe Indictment"));
        assert_eq!(
            one("Complaint ¶ 3, United States v. Jane Lee, No. 1:18-cr-2 (D.D.C. Feb. 1, 2018).").origin.as_deref(),
            Some("Complaint, United States v. Jane Lee")
        );
        // Two filings of one case are two origins; one filing cited twice is one.
        let mut p = EvidenceParser::new();
        let c = p
            .parse(
                3,
                "Indictment ¶ 4, United States v. Acme Ltd., No. 1:18-cr-3 (D.D.C. Feb. 1, 2018); Information ¶ 2, United States v. Acme Ltd., No. 1:18-cr-3 (D.D.C. Mar. 1, 2018); Indictment ¶ 9, United States v. Acme Ltd., No. 1:18-cr-3 (D.D.C. Feb. 1, 2018).",
            )
            .expect("parse");
        let keys: Vec<String> = c.iter().map(|i| origin_key(i.origin.as_deref().unwrap_or(""))).collect();
        assert_eq!(keys[0], keys[2]);
        assert_ne!(keys[0], keys[1]);
    }

    #[test]
    fn channels_press_releases_and_web_pages() {
        let i = one("“A Video Title,” YouTube Channel Example TV, Posted 7/27/16, available at https://example.org/v.");
        assert_eq!(i.kind, EvidenceKind::SocialPost);
        assert_eq!(i.who.as_deref(), Some("Example TV"));
        assert_eq!(i.date.as_deref(), Some("2016-07-27"));
        let j = one("Things Happen, Governor Jane Roe Press Release (Nov. 18, 2016).");
        assert_eq!(j.kind, EvidenceKind::PublicStatement);
        assert_eq!(j.who.as_deref(), Some("Governor Jane Roe"));
        let text = "About Us, Example Fund, available at https://example.org/a/. See also Team, Example Fund, available at https://example.org/b/.";
        let items = parse_footnote(text).expect("parse");
        assert_eq!(items.len(), 2, "{items:#?}");
        assert!(items.iter().all(|i| i.kind == EvidenceKind::Document && i.who.as_deref() == Some("Example Fund")));
        assert_eq!(items[1].signal, Some(Signal::SeeAlso));
    }

    #[test]
    fn a_label_before_a_capitalized_sentence_ends_it() {
        let text = "Call Records of Jane Roe [Grand Jury] After the call, Roe saved the number in her phone. Roe 1/2/18 302, at 3.";
        assert_eq!(kinds(text), vec![EvidenceKind::Document, EvidenceKind::Redacted, EvidenceKind::Interview302]);
        // `!` inside an outlet's name does not end the sentence.
        let i = one("Jo Roe, A Story, Yahoo! News (Sept. 23, 2016).");
        assert_eq!(i.kind, EvidenceKind::News);
        assert_eq!(i.who.as_deref(), Some("Yahoo! News"));
    }

    #[test]
    fn unknown_citations_are_other_not_dropped() {
        assert_eq!(kinds("Zorblax Quarterly Gazette."), vec![EvidenceKind::Other]);
    }

    #[test]
    fn origin_keys_normalize() {
        assert_eq!(origin_key("Donald J. Trump, Jr."), origin_key("donald j trump jr"));
        assert_eq!(origin_key(" Gates "), "gates");
        assert_ne!(origin_key("P. Sanders"), origin_key("Sanders"));
        let mut p = EvidenceParser::new();
        let a = p.parse(1, "Gates 1/30/18 302, at 3.").expect("parse");
        let b = p.parse(2, "Gates 2/2/18 302, at 1.").expect("parse");
        assert_eq!(a[0].origin, b[0].origin);
    }

    #[test]
    fn dates_full_and_partial() {
        assert_eq!(first_date("x (Sept. 7, 2017)").as_deref(), Some("2017-09-07"));
        assert_eq!(first_date("x (March 2016)").as_deref(), Some("2016-03"));
        assert_eq!(first_date("12/31/99 thing").as_deref(), Some("1999-12-31"));
        assert_eq!(first_date("13/40/18 thing"), None);
        assert_eq!(first_date("x (1995)").as_deref(), Some("1995"));
    }

    #[test]
    fn spans_are_on_char_boundaries_and_in_order() {
        let text = "See, e.g., “Quoted” — Roe 1/1/18 302, at 2–3; [Grand Jury]; Ünïcödé 2/2/18 302.";
        let items = parse_footnote(text).expect("parse");
        let mut last = 0;
        for i in &items {
            assert!(
                i.start <= i.end && i.start >= last && text.is_char_boundary(i.start) && text.is_char_boundary(i.end)
            );
            last = i.end;
        }
        assert_eq!(items.last().and_then(|i| i.who.as_deref()), Some("Ünïcödé"));
    }

    proptest::proptest! {
        /// No panic on any input; items ordered, on boundaries, inside the text;
        /// references point back. (The fuzz target `evidence` does the same under
        /// libFuzzer.)
        #[test]
        fn any_footnotes_parse_to_valid_spans(
            notes in proptest::collection::vec(
                proptest::string::string_regex(
                    "([A-Za-zé“”\"()\\[\\];,.&@/0-9¶§–!?]|Id\\. |supra|See, e\\.g\\., |302|Email, | to |\\[Grand Jury\\]| at | ){0,40}"
                ).expect("pattern"),
                1..6,
            )
        ) {
            let mut p = EvidenceParser::new();
            for (n, t) in notes.iter().enumerate() {
                let n = u32::try_from(n).expect("few notes");
                let items = p.parse(n, t).expect("small");
                let mut prev = 0;
                for i in &items {
                    proptest::prop_assert!(i.start <= i.end && i.end <= t.len() && i.start >= prev);
                    proptest::prop_assert!(t.is_char_boundary(i.start) && t.is_char_boundary(i.end));
                    if let Some(r) = i.refers_to {
                        proptest::prop_assert!(r.footnote <= n);
                    }
                    prev = i.end;
                }
            }
        }
    }

    #[test]
    fn too_large_is_refused() {
        let big = "a".repeat(MAX_FOOTNOTE_BYTES + 1);
        assert!(matches!(parse_footnote(&big), Err(Error::TooLarge { len, .. }) if len == MAX_FOOTNOTE_BYTES + 1));
    }

    #[test]
    fn long_counted_repetitions_are_unbounded() {
        assert_eq!(unbounded(r"a{2,60}?b{1,3}c{0,120}\d{4}"), r"a{2,}?b{1,3}c{0,}\d{4}");
        assert_eq!(unbounded("{"), "{");
    }

    #[test]
    fn patterns_compile() {
        for r in [&*ID, &*SUPRA, &*CROSS_REF, &*WRAPPER, &*P302, &*GRAND_JURY, &*MESSAGE, &*LETTER, &*AUTHORED_DOC] {
            assert!(!r.as_str().is_empty());
        }
        for r in
            [&*SOCIAL, &*INTERVIEW_OF, &*HEARING, &*LEGAL, &*COURT, &*SPEAKER, &*OUTLET_TAIL, &*KNOWN_OUTLET, &*RECORD]
        {
            assert!(!r.as_str().is_empty());
        }
    }
}
