//! Text normalization with an alignment back to the raw input: CRLF → LF, control
//! characters dropped (except `\n` and `\t`), invisible format characters dropped,
//! Unicode NFC, leading and trailing whitespace trimmed.

use dyad_document::Alignment;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Offset marker for characters whose raw position is unknown.
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// Normalizes `raw` (plain text), keeping the alignment to its byte offsets.
pub(crate) fn normalize_text(raw: &str) -> (String, Alignment) {
    normalize_chars(raw.char_indices().map(|(i, c)| (c, i as u32)), raw.len())
}

/// True for characters that are dropped: control characters other than `\n` and `\t`
/// (a `\r` is turned into `\n` before this), BOM / zero-width space, soft hyphen.
fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{feff}' | '\u{200b}' | '\u{00ad}')
}

/// A character that starts a normalization segment: NFC never combines across it.
fn is_stable(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Normalizes a sequence of `(char, raw offset)` pairs. `capacity` is a size hint.
pub(crate) fn normalize_chars(
    chars: impl Iterator<Item = (char, u32)>,
    capacity: usize,
) -> (String, Alignment) {
    let mut out = String::with_capacity(capacity);
    let mut anchors: Vec<(u32, u32)> = Vec::new();
    // The pending normalization segment: chars and their raw offsets.
    let mut segment: Vec<(char, u32)> = Vec::new();
    let mut previous_cr = false;
    let mut flush = |segment: &mut Vec<(char, u32)>, out: &mut String| {
        if segment.is_empty() {
            return;
        }
        let all_ascii = segment.iter().all(|(c, _)| c.is_ascii());
        let unchanged =
            all_ascii || is_nfc_quick(segment.iter().map(|(c, _)| *c)) == IsNormalized::Yes;
        if unchanged {
            for &(c, raw) in segment.iter() {
                push_anchor(&mut anchors, out.len(), raw);
                out.push(c);
            }
        } else {
            push_anchor(&mut anchors, out.len(), segment[0].1);
            out.extend(segment.iter().map(|(c, _)| *c).nfc());
        }
        segment.clear();
    };
    for (c, raw) in chars {
        let c = match c {
            '\r' => {
                previous_cr = true;
                '\n'
            }
            '\n' if previous_cr => {
                previous_cr = false;
                continue;
            }
            c => {
                previous_cr = false;
                c
            }
        };
        if is_dropped(c) {
            continue;
        }
        if is_stable(c) {
            flush(&mut segment, &mut out);
        }
        segment.push((c, raw));
    }
    flush(&mut segment, &mut out);
    trim(out, anchors)
}

/// Records an anchor, skipping unknown positions and ones implied by the previous anchor.
fn push_anchor(anchors: &mut Vec<(u32, u32)>, clean: usize, raw: u32) {
    if raw == UNKNOWN {
        return;
    }
    let clean = clean as u32;
    if let Some(&(c, r)) = anchors.last() {
        if raw >= r && clean - c == raw - r {
            return;
        }
        if clean == c {
            anchors.pop();
        }
    }
    anchors.push((clean, raw));
}

/// Trims leading and trailing whitespace, shifting the anchors.
fn trim(out: String, anchors: Vec<(u32, u32)>) -> (String, Alignment) {
    let start = out.len() - out.trim_start().len();
    let end = out.trim_end().len().max(start);
    let to_raw = |clean: u32| -> u32 {
        let i = anchors.partition_point(|&(c, _)| c <= clean);
        match i.checked_sub(1).and_then(|i| anchors.get(i)) {
            Some(&(c, r)) => r + (clean - c),
            None => clean,
        }
    };
    let mut alignment = Alignment::default();
    if start < end {
        let first = to_raw(start as u32) as usize;
        if first != 0 {
            alignment.push(0, first);
        }
        for &(c, r) in &anchors {
            let c = c as usize;
            if c > start && c < end {
                alignment.push(c - start, r as usize);
            }
        }
    }
    let text = if start == 0 && end == out.len() {
        out
    } else {
        out.get(start..end).unwrap_or("").to_string()
    };
    (text, alignment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_controls_and_nfc() {
        // "e" + combining acute composes to "é" (2 bytes from 3).
        let raw = "Cafe\u{301} in Kabul.\r\nTaliban\u{7} fighters.";
        let (text, alignment) = normalize_text(raw);
        assert_eq!(text, "Café in Kabul.\nTaliban fighters.");
        let kabul = text.find("Kabul").unwrap();
        assert_eq!(&raw[alignment.to_raw(kabul)..][..5], "Kabul");
        let fighters = text.find("fighters").unwrap();
        assert_eq!(&raw[alignment.to_raw(fighters)..][..8], "fighters");
    }

    #[test]
    fn identity_has_no_anchors() {
        let (text, alignment) = normalize_text("Ahmad Massoud founded the NRF.");
        assert_eq!(text, "Ahmad Massoud founded the NRF.");
        assert!(alignment.is_empty());
    }

    #[test]
    fn trimming_shifts_offsets() {
        let raw = "\n\n  Panjshir holds out.  \n";
        let (text, alignment) = normalize_text(raw);
        assert_eq!(text, "Panjshir holds out.");
        assert_eq!(alignment.to_raw(0), 4);
        assert_eq!(&raw[alignment.to_raw(9)..][..5], "holds");
    }
}
