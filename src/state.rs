//! The one state of a statement, derived from its parts' citations.
//!
//! # Design
//!
//! A statement (claim) is divided into parts, each a checkable assertion with its
//! own citations; a statement without parts is one implicit part, the whole
//! statement. Every consumer (the audit, the coverage figures, the HTML report,
//! the exports) reads the statement's state from here and nowhere else:
//!
//! | state | when |
//! | --- | --- |
//! | `exempt` | the statement needs no source (whatever it cites) |
//! | `uncited` | no part cites anything |
//! | `contradicted` | a part is contradicted; `partly_supported` is kept when a part has support |
//! | `supported` | every part is supported as written |
//! | `partly_supported` | some parts are supported, the others cited only as context or not at all |
//! | `context_only` | cited, but no part supported or contradicted |
//!
//! A part's class is the highest of its citations' classes (context <
//! supported < contradicted: a contradiction outranks support). A citation
//! linked to no part bears on every part.
//!
//! The coverage figures must not load parts: the ledger keeps each claim's
//! aggregate in two columns (`claims.evidence`, `claims.partial`, see
//! `migrations/V5__claim_parts.sql`), written through [`Aggregate::of_parts`],
//! and [`StatementState::of_stored`] maps them back. The SQL that counts states
//! (`storage::coverage`) mirrors [`StatementState::of_stored`]; a test holds it to
//! it for every stored combination.
//!
//! The export labels (FEVER, AVeriTeC) are mapped here too, in
//! [`Derived::labels`], so that every format labels a statement the same way.
//!
//! ```
//! use claimledger::state::{Derived, PartEvidence, StatementState};
//! use claimledger::Relation;
//!
//! // "hacked from the DNC" (supported), "released on July 22" (contradicted).
//! let hacked = PartEvidence::of([Relation::Supports]);
//! let released = PartEvidence::of([Relation::Contradicts]);
//! let d = Derived::of_parts(false, &[hacked, released]);
//! assert_eq!((d.state, d.partly_supported), (StatementState::Contradicted, true));
//! assert_eq!(d.labels().fever, "REFUTES");
//! assert_eq!(d.labels().averitec, "Conflicting Evidence/Cherrypicking");
//!
//! let d = Derived::of_parts(false, &[hacked, PartEvidence::of([Relation::Context])]);
//! assert_eq!(d.state, StatementState::PartlySupported);
//! assert_eq!(d.labels().fever, "NOT ENOUGH INFO");
//! ```

use crate::Relation;
pub use crate::model::StatementState;
use serde::Serialize;

/// The class of a citation or part: context < supported < contradicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceClass {
    /// Related, not backing (`context`).
    Context = 0,
    /// Backing (`supports`, `quotes`, `paraphrases`, `describes_redaction`).
    Supported = 1,
    /// Contradicting (`contradicts`).
    Contradicted = 2,
}

impl EvidenceClass {
    /// The class a relation gives.
    pub fn of(r: Relation) -> EvidenceClass {
        if r == Relation::Contradicts {
            EvidenceClass::Contradicted
        } else if r.is_supporting() {
            EvidenceClass::Supported
        } else {
            EvidenceClass::Context
        }
    }

    /// The stored code (`claims.evidence`).
    pub fn code(self) -> i64 {
        self as i64
    }

    fn from_code(c: i64) -> Option<EvidenceClass> {
        match c {
            0 => Some(EvidenceClass::Context),
            1 => Some(EvidenceClass::Supported),
            2 => Some(EvidenceClass::Contradicted),
            _ => None,
        }
    }
}

/// What one part's citations say: its class (none when uncited) and whether any
/// of them supports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PartEvidence {
    /// The highest class of its citations; `None` when it cites nothing.
    pub class: Option<EvidenceClass>,
    /// True when a citation supports it (even if another contradicts it).
    pub supporting: bool,
}

impl PartEvidence {
    /// The evidence of a part citing with these relations.
    pub fn of(relations: impl IntoIterator<Item = Relation>) -> PartEvidence {
        relations.into_iter().fold(PartEvidence::default(), |p, r| p.with(r))
    }

    /// This evidence and a citation with relation `r`.
    pub fn with(self, r: Relation) -> PartEvidence {
        let c = EvidenceClass::of(r);
        PartEvidence {
            class: Some(self.class.map_or(c, |k| k.max(c))),
            supporting: self.supporting || r.is_supporting(),
        }
    }

    /// The part's own state (a part is never exempt; a contradicted part with
    /// support keeps `partly_supported`).
    pub fn derived(self) -> Derived {
        Derived::of_parts(false, &[self])
    }
}

/// A statement's state, with the flag a contradicted statement keeps when some
/// part of it has support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Derived {
    /// The state.
    pub state: StatementState,
    /// True when the statement is partly supported: always for
    /// [`StatementState::PartlySupported`], and for a contradicted statement
    /// when a part has a supporting citation.
    pub partly_supported: bool,
}

/// What the ledger stores per claim for the coverage figures: the aggregate of
/// its parts (`claims.evidence`, `claims.partial`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Aggregate {
    /// The highest class of any part (`claims.evidence`), NULL when uncited.
    pub evidence: Option<i64>,
    /// Some part is supported and not every part is (`claims.partial`).
    pub partial: bool,
}

impl Aggregate {
    /// The aggregate of a statement's parts (one implicit part when it has none).
    pub fn of_parts(parts: &[PartEvidence]) -> Aggregate {
        let evidence = parts.iter().filter_map(|p| p.class).max().map(EvidenceClass::code);
        let any_support = parts.iter().any(|p| p.supporting);
        let all_supported = parts.iter().all(|p| p.class == Some(EvidenceClass::Supported));
        Aggregate { evidence, partial: any_support && !all_supported }
    }
}

impl Derived {
    /// The state of a claim from its citations and its parts (none: one
    /// implicit part), with each part's evidence in the parts' order (one entry
    /// for an undivided claim).
    pub fn of_claim(
        exempt: bool,
        citations: &[&crate::Citation],
        parts: &[&crate::ClaimPart],
    ) -> (Derived, Vec<PartEvidence>) {
        let keyed: Vec<(crate::CitationId, Relation)> = citations.iter().map(|c| (c.id, c.relation)).collect();
        let ids: Vec<crate::ClaimPartId> = parts.iter().map(|p| p.id).collect();
        let links: Vec<(crate::ClaimPartId, crate::CitationId)> =
            parts.iter().flat_map(|p| p.citations.iter().map(move |c| (p.id, *c))).collect();
        let evidence = part_evidence(&ids, &keyed, &links);
        (Derived::of_parts(exempt, &evidence), evidence)
    }

    /// The state of a statement whose parts have this evidence (one implicit
    /// part when it has none: pass its citations as one [`PartEvidence`]).
    pub fn of_parts(exempt: bool, parts: &[PartEvidence]) -> Derived {
        let a = Aggregate::of_parts(parts);
        StatementState::of_stored(exempt, a.evidence, a.partial)
    }

    /// The export labels of the state (see [`Labels`]): FEVER's from
    /// [`StatementState::fever_label`], AVeriTeC's from [`Derived::averitec_label`].
    pub fn labels(&self) -> Labels {
        Labels { fever: self.state.fever_label().unwrap_or("NOT ENOUGH INFO"), averitec: self.averitec_label() }
    }

    /// The AVeriTeC label: `Supported`, `Refuted`, `Not Enough Evidence`, or
    /// `Conflicting Evidence/Cherrypicking` for a statement right in part (partly
    /// supported, or contradicted while a part has support). The one place that
    /// maps states to AVeriTeC labels.
    pub fn averitec_label(&self) -> &'static str {
        use StatementState as S;
        match (self.state, self.partly_supported) {
            (S::Supported, _) => "Supported",
            (S::Contradicted, false) => "Refuted",
            (S::Contradicted, true) | (S::PartlySupported, _) => "Conflicting Evidence/Cherrypicking",
            _ => "Not Enough Evidence",
        }
    }
}

/// The labels of a statement in the claim-verification formats, mapped from its
/// state in one place each ([`StatementState::fever_label`],
/// [`Derived::averitec_label`]):
///
/// | state | FEVER | AVeriTeC |
/// | --- | --- | --- |
/// | supported | `SUPPORTS` | `Supported` |
/// | contradicted | `REFUTES` | `Refuted` |
/// | contradicted, partly supported | `REFUTES` | `Conflicting Evidence/Cherrypicking` |
/// | partly supported | `NOT ENOUGH INFO` | `Conflicting Evidence/Cherrypicking` |
/// | context only, uncited | `NOT ENOUGH INFO` | `Not Enough Evidence` |
/// | exempt | not exported (`NOT ENOUGH INFO` here) | `Not Enough Evidence` |
///
/// A partly supported statement is not `SUPPORTS` in FEVER (the statement as a
/// whole is not verified) nor `REFUTES` (nothing contradicts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Labels {
    /// FEVER: `SUPPORTS`, `REFUTES` or `NOT ENOUGH INFO`.
    pub fever: &'static str,
    /// AVeriTeC: `Supported`, `Refuted`, `Not Enough Evidence` or
    /// `Conflicting Evidence/Cherrypicking`.
    pub averitec: &'static str,
}

/// The evidence of each part of a claim, from its citations and their links:
/// one implicit part when the claim has none. `citations` are `(key,
/// relation)`, `links` `(part, citation key)`, `parts` the part keys (row IDs
/// or IDs). A citation linked to no part bears on every part.
pub(crate) fn part_evidence<P: Copy + Eq + std::hash::Hash, C: Copy + Eq + std::hash::Hash>(
    parts: &[P],
    citations: &[(C, Relation)],
    links: &[(P, C)],
) -> Vec<PartEvidence> {
    if parts.is_empty() {
        return vec![PartEvidence::of(citations.iter().map(|c| c.1))];
    }
    let linked: std::collections::HashSet<C> = links.iter().map(|l| l.1).collect();
    let relation: std::collections::HashMap<C, Relation> = citations.iter().copied().collect();
    let whole = PartEvidence::of(citations.iter().filter(|c| !linked.contains(&c.0)).map(|c| c.1));
    parts
        .iter()
        .map(|&p| links.iter().filter(|l| l.0 == p).filter_map(|l| relation.get(&l.1)).fold(whole, |e, r| e.with(*r)))
        .collect()
}

impl StatementState {
    /// The state of a claim from what the ledger stores for it: its exemption,
    /// `claims.evidence` and `claims.partial`. The coverage SQL mirrors this.
    pub fn of_stored(exempt: bool, evidence: Option<i64>, partial: bool) -> Derived {
        use StatementState as S;
        let state = if exempt {
            S::Exempt
        } else {
            match evidence.and_then(EvidenceClass::from_code) {
                None => S::Uncited,
                Some(EvidenceClass::Context) => S::ContextOnly,
                Some(EvidenceClass::Supported) if partial => S::PartlySupported,
                Some(EvidenceClass::Supported) => S::Supported,
                Some(EvidenceClass::Contradicted) => S::Contradicted,
            }
        };
        let partly_supported = match state {
            S::PartlySupported => true,
            S::Contradicted => partial,
            _ => false,
        };
        Derived { state, partly_supported }
    }

    /// The state of an undivided statement (one implicit part) from whether it
    /// is exempt and the relations of its citations.
    ///
    /// ```
    /// use claimledger::Relation::*;
    /// use claimledger::StatementState;
    /// assert_eq!(StatementState::of(false, &[Contradicts, Quotes]), StatementState::Contradicted);
    /// assert_eq!(StatementState::of(false, &[Context, Supports]), StatementState::Supported);
    /// assert_eq!(StatementState::of(false, &[]), StatementState::Uncited);
    /// ```
    pub fn of(exempt: bool, relations: &[Relation]) -> StatementState {
        Derived::of_parts(exempt, &[PartEvidence::of(relations.iter().copied())]).state
    }

    /// The FEVER label of a statement in this state (`SUPPORTS`, `REFUTES`, `NOT
    /// ENOUGH INFO`), or `None` for a statement that is not a claim to verify
    /// (exempt). The one place that maps states to FEVER labels: a partly
    /// supported statement is `NOT ENOUGH INFO` (not verified as a whole, and
    /// nothing refutes it).
    pub fn fever_label(self) -> Option<&'static str> {
        match self {
            StatementState::Supported => Some("SUPPORTS"),
            StatementState::Contradicted => Some("REFUTES"),
            StatementState::Exempt => None,
            _ => Some("NOT ENOUGH INFO"),
        }
    }

    /// The relations whose passages are the evidence for the label of this
    /// state: supporting relations for `Supported`, `contradicts` for
    /// `Contradicted`, none otherwise.
    pub fn is_evidence(self, relation: Relation) -> bool {
        match self {
            StatementState::Supported => relation.is_supporting(),
            StatementState::Contradicted => relation == Relation::Contradicts,
            _ => false,
        }
    }

    /// True for the states a statement that needs a source can be backed in
    /// (supported, partly supported): what counts as "has support".
    pub fn is_backed(self) -> bool {
        matches!(self, StatementState::Supported | StatementState::PartlySupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relation as R;
    use StatementState as S;

    fn d(parts: &[&[Relation]]) -> (StatementState, bool) {
        let parts: Vec<PartEvidence> = parts.iter().map(|p| PartEvidence::of(p.iter().copied())).collect();
        let x = Derived::of_parts(false, &parts);
        (x.state, x.partly_supported)
    }

    #[test]
    fn every_state_from_parts() {
        assert_eq!(d(&[&[]]), (S::Uncited, false));
        assert_eq!(d(&[&[], &[]]), (S::Uncited, false));
        assert_eq!(d(&[&[R::Context]]), (S::ContextOnly, false));
        assert_eq!(d(&[&[R::Context], &[]]), (S::ContextOnly, false));
        assert_eq!(d(&[&[R::Quotes]]), (S::Supported, false));
        assert_eq!(d(&[&[R::Supports, R::Context]]), (S::Supported, false), "context beside support adds nothing");
        assert_eq!(d(&[&[R::Supports], &[R::Paraphrases]]), (S::Supported, false));
        assert_eq!(d(&[&[R::Supports], &[R::Context]]), (S::PartlySupported, true));
        assert_eq!(d(&[&[R::Supports], &[]]), (S::PartlySupported, true));
        assert_eq!(d(&[&[R::Contradicts]]), (S::Contradicted, false));
        assert_eq!(d(&[&[R::Supports], &[R::Contradicts]]), (S::Contradicted, true));
        assert_eq!(d(&[&[R::Context], &[R::Contradicts]]), (S::Contradicted, false));
        // One implicit part both supported and contradicted: contradicted, and
        // partly supported (what a V3 ledger's audit said of it).
        assert_eq!(d(&[&[R::Supports, R::Contradicts]]), (S::Contradicted, true));
        assert_eq!(Derived::of_parts(true, &[PartEvidence::of([R::Supports])]).state, S::Exempt);
        assert_eq!(Derived::of_parts(true, &[]).state, S::Exempt);
    }

    #[test]
    fn stored_aggregates_map_back_to_the_same_state() {
        let rels = [R::Supports, R::Contradicts, R::Context];
        // Every statement of up to three parts, each part citing any subset of
        // the three classes.
        let subsets: Vec<Vec<Relation>> = (0..8u8)
            .map(|m| rels.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, r)| *r).collect())
            .collect();
        for a in &subsets {
            for b in &subsets {
                for n in 1..=2 {
                    let parts: Vec<PartEvidence> =
                        [a, b].iter().take(n).map(|p| PartEvidence::of(p.iter().copied())).collect();
                    let agg = Aggregate::of_parts(&parts);
                    let direct = Derived::of_parts(false, &parts);
                    assert_eq!(StatementState::of_stored(false, agg.evidence, agg.partial), direct, "{parts:?}");
                }
            }
        }
    }

    #[test]
    fn labels_follow_the_state() {
        let l = |state, partly_supported| Derived { state, partly_supported }.labels();
        assert_eq!(l(S::Supported, false), Labels { fever: "SUPPORTS", averitec: "Supported" });
        assert_eq!(l(S::Contradicted, false), Labels { fever: "REFUTES", averitec: "Refuted" });
        assert_eq!(l(S::Contradicted, true).averitec, "Conflicting Evidence/Cherrypicking");
        assert_eq!(l(S::PartlySupported, true).fever, "NOT ENOUGH INFO");
        for s in [S::ContextOnly, S::Uncited, S::Exempt] {
            assert_eq!(l(s, false), Labels { fever: "NOT ENOUGH INFO", averitec: "Not Enough Evidence" });
        }
        assert_eq!(S::Exempt.fever_label(), None, "exempt statements are not exported to FEVER");
    }
}
