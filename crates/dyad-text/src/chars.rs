//! Character classes shared by the splitter and the tokenizer.

/// The character starting at byte `i` of `text`, if `i` is a character boundary inside it.
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// The character ending at byte `i` of `text`, if any.
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// Byte length of the whitespace character at `i`, 0 when there is none.
#[inline]
pub(crate) fn whitespace_len_at(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(b) if b.is_ascii() => usize::from(b.is_ascii_whitespace() || *b == 0x0b),
        Some(_) => match char_at(text, i) {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        None => 0,
    }
}

/// Byte length of the whitespace character ending at `i`, 0 when there is none.
#[inline]
pub(crate) fn whitespace_len_before(text: &str, i: usize) -> usize {
    match char_before(text, i) {
        Some(c) if c.is_whitespace() => c.len_utf8(),
        _ => 0,
    }
}

/// Characters that belong inside a word although they are not alphanumeric: combining
/// marks of common scripts and invisible format characters (soft hyphen, zero-width joiners).
/// Kept as ranges rather than a Unicode table: this is the hot path and the list is short.
#[inline]
fn is_mark_or_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD
        | 0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x05BF..=0x05C7
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06ED
        | 0x0900..=0x0963
        | 0x0966..=0x0DFF
        | 0x0E31..=0x0E3A
        | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200B..=0x200D
        | 0x2060
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0xFEFF)
}

/// Letters, digits, combining marks: what words are made of.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_mark_or_format(c)
    }
}

/// Punctuation outside ASCII that the tokenizer labels [`dyad_document::TokenKind::Punct`].
#[inline]
pub(crate) fn is_unicode_punct(c: char) -> bool {
    matches!(
        c,
        '‘' | '’'
            | '‚'
            | '‛'
            | '“'
            | '”'
            | '„'
            | '‟'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '…'
            | '•'
            | '·'
            | '¡'
            | '¿'
            | '、'
            | '。'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
            | '【'
            | '】'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '′'
            | '″'
    )
}

/// ASCII punctuation (the rest of ASCII's non-alphanumerics are symbols: `$ % & + < = > @ ^ | ~`).
#[inline]
pub(crate) fn is_ascii_punct(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'"'
            | b'\''
            | b'('
            | b')'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b':'
            | b';'
            | b'?'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'`'
            | b'*'
    )
}

/// Sentence-final punctuation.
#[inline]
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Characters that close a quote or bracket and stay with the sentence before them.
#[inline]
pub(crate) fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›')
}

/// Characters that open a quote or bracket.
#[inline]
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '`'
    )
}

/// Bullet characters that start a list item wherever they appear after whitespace.
#[inline]
pub(crate) fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '●' | '▪' | '■' | '►' | '◦' | '‣' | '⁃' | '▸' | '◆')
}

/// Whether a broken character (`"?`, `\u{FFFD}?`) starts at `i`: scraped text often shows a
/// curly quote, apostrophe or dash as `"?` (`DeVos"?highly`), so that `?` is no question mark.
#[inline]
pub(crate) fn broken_char_len_at(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(b'"') if bytes.get(i + 1) == Some(&b'?') => 2,
        Some(0xEF) if text.get(i..).is_some_and(|s| s.starts_with("\u{FFFD}?")) => 4,
        _ => 0,
    }
}

/// True when the `?` at byte `i` is the tail of a broken character (see [`broken_char_len_at`]).
#[inline]
pub(crate) fn is_broken_question_mark(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    i >= 1
        && bytes.get(i) == Some(&b'?')
        && (bytes.get(i - 1) == Some(&b'"') || char_before(text, i) == Some('\u{FFFD}'))
}
