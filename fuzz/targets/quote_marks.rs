//! Quote detection and attribution of arbitrary text (read as mostly quote
//! marks, reporting words and punctuation): no panic, every quote character
//! accounted for exactly once, consistently with the quotations and warnings,
//! and every attribution made of the text's own words, outside its quotation.

use claimledger::text::{attribution, quotes};

/// Pieces the input bytes pick from: quote marks of every kind, the words and
/// punctuation the attribution patterns read, spaces and paragraph breaks.
const PIECES: &[&str] = &[
    "“",
    "”",
    "\"",
    "'",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "‹",
    "›",
    " ",
    " ",
    "\n",
    "\n\n",
    ",",
    ".",
    ":",
    ";",
    "—",
    "(",
    ")",
    "said",
    "says",
    "wrote",
    "told",
    "telling",
    "according to",
    "that",
    "the report",
    "Barr",
    "Sen.",
    "He",
    "it",
    "a",
    "12",
    "’s",
    "n’",
    "’90s",
];

/// Runs the target on one input; panics on a broken invariant.
pub fn run(data: &[u8]) {
    // Half the inputs as text, half as a sequence of pieces.
    let text: String = match data.split_first() {
        Some((0..=127, rest)) => String::from_utf8_lossy(rest).into_owned(),
        Some((_, rest)) => rest.iter().map(|&b| PIECES[b as usize % PIECES.len()]).collect(),
        None => String::new(),
    };
    let text = text.as_str();
    let a = quotes::analyze(text).expect("under the size cap");
    let q = &a.quotations;
    for (k, x) in q.iter().enumerate() {
        for off in [x.start, x.end, x.open, x.close] {
            assert!(text.is_char_boundary(off), "{x:?}");
        }
        assert!(x.open <= x.start && x.start < x.end && x.end == x.close && x.close <= text.len(), "{x:?}");
        assert!(x.depth as usize <= quotes::MAX_DEPTH, "{x:?}");
        if let Some(p) = x.parent {
            assert!(p < k && q[p].start <= x.open && x.end <= q[p].end, "{x:?} in {:?}", q[p]);
        }
    }
    // Every quote character is a mark, once, in order, with a role that agrees
    // with the quotations and warnings.
    let chars: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| quotes::is_quote_char(*c)).collect();
    let marks: Vec<(usize, char)> = a.marks.iter().map(|m| (m.at, m.ch)).collect();
    assert_eq!(chars, marks, "every mark accounted for");
    let mut opened = vec![0u32; q.len()];
    let mut closed = vec![0u32; q.len()];
    let mut warned = vec![0u32; a.warnings.len()];
    for m in &a.marks {
        match m.role {
            quotes::Role::Opens(k) => {
                assert_eq!(q[k].open, m.at);
                opened[k] += 1;
            }
            quotes::Role::Closes(k) => {
                assert_eq!(q[k].close, m.at);
                closed[k] += 1;
            }
            quotes::Role::Continues(k) => assert!(q[k].start < m.at && m.at < q[k].end, "{m:?}"),
            quotes::Role::Unbalanced(w) => {
                assert_eq!(a.warnings[w].mark, m.at);
                warned[w] += 1;
            }
            _ => {}
        }
    }
    assert!(warned.iter().all(|&n| n == 1), "each warning is one mark");
    for (k, x) in q.iter().enumerate() {
        match x.unbalanced {
            None => assert!(opened[k] == 1 && closed[k] == 1, "{x:?}"),
            Some(_) => assert!(opened[k] == 0 && closed[k] == 0, "{x:?}"),
        }
    }
    // Attribution.
    let who = attribution::attributions(text, &a);
    assert_eq!(who.len(), q.len());
    for (x, at) in q.iter().zip(&who) {
        let Some(at) = at else { continue };
        for r in [&at.speaker_range, &at.cue_range] {
            assert!(r.start < r.end && r.end <= text.len(), "{at:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{at:?}");
        }
        assert!(at.cue_range.start <= at.speaker_range.start && at.speaker_range.end <= at.cue_range.end);
        assert_eq!(&text[at.cue_range.clone()], at.cue);
        assert_eq!(&text[at.speaker_range.clone()], at.speaker);
        assert!(at.cue_range.end <= x.start || at.cue_range.start >= x.end, "{at:?} in {x:?}");
    }
}
