-- claimledger schema, version 3: the coverage summary.
--
-- `claims.evidence` is the class of the claim's citations, so the coverage
-- figures (`Ledger::coverage`, `Ledger::coverage_all`, the audit's counts) read
-- one row per claim instead of joining its citations. A contradicting citation
-- outranks supporting ones: a statement a source contradicts, even in part, is
-- not backed as written, and a fact-checker must see it.
--   NULL  no citation (uncited unless exempt)
--   0     cited only by other relations (context)
--   1     supported: a `supports`, `quotes`, `paraphrases` or
--         `describes_redaction` citation and no `contradicts`
--   2     contradicted: a `contradicts` citation
-- The writer keeps it up to date: every citation insert raises it (citations are
-- never deleted or changed). This migration fills it in for existing claims.
-- It depends only on V1's tables.

ALTER TABLE claims ADD COLUMN evidence INTEGER CHECK (evidence BETWEEN 0 AND 2);

UPDATE claims SET evidence = (
    SELECT max(CASE t.relation
                   WHEN 'supports' THEN 1 WHEN 'quotes' THEN 1 WHEN 'paraphrases' THEN 1
                   WHEN 'describes_redaction' THEN 1 WHEN 'contradicts' THEN 2 ELSE 0 END)
    FROM citations t WHERE t.claim_id = claims.id
);
