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
}

const SPEECH_VERBS: &str = include_str!("../data/speech_verbs.txt");
const OUTLETS: &str = include_str!("../data/outlets.tsv");
const ROLES: &str = include_str!("../data/roles.txt");
const FUNCTION_WORDS: &str = include_str!("../data/function_words.txt");
const ORG_WORDS: &str = include_str!("../data/org_words.txt");

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lists shipped in `data/`.
    pub fn builtin() -> Result<Lexicon, QuotesError> {
        Lexicon::from_sources(SPEECH_VERBS, OUTLETS, ROLES, FUNCTION_WORDS, ORG_WORDS)
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
    }

    #[test]
    fn bad_line_names_file_and_line() {
        let err = Lexicon::from_sources("# c\nsaid\tshout\n", "", "", "", "").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("speech_verbs.txt:2"), "{msg}");
        assert!(msg.contains("unknown class"), "{msg}");
    }
}
