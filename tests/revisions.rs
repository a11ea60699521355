//! Sources change: a new revision of a source (`add-source --revision-of`),
//! re-anchoring its passages, redactions and quotations, and the audit's review
//! lists.

use claimledger::cli::sample;
use claimledger::import::{RedactionFile, Redactions, SourceImport};
use claimledger::reanchor::{AnchorMove, Place, Reanchored};
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

fn state_of<'a>(out: &'a Reanchored, kind: AnchorKind, id: &str) -> &'a AnchorMove {
    out.anchors.iter().find(|a| a.kind == kind && a.id == id).unwrap_or_else(|| panic!("no {kind} {id}"))
}

fn containing<'a>(passages: &'a [Passage], words: &str) -> &'a Passage {
    let mut found = passages.iter().filter(|p| p.kind == PassageKind::Text && p.quote.exact.contains(words));
    let p = found.next().unwrap_or_else(|| panic!("no passage with {words:?}"));
    assert!(found.next().is_none(), "several passages with {words:?}");
    p
}

fn chars(text: &str, place: &Place) -> String {
    text.chars().skip(place.start).take(place.end - place.start).collect()
}

#[test]
fn a_corrected_edition_is_reanchored_passage_by_passage() {
    let (mut l, doc, _) = traced_sample();
    let r1 = l.latest_revision(doc.id).unwrap().unwrap();
    let passages = l.passages(r1.id).unwrap();
    let redactions = l.redactions(r1.id).unwrap();
    let r2 = add_corrected(&mut l, &doc);

    let out = l.reanchor(doc.id, 1, 2).unwrap();
    assert_eq!((out.from, out.to), (1, 2));
    // Every passage and redaction of revision 1 is reported once, and the three
    // quotations anchored in it.
    let n = |k: AnchorKind| out.anchors.iter().filter(|a| a.kind == k).count();
    assert_eq!(n(AnchorKind::Passage), passages.len());
    assert_eq!(n(AnchorKind::Redaction), redactions.len());
    assert_eq!(n(AnchorKind::Quotation), 3);

    // Before the inserted sentence: same text at the same place.
    let p = containing(&passages, "Issued September 14, 2023");
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    assert_eq!(m.state, AnchorState::Same);
    assert_eq!(m.new.unwrap().start, p.position.start);
    assert_eq!(m.score, Some(1.0));
    // After it: the same words elsewhere, on the new text's page.
    let p = containing(&passages, "approved 37 change orders");
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    assert_eq!(m.state, AnchorState::Moved);
    let new = m.new.unwrap();
    assert_eq!(chars(&r2.text, &new), p.quote.exact);
    let at = r2.text[..r2.text.find(p.quote.exact.as_str()).unwrap()].chars().count();
    assert_eq!(new.start, at);
    assert!(new.start > p.position.start);
    assert_eq!(new.page, Some(2));
    // A corrected figure: changed, with the difference.
    let p = containing(&passages, "64 were filed late");
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    assert_eq!(m.state, AnchorState::Changed);
    assert_eq!(m.differences, vec![Difference { quoted: "23".into(), source: "32".into() }]);
    assert!(m.score.unwrap() < 1.0);
    assert!(chars(&r2.text, &m.new.unwrap()).contains("median delay was 32 days"));
    // The sentence that was removed: orphaned, with a reason.
    let p = containing(&passages, "accepted all three recommendations");
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    assert_eq!(m.state, AnchorState::Orphaned);
    assert_eq!(m.new, None);
    assert!(m.reason.is_some());
    // The sentence with the lifted redaction: changed, the released words as the difference.
    let p = containing(&passages, "[Harm to Ongoing Matter]");
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    assert_eq!(m.state, AnchorState::Changed);
    assert!(chars(&r2.text, &m.new.unwrap()).contains(RELEASED));
    assert!(m.differences.iter().any(|d| d.source == RELEASED), "{:?}", m.differences);

    // The lifted redaction: released, with its words; the other one kept.
    let hom = redactions.iter().find(|r| r.label == "Harm to Ongoing Matter").unwrap();
    let m = state_of(&out, AnchorKind::Redaction, &hom.id.to_string());
    assert_eq!(m.state, AnchorState::Released);
    assert_eq!(m.released_text.as_deref(), Some(RELEASED));
    assert_eq!(chars(&r2.text, &m.new.unwrap()), RELEASED);
    let pp = redactions.iter().find(|r| r.label == "Personal Privacy").unwrap();
    let m = state_of(&out, AnchorKind::Redaction, &pp.id.to_string());
    assert_eq!(m.state, AnchorState::Kept);
    assert_eq!(chars(&r2.text, &m.new.unwrap()), "[Personal Privacy]");
    assert_eq!(m.released_text, None);

    // Quotations: where each anchored, carried over.
    for q in out.anchors.iter().filter(|a| a.kind == AnchorKind::Quotation) {
        assert_eq!(q.state, AnchorState::Moved, "{q:?}");
        assert_eq!(chars(&r1.text, &q.old), chars(&r2.text, &q.new.unwrap()));
    }
    let c = &out.counts;
    assert_eq!(c.same + c.moved + c.changed + c.orphaned + c.released + c.kept, out.anchors.len());
    assert_eq!((c.released, c.kept), (1, 1));
    assert_eq!(c.orphaned, 1);
}

#[test]
fn citations_follow_as_new_rows_and_the_audit_lists_what_to_review() {
    let (mut l, doc, article) = traced_sample();
    let r1 = l.latest_revision(doc.id).unwrap().unwrap();
    let art = l.latest_revision(article.id).unwrap().unwrap();
    let old_citations = l.citations_of_revision(art.id).unwrap();
    let before = l.audit(article.id).unwrap();
    assert!(before.stale.is_empty() && before.review.is_empty() && before.released.is_empty());
    let r2 = add_corrected(&mut l, &doc);
    // A new revision alone: every citation is stale.
    let stale = l.audit(article.id).unwrap();
    assert_eq!(stale.stale.len(), old_citations.len());

    let out = l.reanchor(doc.id, 1, 2).unwrap();
    // Old citations are untouched; each landed passage's citations are copied.
    let now = l.citations_of_revision(art.id).unwrap();
    for c in &old_citations {
        assert_eq!(l.citation(c.id).unwrap().as_ref(), Some(c));
    }
    assert_eq!(now.len(), old_citations.len() + out.counts.citations);
    let orphaned: Vec<&AnchorMove> =
        out.anchors.iter().filter(|a| a.kind == AnchorKind::Passage && a.state == AnchorState::Orphaned).collect();
    for c in &old_citations {
        let m = state_of(&out, AnchorKind::Passage, &c.passage.to_string());
        match m.passage {
            Some(np) => {
                let copy = now.iter().find(|x| x.claim == c.claim && x.passage == np && x.relation == c.relation);
                let copy = copy.unwrap_or_else(|| panic!("citation {c:?} not carried"));
                assert_ne!(copy.id, c.id);
                assert_eq!(copy.note, c.note);
                assert_eq!(l.passage(np).unwrap().unwrap().span.revision, r2.id);
                assert_eq!(l.passage(c.passage).unwrap().unwrap().span.revision, r1.id);
            }
            None => assert!(orphaned.iter().any(|o| o.id == c.passage.to_string())),
        }
    }

    let a = l.audit(article.id).unwrap();
    // Stale: only the citation whose passage was orphaned (nothing carried it).
    assert_eq!(a.stale.len(), 1, "{:?}", a.stale);
    assert!(a.stale[0].statement.contains("accepted all three"));
    // Review: the orphaned one and the changed ones.
    let states: Vec<(AnchorState, &str)> = a.review.iter().map(|r| (r.state, r.statement.as_str())).collect();
    assert!(states.iter().any(|(s, t)| *s == AnchorState::Orphaned && t.contains("accepted all three")), "{states:?}");
    assert!(
        states.iter().any(|(s, t)| *s == AnchorState::Changed && t.contains("112 field inspection reports")),
        "{states:?}"
    );
    let changed = a.review.iter().find(|r| r.statement.contains("112 field inspection")).unwrap();
    assert_eq!(changed.differences, vec![Difference { quoted: "23".into(), source: "32".into() }]);
    assert_eq!((changed.from_revision, changed.to_revision), (1, 2));
    // Released: the statement that rested on the lifted redaction, with the words.
    let rel: Vec<&claimledger::audit::ReleasedEvidence> = a.released.iter().collect();
    assert!(!rel.is_empty());
    assert!(rel.iter().all(|r| r.label == "Harm to Ongoing Matter" && r.released_text == RELEASED && r.revision == 2));
    assert!(rel.iter().any(|r| r.statement.contains("blacked out in the public version")), "{rel:?}");
    let text = a.to_text();
    assert!(text.contains("Withheld material now released: review"), "{text}");
    assert!(text.contains(RELEASED), "{text}");
    assert!(text.contains("Citations to review"), "{text}");
    // The audit JSON carries both lists.
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["released"][0]["released_text"], RELEASED);
    assert!(json["review"].as_array().unwrap().len() >= 2);
}

#[test]
fn reanchoring_to_itself_is_a_no_op_and_twice_is_refused_without_writing() {
    let (mut l, doc, article) = traced_sample();
    let count = |l: &Ledger| {
        let art = l.latest_revision(article.id).unwrap().unwrap();
        let revs = l.revisions(doc.id).unwrap();
        (
            l.citations_of_revision(art.id).unwrap().len(),
            revs.iter().map(|r| l.passages(r.id).unwrap().len()).sum::<usize>(),
        )
    };
    let out = l.reanchor(doc.id, 1, 1).unwrap();
    assert!(out.anchors.is_empty());
    assert_eq!(out.counts, claimledger::reanchor::AnchorCounts::default());
    add_corrected(&mut l, &doc);
    let n0 = count(&l);
    assert_eq!(l.reanchor(doc.id, 2, 2).unwrap().anchors.len(), 0);
    assert_eq!(count(&l), n0);
    // Unknown revision or document: not found, nothing written.
    assert!(l.reanchor(doc.id, 1, 3).unwrap_err().is_not_found());
    assert!(l.reanchor(DocumentId::new(), 1, 2).unwrap_err().is_not_found());
    assert_eq!(count(&l), n0);
    l.reanchor(doc.id, 1, 2).unwrap();
    let n1 = count(&l);
    assert!(n1.0 > n0.0);
    // Twice: a conflict, and nothing more is written.
    assert!(l.reanchor(doc.id, 1, 2).unwrap_err().is_conflict());
    assert_eq!(count(&l), n1);
}

#[test]
fn reanchor_from_the_command_line() {
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
    assert!(run(&["add-source", ledger, &report, "--redactions", &redactions, "--title", TITLE]).status.success());
    assert!(run(&["trace", ledger, "--article", &article, "--trace", &trace]).status.success());
    // One revision only: nothing to carry from.
    let o = run(&["reanchor", ledger, "--document", TITLE]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("only revision 1"), "{}", stderr(&o));
    assert!(run(&["add-source", ledger, &report2, "--redactions", &red2, "--revision-of", TITLE]).status.success());

    let o = run(&["reanchor", ledger, "--document", TITLE, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let anchors = json["anchors"].as_array().unwrap();
    for a in anchors {
        for field in ["kind", "id", "state", "old", "new", "score", "differences", "released_text"] {
            assert!(a.get(field).is_some(), "field {field} in {a}");
        }
        for field in ["start", "end", "page"] {
            assert!(a["old"].get(field).is_some());
        }
    }
    let released: Vec<&serde_json::Value> = anchors.iter().filter(|a| a["state"] == "released").collect();
    assert_eq!(released.len(), 1);
    assert_eq!(released[0]["kind"], "redaction");
    assert_eq!(released[0]["released_text"], RELEASED);
    // Offsets are code points of the new text.
    let (s, e) =
        (released[0]["new"]["start"].as_u64().unwrap() as usize, released[0]["new"]["end"].as_u64().unwrap() as usize);
    assert_eq!(text2.chars().skip(s).take(e - s).collect::<String>(), RELEASED);
    assert_eq!(json["counts"]["released"], 1);
    assert_eq!(json["counts"]["orphaned"], 1);

    // Again: refused (exit 2); to itself: a no-op.
    let o = run(&["reanchor", ledger, "--document", TITLE, "--from", "1", "--to", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already re-anchored"), "{}", stderr(&o));
    let o = run(&["reanchor", ledger, "--document", TITLE, "--from", "2", "--to", "2"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("0 same, 0 moved, 0 changed, 0 orphaned"), "{}", stdout(&o));

    // The audit lists what to review, in text and JSON.
    let o = run(&["audit", ledger, "--document", ARTICLE_TITLE]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Withheld material now released: review"), "{}", stdout(&o));
    assert!(stdout(&o).contains(RELEASED), "{}", stdout(&o));
}

/// A clean text with end notes and its "PDF" text: footnotes printed at the
/// foot of the page after their number, markers as bare numbers, a redaction
/// label as loose words with scan noise around it.
const CLEAN_NOTES: &str = "The committee met on Monday.[^1] It reviewed the ferry contract in detail.[^2] \
The chair asked for the ledger of payments.[^3] Nobody on the board had a copy of it.[^4]\n\n\
The payment went to [Personal Privacy] in May 2020, the audit found.\n\n\
Footnotes\n\n\
[^1]: Minutes of the committee, March 3, 2023, at 2.\n\
[^2]: Id.\n\
[^3]: [Personal Privacy]\n\
[^4]: Id.\n";

const PDF_NOTES: &str = "Office of the Inspector General\n\
The committee met on Monday.1 It reviewed the ferry\n\
contract in detail. 2 The chair asked for the ledger of\n\
payments. 3 Nobody on the board had a copy of it.4\n\
The payment went to ~ Personal Privacy ·· in May 2020, the\n\
audit found.\n\
1\n\
Minutes of the committee, March 3, 2023, at 2.\n\
2\n\
Id.\n\
Personal Privacy\n\
4\n\
Id.\n\
7\n\x0cOffice of the Inspector General\nThe end.\n";

fn notes_reanchored(pdf: &str) -> (Ledger, Reanchored, Vec<Passage>) {
    let mut l = Ledger::open_in_memory().unwrap();
    let imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "Notes"), CLEAN_NOTES);
    let src = l.import_source(imp).unwrap();
    assert_eq!(src.footnotes, 4);
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf);
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    (l, out, passages)
}

#[test]
fn footnotes_markers_and_label_only_footnotes_follow_into_a_paged_text() {
    let (_, out, passages) = notes_reanchored(PDF_NOTES);
    let new_text: Vec<char> = PDF_NOTES.chars().collect();
    let at = |m: &AnchorMove| {
        let p = m.new.as_ref().unwrap_or_else(|| panic!("{m:?} landed"));
        new_text[p.start..p.end].iter().collect::<String>()
    };
    let line_before = |m: &AnchorMove| {
        let p = m.new.as_ref().unwrap();
        let before: String = new_text[..p.start].iter().collect();
        before.trim_end().rsplit('\n').next().unwrap().to_string()
    };
    for n in 1..=4u32 {
        let note = passages.iter().find(|p| p.footnote == Some(n)).unwrap();
        let m = state_of(&out, AnchorKind::Passage, &note.id.to_string());
        match n {
            1 => assert_eq!(at(m), "Minutes of the committee, March 3, 2023, at 2."),
            // The two "Id." are told apart by the number printed before each.
            2 | 4 => {
                assert_eq!(at(m), "Id.");
                assert_eq!(line_before(m), n.to_string(), "footnote {n}");
            }
            // Label-only: the label printed between footnotes 2 and 4.
            _ => assert_eq!(at(m), "Personal Privacy"),
        }
        assert_eq!(m.new.as_ref().unwrap().page, Some(1));
        // Its marker lands on the number printed after the same words.
        let marker = passages.iter().find(|p| p.footnote.is_none() && p.quote.exact == format!("[^{n}]")).unwrap();
        let mk = state_of(&out, AnchorKind::Passage, &marker.id.to_string());
        assert_eq!(mk.state, AnchorState::Moved, "marker {n}: {mk:?}");
        assert_eq!(at(mk), n.to_string());
        let before: String = new_text[..mk.new.as_ref().unwrap().start].iter().collect();
        let expected_words = ["Monday.", "detail.", "payments.", "it."][n as usize - 1];
        assert!(before.trim_end().ends_with(expected_words), "marker {n} after {expected_words:?}");
    }
    // Both redactions are kept: the label printed with scan noise is no release.
    let reds: Vec<&AnchorMove> = out.anchors.iter().filter(|m| m.kind == AnchorKind::Redaction).collect();
    assert_eq!(reds.len(), 2);
    for r in reds {
        assert_eq!(r.state, AnchorState::Kept, "{r:?}");
        assert_eq!(at(r), "Personal Privacy");
    }
    assert_eq!(out.counts.orphaned, 0, "{:?}", out.anchors);
}

#[test]
fn a_place_of_scan_noise_is_kept_and_printed_words_are_released() {
    let noise = PDF_NOTES.replace("~ Personal Privacy ··", ", · -");
    let (_, out, _) = notes_reanchored(&noise);
    let body = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_eq!(body.state, AnchorState::Kept, "{body:?}");
    assert_eq!(body.released_text, None);

    let lifted = PDF_NOTES.replace("~ Personal Privacy ··", "Ann Lee");
    let (_, out, _) = notes_reanchored(&lifted);
    let body = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_eq!(body.state, AnchorState::Released, "{body:?}");
    assert_eq!(body.released_text.as_deref(), Some("Ann Lee"));
}

/// End notes whose first footnote is withheld (its number printed with a
/// scan's speck after it) and whose second is printed on the next page, with
/// scan slips, after its number. The clean text has a long section before its
/// notes that the paged text prints after them, so nothing around the place
/// the second footnote is expected holds it.
fn withheld_texts() -> (String, String) {
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(200);
    let clean = format!(
        "The board replied [Personal Privacy].[^1] The minister signed the ferry contract in June.[^2] \
         The auditor wrote to the board in May.[^3]\n\n{filler}Footnotes\n\n\
         [^1]: [Personal Privacy]\n\
         [^2]: Contract between the ministry and Harbour Ferries Ltd, signed June 14, 2023, clause 12.\n\
         [^3]: Letter of the auditor to the board, May 2, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The board replied\n\
         The minister signed the ferry contract in June. 2 The auditor wrote to the\n\
         board in May.3\n\
         1\n\
         •\n\
         7\n\x0cOffice of the Inspector General\n\
         The end of the summary.\n\
         2\n\
         Contract betwcen the mlnistry and Harbour Ferries Ltd, sig ned June 14, 2023, c1ause 12.\n\
         3\n\
         Letter of the auditor to the board, May 2, 2023.\n\
         8\n\x0c{filler}"
    );
    (clean, pdf)
}

#[test]
fn a_footnote_found_by_its_printed_number_and_a_withheld_one_said_why() {
    let (clean, pdf) = withheld_texts();
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), clean)).unwrap();
    assert_eq!(src.footnotes, 3);
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf.clone());
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    let new_text: Vec<char> = pdf.chars().collect();
    let at = |m: &AnchorMove| {
        let p = m.new.as_ref().unwrap_or_else(|| panic!("{m:?} landed"));
        new_text[p.start..p.end].iter().collect::<String>()
    };
    let note = |n: u32| {
        let p = passages.iter().find(|p| p.footnote == Some(n)).unwrap();
        state_of(&out, AnchorKind::Passage, &p.id.to_string())
    };
    let marker = |n: u32| {
        let p = passages.iter().find(|p| p.footnote.is_none() && p.quote.exact == format!("[^{n}]")).unwrap();
        state_of(&out, AnchorKind::Passage, &p.id.to_string())
    };
    // Footnote 2 is on the next page with scan slips, far from where it was
    // expected: the text after its number, between its neighbours, holds most
    // of its words.
    let two = note(2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(at(two), "Contract betwcen the mlnistry and Harbour Ferries Ltd, sig ned June 14, 2023, c1ause 12.");
    assert_eq!(two.new.unwrap().page, Some(2));
    assert_eq!(at(marker(2)), "2");
    // Footnote 1 is withheld: its number is printed with nothing legible after it.
    let one = note(1);
    assert_eq!(one.state, AnchorState::Orphaned, "{one:?}");
    assert!(one.reason.as_deref().unwrap().contains("prints its footnote number and no words or label"), "{one:?}");
    // Its marker (the body prints neither) lands on that number, not on the
    // page's number or another line.
    let m1 = marker(1);
    assert_eq!(m1.state, AnchorState::Changed, "{m1:?}");
    assert_eq!(at(m1), "1");
    let before: String = new_text[..m1.new.unwrap().start].iter().collect();
    assert!(before.ends_with("board in May.3\n"), "the footnote area's 1: {before:?}");
    assert_eq!(m1.new.unwrap().page, Some(1));
    assert_eq!(at(note(3)), "Letter of the auditor to the board, May 2, 2023.");
}

/// The clean text of the paged-notes tests: a body citing five footnotes,
/// then `clean_notes`.
fn with_body(clean_notes: &str) -> String {
    format!(
        "The auditor wrote to the board in May.[^1] The board replied at once.[^2] \
         The clerk kept the minutes.[^3] The minister signed the contract.[^4] \
         The harbour master objected.[^5]\n\nFootnotes\n\n{clean_notes}"
    )
}

/// Clean end notes and the "PDF" of them, for the label-only and order rules.
fn paged_notes(clean_notes: &str, pdf_notes: &str) -> (Ledger, Reanchored, Vec<Passage>, Vec<char>) {
    let clean = with_body(clean_notes);
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 The board replied at once. 2 The clerk\n\
         kept the minutes. 3 The minister signed the contract.4 The harbour master objected. 5\n\
         {pdf_notes}\
         7\n\x0cOffice of the Inspector General\nThe end.\n"
    );
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Notes"), clean)).unwrap();
    assert_eq!(src.footnotes, 5);
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf.clone());
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    (l, out, passages, pdf.chars().collect())
}

fn note_move<'a>(out: &'a Reanchored, passages: &[Passage], n: u32) -> &'a AnchorMove {
    let p = passages.iter().find(|p| p.footnote == Some(n)).unwrap();
    state_of(out, AnchorKind::Passage, &p.id.to_string())
}

fn marker_move<'a>(out: &'a Reanchored, passages: &[Passage], n: u32) -> &'a AnchorMove {
    let p = passages.iter().find(|p| p.footnote.is_none() && p.quote.exact == format!("[^{n}]")).unwrap();
    state_of(out, AnchorKind::Passage, &p.id.to_string())
}

/// Footnotes `ns` are orphaned or placed elsewhere than `shared`: none of
/// them shares that place.
fn assert_not_on(out: &Reanchored, passages: &[Passage], ns: &[u32], shared: Option<Place>) {
    for &n in ns {
        let m = note_move(out, passages, n);
        assert!(m.new.is_none() || m.new != shared, "footnote {n}: {m:?}");
    }
}

fn text_at(text: &[char], m: &AnchorMove) -> String {
    let p = m.new.as_ref().unwrap_or_else(|| panic!("{m:?} landed"));
    text[p.start..p.end].iter().collect()
}

#[test]
fn label_only_footnotes_take_the_label_after_their_number_or_share_one_box() {
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Personal Privacy]\n\
                 [^3]: [Personal Privacy]\n\
                 [^4]: Minutes of the board, June 1, 2023.\n\
                 [^5]: [Grand Jury]\n";
    // Footnotes 2 and 3 under one box whose label is printed once, without
    // their numbers; footnote 5's label after its number, with scan specks.
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               ·Personal Privacy ·\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5 • Grand Jury ..\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    for n in [2, 3] {
        let m = note_move(&out, &passages, n);
        assert_eq!(text_at(&text, m), "Personal Privacy", "footnote {n}: {m:?}");
        assert_eq!(m.new.unwrap().page, Some(1));
        // The markers land on the numbers the body prints.
        let mk = marker_move(&out, &passages, n);
        assert_eq!(text_at(&text, mk), n.to_string(), "marker {n}: {mk:?}");
        assert!(mk.new.unwrap().start < 200, "in the body: {mk:?}");
    }
    assert_eq!(text_at(&text, note_move(&out, &passages, 5)), "Grand Jury");
    assert_eq!(text_at(&text, note_move(&out, &passages, 4)), "Minutes of the board, June 1, 2023.");
    assert_eq!(out.counts.orphaned, 0, "{:?}", out.anchors);
}

/// Footnotes 2 to 4 are label-only, between two footnotes with words.
const THREE_LABEL_ONLY: &str = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                                [^2]: [Personal Privacy]\n\
                                [^3]: [Personal Privacy]\n\
                                [^4]: [Personal Privacy]\n\
                                [^5]: Minutes of the board, June 1, 2023.\n";

#[test]
fn two_boxes_for_three_footnotes_decide_the_first_and_the_last() {
    let clean = THREE_LABEL_ONLY;
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               Personal Privacy\n\
               Personal Privacy\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    // Each box holds one footnote at least, in order: footnote 2 is under the
    // first and 4 under the second, each its own; the middle footnote is
    // under one of them, which cannot be told: it takes the stretch of both
    // and says it is shared. No single label is given to two footnotes.
    let middle = note_move(&out, &passages, 3);
    assert_eq!(text_at(&text, middle), "Personal Privacy\nPersonal Privacy", "{middle:?}");
    assert!(middle.reason.as_deref().is_some_and(|r| r.contains("shares the place")), "{middle:?}");
    let (two, four) = (note_move(&out, &passages, 2), note_move(&out, &passages, 4));
    assert_eq!((text_at(&text, two), text_at(&text, four)), ("Personal Privacy".into(), "Personal Privacy".into()));
    assert_ne!(two.new, four.new, "{two:?} {four:?}");
    assert_eq!((two.reason.as_deref(), four.reason.as_deref()), (None, None));
}

#[test]
fn repeated_short_footnotes_are_told_apart_by_their_order() {
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: Id.\n\
                 [^3]: Id.\n\
                 [^4]: Minutes of the board, June 1, 2023.\n\
                 [^5]: Id.\n";
    // Scan specks stand between some numbers and their "Id.".
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2 ' Id.\n\
               3 ' Id.\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5 • Id.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let mut places = Vec::new();
    for n in [2, 3, 5] {
        let m = note_move(&out, &passages, n);
        assert_eq!(text_at(&text, m), "Id.", "footnote {n}: {m:?}");
        let before: String = text[..m.new.unwrap().start].iter().collect();
        let line = before.rsplit('\n').next().unwrap();
        assert!(line.starts_with(&n.to_string()), "footnote {n} after {line:?}");
        places.push(m.new.unwrap().start);
    }
    places.dedup();
    assert_eq!(places.len(), 3, "three places for three footnotes");
}

#[test]
fn a_footnote_the_search_misses_is_the_text_after_its_number() {
    // Footnote 2's lines come out of the scan in the wrong order, so no
    // search tier takes it; the text after its printed number holds its words.
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(200);
    let clean = format!(
        "The auditor wrote to the board in May.[^1] Cohen said so twice.[^2] The clerk kept the minutes.[^3]\n\n\
         {filler}Footnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Cohen 9/12/18 302, at 11.\n\
         [^3]: Minutes of the board, June 1, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 Cohen said so twice. 2 The clerk kept the minutes.3\n\
         1\nLetter of the auditor to the board, May 2, 2023.\n\
         2\nat 11. Cohen 9/12/18 302,\n\
         3\nMinutes of the board, June 1, 2023.\n\
         7\n\x0c{filler}"
    );
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), clean)).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf.clone());
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    let text: Vec<char> = pdf.chars().collect();
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(text_at(&text, two), "at 11. Cohen 9/12/18 302,");
    assert!(!two.differences.is_empty());
}

/// Imports `clean` and `pdf` as two revisions and re-anchors.
fn reanchored(clean: &str, pdf: &str) -> (Reanchored, Vec<Passage>, Vec<char>) {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), clean)).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf);
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    (out, passages, pdf.chars().collect())
}

/// A report whose footnote 2 starts at the foot of page 1 and ends at the foot
/// of page 2 (clean text, PDF text); `foot` is printed after page 1's number.
fn continued_footnote(foot: &str) -> (String, String) {
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(60);
    let clean = format!(
        "The auditor wrote to the board in May.[^1] The minister signed the contract.[^2] \
         The clerk kept the minutes.[^3]\n\n{filler}Footnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Contract between the ministry and Harbour Ferries Ltd, signed June 14, 2023, clause 12, \
         which sets the landing fees for the summer season and the winter season, the penalties for late \
         sailings, and the review of the timetable every second year by the harbour board.\n\
         [^3]: Minutes of the board, June 1, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 The minister signed the contract. 2 The clerk kept the\n\
         minutes.3\n\
         1\nLetter of the auditor to the board, May 2, 2023.\n\
         2\nContract between the ministry and Harbour Ferries Ltd, signed June 14, 2023, clause 12,\n\
         which sets the landing fees for the summer season\n\
         7\n{foot}\x0cOffice of the Inspector General\n\
         The board heard the harbour master on the state of the quay and the cost of its repair.\n\
         and the winter season, the penalties for late sailings, and the review of the timetable every\n\
         second year by the harbour board.\n\
         3\nMinutes of the board, June 1, 2023.\n\
         8\n\x0c{filler}"
    );
    (clean, pdf)
}

#[test]
fn a_footnote_continued_on_the_next_page_lands_on_its_first_piece() {
    // Footnote 2 starts at the foot of page 1 and ends at the foot of page 2,
    // below that page's body: no one span holds both pieces without the next
    // page's running head and body.
    let (clean, pdf) = continued_footnote("");
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(
        text_at(&text, two),
        "Contract between the ministry and Harbour Ferries Ltd, signed June 14, 2023, clause 12,\n\
         which sets the landing fees for the summer season"
    );
    assert_eq!(two.new.unwrap().page, Some(1));
    assert!(!two.differences.is_empty(), "the words on the next page are reported missing here");
    assert_eq!(text_at(&text, note_move(&out, &passages, 3)), "Minutes of the board, June 1, 2023.");
    assert_eq!(text_at(&text, marker_move(&out, &passages, 2)), "2");
}

#[test]
fn a_footnote_whose_number_the_body_prints_on_a_line_of_its_own_is_the_text_after_the_notes_number() {
    // The body prints footnote 2's superscript on a line of its own; footnote
    // 1 is withheld (neither its number nor its words printed), so the
    // stretch searched for footnote 2's number starts at the text's start;
    // footnote 2's lines come out of the scan in the wrong order, so only its
    // number finds it, and of the two lines printing 2 only the second is
    // followed by its words.
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(200);
    let clean = format!(
        "The auditor wrote to the board in May.[^1] Cohen said so twice.[^2] The clerk kept the minutes.[^3]\n\n\
         {filler}Footnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Cohen 9/12/18 302, at 11.\n\
         [^3]: Minutes of the board, June 1, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 Cohen said so twice.\n\
         2\n\
         The clerk kept the minutes.3\n\
         2\nat 11. Cohen 9/12/18 302,\n\
         3\nMinutes of the board, June 1, 2023.\n\
         7\n\x0c{filler}"
    );
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(text_at(&text, two), "at 11. Cohen 9/12/18 302,");
}

#[test]
fn footnote_numbers_split_or_misread_by_the_scan_are_read() {
    // Footnote 12's number printed `1 2`, footnote 20's `2` then `°` at the
    // head of its text, and their words scrambled so that only the numbers
    // find them; footnote 13's words split by the scan (`Comp laint`).
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(200);
    let mut body = String::new();
    let mut notes = String::new();
    let mut pdf_body = String::new();
    let mut pdf_notes = String::new();
    for n in 1..=21 {
        body.push_str(&format!("Item {n} was agreed.[^{n}] "));
        pdf_body.push_str(&format!("Item {n} was agreed. {n} "));
        let (note, printed) = match n {
            12 => (
                "Ferry Complaint ¶ 32, Harbour Court.".to_string(),
                "1 2\n32, Harbour Court. Ferry Complaint ,r\n".to_string(),
            ),
            13 => (
                "Buryakov Complaint ¶ 34, United States v. Buryakov.".to_string(),
                "13\nUnited States v. Bur yakov. Buryakov Comp laint ,r34,\n".to_string(),
            ),
            20 => (
                "Minutes of the harbour board, June 1, 2023.".to_string(),
                "2\n°June 1, 2023. Minutes of the harbour board,\n".to_string(),
            ),
            _ => (
                format!("Letter {n} of the auditor to the board, May {n}, 2023."),
                format!("{n}\nLetter {n} of the auditor to the board, May {n}, 2023.\n"),
            ),
        };
        notes.push_str(&format!("[^{n}]: {note}\n"));
        pdf_notes.push_str(&printed);
    }
    let clean = format!("{body}\n\n{filler}Footnotes\n\n{notes}");
    let pdf = format!("Office of the Inspector General\n{pdf_body}\n{pdf_notes}7\n\x0c{filler}");
    let (out, passages, text) = reanchored(&clean, &pdf);
    let at = |n: u32| text_at(&text, note_move(&out, &passages, n));
    assert_eq!(at(12), "32, Harbour Court. Ferry Complaint ,r");
    assert_eq!(at(13), "United States v. Bur yakov. Buryakov Comp laint ,r34,");
    assert_eq!(at(20), "June 1, 2023. Minutes of the harbour board,");
    for n in [12, 13, 20] {
        assert_eq!(note_move(&out, &passages, n).state, AnchorState::Changed);
    }
}

#[test]
fn a_footnote_found_in_another_footnotes_text_is_placed_by_its_own_number() {
    // The clean text's footnote 3 repeats footnote 1's words (a slip of its
    // transcription); the paged text prints other words after 3. Footnote 1's
    // text holds footnote 3's words exactly, but it lies below the number 1:
    // footnote 3 is the text after its own number, with its differences.
    let clean = "[^1]: Chris Wallace Hosts Fox News Sunday, Interview with President-Elect Donald Trump, CQ Newsmaker Transcripts (Dec. 11, 2016).\n\
                 [^2]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^3]: Chris Wallace Hosts Fox News Sunday, Interview with President-Elect Donald Trump, CQ Newsmaker Transcripts (Dec. 11, 2016).\n\
                 [^4]: Minutes of the board, June 1, 2023.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nChris Wallace Hosts Fox News Sunday, Interview with President-Elect Donald Trump, CQ\nNewsmaker Transcripts (Dec. 11, 2016).\n\
               2\nLetter of the auditor to the board, May 2, 2023.\n\
               3\nChris Wallace Hosts Fox News Sunday, Interview with Incoming White House Chief of Staff\nReince Priebus, Fox News (Dec. 18, 2016).\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let one = note_move(&out, &passages, 1);
    let three = note_move(&out, &passages, 3);
    assert_ne!(one.new.map(|p| p.start), three.new.map(|p| p.start), "{three:?}");
    assert_eq!(three.state, AnchorState::Changed, "{three:?}");
    assert!(text_at(&text, three).contains("Reince Priebus"), "{three:?}");
}

#[test]
fn a_footnote_surely_misplaced_is_no_neighbour_for_the_footnotes_after_it() {
    // Footnotes 2 and 4 repeat the same words; the paged text prints
    // footnote 2's number with nothing legible after it, so footnote 2 is
    // found only in footnote 4's text (below the number 4: surely not its
    // place) and its own number does not place it. Footnote 3's lines come
    // out of the scan in the wrong order, so only its number finds it, and
    // that number lies before footnote 4's text: footnote 2's false place
    // must not bound the stretch where footnote 3's number is looked for.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: Minutes of the harbour board, June 1, 2023, at 4.\n\
                 [^3]: Cohen 9/12/18 302, at 11.\n\
                 [^4]: Minutes of the harbour board, June 1, 2023, at 4.\n\
                 [^5]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n• ·\n\
               3\nat 11. Cohen 9/12/18 302,\n\
               4\nMinutes of the harbour board, June 1, 2023, at 4.\n\
               5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let three = note_move(&out, &passages, 3);
    assert_eq!(three.state, AnchorState::Changed, "{three:?}");
    assert_eq!(text_at(&text, three), "at 11. Cohen 9/12/18 302,");
    assert_eq!(text_at(&text, marker_move(&out, &passages, 3)), "3");
    let four = note_move(&out, &passages, 4);
    assert_eq!(text_at(&text, four), "Minutes of the harbour board, June 1, 2023, at 4.");
}

#[test]
fn a_footnote_found_only_in_the_text_printed_after_another_footnotes_number_is_orphaned() {
    // Footnote 2's number and words are withheld on the page; its words are
    // close to footnote 3's, which the paged text prints after 3. Found only
    // there, where footnote 3 landed too, and not placed by its own number:
    // orphaned, not left on footnote 3's text.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: See the harbour survey, serial 179.\n\
                 [^3]: See the harbour survey, serial 131.\n\
                 [^4]: Minutes of the board, June 1, 2023.\n\
                 [^5]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               • ·\n\
               3\nSee the harbour survey, serial 131.\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("footnote 3's text"), "{two:?}");
    let three = note_move(&out, &passages, 3);
    assert_eq!(text_at(&text, three), "See the harbour survey, serial 131.");
    for n in [1, 4, 5] {
        assert_ne!(note_move(&out, &passages, n).state, AnchorState::Orphaned, "footnote {n}");
    }
}

#[test]
fn a_footnote_found_only_out_of_the_order_of_the_numbers_is_orphaned() {
    // Footnote 2's number and words are withheld on the page; words close to
    // them are printed in the next page's body. Found only there, after the
    // places of footnotes 3 to 5, it breaks the order of the numbers, and its
    // number does not place it: orphaned.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: See the harbour survey, serial 179.\n\
                 [^3]: Minutes of the board, June 1, 2023.\n\
                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               • ·\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n\
               6\n\x0cOffice of the Inspector General\n\
               The board read the harbour survey, serial 179, again.\n";
    let (_, out, passages, _) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("out of the order"), "{two:?}");
    for n in [1, 3, 4, 5] {
        assert_ne!(note_move(&out, &passages, n).state, AnchorState::Orphaned, "footnote {n}");
    }
}

/// Five footnotes, the second label-only: the clean text of the tests of a
/// label-only footnote's place in a scan.
const LABEL_ONLY_SECOND: &str = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                                 [^2]: [Personal Privacy]\n\
                                 [^3]: Minutes of the board, June 1, 2023.\n\
                                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                                 [^5]: Minutes of the board, July 3, 2023.\n";

#[test]
fn a_label_only_footnote_takes_the_label_after_its_number_not_one_its_neighbours_suggest() {
    // Footnote 1's words are lost in the scan, so footnote 2's redaction is
    // found only by the text after it (footnote 3's), on the next page, where
    // a label of the body stands right before footnote 3: the label printed
    // after footnote 2's own number is its place, and its redaction's.
    let clean = LABEL_ONLY_SECOND;
    let pdf = "1\n• ·\n\
               2\nPersonal Privacy\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk read the letter aloud.\n\
               Personal Privacy\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "Personal Privacy", "{two:?}");
    assert_eq!(two.new.unwrap().page, Some(1), "{two:?}");
    let red = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_eq!(red.state, AnchorState::Kept, "{red:?}");
    assert_eq!(red.new, two.new, "the redaction follows its footnote");
}

#[test]
fn a_page_number_repeated_on_the_line_after_it_still_ends_the_page() {
    // As `a_footnote_continued_on_the_next_page_lands_on_its_first_piece`,
    // with the page's foot printing its number twice: alone, then in the
    // line after it. The footnote's first piece ends before the first.
    let (clean, pdf) = continued_footnote("Page 7\n");
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(
        text_at(&text, two),
        "Contract between the ministry and Harbour Ferries Ltd, signed June 14, 2023, clause 12,\n\
         which sets the landing fees for the summer season"
    );
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
}

/// A report of `pages` pages after a first one: each later page's body prints
/// five markers (6 to 5 + 5 × `pages`) and its foot their long footnotes, so
/// that the paged text runs far ahead of the clean text (whose footnotes are
/// all at its end). The first page's body and notes are `body` and `notes`
/// (clean text, PDF text), for footnotes 1 to 5.
fn long_report(body: (&str, &str), notes: (&str, &str), pages: u32) -> (String, String) {
    let long = |k: u32| {
        format!(
            "Record {k} of the harbour board, kept by the clerk of the works, on the landing fees for the summer \
             season, the penalties for late sailings and the review of the timetable (item {k})."
        )
    };
    let (mut clean_body, mut clean_notes) = (body.0.to_string(), notes.0.to_string());
    let mut pdf = format!("Office of the Inspector General\n{}\n{}7\n", body.1, notes.1);
    for page in 0..pages {
        let mut pdf_body = String::new();
        let mut pdf_notes = String::new();
        for k in 6 + 5 * page..11 + 5 * page {
            clean_body.push_str(&format!(" The ferry crossed the bay for the {k}th time that year.[^{k}]"));
            pdf_body.push_str(&format!("The ferry crossed the bay for the {k}th time that year. {k}\n"));
            clean_notes.push_str(&format!("[^{k}]: {}\n", long(k)));
            pdf_notes.push_str(&format!("{k}\n{}\n", long(k)));
        }
        pdf.push_str(&format!("\x0cOffice of the Inspector General\n{pdf_body}{pdf_notes}{}\n", page + 8));
    }
    (format!("{clean_body}\n\nFootnotes\n\n{clean_notes}"), pdf)
}

#[test]
fn a_marker_looked_for_again_is_looked_for_near_the_markers_around_it() {
    // Footnote 2's number and words are withheld on its page and its words
    // are close to footnote 3's: it is found on footnote 3's text, then
    // orphaned by its number, so its marker is looked for again (its footnote
    // now lost) after every other marker landed. The body prints its number
    // after the same words; the place where it is expected comes from the
    // markers around it, not from the last marker of the report, tens of
    // pages of footnotes further on.
    let body = (
        "The auditor wrote to the board in May.[^1] The harbour survey was read aloud.[^2] \
         The clerk kept the minutes.[^3] The minister signed the contract.[^4] The harbour master objected.[^5]",
        "The auditor wrote to the board in May.1 The harbour survey was read aloud. 2 The clerk\n\
         kept the minutes. 3 The minister signed the contract.4 The harbour master objected. 5",
    );
    let notes = (
        "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: See the harbour survey, serial 179.\n\
         [^3]: See the harbour survey, serial 131.\n\
         [^4]: Minutes of the board, June 1, 2023.\n\
         [^5]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n",
        "1\nLetter of the auditor to the board, May 2, 2023.\n\
         • ·\n\
         3\nSee the harbour survey, serial 131.\n\
         4\nMinutes of the board, June 1, 2023.\n\
         5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n",
    );
    let (clean, pdf) = long_report(body, notes, 12);
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    let marker = marker_move(&out, &passages, 2);
    assert_eq!(marker.state, AnchorState::Moved, "{marker:?}");
    assert_eq!(text_at(&text, marker), "2");
    assert_eq!(marker.new.unwrap().start, pdf.find("aloud. 2").unwrap() + "aloud. ".len());
    for n in [1, 3, 4, 5, 6, 40, 65] {
        assert_eq!(text_at(&text, marker_move(&out, &passages, n)), n.to_string(), "marker {n}");
    }
}

#[test]
fn a_marker_is_the_number_printed_after_its_words_as_the_scan_read_them() {
    // Footnote 2 is withheld (its number and words not printed), so its
    // marker cannot follow it; the body prints the marker's number after the
    // same words, misread by the scan (`membrs of the fery com pany.2`).
    let clean = "The auditor wrote to the board in May.[^1] The harbour master asked the clerk to write to \
                 the members of the ferry company.[^2] The clerk kept the minutes.[^3]\n\n\
                 Footnotes\n\n\
                 [^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: See the harbour survey, serial 179.\n\
                 [^3]: Minutes of the board, June 1, 2023.\n";
    let pdf = "Office of the Inspector General\n\
               The auditor wrote to the board in May.1 The harbour master asked the clerk to write to\n\
               the membrs of the fery com pany.2 The clerk kept the minutes. 3\n\
               1\nLetter of the auditor to the board, May 2, 2023.\n\
               • ·\n\
               3\nMinutes of the board, June 1, 2023.\n\
               7\n\x0cOffice of the Inspector General\nThe end.\n";
    let (out, passages, text) = reanchored(clean, pdf);
    assert_eq!(note_move(&out, &passages, 2).state, AnchorState::Orphaned);
    assert_eq!(text_at(&text, marker_move(&out, &passages, 2)), "2");
    let marker = marker_move(&out, &passages, 2);
    assert_eq!(marker.state, AnchorState::Moved, "{marker:?}");
    assert_eq!(marker.new.unwrap().start, pdf.find("pany.2").unwrap() + "pany.".len());
    // Other words before the same number are not taken for them.
    let elsewhere = pdf.replace("the membrs of the fery com pany.2", "a letter about the landing fees.2");
    let (out, passages, _) = reanchored(clean, &elsewhere);
    let marker = marker_move(&out, &passages, 2);
    assert_eq!(marker.state, AnchorState::Orphaned, "{marker:?}");
}

#[test]
fn a_line_of_a_footnote_starting_with_a_year_does_not_end_it() {
    // Footnote 2's lines come out of the scan in the wrong order, so only its
    // number finds it; one of its lines starts with a year, a number far
    // beyond the next footnote's: its text runs on to footnote 3's number.
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(200);
    let clean = format!(
        "The auditor wrote to the board in May.[^1] Cohen said so twice.[^2] The clerk kept the minutes.[^3]\n\n\
         {filler}Footnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Cohen 9/12/18 302, at 11; the harbour board in July 2016 and the clerk.\n\
         [^3]: Minutes of the board, June 1, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 Cohen said so twice. 2 The clerk kept the minutes.3\n\
         1\nLetter of the auditor to the board, May 2, 2023.\n\
         2\nat 11; the harbour board in July\n2016 and the clerk. Cohen 9/12/18 302,\n\
         3\nMinutes of the board, June 1, 2023.\n\
         7\n\x0c{filler}"
    );
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(text_at(&text, two), "at 11; the harbour board in July\n2016 and the clerk. Cohen 9/12/18 302,");
    assert_eq!(text_at(&text, note_move(&out, &passages, 3)), "Minutes of the board, June 1, 2023.");
}

#[test]
fn a_footnote_withheld_at_its_number_is_not_left_on_another_footnotes_text() {
    // Footnote 2's number is printed with nothing legible after it (its text
    // withheld there); its words are close to the text printed after 3's
    // number, where footnote 3 (whose clean text differs) did not land. Found
    // only there, it is orphaned, not left on footnote 3's text.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: See the harbour survey, serial 179.\n\
                 [^3]: Report of the harbour engineer on the quay wall, March 2022.\n\
                 [^4]: Minutes of the board, June 1, 2023.\n\
                 [^5]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n• ·\n\
               3\nSee the harbour survey, serial 131.\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("nothing legible"), "{two:?}");
    assert_eq!(text_at(&text, marker_move(&out, &passages, 2)), "2");
    for n in [1, 4, 5] {
        assert_ne!(note_move(&out, &passages, n).state, AnchorState::Orphaned, "footnote {n}");
    }
    // The scan printed footnote 2's number after its text (and the label of
    // its redaction): the text right before it is its place.
    let clean = clean.replace("serial 179.", "serial 179. [Grand Jury]");
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               See the harbour survey, serial 179. Grand Jury\n\
               2\n\
               3\nSee the harbour survey, serial 131.\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n";
    let (_, out, passages, text) = paged_notes(&clean, pdf);
    assert_eq!(text_at(&text, note_move(&out, &passages, 2)), "See the harbour survey, serial 179.");
}

#[test]
fn a_label_only_footnote_withheld_at_its_number_takes_no_label_on_another_page() {
    // As `a_label_only_footnote_takes_the_label_after_its_number_not_one_its_neighbours_suggest`,
    // but footnote 2's number is printed with nothing legible after it: the
    // label on the next page, where its redaction was found by the text
    // around it, is not its place. Orphaned, and its redaction with it.
    let clean = LABEL_ONLY_SECOND;
    // (Page 2 prints none of its footnotes' numbers, so where its body ends
    // cannot be told: the label is not known to be a box of the body.)
    let pdf = "1\n• ·\n\
               2\n■ ·\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk read the letter aloud.\n\
               Personal Privacy\n\
               Minutes of the board, June 1, 2023.\n\
               Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               Minutes of the board, July 3, 2023.\n";
    let (_, out, passages, _) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("another page"), "{two:?}");
    let red = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_ne!(red.new.and_then(|p| p.page), Some(2), "{red:?}");
}

#[test]
fn a_footnotes_number_is_looked_for_between_its_trusted_neighbours_too() {
    // Footnotes 4 to 6 repeat a citation that footnote 3's long text holds
    // too, and the scan misread their own copies, so all three land on the
    // copy inside footnote 3's text. Those places bound no stretch where a
    // number is looked for: footnote 4 is found after its own number, between
    // the footnotes whose numbers were read at their places.
    let mut clean = String::new();
    let mut body = String::new();
    for n in 1..=7 {
        clean.push_str(&format!("Item {n} was agreed.[^{n}] "));
        body.push_str(&format!("Item {n} was agreed. {n} "));
    }
    let cite = "Porter 4/13/18 302, at 17.";
    let clean = format!(
        "{clean}\n\nFootnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Minutes of the board, June 1, 2023.\n\
         [^3]: Porter 4/13/18 302, at 16–17. Porter did not recall the timing of the talk with the \
         minister. {cite} The notes of the harbour master are dated February 5, and the clerk kept them.\n\
         [^4]: {cite}\n[^5]: {cite}\n[^6]: {cite}\n\
         [^7]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n{body}\n\
         1\nLetter of the auditor to the board, May 2, 2023.\n\
         2\nMinutes of the board, June 1, 2023.\n\
         3  Porter 4/ 13/18 302, at 16-17. Porter did not recall the timing of the talk with the\n\
         minister. {cite} The notes of the harbour master are dated February 5, and the clerk kept them.\n\
         4\nPmter 4/13/18 302, at 17.\n\
         5\nPorter 4/ 13/18 3 02, at 17.\n\
         6\nPorter 4/13/ 18 302, at 17.\n\
         7\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
         9\n\x0cOffice of the Inspector General\nThe end.\n"
    );
    let (out, passages, text) = reanchored(&clean, &pdf);
    assert_eq!(text_at(&text, note_move(&out, &passages, 4)), "Pmter 4/13/18 302, at 17.");
    assert_eq!(note_move(&out, &passages, 4).new.unwrap().page, Some(1));
}

#[test]
fn a_label_only_footnote_takes_no_label_of_a_pages_body() {
    // Footnote 1's words are lost in the scan and footnote 2 is withheld,
    // number and all, so footnote 2's redaction is found only by the text
    // after it (footnote 3's), on the next page, where a label of the body
    // stands right before footnote 3's number. A page prints its footnotes
    // below its body: that label is the body's box, not footnote 2's place.
    let clean = LABEL_ONLY_SECOND;
    let pdf = "1\n• ·\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk read the letter aloud.\n\
               Personal Privacy\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, _) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("above the first footnote of its page"), "{two:?}");
    let red = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_ne!(red.new.and_then(|p| p.page), Some(2), "{red:?}");
    // Its marker does not follow it onto the body's label either.
    let marker = marker_move(&out, &passages, 2);
    assert_ne!(marker.new.and_then(|p| p.page), Some(2), "{marker:?}");
    for n in [3, 4, 5] {
        assert_ne!(note_move(&out, &passages, n).state, AnchorState::Orphaned, "footnote {n}");
    }
}

#[test]
fn a_reasons_short_form_alone_on_its_line_is_a_printed_label() {
    // A narrow black box prints the short form of its reason (`HOM`, with a
    // speck before it) after footnote 2's number.
    let clean = LABEL_ONLY_SECOND.replace("[Personal Privacy]", "[Harm to Ongoing Matter]");
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n,HOM\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(&clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "HOM", "{two:?}");
    let red = out.anchors.iter().find(|m| m.kind == AnchorKind::Redaction).unwrap();
    assert_eq!(red.state, AnchorState::Kept, "{red:?}");
    // A short form among words is a word (`graphics and IT`), and one in
    // lower case is no label.
    for line in ["HOM staff rota", "hom"] {
        let pdf = pdf.replace(",HOM", line);
        let (_, out, passages, _) = paged_notes(&clean, &pdf);
        let two = note_move(&out, &passages, 2);
        assert_eq!(two.state, AnchorState::Orphaned, "{line}: {two:?}");
    }
}

#[test]
fn a_run_of_label_only_footnotes_takes_the_labels_among_the_notes_not_the_bodys() {
    // Footnotes 2 and 3 are withheld, numbers and all, under two labels
    // printed at the foot of page 1, after footnote 1's text; page 2's body
    // is black boxes too, above footnote 4's number. As many labels as
    // footnotes among the notes between their neighbours: theirs, in order.
    let clean = with_body(
        "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: [Personal Privacy]\n\
         [^3]: [Personal Privacy]\n\
         [^4]: Minutes of the board, June 1, 2023.\n\
         [^5]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n",
    );
    let pdf = "Office of the Inspector General\n\
               The auditor wrote to the board in May.1 The board replied at once. 2 The clerk\n\
               kept the minutes. 3\n\
               1\nLetter of the auditor to the board, May 2, 2023.\n\
               Personal Privacy\n\
               · Personal Privacy\n\
               7\n\x0cOffice of the Inspector General\n\
               Personal Privacy\n\
               Personal Privacy\n\
               The minister signed the contract.4 The harbour master objected. 5\n\
               Personal Privacy\n\
               Personal Privacy\n\
               4\nMinutes of the board, June 1, 2023.\n\
               5\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               8\n";
    let (out, passages, text) = reanchored(&clean, pdf);
    let chars_to = |i: usize| pdf[..i].chars().count();
    let first_label = chars_to(pdf.find("Personal Privacy").unwrap());
    let second_label = chars_to(pdf.find("· Personal Privacy").unwrap() + "· ".len());
    for (n, at) in [(2, first_label), (3, second_label)] {
        let m = note_move(&out, &passages, n);
        assert_eq!(text_at(&text, m), "Personal Privacy", "footnote {n}: {m:?}");
        assert_eq!(m.new.unwrap().page, Some(1), "footnote {n}: {m:?}");
        assert_eq!(m.new.unwrap().start, at, "footnote {n}: {m:?}");
    }
}

#[test]
fn label_only_footnotes_whose_numbers_a_box_withholds_share_the_box_before_the_next_printed_number() {
    // Footnotes 3 and 4 are not printed, numbers and all; footnote 2's
    // number is printed before a label and footnote 5's before its own: a
    // box starts after the number it follows, so 3 and 4 are under 2's box.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Personal Privacy]\n\
                 [^3]: [Personal Privacy]\n\
                 [^4]: [Personal Privacy]\n\
                 [^5]: [Grand Jury]\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n· Personal Privacy\n\
               5 Grand Jury\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2).new;
    assert!(two.is_some(), "{:?}", out.anchors);
    for n in [3, 4] {
        let m = note_move(&out, &passages, n);
        assert_eq!(m.new, two, "footnote {n}: {m:?}");
    }
    assert_eq!(text_at(&text, note_move(&out, &passages, 5)), "Grand Jury");
    // Two labels after 2's number: which box is whose cannot be told.
    let pdf = pdf.replace("· Personal Privacy\n", "· Personal Privacy\nPersonal Privacy\n");
    let (_, out, passages, _) = paged_notes(clean, &pdf);
    let two = note_move(&out, &passages, 2).new;
    assert_not_on(&out, &passages, &[3, 4], two);
}

#[test]
fn a_footnote_whose_number_is_printed_bare_is_no_part_of_a_run_withheld_with_their_numbers() {
    // Footnotes 2 and 3 are withheld, numbers and all, under the two labels
    // after footnote 1's text at the foot of page 1; footnote 4's number is
    // printed on page 2 with nothing after it (its text withheld there,
    // without a label). The run withheld with their numbers is 2 and 3: two
    // labels for two footnotes, in order.
    let clean = THREE_LABEL_ONLY;
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               Personal Privacy\n\
               · Personal Privacy\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk read the letter aloud.\n\
               4\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let full: String = text.iter().collect();
    let chars_to = |i: usize| full[..i].chars().count();
    let first = chars_to(full.find("Personal Privacy").unwrap());
    let second = chars_to(full.find("· Personal Privacy").unwrap() + "· ".len());
    for (n, at) in [(2, first), (3, second)] {
        let m = note_move(&out, &passages, n);
        assert_eq!(text_at(&text, m), "Personal Privacy", "footnote {n}: {m:?}");
        assert_eq!(m.new.unwrap().start, at, "footnote {n}: {m:?}");
    }
    let four = note_move(&out, &passages, 4);
    assert_eq!(four.state, AnchorState::Orphaned, "{four:?}");
    assert!(four.reason.as_deref().unwrap().contains("no words or label"), "{four:?}");
}

#[test]
fn a_footnote_found_over_the_next_footnotes_numbered_line_ends_before_it() {
    // Footnote 2's redactions stand as ellipses in the searched text, and
    // the scan prints its words apart from its labels: the search runs on
    // over footnotes 3 and 4 to a later `;`. Its place ends before the
    // line of footnote 3's number.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: 7/29/16 Email, Ferries Ltd to the clerk; [Investigative Technique]; [Grand Jury]\n\
                 [^3]: 7/29/16 Email, Ferries Ltd to the clerk.\n\
                 [^4]: Call Records of the harbour master; Call Records of the clerk.\n\
                 [^5]: Minutes of the board, June 1, 2023.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n7/29/16 Email, Ferries Ltd to the clerk; Investigative Technique\n\
               3\n7/29/16 Email, Ferries Ltd to the clerk.\n\
               4\nCall Records of the harbour master; Call Records of the clerk.\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "7/29/16 Email, Ferries Ltd to the clerk; Investigative Technique", "{two:?}");
    assert_eq!(text_at(&text, note_move(&out, &passages, 3)), "7/29/16 Email, Ferries Ltd to the clerk.");
}

#[test]
fn a_long_footnote_whose_first_page_prints_only_its_first_line_lands_on_that_line() {
    // Footnote 2 quotes a statute: page 1 prints only its first line before
    // the page's foot, under a sixth of its letters; the rest is printed at
    // the foot of page 2, below a long body, where the scan garbled it. Its
    // first line is its place.
    let statute = "Whoever corruptly influences, obstructs, or impedes the due and proper administration of \
                   the harbour law under which any pending proceeding is being had before the harbour board, or \
                   the due and proper exercise of the power of inquiry under which any inquiry or investigation \
                   is being had by the board, shall be fined under this title or imprisoned not more than five \
                   years, or both.";
    let body = "The board heard the harbour master on the state of the quay and the cost of its repair.\n".repeat(12);
    // (The scan garbled the rest beyond the fuzzy tier's budget.)
    let garbled = statute.replace('e', "c").replace('o', "0").replace('a', "u").replace('i', "l");
    let filler = "The harbour board met again to discuss the ferry timetable and the landing fees.\n\n".repeat(60);
    let clean = format!(
        "The auditor wrote to the board in May.[^1] The minister signed the contract.[^2] \
         The clerk kept the minutes.[^3]\n\n{filler}Footnotes\n\n\
         [^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Section 12 of the Harbour Act provides for the punishment of: {statute}\n\
         [^3]: Minutes of the board, June 1, 2023.\n"
    );
    let pdf = format!(
        "Office of the Inspector General\n\
         The auditor wrote to the board in May.1 The minister signed the contract. 2 The clerk kept the\n\
         minutes.3\n\
         1\nLetter of the auditor to the board, May 2, 2023.\n\
         2\nSection 12 of the Harbour Act provides for the punishment of:\n\
         7\n\x0cOffice of the Inspector General\n{body}{garbled}\n\
         3\nMinutes of the board, June 1, 2023.\n\
         8\n\x0c{filler}"
    );
    let (out, passages, text) = reanchored(&clean, &pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "Section 12 of the Harbour Act provides for the punishment of:", "{two:?}");
    assert_eq!(two.new.unwrap().page, Some(1));
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
}

#[test]
fn label_only_footnotes_share_a_box_at_the_foot_of_the_page_before_the_next_printed_number() {
    // Footnotes 3 and 4 are not printed, numbers and all; footnote 2's label
    // stands at the foot of page 1, and page 2's notes start with footnote
    // 5's number right after its body: no box there, so 3 and 4 are under
    // 2's box.
    let clean = THREE_LABEL_ONLY;
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n· Personal Privacy\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk read the letter aloud to the board.\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, _) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2).new;
    assert_eq!(two.and_then(|p| p.page), Some(1), "{:?}", out.anchors);
    for n in [3, 4] {
        let m = note_move(&out, &passages, n);
        assert_eq!(m.new, two, "footnote {n}: {m:?}");
    }
    // A label right above footnote 5's number on page 2 may be 3's or 4's
    // box: nothing is shared.
    let pdf = pdf.replace("aloud to the board.\n", "aloud to the board.\nPersonal Privacy\n");
    let (_, out, passages, _) = paged_notes(clean, &pdf);
    let two = note_move(&out, &passages, 2).new;
    assert_not_on(&out, &passages, &[3, 4], two);
}

#[test]
fn a_footnote_whose_marker_is_on_the_next_page_takes_no_box_of_the_page_before() {
    // As above, but the body prints the markers of footnotes 3 and 4 on
    // page 2: their footnotes belong to page 2's notes, where no box stands
    // for them, not under footnote 2's box at the foot of page 1.
    let clean = with_body(THREE_LABEL_ONLY);
    let pdf = "Office of the Inspector General\n\
               The auditor wrote to the board in May.1 The board replied at once. 2\n\
               1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n· Personal Privacy\n\
               6\n\x0cOffice of the Inspector General\n\
               The clerk kept the minutes. 3 The minister signed the contract.4 The harbour master\n\
               objected. 5\n\
               5\nMinutes of the board, June 1, 2023.\n\
               7\n";
    let (out, passages, text) = reanchored(&clean, pdf);
    assert_eq!(text_at(&text, marker_move(&out, &passages, 3)), "3");
    assert_eq!(marker_move(&out, &passages, 3).new.unwrap().page, Some(2));
    let two = note_move(&out, &passages, 2).new;
    assert_eq!(two.and_then(|p| p.page), Some(1), "{:?}", out.anchors);
    assert_not_on(&out, &passages, &[3, 4], two);
}

#[test]
fn a_label_only_footnote_takes_no_box_after_the_next_footnotes_printed_number() {
    // Footnote 2's number and text are not printed: nothing stands between
    // footnote 1's text and footnote 3's number. The label after 3's number
    // is 3's box (a box starts after the number it follows), not 2's.
    let clean = THREE_LABEL_ONLY;
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               3 Personal Privacy\n\
               4\n· Personal Privacy\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let three = note_move(&out, &passages, 3);
    assert_eq!(text_at(&text, three), "Personal Privacy", "{three:?}");
    assert!(note_move(&out, &passages, 4).new.is_some_and(|p| p.start > three.new.unwrap().start));
    let two = note_move(&out, &passages, 2);
    assert!(two.new.is_none() || two.new != three.new, "footnote 2: {two:?}");
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    // Its marker does not follow it onto footnote 3's box either.
    let mk = marker_move(&out, &passages, 2);
    assert!(mk.new.is_none() || mk.new != three.new, "marker 2: {mk:?}");
}

#[test]
fn footnotes_under_a_box_share_it_only_when_its_label_is_their_reason() {
    // As in the shared box above (3 and 4 withheld, numbers and all, after
    // 2's box), but 3 and 4 withhold grand jury material while 2's box
    // prints `Investigative Technique`: one box prints one label, so 3 and 4
    // are not under it.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Investigative Technique]\n\
                 [^3]: [Grand Jury]\n\
                 [^4]: [Grand Jury]\n\
                 [^5]: Minutes of the board, June 1, 2023.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\n· Investigative Technique\n\
               5\nMinutes of the board, June 1, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "Investigative Technique", "{two:?}");
    assert_not_on(&out, &passages, &[3, 4], two.new);
    for n in [3, 4] {
        let m = note_move(&out, &passages, n);
        assert_eq!(m.state, AnchorState::Orphaned, "footnote {n}: {m:?}");
    }
    // The same box over footnotes of its own reason is shared.
    let same = clean.replace("[Grand Jury]", "[Investigative Technique]");
    let (_, out, passages, _) = paged_notes(&same, pdf);
    let two = note_move(&out, &passages, 2).new;
    assert!(two.is_some(), "{:?}", out.anchors);
    for n in [3, 4] {
        assert_eq!(note_move(&out, &passages, n).new, two, "footnote {n}");
    }
}

#[test]
fn footnotes_withheld_under_fewer_boxes_of_their_reason_share_their_place_and_say_so() {
    // Footnotes 3 and 4 are withheld, numbers and all, between footnote 2
    // and footnote 5, whose numbers are printed before their own labels; the
    // notes print one box between them, of their reason. Which box is whose
    // cannot be told, but each is under it: that stretch is the place of
    // both, said to be shared.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Personal Privacy]\n\
                 [^3]: [Personal Privacy]\n\
                 [^4]: [Personal Privacy]\n\
                 [^5]: [Personal Privacy]\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2 Personal Privacy\n\
               ·• Personal Privacy\n\
               5 Personal Privacy\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let full: String = text.iter().collect();
    let chars_to = |i: usize| full[..i].chars().count();
    let middle = chars_to(full.find("·• Personal Privacy").unwrap() + "·• ".len());
    for n in [3, 4] {
        let m = note_move(&out, &passages, n);
        assert_eq!(text_at(&text, m), "Personal Privacy", "footnote {n}: {m:?}");
        assert_eq!(m.new.unwrap().start, middle, "footnote {n}: {m:?}");
        assert_eq!(m.state, AnchorState::Changed, "footnote {n}: {m:?}");
        assert!(m.reason.as_deref().is_some_and(|r| r.contains("shares the place of footnotes 3 to 4")), "{m:?}");
    }
    for n in [2, 5] {
        let m = note_move(&out, &passages, n);
        assert!(m.new.is_some_and(|p| p.start != middle), "footnote {n}: {m:?}");
        assert_eq!(m.reason, None, "footnote {n}: {m:?}");
    }
    // A box of another reason between them is not theirs: nothing is shared.
    let other = pdf.replace("·• Personal Privacy", "·• Grand Jury");
    let (_, out, passages, _) = paged_notes(clean, &other);
    for n in [3, 4] {
        let m = note_move(&out, &passages, n);
        assert_eq!(m.state, AnchorState::Orphaned, "footnote {n}: {m:?}");
    }
    // As many boxes as footnotes: each takes its own, in order, unshared.
    let two = pdf.replace("·• Personal Privacy\n", "·• Personal Privacy\nPersonal Privacy\n");
    let (_, out, passages, _) = paged_notes(clean, &two);
    let (three, four) = (note_move(&out, &passages, 3), note_move(&out, &passages, 4));
    assert!(three.new.is_some() && four.new.is_some() && three.new != four.new, "{three:?} {four:?}");
    assert_eq!((three.reason.as_deref(), four.reason.as_deref()), (None, None));
}

#[test]
fn a_marker_after_words_the_scan_lost_is_its_number_printed_once_between_its_neighbours() {
    // Footnote 3 is withheld, number and all, and a box took most of the
    // words before its marker (`The cl [box] tes. 3`): its words do not
    // place it, but markers are printed in order, and `3` is printed once
    // between the numbers the body prints for markers 2 and 4.
    let clean = with_body(
        "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
         [^2]: Reply of the board to the auditor, May 9, 2023.\n\
         [^3]: Minutes of the board, June 1, 2023.\n\
         [^4]: Contract for the ferry service, July 1, 2023.\n\
         [^5]: Objection of the harbour master, July 3, 2023.\n",
    );
    let pdf = |body: &str| {
        format!(
            "Office of the Inspector General\n\
             The auditor wrote to the board in May.1 The board replied at once. 2 {body}\
             The harbour master objected. 5\n\
             1\nLetter of the auditor to the board, May 2, 2023.\n\
             2\nReply of the board to the auditor, May 9, 2023.\n\
             4\nContract for the ferry service, July 1, 2023.\n\
             5\nObjection of the harbour master, July 3, 2023.\n\
             7\n"
        )
    };
    let (out, passages, text) =
        reanchored(&clean, &pdf("The cl               tes. 3 The minister signed the contract.4\n"));
    let three = marker_move(&out, &passages, 3);
    assert_eq!(text_at(&text, three), "3", "{three:?}");
    let body_end = text.iter().collect::<String>().find("\n1\n").unwrap();
    assert!(three.new.unwrap().start < body_end, "in the body: {three:?}");
    assert_eq!(three.state, AnchorState::Changed, "{three:?}");
    assert_eq!(text_at(&text, marker_move(&out, &passages, 4)), "4");
    assert_eq!(note_move(&out, &passages, 3).state, AnchorState::Orphaned);
    // Printed twice between its neighbours: nothing decides.
    let (out, passages, _) =
        reanchored(&clean, &pdf("The cl               tes. 3 The minister signed 3 contracts.4\n"));
    let three = marker_move(&out, &passages, 3);
    assert_eq!(three.state, AnchorState::Orphaned, "{three:?}");
}

#[test]
fn a_footnote_number_after_a_boxs_edge_read_as_strokes_is_read() {
    // Footnotes 1 and 2 have the same words; the scan split one of the
    // second's, so only footnote 1's text holds them exactly. The scan also
    // read the edge of a black box as strokes before footnote 2's number, set
    // off by a wide space (`1111       2`): that line still prints footnote
    // 2's number, so the second text is footnote 2's own.
    let clean = "[^1]: See the harbour survey, serial 131.\n\
                 [^2]: See the harbour survey, serial 131.\n\
                 [^3]: Minutes of the board, June 1, 2023.\n\
                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nSee the harbour survey, serial 131.\n\
               1111       2\nSee the harbour sur vey, serial 131.\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let full: String = text.iter().collect();
    let chars_to = |i: usize| full[..i].chars().count();
    let second = chars_to(full.find("1111       2\n").unwrap() + "1111       2\n".len());
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.new.map(|p| p.start), Some(second), "{two:?}");
    assert_eq!(text_at(&text, two), "See the harbour sur vey, serial 131.");
    let one = note_move(&out, &passages, 1);
    assert!(one.new.is_some_and(|p| p.start < second), "{one:?}");
}

#[test]
fn a_footnote_whose_box_hides_more_than_its_label_is_the_text_after_its_number() {
    // Footnote 2 cites two emails and withholds a name; the paged text's box
    // hides most of it, so the text after its number holds a fifth of its
    // words, all of them its own (the identifier read with a zero where the
    // clean text has the letter O). A footnote that withholds nothing gets
    // no such leave.
    let note = |label: &str| {
        format!(
            "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
             [^2]: HBO0445 (6/6/16 Email, Goldstone and the clerk); HB000065–67 (6/6/16 Email, Goldstone and the clerk){label}\n\
             [^3]: Minutes of the board, June 1, 2023.\n\
             [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
             [^5]: Minutes of the board, July 3, 2023.\n"
        )
    };
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\nHB00445\nand the clerk);\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(&note("; [Grand Jury]"), pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    assert_eq!(text_at(&text, two), "HB00445\nand the clerk);");
    assert!(!two.differences.is_empty(), "{two:?}");
    let (_, out, passages, _) = paged_notes(&note("."), pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(two.state, AnchorState::Orphaned, "{two:?}");
    assert!(two.reason.as_deref().unwrap().contains("too few"), "{two:?}");
}

#[test]
fn a_footnote_found_past_its_head_is_the_whole_text_after_its_number() {
    // The scan misread footnote 2's identifier (`NOSC000215 l 7-20`): the
    // search finds it from `7-20` on; the text after its number, all of it
    // the footnote's, is its place, head and all.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: NOSC00021517–20 (10/21/16 Email, Manafort to Kushner).\n\
                 [^3]: Minutes of the board, June 1, 2023.\n\
                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\nNOSC000215 l 7-20 (10/21/16 Ema il, Manafo11 to Kushner).\n\
               3\nMinutes of the board, June 1, 2023.\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "NOSC000215 l 7-20 (10/21/16 Ema il, Manafo11 to Kushner).", "{two:?}");
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
}

#[test]
fn a_footnote_text_that_runs_into_a_withheld_numbers_footnote_ends_with_its_own_lines() {
    // Footnotes 3 and 4 are under a box with their numbers (4's head too):
    // the text after 2's number (its lines out of order, so only its number
    // finds it) runs on through 4's remaining words to 5.
    // Footnote 2 ends before the first line that is more footnote 4's words
    // than its own; footnote 4, whose number is not printed, is the text
    // between 2's end and 5.
    let clean = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: Kaveladze 11/16/17 302, at 7; [Grand Jury]; Samochornov 7/13/17 302, at 2, 4; [Grand Jury]\n\
                 [^3]: [Grand Jury]\n\
                 [^4]: [Grand Jury]; Kaveladze 11/16/17 302, at 7; [Grand Jury]; the clerk did not recall the planned subject matter of the harbour meeting coming up at lunch, and the mayor was away when the vote on the ferry came.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nLetter of the auditor to the board, May 2, 2023.\n\
               2\nSamochornov 7/13/17 302 , at 2, 4;\nKaveladze 11/16/17 302, at 7;\n\
               subject matter of the harbour meeting coming up at lunch, and the mayor was away\nwhen the vote on the ferry came.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "Samochornov 7/13/17 302 , at 2, 4;\nKaveladze 11/16/17 302, at 7;", "{two:?}");
    let four = note_move(&out, &passages, 4);
    assert_eq!(
        text_at(&text, four),
        "subject matter of the harbour meeting coming up at lunch, and the mayor was away\nwhen the vote on the ferry came.",
        "{four:?}"
    );
    assert_eq!(four.state, AnchorState::Changed, "{four:?}");
}

#[test]
fn a_footnote_whose_number_the_scan_lost_is_the_text_between_its_neighbours() {
    // The scan lost footnote 2's number and its head; its words are close to
    // the head of footnote 3's, so the search finds it there first. Footnote
    // 3 is placed by its own number, so that text is 3's; footnote 2 is the
    // text between footnote 1's end and 3's number, all of it its own.
    let clean = "[^1]: Releases of documents on the harbour blog occurred on June 15, 2016; June 20, 2016; and October 18, 2016.\n\
                 [^2]: 6/27/16 Email, harbour20@aol.fr to [Personal Privacy] (subject “leaked minutes”); [Investigative Technique]\n\
                 [^3]: 6/27/16 Email, harbour20@aol.fr to [Personal Privacy] (subject “leaked minutes”); [Investigative Technique]; see also 6/27/16 Email, harbour20@aol.fr to [Personal Privacy] (subject “leaked minutes”) (claiming the leak site was a “harbour sub project”).\n\
                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let pdf = "1\nReleases of documents on the harbour blog occurred on June 15, 2016; June 20, 2016; and October 18, 2016.\n\
               ~~rbour20@aol.fr                to                 (subject \"leaked minutes\"); ■\n\
               3\n6/27/16 Email, arbour20 @aol.fr to                (sub' ect \"leaked minutes\" ;\n; see also 6127/16     arbour20@aol.fr to\n\
               (subject \"leaked minutes\")            ( claiming the leak site was a \"harbour sub\nproject\").\n\
               4\nContract between the ministry and Harbour Ferries Ltd, clause 12.\n\
               5\nMinutes of the board, July 3, 2023.\n";
    let (_, out, passages, text) = paged_notes(clean, pdf);
    let two = note_move(&out, &passages, 2);
    assert_eq!(
        text_at(&text, two),
        "~~rbour20@aol.fr                to                 (subject \"leaked minutes\"); ■",
        "{two:?}"
    );
    assert_eq!(two.state, AnchorState::Changed, "{two:?}");
    let three = note_move(&out, &passages, 3);
    assert!(text_at(&text, three).starts_with("6/27/16 Email, arbour20"), "{three:?}");
}

#[test]
fn a_body_passage_far_from_where_it_was_expected_and_misread_is_found_in_the_whole_text() {
    // The new text prints pages of contents before the body, so the passage
    // lies far past its old offset, and the scan dropped a letter of it: not
    // in the window around its expected place, not anywhere as it is, but
    // the fuzzy tier over the whole text finds it.
    let passage = "The harbour board showed interest in the ferry operator’s releases of documents and welcomed their potential to damage the minister.";
    let clean = format!("Summary\n\n{passage} The minister said nothing.\n");
    let contents = "Chapter on the ferry timetable ........................................ 12\n".repeat(800);
    let pdf = format!(
        "{contents}\x0cSummary\nThe harbour board showed interest in the ferry operator ' s releases of documents and\nwelcomed their otential to damage the minister . The minister said nothing.\n"
    );
    let mut l = Ledger::open_in_memory().unwrap();
    let src =
        l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), clean.clone())).unwrap();
    let start = clean.find(passage).unwrap();
    let p = l.add_passage(NewPassage::new(Span::new(src.revision.id, start, start + passage.len()))).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), pdf.clone());
    imp.redactions = Redactions::None;
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    let m = state_of(&out, AnchorKind::Passage, &p.id.to_string());
    let text: Vec<char> = pdf.chars().collect();
    assert_eq!(m.state, AnchorState::Changed, "{m:?}");
    let at = text_at(&text, m);
    assert!(at.starts_with("The harbour board showed") && at.ends_with("to damage the minister"), "{at:?}");
}

#[test]
fn footnotes_of_several_labels_under_fewer_boxes_at_a_pages_foot_share_them() {
    // Footnotes 2 to 5 are withheld, numbers and all; two of them are made
    // of several labels, of two reasons. The page prints three boxes of one
    // of those reasons after footnote 1's text, at its foot; footnote 6 is
    // printed on the next page, after its running head and body. Four
    // footnotes under three boxes, each box over one of them at least, in
    // order: footnote 2 is under the first box and 5 under the last; 3 is
    // under the first or the second, 4 under the second or the third, which
    // cannot be told (placing one by the text around its redaction, other
    // footnotes, is a guess): each of those takes the stretch of the boxes
    // that may be its own and says it is shared.
    let clean = "The auditor wrote to the board in May.[^1] The board replied at once.[^2] \
                 The clerk kept the minutes.[^3] The minister signed the contract.[^4] \
                 The mayor left early.[^5] The harbour master objected.[^6]\n\nFootnotes\n\n\
                 [^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Grand Jury] [Personal Privacy]\n\
                 [^3]: [Personal Privacy]\n\
                 [^4]: [Personal Privacy] [Grand Jury] [Personal Privacy]\n\
                 [^5]: [Personal Privacy]\n\
                 [^6]: Minutes of the board, July 3, 2023.\n";
    let pdf = |boxes: &str| {
        format!(
            "Office of the Inspector General\nReview of the ferry contract\n\
             The auditor wrote to the board in May.1 The board replied at once. The clerk\n\
             kept the minutes. The minister signed the contract. The mayor left early.\n\
             1\nLetter of the auditor to the board, May 2, 2023.\n\
             {boxes}\
             7\nNA\n\x0cOffice of the Inspector General\nReview of the ferry contract\n\
             The harbour master objected. 6\n\
             6\nMinutes of the board, July 3, 2023.\n\
             8\nNA\n"
        )
    };
    let boxes = "Personal Privacy\n··Personal Privacy\nPersonal Privacy\n";
    let (out, passages, text) = reanchored(clean, &pdf(boxes));
    let full: String = text.iter().collect();
    let chars_to = |i: usize| full[..i].chars().count();
    let label = |k: usize| {
        let at = full.match_indices("Personal Privacy").nth(k).unwrap().0;
        (chars_to(at), chars_to(at + "Personal Privacy".len()))
    };
    let expect = [(2, 0, 0), (3, 0, 1), (4, 1, 2), (5, 2, 2)];
    for (n, lo, hi) in expect {
        let m = note_move(&out, &passages, n);
        assert_eq!(m.new.map(|p| (p.start, p.end)), Some((label(lo).0, label(hi).1)), "footnote {n}: {m:?}");
        assert_eq!(m.state, AnchorState::Changed, "footnote {n}: {m:?}");
        let shared = m.reason.as_deref().is_some_and(|r| r.contains("shares the place of footnotes 2 to 5"));
        assert_eq!(shared, lo != hi, "footnote {n}: {m:?}");
        // Each of its redactions (one, or several) is kept where it landed.
        let reds: Vec<&AnchorMove> = out
            .anchors
            .iter()
            .filter(|r| r.kind == AnchorKind::Redaction && m.old.start <= r.old.start && r.old.end <= m.old.end)
            .collect();
        let labels = match n {
            2 => 2,
            4 => 3,
            _ => 1,
        };
        assert_eq!(reds.len(), labels, "footnote {n}: {reds:?}");
        for r in reds {
            assert_eq!((r.state, r.new), (AnchorState::Kept, m.new), "footnote {n}: {r:?}");
        }
    }
    for n in [1, 6] {
        assert_eq!(note_move(&out, &passages, n).reason, None, "footnote {n}");
    }
    // Boxes of a reason none of them has: nothing is shared.
    let (out, passages, _) = reanchored(clean, &pdf(&boxes.replace("Personal Privacy", "Investigative Technique")));
    for n in 2..=5 {
        let m = note_move(&out, &passages, n);
        assert!(m.reason.as_deref().is_none_or(|r| !r.contains("shares")), "footnote {n}: {m:?}");
    }
}

#[test]
fn a_footnote_of_several_labels_follows_its_redactions() {
    // Footnote 2 is two labels and nothing else; the new revision adds a
    // sentence before it, so nothing is where it was. The footnote has no
    // words to search: it follows its two redactions, kept in order.
    let notes = "[^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^2]: [Personal Privacy] [Grand Jury]\n\
                 [^3]: Minutes of the board, June 1, 2023.\n\
                 [^4]: Contract between the ministry and Harbour Ferries Ltd, clause 12.\n\
                 [^5]: Minutes of the board, July 3, 2023.\n";
    let clean = with_body(notes);
    let corrected = clean.replace("The board replied at once.", "The board replied at once, and in writing.");
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Notes"), clean)).unwrap();
    let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), corrected.clone());
    imp.revision_of = Some(src.document.id);
    l.import_source(imp).unwrap();
    let passages = l.passages(src.revision.id).unwrap();
    let out = l.reanchor(src.document.id, 1, 2).unwrap();
    let text: Vec<char> = corrected.chars().collect();
    let two = note_move(&out, &passages, 2);
    assert_eq!(text_at(&text, two), "[Personal Privacy] [Grand Jury]", "{two:?}");
    assert_ne!(two.state, AnchorState::Orphaned, "{two:?}");
}

#[test]
fn words_the_old_text_prints_beside_a_redaction_are_not_released() {
    // The new text prints the redaction's place with words of the line
    // before it (a scan's line order): those are the old text's own words,
    // printed beside the box, not withheld ones. A place holding new words
    // is still released.
    let old = "The operator wrote to the harbour board again and again. On the ninth the operator, \
               again posing as a broker, asked [Harm to Ongoing Matter] what the board thought of \
               the timetable. The clerk said nothing at all about it.\n";
    let reanchor = |new: &str| {
        let mut l = Ledger::open_in_memory().unwrap();
        let src = l
            .import_source(SourceImport::new(NewDocument::new(DocumentKind::Report, "Ferry"), old.to_string()))
            .unwrap();
        let mut imp = SourceImport::new(NewDocument::new(DocumentKind::Report, "ignored"), new.to_string());
        imp.redactions = Redactions::None;
        imp.revision_of = Some(src.document.id);
        l.import_source(imp).unwrap();
        let out = l.reanchor(src.document.id, 1, 2).unwrap();
        out.anchors.into_iter().find(|m| m.kind == AnchorKind::Redaction).unwrap()
    };
    let shuffled = "The operator wrote to the harbour board again and again. On the ninth the operator, \
                    again posing as a broker, asked again posing as a broker what the board thought of \
                    the timetable. The clerk said nothing at all about it.\n";
    let m = reanchor(shuffled);
    assert_eq!(m.state, AnchorState::Orphaned, "{m:?}");
    assert!(m.reason.as_deref().is_some_and(|r| r.contains("prints beside it")), "{m:?}");
    let lifted =
        shuffled.replace("asked again posing as a broker what", "asked the ferry company for its tender prices, what");
    let m = reanchor(&lifted);
    assert_eq!(m.state, AnchorState::Released, "{m:?}");
    assert!(m.released_text.as_deref().is_some_and(|w| w.contains("tender prices")), "{m:?}");
}

#[test]
fn footnote_numbers_far_apart_up_to_the_largest_are_reanchored() {
    // Footnote numbers may be anything a `u32` holds: 1 and 4294967295 side
    // by side. Nothing walks every number between them, and nothing adds past
    // the largest; both footnotes land on their text.
    let clean = "The auditor wrote.[^1] The board replied.[^4294967295]\n\nFootnotes\n\n\
                 [^1]: Letter of the auditor to the board, May 2, 2023.\n\
                 [^4294967295]: Minutes of the board, June 1, 2023.\n";
    let pdf = "Office of the Inspector General\nThe auditor wrote. 1 The board replied.\n\
               1\nLetter of the auditor to the board, May 2, 2023.\n\
               4294967295\nMinutes of the board, June 1, 2023.\n\
               7\n\x0cOffice of the Inspector General\nThe end.\n";
    let (out, passages, text) = reanchored(clean, pdf);
    assert_eq!(text_at(&text, note_move(&out, &passages, 1)), "Letter of the auditor to the board, May 2, 2023.");
    let last = note_move(&out, &passages, u32::MAX);
    assert_eq!(text_at(&text, last), "Minutes of the board, June 1, 2023.", "{last:?}");
}
