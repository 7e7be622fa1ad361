//! Sentence boundaries.
//!
//! One pass over the bytes stops only at candidate characters (`.` `!` `?` `…`, line
//! breaks, bullets) and decides there, looking a few characters around:
//!
//! 1. **Final punctuation** (`.` `!` `?` `…`, runs of them) followed by closing quotes or
//!    brackets ends a sentence when whitespace and then something that is not lowercase
//!    follows (`aggression. And` splits, `aggression!” he said` does not), or when a
//!    capital follows a closing quote with no space (`grizzlies."?DeVos`, scraped text).
//!    A single period after an abbreviation is judged by the abbreviation's class
//!    (`data/abbreviations.txt`): titles never end a sentence (`Gen. Dostum`), `No.`/`Sept.`
//!    do not before a digit, `U.S.`/`Inc.`/initials only before a common sentence starter
//!    (`data/sentence_starters.txt`). A number opening a line (`1. Get organized`) is a
//!    list marker.
//! 2. **Line breaks**: a blank line always ends a sentence; so does a line break before a
//!    bullet. A line that ends without final punctuation (a headline, a list item) ends a
//!    sentence unless the next line starts lowercase (soft wrap) or the line ends with a
//!    continuation mark (`,`, `-`, `—`: a dateline `KABUL, Aug 24 (Reuters) -`).
//! 3. **Bullets** (`•`, `▪`, ...) start a new sentence wherever they are.
//! 4. **Glued headlines**: scraped pages glue a headline or caption to the next sentence
//!    with one space (`US send conventional forces The United States voiced ...`). A
//!    capitalised opener (`The`, `In`, `But`: `data/glued_headlines.txt`) after a lowercase
//!    word that is not a preposition, conjunction or title verb (`in The Hague`, `told The
//!    Guardian`) starts a sentence.

use crate::chars::*;
use crate::lexicon::{AbbreviationClass, LEXICON};
use dyad_document::TextRange;

/// Splits `text` into sentences: byte ranges in text order, disjoint, never empty, without
/// leading or trailing whitespace, and together covering every non-whitespace character.
///
/// Rules: final punctuation (`.` `!` `?` `…`) plus closing quotes ends a sentence before
/// whitespace and a word that is not lowercase; abbreviations are judged by their class in
/// `data/abbreviations.txt` (`Gen.` never ends one, `Sept.` not before a digit, `U.S.` and
/// initials only before a common sentence starter); datelines (`MOSCOW, February 7. /TASS/.`)
/// open the first sentence; a blank line, a bullet, or a line break after a line with no
/// final punctuation (unless the next line starts lowercase) ends a sentence; so do two
/// spaces in one-line scraped text, and glued breaks like `grizzlies."?DeVos` or `it?Yes`.
///
/// Never panics. Text longer than `u32::MAX` bytes (beyond [`TextRange`]) gives no sentences.
pub fn split_sentences(text: &str) -> Vec<TextRange> {
    let mut sentences = Vec::new();
    if u32::try_from(text.len()).is_err() {
        return sentences;
    }
    let bytes = text.as_bytes();
    let mut segment_start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (next, boundary) = match b {
            b'.' | b'!' | b'?' => at_final_punctuation(text, i, segment_start),
            b'\n' | b'\r' => at_line_break(text, i, segment_start),
            // Two spaces in a one-line text are usually a lost line break (scraped pages).
            b' ' | b'\t' if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => {
                at_line_break(text, i, segment_start)
            }
            b' ' if bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase) => {
                (i + 1, glued_headline(text, i, segment_start))
            }
            0xE2 | 0xEF => match char_at(text, i) {
                Some('…') => at_final_punctuation(text, i, segment_start),
                Some(c) if is_bullet(c) => (i + c.len_utf8(), Some(i)),
                _ => (i + 1, None),
            },
            _ => (i + 1, None),
        };
        if let Some(end) = boundary {
            push_trimmed(&mut sentences, text, segment_start, end);
            segment_start = end;
        }
        // Always advance, whatever the helpers returned.
        i = next.max(i + 1);
    }
    push_trimmed(&mut sentences, text, segment_start, text.len());
    sentences
}

fn push_trimmed(sentences: &mut Vec<TextRange>, text: &str, start: usize, end: usize) {
    let Some(segment) = text.get(start..end) else {
        return;
    };
    let trimmed_start = segment.trim_start();
    let leading = segment.len() - trimmed_start.len();
    let trimmed = trimmed_start.trim_end();
    if trimmed.is_empty() {
        return;
    }
    let s = start + leading;
    let e = s + trimmed.len();
    // A stray dash or quote after a sentence (`... in Sochi. -`) is no sentence of its own.
    let punctuation_only = trimmed.len() <= 32 && !trimmed.chars().any(char::is_alphanumeric);
    if let Some(last) = sentences.last_mut().filter(|_| punctuation_only) {
        *last = TextRange::new(last.start(), e);
        return;
    }
    sentences.push(TextRange::new(s, e));
}

fn skip_whitespace(text: &str, mut i: usize) -> usize {
    loop {
        let len = whitespace_len_at(text, i);
        if len == 0 {
            return i;
        }
        i += len;
    }
}

/// Decides at the final punctuation starting at `i`. Returns where to continue scanning
/// and the boundary, if the sentence ends.
fn at_final_punctuation(text: &str, i: usize, segment_start: usize) -> (usize, Option<usize>) {
    let bytes = text.as_bytes();
    if is_broken_question_mark(text, i) {
        return (i + 1, None);
    }
    // The run of final punctuation: `.`, `?!`, `...`, `…`.
    let mut j = i;
    let mut exclamation_or_question = false;
    // A spaced ellipsis `. . .` is one mark.
    let spaced_ellipsis = bytes.get(i..i + 5) == Some(b". . .");
    while let Some(c) = char_at(text, j) {
        if spaced_ellipsis && c == ' ' && bytes.get(j + 1) == Some(&b'.') {
            j += 1;
            continue;
        }
        if !is_terminal(c) || (c == '?' && is_broken_question_mark(text, j)) {
            break;
        }
        exclamation_or_question |= c == '!' || c == '?';
        j += c.len_utf8();
    }
    // An elision mark: `[…]`, `(...)`.
    if matches!(char_before(text, i), Some('[' | '(')) {
        return (j, None);
    }
    let single_period = j == i + 1 && bytes.get(i) == Some(&b'.');
    if single_period
        && i - segment_start <= 80
        && text.get(segment_start..i).is_some_and(looks_like_dateline)
    {
        return (j, None);
    }
    // Closing quotes and brackets stay with this sentence.
    let mut k = j;
    let mut closed_by_quote = false;
    let mut closed_by_bracket = false;
    loop {
        let broken = broken_char_len_at(text, k);
        if broken > 0 {
            k += broken;
            closed_by_quote = true;
            continue;
        }
        match char_at(text, k) {
            // A straight quote glued to a word opens the next quote.
            Some('"' | '\'') if char_at(text, k + 1).is_some_and(is_word_char) => break,
            Some(c @ (')' | ']' | '}')) => {
                k += c.len_utf8();
                closed_by_bracket = true;
            }
            // Scraped text marks lost paragraph breaks with a dash: `revealed the title.- The
            // book`, `life.-And`. Not `U.S.-led`, nor `Jan.-March`.
            Some('-') if k == j => {
                let dash_ends = whitespace_len_at(text, k + 1) > 0
                    || (char_at(text, k + 1).is_some_and(char::is_uppercase)
                        && !(single_period
                            && matches!(
                                period_word_class(text, i, segment_start),
                                PeriodWord::Abbreviation(_)
                            )));
                if !dash_ends {
                    break;
                }
                k += 1;
                closed_by_quote = true;
            }
            Some(c) if is_closer(c) => {
                k += c.len_utf8();
                closed_by_quote = true;
            }
            _ => break,
        }
    }
    let closed = closed_by_quote || closed_by_bracket;
    if k >= text.len() {
        return (k, None);
    }
    if whitespace_len_at(text, k) == 0 {
        return (
            k,
            glued_boundary(text, i, k, closed, exclamation_or_question),
        );
    }
    let n = skip_whitespace(text, k);
    // Look past opening quotes and brackets at the first character of the next word.
    let mut m = n;
    let mut opened = false;
    loop {
        let broken = broken_char_len_at(text, m);
        if broken > 0 {
            m += broken;
            opened = true;
            continue;
        }
        match char_at(text, m) {
            Some(c) if is_opener(c) => {
                m += c.len_utf8();
                opened = true;
            }
            _ => break,
        }
    }
    let Some(first) = char_at(text, m) else {
        return (k, Some(k));
    };
    if first.is_lowercase() {
        return (k, None);
    }
    if !single_period || closed_by_quote {
        return (k, Some(k));
    }
    let ends = match period_word_class(text, i, segment_start) {
        PeriodWord::ListMarker => false,
        PeriodWord::Plain => true,
        PeriodWord::Abbreviation(class) => match class {
            AbbreviationClass::Title | AbbreviationClass::Inner => false,
            AbbreviationClass::Number => !first.is_ascii_digit(),
            AbbreviationClass::Final => {
                opened || !capitalized_word_at(text, m).is_some_and(|w| LEXICON.is_continuation(w))
            }
            AbbreviationClass::Maybe => {
                if opened {
                    first.is_uppercase()
                } else {
                    capitalized_word_at(text, m).is_some_and(|w| LEXICON.is_sentence_starter(w))
                }
            }
        },
    };
    (k, ends.then_some(k))
}

/// The boundary, if any, when the next sentence seems to follow final punctuation with no
/// space, as in scraped text: `grizzlies."?DeVos`, `Trump."?"I think`, `sleep."Now`,
/// `cover it?Yes`, `he said.According`. Not `U.S.A`, `Schr?der`, `bbc.co.uk`.
fn glued_boundary(
    text: &str,
    terminal: usize,
    k: usize,
    closed: bool,
    exclamation_or_question: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let capital_at = |at: usize| char_at(text, at).is_some_and(char::is_uppercase);
    let lowercase_at = |at: usize| char_at(text, at).is_some_and(char::is_lowercase);
    let after_word = char_before(text, terminal).is_some_and(char::is_lowercase);
    if closed {
        let mut m = k;
        while let Some(c) = char_at(text, m).filter(|&c| is_opener(c)) {
            m += c.len_utf8();
        }
        return capital_at(m).then_some(k);
    }
    if exclamation_or_question {
        return (after_word && capital_at(k)).then_some(k);
    }
    if !after_word || k != terminal + 1 {
        return None;
    }
    // A quote glued on both sides closes the sentence before it.
    if bytes.get(k) == Some(&b'"') && capital_at(k + 1) {
        return Some(k + 1);
    }
    let word_before = terminal >= 2 && bytes.get(terminal - 2).is_some_and(u8::is_ascii_lowercase);
    let next_len = char_at(text, k).map_or(1, char::len_utf8);
    (word_before && capital_at(k) && lowercase_at(k + next_len)).then_some(k)
}

/// The boundary, if any, at the space `space` between a headline and the sentence glued to
/// it with no punctuation (`US send conventional forces The United States voiced ...`): a
/// capitalised opener from `data/glued_headlines.txt` (`The`, `In`, `But`) after a lowercase
/// word that is not a blocker (`in The Hague`, `told The Guardian`), with a word after it,
/// and at least two words of the segment before.
fn glued_headline(text: &str, space: usize, segment_start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let word_end = |from: usize| {
        (from..bytes.len())
            .find(|&k| !bytes[k].is_ascii_alphabetic())
            .unwrap_or(bytes.len())
    };
    let next_start = space + 1;
    let next_end = word_end(next_start);
    let next = bytes.get(next_start..next_end)?;
    // `The` written as such: a capital, then lowercase letters, then a space and a word.
    if !next[1..].iter().all(u8::is_ascii_lowercase)
        || !LEXICON.is_glue_opener(next)
        || bytes.get(next_end) != Some(&b' ')
        || !bytes.get(next_end + 1).is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let prev_start = (segment_start..space)
        .rev()
        .find(|&k| !(bytes[k].is_ascii_lowercase() || bytes[k] == b'-' || bytes[k] == b'\''))
        .map_or(segment_start, |k| k + 1);
    let prev = bytes.get(prev_start..space)?;
    if prev.len() < 3
        || prev_start == segment_start
        || bytes.get(prev_start - 1) != Some(&b' ')
        || !prev.first().is_some_and(u8::is_ascii_lowercase)
        || LEXICON.is_glue_blocker(prev)
    {
        return None;
    }
    // At least two words before: a segment of one word is no headline.
    if !bytes[segment_start..prev_start - 1]
        .iter()
        .any(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    if next == b"The" {
        let after_start = next_end + 1;
        let after = bytes.get(after_start..word_end(after_start))?;
        if LEXICON.is_the_name(after) {
            return None;
        }
    }
    Some(next_start)
}

/// What the word before a period is.
enum PeriodWord {
    /// An ordinary word or number: the period is a full stop.
    Plain,
    /// A listed abbreviation, acronym or initial.
    Abbreviation(AbbreviationClass),
    /// A short number opening the sentence (`1.`): a list item marker.
    ListMarker,
}

/// Classifies the ASCII letters, digits and periods before the period at `period`.
pub(crate) fn stem_start(text: &str, period: usize) -> usize {
    let bytes = text.as_bytes();
    let mut s = period;
    while s > 0
        && bytes
            .get(s - 1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
    {
        s -= 1;
    }
    while bytes.get(s) == Some(&b'.') && s < period {
        s += 1;
    }
    s
}

fn period_word_class(text: &str, period: usize, segment_start: usize) -> PeriodWord {
    let bytes = text.as_bytes();
    let s = stem_start(text, period);
    let stem = bytes.get(s..period).unwrap_or_default();
    if stem.is_empty() {
        return PeriodWord::Plain;
    }
    // Glued to more of a word (`AT&T.`, `Bogotá.`): not an abbreviation.
    if char_before(text, s).is_some_and(|c| is_word_char(c) || matches!(c, '&' | '_' | '@' | '’'))
    {
        return PeriodWord::Plain;
    }
    if stem.len() <= 3 && stem.iter().all(u8::is_ascii_digit) {
        return if opens_segment(text, s, segment_start) {
            PeriodWord::ListMarker
        } else {
            PeriodWord::Plain
        };
    }
    match LEXICON.classify(stem) {
        Some(class) => PeriodWord::Abbreviation(class),
        None => PeriodWord::Plain,
    }
}

/// True for a dateline that ends in a period: `MOSCOW, February 7`, `MOSCOW, February 7. /TASS/`,
/// `PEORIA, Ill`. It opens the first sentence rather than standing alone. The shape: an
/// all-capitals place name of three letters or more, a comma, then only capitalized words,
/// numbers and `/AGENCY/` marks.
fn looks_like_dateline(segment: &str) -> bool {
    let mut words = segment.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let is_caps = |w: &str| {
        w.bytes().filter(u8::is_ascii_uppercase).count() >= 3
            && w.bytes()
                .all(|b| b.is_ascii_uppercase() || matches!(b, b'-' | b'.' | b','))
    };
    if !is_caps(first) || !segment.contains(',') {
        return false;
    }
    segment.split_whitespace().all(|w| {
        let core = w.trim_end_matches([',', '.']);
        let bytes = core.as_bytes();
        is_caps(w)
            || (bytes.first().is_some_and(u8::is_ascii_uppercase)
                && bytes.iter().all(|b| b.is_ascii_alphabetic() || *b == b'.'))
            || (!bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit))
            || (bytes.len() > 2 && core.starts_with('/') && core.ends_with('/'))
    })
}

/// True when only whitespace, opening quotes and bullets stand between the segment start
/// and byte `at`.
fn opens_segment(text: &str, mut at: usize, segment_start: usize) -> bool {
    while at > segment_start {
        match char_before(text, at) {
            Some(c)
                if c.is_whitespace() || is_opener(c) || is_bullet(c) || c == '-' || c == '*' =>
            {
                at -= c.len_utf8();
            }
            _ => return false,
        }
    }
    true
}

/// The capitalized ASCII word (`The`, `ET`) that begins at `at`, if one does; not an
/// initial (`A.`) nor the start of a longer word (`Théo`).
fn capitalized_word_at(text: &str, at: usize) -> Option<&[u8]> {
    let bytes = text.as_bytes();
    let rest = bytes.get(at..)?;
    let len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = rest.get(..len)?;
    let glued = match rest.get(len) {
        Some(b'.') => len == 1,
        Some(b) if !b.is_ascii() => char_at(text, at + len).is_some_and(is_word_char),
        _ => false,
    };
    (word.first().is_some_and(u8::is_ascii_uppercase) && !glued).then_some(word)
}

/// Decides at the line break at `i`.
fn at_line_break(text: &str, i: usize, segment_start: usize) -> (usize, Option<usize>) {
    let bytes = text.as_bytes();
    // The whole run of whitespace, counting line breaks (`\r\n` counts once).
    let mut n = i;
    let mut line_breaks = 0;
    loop {
        let len = whitespace_len_at(text, n);
        if len == 0 {
            break;
        }
        match bytes.get(n) {
            Some(b'\n') => line_breaks += 1,
            Some(b'\r') if bytes.get(n + 1) != Some(&b'\n') => line_breaks += 1,
            _ => {}
        }
        n += len;
    }
    if n >= text.len() {
        return (n, None);
    }
    // The last character of the line, within this segment.
    let mut p = i;
    while p > segment_start {
        let len = whitespace_len_before(text, p);
        if len == 0 {
            break;
        }
        p -= len;
    }
    if p <= segment_start {
        return (n, None);
    }
    if line_breaks >= 2 || line_starts_with_bullet(text, n) {
        return (n, Some(i));
    }
    // After final punctuation the punctuation rule has decided already.
    let mut q = p;
    loop {
        if q >= 2 && is_broken_question_mark(text, q - 1) {
            q -= if bytes.get(q - 2) == Some(&b'"') {
                2
            } else {
                4
            };
            continue;
        }
        match char_before(text, q) {
            Some(c) if is_closer(c) && q > segment_start => q -= c.len_utf8(),
            _ => break,
        }
    }
    if char_before(text, q).is_some_and(is_terminal) {
        return (n, None);
    }
    if char_at(text, n).is_some_and(char::is_lowercase) {
        return (n, None);
    }
    let continues = char_before(text, p)
        .is_some_and(|c| matches!(c, ',' | ';' | '-' | '–' | '—' | '(' | '&' | '/' | '+'));
    (n, (!continues).then_some(i))
}

/// True when a list item marker starts at `at`: a bullet, or `-`, `*`, `1.`, `2)` before a space.
fn line_starts_with_bullet(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let Some(c) = char_at(text, at) else {
        return false;
    };
    if is_bullet(c) {
        return true;
    }
    let space_at = |j: usize| whitespace_len_at(text, j) > 0;
    if matches!(c, '-' | '*' | '–' | '—' | '+') {
        return space_at(at + c.len_utf8());
    }
    let digits = bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=3).contains(&digits)
        && matches!(bytes.get(at + digits), Some(b'.' | b')'))
        && space_at(at + digits + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r.as_range()])
            .collect()
    }

    #[test]
    fn simple_and_quotes() {
        assert_eq!(
            split("“If this fails, we fight. And we’ve proven ourselves.” He said so."),
            [
                "“If this fails, we fight.",
                "And we’ve proven ourselves.”",
                "He said so."
            ]
        );
        assert_eq!(
            split("“Are you ready?” he asked. “Yes!” she said."),
            ["“Are you ready?” he asked.", "“Yes!” she said."]
        );
    }

    #[test]
    fn abbreviations() {
        assert_eq!(
            split("Gen. Abdul Rashid Dostum met Lt. Col. Smith on Sept. 11 at 10 a.m. Monday."),
            ["Gen. Abdul Rashid Dostum met Lt. Col. Smith on Sept. 11 at 10 a.m. Monday."]
        );
        assert_eq!(
            split(
                "It ends at 6 p.m. Severe storms are expected at 3 p.m. ET and 7 a.m. Pacific time."
            ),
            [
                "It ends at 6 p.m.",
                "Severe storms are expected at 3 p.m. ET and 7 a.m. Pacific time."
            ]
        );
        assert_eq!(
            split("Talks included the U.S. The Taliban agreed. The U.S. Army left."),
            [
                "Talks included the U.S.",
                "The Taliban agreed.",
                "The U.S. Army left."
            ]
        );
        assert_eq!(
            split("He wrote about J. R. R. Tolkien and George W. Bush. It was long."),
            [
                "He wrote about J. R. R. Tolkien and George W. Bush.",
                "It was long."
            ]
        );
        assert_eq!(
            split("Bring pens, paper, etc. The rest is given."),
            ["Bring pens, paper, etc.", "The rest is given."]
        );
        assert_eq!(
            split("He fell ill. Doctors came. It cost $1.5bn, i.e. 5% of 1,000 units."),
            [
                "He fell ill.",
                "Doctors came.",
                "It cost $1.5bn, i.e. 5% of 1,000 units."
            ]
        );
    }

    #[test]
    fn scraped_broken_quotes() {
        assert_eq!(
            split(
                "They voted on DeVos\"?highly contentious nomination. \"A worse choice,\"?Sen. Warren said against \"potential grizzlies.\"?DeVos' nomination drew fire."
            ),
            [
                "They voted on DeVos\"?highly contentious nomination.",
                "\"A worse choice,\"?Sen. Warren said against \"potential grizzlies.\"?",
                "DeVos' nomination drew fire."
            ]
        );
    }

    #[test]
    fn lines_headlines_bullets() {
        assert_eq!(
            split(
                "Taliban close in on Panjshir\nKABUL, Aug 24 (Reuters) -\nThe Taliban massed fighters.\n- first item\n- second item\nThe group\nsaid more."
            ),
            [
                "Taliban close in on Panjshir",
                "KABUL, Aug 24 (Reuters) -\nThe Taliban massed fighters.",
                "- first item",
                "- second item",
                "The group\nsaid more."
            ]
        );
        assert_eq!(split("Intro: • one • two"), ["Intro:", "• one", "• two"]);
        assert_eq!(
            split("1. Get organized. 2. Plan."),
            ["1. Get organized.", "2. Plan."]
        );
    }

    #[test]
    fn scraped_glued_sentences() {
        assert_eq!(
            split(
                "We checked.- The book sold. It was life.-And more. He said.According to him, yes. I slept.\"Now I wake. Did we cover it?Yes. Trump.\"?\"I think so. The U.S.-led force left."
            ),
            [
                "We checked.-",
                "The book sold.",
                "It was life.-",
                "And more.",
                "He said.",
                "According to him, yes.",
                "I slept.\"",
                "Now I wake.",
                "Did we cover it?",
                "Yes.",
                "Trump.\"?",
                "\"I think so.",
                "The U.S.-led force left."
            ]
        );
        assert_eq!(
            split(
                "By Yang Yi / For China Daily  Smog prompts flight cancellations  He suggested more,  Then left."
            ),
            [
                "By Yang Yi / For China Daily",
                "Smog prompts flight cancellations",
                "He suggested more,  Then left."
            ]
        );
    }

    #[test]
    fn glued_headlines() {
        assert_eq!(
            split(
                "US send conventional forces The United States voiced its support. Few reasons given The students are holding a concert."
            ),
            [
                "US send conventional forces",
                "The United States voiced its support.",
                "Few reasons given",
                "The students are holding a concert."
            ]
        );
        // Titles after prepositions and speech verbs, names opened by `The`, a capital after
        // a capital, and one-word segments stay whole.
        for whole in [
            "The court in The Hague ruled on Monday.",
            "He told The Guardian on Monday that it was over.",
            "The minister visited The Hague on Monday.",
            "It happened when The Post asked him.",
            "Earlier Reuters The agency said so.",
            "Yes The end.",
            "Many people The",
        ] {
            assert_eq!(split(whole), [whole], "{whole}");
        }
    }

    #[test]
    fn datelines() {
        assert_eq!(
            split("MOSCOW, February 7. /TASS/. Investigators have seized watches. They said so."),
            [
                "MOSCOW, February 7. /TASS/. Investigators have seized watches.",
                "They said so."
            ]
        );
        assert_eq!(
            split("PEORIA, Ill. \"?Nikita Richards ran. NEW YORK, Feb 26 - OPEC may meet."),
            [
                "PEORIA, Ill. \"?Nikita Richards ran.",
                "NEW YORK, Feb 26 - OPEC may meet."
            ]
        );
        assert_eq!(
            split("WASHINGTON (AP) — The Senate voted."),
            ["WASHINGTON (AP) — The Senate voted."]
        );
    }

    #[test]
    fn ellipses_and_brackets() {
        assert_eq!(
            split("It will destroy civilization . . . and the values. Next . . . The end."),
            [
                "It will destroy civilization . . . and the values.",
                "Next . . .",
                "The end."
            ]
        );
        assert_eq!(
            split("ISIL will remain there […] It said."),
            ["ISIL will remain there […] It said."]
        );
        assert_eq!(
            split("[Then-South Carolina Gov.] [Mark Sanford] spoke. Ana P. Santos reports."),
            [
                "[Then-South Carolina Gov.] [Mark Sanford] spoke.",
                "Ana P. Santos reports."
            ]
        );
    }

    #[test]
    fn degenerate_inputs() {
        assert!(split("").is_empty());
        assert!(split(" \n\t ").is_empty());
        assert_eq!(split("..."), ["..."]);
        assert_eq!(split("?!? ... !"), ["?!? ... !"]);
        assert_eq!(split("He left. -"), ["He left. -"]);
    }
}
