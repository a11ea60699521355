//! Redaction reasons: schemes, codes, labels and their aliases.
//!
//! A redaction's reason is a code within a scheme (`mueller` / `hom`,
//! `foia` / `b7c`). Sources print reasons as labels, and real labels vary: the
//! Mueller report's reconstruction writes `Harm to Ongoing Matter`, `HOM`,
//! `Harm to Ongoing Investigation`, `PP`, `IT` and the slip `Personal Privacyr`.
//! [`Taxonomy::resolve`] maps a label to its reason by a normalized alias table
//! (case, punctuation and spacing folded). A label that maps to nothing is kept
//! as written and reported as unknown, never dropped or guessed.
//!
//! Two schemes are built in: the Mueller report's four categories and the FOIA
//! exemptions (b)(1) to (b)(9) with (b)(7)(A) to (F). Users register their own
//! with [`Taxonomy::register`] (stored in the ledger by
//! [`crate::Ledger::register_redaction_reason`]).

use serde::{Deserialize, Serialize};

/// A reason a span is withheld: a code within a scheme, with its canonical label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RedactionReason {
    /// The scheme (`mueller`, `foia`, or a user's).
    pub scheme: String,
    /// The code within the scheme (`hom`, `b7c`).
    pub code: String,
    /// The canonical label (`Harm to Ongoing Matter`).
    pub label: String,
}

/// The built-in Mueller report scheme name.
pub const MUELLER: &str = "mueller";
/// The built-in FOIA exemptions scheme name.
pub const FOIA: &str = "foia";

/// A set of reasons with their aliases.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    reasons: Vec<RedactionReason>,
    /// (normalized alias, index into reasons), sorted by alias.
    aliases: Vec<(String, usize)>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Self::builtin()
    }
}

/// Folds a label for alias lookup: lowercase, letters and digits only, with
/// `(b)(7)(c)`-style parentheses kept as plain characters.
pub fn fold_label(label: &str) -> String {
    if label.is_ascii() {
        // The same result without Unicode tables: for ASCII, `is_alphanumeric`
        // and `to_lowercase` are their ASCII forms.
        let mut out = String::with_capacity(label.len());
        out.extend(label.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())));
        return out;
    }
    label.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Taxonomy {
    /// An empty taxonomy.
    pub fn empty() -> Taxonomy {
        Taxonomy { reasons: Vec::new(), aliases: Vec::new() }
    }

    /// The built-in schemes: the Mueller report's four categories and the FOIA
    /// exemptions.
    pub fn builtin() -> Taxonomy {
        let mut t = Taxonomy::empty();
        let m = |code: &str, label: &str, aliases: &[&str]| {
            (MUELLER, code.to_string(), label.to_string(), aliases.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        let mut entries = vec![
            m("gj", "Grand Jury", &["GJ", "Grand Jury Material", "Rule 6(e)", "6(e)"]),
            m(
                "hom",
                "Harm to Ongoing Matter",
                &["HOM", "Harm to Ongoing Matters", "Harm to Ongoing Investigation", "Harm to an Ongoing Matter"],
            ),
            m("it", "Investigative Technique", &["IT", "Investigative Techniques"]),
            m("pp", "Personal Privacy", &["PP", "Personal Privacyr"]),
        ];
        let foia: &[(&str, &str)] = &[
            ("b1", "(b)(1) National security"),
            ("b2", "(b)(2) Internal personnel rules and practices"),
            ("b3", "(b)(3) Exempted by statute"),
            ("b4", "(b)(4) Trade secrets and commercial information"),
            ("b5", "(b)(5) Privileged inter- or intra-agency communications"),
            ("b6", "(b)(6) Personal privacy"),
            ("b7", "(b)(7) Law enforcement records"),
            ("b7a", "(b)(7)(A) Interference with enforcement proceedings"),
            ("b7b", "(b)(7)(B) Deprivation of a fair trial"),
            ("b7c", "(b)(7)(C) Personal privacy in law enforcement records"),
            ("b7d", "(b)(7)(D) Confidential source"),
            ("b7e", "(b)(7)(E) Law enforcement techniques and procedures"),
            ("b7f", "(b)(7)(F) Endangering life or physical safety"),
            ("b8", "(b)(8) Financial institutions"),
            ("b9", "(b)(9) Geological information on wells"),
        ];
        for (code, label) in foia {
            let short = label.split(' ').next().unwrap_or(label);
            entries.push((
                FOIA,
                code.to_string(),
                label.to_string(),
                vec![short.to_string(), format!("FOIA {short}"), format!("Exemption {short}")],
            ));
        }
        for (scheme, code, label, aliases) in entries {
            let reason = RedactionReason { scheme: scheme.to_string(), code, label };
            // Built-in entries never conflict with each other.
            let _ = t.register(reason, &aliases);
        }
        t
    }

    /// Adds a reason with extra aliases (its label and `scheme:code` are always
    /// aliases). Returns the aliases that were already taken by another reason and
    /// so were not added.
    pub fn register(&mut self, reason: RedactionReason, aliases: &[String]) -> Vec<String> {
        let idx = match self.reasons.iter().position(|r| r.scheme == reason.scheme && r.code == reason.code) {
            Some(i) => i,
            None => {
                self.reasons.push(reason.clone());
                self.reasons.len() - 1
            }
        };
        let mut taken = Vec::new();
        let own = [reason.label.clone(), format!("{}:{}", reason.scheme, reason.code)];
        for alias in own.iter().chain(aliases) {
            let key = fold_label(alias);
            if key.is_empty() {
                continue;
            }
            match self.aliases.binary_search_by(|(a, _)| a.as_str().cmp(&key)) {
                Ok(pos) if self.aliases[pos].1 != idx => taken.push(alias.clone()),
                Ok(_) => {}
                Err(pos) => self.aliases.insert(pos, (key, idx)),
            }
        }
        taken
    }

    /// The reason a label stands for, if known.
    ///
    /// ```
    /// use claimledger::Taxonomy;
    /// let t = Taxonomy::builtin();
    /// assert_eq!(t.resolve("HOM").unwrap().code, "hom");
    /// assert_eq!(t.resolve("[Harm to Ongoing Investigation]").unwrap().code, "hom");
    /// assert_eq!(t.resolve("(b)(7)(C)").unwrap().code, "b7c");
    /// assert!(t.resolve("Redacted").is_none());
    /// ```
    pub fn resolve(&self, label: &str) -> Option<&RedactionReason> {
        self.resolve_folded(&fold_label(label))
    }

    /// [`Taxonomy::resolve`] of a label already folded by [`fold_label`].
    fn resolve_folded(&self, key: &str) -> Option<&RedactionReason> {
        self.aliases.binary_search_by(|(a, _)| a.as_str().cmp(key)).ok().map(|pos| &self.reasons[self.aliases[pos].1])
    }

    /// Every reason, in registration order.
    pub fn reasons(&self) -> &[RedactionReason] {
        &self.reasons
    }

    /// Every alias as written in a source (folded), with its reason: used to detect
    /// redaction labels in text.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &RedactionReason)> {
        self.aliases.iter().map(|(a, i)| (a.as_str(), &self.reasons[*i]))
    }

    /// Finds bracketed redaction labels in `text` (`[Grand Jury]`, `[HOM]`,
    /// `[Redacted]`): byte spans with the label inside the brackets. Footnote markers
    /// (`[^12]`) and editorial brackets longer than 60 bytes or containing digits only
    /// are not labels. A bracket whose content resolves to no reason is returned too
    /// when it reads like a redaction (`Redacted`, `Withheld`), so unknown labels are
    /// kept, not dropped.
    pub fn find_labels(&self, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
        self.find_labels_resolved(text).into_iter().map(|(r, l, _)| (r, l)).collect()
    }

    /// [`Taxonomy::find_labels`] with the reason each label resolves to (each
    /// label folded once).
    pub(crate) fn find_labels_resolved(
        &self,
        text: &str,
    ) -> Vec<(std::ops::Range<usize>, String, Option<&RedactionReason>)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for open in memchr::memchr_iter(b'[', bytes) {
            let rest = &bytes[open + 1..];
            let Some(len) = memchr::memchr(b']', &rest[..rest.len().min(62)]) else { continue };
            let inner = &text[open + 1..open + 1 + len];
            if inner.is_empty() || inner.starts_with('^') || inner.contains('[') {
                continue;
            }
            let folded = fold_label(inner);
            let reason = self.resolve_folded(&folded);
            if reason.is_some() || matches!(folded.as_str(), "redacted" | "withheld") {
                out.push((open..open + len + 2, inner.to_string(), reason));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_labels_fold_as_by_unicode_rules(s in "[ -~]{0,40}") {
            let by_chars: String = s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
            proptest::prop_assert_eq!(fold_label(&s), by_chars);
        }
    }

    #[test]
    fn corpus_label_variants_resolve() {
        let t = Taxonomy::builtin();
        for (label, code) in [
            ("Grand Jury", "gj"),
            ("Harm to Ongoing Matter", "hom"),
            ("Harm to Ongoing Matters", "hom"),
            ("Harm to Ongoing Investigation", "hom"),
            ("HOM", "hom"),
            ("Investigative Technique", "it"),
            ("IT", "it"),
            ("Personal Privacy", "pp"),
            ("PP", "pp"),
            ("Personal Privacyr", "pp"),
            ("(b)(6)", "b6"),
            ("b7e", "b7e"),
            ("Exemption (b)(3)", "b3"),
        ] {
            assert_eq!(t.resolve(label).map(|r| r.code.as_str()), Some(code), "{label}");
        }
        assert!(t.resolve("").is_none());
        assert!(t.resolve("Redacted").is_none());
        assert!(t.resolve("Personal").is_none());
    }

    #[test]
    fn register_custom_scheme_and_report_taken_aliases() {
        let mut t = Taxonomy::builtin();
        let r = RedactionReason { scheme: "desk".into(), code: "src".into(), label: "Source protection".into() };
        let taken = t.register(r, &["SP".to_string(), "HOM".to_string()]);
        assert_eq!(taken, vec!["HOM".to_string()]);
        assert_eq!(t.resolve("sp").unwrap().scheme, "desk");
        assert_eq!(t.resolve("desk:src").unwrap().code, "src");
        assert_eq!(t.resolve("HOM").unwrap().scheme, MUELLER);
    }

    #[test]
    fn find_labels_in_text() {
        let t = Taxonomy::builtin();
        let text = "He met [Personal Privacy] in May.[^4] Then [HOM] and [Redacted]; see [1] and [emphasis added].";
        let found: Vec<String> = t
            .find_labels(text)
            .into_iter()
            .map(|(r, l)| {
                assert_eq!(&text[r.start + 1..r.end - 1], l);
                l
            })
            .collect();
        assert_eq!(found, ["Personal Privacy", "HOM", "Redacted"]);
    }
}
