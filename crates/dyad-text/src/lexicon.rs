//! The word lists the splitter and tokenizer consult, parsed once from `data/`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const ABBREVIATIONS: &str = include_str!("../data/abbreviations.txt");
const SENTENCE_STARTERS: &str = include_str!("../data/sentence_starters.txt");
const UNIT_SUFFIXES: &str = include_str!("../data/unit_suffixes.txt");
const CONTINUATIONS: &str = include_str!("../data/continuations.txt");
const GLUED_HEADLINES: &str = include_str!("../data/glued_headlines.txt");
const LOST_SPACES: &str = include_str!("../data/lost_spaces.txt");

/// How an abbreviation behaves before a possible sentence end (see `data/abbreviations.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbreviationClass {
    /// Never ends a sentence (`Gen.`, `Mr.`).
    Title,
    /// Never ends a sentence (`e.g.`, `vs.`).
    Inner,
    /// Does not end a sentence before a digit (`No. 5`, `Sept. 11`).
    Number,
    /// Ends a sentence only before a common sentence starter (`U.S.`, `Inc.`).
    Maybe,
    /// Ends a sentence before anything that is not lowercase or a listed continuation
    /// (`etc.`, `p.m.` but `p.m. Monday`).
    Final,
}

/// Longest abbreviation key we look up, in bytes (keys longer than this are never listed).
const MAX_KEY: usize = 15;

pub(crate) struct Lexicon {
    /// Lowercased abbreviation without its final period -> (class, needs a capital).
    abbreviations: HashMap<Box<str>, (AbbreviationClass, bool)>,
    starters: HashSet<Box<str>>,
    continuations: HashSet<Box<str>>,
    units: HashSet<Box<str>>,
    /// `glued_headlines.txt`: capitalised words that open a glued sentence, lowercase words
    /// they never follow as such, and names that `The` opens.
    openers: HashSet<Box<str>>,
    blockers: HashSet<Box<str>>,
    the_names: HashSet<Box<str>>,
    /// `lost_spaces.txt`: when a hyphen inside a word stands for a lost space.
    hyphen_first: HashSet<Box<str>>,
    hyphen_last: HashSet<Box<str>>,
    hyphen_prefixes: HashSet<Box<str>>,
    hyphen_keep: HashSet<Box<str>>,
    /// Lines of the data files that could not be read, as `file:line: text` (tested empty).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) problems: Vec<String>,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

/// Adds a word-list entry to `set`, or records why it cannot be one (not a lowercase ASCII
/// word of at most `MAX_KEY` bytes) as `file:line`.
fn insert_word(
    set: &mut HashSet<Box<str>>,
    entry: &str,
    file: &str,
    line: usize,
    problems: &mut Vec<String>,
) {
    let inner_hyphens =
        entry.starts_with(char::is_alphabetic) && entry.ends_with(char::is_alphabetic);
    if entry
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' && inner_hyphens)
        && entry.len() <= MAX_KEY
    {
        set.insert(entry.into());
    } else {
        problems.push(format!(
            "{file}:{line}: `{entry}` is not a lowercase ASCII word"
        ));
    }
}

/// Non-comment, non-blank lines with their 1-based line numbers.
fn entries(data: &str) -> impl Iterator<Item = (usize, &str)> {
    data.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
        .filter(|(_, l)| !l.is_empty())
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut problems = Vec::new();
        let mut abbreviations = HashMap::new();
        let mut class = None;
        for (line, entry) in entries(ABBREVIATIONS) {
            if let Some(section) = entry.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                class = match section {
                    "title" => Some(AbbreviationClass::Title),
                    "inner" => Some(AbbreviationClass::Inner),
                    "number" => Some(AbbreviationClass::Number),
                    "maybe" => Some(AbbreviationClass::Maybe),
                    "final" => Some(AbbreviationClass::Final),
                    _ => {
                        problems.push(format!("abbreviations.txt:{line}: unknown section {entry}"));
                        None
                    }
                };
                continue;
            }
            let stem = entry.strip_suffix('.').unwrap_or("");
            let well_formed = !stem.is_empty()
                && stem.len() <= MAX_KEY
                && stem.bytes().all(|b| b.is_ascii_alphabetic() || b == b'.');
            match class {
                Some(class) if well_formed => {
                    let capital = stem.as_bytes()[0].is_ascii_uppercase();
                    let key = stem.to_ascii_lowercase().into_boxed_str();
                    if abbreviations.insert(key, (class, capital)).is_some() {
                        problems.push(format!("abbreviations.txt:{line}: duplicate {entry}"));
                    }
                }
                Some(_) => problems.push(format!(
                    "abbreviations.txt:{line}: `{entry}` is not ASCII letters and periods ending in a period"
                )),
                None => problems.push(format!(
                    "abbreviations.txt:{line}: `{entry}` is outside a known [section]"
                )),
            }
        }
        let word_set = |data: &str, file: &str, problems: &mut Vec<String>| {
            let mut set = HashSet::new();
            for (line, entry) in entries(data) {
                insert_word(&mut set, entry, file, line, problems);
            }
            set
        };
        let starters = word_set(SENTENCE_STARTERS, "sentence_starters.txt", &mut problems);
        let units = word_set(UNIT_SUFFIXES, "unit_suffixes.txt", &mut problems);
        let continuations = word_set(CONTINUATIONS, "continuations.txt", &mut problems);
        let [openers, blockers, the_names] = sectioned_sets(
            GLUED_HEADLINES,
            "glued_headlines.txt",
            ["opener", "blocker", "name"],
            &mut problems,
        );
        let [hyphen_first, hyphen_last, hyphen_prefixes, hyphen_keep] = sectioned_sets(
            LOST_SPACES,
            "lost_spaces.txt",
            ["first", "last", "prefix", "keep"],
            &mut problems,
        );
        Lexicon {
            abbreviations,
            starters,
            continuations,
            units,
            openers,
            blockers,
            the_names,
            hyphen_first,
            hyphen_last,
            hyphen_prefixes,
            hyphen_keep,
            problems,
        }
    }

    /// The class of `stem` + `.`, where `stem` is the ASCII letters and inner periods before
    /// the final period (`U.S`, `Gen`). Listed words first, then the shapes of acronyms
    /// (`N.A.T.O`) and capital initials (`W`), which behave like [`AbbreviationClass::Maybe`].
    pub(crate) fn classify(&self, stem: &[u8]) -> Option<AbbreviationClass> {
        let first = *stem.first()?;
        if !first.is_ascii_alphabetic() {
            return None;
        }
        // A capital initial (`James P. O'Neill`), even where a lowercase entry matches (`p.`).
        if stem.len() == 1 && first.is_ascii_uppercase() {
            return Some(AbbreviationClass::Maybe);
        }
        if stem.len() <= MAX_KEY {
            let mut buffer = [0u8; MAX_KEY];
            let key = &mut buffer[..stem.len()];
            key.copy_from_slice(stem);
            key.make_ascii_lowercase();
            let listed = std::str::from_utf8(key)
                .ok()
                .and_then(|k| self.abbreviations.get(k))
                .filter(|&&(_, capital)| !capital || first.is_ascii_uppercase());
            if let Some(&(class, _)) = listed {
                return Some(class);
            }
        }
        if is_acronym(stem) {
            return Some(AbbreviationClass::Maybe);
        }
        None
    }

    /// True when `word` (ASCII, any case) is a listed sentence starter.
    pub(crate) fn is_sentence_starter(&self, word: &[u8]) -> bool {
        lowercase_lookup(word, |k| self.starters.contains(k))
    }

    /// True when `word` (ASCII, any case) may open a sentence glued to a headline (`The`).
    pub(crate) fn is_glue_opener(&self, word: &[u8]) -> bool {
        lowercase_lookup(word, |k| self.openers.contains(k))
    }

    /// True when a capitalised opener after `word` (ASCII, any case) does not start a
    /// sentence (`in The Hague`, `told The Guardian`).
    pub(crate) fn is_glue_blocker(&self, word: &[u8]) -> bool {
        lowercase_lookup(word, |k| self.blockers.contains(k))
    }

    /// True when `The` + `word` is a name (`The Hague`).
    pub(crate) fn is_the_name(&self, word: &[u8]) -> bool {
        lowercase_lookup(word, |k| self.the_names.contains(k))
    }

    /// True when the hyphen that ends `left` and starts `right` (the parts of a hyphenated
    /// word around it) stands for a lost space (`data/lost_spaces.txt`). `left_first` and
    /// `right_last` say whether the parts are the first and last of the word; `whole` is the
    /// whole word.
    pub(crate) fn is_lost_space(
        &self,
        whole: &str,
        left: &str,
        right: &str,
        left_first: bool,
        right_last: bool,
    ) -> bool {
        let (Some(l0), Some(r0)) = (left.chars().next(), right.chars().next()) else {
            return false;
        };
        let lookup =
            |set: &HashSet<Box<str>>, w: &str| lowercase_lookup(w.as_bytes(), |k| set.contains(k));
        if lowercase_lookup(whole.as_bytes(), |k| self.hyphen_keep.contains(k)) {
            return false;
        }
        let prefix_before_capital = r0.is_uppercase() && lookup(&self.hyphen_prefixes, left);
        if left_first && lookup(&self.hyphen_first, left) && left != "A" && !prefix_before_capital {
            return true;
        }
        if right_last
            && left.chars().nth(1).is_some()
            && lookup(&self.hyphen_last, right)
            && !(l0.is_uppercase() && right == "in")
        {
            return true;
        }
        l0.is_lowercase()
            && r0.is_uppercase()
            && left.len() > 1
            && left.bytes().all(|b| b.is_ascii_lowercase())
            && !prefix_before_capital
    }

    /// True when `word` (ASCII, any case) continues a sentence after `p.m.` (`Monday`, `ET`).
    pub(crate) fn is_continuation(&self, word: &[u8]) -> bool {
        lowercase_lookup(word, |k| self.continuations.contains(k))
    }

    /// True when `suffix` (ASCII letters) is a unit split off numbers (`bn`, `pm`).
    pub(crate) fn is_unit(&self, suffix: &[u8]) -> bool {
        lowercase_lookup(suffix, |k| self.units.contains(k))
    }
}

/// One set per `[section]` of a word-list file, in the order of `names`; entries outside a
/// known section are recorded in `problems` as `file:line`.
fn sectioned_sets<const N: usize>(
    data: &str,
    file: &str,
    names: [&str; N],
    problems: &mut Vec<String>,
) -> [HashSet<Box<str>>; N] {
    let mut sets: [HashSet<Box<str>>; N] = std::array::from_fn(|_| HashSet::new());
    let mut section = None;
    for (line, entry) in entries(data) {
        if let Some(name) = entry.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = names.iter().position(|&n| n == name);
            if section.is_none() {
                problems.push(format!("{file}:{line}: unknown section {entry}"));
            }
            continue;
        }
        match section.and_then(|i| sets.get_mut(i)) {
            Some(set) => insert_word(set, entry, file, line, problems),
            None => problems.push(format!(
                "{file}:{line}: `{entry}` is outside a known [section]"
            )),
        }
    }
    sets
}

fn lowercase_lookup(word: &[u8], found: impl Fn(&str) -> bool) -> bool {
    if word.is_empty() || word.len() > MAX_KEY {
        return false;
    }
    let mut buffer = [0u8; MAX_KEY];
    let key = &mut buffer[..word.len()];
    key.copy_from_slice(word);
    key.make_ascii_lowercase();
    std::str::from_utf8(key).map(found).unwrap_or(false)
}

/// Single letters separated by periods, at least two of them: `U.S`, `a.m`, `J.R.R`.
fn is_acronym(stem: &[u8]) -> bool {
    stem.len() >= 3
        && stem.iter().enumerate().all(|(i, &b)| {
            if i % 2 == 0 {
                b.is_ascii_alphabetic()
            } else {
                b == b'.'
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse_cleanly() {
        assert!(LEXICON.problems.is_empty(), "{:#?}", LEXICON.problems);
        assert!(LEXICON.abbreviations.len() > 100);
    }

    #[test]
    fn classes() {
        use AbbreviationClass::*;
        let c = |s: &str| LEXICON.classify(s.as_bytes());
        assert_eq!(c("Gen"), Some(Title));
        assert_eq!(c("GEN"), Some(Title));
        assert_eq!(c("Sept"), Some(Number));
        assert_eq!(c("U.S"), Some(Maybe));
        assert_eq!(c("N.A.T.O"), Some(Maybe));
        assert_eq!(c("W"), Some(Maybe));
        assert_eq!(c("e.g"), Some(Inner));
        assert_eq!(c("etc"), Some(Final));
        assert_eq!(c("p.m"), Some(Final));
        assert!(LEXICON.is_continuation(b"Pacific"));
        assert_eq!(c("Ill"), Some(Maybe));
        assert_eq!(c("ill"), None);
        assert_eq!(c("valley"), None);
        assert_eq!(c("1"), None);
        assert!(LEXICON.is_sentence_starter(b"The"));
        assert!(!LEXICON.is_sentence_starter(b"Army"));
        assert!(LEXICON.is_unit(b"bn"));
    }
}
