//! The HTML trace report: one self-contained page that shows an article with
//! every statement marked by what its sources say about it.
//!
//! [`Ledger::render_report`] composes [`Ledger::audit`] with the ledger's
//! readers (claims, citations, passages, quotations, redactions, revisions) into
//! one HTML document:
//!
//! - a summary: coverage figures and counts by state, exactly the audit's, with a
//!   small inline SVG bar chart and a legend;
//! - the article text, each statement a focusable element (`tabindex="0"`,
//!   `id="s-N"`) carrying its state as classes;
//! - for each statement, its evidence (cited passages with source, page,
//!   relation and note; the words a quotation anchored to, marked; redactions
//!   inside drawn as black bars labelled with their reason; quotations with
//!   their differences; the independent origins its evidence reaches in the
//!   sources' footnotes (`span.origins`, class `og-stands`, `og-thins`, `og-falls`
//!   or `og-no_origin` after the withdrawals in force, withdrawn origins
//!   `span.origin.withdrawn`); what rests on withheld material), shown on hover and on
//!   keyboard focus, and listed in a side panel (`<aside>`, one card `id="ev-N"`
//!   per statement);
//! - a print stylesheet: the side panel prints in full after the article, no
//!   hover needed, and every state has a non-colour cue (underline style and
//!   icon) that survives greyscale printing.
//!
//! # Classes
//!
//! Each statement element has class `stmt` and exactly one state class:
//!
//! | class | state | cue |
//! | --- | --- | --- |
//! | `st-supported` | backed by a supports, quotes, paraphrases or describes_redaction citation | solid underline, ✓ |
//! | `st-context` | cited only as context | dashed underline, ◐ |
//! | `st-contradicted` | a cited passage contradicts it (even in part) | wavy underline, ✗ |
//! | `st-uncited` | needs a source and cites none | dotted underline, ? |
//! | `st-exempt` | needs no source (the reason is shown) | muted, – |
//!
//! A statement divided into parts (`crate::parts`) also has class
//! `has-parts`, and each part is an element inside it with class `part` and
//! its own state class (`pt-supported`, `pt-context`, `pt-contradicted`,
//! `pt-uncited`), underlined in its state's style instead of the statement
//! (the same non-colour cues as above), with its state (and note) in its
//! `title` and, for screen readers, after its words; the evidence lists each
//! part with its state and note.
//!
//! and any of the marks `mk-altered` (a quotation of it is altered: ≠),
//! `mk-withheld` (some of its evidence rests on withheld material: ■) and
//! `mk-withheld-only` (all of it does).
//!
//! # Safety of the page
//!
//! Every piece of text from the ledger goes through [`escape_text`] or
//! [`escape_attr`]; the page's own markup is written from `'static` strings only
//! (the internal writer has no other way in), so a hostile article, title, note
//! or label renders as text. The page loads nothing: no network, no external
//! asset. A Content-Security-Policy (`default-src 'none'`, the one style and the
//! one script allowed by their SHA-256) stops any script that is not the page's
//! own even if markup were ever injected. The script is optional: it only
//! scrolls the side panel to the statement under the pointer or focus.
//!
//! ```
//! use claimledger::*;
//! # fn main() -> claimledger::Result<()> {
//! let mut ledger = Ledger::open_in_memory()?;
//! let src = ledger.add_document(NewDocument::new(DocumentKind::Report, "Report"))?;
//! let srev = ledger.add_revision(src.id, NewRevision::new("Sales fell 3% in 2023."))?;
//! let art = ledger.add_article(NewDocument::new(DocumentKind::Article, "News"), "Sales fell in 2023. Staff are <b>unhappy</b>.")?;
//! let passage = ledger.add_passage(NewPassage::new(Span::new(srev.id, 0, 22)))?;
//! ledger.add_citation(NewCitation::new(art.claims[0].id, passage.id, Relation::Supports))?;
//!
//! let html = ledger.render_report(art.document.id)?;
//! assert!(html.contains("class=\"stmt st-supported\""));
//! assert!(html.contains("class=\"stmt st-uncited\""));
//! assert!(html.contains("&lt;b&gt;unhappy&lt;/b&gt;"));
//! # Ok(()) }
//! ```

use crate::audit::{Audit, StatementEvidence, WithheldEvidence};
use crate::{
    Citation, Claim, ClaimId, ContentHash, Document, DocumentId, Entity, Error, ExemptionReason, Ledger, Passage,
    PassageId, Quotation, QuotationId, QuoteLocation, QuoteStatus, Redaction, Result, Revision, RevisionId, Span,
    Standing, StatementState,
};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The longest passage text shown, in bytes (cut at a character boundary, with
/// an ellipsis); a cap against pathological passages.
pub const MAX_PASSAGE_BYTES: usize = 4000;

/// The most citations shown per statement; the rest are counted.
pub const MAX_CITATIONS_SHOWN: usize = 40;

/// Escapes `s` for HTML text content (and for `<title>`): `&`, `<` and `>`
/// become character references, and control characters HTML does not allow
/// (other than tab, line feed, form feed and carriage return) become U+FFFD.
///
/// ```
/// use claimledger::report::escape_text;
/// assert_eq!(escape_text("<script>a && b</script>"), "&lt;script&gt;a &amp;&amp; b&lt;/script&gt;");
/// ```
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_escaped(&mut out, s, false);
    out
}

/// Escapes `s` for an attribute value in double or single quotes: as
/// [`escape_text`], and `"` and `'` too.
///
/// ```
/// use claimledger::report::escape_attr;
/// assert_eq!(escape_attr(r#"a "b" & 'c' <d>"#), "a &quot;b&quot; &amp; &#39;c&#39; &lt;d&gt;");
/// ```
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_escaped(&mut out, s, true);
    out
}

fn push_escaped(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&#39;"),
            '\t' | '\n' | '\u{c}' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// The page being written. Markup comes only from `'static` strings; every
/// other string goes through the escaping functions.
struct Html {
    s: String,
}

impl Html {
    fn raw(&mut self, s: &'static str) -> &mut Self {
        self.s.push_str(s);
        self
    }

    fn text(&mut self, s: &str) -> &mut Self {
        push_escaped(&mut self.s, s, false);
        self
    }

    /// Text with line breaks as `<br>`.
    fn text_br(&mut self, s: &str) -> &mut Self {
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                self.raw("<br>");
            }
            self.text(line);
        }
        self
    }

    fn int(&mut self, n: usize) -> &mut Self {
        self.text(&n.to_string())
    }

    /// ` name="value"`, the value escaped.
    fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.raw(" ").raw(name).raw("=\"");
        push_escaped(&mut self.s, value, true);
        self.raw("\"")
    }
}

/// The state of a statement: exactly one per statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Supported,
    Partly,
    Context,
    Contradicted,
    Uncited,
    Exempt,
}

impl State {
    const ALL: [State; 6] =
        [State::Supported, State::Partly, State::Context, State::Contradicted, State::Uncited, State::Exempt];

    /// The report's face of a statement's one state ([`crate::state`]).
    fn of(s: StatementState) -> State {
        match s {
            StatementState::Supported => State::Supported,
            StatementState::PartlySupported => State::Partly,
            StatementState::Contradicted => State::Contradicted,
            StatementState::ContextOnly => State::Context,
            StatementState::Uncited => State::Uncited,
            _ => State::Exempt,
        }
    }

    fn class(self) -> &'static str {
        match self {
            State::Supported => "st-supported",
            State::Partly => "st-partly",
            State::Context => "st-context",
            State::Contradicted => "st-contradicted",
            State::Uncited => "st-uncited",
            State::Exempt => "st-exempt",
        }
    }

    fn key(self) -> &'static str {
        match self {
            State::Supported => "supported",
            State::Partly => "partly_supported",
            State::Context => "context",
            State::Contradicted => "contradicted",
            State::Uncited => "uncited",
            State::Exempt => "exempt",
        }
    }

    fn label(self) -> &'static str {
        match self {
            State::Supported => "Supported",
            State::Partly => "Partly supported",
            State::Context => "Context only",
            State::Contradicted => "Contradicted",
            State::Uncited => "Uncited",
            State::Exempt => "Exempt",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            State::Supported => "✓",
            State::Partly => "◑",
            State::Context => "◐",
            State::Contradicted => "✗",
            State::Uncited => "?",
            State::Exempt => "–",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            State::Supported => "a cited passage backs it as written",
            State::Partly => "some parts backed, others only context or uncited",
            State::Context => "cited only as context: not backed as written",
            State::Contradicted => "a cited passage says otherwise (even in part)",
            State::Uncited => "needs a source and cites none",
            State::Exempt => "needs no source",
        }
    }

    fn count(self, a: &Audit) -> usize {
        let s = &a.statements;
        match self {
            State::Supported => s.supported,
            State::Partly => s.partly_supported,
            State::Context => s.context_only,
            State::Contradicted => s.contradicted,
            State::Uncited => s.uncited,
            State::Exempt => s.exempt,
        }
    }
}

/// A source revision, as the report shows it.
struct Source {
    title: String,
    revision: Revision,
    latest_seq: u32,
    redactions: Vec<Redaction>,
}

/// One statement and everything shown about it.
struct Statement<'a> {
    n: usize,
    claim: &'a Claim,
    /// Byte range shown in the article (clipped when claims overlap).
    shown: Range<usize>,
    state: State,
    citations: Vec<&'a Citation>,
    quotations: Vec<&'a Quotation>,
    withheld: Vec<&'a WithheldEvidence>,
    withheld_only: bool,
    altered: bool,
    /// The evidence items and independent origins its supporting citations reach
    /// (statements with no supporting citation have none).
    origins: Option<&'a StatementEvidence>,
    /// True when its standing evidence rests on one origin.
    single_origin: bool,
    /// Its parts (byte ranges in the article), each with its state and note.
    parts: Vec<ShownPart<'a>>,
}

/// One part of a statement, as shown.
struct ShownPart<'a> {
    range: Range<usize>,
    state: State,
    note: Option<&'a str>,
}

impl ShownPart<'_> {
    fn class(&self) -> &'static str {
        match self.state {
            State::Supported => "part pt-supported",
            State::Partly => "part pt-partly",
            State::Context => "part pt-context",
            State::Contradicted => "part pt-contradicted",
            State::Uncited => "part pt-uncited",
            State::Exempt => "part pt-exempt",
        }
    }

    fn title(&self) -> String {
        let mut t = format!("Part: {}", self.state.label());
        if let Some(n) = self.note {
            t.push_str(" — ");
            t.push_str(n);
        }
        t
    }
}

impl Statement<'_> {
    /// `stmt`, the state class and the marks.
    fn classes(&self) -> String {
        format!("stmt {}", self.state_classes())
    }

    /// The state class and the marks.
    fn state_classes(&self) -> String {
        let mut c = vec![self.state.class()];
        if !self.parts.is_empty() {
            c.push("has-parts");
        }
        if self.altered {
            c.push("mk-altered");
        }
        if !self.withheld.is_empty() {
            c.push("mk-withheld");
        }
        if self.withheld_only {
            c.push("mk-withheld-only");
        }
        c.join(" ")
    }
}

/// Caches of what the statements cite.
struct Lookup<'l> {
    ledger: &'l Ledger,
    sources: HashMap<RevisionId, Source>,
    passages: HashMap<PassageId, Passage>,
    /// `not_found` quotations attributed to someone other than the sources,
    /// with that speaker (the audit's `attributed_elsewhere`).
    others: HashMap<QuotationId, String>,
}

impl Lookup<'_> {
    fn passage(&mut self, id: PassageId) -> Result<Passage> {
        if let Some(p) = self.passages.get(&id) {
            return Ok(p.clone());
        }
        let p = self.ledger.passage(id)?.ok_or_else(|| Error::not_found(Entity::Passage, id))?;
        self.passages.insert(id, p.clone());
        Ok(p)
    }

    fn source(&mut self, rev: RevisionId) -> Result<&Source> {
        if !self.sources.contains_key(&rev) {
            let revision = self.ledger.revision(rev)?.ok_or_else(|| Error::not_found(Entity::Revision, rev))?;
            let doc = self
                .ledger
                .document(revision.document)?
                .ok_or_else(|| Error::not_found(Entity::Document, revision.document))?;
            let latest_seq = self.ledger.latest_revision(doc.id)?.map(|l| l.seq).unwrap_or(revision.seq);
            let redactions = self.ledger.redactions(rev)?;
            self.sources.insert(rev, Source { title: doc.title, revision, latest_seq, redactions });
        }
        self.sources.get(&rev).ok_or_else(|| Error::not_found(Entity::Revision, rev))
    }
}

impl Ledger {
    /// Renders the HTML trace report of the latest revision of an article: one
    /// self-contained page (see the [module docs](crate::report)).
    ///
    /// # Errors
    ///
    /// As [`Ledger::audit`]: [`Error::NotFound`] for an unknown document or one
    /// without text; database errors.
    pub fn render_report(&self, document: DocumentId) -> Result<String> {
        let audit = self.audit(document)?;
        let doc = self.document(document)?.ok_or_else(|| Error::not_found(Entity::Document, document))?;
        let rev = self.revision(audit.revision)?.ok_or_else(|| Error::not_found(Entity::Revision, audit.revision))?;
        let claims = self.claims(rev.id)?;
        let citations = self.citations_of_revision(rev.id)?;
        let quotations = self.quotations_of_revision(rev.id)?;

        let mut cites_of: HashMap<ClaimId, Vec<&Citation>> = HashMap::new();
        for c in &citations {
            cites_of.entry(c.claim).or_default().push(c);
        }
        let mut quotes_of: HashMap<ClaimId, Vec<&Quotation>> = HashMap::new();
        for q in &quotations {
            quotes_of.entry(q.claim).or_default().push(q);
        }
        let mut withheld_of: HashMap<ClaimId, Vec<&WithheldEvidence>> = HashMap::new();
        for w in &audit.withheld {
            withheld_of.entry(w.claim).or_default().push(w);
        }
        let withheld_only: HashSet<ClaimId> = audit.withheld_only.iter().map(|s| s.claim).collect();
        let state_of: HashMap<ClaimId, StatementState> = audit.claims.iter().map(|c| (c.claim, c.state)).collect();
        // The audit's parts (code points), in bytes of the article.
        let index = rev.char_index();
        let mut parts_of: HashMap<ClaimId, Vec<ShownPart<'_>>> = HashMap::new();
        for c in &audit.claims {
            for p in &c.parts {
                let (Some(start), Some(end)) = (index.to_byte(p.start), index.to_byte(p.end)) else { continue };
                parts_of.entry(c.claim).or_default().push(ShownPart {
                    range: start..end,
                    state: State::of(p.state),
                    note: p.note.as_deref(),
                });
            }
        }
        let origins_of: HashMap<ClaimId, &StatementEvidence> =
            audit.origins.iter().map(|o| (o.statement.claim, o)).collect();
        let single: HashSet<ClaimId> = audit.single_origin.iter().map(|o| o.statement.claim).collect();

        let mut statements = Vec::with_capacity(claims.len());
        let mut cursor = 0usize;
        for (i, claim) in claims.iter().enumerate() {
            let start = claim.span.start.max(cursor).min(claim.span.end);
            let shown = start..claim.span.end;
            cursor = cursor.max(claim.span.end);
            let cites = cites_of.remove(&claim.id).unwrap_or_default();
            let state = State::of(state_of.get(&claim.id).copied().unwrap_or(StatementState::Uncited));
            let quotes = quotes_of.remove(&claim.id).unwrap_or_default();
            statements.push(Statement {
                n: i + 1,
                claim,
                shown,
                state,
                altered: quotes.iter().any(|q| q.check.status == QuoteStatus::Altered),
                citations: cites,
                quotations: quotes,
                withheld: withheld_of.remove(&claim.id).unwrap_or_default(),
                withheld_only: withheld_only.contains(&claim.id),
                parts: parts_of.remove(&claim.id).unwrap_or_default(),
                origins: origins_of.get(&claim.id).copied(),
                single_origin: single.contains(&claim.id),
            });
        }

        let others: HashMap<QuotationId, String> =
            audit.quotations.attributed_elsewhere.iter().map(|q| (q.id, q.speaker.clone())).collect();
        let mut lookup = Lookup { ledger: self, sources: HashMap::new(), passages: HashMap::new(), others };
        // Evidence markup once per statement: shown in the pop-up and in the side panel.
        let mut evidence = Vec::with_capacity(statements.len());
        for st in &statements {
            let mut h = Html { s: String::new() };
            write_evidence(&mut h, st, &rev, &mut lookup)?;
            evidence.push(h.s);
        }
        let mut source_titles: Vec<(String, u32)> =
            lookup.sources.values().map(|s| (s.title.clone(), s.revision.seq)).collect();
        source_titles.sort();
        source_titles.dedup();

        let mut h = Html { s: String::with_capacity(rev.text.len() * 6 + 64 * 1024) };
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.raw("<meta http-equiv=\"Content-Security-Policy\"")
            .attr(
                "content",
                &format!(
                    "default-src 'none'; img-src data:; style-src 'sha256-{}'; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
                    sha256_base64(STYLE),
                    sha256_base64(SCRIPT)
                ),
            )
            .raw(">\n");
        h.raw("<meta name=\"generator\" content=\"claimledger\">\n");
        h.raw("<title>Trace report: ").text(&doc.title).raw("</title>\n");
        h.raw("<style>").raw(STYLE).raw("</style>\n</head>\n<body>\n");
        h.raw("<a class=\"skip\" href=\"#article\">Skip to the article</a>\n");
        write_summary(&mut h, &audit, &doc, &rev, &source_titles);
        h.raw("<div class=\"layout\">\n<main id=\"article\" class=\"article\" aria-label=\"The article, statement by statement\">\n");
        h.raw("<h2 class=\"section\">The article</h2>\n");
        write_article(&mut h, &rev, &statements, &evidence);
        h.raw("</main>\n<aside class=\"panel\" aria-label=\"Evidence per statement\">\n<h2 class=\"section\">Evidence, statement by statement</h2>\n<ol class=\"cards\">\n");
        for (st, ev) in statements.iter().zip(&evidence) {
            h.raw("<li").attr("id", &format!("ev-{}", st.n)).attr("class", &format!("card {}", st.state_classes()));
            h.raw("><a class=\"back\"").attr("href", &format!("#s-{}", st.n)).raw(">");
            h.raw("<span class=\"n\">").int(st.n).raw("</span> ");
            h.text(&snippet(rev.text.get(st.claim.span.start..st.claim.span.end).unwrap_or(""), 110));
            h.raw("</a>");
            h.s.push_str(ev); // already escaped markup from write_evidence
            h.raw("</li>\n");
        }
        h.raw("</ol>\n</aside>\n</div>\n");
        h.raw("<footer class=\"foot\">Trace report of revision ")
            .int(rev.seq as usize)
            .raw(" (sha256 ")
            .text(ContentHash::of(&rev.text).to_string().get(..12).unwrap_or(""))
            .raw("…), written by claimledger.</footer>\n");
        h.raw("<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
        Ok(h.s)
    }
}

/// The start of a text, on one line, at most `max` characters.
fn snippet(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > max { format!("{}…", s.chars().take(max - 1).collect::<String>()) } else { s }
}

fn pct(f: f64) -> String {
    format!("{:.1}%", f * 100.0)
}

fn write_summary(h: &mut Html, a: &Audit, doc: &Document, rev: &Revision, sources: &[(String, u32)]) {
    let s = &a.statements;
    h.raw("<header class=\"summary\">\n<p class=\"kicker\">Trace report</p>\n<h1>").text(&doc.title).raw("</h1>\n");
    h.raw("<p class=\"meta\">");
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = &doc.publisher {
        parts.push(p.clone());
    }
    if let Some(d) = &doc.published {
        parts.push(format!("published {d}"));
    }
    parts.push(format!("revision {}", rev.seq));
    parts.push(format!("{} statements", s.total));
    h.text(&parts.join(" · "));
    if !sources.is_empty() {
        h.raw("<br>Sources: ");
        for (i, (title, seq)) in sources.iter().enumerate() {
            if i > 0 {
                h.raw("; ");
            }
            h.raw("<cite>").text(title).raw("</cite>");
            if *seq > 1 {
                h.text(&format!(" (revision {seq})"));
            }
        }
    }
    h.raw("</p>\n");

    // The coverage figures.
    let need = s.total - s.exempt;
    h.raw("<div class=\"overview\">\n<div class=\"ov-main\">\n<div class=\"figures\">\n");
    let mut figures = vec![
        ("statements", a.coverage.statements, "of statements cited"),
        ("characters", a.coverage.characters, "of characters cited"),
        ("supported", a.coverage.supported, "of statements supported as written"),
    ];
    // With evidence withdrawn, what still stands beside it.
    if !a.withdrawn.is_empty() {
        figures.push(("standing", a.coverage.standing, "of statements still supported without the withdrawn evidence"));
    }
    for (key, value, label) in figures {
        h.raw("<div class=\"figure\"><span class=\"big\"")
            .attr("data-coverage", key)
            .attr("data-value", &value.to_string())
            .raw(">")
            .text(&pct(value))
            .raw("</span><span class=\"cap\">")
            .raw(label)
            .raw("</span></div>\n");
    }
    h.raw("<div class=\"figure\"><span class=\"big\" data-figure=\"need\">")
        .int(need)
        .raw("</span><span class=\"cap\">statements need a source (of ")
        .int(s.total)
        .raw(")</span></div>\n</div>\n");

    // The bar chart.
    h.raw("<figure class=\"chart\">\n<svg class=\"bar\" width=\"100%\" height=\"30\" role=\"img\" aria-labelledby=\"chart-title\">\n");
    h.raw("<title id=\"chart-title\">Statements by state: ");
    h.text(&State::ALL.iter().map(|st| format!("{} {}", st.label(), st.count(a))).collect::<Vec<_>>().join(", "));
    h.raw("</title>\n");
    h.raw(SVG_DEFS);
    let total = s.total.max(1) as f64;
    let mut x = 0.0f64;
    for st in State::ALL {
        let n = st.count(a);
        if n == 0 {
            continue;
        }
        let w = n as f64 / total * 100.0;
        h.raw("<g").attr("class", &format!("seg seg-{}", st.key())).raw(">");
        for layer in ["fill", "pat"] {
            h.raw("<rect")
                .attr("class", layer)
                .attr("x", &format!("{x:.3}%"))
                .attr("width", &format!("{w:.3}%"))
                .raw(" y=\"0\" height=\"30\">");
            if layer == "fill" {
                h.raw("<title>").text(&format!("{}: {n}", st.label())).raw("</title>");
            }
            h.raw("</rect>");
        }
        h.raw("</g>\n");
        x += w;
    }
    h.raw("</svg>\n<figcaption>Statements by state; the pattern repeats the colour for greyscale.</figcaption>\n</figure>\n");

    // Quotations and other findings, in one line each.
    h.raw("<p class=\"findings\"><span class=\"k\">Quotations</span> <span data-count=\"quotations\">")
        .int(a.quotations.total)
        .raw("</span>");
    if !a.quotations.by_status.is_empty() {
        h.text(&format!(
            " ({})",
            a.quotations
                .by_status
                .iter()
                .map(|(k, v)| format!("{} {v}", k.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let unacknowledged = a.quotations.altered.iter().filter(|q| q.acknowledged.is_none()).count();
    if unacknowledged > 0 {
        h.text(&format!("; {unacknowledged} altered and not acknowledged"));
    }
    match a.quotations.attributed_elsewhere.len() {
        0 => {}
        1 => {
            h.text("; 1 not found is a quote of others");
        }
        n => {
            h.text(&format!("; {n} not found are quotes of others"));
        }
    }
    if !a.stale.is_empty() {
        h.raw("<br><span class=\"k\">Stale citations</span> ").int(a.stale.len());
    }
    h.raw("</p>\n<p class=\"hint no-print\">Point at a statement, or move to it with the Tab key, to see its evidence; the evidence panel lists every statement’s evidence.</p>\n");
    h.raw("</div>\n<div class=\"ov-legend\">\n");
    write_legend(h, a);
    h.raw("</div>\n</div>\n</header>\n");
}

/// The counts by state and mark, with what each looks like in the article.
fn write_legend(h: &mut Html, a: &Audit) {
    let s = &a.statements;
    h.raw("<table class=\"legend\">\n<caption>States and marks</caption>\n<thead><tr><th scope=\"col\">Looks like</th><th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Statements</th></tr></thead>\n<tbody>\n");
    for st in State::ALL {
        h.raw("<tr><td><span")
            .attr("class", &format!("sample stmt {}", st.class()))
            .raw(">Statement<sup class=\"tag\">");
        h.raw("<span class=\"ic\">").raw(st.icon()).raw("</span></sup></span></td><td>");
        h.raw("<svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\"><g")
            .attr("class", &format!("seg seg-{}", st.key()))
            .raw("><rect class=\"fill\" width=\"14\" height=\"14\"></rect><rect class=\"pat\" width=\"14\" height=\"14\"></rect></g></svg> ");
        h.raw("<b>").raw(st.label()).raw("</b><span class=\"why\">").raw(st.meaning());
        if st == State::Exempt && !s.exempt_by_reason.is_empty() {
            h.text(&format!(
                " ({})",
                s.exempt_by_reason
                    .iter()
                    .map(|(k, v)| format!("{} {v}", k.replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        h.raw("</span></td><td class=\"num\"").attr("data-count", st.key()).raw(">").int(st.count(a));
        h.raw("</td></tr>\n");
    }
    let altered_statements = a.quotations.altered.len();
    let withheld_statements: HashSet<ClaimId> = a.withheld.iter().map(|w| w.claim).collect();
    for (class, icon, label, key, n, meaning) in [
        (
            "sample stmt st-supported mk-altered",
            "<span class=\"ic\">✓</span><span class=\"ic ic-altered\">≠</span>",
            "Quote altered",
            "altered",
            altered_statements,
            "quotations where a word, number or mark differs from the source",
        ),
        (
            "sample stmt st-supported mk-withheld",
            "<span class=\"ic\">✓</span><span class=\"ic ic-withheld\">■</span>",
            "Rests on withheld material",
            "withheld",
            withheld_statements.len(),
            "statements whose evidence touches or leads to a redaction",
        ),
        (
            "sample stmt st-supported mk-withheld mk-withheld-only",
            "<span class=\"ic\">✓</span><span class=\"ic ic-withheld\">■</span>",
            "Only on withheld material",
            "withheld-only",
            a.withheld_only.len(),
            "statements all of whose evidence ends in a redaction",
        ),
    ] {
        h.raw("<tr class=\"mark-row\"><td><span").attr("class", class).raw(">");
        if key == "altered" {
            h.raw("“<span class=\"qt qs-altered\">Quote</span>”<span class=\"qmark\">≠</span>");
        } else {
            h.raw("Statement");
        }
        h.raw("<sup class=\"tag\">").raw(icon).raw("</sup></span></td><td><b>").raw(label);
        h.raw("</b><span class=\"why\">").raw(meaning).raw("</span></td><td class=\"num\"").attr("data-count", key);
        h.raw(">").int(n).raw("</td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
}

/// What the article is made of, paragraph by paragraph.
enum Piece {
    /// Text outside any statement (byte range).
    Gap(Range<usize>),
    /// A statement (index).
    Statement(usize),
}

fn write_article(h: &mut Html, rev: &Revision, statements: &[Statement<'_>], evidence: &[String]) {
    let text: &str = &rev.text;
    let mut paras: Vec<Vec<Piece>> = vec![Vec::new()];
    let push_gap = |paras: &mut Vec<Vec<Piece>>, r: Range<usize>| {
        let Some(gap) = text.get(r.clone()) else { return };
        let mut at = r.start;
        for (i, line) in gap.split('\n').enumerate() {
            if i > 0 && paras.last().is_some_and(|p| !p.is_empty()) {
                paras.push(Vec::new());
            }
            if !line.is_empty()
                && let Some(p) = paras.last_mut()
                && (!p.is_empty() || !line.trim().is_empty())
            {
                p.push(Piece::Gap(at..at + line.len()));
            }
            at += line.len() + 1;
        }
    };
    let mut cursor = 0usize;
    for (i, st) in statements.iter().enumerate() {
        if st.shown.start > cursor {
            push_gap(&mut paras, cursor..st.shown.start);
        }
        if let Some(p) = paras.last_mut() {
            p.push(Piece::Statement(i));
        }
        cursor = cursor.max(st.shown.end);
    }
    if cursor < text.len() {
        push_gap(&mut paras, cursor..text.len());
    }

    for para in paras.iter().filter(|p| !p.is_empty()) {
        let reasons: Vec<Option<ExemptionReason>> = para
            .iter()
            .filter_map(|x| match x {
                Piece::Statement(i) => statements.get(*i).map(|s| s.claim.exemption.as_ref().map(|e| e.reason)),
                Piece::Gap(_) => None,
            })
            .collect();
        let class = if reasons.is_empty() {
            "para"
        } else if reasons.iter().all(|r| *r == Some(ExemptionReason::Headline)) {
            "para headline"
        } else if reasons.iter().all(|r| *r == Some(ExemptionReason::Heading)) {
            "para heading"
        } else if reasons.iter().all(|r| r.is_some()) {
            "para chrome"
        } else {
            "para"
        };
        h.raw("<div").attr("class", class).raw(">");
        for piece in para {
            match piece {
                Piece::Gap(r) => {
                    h.text(text.get(r.clone()).unwrap_or(""));
                }
                Piece::Statement(i) => {
                    if let (Some(st), Some(ev)) = (statements.get(*i), evidence.get(*i)) {
                        write_statement(h, text, st, ev);
                    }
                }
            }
        }
        h.raw("</div>\n");
    }
}

fn write_statement(h: &mut Html, text: &str, st: &Statement<'_>, evidence: &str) {
    h.raw("<span").attr("class", &st.classes()).attr("id", &format!("s-{}", st.n));
    h.raw(" tabindex=\"0\"").attr("data-n", &st.n.to_string()).attr("data-state", st.state.key());
    h.attr("aria-describedby", &format!("ev-{}", st.n));
    if let Some(e) = &st.claim.exemption {
        let mut t = format!("Exempt: {}", e.reason.code().replace('_', " "));
        if let Some(note) = &e.note {
            t.push_str(" — ");
            t.push_str(note);
        }
        h.attr("title", &t);
    }
    h.raw(">");
    // The statement's words, its parts and quotations marked. The text is cut
    // at every part and quotation boundary; each piece is wrapped in its part's
    // element, then its quotation's (a quotation crossing a part's edge is
    // written as two elements), so the markup nests whatever the overlaps.
    let mut quotes: Vec<&Quotation> = st.quotations.clone();
    quotes.sort_by_key(|q| (q.span.start, q.span.end));
    let mut shown_quotes: Vec<(Range<usize>, &Quotation)> = Vec::new();
    let mut at = st.shown.start;
    for q in quotes {
        let (qs, qe) = (q.span.start.max(at), q.span.end.min(st.shown.end));
        if qs >= qe || q.span.start < at {
            continue;
        }
        shown_quotes.push((qs..qe, q));
        at = qe;
    }
    let parts: Vec<&ShownPart<'_>> =
        st.parts.iter().filter(|p| p.range.start < st.shown.end && p.range.end > st.shown.start).collect();
    let mut cuts: Vec<usize> = vec![st.shown.start, st.shown.end];
    for p in &parts {
        cuts.push(p.range.start.clamp(st.shown.start, st.shown.end));
        cuts.push(p.range.end.clamp(st.shown.start, st.shown.end));
    }
    for (r, _) in &shown_quotes {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let part = parts.iter().find(|p| p.range.start <= a && b <= p.range.end);
        let quote = shown_quotes.iter().find(|(r, _)| r.start <= a && b <= r.end);
        if let Some(p) = part {
            h.raw("<span").attr("class", p.class()).attr("title", &p.title()).raw(">");
        }
        if let Some((_, q)) = quote {
            let status = q.check.status;
            h.raw("<span").attr("class", &format!("qt qs-{}", status.code()));
            h.attr("title", &format!("Quotation: {}", status.code().replace('_', " "))).raw(">");
        }
        h.text_br(text.get(a..b).unwrap_or(""));
        if let Some((r, q)) = quote {
            h.raw("</span>");
            let status = q.check.status;
            if r.end == b
                && (matches!(status, QuoteStatus::Altered | QuoteStatus::NotFound)
                    || q.check.location == QuoteLocation::Ambiguous)
            {
                h.raw("<span class=\"qmark\" aria-hidden=\"true\">")
                    .raw(if status == QuoteStatus::Altered { "≠" } else { "⁇" })
                    .raw("</span>");
            }
        }
        if let Some(p) = part {
            if p.range.end == b {
                h.raw("<span class=\"sr\"> (part: ").raw(p.state.label()).raw(")</span>");
            }
            h.raw("</span>");
        }
    }
    // Number and icons: the non-colour cue.
    h.raw("<sup class=\"tag\" aria-hidden=\"true\"><span class=\"n\">").int(st.n).raw("</span>");
    h.raw("<span class=\"ic\">").raw(st.state.icon()).raw("</span>");
    if st.altered {
        h.raw("<span class=\"ic ic-altered\">≠</span>");
    }
    if !st.withheld.is_empty() {
        h.raw("<span class=\"ic ic-withheld\">■</span>");
    }
    h.raw("</sup><span class=\"sr\"> (").raw(st.state.label()).raw(")</span>");
    h.raw("<span class=\"pop\" aria-hidden=\"true\">");
    h.s.push_str(evidence); // escaped markup from write_evidence
    h.raw("</span></span>");
}

/// A statement's evidence, as phrasing content (it goes inside the statement's
/// pop-up and inside its side-panel card).
fn write_evidence(h: &mut Html, st: &Statement<'_>, article: &Revision, lookup: &mut Lookup<'_>) -> Result<()> {
    h.raw("<span class=\"ev-head\"><span").attr("class", &format!("badge {}", st.state.class())).raw(">");
    h.raw(st.state.icon()).raw(" ").raw(st.state.label()).raw("</span>");
    if st.altered {
        h.raw(" <span class=\"badge b-altered\">≠ Quote altered</span>");
    }
    if st.withheld_only {
        h.raw(" <span class=\"badge b-withheld\">■ Only on withheld material</span>");
    } else if !st.withheld.is_empty() {
        h.raw(" <span class=\"badge b-withheld\">■ Rests on withheld material</span>");
    }
    h.raw("</span>");

    if let Some(e) = &st.claim.exemption {
        h.raw("<span class=\"line\"><span class=\"k\">Exempt</span> ").text(&e.reason.code().replace('_', " "));
        if let Some(note) = &e.note {
            h.raw(": ").text(note);
        }
        h.raw("</span>");
    } else if st.citations.is_empty() {
        h.raw("<span class=\"line muted\">No citation: no source backs this statement in the trace.</span>");
    }
    // Its parts, each with its own state.
    for p in &st.parts {
        h.raw("<span class=\"line part-line\"><span class=\"k\">Part</span> <span")
            .attr("class", &format!("badge {}", p.state.class()))
            .raw(">")
            .raw(p.state.icon())
            .raw(" ")
            .raw(p.state.label())
            .raw("</span> “")
            .text(article.text.get(p.range.clone()).unwrap_or(""))
            .raw("”");
        if let Some(n) = p.note {
            h.raw(": ").text(n);
        }
        h.raw("</span>");
    }

    // Where the statement's quotations anchored, to mark them in the passages.
    let mut anchors: Vec<Span> = Vec::new();
    for q in &st.quotations {
        if let Some(pid) = q.passage {
            anchors.push(lookup.passage(pid)?.span);
        }
    }

    let mut notes_seen: Vec<&str> = Vec::new();
    for c in st.citations.iter().take(MAX_CITATIONS_SHOWN) {
        let p = lookup.passage(c.passage)?;
        let src = lookup.source(p.span.revision)?;
        h.raw("<span").attr("class", &format!("cite rel-{}", c.relation.code())).raw(">");
        h.raw("<span class=\"cite-head\"><span class=\"rel\">")
            .text(&c.relation.code().replace('_', " "))
            .raw("</span> <cite>")
            .text(&src.title)
            .raw("</cite>");
        if let Some(n) = p.page {
            h.text(&format!(", p. {}", src.revision.page_label(n)));
        }
        if let Some(n) = p.footnote {
            h.text(&format!(", footnote {n}"));
        }
        if src.revision.seq != src.latest_seq {
            h.raw(" <span class=\"stale\">")
                .text(&format!("stale: revision {} of {}", src.revision.seq, src.latest_seq))
                .raw("</span>");
        }
        h.raw("</span>");
        // The passage, its redactions as black bars, the quoted words marked.
        let text = p.quote.exact.as_str();
        let reds: Vec<(Range<usize>, &Redaction)> = src
            .redactions
            .iter()
            .filter(|r| r.span.start < p.span.end && r.span.end > p.span.start)
            .map(|r| (r.span.start.max(p.span.start) - p.span.start..r.span.end.min(p.span.end) - p.span.start, r))
            .collect();
        let marks: Vec<Range<usize>> = anchors
            .iter()
            .filter(|a| a.revision == p.span.revision && a.start < p.span.end && a.end > p.span.start)
            .map(|a| a.start.max(p.span.start) - p.span.start..a.end.min(p.span.end) - p.span.start)
            .collect();
        h.raw("<span class=\"passage\">");
        write_passage(h, text, &reds, &marks);
        h.raw("</span>");
        if let Some(note) = c.note.as_deref()
            && !notes_seen.contains(&note)
        {
            notes_seen.push(note);
            h.raw("<span class=\"note\"><span class=\"k\">Note</span> ").text(note).raw("</span>");
        }
        h.raw("</span>");
    }
    if st.citations.len() > MAX_CITATIONS_SHOWN {
        h.raw("<span class=\"line muted\">")
            .text(&format!("and {} more citations", st.citations.len() - MAX_CITATIONS_SHOWN))
            .raw("</span>");
    }

    for q in &st.quotations {
        write_quotation(h, q, article, lookup)?;
    }

    if let Some(o) = st.origins {
        write_origins(h, o, st.single_origin);
    }

    if !st.withheld.is_empty() {
        h.raw("<span class=\"withheld\"><span class=\"k\">■ Rests on withheld material</span>");
        for w in &st.withheld {
            h.raw("<span class=\"wline\">");
            for (i, r) in w.redactions.iter().enumerate() {
                if i > 0 {
                    h.raw(", ");
                }
                h.raw("<span class=\"redact\"")
                    .attr(
                        "title",
                        &format!("Withheld: {} ({})", r.label, r.code.as_deref().unwrap_or("unknown reason")),
                    )
                    .raw("><span class=\"sr\">withheld: </span>")
                    .text(&r.label)
                    .raw("</span> via ")
                    .text(&r.via);
            }
            h.raw(" <span class=\"muted\">· ").text(&w.relation.code().replace('_', " ")).raw(" · <cite>");
            h.text(&w.source).raw("</cite>");
            if let Some(p) = w.page {
                h.text(&format!(", p. {p}"));
            }
            h.raw("</span>");
            if w.ends_in_redaction {
                h.raw(" <span class=\"ends\">the evidence ends in the redaction</span>");
            }
            h.raw("</span>");
        }
        h.raw("</span>");
    }
    Ok(())
}

/// The independent origins behind a statement: how many stand, each with its
/// number of items, the withdrawn ones struck through, and whether its support
/// thins or falls under the withdrawals in force.
fn write_origins(h: &mut Html, e: &StatementEvidence, single: bool) {
    let ev = &e.evidence;
    let standing = ev.standing_origins();
    h.raw("<span").attr("class", &format!("origins og-{}", ev.standing.code())).raw(">");
    h.raw("<span class=\"k\">Origins</span> ");
    if ev.origins.is_empty() {
        h.raw("<span class=\"og-count\">0</span> <span class=\"muted\">");
        h.text("no origin reached in the sources’ footnotes").raw("</span>");
    } else {
        h.raw("<span class=\"og-count\">").int(standing).raw("</span> ");
        h.text(if standing == 1 { "independent origin" } else { "independent origins" });
        if single {
            h.raw(" <span class=\"og-single\">rests on one account</span>");
        }
        match ev.standing {
            Standing::Falls => {
                h.raw(" <span class=\"og-falls\">support falls: every origin withdrawn</span>");
            }
            Standing::Thins => {
                h.raw(" <span class=\"og-thins\">support thins: some origins withdrawn</span>");
            }
            Standing::Stands | Standing::NoOrigin => {}
        }
        h.raw("<span class=\"og-list\">");
        for (i, o) in ev.origins.iter().enumerate() {
            if i > 0 {
                h.raw("; ");
            }
            h.raw("<span").attr("class", if o.withdrawn { "origin withdrawn" } else { "origin" }).raw(">");
            h.text(&o.origin);
            h.raw("</span> <span class=\"muted\">(").text(&format!(
                "{} item{}",
                o.items,
                if o.items == 1 { "" } else { "s" }
            ));
            if o.withdrawn {
                h.raw(", withdrawn");
            }
            h.raw(")</span>");
        }
        h.raw("</span>");
    }
    if ev.withheld > 0 {
        h.raw(" <span class=\"muted\">")
            .text(&format!(
                "+ {} withheld item{} (what {} rest{} on is unknown)",
                ev.withheld,
                if ev.withheld == 1 { "" } else { "s" },
                if ev.withheld == 1 { "it" } else { "they" },
                if ev.withheld == 1 { "s" } else { "" }
            ))
            .raw("</span>");
    }
    h.raw("</span>");
}

fn write_quotation(h: &mut Html, q: &Quotation, article: &Revision, lookup: &mut Lookup<'_>) -> Result<()> {
    let status = q.check.status;
    let quoted = article.text.get(q.span.start..q.span.end).unwrap_or("");
    h.raw("<span").attr("class", &format!("quote qs-{}", status.code())).raw(">");
    h.raw("<span class=\"quote-head\"><span class=\"k\">Quotation</span> ").text(&status.code().replace('_', " "));
    if let Some(other) = lookup.others.get(&q.id) {
        h.text(&format!(" · a quote of {other}, not of the sources"));
    } else if let Some(s) = &q.speaker {
        h.text(&format!(" · {s}"));
    }
    h.raw("</span>");
    let source = match q.passage {
        Some(pid) => {
            let p = lookup.passage(pid)?;
            let title = lookup.source(p.span.revision)?.title.clone();
            Some((p.quote.exact, title))
        }
        None => None,
    };
    let (qmarks, smarks) = difference_marks(quoted, source.as_ref().map(|s| s.0.as_str()).unwrap_or(""), q);
    h.raw("<span class=\"qline\"><span class=\"k\">Quoted</span> “");
    write_marked(h, cap(quoted), &qmarks, "diff");
    h.raw("”</span>");
    if let Some((text, title)) = &source {
        h.raw("<span class=\"qline\"><span class=\"k\">Source</span> “");
        write_marked(h, cap(text), &smarks, "diff");
        h.raw("” <span class=\"muted\">(").text(title).raw(")</span></span>");
    }
    if !q.check.differences.is_empty() {
        h.raw("<span class=\"diffs\"><span class=\"k\">Differences</span> ");
        for (i, d) in q.check.differences.iter().enumerate() {
            if i > 0 {
                h.raw("; ");
            }
            h.raw("quoted <del>").text(if d.quoted.is_empty() { "(nothing)" } else { &d.quoted });
            h.raw("</del>, source <ins>").text(if d.source.is_empty() { "(nothing)" } else { &d.source }).raw("</ins>");
        }
        h.raw("</span>");
    }
    if !q.check.edits.is_empty() {
        h.raw("<span class=\"line muted\">Editorial conventions: ");
        h.text(
            &q.check
                .edits
                .iter()
                .map(|e| format!("{} {:?}", e.kind.replace('_', " "), e.text))
                .collect::<Vec<_>>()
                .join(", "),
        );
        h.raw("</span>");
    }
    if let Some(a) = &q.acknowledged {
        h.raw("<span class=\"line\"><span class=\"k\">Acknowledged</span> ").text(a).raw("</span>");
    }
    if q.check.location == QuoteLocation::Ambiguous {
        h.raw("<span class=\"line muted\">").text(&format!("{} places match", q.check.candidates.len())).raw("</span>");
    }
    h.raw("</span>");
    Ok(())
}

/// The ranges of the quoted text and the source text that the differences name,
/// found in order.
fn difference_marks(quoted: &str, source: &str, q: &Quotation) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut qm, mut sm) = (Vec::new(), Vec::new());
    let (mut qa, mut sa) = (0usize, 0usize);
    for d in &q.check.differences {
        for (needle, hay, at, out) in [(&d.quoted, quoted, &mut qa, &mut qm), (&d.source, source, &mut sa, &mut sm)] {
            if needle.is_empty() {
                continue;
            }
            if let Some(rest) = hay.get(*at..)
                && let Some(i) = rest.find(needle.as_str())
            {
                out.push(*at + i..*at + i + needle.len());
                *at += i + needle.len();
            }
        }
    }
    (qm, sm)
}

/// `s` cut to [`MAX_PASSAGE_BYTES`] at a character boundary.
fn cap(s: &str) -> &str {
    if s.len() <= MAX_PASSAGE_BYTES {
        return s;
    }
    let mut end = MAX_PASSAGE_BYTES;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// A passage: redactions as labelled black bars, marked ranges as `<mark>`.
fn write_passage(h: &mut Html, text: &str, reds: &[(Range<usize>, &Redaction)], marks: &[Range<usize>]) {
    let shown = cap(text);
    let mut reds: Vec<&(Range<usize>, &Redaction)> = reds.iter().collect();
    reds.sort_by_key(|(r, _)| (r.start, r.end));
    let mut at = 0usize;
    for (r, red) in reds {
        if r.start < at || r.end > shown.len() || r.start >= r.end {
            continue;
        }
        let clipped: Vec<Range<usize>> = marks
            .iter()
            .filter(|m| m.start < r.start && m.end > at)
            .map(|m| m.start.max(at)..m.end.min(r.start))
            .collect();
        write_marked_range(h, shown, at..r.start, &clipped, "cited");
        let reason = match &red.reason {
            Some(x) => format!("{} ({} {})", x.label, x.scheme, x.code),
            None => "an unknown reason".to_string(),
        };
        h.raw("<span class=\"redact\"")
            .attr("title", &format!("Withheld: {reason}; printed as {:?}", red.label))
            .raw("><span class=\"sr\">withheld: </span>")
            .text(red.reason.as_ref().map(|x| x.label.as_str()).unwrap_or(red.label.as_str()))
            .raw("</span>");
        at = r.end;
    }
    let clipped: Vec<Range<usize>> =
        marks.iter().filter(|m| m.end > at).map(|m| m.start.max(at)..m.end.min(shown.len())).collect();
    write_marked_range(h, shown, at..shown.len(), &clipped, "cited");
    if shown.len() < text.len() {
        h.raw("…");
    }
}

fn write_marked(h: &mut Html, text: &str, marks: &[Range<usize>], class: &'static str) {
    write_marked_range(h, text, 0..text.len(), marks, class);
}

/// `text[range]` with the `marks` inside it wrapped in `<mark class=…>`.
fn write_marked_range(h: &mut Html, text: &str, range: Range<usize>, marks: &[Range<usize>], class: &'static str) {
    let mut marks: Vec<Range<usize>> =
        marks.iter().filter(|m| m.start < m.end).map(|m| m.start.max(range.start)..m.end.min(range.end)).collect();
    marks.sort_by_key(|m| (m.start, m.end));
    let mut at = range.start;
    for m in marks {
        if m.start < at || m.start >= m.end {
            continue;
        }
        let (Some(before), Some(inside)) = (text.get(at..m.start), text.get(m.clone())) else { continue };
        h.text(before);
        h.raw("<mark class=\"").raw(class).raw("\">").text(inside).raw("</mark>");
        at = m.end;
    }
    h.text(text.get(at..range.end).unwrap_or(""));
}

/// SHA-256 of `s`, base64 (for the Content-Security-Policy).
fn sha256_base64(s: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(s.as_bytes());
    let mut out = String::with_capacity(44);
    for chunk in digest.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bar chart's patterns (the non-colour cue of each state).
const SVG_DEFS: &str = r##"<defs>
<pattern id="pat-hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2.5" height="7" fill="#000" fill-opacity="0.35"></rect></pattern>
<pattern id="pat-cross" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="7" fill="#000" fill-opacity="0.4"></rect><rect width="7" height="2" fill="#000" fill-opacity="0.4"></rect></pattern>
<pattern id="pat-dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.4" fill="#000" fill-opacity="0.45"></circle></pattern>
</defs>
"##;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_text_and_attributes() {
        assert_eq!(escape_text("a < b > c & d \"e\" 'f'"), "a &lt; b &gt; c &amp; d \"e\" 'f'");
        assert_eq!(escape_attr("a < b > c & d \"e\" 'f'"), "a &lt; b &gt; c &amp; d &quot;e&quot; &#39;f&#39;");
        assert_eq!(escape_text("</style><script>x</script>"), "&lt;/style&gt;&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(
            escape_text("tab\tline\nff\u{c}nul\u{0}bell\u{7}del\u{7f}"),
            "tab\tline\nff\u{c}nul\u{fffd}bell\u{fffd}del\u{fffd}"
        );
        assert_eq!(escape_attr("&amp;"), "&amp;amp;");
        assert_eq!(escape_text("Ünïcödé — “quotes” ✓"), "Ünïcödé — “quotes” ✓");
    }

    #[test]
    fn base64_of_sha256_matches_known_values() {
        // echo -n "" | openssl dgst -sha256 -binary | base64
        assert_eq!(sha256_base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assert_eq!(sha256_base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    }

    #[test]
    fn cap_cuts_at_a_character_boundary() {
        let s = "é".repeat(MAX_PASSAGE_BYTES);
        let c = cap(&s);
        assert!(c.len() <= MAX_PASSAGE_BYTES && c.len() >= MAX_PASSAGE_BYTES - 1);
        assert!(s.is_char_boundary(c.len()));
        assert_eq!(cap("short"), "short");
    }
}
