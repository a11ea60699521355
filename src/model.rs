//! The ledger's vocabulary: the enumerations every layer shares.
//!
//! Each enumeration is stored in the database, and written in every external format,
//! as a stable lowercase code (`"supports"`, `"site_chrome"`). Codes never change
//! meaning once released; new variants get new codes. One macro defines them so
//! that `Display`, `FromStr`, serde and SQLite conversions all use the same code.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the ledger and written in external formats.
            pub fn code(&self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The variant for a code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<$name> {
                $name::from_code(s.trim()).ok_or_else(|| {
                    let codes: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                    crate::Error::invalid(stringify!($name), format!("unknown code {s:?} (expected one of: {})", codes.join(", ")))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.code().as_bytes())))
            }
        }

        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::from_code(s).ok_or_else(|| FromSqlError::Other(format!("unknown {} code {s:?}", stringify!($name)).into()))
            }
        }
    };
}

code_enum!(
    /// What kind of text a document is. Articles and sources are the same kind of
    /// thing: one trace's article is another trace's source.
    DocumentKind {
        /// A news or magazine article.
        Article = "article",
        /// A report (government, NGO, corporate).
        Report = "report",
        /// An email or other message.
        Email = "email",
        /// A record of an interview (e.g. an FBI 302).
        Interview = "interview",
        /// A court filing, judgment or transcript.
        CourtFiling = "court_filing",
        /// A web page.
        WebPage = "web_page",
        /// Anything else.
        Other = "other",
    }
);

code_enum!(
    /// What a claim is.
    ClaimKind {
        /// A statement of fact, checkable against sources.
        Factual = "factual",
        /// A statement made mostly of quoted words.
        Quotation = "quotation",
        /// Opinion or analysis.
        Opinion = "opinion",
        /// A headline or section heading.
        Heading = "heading",
        /// Site chrome, prompts and other boilerplate.
        Boilerplate = "boilerplate",
    }
);

code_enum!(
    /// Why a claim needs no source.
    ExemptionReason {
        /// The article's headline.
        Headline = "headline",
        /// A section heading.
        Heading = "heading",
        /// Navigation, section labels and other chrome of the web page.
        SiteChrome = "site_chrome",
        /// A prompt to subscribe or sign up.
        NewsletterPrompt = "newsletter_prompt",
        /// A masthead or staff list.
        Masthead = "masthead",
        /// A byline or dateline.
        Byline = "byline",
        /// Another reason, given in the note.
        Other = "other",
    }
);

code_enum!(
    /// How a cited passage bears on a claim.
    Relation {
        /// The passage establishes the claim as written.
        Supports = "supports",
        /// The claim quotes the passage.
        Quotes = "quotes",
        /// The claim restates the passage faithfully in other words.
        Paraphrases = "paraphrases",
        /// The passage says otherwise.
        Contradicts = "contradicts",
        /// Related, but it does not back the claim as written.
        Context = "context",
        /// The claim is about the withheld material itself.
        DescribesRedaction = "describes_redaction",
    }
);

impl Relation {
    /// True for relations that back a claim: supports, quotes, paraphrases and
    /// describes_redaction (the passage shows the redaction the claim describes).
    pub fn is_supporting(&self) -> bool {
        matches!(self, Relation::Supports | Relation::Quotes | Relation::Paraphrases | Relation::DescribesRedaction)
    }
}

code_enum!(
    /// The result of checking a quotation against its source.
    QuoteStatus {
        /// Same words and punctuation, allowing the conventions of quoting
        /// (ellipses, bracketed insertions, `[sic]`, punctuation inside the closing mark).
        Verbatim = "verbatim",
        /// Differs only in typography: quote glyphs, dashes, whitespace, first-letter case.
        Normalized = "normalized",
        /// A word, number or punctuation mark differs.
        Altered = "altered",
        /// No passage of the sources matches (or the quotation holds nothing to
        /// search: only punctuation, ellipses or invisible characters).
        NotFound = "not_found",
        /// Longer than the text engine checks (its cap on a quote's length): not
        /// compared with the sources. The article's other quotations are checked.
        TooLarge = "too_large",
        /// Not checked yet (also a quotation stored by a build before schema V4
        /// as `ambiguous`: its words were never compared with a place).
        Unchecked = "unchecked",
    }
);

code_enum!(
    /// Where a checked quotation stands, apart from how faithful its words are
    /// ([`QuoteStatus`]): a quote verbatim at three places is `verbatim` with
    /// location `ambiguous`.
    QuoteLocation {
        /// One place: the context decided, or the words stand only there.
        Unique = "unique",
        /// Several places match and nothing decides: every place is kept as a
        /// candidate, for a reader (or a later step) to pin.
        Ambiguous = "ambiguous",
        /// Nowhere (not found, or not checked).
        None = "none",
    }
);

code_enum!(
    /// What a passage is.
    PassageKind {
        /// A span of body text.
        Text = "text",
        /// A footnote's text.
        Footnote = "footnote",
    }
);

code_enum!(
    /// How one passage derives from another.
    DerivationKind {
        /// The passage is backed by the footnote attached to it.
        Footnote = "footnote",
        /// The passage quotes the other.
        Quotes = "quotes",
        /// The passage cites the other.
        Cites = "cites",
    }
);

code_enum!(
    /// The tier at which a quote was anchored.
    Tier {
        /// Byte-for-byte.
        Exact = "exact",
        /// After normalizing typography, whitespace and case.
        Normalized = "normalized",
        /// Within a bounded edit distance.
        Fuzzy = "fuzzy",
        /// Matched the label of a redaction.
        RedactionLabel = "redaction_label",
    }
);

code_enum!(
    /// The one state of a statement, derived from its parts' citations (see
    /// [`crate::state`]).
    StatementState {
        /// Every part is supported as written.
        Supported = "supported",
        /// Some parts are supported, others only context or uncited.
        PartlySupported = "partly_supported",
        /// A part is contradicted.
        Contradicted = "contradicted",
        /// Cited, but only as context.
        ContextOnly = "context_only",
        /// Needs a source and cites none.
        Uncited = "uncited",
        /// Needs no source.
        Exempt = "exempt",
    }
);

code_enum!(
    /// What a re-anchored anchor of a source revision is.
    AnchorKind {
        /// A passage (its citations follow it).
        Passage = "passage",
        /// A redaction.
        Redaction = "redaction",
        /// Where a quotation anchored.
        Quotation = "quotation",
    }
);

code_enum!(
    /// Where an anchor of one revision landed in another.
    AnchorState {
        /// Same text at the same offsets.
        Same = "same",
        /// Same text (typography and line breaks aside) elsewhere.
        Moved = "moved",
        /// Close text that differs in words: review it.
        Changed = "changed",
        /// Not found: review it.
        Orphaned = "orphaned",
        /// A redaction whose place in the new text holds words instead of a label.
        Released = "released",
        /// A redaction still withheld in the new text.
        Kept = "kept",
    }
);

code_enum!(
    /// What an event of the history did (`Ledger::log`): one per write path of the
    /// library.
    EventKind {
        /// The rows a ledger held when it was upgraded to the history's schema (V12).
        Genesis = "genesis",
        /// A [`crate::Ledger::write`] closure: writes composed by the caller.
        Write = "write",
        /// [`crate::Ledger::add_document`].
        AddDocument = "add_document",
        /// [`crate::Ledger::add_revision`].
        AddRevision = "add_revision",
        /// [`crate::Ledger::add_claim`] or [`crate::Ledger::add_claims`].
        AddClaims = "add_claims",
        /// [`crate::Ledger::add_passage`].
        AddPassage = "add_passage",
        /// [`crate::Ledger::add_quotation`].
        AddQuotation = "add_quotation",
        /// [`crate::Ledger::add_redaction`] or [`crate::Ledger::add_redactions`].
        AddRedactions = "add_redactions",
        /// [`crate::Ledger::add_citation`] or [`crate::Ledger::add_citations`].
        AddCitations = "add_citations",
        /// [`crate::Ledger::add_derivation`].
        AddDerivation = "add_derivation",
        /// [`crate::Ledger::add_part`].
        AddPart = "add_part",
        /// [`crate::Ledger::register_redaction_reason`].
        RegisterReason = "register_reason",
        /// A verdict ([`crate::Ledger::add_verdict`], `claimledger verdict`).
        Verdict = "verdict",
        /// A source or a new revision of one, with its redactions and footnotes
        /// ([`crate::Ledger::import_source`], `claimledger add-source`).
        ImportSource = "import_source",
        /// An article's text ([`crate::Ledger::add_article`]).
        AddArticle = "add_article",
        /// A trace ([`crate::Ledger::import_trace`], `claimledger trace`).
        Trace = "trace",
        /// A re-anchoring ([`crate::Ledger::reanchor`]).
        Reanchor = "reanchor",
        /// A bundle merged in ([`crate::Ledger::import_bundle`]); carries the
        /// bundle's own log.
        BundleImport = "bundle_import",
        /// ClaimReview items ([`crate::Ledger::import_claim_reviews`]).
        ClaimReviewImport = "claimreview_import",
        /// CSL-JSON items ([`crate::Ledger::import_csl`]).
        CslImport = "csl_import",
        /// A revision indexed for suggestions ([`crate::Ledger::index_revision`]).
        Index = "index",
        /// Evidence withdrawn ([`crate::Ledger::withdraw`], `claimledger withdraw`).
        Withdraw = "withdraw",
        /// A withdrawal undone ([`crate::Ledger::undo_withdrawal`]).
        UndoWithdrawal = "undo_withdrawal",
    }
);

code_enum!(
    /// What a footnote cites: the kind of an evidence item (see
    /// [`crate::text::evidence`]).
    EvidenceKind {
        /// An FBI interview report (`Gates 4/10/18 302, at 3`).
        Interview302 = "interview_302",
        /// Another record of an interview: a congressional staff interview, written
        /// answers to investigators' questions.
        InterviewOther = "interview_other",
        /// Grand jury testimony or material named as such.
        GrandJury = "grand_jury",
        /// An email.
        Email = "email",
        /// A text, direct or private message.
        TextMessage = "text_message",
        /// A public post on a social network (a tweet, a page post, an advertisement).
        SocialPost = "social_post",
        /// A record, letter, memorandum, notes or another document.
        Document = "document",
        /// A court filing: indictment, complaint, statement of offense, transcript.
        CourtFiling = "court_filing",
        /// A legislative hearing or the testimony given there.
        Hearing = "hearing",
        /// A press article or broadcast.
        News = "news",
        /// A public statement: remarks, a press release, a briefing.
        PublicStatement = "public_statement",
        /// A report of a government body.
        GovernmentReport = "government_report",
        /// A statute, regulation, case or legal opinion cited for the law.
        LegalAuthority = "legal_authority",
        /// Another part of the same work (`Volume I, Section IV.A.1, supra`).
        CrossReference = "cross_reference",
        /// A withheld citation: a redaction label standing where a citation stands.
        Redacted = "redacted",
        /// A citation the parser could not type.
        Other = "other",
    }
);

code_enum!(
    /// An introductory signal of a citation (Bluebook rule 1.2), normalized.
    Signal {
        /// `See`.
        See = "see",
        /// `See, e.g.,`.
        SeeEg = "see_eg",
        /// `See also`.
        SeeAlso = "see_also",
        /// `See generally`.
        SeeGenerally = "see_generally",
        /// `Cf.`.
        Cf = "cf",
        /// `Compare`.
        Compare = "compare",
        /// `But see`.
        ButSee = "but_see",
        /// `But cf.`.
        ButCf = "but_cf",
        /// `Accord`.
        Accord = "accord",
        /// `Contra`.
        Contra = "contra",
        /// `E.g.,`.
        Eg = "eg",
    }
);

impl Signal {
    /// The signal as a citation writes it (`See, e.g.,`).
    pub fn label(&self) -> &'static str {
        match self {
            Signal::See => "See",
            Signal::SeeEg => "See, e.g.,",
            Signal::SeeAlso => "See also",
            Signal::SeeGenerally => "See generally",
            Signal::Cf => "Cf.",
            Signal::Compare => "Compare",
            Signal::ButSee => "But see",
            Signal::ButCf => "But cf.",
            Signal::Accord => "Accord",
            Signal::Contra => "Contra",
            Signal::Eg => "E.g.,",
        }
    }
}

code_enum!(
    /// How a statement's evidence stands under the withdrawals in force (see
    /// [`crate::evidence`]).
    Standing {
        /// No origin of its evidence is withdrawn.
        Stands = "stands",
        /// Some of its origins are withdrawn, some remain.
        Thins = "thins",
        /// Every origin of its evidence is withdrawn.
        Falls = "falls",
        /// No evidence item with an origin was reached.
        NoOrigin = "no_origin",
    }
);

code_enum!(
    /// Who an author is, as schema.org types it (`Person` or `Organization`).
    AgentType {
        /// A person (schema.org `Person`).
        Person = "person",
        /// An organization: a desk, a newspaper, an agency (schema.org `Organization`).
        Organization = "organization",
    }
);

impl AgentType {
    /// The schema.org type name: `Person` or `Organization`.
    pub fn schema_type(&self) -> &'static str {
        match self {
            AgentType::Person => "Person",
            AgentType::Organization => "Organization",
        }
    }
}
