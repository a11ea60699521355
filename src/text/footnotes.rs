//! Markdown footnotes (temporary minimal version).
#![allow(missing_docs)]
pub struct FootnoteMarker { pub number: u32, pub start: usize, pub end: usize }
pub struct FootnoteDef { pub number: u32, pub start: usize, pub end: usize, pub text_start: usize }
pub struct Footnotes { pub markers: Vec<FootnoteMarker>, pub definitions: Vec<FootnoteDef> }
pub fn footnotes(text: &str) -> Footnotes {
    let mut markers = Vec::new();
    let mut definitions = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memmem::find(&b[i..], b"[^") {
        let s = i + off;
        let mut j = s + 2;
        while j < b.len() && b[j].is_ascii_digit() { j += 1; }
        if j > s + 2 && j < b.len() && b[j] == b']' {
            let n: u32 = match text[s + 2..j].parse() { Ok(n) => n, Err(_) => { i = j; continue } };
            let at_line_start = s == 0 || b[s - 1] == b'\n';
            if at_line_start && b.get(j + 1) == Some(&b':') {
                let end = memchr::memchr(b'\n', &b[j..]).map(|k| j + k).unwrap_or(b.len());
                let mut ts = j + 2;
                while ts < end && b[ts] == b' ' { ts += 1; }
                definitions.push(FootnoteDef { number: n, start: s, end, text_start: ts });
                i = end;
                continue;
            }
            markers.push(FootnoteMarker { number: n, start: s, end: j + 1 });
            i = j + 1;
        } else {
            i = s + 2;
        }
    }
    Footnotes { markers, definitions }
}
