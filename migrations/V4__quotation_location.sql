-- claimledger schema, version 4: where a quotation stands, apart from its verdict.
--
-- `quotations.status` is the verdict about the quoted words (verbatim,
-- normalized, altered, not_found, unchecked); `quotations.location` says where
-- they stand: `unique` (one place, or the context decided), `ambiguous` (several
-- places, all kept in `candidates`) or `none` (not found, not checked).
-- Before this version an undecided quote was stored with status `ambiguous` and
-- its words were never compared with a place: such rows keep their candidates,
-- get location `ambiguous` and status `unchecked`. Every other row gets the
-- location its status implies. It depends only on V1's tables.

ALTER TABLE quotations ADD COLUMN location TEXT NOT NULL DEFAULT 'unique'
    CHECK (location IN ('unique', 'ambiguous', 'none'));

UPDATE quotations SET location = CASE status
    WHEN 'ambiguous' THEN 'ambiguous'
    WHEN 'not_found' THEN 'none'
    WHEN 'unchecked' THEN 'none'
    ELSE 'unique' END;

UPDATE quotations SET status = 'unchecked' WHERE status = 'ambiguous';
