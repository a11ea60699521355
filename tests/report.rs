//! The HTML trace report: its structure on the embedded sample, its numbers
//! against the audit, that it loads nothing from outside, that hostile text
//! renders as text, and (with Chromium installed) the page as a browser builds it.

#[path = "common/cdp.rs"]
mod cdp;
mod common;

use claimledger::audit::Audit;
use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::report::{escape_attr, escape_text};
use claimledger::trace::TraceFile;
use claimledger::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// A small HTML tree builder, enough for the report and for Chromium's DOM dump:
// elements with attributes, text, void elements, raw-text `script` and `style`.

#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    El(Node),
    Text(String),
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn classes(&self) -> Vec<&str> {
        self.attr("class").map(|c| c.split_whitespace().collect()).unwrap_or_default()
    }

    fn has_class(&self, c: &str) -> bool {
        self.classes().contains(&c)
    }

    /// Every element below this one (and itself), in document order.
    fn all(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            if let Child::El(n) = c {
                out.extend(n.all());
            }
        }
        out
    }

    fn find_all(&self, pred: impl Fn(&Node) -> bool) -> Vec<&Node> {
        self.all().into_iter().filter(|n| pred(n)).collect()
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Child::Text(t) => s.push_str(t),
                Child::El(n) => s.push_str(&n.text()),
            }
        }
        s
    }

    /// Text without the pop-up, the tag and screen-reader text: the words shown.
    fn own_words(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Child::Text(t) => s.push_str(t),
                Child::El(n) if n.name == "br" => s.push('\n'),
                Child::El(n) if n.has_class("pop") || n.has_class("tag") || n.has_class("sr") => {}
                Child::El(n) if n.has_class("qmark") => {}
                Child::El(n) => s.push_str(&n.own_words()),
            }
        }
        s
    }
}

fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e < 12);
        let Some(e) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..e];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

fn parse(html: &str) -> Node {
    let mut stack: Vec<Node> = vec![Node { name: "#document".into(), ..Default::default() }];
    let mut i = 0;
    let b = html.as_bytes();
    while i < html.len() {
        if b[i] != b'<' {
            let next = html[i..].find('<').map(|n| i + n).unwrap_or(html.len());
            stack.last_mut().unwrap().children.push(Child::Text(decode(&html[i..next])));
            i = next;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map(|n| i + n + 3).unwrap_or(html.len());
            continue;
        }
        if html[i..].starts_with("<!") {
            i = html[i..].find('>').map(|n| i + n + 1).unwrap_or(html.len());
            continue;
        }
        if html[i..].starts_with("</") {
            let end = html[i..].find('>').map(|n| i + n).unwrap();
            let name = html[i + 2..end].trim().to_ascii_lowercase();
            i = end + 1;
            if stack.iter().skip(1).any(|n| n.name == name) {
                loop {
                    let n = stack.pop().unwrap();
                    let done = n.name == name;
                    stack.last_mut().unwrap().children.push(Child::El(n));
                    if done {
                        break;
                    }
                }
            }
            continue;
        }
        // A start tag: name, then attributes.
        let mut j = i + 1;
        while j < html.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut node = Node { name: name.clone(), ..Default::default() };
        let mut self_closing = false;
        loop {
            while j < html.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= html.len() {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                self_closing = true;
                j += 1;
                continue;
            }
            let k0 = j;
            while j < html.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' && b[j] != b'/' {
                j += 1;
            }
            let key = html[k0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < html.len() && b[j] == b'=' {
                j += 1;
                if b[j] == b'"' || b[j] == b'\'' {
                    let q = b[j] as char;
                    let end = html[j + 1..].find(q).map(|n| j + 1 + n).unwrap();
                    value = decode(&html[j + 1..end]);
                    j = end + 1;
                } else {
                    let v0 = j;
                    while j < html.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode(&html[v0..j]);
                }
            }
            node.attrs.push((key, value));
        }
        i = j;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let end = html[i..].to_ascii_lowercase().find(&close).map(|n| i + n).unwrap_or(html.len());
            node.children.push(Child::Text(html[i..end].to_string()));
            i = html[end..].find('>').map(|n| end + n + 1).unwrap_or(html.len());
            stack.last_mut().unwrap().children.push(Child::El(node));
        } else if VOID.contains(&name.as_str()) || self_closing {
            stack.last_mut().unwrap().children.push(Child::El(node));
        } else {
            stack.push(node);
        }
    }
    while stack.len() > 1 {
        let n = stack.pop().unwrap();
        stack.last_mut().unwrap().children.push(Child::El(n));
    }
    stack.pop().unwrap()
}

#[test]
fn the_scanner_reads_what_it_should() {
    let doc = parse(
        "<!DOCTYPE html><p class=\"a b\" title='x &amp; &quot;y&quot;'>one<br>two &lt;3<script>if (a<b) x()</script></p>",
    );
    let p = &doc.find_all(|n| n.name == "p")[0];
    assert!(p.has_class("b"));
    assert_eq!(p.attr("title"), Some("x & \"y\""));
    assert_eq!(p.own_words(), "one\ntwo <3if (a<b) x()");
    assert_eq!(doc.find_all(|n| n.name == "script").len(), 1);
}

// ---------------------------------------------------------------------------
// The sample.

struct Rendered {
    _dir: tempfile::TempDir,
    ledger_path: PathBuf,
    ledger: Ledger,
    article: DocumentId,
    audit: Audit,
    html: String,
}

fn render_sample() -> Rendered {
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("s.ledger");
    let mut l = Ledger::open(&ledger_path).unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let mut imp =
        SourceImport::new(NewDocument::new(DocumentKind::Report, trace.sources[0].title.clone()), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    l.import_source(imp).unwrap();
    let out = l.import_trace(sample::ARTICLE, &trace).unwrap();
    let audit = l.audit(out.article.id).unwrap();
    let html = l.render_report(out.article.id).unwrap();
    Rendered { _dir: dir, ledger_path, ledger: l, article: out.article.id, audit, html }
}

const STATES: [&str; 6] = ["st-supported", "st-partly", "st-context", "st-contradicted", "st-uncited", "st-exempt"];

/// The statement elements of the article.
fn statements(doc: &Node) -> Vec<&Node> {
    let article = doc.find_all(|n| n.name == "main" && n.attr("id") == Some("article"));
    assert_eq!(article.len(), 1, "one article");
    article[0].find_all(|n| n.has_class("stmt"))
}

fn count_class(stmts: &[&Node], class: &str) -> usize {
    stmts.iter().filter(|s| s.has_class(class)).count()
}

/// Checks every statement element against the ledger's claims and the audit.
fn check_statements(doc: &Node, l: &Ledger, a: &Audit) {
    let rev = l.revision(a.revision).unwrap().unwrap();
    let claims = l.claims(rev.id).unwrap();
    let stmts = statements(doc);
    assert_eq!(stmts.len(), claims.len(), "one element per statement");
    assert_eq!(stmts.len(), a.statements.total);
    let ids: std::collections::HashSet<&str> = stmts.iter().map(|s| s.attr("id").unwrap()).collect();
    assert_eq!(ids.len(), stmts.len(), "unique ids");
    for (i, (s, c)) in stmts.iter().zip(&claims).enumerate() {
        let n = i + 1;
        assert_eq!(s.attr("id"), Some(format!("s-{n}").as_str()));
        assert_eq!(s.attr("tabindex"), Some("0"), "statement {n} is focusable");
        assert_eq!(s.attr("aria-describedby"), Some(format!("ev-{n}").as_str()));
        assert_eq!(STATES.iter().filter(|st| s.has_class(st)).count(), 1, "one state for statement {n}: {:?}", s.attrs);
        assert_eq!(s.own_words(), &rev.text[c.span.start..c.span.end], "statement {n} shows its words");
        assert_eq!(s.find_all(|x| x.has_class("pop")).len(), 1, "statement {n} has its pop-up");
        let cards = doc.find_all(|x| x.name == "li" && x.attr("id") == Some(format!("ev-{n}").as_str()));
        assert_eq!(cards.len(), 1, "statement {n} has its card");
        assert!(doc.find_all(|x| x.name == "aside")[0].all().iter().any(|x| std::ptr::eq(*x, cards[0])));
    }
    let st = &a.statements;
    assert_eq!(count_class(&stmts, "st-supported"), st.supported);
    assert_eq!(count_class(&stmts, "st-context"), st.context_only);
    assert_eq!(count_class(&stmts, "st-partly"), st.partly_supported);
    assert_eq!(count_class(&stmts, "st-contradicted"), st.contradicted);
    assert_eq!(count_class(&stmts, "st-uncited"), st.uncited);
    assert_eq!(count_class(&stmts, "st-exempt"), st.exempt);
    let withheld: std::collections::HashSet<ClaimId> = a.withheld.iter().map(|w| w.claim).collect();
    assert_eq!(count_class(&stmts, "mk-withheld"), withheld.len());
    assert_eq!(count_class(&stmts, "mk-withheld-only"), a.withheld_only.len());
}

/// The number in the element with `attr="key"`.
fn figure(doc: &Node, attr: &str, key: &str) -> String {
    let found = doc.find_all(|n| n.attr(attr) == Some(key));
    assert_eq!(found.len(), 1, "one {attr}={key}");
    found[0].text()
}

fn check_summary(doc: &Node, a: &Audit) {
    let s = &a.statements;
    for (key, want) in [
        ("supported", s.supported),
        ("context", s.context_only),
        ("contradicted", s.contradicted),
        ("uncited", s.uncited),
        ("exempt", s.exempt),
        ("withheld-only", a.withheld_only.len()),
        ("altered", a.quotations.altered.len()),
        ("quotations", a.quotations.total),
    ] {
        assert_eq!(figure(doc, "data-count", key), want.to_string(), "{key}");
    }
    assert_eq!(figure(doc, "data-figure", "need"), (s.total - s.exempt).to_string());
    for (key, want) in [
        ("statements", a.coverage.statements),
        ("characters", a.coverage.characters),
        ("supported", a.coverage.supported),
    ] {
        let el = doc.find_all(|n| n.attr("data-coverage") == Some(key));
        assert_eq!(el.len(), 1);
        assert_eq!(el[0].attr("data-value").unwrap().parse::<f64>().unwrap(), want, "{key}");
        assert_eq!(el[0].text(), format!("{:.1}%", want * 100.0), "{key}");
    }
    // The chart has one segment per non-empty state, widths in proportion.
    let chart = doc.find_all(|n| n.name == "figure" && n.has_class("chart"));
    assert_eq!(chart.len(), 1);
    let segs = chart[0].find_all(|n| n.name == "g" && n.has_class("seg"));
    let nonzero = [s.supported, s.partly_supported, s.context_only, s.contradicted, s.uncited, s.exempt]
        .iter()
        .filter(|&&n| n > 0)
        .count();
    assert_eq!(segs.len(), nonzero);
    let mut total = 0.0;
    for g in segs {
        let fill = g.find_all(|r| r.name == "rect" && r.has_class("fill"));
        let width: f64 = fill[0].attr("width").unwrap().trim_end_matches('%').parse().unwrap();
        total += width;
        if g.has_class("seg-supported") {
            assert!((width - s.supported as f64 / s.total as f64 * 100.0).abs() < 0.01, "{width}");
        }
    }
    assert!((total - 100.0).abs() < 0.01, "{total}");
}

/// Asserts the page refers to nothing outside itself.
fn check_self_contained(html: &str, doc: &Node) {
    for n in doc.all() {
        assert!(
            !["link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "form"]
                .contains(&n.name.as_str()),
            "no {} element",
            n.name
        );
        for (k, v) in &n.attrs {
            if ["src", "href", "xlink:href", "action", "poster", "srcset", "data"].contains(&k.as_str()) {
                assert!(v.starts_with('#'), "{k}={v:?} of <{}> points outside the page", n.name);
            }
            assert!(!k.starts_with("on"), "no event-handler attribute {k}");
        }
    }
    let styles = doc.find_all(|n| n.name == "style");
    assert_eq!(styles.len(), 1);
    let css = styles[0].text();
    assert!(!css.contains("@import"));
    for (i, _) in css.match_indices("url(") {
        assert!(css[i + 4..].starts_with('#'), "CSS url() points inside the page: {}", &css[i..i + 20]);
    }
    let csp = doc.find_all(|n| n.name == "meta" && n.attr("http-equiv") == Some("Content-Security-Policy"));
    assert_eq!(csp.len(), 1);
    assert!(csp[0].attr("content").unwrap().starts_with("default-src 'none';"));
    let _ = html;
}

#[test]
fn the_sample_report_marks_every_statement() {
    let r = render_sample();
    let doc = parse(&r.html);
    check_statements(&doc, &r.ledger, &r.audit);
    let stmts = statements(&doc);
    let with = |needle: &str| -> &Node {
        let found: Vec<&&Node> = stmts.iter().filter(|s| s.own_words().contains(needle)).collect();
        assert_eq!(found.len(), 1, "{needle}");
        found[0]
    };
    assert!(with("commuters stepped around puddles").has_class("st-uncited"));
    assert!(with("review covered three years").has_class("st-context"));
    assert!(with("Brushed Aside").has_class("st-exempt"));
    assert!(with("Brushed Aside").attr("title").unwrap().contains("headline"));
    assert!(with("Subscribe to the Evening Brief").has_class("st-exempt"));
    let misquote = with("found three weaknesses");
    assert!(misquote.has_class("st-supported") && misquote.has_class("mk-altered"));
    assert_eq!(count_class(&stmts, "mk-altered"), 1);
    // The misquote's evidence shows the difference, quoted against source.
    let pop = misquote.find_all(|n| n.has_class("pop"))[0];
    let dels: Vec<String> = pop.find_all(|n| n.name == "del").iter().map(|n| n.text()).collect();
    let ins: Vec<String> = pop.find_all(|n| n.name == "ins").iter().map(|n| n.text()).collect();
    assert_eq!((dels, ins), (vec!["found".to_string()], vec!["identified".to_string()]));
    let marked: Vec<String> = pop.find_all(|n| n.has_class("diff")).iter().map(|n| n.text()).collect();
    assert_eq!(marked, ["found", "identified"]);
    // The quoted words are marked inside the cited passage.
    let cited: Vec<String> =
        pop.find_all(|n| n.name == "mark" && n.has_class("cited")).iter().map(|n| n.text()).collect();
    assert_eq!(cited, ["identified three weaknesses in the Department’s oversight of the contract"]);
    // The withheld statements: the redactions drawn as bars labelled with their reason.
    let blacked = with("blacked out in the public version");
    assert!(blacked.has_class("mk-withheld"));
    let bars: Vec<String> = blacked.find_all(|n| n.has_class("passage"))[0]
        .find_all(|n| n.has_class("redact"))
        .iter()
        .map(|n| n.own_words())
        .collect();
    assert_eq!(bars, ["Harm to Ongoing Matter"]);
    let inspector = with("former inspector");
    assert!(inspector.has_class("mk-withheld"));
    let pop = inspector.find_all(|n| n.has_class("pop"))[0];
    assert!(pop.find_all(|n| n.has_class("redact")).iter().any(|b| b.own_words() == "Personal Privacy"));
    assert!(pop.text().contains("via footnote 3"), "{}", pop.text());
    let heads: Vec<String> = pop.find_all(|n| n.has_class("cite-head")).iter().map(|n| n.text()).collect();
    assert!(heads.iter().all(|h| h.contains("p. 3") && h.contains("footnote 3")), "{heads:?}");
    assert!(heads.iter().any(|h| h.starts_with("describes redaction")), "{heads:?}");
    // The side panel's card repeats the evidence.
    let card = doc.find_all(|n| n.attr("id") == inspector.attr("aria-describedby"))[0];
    assert_eq!(card.find_all(|n| n.has_class("redact")).len(), pop.find_all(|n| n.has_class("redact")).len());
    assert!(card.has_class("mk-withheld") && !card.has_class("stmt"));
}

/// A made-up source and an article with a statement in parts, a quotation
/// crossing a part's edge.
const PARTS_SOURCE: &str = "The files were taken from the party network. The files were published on July 25.";
const PARTS_ARTICLE: &str =
    "Officials said the files were \"taken from the network and published on July 22\" last week. Read more.";
const PARTS_TRACE: &str = r#"
format = 1

[article]
title = "Files"

[[source]]
key = "r"
title = "Report"

[[exempt]]
statement = "Read more."
reason = "site_chrome"

[[claim]]
statement = "Officials said"

  [[claim.part]]
  text = "taken from the network"

    [[claim.part.cite]]
    source = "r"
    exact = "taken from the party network"
    relation = "supports"

  [[claim.part]]
  text = "published on July 22\" last week"
  note = "The report says July 25."

    [[claim.part.cite]]
    source = "r"
    exact = "published on July 25"
    relation = "contradicts"
"#;

#[test]
fn parts_are_underlined_inside_their_statement_with_their_own_state() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Report")).unwrap();
    l.add_revision(src.id, NewRevision::new(PARTS_SOURCE)).unwrap();
    let out = l.import_trace(PARTS_ARTICLE, &TraceFile::from_toml(PARTS_TRACE).unwrap()).unwrap();
    assert_eq!(out.parts, 2);
    let a = l.audit(out.article.id).unwrap();
    let html = l.render_report(out.article.id).unwrap();
    let doc = parse(&html);
    check_statements(&doc, &l, &a);
    let stmts = statements(&doc);
    let s = stmts[0];
    assert!(s.has_class("st-contradicted") && s.has_class("has-parts"), "{:?}", s.attrs);
    assert!(!stmts[1].has_class("has-parts"));
    // The statement's words, parts and quotation inside, read as written.
    assert_eq!(s.own_words(), &PARTS_ARTICLE[..PARTS_ARTICLE.find(" Read").unwrap()]);
    let parts: Vec<(String, Vec<&str>, String)> = s
        .find_all(|n| n.has_class("part"))
        .iter()
        .filter(|n| !n.all().iter().any(|x| x.has_class("pop")))
        .map(|n| (n.own_words(), n.classes(), n.attr("title").unwrap_or("").to_string()))
        .collect();
    // The second part is cut where the quotation ends: two elements.
    assert_eq!(parts.len(), 3, "{parts:?}");
    assert_eq!(parts[0].0, "taken from the network");
    assert_eq!(parts[0].1, ["part", "pt-supported"]);
    assert_eq!(parts[0].2, "Part: Supported");
    assert_eq!(format!("{}{}", parts[1].0, parts[2].0), "published on July 22\" last week");
    for p in &parts[1..] {
        assert_eq!(p.1, ["part", "pt-contradicted"]);
        assert_eq!(p.2, "Part: Contradicted — The report says July 25.");
    }
    // The quotation is inside the first part's element and the second's first piece.
    let quoted: Vec<String> = s.find_all(|n| n.has_class("qt")).iter().map(|n| n.own_words()).collect();
    assert_eq!(quoted, ["taken from the network", " and ", "published on July 22"]);
    // Screen readers hear each part's state once, after its words.
    let sr: Vec<String> = s.find_all(|n| n.has_class("sr")).iter().map(|n| n.text()).collect();
    assert_eq!(sr, [" (part: Supported)", " (part: Contradicted)", " (Contradicted)"]);
    // The evidence lists each part with its state and note.
    let card = doc.find_all(|n| n.attr("id") == Some("ev-1"))[0];
    let lines: Vec<String> = card.find_all(|n| n.has_class("part-line")).iter().map(|n| n.text()).collect();
    assert_eq!(
        lines,
        [
            "Part ✓ Supported “taken from the network”",
            "Part ✗ Contradicted “published on July 22\" last week”: The report says July 25."
        ]
    );
}

#[test]
fn the_summary_shows_the_audits_numbers() {
    let r = render_sample();
    let doc = parse(&r.html);
    check_summary(&doc, &r.audit);
    assert_eq!(r.audit.statements.supported, 13);
    assert_eq!(figure(&doc, "data-count", "withheld"), "3");
    let title = doc.find_all(|n| n.name == "h1")[0].text();
    assert_eq!(title, "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says");
}

#[test]
fn the_sample_report_is_self_contained() {
    let r = render_sample();
    assert!(!r.html.contains("http://") && !r.html.contains("https://"), "no URL at all in the sample page");
    check_self_contained(&r.html, &parse(&r.html));
    // One script, the page's own, allowed by its hash.
    let doc = parse(&r.html);
    assert_eq!(doc.find_all(|n| n.name == "script").len(), 1);
}

#[test]
fn the_report_command_writes_the_page() {
    let r = render_sample();
    let html_path = r._dir.path().join("out/report.html");
    std::fs::create_dir_all(html_path.parent().unwrap()).unwrap();
    let title = r.audit.document.title.clone();
    let expected = r.html.clone();
    let article = r.article;
    drop(r.ledger);
    let out = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["report", r.ledger_path.to_str().unwrap(), "--document", &title, "-o", html_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&html_path).unwrap(), expected, "the command writes the library's page");
    // By ID, to standard output.
    let out = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["report", r.ledger_path.to_str().unwrap(), "--document", &article.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    // An unknown article is an error; a missing ledger is not created.
    let out = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["report", r.ledger_path.to_str().unwrap(), "--document", "No such article"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not found"));
    let missing = r._dir.path().join("missing.ledger");
    let out = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .args(["report", missing.to_str().unwrap(), "--document", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
}

#[test]
fn escaping_functions() {
    assert_eq!(escape_text("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_eq!(escape_text("a & b \"c\" 'd'"), "a &amp; b \"c\" 'd'");
    assert_eq!(escape_text("</style>"), "&lt;/style&gt;");
    assert_eq!(escape_attr("\" onmouseover='x' & <y>"), "&quot; onmouseover=&#39;x&#39; &amp; &lt;y&gt;");
    assert_eq!(escape_attr("plain"), "plain");
    assert_eq!(escape_text("nul\u{0}"), "nul\u{fffd}");
    // Round trip through the scanner's decoder.
    let nasty = "<a href=\"x\">&amp;'</a> </style> \u{201c}ok\u{201d}";
    assert_eq!(decode(&escape_text(nasty)), nasty);
    assert_eq!(decode(&escape_attr(nasty)), nasty);
}

// ---------------------------------------------------------------------------
// A hostile article: markup, quotes and ampersands everywhere text goes.

const PWN: &str = "<script>document.documentElement.setAttribute('data-pwned','1')</script>";
const HOSTILE_TITLE: &str = "Council </style><script>alert(1)</script> \"Budget\" & 'Plan'";
const HOSTILE_SOURCE: &str = "Minutes \"of\" the </title></style> & 'Board' <img src=x onerror=alert(2)>";
const HOSTILE_LABEL: &str = "<em onclick=\"alert(3)\">Secret & 'Source'</em>";

fn hostile_article() -> String {
    format!(
        "{HOSTILE_TITLE}\n\
         Subscribe <img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\"> now.\n\n\
         The council \"approved the budget & plan on May 2\" {PWN} after a long debate. \
         A person whose name is withheld attended the vote. \
         The chair said it was </style> a close call & a 'fair' one."
    )
}

fn hostile_source() -> String {
    "The council approved the budget and plan on May 2 after a long debate. \
     [SECRET-PERSON] attended the vote. The chair called it a close call."
        .to_string()
}

fn hostile_trace() -> String {
    format!(
        r#"
format = 1
[article]
title = {title}
publisher = "<i>Gazette</i> & \"Sons\""
[[source]]
key = "m"
title = {source}
[[exempt]]
statement = "Subscribe"
reason = "newsletter_prompt"
note = "\"><script>alert(4)</script> & 'x'"
[[exempt]]
statement = "alert(1)"
reason = "headline"
[[claim]]
statement = "The council"
note = "</style><script>alert(5)</script> & \"n\""
  [[claim.cite]]
  source = "m"
  exact = "approved the budget and plan on May 2"
  relation = "quotes"
  [[claim.quote]]
  text = "budget & plan"
  source = "m"
  exact = "approved the budget and plan on May 2"
  speaker = "<u>the clerk</u> & 'co'"
  acknowledged = "\" onmouseover=\"alert(6)\" & </style>"
[[claim]]
statement = "name is withheld"
  [[claim.cite]]
  source = "m"
  exact = "attended the vote"
  relation = "supports"
"#,
        title = toml_string(HOSTILE_TITLE),
        source = toml_string(HOSTILE_SOURCE),
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn render_hostile() -> (Ledger, Audit, String) {
    let mut l = Ledger::open_in_memory().unwrap();
    let source = hostile_source();
    let start = source.find("[SECRET-PERSON]").unwrap();
    let file = RedactionFile::from_json(
        &serde_json::json!({
            "offsets": "unicode code points, end exclusive",
            "redactions": [{
                "type": "TextPositionSelector",
                "start": source[..start].chars().count(),
                "end": source[..start].chars().count() + "[SECRET-PERSON]".chars().count(),
                "exact": "[SECRET-PERSON]",
                "label": HOSTILE_LABEL,
            }]
        })
        .to_string(),
    )
    .unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, HOSTILE_SOURCE), source);
    imp.redactions = Redactions::StandOff(file);
    l.import_source(imp).unwrap();
    let trace = TraceFile::from_toml(&hostile_trace()).unwrap();
    let out = l.import_trace(&hostile_article(), &trace).unwrap();
    let audit = l.audit(out.article.id).unwrap();
    let html = l.render_report(out.article.id).unwrap();
    (l, audit, html)
}

#[test]
fn hostile_text_renders_as_text() {
    let (l, a, html) = render_hostile();
    let doc = parse(&html);
    // The page's own elements only: one style, one script, no markup from the input.
    assert_eq!(doc.find_all(|n| n.name == "style").len(), 1);
    assert_eq!(doc.find_all(|n| n.name == "script").len(), 1);
    for bad in ["img", "em", "i", "u"] {
        assert!(doc.find_all(|n| n.name == bad).is_empty(), "no <{bad}> from the input");
    }
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("</style").count(), 1);
    assert_eq!(doc.find_all(|n| n.name == "head")[0].find_all(|n| n.name == "title").len(), 1);
    assert!(
        html.contains("&lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;")
            || html.contains("&lt;script&gt;document.documentElement.setAttribute('data-pwned'")
    );
    check_self_contained(&html, &doc);
    check_statements(&doc, &l, &a);
    check_summary(&doc, &a);

    // The title, in <title> and <h1>, as text.
    let head = doc.find_all(|n| n.name == "head");
    assert_eq!(head[0].find_all(|n| n.name == "title")[0].text(), format!("Trace report: {HOSTILE_TITLE}"));
    assert_eq!(doc.find_all(|n| n.name == "h1")[0].text(), HOSTILE_TITLE);
    // Statements show their hostile words as text.
    let stmts = statements(&doc);
    let approved = stmts.iter().find(|s| s.own_words().contains("The council \"approved")).unwrap();
    assert!(approved.own_words().contains(PWN), "{}", approved.own_words());
    assert!(approved.has_class("mk-altered"), "\"budget & plan\" is not what the minutes say");
    let pop = approved.find_all(|n| n.has_class("pop"))[0].text();
    assert!(pop.contains("</style><script>alert(5)</script> & \"n\""), "the note as text: {pop}");
    assert!(pop.contains("\" onmouseover=\"alert(6)\" & </style>"), "acknowledged as text: {pop}");
    assert!(pop.contains("<u>the clerk</u> & 'co'"), "speaker as text: {pop}");
    assert!(pop.contains(HOSTILE_SOURCE), "source title as text: {pop}");
    // Attributes hold the hostile strings whole, quotes and all.
    let subscribe = stmts.iter().find(|s| s.own_words().contains("Subscribe")).unwrap();
    assert_eq!(subscribe.attr("title"), Some("Exempt: newsletter prompt — \"><script>alert(4)</script> & 'x'"));
    assert!(subscribe.own_words().contains("<img src=x onerror="));
    let withheld = stmts.iter().find(|s| s.own_words().contains("name is withheld")).unwrap();
    assert!(withheld.has_class("mk-withheld"));
    let bars = withheld.find_all(|n| n.has_class("redact"));
    assert!(!bars.is_empty());
    assert!(
        bars.iter().all(|b| b.own_words() == HOSTILE_LABEL),
        "{:?}",
        bars.iter().map(|b| b.own_words()).collect::<Vec<_>>()
    );
    assert!(bars.iter().any(|b| b.attr("title").unwrap().contains(HOSTILE_LABEL)));
    let close = stmts.iter().find(|s| s.own_words().contains("close call")).unwrap();
    assert!(close.own_words().contains("</style> a close call & a 'fair' one."));
    assert!(close.has_class("st-uncited"));
}

// ---------------------------------------------------------------------------
// In a browser.

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Chromium binary, or `None` (and the reason printed) when the test should
/// skip. With `CI` or `CLAIMLEDGER_CORPUS` set, a missing Chromium fails.
fn chromium(test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("chromium")).find(|p| p.is_file()));
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("CLAIMLEDGER_CORPUS").is_none(),
            "{test}: chromium is not installed, and CI or CLAIMLEDGER_CORPUS is set (.ci/run installs it)"
        );
        common::skip(test, "chromium is not installed");
    }
    found
}

/// Runs headless Chromium on `page` with `extra` arguments. A watchdog kills it
/// after 600 s: that catches a hung browser only (a run takes seconds, more on
/// a loaded machine); it is not a speed check.
/// Returns its standard output.
fn run_chromium(bin: &Path, page: &Path, extra: &[String]) -> String {
    const WATCHDOG: Duration = Duration::from_secs(600);
    let profile = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(&stdout_path).unwrap())
    .stderr(std::fs::File::create(&stderr_path).unwrap());
    let mut child = cmd.spawn().expect("start chromium");
    let deadline = Instant::now() + WATCHDOG;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium hung (no exit within {WATCHDOG:?}): {}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "chromium failed: {}", std::fs::read_to_string(&stderr_path).unwrap_or_default());
    std::fs::read_to_string(&stdout_path).unwrap()
}

/// The DOM after load, parsed, and a screenshot saved as `png`.
fn in_browser(bin: &Path, html: &str, name: &str) -> Node {
    let dir = artifacts();
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, html).unwrap();
    let dom = run_chromium(bin, &page, &["--dump-dom".to_string()]);
    assert!(dom.contains("</html>"), "a DOM was dumped: {}", &dom[..dom.len().min(300)]);
    let png = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    run_chromium(bin, &page, &[format!("--screenshot={}", png.display()), "--window-size=1280,2000".to_string()]);
    let bytes = std::fs::read(&png).expect("a screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{} is a real PNG", png.display());
    parse(&dom)
}

fn the_script_ran(dom: &Node) {
    let html = dom.find_all(|n| n.name == "html");
    assert_eq!(
        html[0].attr("data-script"),
        Some("ran"),
        "the page's own script runs (so its absence elsewhere means something)"
    );
    assert_eq!(html[0].attr("data-styled"), Some("yes"), "the page's own stylesheet applies (pop-ups hidden)");
    assert!(dom.all().iter().all(|n| n.attr("data-pwned").is_none()), "no script from the input ran");
}

#[test]
fn the_sample_report_in_chromium() {
    let Some(bin) = chromium("the_sample_report_in_chromium") else { return };
    let r = render_sample();
    let dom = in_browser(&bin, &r.html, "report");
    the_script_ran(&dom);
    check_statements(&dom, &r.ledger, &r.audit);
    check_summary(&dom, &r.audit);
    assert_eq!(dom.find_all(|n| n.name == "script").len(), 1);
}

#[test]
fn the_hostile_report_in_chromium() {
    let Some(bin) = chromium("the_hostile_report_in_chromium") else { return };
    let (l, a, html) = render_hostile();
    let dom = in_browser(&bin, &html, "report-hostile");
    the_script_ran(&dom);
    check_statements(&dom, &l, &a);
    assert_eq!(dom.find_all(|n| n.name == "script").len(), 1, "no <script> element from the article");
    assert_eq!(dom.find_all(|n| n.name == "style").len(), 1);
    assert!(dom.find_all(|n| n.name == "img").is_empty());
    assert_eq!(dom.find_all(|n| n.name == "title")[0].text(), format!("Trace report: {HOSTILE_TITLE}"));
    let stmts = statements(&dom);
    assert!(stmts.iter().any(|s| s.own_words().contains(PWN)), "the article's script is text");
}

/// The report's script and stylesheet, driven by the keyboard: before any key
/// no card is marked and every pop-up is hidden; pressing Tab reaches the first
/// statement (after the skip link), which shows its pop-up and marks its card
/// in the side panel as current; the next Tab moves both to the second
/// statement and hides the first one's; Shift+Tab goes back.
#[test]
fn tab_focus_shows_the_statements_evidence_in_chromium() {
    let Some(bin) = chromium("tab_focus_shows_the_statements_evidence_in_chromium") else { return };
    let r = render_sample();
    let page = artifacts().join("report-keyboard.html");
    std::fs::write(&page, &r.html).unwrap();
    let mut b = cdp::Browser::open(&bin, &page, 1280, 2000);
    b.wait_for("document.readyState === 'complete' && document.documentElement.getAttribute('data-script') === 'ran'");
    // The page's state as the user sees it: the focused element, which pop-ups
    // are displayed, and which cards are marked current.
    let state = "(() => {
        const a = document.activeElement;
        const shown = [...document.querySelectorAll('.article .stmt')]
            .filter(s => getComputedStyle(s.querySelector(':scope > .pop')).display !== 'none')
            .map(s => s.id);
        const current = [...document.querySelectorAll('aside.panel .current')].map(c => c.id);
        return { focused: a && a.id ? a.id : (a ? a.tagName + '.' + a.className : null), shown, current,
                 skip: a ? a.classList.contains('skip') : false };
    })()";
    let stmts = statements(&parse(&r.html)).len();
    assert!(stmts >= 3, "the sample has statements to move through");
    let before = b.eval(state);
    assert_eq!(before["shown"], serde_json::json!([]), "{before}");
    assert_eq!(before["current"], serde_json::json!([]), "{before}");

    // Tab until the first statement has focus; the skip link comes first.
    let mut tabs = 0;
    while b.eval(state)["focused"] != "s-1" {
        tabs += 1;
        assert!(tabs <= 3, "three Tabs did not reach the first statement: {}", b.eval(state));
        b.press("Tab", 9, false);
        if tabs == 1 {
            assert_eq!(b.eval(state)["skip"], true, "the first Tab reaches the skip link");
        }
    }
    let first = b.eval(state);
    assert_eq!(first["shown"], serde_json::json!(["s-1"]), "{first}");
    assert_eq!(first["current"], serde_json::json!(["ev-1"]), "{first}");
    assert_eq!(b.eval("document.getElementById('ev-1').closest('aside.panel') !== null"), true);

    b.press("Tab", 9, false);
    let second = b.eval(state);
    assert_eq!(second["focused"], "s-2", "{second}");
    assert_eq!(second["shown"], serde_json::json!(["s-2"]), "{second}");
    assert_eq!(second["current"], serde_json::json!(["ev-2"]), "{second}");

    b.press("Tab", 9, true);
    let back = b.eval(state);
    assert_eq!(back["focused"], "s-1", "{back}");
    assert_eq!(back["shown"], serde_json::json!(["s-1"]), "{back}");
    assert_eq!(back["current"], serde_json::json!(["ev-1"]), "{back}");
}

// ---------------------------------------------------------------------------
// The corpus article (when CLAIMLEDGER_CORPUS is set).

const CORPUS_TRACE: &str = include_str!("fixtures/tpm-trump-russia.trace.toml");

#[test]
fn the_corpus_report_in_chromium() {
    let Some(article) =
        common::corpus_file("the_corpus_report_in_chromium", "tpm-trump-and-russia-worked-towards-the-same-goal.txt")
    else {
        return;
    };
    let Some(bin) = chromium("the_corpus_report_in_chromium") else { return };
    let dir = article.parent().unwrap();
    let trace = TraceFile::from_toml(CORPUS_TRACE).unwrap();
    let mut l = Ledger::open_in_memory().unwrap();
    for (key, name) in [("vol1", "mueller-report-vol1"), ("vol2", "mueller-report-vol2")] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = RedactionFile::read(dir.join(format!("{name}.redactions.json"))).unwrap();
        let title = trace.sources.iter().find(|s| s.key == key).unwrap().title.clone();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, title), text);
        imp.redactions = Redactions::StandOff(file);
        l.import_source(imp).unwrap();
    }
    let out = l.import_trace(&std::fs::read_to_string(&article).unwrap(), &trace).unwrap();
    let a = l.audit(out.article.id).unwrap();
    let html = l.render_report(out.article.id).unwrap();
    check_self_contained(&html, &parse(&html));

    let dom = in_browser(&bin, &html, "report-corpus");
    the_script_ran(&dom);
    check_statements(&dom, &l, &a);
    check_summary(&dom, &a);
    let stmts = statements(&dom);
    assert_eq!(stmts.len(), 59);
    let with = |needle: &str| -> &Node {
        let found: Vec<&&Node> = stmts.iter().filter(|s| s.own_words().contains(needle)).collect();
        assert_eq!(found.len(), 1, "{needle}");
        found[0]
    };
    assert!(with("driving to LaGuardia Airport").has_class("mk-withheld"));
    let kilimnik = with("Mueller cites a December 2016 message");
    assert!(kilimnik.has_class("mk-withheld") && kilimnik.has_class("mk-withheld-only"));
    let mr = stmts.iter().filter(|s| s.has_class("mk-altered")).collect::<Vec<_>>();
    assert_eq!(mr.len(), 1);
    let altered_quote = mr[0].find_all(|n| n.has_class("qs-altered") && n.has_class("qt"));
    assert_eq!(altered_quote.len(), 1);
    assert!(altered_quote[0].own_words().contains("Mr Trump"));
    let ins: Vec<String> = mr[0].find_all(|n| n.name == "ins").iter().map(|n| n.text()).collect();
    assert_eq!(ins, ["Mr."]);
}

// ---------------------------------------------------------------------------
// Odd ledgers: overlapping claims, text outside claims, a very long passage.

#[test]
fn odd_ledgers_render_without_panicking() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Long")).unwrap();
    let long = format!("Start {} end.", "word ".repeat(3000));
    let srev = l.add_revision(src.id, NewRevision::new(long.clone())).unwrap();
    let passage = l.add_passage(NewPassage::new(Span::new(srev.id, 0, long.len()))).unwrap();
    let doc = l.add_document(NewDocument::new(DocumentKind::Article, "Odd")).unwrap();
    let text = "First part here. Second part there.\n\nTail outside any claim.";
    let rev = l.add_revision(doc.id, NewRevision::new(text)).unwrap();
    let a = l.add_claim(NewClaim::new(Span::new(rev.id, 0, 16))).unwrap();
    let b = l.add_claim(NewClaim::new(Span::new(rev.id, 6, 35))).unwrap(); // overlaps a
    l.add_claim(NewClaim::new(Span::new(rev.id, 6, 10))).unwrap(); // inside both
    l.add_citation(NewCitation::new(a.id, passage.id, Relation::Supports)).unwrap();
    l.add_citation(NewCitation::new(b.id, passage.id, Relation::Contradicts)).unwrap();
    let html = l.render_report(doc.id).unwrap();
    let dom = parse(&html);
    let stmts = statements(&dom);
    assert_eq!(stmts.len(), 3, "one element per claim, even overlapping ones");
    for class in ["st-supported", "st-contradicted", "st-uncited"] {
        assert_eq!(count_class(&stmts, class), 1, "{class}");
    }
    assert!(stmts[0].has_class("st-supported"));
    // The article's words each appear once, text outside claims included.
    let article = dom.find_all(|n| n.name == "main")[0];
    let words: String =
        article.find_all(|n| n.has_class("para")).iter().map(|p| p.own_words()).collect::<Vec<_>>().join("\n\n");
    assert_eq!(words, text);
    // The long passage is cut, with an ellipsis.
    let passages = stmts[0].find_all(|n| n.has_class("passage"));
    let shown = passages[0].text();
    assert!(shown.len() <= claimledger::report::MAX_PASSAGE_BYTES + 3 && shown.ends_with('…'), "{}", shown.len());
    // An unknown document is an error, not a page.
    assert!(l.render_report(DocumentId::new()).unwrap_err().is_not_found());
}

// ---------------------------------------------------------------------------
// Origins in the evidence panel (a made-up inquiry; the corpus is in
// `evidence_corpus.rs`).

/// The first sentence rests on one witness (two interviews), the second on two
/// independent origins.
const INQUIRY: &str = "The depot closed early.[^1] The manager ordered it.[^2]\n\nFootnotes\n\n\
[^1]: Lark 1/30/18 302, at 3; Lark 2/2/18 302, at 1.\n\
[^2]: See Lark 1/30/18 302, at 4; 3/1/17 Email, Finch to Wren (9:00 a.m.).\n";

/// The `span.origins` of each side-panel card, in statement order.
fn origins_of_cards(html: &str) -> Vec<(Vec<String>, String, Vec<String>)> {
    let doc = parse(html);
    let cards = doc.find_all(|n| n.name == "li" && n.attr("id").is_some_and(|i| i.starts_with("ev-")));
    cards
        .iter()
        .map(|c| {
            let o = c.find_all(|n| n.has_class("origins"));
            assert!(o.len() <= 1, "one origins line per card");
            match o.first() {
                None => (vec![], String::new(), vec![]),
                Some(o) => (
                    o.classes().iter().map(|c| c.to_string()).collect(),
                    o.text(),
                    o.find_all(|n| n.has_class("withdrawn")).iter().map(|n| n.text()).collect(),
                ),
            }
        })
        .collect()
}

#[test]
fn the_evidence_panel_shows_independent_origins_and_withdrawals() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src =
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Depot inquiry"), INQUIRY)).unwrap();
    let art = l
        .add_article(
            NewDocument::new(DocumentKind::Article, "Depot story"),
            "The depot closed early. Its manager ordered the closure.",
        )
        .unwrap();
    for (claim, sentence) in art.claims.iter().zip(["The depot closed early.", "The manager ordered it."]) {
        let start = INQUIRY.find(sentence).unwrap();
        let p = l.add_passage(NewPassage::new(Span::new(src.revision.id, start, start + sentence.len()))).unwrap();
        l.add_citation(NewCitation::new(claim.id, p.id, Relation::Supports)).unwrap();
    }

    let html = l.render_report(art.document.id).unwrap();
    assert!(parse(&html).find_all(|n| n.attr("data-coverage") == Some("standing")).is_empty(), "nothing withdrawn");
    let cards = origins_of_cards(&html);
    assert_eq!(cards.len(), 2);
    let (class, text, struck) = &cards[0];
    assert!(class.contains(&"og-stands".to_string()), "{class:?}");
    assert!(text.contains("1 independent origin") && text.contains("rests on one account"), "{text}");
    assert!(text.contains("Lark (2 items)"), "{text}");
    assert!(struck.is_empty());
    let (_, text, _) = &cards[1];
    assert!(text.contains("2 independent origins") && !text.contains("rests on one account"), "{text}");
    assert!(text.contains("Finch (1 item)") && text.contains("Lark (1 item)"), "{text}");

    // Lark withdrawn: the first statement's support falls, the second thins.
    l.withdraw(&WithdrawalTarget::Origin("Lark".into()), "found to have lied").unwrap();
    let html = l.render_report(art.document.id).unwrap();
    let standing = parse(&html);
    let standing = standing.find_all(|n| n.attr("data-coverage") == Some("standing"));
    assert_eq!(standing.len(), 1);
    assert_eq!((standing[0].attr("data-value"), standing[0].text().as_str()), (Some("0.5"), "50.0%"));
    let cards = origins_of_cards(&html);
    let (class, text, struck) = &cards[0];
    assert!(class.contains(&"og-falls".to_string()), "{class:?}");
    assert!(text.contains("0 independent origins") && text.contains("support falls"), "{text}");
    assert_eq!(struck, &["Lark"]);
    let (class, text, struck) = &cards[1];
    assert!(class.contains(&"og-thins".to_string()), "{class:?}");
    assert!(text.contains("1 independent origin") && text.contains("support thins"), "{text}");
    assert!(text.contains("rests on one account"), "Finch alone stands: {text}");
    assert_eq!(struck, &["Lark"]);
}

#[test]
fn the_sample_reports_supported_statements_say_no_origin_was_reached() {
    // The sample report's footnotes are prose, citing nothing the parser types.
    let r = render_sample();
    let cards = origins_of_cards(&r.html);
    let with_origins = cards.iter().filter(|(class, _, _)| !class.is_empty()).count();
    assert_eq!(with_origins, r.audit.origins.len());
    assert!(with_origins > 0);
    for (class, text, _) in cards.iter().filter(|(class, _, _)| !class.is_empty()) {
        assert!(class.contains(&"og-no_origin".to_string()), "{class:?}");
        assert!(text.contains("no origin reached"), "{text}");
    }
}
