//! Spans, offsets and pages.
//!
//! Everything in the ledger but the text itself is a span of one revision's text
//! (stand-off annotation). Internally a span is a pair of **UTF-8 byte offsets**,
//! end exclusive, always on character boundaries: that is what Rust slices take.
//! Every external format (W3C selectors, the CLI's JSON, the corpus's redaction
//! files) counts **Unicode code points** instead; [`CharIndex`] converts between the
//! two exactly, in O(1) plus a short scan, so bulk conversion stays linear.
//!
//! Pages: a form feed (`\f`) in a revision's text starts a new page. Pages are
//! numbered from 1; a text without form feeds is one page (and external formats
//! report its page as null).

use crate::{Error, Result, RevisionId};
use serde::{Deserialize, Serialize};

/// A span of one revision's text: byte offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// The revision the offsets point into.
    pub revision: RevisionId,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset, exclusive.
    pub end: usize,
}

impl Span {
    /// A span of `revision` from byte `start` to byte `end`. It is checked against
    /// the text when it is written to the ledger (see [`check_range`]).
    pub fn new(revision: RevisionId, start: usize, end: usize) -> Span {
        Span { revision, start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when `other` lies within this span (same revision).
    pub fn contains(&self, other: &Span) -> bool {
        self.revision == other.revision && self.start <= other.start && other.end <= self.end
    }

    /// True when the spans share a revision and overlap or touch.
    pub fn touches(&self, other: &Span) -> bool {
        self.revision == other.revision && self.start <= other.end && other.start <= self.end
    }
}

/// Checks that `start..end` is a valid span of `text`: ordered, within the text, and
/// on character boundaries.
///
/// # Errors
///
/// [`Error::InvalidSpan`] saying which condition failed.
pub fn check_range(text: &str, start: usize, end: usize) -> Result<()> {
    let bad = |reason: &str| Error::InvalidSpan { start, end, len: text.len(), reason: reason.to_string() };
    if start > end {
        return Err(bad("start is after end"));
    }
    if end > text.len() {
        return Err(bad("end is past the end of the text"));
    }
    if !text.is_char_boundary(start) {
        return Err(bad("start is not on a character boundary"));
    }
    if !text.is_char_boundary(end) {
        return Err(bad("end is not on a character boundary"));
    }
    Ok(())
}

/// A text held once and shared without copying: an `Arc<str>` (what the
/// ledger's text cache holds), a `String` moved in whole, or a `&'static str`
/// (text the process keeps until it exits, [`SharedText::from_static`]). Turning a
/// `String` into an `Arc<str>` copies it (a fresh allocation the size of the
/// text, 100 MB for a big source read from a file); moving it into a
/// `SharedText` does not. Reads as a `&str` (`Deref`).
///
/// ```
/// use claimledger::SharedText;
/// let read = String::from("The pier was closed in May.");
/// let text = SharedText::from(read); // no copy of the text
/// let again = text.clone(); // a reference count, no copy either
/// assert_eq!(&*again, "The pier was closed in May.");
/// ```
#[derive(Clone)]
pub struct SharedText(SharedRepr);

#[derive(Clone)]
enum SharedRepr {
    Str(std::sync::Arc<str>),
    String(std::sync::Arc<String>),
    Static(&'static str),
}

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            SharedRepr::Str(s) => s,
            SharedRepr::String(s) => s.as_str(),
            SharedRepr::Static(s) => s,
        }
    }

    /// A text that lives as long as the process (a constant, or a file read
    /// by a one-shot command that leaves its memory to the process's exit):
    /// borrowed, never copied or freed.
    ///
    /// ```
    /// use claimledger::SharedText;
    /// let text = SharedText::from_static("The pier was closed in May.");
    /// assert_eq!(text.as_str(), "The pier was closed in May.");
    /// ```
    pub fn from_static(text: &'static str) -> SharedText {
        SharedText(SharedRepr::Static(text))
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<std::sync::Arc<str>> for SharedText {
    fn from(s: std::sync::Arc<str>) -> SharedText {
        SharedText(SharedRepr::Str(s))
    }
}

impl From<String> for SharedText {
    /// Moves the string in (no copy of its text).
    fn from(s: String) -> SharedText {
        SharedText(SharedRepr::String(std::sync::Arc::new(s)))
    }
}

impl From<&str> for SharedText {
    /// Copies the text once.
    fn from(s: &str) -> SharedText {
        SharedText(SharedRepr::Str(std::sync::Arc::from(s)))
    }
}

const BLOCK: usize = 256;

/// How many bytes of `bytes` start a code point (are not UTF-8 continuation
/// bytes `0b10xx_xxxx`), eight bytes at a time: a continuation byte has its top
/// bit set and the bit below it clear.
fn code_points(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut continuation = 0usize;
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b);
        continuation += (x & !(x << 1) & HIGH).count_ones() as usize;
    }
    let rest = words.remainder();
    bytes.len() - continuation - rest.len() + rest.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Exact conversion between UTF-8 byte offsets and Unicode code-point offsets of one
/// text. Build it once per text; each conversion costs a table lookup and a scan of
/// at most 256 bytes.
///
/// ```
/// use claimledger::CharIndex;
/// let text = "naïve 𝄞 café";
/// let idx = CharIndex::new(text);
/// assert_eq!(idx.to_char(text.find('𝄞').unwrap()), Some(6));
/// assert_eq!(idx.to_byte(6), Some(text.find('𝄞').unwrap()));
/// assert_eq!(idx.char_len(), text.chars().count());
/// ```
#[derive(Debug, Clone)]
pub struct CharIndex {
    text: SharedText,
    /// Code points before each 256-byte block boundary.
    blocks: Vec<usize>,
    chars: usize,
}

impl CharIndex {
    /// Bytes it holds besides the text it indexes (shared with its owner).
    pub fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * std::mem::size_of::<usize>()
    }

    /// Indexes `text` (copying it).
    pub fn new(text: &str) -> CharIndex {
        CharIndex::shared(text)
    }

    /// Indexes a shared text without copying it (an `Arc<str>`, a
    /// [`SharedText`], or a `String` moved in).
    pub fn shared(text: impl Into<SharedText>) -> CharIndex {
        let text: SharedText = text.into();
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0usize;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(count);
            count += code_points(chunk);
        }
        blocks.push(count);
        CharIndex { text, blocks, chars: count }
    }

    /// The text indexed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// Code-point offset of a byte offset; `None` when the byte offset is past the
    /// end or not on a character boundary.
    pub fn to_char(&self, byte: usize) -> Option<usize> {
        if byte > self.text.len() || !self.text.is_char_boundary(byte) {
            return None;
        }
        let block = byte / BLOCK;
        let base = self.blocks[block];
        let from = block * BLOCK;
        if self.ascii_block(block) {
            return Some(base + (byte - from));
        }
        let extra = self.text.as_bytes()[from..byte].iter().filter(|&&b| (b as i8) >= -0x40).count();
        Some(base + extra)
    }

    /// Byte offset of a code-point offset; `None` when past the end.
    pub fn to_byte(&self, ch: usize) -> Option<usize> {
        if ch > self.chars {
            return None;
        }
        // Last block whose start count is <= ch.
        let block = self.blocks.partition_point(|&c| c <= ch).saturating_sub(1);
        let mut count = self.blocks[block];
        if self.ascii_block(block) && ch - count <= self.block_len(block) {
            return Some(block * BLOCK + (ch - count));
        }
        let bytes = self.text.as_bytes();
        let mut i = block * BLOCK;
        while i < bytes.len() {
            if (bytes[i] as i8) >= -0x40 {
                if count == ch {
                    return Some(i);
                }
                count += 1;
            }
            i += 1;
        }
        (count == ch).then_some(bytes.len())
    }

    /// Bytes in block `b` (the last one may be short).
    fn block_len(&self, b: usize) -> usize {
        self.text.len().saturating_sub(b * BLOCK).min(BLOCK)
    }

    /// True when block `b` is all ASCII (as many code points as bytes), so
    /// offsets inside it convert by arithmetic.
    fn ascii_block(&self, b: usize) -> bool {
        match (self.blocks.get(b), self.blocks.get(b + 1)) {
            (Some(&c), Some(&n)) => n - c == self.block_len(b),
            _ => false,
        }
    }

    /// Converts a byte range to a code-point range.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSpan`] when the range is not a valid span of the text.
    pub fn range_to_chars(&self, start: usize, end: usize) -> Result<(usize, usize)> {
        check_range(&self.text, start, end)?;
        match (self.to_char(start), self.to_char(end)) {
            (Some(s), Some(e)) => Ok((s, e)),
            _ => Err(Error::InvalidSpan { start, end, len: self.text.len(), reason: "not convertible".into() }),
        }
    }

    /// Converts a code-point range to a byte range.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSpan`] (in code points) when the range is reversed or past the end.
    pub fn range_to_bytes(&self, start: usize, end: usize) -> Result<(usize, usize)> {
        let bad = |reason: &str| Error::InvalidSpan {
            start,
            end,
            len: self.chars,
            reason: format!("{reason} (code-point offsets)"),
        };
        if start > end {
            return Err(bad("start is after end"));
        }
        match (self.to_byte(start), self.to_byte(end)) {
            (Some(s), Some(e)) => Ok((s, e)),
            _ => Err(bad("past the end of the text")),
        }
    }
}

/// Page structure of a text: form feeds start pages, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    /// Byte offset where each page starts (the first is 0).
    starts: Vec<usize>,
}

impl Pages {
    /// Bytes it holds (the page starts).
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * std::mem::size_of::<usize>()
    }

    /// Finds the pages of `text`.
    pub fn new(text: &str) -> Pages {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\x0c', text.as_bytes()).map(|i| i + 1));
        Pages { starts }
    }

    /// Number of pages (at least 1).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// True when the text has page breaks.
    pub fn is_paged(&self) -> bool {
        self.starts.len() > 1
    }

    /// The page (from 1) holding byte offset `byte`. A form feed belongs to the page
    /// it ends.
    pub fn page_of(&self, byte: usize) -> u32 {
        self.starts.partition_point(|&s| s <= byte) as u32
    }

    /// Byte range of page `n` (from 1), without its closing form feed.
    pub fn range(&self, n: u32) -> Option<std::ops::Range<usize>> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map(|s| s - 1);
        Some(start..end.unwrap_or(usize::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_range_rejects_bad_spans() {
        let t = "héllo";
        assert!(check_range(t, 0, 6).is_ok());
        assert!(check_range(t, 2, 1).unwrap_err().is_invalid_span());
        assert!(check_range(t, 0, 7).unwrap_err().is_invalid_span());
        assert!(check_range(t, 2, 3).unwrap_err().is_invalid_span(), "inside é");
    }

    #[test]
    fn pages_from_form_feeds() {
        let t = "one\x0ctwo\x0cthree";
        let p = Pages::new(t);
        assert_eq!(p.count(), 3);
        assert_eq!(p.page_of(0), 1);
        assert_eq!(p.page_of(3), 1, "the form feed closes page 1");
        assert_eq!(p.page_of(4), 2);
        assert_eq!(p.page_of(t.len()), 3);
        let r = p.range(2).unwrap();
        assert_eq!(&t[r.start..r.end], "two");
        assert!(p.range(0).is_none());
        assert!(p.range(4).is_none());
        assert!(!Pages::new("plain").is_paged());
    }

    #[test]
    fn ascii_blocks_convert_by_arithmetic_and_agree_with_scanning() {
        // Mostly ASCII, with multibyte characters in some blocks and at block edges.
        let mut text = "a".repeat(255);
        text.push('é'); // straddles the first block boundary
        text.push_str(&"b".repeat(600));
        text.push('𝄞');
        text.push_str(&"c".repeat(256));
        let idx = CharIndex::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.to_char(bi), Some(ci));
            assert_eq!(idx.to_byte(ci), Some(bi));
        }
        assert_eq!(idx.to_char(text.len()), Some(idx.char_len()));
        assert_eq!(idx.to_byte(idx.char_len()), Some(text.len()));
        assert_eq!(idx.to_byte(idx.char_len() + 1), None);
        assert_eq!(idx.to_char(256), None, "inside é");
        let plain = "x".repeat(512);
        let idx = CharIndex::new(&plain);
        assert_eq!((idx.to_char(512), idx.to_byte(512), idx.to_byte(513)), (Some(512), Some(512), None));
    }

    proptest! {
        #[test]
        fn code_points_are_counted_eight_bytes_at_a_time(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let want = bytes.iter().filter(|&&b| !(0x80..0xC0).contains(&b)).count();
            prop_assert_eq!(code_points(&bytes), want);
        }

        #[test]
        fn byte_and_char_offsets_convert_both_ways(s in "\\PC*", extra in proptest::collection::vec(any::<char>(), 0..300)) {
            let mut text = s;
            text.extend(extra);
            let idx = CharIndex::new(&text);
            prop_assert_eq!(idx.char_len(), text.chars().count());
            for (ci, (bi, _)) in text.char_indices().enumerate() {
                prop_assert_eq!(idx.to_char(bi), Some(ci));
                prop_assert_eq!(idx.to_byte(ci), Some(bi));
            }
            prop_assert_eq!(idx.to_char(text.len()), Some(idx.char_len()));
            prop_assert_eq!(idx.to_byte(idx.char_len()), Some(text.len()));
            prop_assert_eq!(idx.to_byte(idx.char_len() + 1), None);
            for b in 0..=text.len() + 1 {
                let ok = b <= text.len() && text.is_char_boundary(b);
                prop_assert_eq!(idx.to_char(b).is_some(), ok);
            }
        }
    }
}
