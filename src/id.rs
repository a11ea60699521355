//! Typed identifiers.
//!
//! Every entity has a UUIDv7 as its external identity: time-ordered, so they index
//! well, and globally unique, so ledgers can be merged. Inside the database tables
//! join on INTEGER row IDs instead (joins on 16-byte keys are several times slower);
//! the UUID is stored once per row in a unique column and is what the API hands out.
//!
//! One macro defines them all so they behave alike: `Display`/`FromStr` as the
//! hyphenated UUID, serde as that string, and `ToSql`/`FromSql` as a 16-byte blob.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use uuid::Uuid;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) ID.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// The ID for a UUID (for IDs that come from outside, e.g. a bundle).
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            /// The UUID.
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|e| {
                    crate::Error::invalid(stringify!($name), format!("{s:?} is not a UUID: {e}"))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0.hyphenated())
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
                Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self.0.as_bytes())))
            }
        }

        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let b = v.as_blob()?;
                let bytes: [u8; 16] = b
                    .try_into()
                    .map_err(|_| FromSqlError::InvalidBlobSize { expected_size: 16, blob_size: b.len() })?;
                Ok(Self(Uuid::from_bytes(bytes)))
            }
        }
    };
}

define_id!(
    /// Identifies a [`crate::Document`].
    DocumentId
);
define_id!(
    /// Identifies a [`crate::Revision`].
    RevisionId
);
define_id!(
    /// Identifies a [`crate::Claim`].
    ClaimId
);
define_id!(
    /// Identifies a [`crate::ClaimPart`].
    ClaimPartId
);
define_id!(
    /// Identifies a [`crate::Passage`].
    PassageId
);
define_id!(
    /// Identifies a [`crate::Quotation`].
    QuotationId
);
define_id!(
    /// Identifies a [`crate::Redaction`].
    RedactionId
);
define_id!(
    /// Identifies a [`crate::Citation`].
    CitationId
);
define_id!(
    /// Identifies a [`crate::Derivation`].
    DerivationId
);
define_id!(
    /// Identifies a [`crate::Verdict`].
    VerdictId
);
define_id!(
    /// Identifies an event of the history ([`crate::history::Event`]).
    EventId
);
define_id!(
    /// Identifies an [`crate::EvidenceItem`].
    EvidenceItemId
);
define_id!(
    /// Identifies a [`crate::Withdrawal`].
    WithdrawalId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_serde() {
        let id = ClaimId::new();
        let s = id.to_string();
        assert_eq!(s.parse::<ClaimId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{s}\""));
        assert_eq!(serde_json::from_str::<ClaimId>(&json).unwrap(), id);
        assert!("not-a-uuid".parse::<ClaimId>().unwrap_err().is_invalid_input());
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = DocumentId::new();
        let b = DocumentId::new();
        assert!(a < b, "UUIDv7 created later sorts later");
    }
}
