//! Rule-based English lemmatizer for verbs, nouns, adjectives and pronouns.
//!
//! Order of decisions for a (word, tag) pair:
//! 1. the exceptions table (`data/lemma_exceptions.tsv`) for the tag's word class;
//! 2. for verbs, the irregular verbs table (`data/irregular_verbs.tsv`);
//! 3. suffix rules (`-ies`→`-y`, `-ed`/`-ing` with undoubling and `e` restoration, `-es`/`-s`),
//!    where each rule proposes candidates and the first one found in the lemma lexicon
//!    (`data/verb_lemmas.txt`, `data/noun_lemmas.txt`,
//!    `data/adjective_lemmas.txt`) wins; without a lexicon hit, spelling
//!    heuristics decide.
//!
//! Lemmas are lowercase. Proper nouns, numbers and punctuation are returned lowercased as they are.

use crate::SyntaxError;
use dyad_document::PosTag;
use dyad_perceptron::FastBuildHasher;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

static IRREGULAR_VERBS: &str = include_str!("../data/irregular_verbs.tsv");
static EXCEPTIONS: &str = include_str!("../data/lemma_exceptions.tsv");
static VERB_LEMMAS: &str = include_str!("../data/verb_lemmas.txt");
static NOUN_LEMMAS: &str = include_str!("../data/noun_lemmas.txt");
static ADJECTIVE_LEMMAS: &str = include_str!("../data/adjective_lemmas.txt");

/// The word classes the tables distinguish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WordClass {
    Verb,
    Noun,
    Adjective,
    Pronoun,
    Modal,
    Any,
}

impl WordClass {
    fn of(tag: PosTag) -> WordClass {
        match tag {
            t if t.is_verb() => WordClass::Verb,
            PosTag::NN | PosTag::NNS => WordClass::Noun,
            PosTag::JJ | PosTag::JJR | PosTag::JJS | PosTag::RB | PosTag::RBR | PosTag::RBS => {
                WordClass::Adjective
            }
            PosTag::PRP => WordClass::Pronoun,
            PosTag::MD => WordClass::Modal,
            _ => WordClass::Any,
        }
    }

    fn parse(code: &str) -> Option<WordClass> {
        Some(match code {
            "V" => WordClass::Verb,
            "N" => WordClass::Noun,
            "A" => WordClass::Adjective,
            "P" => WordClass::Pronoun,
            "M" => WordClass::Modal,
            "X" => WordClass::Any,
            _ => return None,
        })
    }
}

/// The lemmatizer's tables. Build once ([`Lemmatizer::embedded`]) and share.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    exceptions: HashMap<(String, WordClass), String, FastBuildHasher>,
    /// form → (lemma, whether the form is a past tense or participle)
    irregular: HashMap<String, (String, bool), FastBuildHasher>,
    verbs: HashSet<String, FastBuildHasher>,
    nouns: HashSet<String, FastBuildHasher>,
    adjectives: HashSet<String, FastBuildHasher>,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lemmatizer {
    /// The tables embedded in the crate, parsed once per process.
    pub fn embedded() -> Result<&'static Lemmatizer, SyntaxError> {
        static LEMMATIZER: OnceLock<Result<Lemmatizer, SyntaxError>> = OnceLock::new();
        LEMMATIZER
            .get_or_init(|| {
                Lemmatizer::from_tables(IRREGULAR_VERBS, EXCEPTIONS, VERB_LEMMAS, NOUN_LEMMAS)
                    .map(|l| l.with_adjectives(ADJECTIVE_LEMMAS))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Adds adjective lemmas (one a line, `#` comments) used for comparatives and superlatives.
    pub fn with_adjectives(mut self, adjective_lemmas: &str) -> Lemmatizer {
        for (_, word) in data_lines(adjective_lemmas) {
            self.adjectives.insert(word.trim().to_lowercase());
        }
        self
    }

    /// Parses the tables (formats as in `data/`); errors name the file and line.
    pub fn from_tables(
        irregular_verbs: &str,
        exceptions: &str,
        verb_lemmas: &str,
        noun_lemmas: &str,
    ) -> Result<Lemmatizer, SyntaxError> {
        let mut lemmatizer = Lemmatizer::default();
        for (line, text) in data_lines(irregular_verbs) {
            let fields: Vec<&str> = text.split('\t').collect();
            let [lemma, rest @ ..] = fields.as_slice() else {
                continue;
            };
            if rest.len() != 3 {
                return Err(SyntaxError::Data {
                    file: "irregular_verbs.tsv",
                    line,
                    reason: format!(
                        "expected 4 tab-separated fields (lemma, past, participle, other), found {}",
                        fields.len()
                    ),
                });
            }
            let lemma = lemma.trim().to_lowercase();
            for (column, forms) in rest.iter().enumerate() {
                for form in forms.split(',') {
                    let form = form.trim().to_lowercase();
                    if !form.is_empty() && form != "-" {
                        lemmatizer
                            .irregular
                            .entry(form)
                            .or_insert_with(|| (lemma.clone(), column < 2));
                    }
                }
            }
            lemmatizer.verbs.insert(lemma);
        }
        for (line, text) in data_lines(exceptions) {
            let fields: Vec<&str> = text.split('\t').collect();
            let (form, class, lemma) = match fields.as_slice() {
                [form, class, lemma] => (*form, *class, *lemma),
                _ => {
                    return Err(SyntaxError::Data {
                        file: "lemma_exceptions.tsv",
                        line,
                        reason: format!(
                            "expected 3 tab-separated fields (form, class, lemma), found {}",
                            fields.len()
                        ),
                    });
                }
            };
            let class = WordClass::parse(class.trim()).ok_or_else(|| SyntaxError::Data {
                file: "lemma_exceptions.tsv",
                line,
                reason: format!("unknown word class `{class}`; use one of V N A P M X"),
            })?;
            lemmatizer.exceptions.insert(
                (form.trim().to_lowercase(), class),
                lemma.trim().to_string(),
            );
        }
        for (_, word) in data_lines(verb_lemmas) {
            lemmatizer.verbs.insert(word.trim().to_lowercase());
        }
        for (_, word) in data_lines(noun_lemmas) {
            lemmatizer.nouns.insert(word.trim().to_lowercase());
        }
        Ok(lemmatizer)
    }

    /// The lemma of `word` tagged `tag`, lowercase. `word` may be in any case and may contain
    /// curly apostrophes.
    pub fn lemmatize(&self, word: &str, tag: PosTag) -> String {
        let lower = crate::features::fold(word).to_lowercase();
        let class = WordClass::of(tag);
        if let Some(l) = self
            .exceptions
            .get(&(lower.clone(), class))
            .or_else(|| self.exceptions.get(&(lower.clone(), WordClass::Any)))
        {
            return l.clone();
        }
        // Hyphenated words inflect at their last part: `U.S.-backed`, `32-year-olds`.
        if let Some((head, last)) = lower.rsplit_once('-')
            && !last.is_empty()
            && matches!(class, WordClass::Verb | WordClass::Noun)
        {
            return format!("{head}-{}", self.lemmatize(last, tag));
        }
        match tag {
            PosTag::VBD | PosTag::VBN | PosTag::VBG | PosTag::VBZ | PosTag::VBP | PosTag::VB => {
                // Past forms only for past tags: `found`/VB is `found`, `lay`/VB is `lay`.
                if let Some((l, past)) = self.irregular.get(&lower)
                    && (*past == matches!(tag, PosTag::VBD | PosTag::VBN))
                {
                    return l.clone();
                }
                match tag {
                    PosTag::VBD | PosTag::VBN => self.strip_ed(&lower),
                    PosTag::VBG => self.strip_ing(&lower),
                    PosTag::VBZ => self.strip_s(&lower, &self.verbs),
                    _ => lower,
                }
            }
            PosTag::NNS => self.strip_s(&lower, &self.nouns),
            PosTag::JJR | PosTag::JJS => self.strip_comparative(&lower, tag),
            _ => lower,
        }
    }

    fn first_known(
        &self,
        lexicon: &HashSet<String, FastBuildHasher>,
        candidates: &[String],
    ) -> Option<String> {
        candidates.iter().find(|c| lexicon.contains(*c)).cloned()
    }

    /// `-ed` forms: `rallied`→`rally`, `tapped`→`tap`, `assassinated`→`assassinate`.
    fn strip_ed(&self, word: &str) -> String {
        let Some(stem) = word.strip_suffix("ed").filter(|s| s.chars().count() >= 2) else {
            return word
                .strip_suffix('d')
                .filter(|s| s.ends_with('e'))
                .unwrap_or(word)
                .to_string();
        };
        self.restore_stem(word, stem)
    }

    /// `-ing` forms: `pursuing`→`pursue`, `vowing`→`vow`, `running`→`run`.
    fn strip_ing(&self, word: &str) -> String {
        let Some(stem) = word.strip_suffix("ing").filter(|s| s.chars().count() >= 2) else {
            return word.to_string();
        };
        // `dying`, `lying`, `tying`
        if let Some(s) = stem.strip_suffix('y')
            && s.chars().count() == 1
        {
            return format!("{s}ie");
        }
        self.restore_stem(word, stem)
    }

    /// Shared by `-ed` and `-ing`: candidates, lexicon, then spelling heuristics.
    fn restore_stem(&self, word: &str, stem: &str) -> String {
        let mut candidates = Vec::with_capacity(4);
        if word.ends_with("ied")
            && stem.chars().count() >= 3
            && let Some(s) = stem.strip_suffix('i')
        {
            candidates.push(format!("{s}y"));
        }
        let undoubled = undouble(stem);
        if let Some(u) = &undoubled {
            candidates.push(u.clone());
        }
        candidates.push(stem.to_string());
        candidates.push(format!("{stem}e"));
        if let Some(found) = self.first_known(&self.verbs, &candidates) {
            return found;
        }
        if word.ends_with("ied") && stem.chars().count() >= 3 {
            return candidates.swap_remove(0);
        }
        if let Some(u) = undoubled
            && !matches!(u.chars().last(), Some('l' | 's' | 'f' | 'z'))
        {
            return u;
        }
        if needs_final_e(stem) {
            format!("{stem}e")
        } else {
            stem.to_string()
        }
    }

    /// `-s`/`-es`/`-ies` forms of verbs and nouns.
    fn strip_s(&self, word: &str, lexicon: &HashSet<String, FastBuildHasher>) -> String {
        if word.chars().count() <= 2
            || word.ends_with("ss")
            || word.ends_with("us")
            || word.ends_with("is")
        {
            return word.to_string();
        }
        // `refugees`→`refugee` before `taxes`→`tax`; `ties`→`tie` before `countries`→`country`.
        let mut candidates = Vec::with_capacity(5);
        if let Some(s) = word.strip_suffix('s') {
            candidates.push(s.to_string());
        }
        if let Some(s) = word.strip_suffix("ies") {
            candidates.push(format!("{s}y"));
        }
        if let Some(s) = word.strip_suffix("es") {
            candidates.push(s.to_string());
        }
        if let Some(s) = word.strip_suffix("ves") {
            candidates.push(format!("{s}f"));
            candidates.push(format!("{s}fe"));
        }
        if let Some(found) = self.first_known(lexicon, &candidates) {
            return found;
        }
        if let Some(s) = word.strip_suffix("ies")
            && s.chars().count() >= 2
        {
            return format!("{s}y");
        }
        // `gunmen`, `congressmen`
        if let Some(s) = word.strip_suffix("men")
            && s.chars().count() >= 2
        {
            return format!("{s}man");
        }
        for ending in ["sses", "shes", "ches", "xes", "zzes", "oes"] {
            if word.ends_with(ending) {
                return word[..word.len() - 2].to_string();
            }
        }
        word.strip_suffix('s').unwrap_or(word).to_string()
    }

    /// `bigger`→`big`, `largest`→`large` (only when the lexicon-free rules are safe).
    fn strip_comparative(&self, word: &str, tag: PosTag) -> String {
        let suffix = if tag == PosTag::JJR { "er" } else { "est" };
        let Some(stem) = word.strip_suffix(suffix).filter(|s| s.chars().count() >= 2) else {
            return word.to_string();
        };
        let mut candidates = Vec::with_capacity(4);
        if let Some(s) = stem.strip_suffix('i') {
            candidates.push(format!("{s}y"));
        }
        candidates.push(stem.to_string());
        candidates.extend(undouble(stem));
        candidates.push(format!("{stem}e"));
        if let Some(found) = self.first_known(&self.adjectives, &candidates) {
            return found;
        }
        if let Some(s) = stem.strip_suffix('i') {
            return format!("{s}y");
        }
        if let Some(u) = undouble(stem)
            && !matches!(u.chars().last(), Some('l' | 's' | 'f' | 'z'))
        {
            return u;
        }
        stem.to_string()
    }
}

/// `tapp`→`tap`: a doubled final consonant after a vowel.
fn undouble(stem: &str) -> Option<String> {
    let mut chars = stem.chars().rev();
    let (a, b) = (chars.next()?, chars.next()?);
    let before = chars.next()?;
    (a == b && is_consonant(a) && !is_consonant(before))
        .then(|| stem[..stem.len() - a.len_utf8()].to_string())
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_alphabetic() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Spelling heuristics for a stem not in the lexicon: does the lemma end in a silent `e`?
fn needs_final_e(stem: &str) -> bool {
    let b = stem.as_bytes();
    let n = b.len();
    if n < 2 {
        return false;
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    let prev2 = if n >= 3 { b[n - 3] } else { b' ' };
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    match last {
        b'e' | b'u' | b'v' | b'c' => true,
        b'g' => matches!(prev, b'r' | b'l' | b'd') || (prev == b'n' && prev2 != b'o'),
        b'z' => prev != b'z',
        b's' => prev != b's',
        // `create`, `negotiate`, `evaluate`, but `treat`, `defeat`, `float`
        b't' if prev == b'a' => !matches!(prev2, b'e' | b'o') || stem.ends_with("creat"),
        b't' if prev == b'u' => prev2 != b'o',
        b't' if prev == b'o' => matches!(prev2, b'n' | b'v' | b'm' | b'u'),
        // `invite`, `cite`, `unite`
        b't' if prev == b'i' => matches!(prev2, b'v' | b'c' | b'n') && !stem.ends_with("licit"),
        // `complete`, `delete`, `compete`
        b't' if prev == b'e' => {
            stem.ends_with("plet") || stem.ends_with("elet") || stem.ends_with("ompet")
        }
        // `rule`, `handle`, `settle`
        b'l' => !vowel(prev) && prev != b'l' && prev != b'r' || (prev == b'u' && prev2 == b'r'),
        // `provide`, `decide`, `include`, `explode`
        b'd' => matches!(prev, b'i' | b'u' | b'o') && !matches!(prev2, b'o' | b'a' | b'e' | b'u'),
        // `hope`, `escape`, `type`
        b'p' => matches!(prev, b'a' | b'o' | b'y') && !vowel(prev2),
        // `share`, `declare`, `ignore`, `secure`
        b'r' => matches!(prev, b'a' | b'o' | b'u' | b'i') && !vowel(prev2) && prev2 != b'r',
        // `name`, `become`, `blame`
        b'm' => matches!(prev, b'a' | b'o' | b'i') && !vowel(prev2),
        // `phone`, `define`, `combine`
        b'n' => matches!(prev, b'o' | b'i') && !vowel(prev2) && !stem.ends_with("ion"),
        b'k' => matches!(prev, b'a' | b'o' | b'i') && !vowel(prev2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemma(word: &str, tag: PosTag) -> String {
        Lemmatizer::embedded().unwrap().lemmatize(word, tag)
    }

    #[test]
    fn news_verbs() {
        for (word, tag, expected) in [
            ("attacked", PosTag::VBD, "attack"),
            ("assassinated", PosTag::VBN, "assassinate"),
            ("tapped", PosTag::VBN, "tap"),
            ("pursuing", PosTag::VBG, "pursue"),
            ("rallied", PosTag::VBD, "rally"),
            ("met", PosTag::VBD, "meet"),
            ("said", PosTag::VBD, "say"),
            ("told", PosTag::VBD, "tell"),
            ("vowing", PosTag::VBG, "vow"),
            ("called", PosTag::VBD, "call"),
            ("defended", PosTag::VBD, "defend"),
            ("sent", PosTag::VBD, "send"),
            ("fought", PosTag::VBD, "fight"),
            ("was", PosTag::VBD, "be"),
            ("were", PosTag::VBD, "be"),
            ("fled", PosTag::VBD, "flee"),
            ("is", PosTag::VBZ, "be"),
            ("has", PosTag::VBZ, "have"),
            ("Said", PosTag::VBD, "say"),
            ("agreed", PosTag::VBD, "agree"),
            ("stopped", PosTag::VBD, "stop"),
            ("killed", PosTag::VBN, "kill"),
            ("passed", PosTag::VBD, "pass"),
            ("added", PosTag::VBD, "add"),
            ("tries", PosTag::VBZ, "try"),
            ("watches", PosTag::VBZ, "watch"),
            ("died", PosTag::VBD, "die"),
            ("dying", PosTag::VBG, "die"),
            ("threatened", PosTag::VBD, "threaten"),
            ("found", PosTag::VB, "found"),
            ("found", PosTag::VBD, "find"),
            ("are", PosTag::VBP, "be"),
            ("U.S.-backed", PosTag::VBN, "u.s.-back"),
            ("n\u{2019}t", PosTag::RB, "not"),
        ] {
            assert_eq!(lemma(word, tag), expected, "{word}/{}", tag.as_str());
        }
    }

    #[test]
    fn nouns_and_others() {
        for (word, tag, expected) in [
            ("fighters", PosTag::NNS, "fighter"),
            ("forces", PosTag::NNS, "force"),
            ("countries", PosTag::NNS, "country"),
            ("taxes", PosTag::NNS, "tax"),
            ("women", PosTag::NNS, "woman"),
            ("crises", PosTag::NNS, "crisis"),
            ("lives", PosTag::NNS, "life"),
            ("news", PosTag::NN, "news"),
            ("Taliban", PosTag::NNP, "taliban"),
            ("bigger", PosTag::JJR, "big"),
            ("largest", PosTag::JJS, "large"),
            ("them", PosTag::PRP, "they"),
            ("wo", PosTag::MD, "will"),
        ] {
            assert_eq!(lemma(word, tag), expected, "{word}/{}", tag.as_str());
        }
    }

    #[test]
    fn heuristics_without_a_lexicon() {
        let bare = Lemmatizer::from_tables(IRREGULAR_VERBS, EXCEPTIONS, "", "").unwrap();
        for (word, tag, expected) in [
            ("assassinated", PosTag::VBN, "assassinate"),
            ("pursuing", PosTag::VBG, "pursue"),
            ("attacked", PosTag::VBD, "attack"),
            ("tapped", PosTag::VBD, "tap"),
            ("rallied", PosTag::VBD, "rally"),
            ("vowing", PosTag::VBG, "vow"),
            ("defended", PosTag::VBD, "defend"),
            ("called", PosTag::VBD, "call"),
            ("created", PosTag::VBD, "create"),
            ("treated", PosTag::VBD, "treat"),
            ("invited", PosTag::VBD, "invite"),
            ("visited", PosTag::VBD, "visit"),
            ("changed", PosTag::VBD, "change"),
            ("belonged", PosTag::VBD, "belong"),
            ("released", PosTag::VBD, "release"),
            ("recognized", PosTag::VBD, "recognize"),
            ("provided", PosTag::VBD, "provide"),
            ("needed", PosTag::VBD, "need"),
        ] {
            assert_eq!(
                bare.lemmatize(word, tag),
                expected,
                "{word}/{}",
                tag.as_str()
            );
        }
    }

    #[test]
    fn table_errors_name_file_and_line() {
        let err = Lemmatizer::from_tables("# c\nbe\twas\n", "", "", "").unwrap_err();
        assert!(err.to_string().contains("irregular_verbs.tsv:2"), "{err}");
        let err = Lemmatizer::from_tables("", "x\tQ\ty\n", "", "").unwrap_err();
        assert!(err.to_string().contains("lemma_exceptions.tsv:1"), "{err}");
        assert!(err.to_string().contains("V N A P M X"), "{err}");
    }

    #[test]
    fn never_panics_on_odd_words() {
        let l = Lemmatizer::embedded().unwrap();
        for w in [
            "", "s", "ed", "ing", "-", "--", "é", "ééing", "ied", "-ed", "a-",
        ] {
            for t in PosTag::ALL {
                let _ = l.lemmatize(w, t);
            }
        }
    }
}
