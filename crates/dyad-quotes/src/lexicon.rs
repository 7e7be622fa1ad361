//! The word lists the quote finder reads: speech cues, outlets, role words, function words.
//!
//! The lists live in `data/` and are compiled into the binary; [`Lexicon::from_sources`]
//! parses any other version and reports `file:line` for a malformed line.

use crate::QuotesError;
use std::collections::{HashMap, HashSet};

/// How a speech cue attributes what is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// `said`: quotes, and a clause with or without `that`.
    Say,
    /// `told`: like `Say`, with an addressee first.
    Tell,
    /// `denied`: quotes, and a clause only after `that`.
    That,
    /// `jokes`, `reads`: quoted words only.
    Direct,
    /// `according to X`: X is the source.
    Source,
}

/// A news outlet or platform with its spellings.
#[derive(Debug, Clone)]
pub struct OutletName {
    /// Canonical name (`The Washington Post`).
    pub canonical: String,
    /// Spellings as word sequences (`["Washington", "Post"]`).
    pub variants: Vec<Vec<String>>,
}

/// The parsed word lists.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Cue forms (lowercase word sequences) by first word.
    cues: HashMap<String, Vec<(Vec<String>, CueClass)>>,
    /// Outlets.
    pub(crate) outlets: Vec<OutletName>,
    /// Lowercase role words.
    roles: HashSet<String>,
    /// Capitalized words that are never names.
    function_words: HashSet<String>,
    /// Words that make a name an organization or place.
    org_words: HashSet<String>,
    /// Small word classes (`media`, `outlet_lead`, ...) from `data/word_classes.tsv`.
    word_classes: HashMap<String, HashSet<String>>,
    /// Well-known short names and their full names (`VW` → `Volkswagen`).
    abbreviations: HashMap<String, String>,
}

const SPEECH_VERBS: &str = include_str!("../data/speech_verbs.txt");
const OUTLETS: &str = include_str!("../data/outlets.tsv");
const ROLES: &str = include_str!("../data/roles.txt");
const FUNCTION_WORDS: &str = include_str!("../data/function_words.txt");
const ORG_WORDS: &str = include_str!("../data/org_words.txt");
const WORD_CLASSES: &str = include_str!("../data/word_classes.tsv");

/// The word classes `data/word_classes.tsv` must define.
const WORD_CLASS_NAMES: &[&str] = &[
    "media",
    "outlet_lead",
    "outlet_for_head",
    "outlet_by_head",
    "org_description",
    "person_description",
    "not_clause_lead",
    "adjunct_lead",
    "not_speaker",
    "participle_lead",
    "object_control",
    "own_institution",
    "hedge_before_to",
    "subordinator",
    "abbreviation",
    "link_marker",
    "parenthetical",
];

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lists shipped in `data/`.
    pub fn builtin() -> Result<Lexicon, QuotesError> {
        Lexicon::from_sources(SPEECH_VERBS, OUTLETS, ROLES, FUNCTION_WORDS, ORG_WORDS)?
            .with_word_classes(WORD_CLASSES)
    }

    /// Replaces the word classes with those of `text`, in the format of
    /// `data/word_classes.tsv` (`class<TAB>word`, `abbreviation<TAB>SHORT<TAB>Full Name`).
    pub fn with_word_classes(mut self, text: &str) -> Result<Lexicon, QuotesError> {
        let data_error = |line: usize, reason: String| QuotesError::Data {
            file: "crates/dyad-quotes/data/word_classes.tsv".into(),
            line,
            reason,
        };
        let mut classes: HashMap<String, HashSet<String>> = HashMap::new();
        let mut abbreviations = HashMap::new();
        for (line, text) in content_lines(text) {
            let fields: Vec<&str> = text.split('\t').map(str::trim).collect();
            match fields.as_slice() {
                ["abbreviation", short, full] if !short.is_empty() && !full.is_empty() => {
                    abbreviations.insert((*short).to_string(), (*full).to_string());
                }
                [class, word] if WORD_CLASS_NAMES.contains(class) && !word.is_empty() => {
                    classes
                        .entry((*class).to_string())
                        .or_default()
                        .insert(word.to_lowercase());
                }
                _ => {
                    return Err(data_error(
                        line,
                        format!(
                            "expected `class<TAB>word` with a class among {} \
                             (or `abbreviation<TAB>SHORT<TAB>Full Name`)",
                            WORD_CLASS_NAMES.join(", ")
                        ),
                    ));
                }
            }
        }
        self.word_classes = classes;
        self.abbreviations = abbreviations;
        Ok(self)
    }

    /// True when `word` (any case) belongs to the word class `class` of `data/word_classes.tsv`.
    pub fn in_class(&self, class: &str, word: &str) -> bool {
        self.word_classes
            .get(class)
            .is_some_and(|words| words.contains(&word.to_lowercase()))
    }

    /// The words (or phrases) of the word class `class`, lowercase.
    pub fn class_words(&self, class: &str) -> impl Iterator<Item = &str> {
        self.word_classes
            .get(class)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// The full name of a well-known short name (`VW` → `Volkswagen`).
    pub fn expand_abbreviation(&self, short: &str) -> Option<&str> {
        self.abbreviations.get(short).map(String::as_str)
    }

    /// Parses the lists from their texts (speech verbs, outlets, roles, function words,
    /// organization words), in the formats of the files in `data/`.
    pub fn from_sources(
        speech_verbs: &str,
        outlets: &str,
        roles: &str,
        function_words: &str,
        org_words: &str,
    ) -> Result<Lexicon, QuotesError> {
        let data_error = |file: &str, line: usize, reason: String| QuotesError::Data {
            file: format!("crates/dyad-quotes/data/{file}"),
            line,
            reason,
        };
        let mut cues: HashMap<String, Vec<(Vec<String>, CueClass)>> = HashMap::new();
        for (line, text) in content_lines(speech_verbs) {
            let (form, class) = text.split_once('\t').ok_or_else(|| {
                data_error("speech_verbs.txt", line, "expected `form<TAB>class`".into())
            })?;
            let class = match class.trim() {
                "say" => CueClass::Say,
                "tell" => CueClass::Tell,
                "that" => CueClass::That,
                "direct" => CueClass::Direct,
                "source" => CueClass::Source,
                other => {
                    return Err(data_error(
                        "speech_verbs.txt",
                        line,
                        format!("unknown class `{other}` (say, tell, that, direct, source)"),
                    ));
                }
            };
            let words: Vec<String> = form.split_whitespace().map(str::to_lowercase).collect();
            let Some(first) = words.first().cloned() else {
                return Err(data_error("speech_verbs.txt", line, "empty form".into()));
            };
            cues.entry(first).or_default().push((words, class));
        }
        for forms in cues.values_mut() {
            // Longest form first, so `pointed out` wins over a bare `pointed`.
            forms.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        let mut outlet_list = Vec::new();
        for (line, text) in content_lines(outlets) {
            let (canonical, variants) = text.split_once('\t').ok_or_else(|| {
                data_error(
                    "outlets.tsv",
                    line,
                    "expected `canonical<TAB>variant|variant`".into(),
                )
            })?;
            let mut spellings: Vec<Vec<String>> = variants
                .split('|')
                .map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|v| !v.is_empty())
                .collect();
            spellings.push(canonical.split_whitespace().map(str::to_string).collect());
            for s in &mut spellings {
                if s.first().is_some_and(|w| w == "The" || w == "the") && s.len() > 1 {
                    s.remove(0);
                }
            }
            spellings.sort_by_key(|v| std::cmp::Reverse(v.len()));
            spellings.dedup();
            if canonical.trim().is_empty() {
                return Err(data_error(
                    "outlets.tsv",
                    line,
                    "empty canonical name".into(),
                ));
            }
            outlet_list.push(OutletName {
                canonical: canonical.trim().to_string(),
                variants: spellings,
            });
        }
        let roles = content_lines(roles)
            .map(|(_, l)| l.trim().to_lowercase())
            .collect();
        let function_words = content_lines(function_words)
            .map(|(_, l)| l.trim().to_string())
            .collect();
        let org_words = content_lines(org_words)
            .map(|(_, l)| l.trim().to_string())
            .collect();
        Ok(Lexicon {
            cues,
            outlets: outlet_list,
            roles,
            function_words,
            org_words,
            word_classes: HashMap::new(),
            abbreviations: HashMap::new(),
        })
    }

    /// The cue starting at `words[i]` (lowercased words): its length in words and class.
    pub fn cue_at(&self, words: &[String], i: usize) -> Option<(usize, CueClass)> {
        let first = words.get(i)?;
        let forms = self.cues.get(first.as_str())?;
        forms
            .iter()
            .find(|(form, _)| {
                form.iter()
                    .enumerate()
                    .all(|(k, w)| words.get(i + k).is_some_and(|x| x == w))
            })
            .map(|(form, class)| (form.len(), *class))
    }

    /// The outlet whose spelling starts at `words[i]` (words as written): canonical name and length.
    pub fn outlet_at(&self, words: &[&str], i: usize) -> Option<(&str, usize)> {
        let mut best: Option<(&str, usize)> = None;
        for outlet in &self.outlets {
            for variant in &outlet.variants {
                let matches = variant
                    .iter()
                    .enumerate()
                    .all(|(k, w)| words.get(i + k).is_some_and(|x| strip_possessive(x) == w));
                if matches && best.is_none_or(|(_, n)| variant.len() > n) {
                    best = Some((&outlet.canonical, variant.len()));
                }
            }
        }
        best
    }

    /// True for a title or role word (`spokesman`, `President`, `Mr`).
    pub fn is_role(&self, word: &str) -> bool {
        self.roles.contains(&word.to_lowercase())
    }

    /// True for a capitalized word that is never (part of) a name.
    pub fn is_function_word(&self, word: &str) -> bool {
        self.function_words.contains(word)
    }

    /// True for a word that makes a name an organization or place (`Police`, `Ministry`).
    pub fn is_org_word(&self, word: &str) -> bool {
        self.org_words.contains(word)
    }

    /// Canonical outlet name for a free-form name (`the BBC` → `BBC`), if known.
    pub fn canonical_outlet(&self, name: &str) -> Option<&str> {
        let words: Vec<&str> = name.split_whitespace().collect();
        let start = usize::from(words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")));
        let (canonical, len) = self.outlet_at(&words, start)?;
        (start + len == words.len()).then_some(canonical)
    }
}

/// `Massoud’s` → `Massoud`, `Owens'` → `Owens`.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "’s", "\"s", "'", "’"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_parse() {
        let lex = Lexicon::builtin().unwrap();
        let words: Vec<String> = ["pointed", "out", "that"].map(String::from).to_vec();
        assert_eq!(lex.cue_at(&words, 0), Some((2, CueClass::That)));
        let text = ["told", "the", "Washington", "Post"];
        assert_eq!(lex.outlet_at(&text, 2), Some(("The Washington Post", 2)));
        assert_eq!(lex.canonical_outlet("the BBC"), Some("BBC"));
        assert!(lex.is_role("Spokesman"));
        assert!(lex.in_class("media", "Newspaper"));
        assert!(lex.in_class("outlet_lead", "told"));
        assert_eq!(lex.expand_abbreviation("VW"), Some("Volkswagen"));
    }

    #[test]
    fn bad_word_class_line_names_file_and_line() {
        let lex = Lexicon::from_sources("", "", "", "", "").unwrap();
        let err = lex
            .with_word_classes("# c\nmedia\tradio\ncolour\tred\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("word_classes.tsv:3"), "{err}");
    }

    #[test]
    fn bad_line_names_file_and_line() {
        let err = Lexicon::from_sources("# c\nsaid\tshout\n", "", "", "", "").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("speech_verbs.txt:2"), "{msg}");
        assert!(msg.contains("unknown class"), "{msg}");
    }
}
