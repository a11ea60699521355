-- claimledger schema, version 3: the coverage summary.
--
-- `claims.evidence` is the strongest relation among the claim's citations, so
-- the coverage figures (`Ledger::coverage`, `Ledger::coverage_all`, the audit's
-- counts) read one row per claim instead of joining its citations:
--   NULL  no citation (uncited unless exempt)
--   0     cited only by other relations (context)
--   1     contradicted: a `contradicts` citation and no supporting one
--   2     supported: a `supports`, `quotes`, `paraphrases` or
--         `describes_redaction` citation
-- The writer keeps it up to date: every citation insert raises it (citations are
-- never deleted or changed). This migration fills it in for existing claims.
-- It depends only on V1's tables.

ALTER TABLE claims ADD COLUMN evidence INTEGER CHECK (evidence BETWEEN 0 AND 2);

UPDATE claims SET evidence = (
    SELECT max(CASE t.relation
                   WHEN 'supports' THEN 2 WHEN 'quotes' THEN 2 WHEN 'paraphrases' THEN 2
                   WHEN 'describes_redaction' THEN 2 WHEN 'contradicts' THEN 1 ELSE 0 END)
    FROM citations t WHERE t.claim_id = claims.id
);
