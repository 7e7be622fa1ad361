//! Name lists: outlets (MEDIA), countries and demonyms (GPE, NORP), a few places, and the
//! title and role words that introduce people. All are data files in `data/`, compiled in.

use crate::EntityError;
use crate::features::fold;
use dyad_document::EntityLabel;
use dyad_perceptron::FastBuildHasher;
use std::collections::HashMap;

const NAMES: &str = include_str!("../data/names.tsv");
const COUNTRIES: &str = include_str!("../data/countries.tsv");
const TITLES: &str = include_str!("../data/titles.tsv");
const ORGANIZATIONS: &str = include_str!("../data/organizations.tsv");

/// Separator of words inside a phrase key (never inside a token).
const JOIN: char = '\u{1}';

/// What a title word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// Honorific or rank before a name (`Gen.`, `Mr.`).
    Title,
    /// Job or role noun (`spokesman`, `leader`).
    Role,
}

/// What the last word of a capitalized name says about it (`data/organizations.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadKind {
    /// An organization head (`Forces`, `Ministry`).
    Org,
    /// An organization head that names one on its own (`the Coalition`).
    Standalone,
    /// A facility head (`Tower`, `Dam`).
    Facility,
    /// A place head (`Province`, `Mountains`).
    Place,
}

/// One list name found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The list's label.
    pub label: EntityLabel,
    /// The list's canonical name.
    pub canonical: String,
}

/// The compiled lists.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Every list phrase (words joined by [`JOIN`]) with its label and canonical name, and
    /// every proper word prefix of one with `None`, so a scan stops at the first prefix no
    /// phrase starts with.
    phrases: HashMap<String, Option<(EntityLabel, u32)>, FastBuildHasher>,
    canonicals: Vec<String>,
    max_words: usize,
    titles: HashMap<String, TitleKind, FastBuildHasher>,
    heads: HashMap<String, HeadKind, FastBuildHasher>,
    group_codes: Vec<String>,
    vessel_prefixes: Vec<String>,
    /// Lowercase words of kind `group`, `part`; case-sensitive `weapon` acronyms.
    word_kinds: HashMap<String, WordKinds, FastBuildHasher>,
}

/// Kinds of `data/organizations.tsv` a word may have besides its head kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct WordKinds {
    group: bool,
    part: bool,
    weapon: bool,
}

impl Gazetteer {
    /// The lists embedded in the crate.
    pub fn embedded() -> Result<Gazetteer, EntityError> {
        let mut g = Gazetteer {
            phrases: HashMap::default(),
            canonicals: Vec::new(),
            max_words: 1,
            titles: HashMap::default(),
            heads: HashMap::default(),
            group_codes: Vec::new(),
            vessel_prefixes: Vec::new(),
            word_kinds: HashMap::default(),
        };
        g.add_names(NAMES, "data/names.tsv")?;
        g.add_names(COUNTRIES, "data/countries.tsv")?;
        for (n, line) in TITLES.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, kind) = line.split_once('\t').ok_or_else(|| EntityError::Data {
                file: "data/titles.tsv".into(),
                line: n + 1,
                reason: "expected `word<TAB>title|role`".into(),
            })?;
            let kind = match kind.trim() {
                "title" => TitleKind::Title,
                "role" => TitleKind::Role,
                other => {
                    return Err(EntityError::Data {
                        file: "data/titles.tsv".into(),
                        line: n + 1,
                        reason: format!("unknown kind `{other}`; use `title` or `role`"),
                    });
                }
            };
            g.titles.entry(word.trim().to_lowercase()).or_insert(kind);
        }
        g.add_heads(ORGANIZATIONS, "data/organizations.tsv")?;
        Ok(g)
    }

    fn add_heads(&mut self, text: &str, file: &str) -> Result<(), EntityError> {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, kind) = line.split_once('\t').ok_or_else(|| EntityError::Data {
                file: file.into(),
                line: n + 1,
                reason: "expected `word<TAB>org|standalone|fac|loc|vessel|code|group|part|weapon`"
                    .into(),
            })?;
            let word = word.trim();
            let kind = match kind.trim() {
                "org" => HeadKind::Org,
                "standalone" => HeadKind::Standalone,
                "fac" => HeadKind::Facility,
                "loc" => HeadKind::Place,
                "code" => {
                    self.group_codes.push(word.to_string());
                    continue;
                }
                "vessel" => {
                    self.vessel_prefixes.push(word.to_string());
                    continue;
                }
                "group" => {
                    self.word_kinds
                        .entry(word.to_lowercase())
                        .or_default()
                        .group = true;
                    continue;
                }
                "part" => {
                    self.word_kinds.entry(word.to_lowercase()).or_default().part = true;
                    continue;
                }
                "weapon" => {
                    self.word_kinds.entry(word.to_string()).or_default().weapon = true;
                    continue;
                }
                other => {
                    return Err(EntityError::Data {
                        file: file.into(),
                        line: n + 1,
                        reason: format!(
                            "unknown kind `{other}`; use org, standalone, fac, loc, vessel, code, group, part or weapon"
                        ),
                    });
                }
            };
            self.heads.entry(word.to_lowercase()).or_insert(kind);
        }
        Ok(())
    }

    fn add_names(&mut self, text: &str, file: &str) -> Result<(), EntityError> {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(label), Some(canonical), Some(variants)) =
                (cols.next(), cols.next(), cols.next())
            else {
                return Err(EntityError::Data {
                    file: file.into(),
                    line: n + 1,
                    reason: "expected `LABEL<TAB>canonical<TAB>variant|variant`".into(),
                });
            };
            let label = EntityLabel::parse(label.trim()).ok_or_else(|| EntityError::Data {
                file: file.into(),
                line: n + 1,
                reason: format!(
                    "unknown label `{label}`; use PERSON, ORG, GPE, LOC, NORP, FAC or MEDIA"
                ),
            })?;
            let id = self.canonicals.len() as u32;
            self.canonicals.push(canonical.trim().to_string());
            for variant in variants.split('|').filter(|v| !v.trim().is_empty()) {
                let words = phrase_words(variant);
                self.max_words = self.max_words.max(words.len());
                let mut key = String::new();
                for (k, word) in words.iter().enumerate() {
                    if k > 0 {
                        key.push(JOIN);
                    }
                    key.push_str(word);
                    let value = self.phrases.entry(key.clone()).or_insert(None);
                    // The first list line with a phrase wins.
                    if k + 1 == words.len() && value.is_none() {
                        *value = Some((label, id));
                    }
                }
            }
        }
        Ok(())
    }

    /// Longest list names in `words` (token texts), left to right, without overlaps.
    /// Matching is case-sensitive on folded text (curly quotes and dashes made ASCII).
    pub fn find(&self, words: &[&str]) -> Vec<NameMatch> {
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        self.find_folded_into(&refs, &mut out);
        out
    }

    /// [`Gazetteer::find`] over words already folded, into `out` (cleared first).
    pub(crate) fn find_folded_into(&self, folded: &[&str], out: &mut Vec<NameMatch>) {
        out.clear();
        let mut start = 0;
        let mut key = String::new();
        while start < folded.len() {
            let mut best = None;
            key.clear();
            for end in start + 1..=(start + self.max_words).min(folded.len()) {
                if end > start + 1 {
                    key.push(JOIN);
                }
                key.push_str(folded.get(end - 1).copied().unwrap_or(""));
                match self.phrases.get(key.as_str()) {
                    // No phrase starts with these words: none is longer either.
                    None => break,
                    Some(Some((label, id))) => best = Some((end, *label, *id)),
                    Some(None) => {}
                }
            }
            match best {
                Some((end, label, id)) => {
                    out.push(NameMatch {
                        start,
                        end,
                        label,
                        canonical: self
                            .canonicals
                            .get(id as usize)
                            .cloned()
                            .unwrap_or_default(),
                    });
                    start = end;
                }
                None => start += 1,
            }
        }
    }

    /// The kind of a title or role word (case-insensitive), if it is one.
    pub fn title_kind(&self, word: &str) -> Option<TitleKind> {
        if word.len() > 20 {
            return None;
        }
        with_folded_lowercase(word, |key| self.titles.get(key).copied())
    }
}

/// Calls `f` with `fold(word).to_lowercase()`, without allocating when `word` is ASCII and
/// at most 20 bytes long.
#[inline]
fn with_folded_lowercase<T>(word: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buffer = [0u8; 20];
    if word.is_ascii()
        && let Some(slot) = buffer.get_mut(..word.len())
    {
        for (out, b) in slot.iter_mut().zip(word.bytes()) {
            // `fold` turns a backquote into an apostrophe; lowercase the rest.
            *out = if b == b'`' {
                b'\''
            } else {
                b.to_ascii_lowercase()
            };
        }
        if let Ok(key) = std::str::from_utf8(slot) {
            return f(key);
        }
    }
    f(&fold(word).to_lowercase())
}

impl Gazetteer {
    /// What `word` says as the last word of a name (case-insensitive), if anything.
    pub(crate) fn head_kind(&self, word: &str) -> Option<HeadKind> {
        if word.len() > 20 {
            return None;
        }
        with_folded_lowercase(word, |key| self.heads.get(key).copied())
    }

    /// A common noun for an organized group or a government (`forces`, `regime`); `lower` is
    /// the token's lowercase normalized form.
    pub(crate) fn is_group_noun(&self, lower: &str) -> bool {
        self.word_kinds.get(lower).is_some_and(|k| k.group)
    }

    /// A part of a place (`north`, `border`); `lower` as for [`Gazetteer::is_group_noun`].
    pub(crate) fn is_place_part(&self, lower: &str) -> bool {
        self.word_kinds.get(lower).is_some_and(|k| k.part)
    }

    /// A weapon or platform acronym (`VBIED`, case-sensitive).
    pub(crate) fn is_weapon_acronym(&self, word: &str) -> bool {
        self.word_kinds.get(word).is_some_and(|k| k.weapon)
    }

    /// `word` starts a ship's name (`HMS`, case-sensitive).
    pub(crate) fn is_vessel_prefix(&self, word: &str) -> bool {
        self.vessel_prefixes.iter().any(|p| p == word)
    }

    /// The actor code names a group that is no country (`IMGMUSISI`, `NGOXFM`).
    pub(crate) fn is_group_code(&self, code: &str) -> bool {
        self.group_codes
            .iter()
            .any(|p| code.starts_with(p.as_str()))
    }
}

/// Splits a list variant into the tokens dyad's tokenizer would make of it (whitespace,
/// then a trailing comma apart).
fn phrase_words(variant: &str) -> Vec<String> {
    let mut words = Vec::new();
    for piece in variant.split_whitespace() {
        match piece.strip_suffix(',') {
            Some(head) if !head.is_empty() => {
                words.push(fold(head));
                words.push(",".into());
            }
            _ => words.push(fold(piece)),
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_outlets_countries_and_demonyms() {
        let g = Gazetteer::embedded().unwrap();
        let words = [
            "the",
            "Washington",
            "Post",
            "said",
            "Afghans",
            "in",
            "Afghanistan",
        ];
        let found = g.find(&words);
        let got: Vec<(usize, usize, &str, &str)> = found
            .iter()
            .map(|m| (m.start, m.end, m.label.as_str(), m.canonical.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (1, 3, "MEDIA", "The Washington Post"),
                (4, 5, "NORP", "Afghan"),
                (6, 7, "GPE", "Afghanistan")
            ]
        );
        assert_eq!(g.title_kind("Spokesman"), Some(TitleKind::Role));
        assert_eq!(g.title_kind("Gen."), Some(TitleKind::Title));
        assert_eq!(g.title_kind("valley"), None);
    }

    #[test]
    fn knows_organization_and_facility_heads_and_group_codes() {
        let g = Gazetteer::embedded().unwrap();
        assert_eq!(g.head_kind("Forces"), Some(HeadKind::Org));
        assert_eq!(g.head_kind("Coalition"), Some(HeadKind::Standalone));
        assert_eq!(g.head_kind("Tower"), Some(HeadKind::Facility));
        assert_eq!(g.head_kind("Johnson"), None);
        assert!(g.is_group_code("IMGMUSISI"));
        assert!(g.is_group_code("NGOXFM"));
        assert!(!g.is_group_code("USAGOV"));
        assert!(g.is_vessel_prefix("HMS"));
        assert!(!g.is_vessel_prefix("hms"));
        assert!(g.is_group_noun("forces") && g.is_group_noun("regime"));
        assert_eq!(g.head_kind("forces"), Some(HeadKind::Org));
        assert!(g.is_place_part("north") && !g.is_place_part("forces"));
        assert!(g.is_weapon_acronym("VBIED") && !g.is_weapon_acronym("vbied"));
    }

    #[test]
    fn is_case_sensitive() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.find(&["us", "and", "america"]).is_empty());
        assert_eq!(g.find(&["U.S."]).len(), 1);
    }
}
