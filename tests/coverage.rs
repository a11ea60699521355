//! The SQL coverage figures agree with the audit, per article and for the whole
//! ledger, and follow each article's latest revision.

use claimledger::*;

fn cite(l: &mut Ledger, claim: ClaimId, passage: PassageId, r: Relation) {
    l.add_citation(NewCitation::new(claim, passage, r)).unwrap();
}

#[test]
fn coverage_counts_match_the_audit_and_follow_the_latest_revision() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "Harbor report")).unwrap();
    let srev = l.add_revision(src.id, NewRevision::new("Fares rose. Crews left. Docks flooded.")).unwrap();
    let p1 = l.add_passage(NewPassage::new(Span::new(srev.id, 0, 11))).unwrap().id;
    let p2 = l.add_passage(NewPassage::new(Span::new(srev.id, 12, 23))).unwrap().id;

    let text = "Ferry news\n\nFares rose. Crews quit. Docks flooded. Boats sank. Tolls fell. Nobody asked.";
    let art = l.add_article(NewDocument::new(DocumentKind::Article, "Ferry news"), text).unwrap();
    let c: Vec<ClaimId> = art.claims.iter().map(|c| c.id).collect();
    assert_eq!(c.len(), 7);
    l.write(|w| w.set_exemption(c[0], Some(&Exemption { reason: ExemptionReason::Headline, note: None }))).unwrap();
    cite(&mut l, c[1], p1, Relation::Supports); // supported
    cite(&mut l, c[2], p2, Relation::Context); // context only, then supported below? no: stays context
    cite(&mut l, c[3], p2, Relation::Contradicts); // contradicted
    cite(&mut l, c[3], p1, Relation::Context); // still contradicted
    cite(&mut l, c[4], p1, Relation::Contradicts); // contradicts outranks support
    cite(&mut l, c[4], p2, Relation::Quotes);
    cite(&mut l, c[5], p2, Relation::DescribesRedaction); // supported
    // c[6] uncited; an exempt claim that cites something is still exempt only
    cite(&mut l, c[0], p1, Relation::Supports);

    let cov = l.coverage(art.document.id).unwrap();
    assert_eq!(cov.revision, art.revision.id);
    assert_eq!(
        cov.counts,
        CoverageCounts {
            total: 7,
            exempt: 1,
            uncited: 1,
            supported: 2,
            context_only: 1,
            contradicted: 2,
            partly_supported: 0
        }
    );
    let audit = l.audit(art.document.id).unwrap();
    let s = &audit.statements;
    assert_eq!(
        (s.total, s.exempt, s.uncited, s.supported, s.context_only, s.contradicted),
        (7, 1, 1, 2, 1, 2),
        "the audit reports the same figures"
    );
    assert_eq!(l.coverage_of_revision(art.revision.id).unwrap(), cov.counts);

    // A second article, and a new revision of the first: figures follow the latest.
    let other = l.add_article(NewDocument::new(DocumentKind::Article, "Other"), "One thing. Another.").unwrap();
    cite(&mut l, other.claims[1].id, p1, Relation::Paraphrases);
    let all = l.coverage_all().unwrap();
    assert_eq!(all.len(), 2, "the source has no claims and is not listed");
    assert_eq!(all[0], cov);
    assert_eq!(all[1].document, other.document.id);
    assert_eq!(all[1].counts, CoverageCounts { total: 2, uncited: 1, supported: 1, ..Default::default() });

    let rev2 = l.add_revision(art.document.id, NewRevision::new("Fares rose.")).unwrap();
    assert_eq!(l.coverage(art.document.id).unwrap().counts, CoverageCounts::default());
    l.add_claim(NewClaim::new(Span::new(rev2.id, 0, 11))).unwrap();
    let now = l.coverage(art.document.id).unwrap();
    assert_eq!((now.revision, now.counts.total, now.counts.uncited), (rev2.id, 1, 1));
    let all = l.coverage_all().unwrap();
    assert_eq!(all.iter().find(|d| d.document == art.document.id).unwrap().counts.total, 1);
    assert_eq!(l.audit(art.document.id).unwrap().statements.total, 1);
}

#[test]
fn coverage_of_unknown_documents_is_not_found() {
    let mut l = Ledger::open_in_memory().unwrap();
    assert!(l.coverage(DocumentId::new()).unwrap_err().is_not_found());
    assert!(l.coverage_of_revision(RevisionId::new()).unwrap_err().is_not_found());
    let d = l.add_document(NewDocument::new(DocumentKind::Article, "Empty")).unwrap();
    assert!(l.coverage(d.id).unwrap_err().is_not_found(), "a document without text");
    assert!(l.coverage_all().unwrap().is_empty());
}

#[test]
fn bulk_citations_resolve_claims_and_passages_written_in_the_same_transaction() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
    let srev = l.add_revision(src.id, NewRevision::new("Alpha. Beta.")).unwrap();
    let old = l.add_passage(NewPassage::new(Span::new(srev.id, 0, 6))).unwrap().id;
    let art = l.add_document(NewDocument::new(DocumentKind::Article, "A")).unwrap();
    let arev = l.add_revision(art.id, NewRevision::new("One. Two.")).unwrap();
    let (c1, c2) = l
        .write(|w| {
            let p = w.add_passage(&NewPassage::new(Span::new(srev.id, 7, 12)))?.id;
            let c1 = w.add_claim(&NewClaim::new(Span::new(arev.id, 0, 4)))?.id;
            let c2 = w.add_claim(&NewClaim::new(Span::new(arev.id, 5, 9)))?.id;
            w.add_citation(&NewCitation::new(c1, p, Relation::Supports))?;
            w.add_citation(&NewCitation::new(c2, old, Relation::Context))?; // passage from an earlier transaction
            let again = w.ensure_citation(&NewCitation::new(c1, p, Relation::Supports))?;
            assert_eq!(again.claim, c1);
            // Unknown IDs are still refused.
            assert!(
                w.add_citation(&NewCitation::new(ClaimId::new(), p, Relation::Supports)).unwrap_err().is_not_found()
            );
            assert!(
                w.add_citation(&NewCitation::new(c1, PassageId::new(), Relation::Supports)).unwrap_err().is_not_found()
            );
            Ok((c1, c2))
        })
        .unwrap();
    assert_eq!(l.citations(c1).unwrap().len(), 1);
    assert_eq!(l.citations(c2).unwrap()[0].passage, old);
    let cov = l.coverage(art.id).unwrap().counts;
    assert_eq!((cov.supported, cov.context_only), (1, 1));
}

#[test]
fn the_v3_migration_fills_in_the_evidence_of_existing_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ledger");
    let art = {
        let mut l = Ledger::open(&path).unwrap();
        let src = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
        let srev = l.add_revision(src.id, NewRevision::new("Alpha. Beta.")).unwrap();
        let p = l.add_passage(NewPassage::new(Span::new(srev.id, 0, 6))).unwrap().id;
        let art = l.add_article(NewDocument::new(DocumentKind::Article, "A"), "One. Two. Three.").unwrap();
        cite(&mut l, art.claims[0].id, p, Relation::Context);
        cite(&mut l, art.claims[0].id, p, Relation::Quotes);
        cite(&mut l, art.claims[1].id, p, Relation::Contradicts);
        art
    };
    // Turn the file back into a version-2 ledger: no evidence column, no V3 row
    // (and nothing of the later migrations: V4's quotation location, V5's claim
    // parts, V7's verdict details, V8's passage index, V9's re-anchoring and
    // history tables, V10's evidence items, V12's and V16's imported logs).
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP TABLE citation_parts; DROP TABLE claim_parts; ALTER TABLE claims DROP COLUMN partial;
             ALTER TABLE claims DROP COLUMN evidence; ALTER TABLE quotations DROP COLUMN location;
             ALTER TABLE verdicts DROP COLUMN author_type; ALTER TABLE verdicts DROP COLUMN author_url;
             ALTER TABLE verdicts DROP COLUMN claim_author; ALTER TABLE verdicts DROP COLUMN claim_author_type;
             ALTER TABLE verdicts DROP COLUMN claim_author_url; ALTER TABLE verdicts DROP COLUMN claim_date;
             DROP TABLE search_fts; DROP TABLE search_passages; DROP TABLE search_revisions;
             DROP TABLE anchor_moves; DROP TABLE reanchorings; DROP TABLE foreign_events; DROP TABLE foreign_logs; DROP TABLE event_rows;
             DROP TABLE events; DROP TABLE withdrawals; DROP TABLE evidence_items;
             DELETE FROM refinery_schema_history WHERE version >= 3;",
        )
        .unwrap();
    }
    let l = Ledger::open(&path).unwrap();
    assert_eq!(
        l.coverage(art.document.id).unwrap().counts,
        CoverageCounts { total: 3, supported: 1, contradicted: 1, uncited: 1, ..Default::default() }
    );
}

#[test]
fn a_claim_added_with_its_citations_counts_like_one_cited_afterwards() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
    let srev = l.add_revision(src.id, NewRevision::new("Alpha. Beta.")).unwrap();
    let art = l.add_document(NewDocument::new(DocumentKind::Article, "A")).unwrap();
    let arev = l.add_revision(art.id, NewRevision::new("One. Two. Three.")).unwrap();
    let (p1, p2) = l
        .write(|w| {
            let p1 = w.add_passage(&NewPassage::new(Span::new(srev.id, 0, 6)))?.id;
            let p2 = w.add_passage(&NewPassage::new(Span::new(srev.id, 7, 12)))?.id;
            let (c, cites) = w.add_claim_citing(
                &NewClaim::new(Span::new(arev.id, 0, 4)),
                &[(p1, Relation::Context), (p2, Relation::Contradicts)],
            )?;
            assert_eq!(cites.len(), 2);
            assert!(cites.iter().all(|t| t.claim == c.id));
            w.add_claim_citing(&NewClaim::new(Span::new(arev.id, 5, 9)), &[])?;
            // Cited later through the plain path: the evidence rises.
            let (c3, _) = w.add_claim_citing(&NewClaim::new(Span::new(arev.id, 10, 16)), &[(p1, Relation::Context)])?;
            w.add_citation(&NewCitation::new(c3.id, p2, Relation::Supports))?;
            Ok((p1, p2))
        })
        .unwrap();
    assert_eq!(
        l.coverage(art.id).unwrap().counts,
        CoverageCounts { total: 3, contradicted: 1, uncited: 1, supported: 1, ..Default::default() }
    );
    // Errors leave nothing behind: an unknown passage, a duplicate citation.
    let before = l.claims(arev.id).unwrap().len();
    let span = Span::new(arev.id, 0, 3);
    let e = l.write(|w| w.add_claim_citing(&NewClaim::new(span), &[(PassageId::new(), Relation::Supports)]));
    assert!(e.unwrap_err().is_not_found());
    let e = l.write(|w| w.add_claim_citing(&NewClaim::new(span), &[(p1, Relation::Quotes), (p1, Relation::Quotes)]));
    let e = e.unwrap_err();
    assert!(e.is_conflict(), "a duplicate citation is a conflict: {e:?}");
    assert_eq!(l.claims(arev.id).unwrap().len(), before);
    let _ = p2;
}

#[test]
fn a_claim_may_come_with_many_citations() {
    let mut l = Ledger::open_in_memory().unwrap();
    let src = l.add_document(NewDocument::new(DocumentKind::Report, "R")).unwrap();
    let srev = l.add_revision(src.id, NewRevision::new("Alpha. Beta.")).unwrap();
    let art = l.add_document(NewDocument::new(DocumentKind::Article, "A")).unwrap();
    let arev = l.add_revision(art.id, NewRevision::new("One.")).unwrap();
    let relations = [
        Relation::Context,
        Relation::Contradicts,
        Relation::Paraphrases,
        Relation::Quotes,
        Relation::Supports,
        Relation::DescribesRedaction,
    ];
    let n = l
        .write(|w| {
            let ps = [
                w.add_passage(&NewPassage::new(Span::new(srev.id, 0, 6)))?.id,
                w.add_passage(&NewPassage::new(Span::new(srev.id, 7, 12)))?.id,
            ];
            let cites: Vec<(PassageId, Relation)> =
                ps.iter().flat_map(|&p| relations.iter().map(move |&r| (p, r))).take(10).collect();
            let (c, written) = w.add_claim_citing(&NewClaim::new(Span::new(arev.id, 0, 4)), &cites)?;
            assert_eq!(written.iter().map(|t| (t.passage, t.relation)).collect::<Vec<_>>(), cites);
            Ok(w.quotations_of_claim(c.id)?.len() + written.len())
        })
        .unwrap();
    assert_eq!(n, 10);
    assert_eq!(l.coverage(art.id).unwrap().counts.contradicted, 1, "a contradicting citation outranks the others");
}
