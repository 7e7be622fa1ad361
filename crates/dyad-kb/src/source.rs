//! Reading dictionary text the way PETRARCH2's `read_FIN_line` does: comments and blank
//! lines are skipped, line numbers are kept for error messages.

use crate::KbError;
use std::io::Read;

/// One content line: 1-based number and the text with comments removed, trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentLine<'a> {
    /// 1-based line number in the file.
    pub number: u32,
    /// The content, comments removed, surrounding whitespace trimmed, never empty.
    pub text: &'a str,
}

/// The content lines of a dictionary: lines starting with `#` or `<!`, blank lines,
/// `<!-- ... -->` comments (also across lines) and everything after a `#` are dropped.
pub fn content_lines(text: &str) -> Vec<ContentLine<'_>> {
    let mut lines = Vec::new();
    let mut in_comment = false;
    for (index, raw) in text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut line = raw;
        if in_comment {
            match line.find("-->") {
                Some(end) => {
                    in_comment = false;
                    line = &line[end + 3..];
                }
                None => continue,
            }
        }
        if let Some(start) = line.find("<!--") {
            match line[start..].find("-->") {
                // A one-line comment: keep what is outside it (rarely anything).
                Some(_) => {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with("<!") {
                        continue;
                    }
                    line = &line[..start];
                }
                None => {
                    in_comment = true;
                    line = &line[..start];
                }
            }
        }
        if line.trim_start().starts_with("<!") {
            continue;
        }
        if let Some(hash) = line.find('#') {
            line = &line[..hash];
        }
        let line = line.trim();
        if !line.is_empty() {
            lines.push(ContentLine { number, text: line });
        }
    }
    lines
}

/// Decodes dictionary bytes: gunzips when `name` ends in `.gz`, then checks UTF-8.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, KbError> {
    let raw = if name.ends_with(".gz") {
        let mut out = Vec::with_capacity(bytes.len() * 4);
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| KbError::Decompress {
                file: name.to_string(),
                reason: e.to_string(),
            })?;
        out
    } else {
        bytes.to_vec()
    };
    String::from_utf8(raw).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        KbError::malformed(
            name,
            u32::try_from(line).unwrap_or(u32::MAX),
            "not valid UTF-8: save the dictionary as UTF-8",
        )
    })
}

/// Dictionary names as token sequences: `AL-QAEDA_IN_IRAQ_` → `al-qaeda in iraq`.
///
/// Underscores and spaces separate tokens; a trailing `_` (TABARI's "whole word, not a
/// stem" marker) is dropped because dyad, like PETRARCH2, always matches whole tokens.
/// Letters are lowercased and typographic apostrophes folded to `'`.
pub fn normalize_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for token in raw.split(['_', ' ', '\t']).filter(|t| !t.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        push_normalized_token(&mut out, token);
    }
    out
}

/// Text tokens whose capitals decide what they are: `US` is the country, `us` the pronoun;
/// `IS` the Islamic State, `is` the verb. Names are matched on lowercase tokens, so such a
/// token is read as an unambiguous spelling of the name.
const CASED_NAMES: &[(&str, &str)] = &[("US", "u.s."), ("IS", "isis")];

/// The unambiguous spelling of a token whose capitals make it a name (`US` → `u.s.`).
pub fn cased_name(token: &str) -> Option<&'static str> {
    CASED_NAMES
        .iter()
        .find(|(written, _)| *written == token)
        .map(|(_, name)| *name)
}

/// Normalizes one text token the same way dictionary names are normalized; a token whose
/// capitals make it a name becomes that name's unambiguous spelling ([`cased_name`]).
pub fn normalize_token(token: &str) -> String {
    if let Some(name) = cased_name(token) {
        return name.to_string();
    }
    let mut out = String::with_capacity(token.len());
    push_normalized_token(&mut out, token);
    out
}

fn push_normalized_token(out: &mut String, token: &str) {
    // Most tokens are ASCII: lowercase them bytewise (the same result, without the
    // per-character Unicode case mapping).
    if token.is_ascii() {
        out.extend(token.bytes().map(|b| match b {
            b'`' => '\'',
            b => char::from(b.to_ascii_lowercase()),
        }));
        return;
    }
    for c in token.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => out.push('\''),
            '\u{2010}' | '\u{2011}' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_skipped_with_line_numbers_kept() {
        let text = "# header\n\nFOO_ [AFG] # note\n<!-- one -->\n<!-- multi\nline -->\n  BAR  \n";
        let lines = content_lines(text);
        assert_eq!(
            lines,
            vec![
                ContentLine {
                    number: 3,
                    text: "FOO_ [AFG]"
                },
                ContentLine {
                    number: 7,
                    text: "BAR"
                },
            ]
        );
    }

    #[test]
    fn ascii_tokens_normalize_as_the_unicode_path_does() {
        for b in 0u8..128 {
            let c = char::from(b);
            let token = format!("a{c}B");
            // The non-ASCII path, forced by a trailing non-ASCII letter.
            let mut slow = normalize_token(&format!("{token}\u{e9}"));
            slow.pop();
            assert_eq!(normalize_token(&token), slow, "byte {b}");
        }
    }

    #[test]
    fn names_become_lowercase_token_sequences() {
        assert_eq!(normalize_name("AL-QAEDA_IN_IRAQ_"), "al-qaeda in iraq");
        assert_eq!(normalize_name("U.S._"), "u.s.");
        assert_eq!(normalize_name("ABU_ANAS AL-SHAMI_"), "abu anas al-shami");
        assert_eq!(normalize_token("Qa\u{2019}ida"), "qa'ida");
        assert_eq!(normalize_token("US"), "u.s.");
        assert_eq!(normalize_token("us"), "us");
        assert_eq!(normalize_token("Us"), "us");
        assert_eq!(normalize_token("IS"), "isis");
    }
}
