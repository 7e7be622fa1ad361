//! The crate's data files, parsed once: cue words, nominal triggers and the verb supplement.

use crate::EventsError;
use dyad_kb::{Pattern, PatternElement, VerbBlock, VerbDictionary};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A fast hasher for the coder's short string keys (cue words, kinds, trigger words), looked
/// up many times per token: the Fx hash (rustc's), not DoS-resistant, which fixed embedded
/// data does not need.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `HashMap` / `HashSet` state with [`FxHasher`].
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
/// A map keyed by short strings.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, FxBuild>;
type FxHashSet<T> = HashSet<T, FxBuild>;

const CUES: &str = include_str!("../data/cues.tsv");
const TRIGGERS: &str = include_str!("../data/nominal_triggers.tsv");
const SUPPLEMENT: &str = include_str!("../data/verbs.supplement.txt");
const COMPOSITION: &str = include_str!("../data/composition.tsv");

/// One element of a nominal trigger phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TriggerPart {
    /// A word, matched on a token's form or lemma.
    Word(String),
    /// The source actor.
    Source,
    /// The target actor.
    Target,
}

/// A nominal trigger (`assassination of {T} by {S}` → 186).
#[derive(Debug, Clone)]
pub(crate) struct NominalTrigger {
    pub parts: Vec<TriggerPart>,
    pub code: String,
    /// Written `{S} phrase`: the source is the actor right before the phrase (`the
    /// coalition's air raids`), never the subject of the governing verb.
    pub source_before: bool,
    pub line: usize,
    pub text: String,
}

/// Cue words by kind, triggers and the verb supplement.
#[derive(Debug)]
pub(crate) struct Lexicon {
    cues: FxHashMap<String, FxHashSet<String>>,
    /// Triggers indexed by their first word.
    pub triggers: FxHashMap<String, Vec<NominalTrigger>>,
    pub supplement: VerbDictionary,
    supplement_index: FxHashMap<String, Vec<(usize, usize)>>,
    /// frame → complement code prefix → composed code (`composition.tsv`).
    composition: FxHashMap<String, FxHashMap<String, String>>,
}

impl Lexicon {
    /// The embedded lexicon, parsed once per process.
    pub fn embedded() -> Result<&'static Lexicon, EventsError> {
        static LEXICON: OnceLock<Result<Lexicon, String>> = OnceLock::new();
        let parsed = LEXICON.get_or_init(|| Lexicon::parse().map_err(|e| e.to_string()));
        parsed.as_ref().map_err(|reason| EventsError::Data {
            file: "data/*",
            line: 0,
            reason: reason.clone(),
        })
    }

    fn parse() -> Result<Lexicon, EventsError> {
        let mut cues: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
        for (number, line) in CUES.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, words) = line.split_once('\t').ok_or_else(|| EventsError::Data {
                file: "cues.tsv",
                line: number + 1,
                reason: "expected KIND<tab>words".into(),
            })?;
            cues.entry(kind.to_string())
                .or_default()
                .insert(words.trim().to_lowercase());
        }
        let mut triggers: FxHashMap<String, Vec<NominalTrigger>> = FxHashMap::default();
        for (number, line) in TRIGGERS.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut columns = line.split('\t');
            let (Some(phrase), Some(code)) = (columns.next(), columns.next()) else {
                return Err(EventsError::Data {
                    file: "nominal_triggers.tsv",
                    line: number + 1,
                    reason: "expected PHRASE<tab>CODE<tab>note".into(),
                });
            };
            let code = code.trim();
            if !(3..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(EventsError::Data {
                    file: "nominal_triggers.tsv",
                    line: number + 1,
                    reason: format!("`{code}` is not a 3- or 4-digit CAMEO code"),
                });
            }
            let (source_before, rest) = match phrase.strip_prefix("{S} ") {
                Some(rest) => (true, rest),
                None => (false, phrase),
            };
            let parts: Vec<TriggerPart> = rest
                .split_whitespace()
                .map(|w| match w {
                    "{S}" => TriggerPart::Source,
                    "{T}" => TriggerPart::Target,
                    w => TriggerPart::Word(w.to_lowercase()),
                })
                .collect();
            let Some(TriggerPart::Word(first)) = parts.first().cloned() else {
                return Err(EventsError::Data {
                    file: "nominal_triggers.tsv",
                    line: number + 1,
                    reason: "a trigger must start with a word".into(),
                });
            };
            triggers.entry(first).or_default().push(NominalTrigger {
                parts,
                code: code.to_string(),
                source_before,
                line: number + 1,
                text: phrase.to_string(),
            });
        }
        // Longer triggers first, so the most specific one is tried first.
        for list in triggers.values_mut() {
            list.sort_by_key(|t| std::cmp::Reverse(t.parts.len()));
        }
        let (supplement, diagnostics) = dyad_kb::parse_verbs("verbs.supplement.txt", SUPPLEMENT);
        // Synonym sets of the knowledge base's verb dictionary are resolved when the stage is built.
        if let Some(first) = diagnostics
            .into_iter()
            .find(|d| !d.to_string().contains("is not defined"))
        {
            return Err(EventsError::Data {
                file: "verbs.supplement.txt",
                line: 0,
                reason: first.to_string(),
            });
        }
        let mut supplement_index: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (v, verb) in supplement.verbs.iter().enumerate() {
            for (f, form) in verb.forms.iter().enumerate() {
                supplement_index
                    .entry(form.word.clone())
                    .or_default()
                    .push((v, f));
            }
        }
        let mut composition: FxHashMap<String, FxHashMap<String, String>> = FxHashMap::default();
        for (number, line) in COMPOSITION.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
            let cameo =
                |c: &str| (2..=4).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit());
            match columns.as_slice() {
                [frame, prefix, code] if cameo(prefix) && cameo(code) && code.len() >= 3 => {
                    composition
                        .entry(frame.to_string())
                        .or_default()
                        .insert(prefix.to_string(), code.to_string());
                }
                _ => {
                    return Err(EventsError::Data {
                        file: "composition.tsv",
                        line: number + 1,
                        reason: "expected FRAME<tab>CODE-PREFIX<tab>CAMEO-CODE".into(),
                    });
                }
            }
        }
        Ok(Lexicon {
            cues,
            triggers,
            supplement,
            supplement_index,
            composition,
        })
    }

    /// True when `words` (lowercase) is a cue of `kind`.
    pub fn is(&self, kind: &str, words: &str) -> bool {
        self.cues.get(kind).is_some_and(|set| set.contains(words))
    }

    /// Whether the first `len` digits of CAMEO `code` are listed as a cue of `kind`: its root
    /// with 2 (`19` of `190`), its 3-digit code with 3 (`045` of `045`).
    pub fn lists_code(&self, kind: &str, code: &str, len: usize) -> bool {
        code.get(..len).is_some_and(|prefix| self.is(kind, prefix))
    }

    /// The code an action coded `code` gets in the complement of a `frame` governor
    /// (`threat` + `190` → `138`): the rule with the longest matching prefix.
    pub fn compose(&self, frame: &str, code: &str) -> Option<&str> {
        let rules = self.composition.get(frame)?;
        (2..=code.len())
            .rev()
            .find_map(|len| rules.get(code.get(..len)?).map(String::as_str))
    }

    /// All cues of a kind.
    pub fn cues(&self, kind: &str) -> impl Iterator<Item = &str> {
        self.cues
            .get(kind)
            .into_iter()
            .flat_map(|set| set.iter().map(String::as_str))
    }

    /// Supplement verb forms whose verb word is `word`: (verb index, form index).
    pub fn supplement_forms(&self, word: &str) -> &[(usize, usize)] {
        self.supplement_index.get(word).map_or(&[], Vec::as_slice)
    }

    /// The patterns of a supplement verb's block.
    pub fn supplement_patterns(&self, verb: usize) -> &[Pattern] {
        self.supplement
            .verbs
            .get(verb)
            .and_then(|v| self.supplement.blocks.get(v.block as usize))
            .map_or(&[], |b| b.patterns.as_slice())
    }

    /// Members of a supplement synonym set.
    pub fn supplement_synset(&self, name: &str) -> Option<&[String]> {
        self.supplement
            .synsets
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.members.as_slice())
    }
}

/// One bit (of 64) standing for `word` in a word-set signature: a set whose signature lacks a
/// word's bit does not hold the word.
pub(crate) fn word_bit(word: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(word.as_bytes());
    1 << (hasher.finish() >> 58)
}

/// The signature of the words a pattern's elements need (each literal word's first word,
/// nested phrases included): a pattern matches only where all of them occur.
fn needed_words(elements: &[PatternElement]) -> u64 {
    elements.iter().fold(0, |bits, e| match e {
        PatternElement::Word(w) => bits | word_bit(w.split(' ').next().unwrap_or(w)),
        PatternElement::NounPhrase(inner) | PatternElement::PrepPhrase(inner) => {
            bits | needed_words(inner)
        }
        _ => bits,
    })
}

/// For every pattern of every verb block (same indices as the blocks and their patterns), the
/// signature of the words its `after` part needs: the coder skips a pattern whose words are
/// not all in reach of the verb without trying it.
#[derive(Debug, Default)]
pub(crate) struct NeededWords {
    /// Per block of the knowledge base's verb dictionary.
    pub kb: Vec<Vec<u64>>,
    /// Per block of the supplement.
    pub supplement: Vec<Vec<u64>>,
}

impl NeededWords {
    /// The signatures of `kb_blocks` and the supplement's blocks.
    pub fn new(kb_blocks: &[VerbBlock], supplement: &VerbDictionary) -> NeededWords {
        let of = |blocks: &[VerbBlock]| -> Vec<Vec<u64>> {
            blocks
                .iter()
                .map(|b| b.patterns.iter().map(|p| needed_words(&p.after)).collect())
                .collect()
        };
        NeededWords {
            kb: of(kb_blocks),
            supplement: of(&supplement.blocks),
        }
    }
}

/// The members of a synonym set (`&CURRENCY`), each split into its words, indexed by first
/// word so that a token is tried only against the members it can start.
#[derive(Debug, Default)]
pub(crate) struct SynsetMembers {
    members: Vec<Vec<String>>,
    /// First word → indices of the members starting with it, ascending.
    by_first: FxHashMap<String, Vec<usize>>,
}

impl SynsetMembers {
    /// The set of `members` (space-separated phrases), in dictionary order.
    pub fn new(members: &[String]) -> SynsetMembers {
        let mut set = SynsetMembers::default();
        for (i, member) in members.iter().enumerate() {
            let words: Vec<String> = member.split(' ').map(str::to_string).collect();
            if let Some(first) = words.first() {
                set.by_first.entry(first.clone()).or_default().push(i);
            }
            set.members.push(words);
        }
        set
    }

    /// The first member, in dictionary order, that `matches` accepts among those whose first
    /// word is `form` or `lemma` (no other member can match a token with that form and lemma).
    pub fn find_first<T>(
        &self,
        form: &str,
        lemma: &str,
        mut matches: impl FnMut(&[String]) -> Option<T>,
    ) -> Option<T> {
        let empty: &[usize] = &[];
        let by_form = self.by_first.get(form).map_or(empty, Vec::as_slice);
        let by_lemma = if lemma == form {
            empty
        } else {
            self.by_first.get(lemma).map_or(empty, Vec::as_slice)
        };
        // Merge the two ascending lists, so members are tried in dictionary order.
        let (mut a, mut b) = (by_form.iter().peekable(), by_lemma.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x <= y => {
                    a.next();
                    if x == y {
                        b.next();
                    }
                    x
                }
                (_, Some(&&y)) => {
                    b.next();
                    y
                }
                (Some(&&x), None) => {
                    a.next();
                    x
                }
                (None, None) => return None,
            };
            if let Some(found) = self.members.get(next).and_then(|m| matches(m)) {
                return Some(found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses() {
        let lexicon = Lexicon::embedded().unwrap();
        assert!(lexicon.is("speech", "say"));
        assert!(lexicon.is("relative", "which"));
        let talks = &lexicon.triggers["talks"][0];
        assert_eq!(talks.code, "046");
        assert!(!lexicon.supplement_forms("sent").is_empty());
        assert!(!lexicon.supplement_forms("called").is_empty());
    }

    #[test]
    fn synset_members_are_tried_in_dictionary_order() {
        let members: Vec<String> = ["peace talks", "talk", "peace", "talks"]
            .iter()
            .map(|m| m.to_string())
            .collect();
        let set = SynsetMembers::new(&members);
        let mut tried = Vec::new();
        let found = set.find_first("talks", "talk", |m| {
            tried.push(m.join(" "));
            (m == ["talks"]).then(|| m.join(" "))
        });
        // Only members starting with the form or the lemma, first to last.
        assert_eq!(tried, ["talk", "talks"]);
        assert_eq!(found.as_deref(), Some("talks"));
        assert_eq!(set.find_first("war", "war", |_| Some(())), None);
        let found = set.find_first("peace", "peace", |m| Some(m.join(" ")));
        assert_eq!(found.as_deref(), Some("peace talks"));
    }

    #[test]
    fn a_pattern_needs_the_first_word_of_each_literal() {
        let elements = vec![
            PatternElement::Word("peace talks".into()),
            PatternElement::Target,
            PatternElement::PrepPhrase(vec![
                PatternElement::Word("with".into()),
                PatternElement::Synset("CURRENCY".into()),
            ]),
        ];
        assert_eq!(
            needed_words(&elements),
            word_bit("peace") | word_bit("with")
        );
        assert_eq!(needed_words(&[PatternElement::Source]), 0);
    }

    #[test]
    fn composition_takes_the_longest_prefix() {
        let lexicon = Lexicon::embedded().unwrap();
        assert_eq!(lexicon.compose("threat", "190"), Some("138"));
        assert_eq!(lexicon.compose("threat", "1721"), Some("1321"));
        assert_eq!(lexicon.compose("threat", "172"), Some("132"));
        assert_eq!(lexicon.compose("commit", "073"), Some("0333"));
        assert_eq!(lexicon.compose("commit", "042"), Some("036"));
        assert_eq!(lexicon.compose("refusal", "0874"), Some("1246"));
        assert_eq!(lexicon.compose("refusal", "190"), None);
        assert_eq!(lexicon.compose("nonsense", "040"), None);
    }
}
