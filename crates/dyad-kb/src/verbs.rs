//! The verb dictionary (`CAMEO.2.0.txt`) in PETRARCH2's format.
//!
//! ```text
//! &CURRENCY                 # a synonym set, before the first verb block
//! +MONEY                    # member; a plural (MONEYS) is generated
//! +CASH_                    # trailing `_`: no plural
//!
//! ---  MEET_PEOPLE   [040]  ---                     # verb block: name and default code
//! +MEET_WITH {+MET_WITH +MEETS_WITH +MEETING_WITH}  # phrasal verb: `+` marks the verb word
//! MEET {MEETS MET MEETING}                          # explicit forms
//! CONTACT                                           # regular forms are generated
//! ASK [020]                                         # a code for this verb only
//! - * (FOR TALKS)           [036:036]  # MEET       # pattern: before `*` / after `*`, code
//! ```
//!
//! Pattern elements: words, `&SYNSET` references, `$` (source), `+` (target), `^` (skip),
//! `%` (compound actor), `(PREP ...)` prepositional phrases and `{...}` noun-phrase groups.
//! Codes are `[code]`, `[code:code]` (the second applies when the verb is nested under
//! another), `[:code]` or `[---]` (no event). Synonym sets are kept as references rather
//! than expanded the way PETRARCH2 does (which multiplies the pattern count).

use crate::KbError;
use crate::source::{content_lines, normalize_name, normalize_token};
use serde::{Deserialize, Serialize};

/// A synonym set (`&CURRENCY`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synset {
    /// Name without `&` or trailing `_` (`CURRENCY`).
    pub name: String,
    /// Line of the `&NAME` header.
    pub line: u32,
    /// Normalized member phrases, generated plurals included.
    pub members: Vec<String>,
}

/// A CAMEO event code as it appears in the verb dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PatternCode {
    /// The code of the pattern (`036`); `None` for `[---]` or `[:173]`.
    pub primary: Option<String>,
    /// After `:`: the code when the verb is governed by another verb; `None` when absent.
    pub secondary: Option<String>,
}

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatternElement {
    /// A literal word, lowercase.
    Word(String),
    /// Any member of a synonym set (name without `&`).
    Synset(String),
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
    /// `^`: skip a noun phrase.
    Skip,
    /// `%`: a compound actor (source and target together).
    Compound,
    /// `{...}`: words that form one noun phrase (head last).
    NounPhrase(Vec<PatternElement>),
    /// `(PREP ...)`: a prepositional phrase; the first element is the preposition.
    PrepPhrase(Vec<PatternElement>),
}

/// A verb pattern: what comes before and after the verb, and the code it gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    /// Elements before the verb (`*`), in text order.
    pub before: Vec<PatternElement>,
    /// Elements after the verb, in text order.
    pub after: Vec<PatternElement>,
    /// The code.
    pub code: PatternCode,
    /// Line in the dictionary.
    pub line: u32,
    /// The pattern as written, without the comment (`- * (FOR TALKS) [036:036]`).
    pub text: String,
    /// The comment (usually the verb the pattern was first written for).
    pub comment: String,
}

/// One inflected form of a verb, possibly with particles (`met with`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerbForm {
    /// The inflected verb word, lowercase (`met`).
    pub word: String,
    /// Words that come before the verb word (rare: `RE_+...`).
    pub before: Vec<String>,
    /// Particles after the verb word (`with`).
    pub after: Vec<String>,
}

impl VerbForm {
    /// The whole phrase, space-joined (`met with`).
    pub fn phrase(&self) -> String {
        let mut words: Vec<&str> = self.before.iter().map(String::as_str).collect();
        words.push(&self.word);
        words.extend(self.after.iter().map(String::as_str));
        words.join(" ")
    }
}

/// A verb of a verb block: its forms and code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerbEntry {
    /// The base form as a phrase (`meet with`).
    pub lemma: String,
    /// As written (`+MEET_WITH`).
    pub written: String,
    /// Index of the block in [`crate::KnowledgeBase::verb_blocks`].
    pub block: u32,
    /// Name of the block (`MEET_PEOPLE`).
    pub block_name: String,
    /// The code that applies: the verb's own (`ASK [020]`, or `HOLD [---]`: no default
    /// event) or else the block's; `None` when it is `[---]` (only patterns code it).
    pub code: Option<String>,
    /// True when the code is the verb's own rather than the block's.
    pub own_code: bool,
    /// Line in the dictionary.
    pub line: u32,
    /// All forms, base form first.
    pub forms: Vec<VerbForm>,
}

/// A verb block: verbs sharing a default code and a list of patterns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerbBlock {
    /// Block name (`ASSASSINATE`).
    pub name: String,
    /// Default code; `None` for `[---]`.
    pub code: Option<String>,
    /// Line of the `--- NAME [code] ---` header.
    pub line: u32,
    /// Indices into [`crate::KnowledgeBase::verbs`].
    pub verbs: Vec<u32>,
    /// Patterns, in dictionary order.
    pub patterns: Vec<Pattern>,
}

/// Everything the verb dictionary holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VerbDictionary {
    /// Synonym sets.
    pub synsets: Vec<Synset>,
    /// Verb blocks.
    pub blocks: Vec<VerbBlock>,
    /// Verbs (all blocks).
    pub verbs: Vec<VerbEntry>,
    /// `~` verb transformation rules, kept as written with their line.
    pub transformations: Vec<(u32, String)>,
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether the stem ends consonant-vowel-consonant (doubling candidates: `plan` → `planned`).
fn ends_cvc(stem: &[u8]) -> bool {
    let n = stem.len();
    n >= 3
        && !is_vowel(stem[n - 1])
        && !matches!(stem[n - 1], b'w' | b'x' | b'y')
        && is_vowel(stem[n - 2])
        && !is_vowel(stem[n - 3])
        && stem[n - 1].is_ascii_alphabetic()
}

fn syllables(stem: &[u8]) -> usize {
    let mut count = 0;
    let mut previous_vowel = false;
    for &c in stem {
        let vowel = is_vowel(c) || c == b'y';
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    count
}

/// Regular forms of a lowercase verb stem: third person, past, gerund.
///
/// PETRARCH2 generates `+S/+ES/+IES`, `+D/+ED` and `+ING` (dropping a final `e`); dyad adds
/// the spellings it misses: `-ied` (`hurried`), `-ays` (`plays`, not `plaies`), `-ying`
/// (`dying`) and doubled final consonants (`planned`, `admitted`; for words of more than
/// one syllable both spellings are kept, since stress decides).
pub fn regular_forms(stem: &str) -> Vec<String> {
    let b = stem.as_bytes();
    let n = b.len();
    let mut forms: Vec<String> = Vec::new();
    if n == 0 {
        return forms;
    }
    if !stem.is_ascii() {
        // The spelling rules below are for English letters; keep it simple elsewhere.
        return vec![
            format!("{stem}s"),
            format!("{stem}ed"),
            format!("{stem}ing"),
        ];
    }
    let last = b[n - 1];
    let before_last = if n >= 2 { b[n - 2] } else { b' ' };
    let consonant_y = last == b'y' && !is_vowel(before_last);
    let body = &stem[..n - 1];
    // third person
    if stem.ends_with('s')
        || stem.ends_with('x')
        || stem.ends_with('z')
        || stem.ends_with("ch")
        || stem.ends_with("sh")
    {
        forms.push(format!("{stem}es"));
    } else if consonant_y {
        forms.push(format!("{body}ies"));
    } else {
        forms.push(format!("{stem}s"));
    }
    let doubled = ends_cvc(b).then(|| format!("{stem}{}", last as char));
    let single_syllable = syllables(b) <= 1;
    // past
    if last == b'e' {
        forms.push(format!("{stem}d"));
    } else if consonant_y {
        forms.push(format!("{body}ied"));
    } else {
        if let Some(d) = &doubled {
            forms.push(format!("{d}ed"));
        }
        if doubled.is_none() || !single_syllable {
            forms.push(format!("{stem}ed"));
        }
    }
    // gerund
    if stem.ends_with("ie") {
        forms.push(format!("{}ying", &stem[..n - 2]));
    } else if last == b'e' && !matches!(before_last, b'e' | b'o' | b'y') {
        forms.push(format!("{body}ing"));
    } else {
        if let Some(d) = &doubled {
            forms.push(format!("{d}ing"));
        }
        if doubled.is_none() || !single_syllable {
            forms.push(format!("{stem}ing"));
        }
    }
    forms
}

/// Splits a written verb (`+MEET_WITH`, `RE_+ELECT`) into before / verb word / after.
fn split_verb(written: &str) -> (Vec<String>, String, Vec<String>) {
    let lower = normalize_token(written);
    let (front, rest) = match lower.split_once('+') {
        Some((front, rest)) => (front, rest),
        None => ("", lower.as_str()),
    };
    let before: Vec<String> = front
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut words = rest.split('_').filter(|w| !w.is_empty());
    let verb = words.next().unwrap_or("").to_string();
    let after: Vec<String> = words.map(str::to_string).collect();
    (before, verb, after)
}

fn parse_code(file: &str, line: u32, raw: &str) -> Result<PatternCode, KbError> {
    let bad = || {
        KbError::malformed(
            file,
            line,
            format!(
                "`[{raw}]` is not an event code: write `[036]`, `[036:036]`, `[:173]` or `[---]`"
            ),
        )
    };
    let one = |s: &str| -> Result<Option<String>, KbError> {
        let s = s.trim();
        if s.is_empty() || s == "---" {
            Ok(None)
        } else if (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Some(s.to_string()))
        } else {
            Err(bad())
        }
    };
    match raw.split_once(':') {
        Some((a, b)) => Ok(PatternCode {
            primary: one(a)?,
            secondary: one(b)?,
        }),
        None => {
            if raw.trim().is_empty() {
                return Err(bad());
            }
            Ok(PatternCode {
                primary: one(raw)?,
                secondary: None,
            })
        }
    }
}

/// Splits pattern text into words and bracket tokens.
fn pattern_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '{' | '}') {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

fn parse_elements(
    file: &str,
    line: u32,
    tokens: &[String],
    position: &mut usize,
    closing: Option<&str>,
    depth: usize,
) -> Result<Vec<PatternElement>, KbError> {
    let mut elements = Vec::new();
    while let Some(token) = tokens.get(*position) {
        *position += 1;
        let element = match token.as_str() {
            "(" | "{" if depth >= 8 => {
                return Err(KbError::malformed(file, line, "brackets nested too deeply"));
            }
            "(" => PatternElement::PrepPhrase(parse_elements(
                file,
                line,
                tokens,
                position,
                Some(")"),
                depth + 1,
            )?),
            "{" => PatternElement::NounPhrase(parse_elements(
                file,
                line,
                tokens,
                position,
                Some("}"),
                depth + 1,
            )?),
            ")" | "}" => {
                if closing == Some(token.as_str()) {
                    return Ok(elements);
                }
                return Err(KbError::malformed(
                    file,
                    line,
                    format!("unbalanced `{token}` in the pattern"),
                ));
            }
            "$" => PatternElement::Source,
            "+" => PatternElement::Target,
            "^" => PatternElement::Skip,
            "%" => PatternElement::Compound,
            word => match word.strip_prefix('&') {
                Some(name) if !name.is_empty() => {
                    PatternElement::Synset(name.trim_end_matches('_').to_uppercase())
                }
                _ => PatternElement::Word(normalize_token(word.trim_end_matches('_'))),
            },
        };
        elements.push(element);
    }
    match closing {
        Some(c) => Err(KbError::malformed(
            file,
            line,
            format!("missing `{c}` in the pattern"),
        )),
        None => Ok(elements),
    }
}

fn parse_pattern(file: &str, line: u32, text: &str, comment: &str) -> Result<Pattern, KbError> {
    let body = text.trim_start_matches('-').trim();
    let (Some(open), Some(close)) = (body.rfind('['), body.rfind(']')) else {
        return Err(KbError::malformed(
            file,
            line,
            "pattern has no code: end it with `[code]`",
        ));
    };
    if close < open || !body[close + 1..].trim().is_empty() {
        return Err(KbError::malformed(
            file,
            line,
            "the pattern's `[code]` must come last",
        ));
    }
    let code = parse_code(file, line, &body[open + 1..close])?;
    let pattern = &body[..open];
    let stars = pattern.matches('*').count();
    if stars != 1 {
        return Err(KbError::malformed(
            file,
            line,
            format!("a pattern needs exactly one `*` for the verb, found {stars}"),
        ));
    }
    let (before, after) = pattern.split_once('*').unwrap_or((pattern, ""));
    let parse_side = |side: &str| {
        let tokens = pattern_tokens(side);
        let mut position = 0;
        parse_elements(file, line, &tokens, &mut position, None, 0)
    };
    Ok(Pattern {
        before: parse_side(before)?,
        after: parse_side(after)?,
        code,
        line,
        text: format!(
            "- {}",
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        comment: comment.to_string(),
    })
}

/// The plural of a synonym-set member (PETRARCH2 generates one unless the member ends in
/// `_`); dyad spells it properly (`moneys`, `buses`) where PETRARCH2 writes `moneies`, `bues`.
fn synset_plural(member: &str) -> Option<String> {
    if member.ends_with('_') || member.starts_with('{') {
        return None;
    }
    let name = normalize_name(member);
    let b = name.as_bytes();
    let consonant_y = name.ends_with('y') && b.len() >= 2 && !is_vowel(b[b.len() - 2]);
    Some(if consonant_y {
        format!("{}ies", &name[..name.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        format!("{name}es")
    } else {
        format!("{name}s")
    })
}

fn pattern_comment(raw_line: &str) -> &str {
    raw_line
        .split_once('#')
        .map(|(_, c)| c.trim())
        .unwrap_or("")
}

/// Parses a verb dictionary.
pub fn parse_verbs(file: &str, text: &str) -> (VerbDictionary, Vec<KbError>) {
    let mut dict = VerbDictionary::default();
    let mut diagnostics = Vec::new();
    let raw_lines: Vec<&str> = text.lines().collect();
    let mut current_synset: Option<usize> = None;
    let mut current_block: Option<usize> = None;
    for line in content_lines(text) {
        let n = line.number;
        let raw_line = raw_lines
            .get(usize::try_from(n).unwrap_or(usize::MAX).saturating_sub(1))
            .copied()
            .unwrap_or("");
        // TABARI-era `;comment` after a verb.
        let t = line.text.split(';').next().unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("---") {
            // `---  NAME   [code]  ---`; tolerate `[code]---`.
            let inner = t.trim_matches('-').trim();
            let name = inner
                .split(|c: char| c.is_whitespace() || c == '[')
                .next()
                .unwrap_or("");
            let code = match (inner.find('['), inner.find(']')) {
                (Some(open), Some(close)) if open < close && !name.is_empty() => {
                    parse_code(file, n, &inner[open + 1..close])
                }
                _ => Err(KbError::malformed(
                    file,
                    n,
                    "verb block header must be `--- NAME [code] ---`",
                )),
            };
            match code {
                Ok(code) => {
                    dict.blocks.push(VerbBlock {
                        name: name.to_string(),
                        code: code.primary,
                        line: n,
                        verbs: Vec::new(),
                        patterns: Vec::new(),
                    });
                    current_block = Some(dict.blocks.len() - 1);
                }
                Err(e) => {
                    diagnostics.push(e);
                    current_block = None;
                }
            }
            current_synset = None;
            continue;
        }
        if let Some(rest) = t.strip_prefix('~') {
            dict.transformations.push((n, rest.trim().to_string()));
            continue;
        }
        if t.starts_with('&') && current_block.is_none() {
            let name = t[1..].trim().trim_end_matches('_').to_uppercase();
            if name.is_empty() || name.contains(char::is_whitespace) {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    "synonym set header must be `&NAME`",
                ));
                current_synset = None;
                continue;
            }
            dict.synsets.push(Synset {
                name,
                line: n,
                members: Vec::new(),
            });
            current_synset = Some(dict.synsets.len() - 1);
            continue;
        }
        if current_block.is_none() {
            // Synonym-set member.
            let Some(member) = t.strip_prefix('+') else {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    format!("`{t}` outside a synonym set or verb block"),
                ));
                continue;
            };
            let Some(set) = current_synset.and_then(|i| dict.synsets.get_mut(i)) else {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    "synonym `+WORD` before any `&NAME` header",
                ));
                continue;
            };
            let name = normalize_name(member);
            if name.is_empty() {
                diagnostics.push(KbError::malformed(file, n, "empty synonym"));
                continue;
            }
            set.members.push(name);
            if let Some(plural) = synset_plural(member.trim()) {
                set.members.push(plural);
            }
            continue;
        }
        let Some(block_index) = current_block else {
            continue;
        };
        if t.starts_with('-') {
            match parse_pattern(file, n, t, pattern_comment(raw_line)) {
                Ok(pattern) => {
                    if let Some(block) = dict.blocks.get_mut(block_index) {
                        block.patterns.push(pattern);
                    }
                }
                Err(e) => diagnostics.push(e),
            }
            continue;
        }
        match parse_verb_line(file, n, t) {
            Ok((written, own_code, forms)) => {
                let Some(block) = dict.blocks.get_mut(block_index) else {
                    continue;
                };
                let verb_index = u32::try_from(dict.verbs.len()).unwrap_or(u32::MAX);
                block.verbs.push(verb_index);
                let lemma = forms.first().map(VerbForm::phrase).unwrap_or_default();
                dict.verbs.push(VerbEntry {
                    lemma,
                    written,
                    block: u32::try_from(block_index).unwrap_or(u32::MAX),
                    block_name: block.name.clone(),
                    own_code: own_code.is_some(),
                    code: own_code.unwrap_or_else(|| block.code.clone()),
                    line: n,
                    forms,
                });
            }
            Err(e) => diagnostics.push(e),
        }
    }
    for block in &dict.blocks {
        for pattern in &block.patterns {
            check_synsets(
                file,
                &dict.synsets,
                pattern,
                &pattern.before,
                &mut diagnostics,
            );
            check_synsets(
                file,
                &dict.synsets,
                pattern,
                &pattern.after,
                &mut diagnostics,
            );
        }
    }
    (dict, diagnostics)
}

fn check_synsets(
    file: &str,
    synsets: &[Synset],
    pattern: &Pattern,
    elements: &[PatternElement],
    diagnostics: &mut Vec<KbError>,
) {
    for element in elements {
        match element {
            PatternElement::Synset(name) if !synsets.iter().any(|s| &s.name == name) => {
                diagnostics.push(KbError::malformed(
                    file,
                    pattern.line,
                    format!("synonym set &{name} is not defined (the pattern cannot match it)"),
                ));
            }
            PatternElement::NounPhrase(inner) | PatternElement::PrepPhrase(inner) => {
                check_synsets(file, synsets, pattern, inner, diagnostics)
            }
            _ => {}
        }
    }
}

/// Parses `WORD {FORMS} [code]`; returns the written verb, its own code and its forms.
/// A verb line: as written, its own code (`Some(None)` for its own `[---]`), its forms.
type VerbLine = (String, Option<Option<String>>, Vec<VerbForm>);

fn parse_verb_line(file: &str, line: u32, text: &str) -> Result<VerbLine, KbError> {
    let mut rest = text.trim();
    // `Some(None)`: the verb's own `[---]` (no default event), which overrides the block's.
    let mut own_code = None;
    if let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| c + open) else {
            return Err(KbError::malformed(file, line, "`[` without a closing `]`"));
        };
        if !rest[close + 1..].trim().is_empty() {
            return Err(KbError::malformed(
                file,
                line,
                "the verb's `[code]` must come last",
            ));
        }
        own_code = Some(parse_code(file, line, &rest[open + 1..close])?.primary);
        rest = rest[..open].trim();
    }
    let (head, explicit) = match rest.split_once('{') {
        Some((head, braces)) => {
            let Some((inner, after)) = braces.split_once('}') else {
                return Err(KbError::malformed(
                    file,
                    line,
                    "missing `}` after the verb forms",
                ));
            };
            if !after.trim().is_empty() {
                return Err(KbError::malformed(
                    file,
                    line,
                    format!("unexpected `{}` after `{{...}}`", after.trim()),
                ));
            }
            (head.trim(), Some(inner))
        }
        None => (rest, None),
    };
    let mut words = head.split_whitespace();
    let Some(written) = words.next() else {
        return Err(KbError::malformed(file, line, "verb line without a verb"));
    };
    if let Some(extra) = words.next() {
        return Err(KbError::malformed(
            file,
            line,
            format!(
                "unexpected `{extra}`: irregular forms go in `{{...}}`, phrasal verbs are written `+VERB_PARTICLE`"
            ),
        ));
    }
    if !written
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '+' | '-' | '\'' | '.'))
    {
        return Err(KbError::malformed(
            file,
            line,
            format!("`{written}` is not a verb"),
        ));
    }
    let (before, word, after) = split_verb(written);
    if word.is_empty() {
        return Err(KbError::malformed(
            file,
            line,
            format!("`{written}` has no verb word"),
        ));
    }
    let mut forms = vec![VerbForm {
        word: word.clone(),
        before: before.clone(),
        after: after.clone(),
    }];
    match explicit {
        Some(inner) => {
            for form in inner.split_whitespace() {
                let (b, w, a) = split_verb(form);
                if w.is_empty() {
                    continue;
                }
                // A bare form of a phrasal verb keeps the particles of the base.
                let (b, a) = if form.contains(['_', '+']) {
                    (b, a)
                } else {
                    (before.clone(), after.clone())
                };
                forms.push(VerbForm {
                    word: w,
                    before: b,
                    after: a,
                });
            }
        }
        None => {
            for w in regular_forms(&word) {
                forms.push(VerbForm {
                    word: w,
                    before: before.clone(),
                    after: after.clone(),
                });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    forms.retain(|f| seen.insert(f.phrase()));
    Ok((written.to_string(), own_code, forms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_verb_forms() {
        assert_eq!(
            regular_forms("assassinate"),
            ["assassinates", "assassinated", "assassinating"]
        );
        assert_eq!(regular_forms("hurry"), ["hurries", "hurried", "hurrying"]);
        assert_eq!(regular_forms("play"), ["plays", "played", "playing"]);
        assert_eq!(regular_forms("plan"), ["plans", "planned", "planning"]);
        assert_eq!(
            regular_forms("admit"),
            ["admits", "admitted", "admited", "admitting", "admiting"]
        );
        assert_eq!(regular_forms("push"), ["pushes", "pushed", "pushing"]);
        assert_eq!(regular_forms("die"), ["dies", "died", "dying"]);
        assert_eq!(regular_forms("agree"), ["agrees", "agreed", "agreeing"]);
        assert_eq!(
            regular_forms("appeal"),
            ["appeals", "appealed", "appealing"]
        );
    }

    const VERBS: &str = "\
&CURRENCY
+MONEY
+CASH_
+ASSAULT_RIFLE

####### VERB PATTERNS #######

---  MEET_PEOPLE   [040]  ---
+MEET_WITH {+MET_WITH +MEETS_WITH +MEETING_WITH }
MEET {MEETS MET MEETING}
CONTACT
ASK [020]
SCRAP {SCRAPPING SCRAPS SCRAPPED };shan   8/30/93
- * (FOR TALKS)                                       [036:036]     # MEET
- $ * + (IN ^) {&CURRENCY AID}                        [:173]        # MEET
- * RUN-OFF                                           [---]         # FACE
";

    #[test]
    fn verb_blocks_forms_and_patterns() {
        let (dict, diagnostics) = parse_verbs("v.txt", VERBS);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            dict.synsets[0].members,
            ["money", "moneys", "cash", "assault rifle", "assault rifles"]
        );
        let block = &dict.blocks[0];
        assert_eq!(block.code.as_deref(), Some("040"));
        assert_eq!(block.verbs.len(), 5);
        let meet_with = &dict.verbs[0];
        assert_eq!(meet_with.lemma, "meet with");
        assert_eq!(meet_with.forms[1].phrase(), "met with");
        let meet = &dict.verbs[1];
        assert!(
            meet.forms
                .iter()
                .any(|f| f.word == "met" && f.after.is_empty())
        );
        let contact = &dict.verbs[2];
        assert_eq!(contact.forms.len(), 4);
        assert_eq!(dict.verbs[3].code.as_deref(), Some("020"));
        assert!(dict.verbs[3].own_code);
        assert_eq!(dict.verbs[4].forms.len(), 4);
        let p = &block.patterns[0];
        assert_eq!(p.code.primary.as_deref(), Some("036"));
        assert_eq!(
            p.after,
            [PatternElement::PrepPhrase(vec![
                PatternElement::Word("for".into()),
                PatternElement::Word("talks".into())
            ])]
        );
        assert_eq!(p.comment, "MEET");
        let p = &block.patterns[1];
        assert_eq!(p.before, [PatternElement::Source]);
        assert_eq!(p.code.primary, None);
        assert_eq!(p.code.secondary.as_deref(), Some("173"));
        assert_eq!(
            p.after[2],
            PatternElement::NounPhrase(vec![
                PatternElement::Synset("CURRENCY".into()),
                PatternElement::Word("aid".into())
            ])
        );
        assert_eq!(block.patterns[2].code, PatternCode::default());
    }

    #[test]
    fn malformed_verb_lines_carry_line_numbers() {
        let text = "&X\n+A\nFOO\n---  B   [04x]  ---\n---  C   [040]  ---\nMEET {MET\n- * TALKS\n- TALKS [040]\n- * (FOR [040]\n- * &NOPE [040]\nTWO WORDS\n";
        let (_, diagnostics) = parse_verbs("v.txt", text);
        let lines: Vec<u32> = diagnostics.iter().filter_map(KbError::line).collect();
        assert_eq!(lines, [3, 4, 6, 7, 8, 9, 11, 10], "{diagnostics:?}");
    }
}
