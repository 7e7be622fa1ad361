//! The crate's data files, parsed once: cue words, nominal triggers and the verb supplement.

use crate::EventsError;
use dyad_kb::{Pattern, VerbDictionary};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

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
    cues: HashMap<String, HashSet<String>>,
    /// Triggers indexed by their first word.
    pub triggers: HashMap<String, Vec<NominalTrigger>>,
    pub supplement: VerbDictionary,
    supplement_index: HashMap<String, Vec<(usize, usize)>>,
    /// (frame, complement code prefix) → composed code (`composition.tsv`).
    composition: HashMap<(String, String), String>,
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
        let mut cues: HashMap<String, HashSet<String>> = HashMap::new();
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
        let mut triggers: HashMap<String, Vec<NominalTrigger>> = HashMap::new();
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
        let mut supplement_index: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (v, verb) in supplement.verbs.iter().enumerate() {
            for (f, form) in verb.forms.iter().enumerate() {
                supplement_index
                    .entry(form.word.clone())
                    .or_default()
                    .push((v, f));
            }
        }
        let mut composition = HashMap::new();
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
                    composition.insert((frame.to_string(), prefix.to_string()), code.to_string());
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
        (2..=code.len()).rev().find_map(|len| {
            let prefix = code.get(..len)?;
            self.composition
                .get(&(frame.to_string(), prefix.to_string()))
                .map(String::as_str)
        })
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
