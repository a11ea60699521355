//! Sources change: a new revision of a source (`add-source --revision-of`),
//! re-anchoring its passages, redactions and quotations, and the audit's review
//! lists.

use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::trace::TraceFile;
use claimledger::*;
use std::path::Path;
use std::process::{Command, Output};

const TITLE: &str = "Review of the Northgate Ferry Terminal Reconstruction Contract (OIG-2023-07)";
const ARTICLE_TITLE: &str = "Ferry Terminal Managers Brushed Aside Cost Warnings, Watchdog Says";
/// The words a court-ordered re-release prints where the first release had
/// `[Harm to Ongoing Matter]`.
const RELEASED: &str = "payments Halvorsen Marine Works made to a consultant";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A corrected edition of the sample report: the `[Harm to Ongoing Matter]`
/// redaction lifted (its words printed instead), a sentence added at the top (so
/// everything after it moves), a figure corrected, and the paragraph on
/// recommendations' response removed. Returns the text and its redaction file
/// (the `[Personal Privacy]` redaction is kept, at its new place).
fn corrected_edition() -> (String, String) {
    let text = sample::REPORT
        .replace("[Harm to Ongoing Matter]", RELEASED)
        .replace(
            "I. Summary\n\n",
            "I. Summary\n\nThis edition corrects the report issued on September 14, 2023, and releases material withheld from it.\n\n",
        )
        .replace("the median delay was 23 days", "the median delay was 32 days")
        .replace("The Department’s written response, dated August 30, 2023, accepted all three recommendations.\n\n", "");
    assert_ne!(text, sample::REPORT);
    let chars: Vec<char> = text.chars().collect();
    let byte = text.find("[Personal Privacy]").unwrap();
    let start = text[..byte].chars().count();
    let end = start + "[Personal Privacy]".chars().count();
    assert_eq!(chars[start..end].iter().collect::<String>(), "[Personal Privacy]");
    let redactions = serde_json::json!({
        "text": "report-2.txt",
        "offsets": "unicode code points, end exclusive",
        "redactions": [{"type": "TextPositionSelector", "start": start, "end": end,
                        "exact": "[Personal Privacy]", "label": "Personal Privacy"}]
    });
    (text, redactions.to_string())
}

/// The sample traced into a ledger: (ledger, source document, article document).
fn traced_sample() -> (Ledger, Document, Document) {
    let mut l = Ledger::open_in_memory().unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, TITLE), sample::REPORT);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(sample::REPORT_REDACTIONS).unwrap());
    let src = l.import_source(imp).unwrap();
    let trace = TraceFile::from_toml(sample::TRACE).unwrap();
    let out = l.import_trace(sample::ARTICLE, &trace).unwrap();
    (l, src.document, out.article)
}

fn add_corrected(l: &mut Ledger, doc: &Document) -> Revision {
    let (text, redactions) = corrected_edition();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), text);
    imp.redactions = Redactions::StandOff(RedactionFile::from_json(&redactions).unwrap());
    imp.revision_of = Some(doc.id);
    let out = l.import_source(imp).unwrap();
    assert!(out.created);
    assert_eq!(out.document.id, doc.id);
    assert_eq!(out.revision.seq, 2);
    assert_eq!(out.redactions, 1);
    out.revision
}

#[test]
fn revision_of_adds_a_second_revision_to_the_named_source() {
    let (mut l, doc, article) = traced_sample();
    let rev = add_corrected(&mut l, &doc);
    assert_eq!(l.revisions(doc.id).unwrap().len(), 2);
    assert_eq!(l.latest_revision(doc.id).unwrap().unwrap().id, rev.id);
    // Footnotes of the new text are passages of the new revision.
    assert_eq!(l.passages(rev.id).unwrap().iter().filter(|p| p.kind == PassageKind::Footnote).count(), 4);

    // An unknown document: not found, nothing written.
    let before = l.documents().unwrap().len();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "x"), "Another text.");
    imp.revision_of = Some(DocumentId::new());
    assert!(l.import_source(imp).unwrap_err().is_not_found());
    // An article: refused with a reason, nothing written.
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "x"), "Another text.");
    imp.revision_of = Some(article.id);
    let err = l.import_source(imp).unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert!(err.to_string().contains("an article"), "{err}");
    assert_eq!(l.documents().unwrap().len(), before);
    assert_eq!(l.revisions(article.id).unwrap().len(), 1);
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn add_source_revision_of_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = write(d, "report.txt", sample::REPORT);
    let redactions = write(d, "report.redactions.json", sample::REPORT_REDACTIONS);
    let article = write(d, "article.txt", sample::ARTICLE);
    let trace = write(d, "article.trace.toml", sample::TRACE);
    let (text2, red2) = corrected_edition();
    let report2 = write(d, "report-2.txt", &text2);
    let red2 = write(d, "report-2.redactions.json", &red2);
    let ledger = d.join("desk.ledger");
    let ledger = ledger.to_str().unwrap();

    let o = run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", TITLE]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["trace", ledger, "--article", &article, "--trace", &trace]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Naming no document, or an article: a one-line error, exit 2, nothing added.
    let o = run(&["add-source", ledger, &report2, "--revision-of", "No such report"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("document not found: No such report"), "{}", stderr(&o));
    let o = run(&["add-source", ledger, &report2, "--revision-of", ARTICLE_TITLE]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is an article"), "{}", stderr(&o));
    let l = Ledger::open(ledger).unwrap();
    let doc = l.find_document(TITLE).unwrap();
    assert_eq!(l.revisions(doc.id).unwrap().len(), 1);
    drop(l);

    let o = run(&["add-source", ledger, &report2, "--redactions", &red2, "--revision-of", TITLE]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(#2, 1 redactions, 4 footnotes"), "{}", stdout(&o));
    let l = Ledger::open(ledger).unwrap();
    assert_eq!(l.revisions(doc.id).unwrap().len(), 2);
    assert_eq!(l.documents().unwrap().len(), 2, "no new document");
}
