//! Noun phrase and verb group chunks, computed from tags on demand.
//!
//! Chunks never overlap and are in token order; every token of a sentence is in at most one
//! chunk. Noun phrases: optional predeterminer/determiner/possessive, adjectives, numbers and
//! nouns, with possessive `'s` continuing the phrase (`the Taliban's fighters`). Verb groups:
//! modals, auxiliaries, negation, adverbs, the main verb and a particle (`has not yet attacked`,
//! `will defend`, `was brutally and poignantly assassinated`, `to meet`).

use crate::Lemmatizer;
use dyad_document::{Document, PosTag};
use std::ops::Range;

/// The kind of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChunkKind {
    /// A noun phrase (`the Panjshir Valley`, `Massoud's fighters`).
    NounPhrase,
    /// A verb group (`has not yet attacked`); details in [`Chunk::verb`].
    VerbGroup,
    /// A preposition (`in`, `by`, `according to` is two chunks).
    Prep,
}

/// Tense of a verb group, read off its first verb or modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tense {
    /// `attacked`, `was attacking`, `had met`.
    Past,
    /// `attacks`, `is attacking`, `has met`.
    Present,
    /// `will attack`, `is going to`, `'ll meet`.
    Future,
    /// No finite verb: infinitives, participles, bare modals other than `will`/`shall`.
    Nonfinite,
}

/// Details of a verb group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbGroup {
    /// Token indices (into `doc.tokens`) of the whole group.
    pub tokens: Range<usize>,
    /// Token index of the main (last) verb.
    pub main: usize,
    /// Lemma of the main verb (`assassinate`).
    pub lemma: String,
    /// `not`, `n't` or `never` in the group.
    pub negated: bool,
    /// `be`/`get` + past participle (`was assassinated`, `got killed`).
    pub passive: bool,
    /// The modal, lemmatized (`will`, `would`, `can`, ...).
    pub modal: Option<String>,
    /// `to` + base verb (`vowed to defend` → the `to defend` group).
    pub infinitive: bool,
    /// Tense of the group.
    pub tense: Tense,
    /// Perfect aspect: `have` + past participle.
    pub perfect: bool,
    /// Progressive aspect: `be` + present participle.
    pub progressive: bool,
}

/// A chunk of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// What kind of chunk.
    pub kind: ChunkKind,
    /// Token indices into `doc.tokens`.
    pub tokens: Range<usize>,
    /// Token index of the head: last noun of a noun phrase, main verb of a verb group.
    pub head: usize,
    /// Verb group details, for [`ChunkKind::VerbGroup`].
    pub verb: Option<VerbGroup>,
}

/// The chunks of one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceAnalysis {
    /// The sentence index.
    pub sentence: usize,
    /// Token indices of the sentence.
    pub tokens: Range<usize>,
    /// Chunks in token order.
    pub chunks: Vec<Chunk>,
}

impl SentenceAnalysis {
    /// The verb groups of the sentence.
    pub fn verb_groups(&self) -> impl Iterator<Item = &VerbGroup> {
        self.chunks.iter().filter_map(|c| c.verb.as_ref())
    }

    /// The noun phrases of the sentence.
    pub fn noun_phrases(&self) -> impl Iterator<Item = &Chunk> {
        self.chunks
            .iter()
            .filter(|c| c.kind == ChunkKind::NounPhrase)
    }
}

/// Chunks sentence `sentence` of `doc` from its tags (run [`crate::SyntaxStage`] first;
/// untagged tokens count as `XX`). An out-of-range sentence gives an empty analysis.
pub fn analyze_sentence(doc: &Document, sentence: usize) -> SentenceAnalysis {
    let Some(s) = doc.sentences.get(sentence) else {
        return SentenceAnalysis {
            sentence,
            ..Default::default()
        };
    };
    let range = doc.tokens_in(s.range);
    let words: Vec<&str> = range.clone().map(|i| doc.token_norm(i)).collect();
    let tags: Vec<PosTag> = range
        .clone()
        .map(|i| {
            doc.tokens
                .get(i)
                .and_then(|t| t.tag)
                .unwrap_or(PosTag::Other)
        })
        .collect();
    let mut chunks = chunk_tagged(&words, &tags);
    for c in &mut chunks {
        c.tokens = c.tokens.start + range.start..c.tokens.end + range.start;
        c.head += range.start;
        if let Some(v) = &mut c.verb {
            v.tokens = c.tokens.clone();
            v.main += range.start;
        }
    }
    SentenceAnalysis {
        sentence,
        tokens: range,
        chunks,
    }
}

/// Chunks one sentence given as (lowercase or original) words and their tags; token indices
/// in the result are positions in `words`. Tolerates `words` and `tags` of different lengths
/// (the shorter one wins).
pub fn chunk_tagged(words: &[&str], tags: &[PosTag]) -> Vec<Chunk> {
    let n = words.len().min(tags.len());
    let lower: Vec<String> = words
        .iter()
        .take(n)
        .map(|w| crate::features::fold(w).to_lowercase())
        .collect();
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < n {
        if let Some(end) = verb_group_end(&lower, tags, i, n) {
            chunks.push(make_verb_group(&lower, tags, i, end));
            i = end;
        } else if let Some(end) = noun_phrase_end(tags, i, n) {
            let head = noun_head(tags, i, end);
            chunks.push(Chunk {
                kind: ChunkKind::NounPhrase,
                tokens: i..end,
                head,
                verb: None,
            });
            i = end;
        } else if matches!(tags[i], PosTag::IN | PosTag::TO) {
            chunks.push(Chunk {
                kind: ChunkKind::Prep,
                tokens: i..i + 1,
                head: i,
                verb: None,
            });
            i += 1;
        } else {
            i += 1;
        }
    }
    chunks
}

fn is_np_start(t: PosTag) -> bool {
    matches!(
        t,
        PosTag::DT
            | PosTag::PDT
            | PosTag::PRPS
            | PosTag::WPS
            | PosTag::CD
            | PosTag::PRP
            | PosTag::EX
    ) || t.is_noun()
        || t.is_adjective()
}

fn is_np_inside(t: PosTag) -> bool {
    matches!(
        t,
        PosTag::CD | PosTag::POS | PosTag::Hyph | PosTag::VBG | PosTag::VBN
    ) || t.is_noun()
        || t.is_adjective()
}

/// End (exclusive) of a noun phrase starting at `i`.
fn noun_phrase_end(tags: &[PosTag], i: usize, n: usize) -> Option<usize> {
    let first = tags[i];
    if !is_np_start(first) {
        return None;
    }
    if matches!(first, PosTag::PRP | PosTag::EX) {
        return Some(i + 1);
    }
    let mut end = i + 1;
    while end < n
        && (is_np_inside(tags[end]) || (tags[end] == PosTag::DT && tags[end - 1] == PosTag::PDT))
    {
        // A participle only continues a phrase when a noun follows (`the wounded soldiers`),
        // never as the last word (`the Taliban attacked`).
        if matches!(tags[end], PosTag::VBG | PosTag::VBN)
            && !(end + 1 < n && (tags[end + 1].is_noun() || tags[end + 1].is_adjective()))
        {
            break;
        }
        // The possessive 's is followed by the possessed: `Massoud 's fighters`.
        end += 1;
    }
    // A bare determiner (`that`, `all`) or trailing possessive still counts as a phrase.
    Some(end)
}

/// The head of a noun phrase: its last noun, else its last token. A possessive splits the
/// phrase: the head of `Massoud's fighters` is `fighters`.
fn noun_head(tags: &[PosTag], start: usize, end: usize) -> usize {
    (start..end)
        .rev()
        .find(|&k| tags[k].is_noun() || matches!(tags[k], PosTag::PRP | PosTag::CD | PosTag::EX))
        .unwrap_or(end.saturating_sub(1).max(start))
}

fn is_negation(word: &str) -> bool {
    matches!(word, "not" | "n't" | "never")
}

fn is_be(word: &str) -> bool {
    matches!(
        word,
        "be" | "is" | "are" | "am" | "was" | "were" | "been" | "being" | "'s" | "'re" | "'m"
    )
}

fn is_have(word: &str) -> bool {
    matches!(word, "have" | "has" | "had" | "having" | "'ve" | "'d")
}

fn is_get(word: &str) -> bool {
    matches!(word, "get" | "gets" | "got" | "gotten" | "getting")
}

/// End (exclusive) of a verb group starting at `i`, if one starts there.
fn verb_group_end(lower: &[String], tags: &[PosTag], i: usize, n: usize) -> Option<usize> {
    let starts_with_to = tags[i] == PosTag::TO;
    if starts_with_to {
        // `to` + (adverbs) + base verb: an infinitive.
        let mut k = i + 1;
        while k < n && matches!(tags[k], PosTag::RB) {
            k += 1;
        }
        if k >= n || tags[k] != PosTag::VB {
            return None;
        }
    } else if !(tags[i].is_verb() || tags[i] == PosTag::MD) {
        return None;
    }
    let mut end = i + 1;
    let mut last_verb = if starts_with_to { None } else { Some(i) };
    let mut k = i + 1;
    while k < n {
        let t = tags[k];
        let continues = match t {
            _ if t.is_verb() => {
                // A verb continues the group only after an auxiliary or modal (or `to`).
                let after_aux = match last_verb {
                    None => true,
                    Some(v) => {
                        tags[v] == PosTag::MD
                            || is_be(&lower[v])
                            || is_have(&lower[v])
                            || is_get(&lower[v])
                            || matches!(lower[v].as_str(), "do" | "does" | "did")
                    }
                };
                if after_aux {
                    last_verb = Some(k);
                }
                after_aux
            }
            PosTag::RB | PosTag::RBR | PosTag::RBS => {
                // adverbs inside the group, only when a verb follows within it
                next_verb_after_adverbs(tags, lower, k, n).is_some()
            }
            PosTag::CC => {
                // `brutally and poignantly assassinated`: coordination between adverbs
                k > i
                    && matches!(tags[k - 1], PosTag::RB)
                    && k + 1 < n
                    && matches!(tags[k + 1], PosTag::RB)
                    && next_verb_after_adverbs(tags, lower, k + 1, n).is_some()
            }
            PosTag::RP => last_verb == Some(k - 1),
            _ => false,
        };
        if !continues {
            break;
        }
        k += 1;
        end = k;
    }
    // Negation directly after the last verb (`is not`, `did n't`) belongs to the group too.
    while end < n && is_negation(&lower[end]) {
        end += 1;
    }
    Some(end)
}

/// The index of the verb after a run of adverbs (and `and` between adverbs) starting at `k`.
fn next_verb_after_adverbs(
    tags: &[PosTag],
    _lower: &[String],
    k: usize,
    n: usize,
) -> Option<usize> {
    let mut j = k;
    while j < n && matches!(tags[j], PosTag::RB | PosTag::RBR | PosTag::RBS | PosTag::CC) {
        j += 1;
    }
    (j < n && tags[j].is_verb()).then_some(j)
}

fn make_verb_group(lower: &[String], tags: &[PosTag], start: usize, end: usize) -> Chunk {
    let verbs: Vec<usize> = (start..end).filter(|&k| tags[k].is_verb()).collect();
    let main = verbs
        .last()
        .copied()
        .or_else(|| (start..end).rev().find(|&k| tags[k] == PosTag::MD))
        .unwrap_or(start);
    let lemmatizer = Lemmatizer::embedded().ok();
    let lemma_of = |k: usize| match lemmatizer {
        Some(l) => l.lemmatize(&lower[k], tags[k]),
        None => lower[k].clone(),
    };
    let lemma = lemma_of(main);
    let negated = (start..end).any(|k| is_negation(&lower[k]));
    let modal = (start..end).find(|&k| tags[k] == PosTag::MD).map(lemma_of);
    let infinitive = tags[start] == PosTag::TO;
    let before_main = verbs
        .len()
        .checked_sub(2)
        .and_then(|i| verbs.get(i))
        .copied();
    let passive = tags[main] == PosTag::VBN
        && before_main.is_some_and(|a| is_be(&lower[a]) || is_get(&lower[a]));
    let perfect = verbs.iter().any(|&k| {
        k != main && is_have(&lower[k]) && verbs.iter().any(|&v| v > k && tags[v] == PosTag::VBN)
    });
    let progressive = verbs
        .windows(2)
        .any(|w| is_be(&lower[w[0]]) && tags[w[1]] == PosTag::VBG);
    let tense = match &modal {
        Some(m) if m == "will" || m == "shall" => Tense::Future,
        Some(_) => Tense::Nonfinite,
        None if infinitive => Tense::Nonfinite,
        None => match verbs.first().map(|&k| tags[k]) {
            Some(PosTag::VBD) => Tense::Past,
            Some(PosTag::VBZ | PosTag::VBP) => {
                // `is going to`: a future in the present tense.
                if verbs.iter().any(|&k| lower[k] == "going")
                    && end < lower.len()
                    && lower[end] == "to"
                {
                    Tense::Future
                } else {
                    Tense::Present
                }
            }
            _ => Tense::Nonfinite,
        },
    };
    Chunk {
        kind: ChunkKind::VerbGroup,
        tokens: start..end,
        head: main,
        verb: Some(VerbGroup {
            tokens: start..end,
            main,
            lemma,
            negated,
            passive,
            modal,
            infinitive,
            tense,
            perfect,
            progressive,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(tagged: &str) -> (Vec<String>, Vec<Chunk>) {
        let (words, tags): (Vec<&str>, Vec<PosTag>) = tagged
            .split_whitespace()
            .map(|p| {
                let (w, t) = p.rsplit_once('/').unwrap_or((p, "XX"));
                (w, PosTag::parse(t))
            })
            .unzip();
        (
            words.iter().map(|w| w.to_string()).collect(),
            chunk_tagged(&words, &tags),
        )
    }

    fn show(tagged: &str) -> Vec<String> {
        let (words, cs) = chunks(tagged);
        cs.iter()
            .map(|c| {
                let text = words[c.tokens.clone()].join(" ");
                match (&c.kind, &c.verb) {
                    (ChunkKind::VerbGroup, Some(v)) => format!(
                        "[VG {text} | {}{}{}{}{} {:?}]",
                        v.lemma,
                        if v.negated { " neg" } else { "" },
                        if v.passive { " pass" } else { "" },
                        v.modal
                            .as_ref()
                            .map(|m| format!(" modal={m}"))
                            .unwrap_or_default(),
                        if v.infinitive { " inf" } else { "" },
                        v.tense
                    ),
                    (ChunkKind::NounPhrase, _) => format!("[NP {text} | {}]", words[c.head]),
                    _ => format!("[{:?} {text}]", c.kind),
                }
            })
            .collect()
    }

    #[test]
    fn passive_with_coordinated_adverbs() {
        assert_eq!(
            show(
                "Massoud/NNP was/VBD brutally/RB and/CC poignantly/RB assassinated/VBN by/IN al-Qaeda/NNP"
            ),
            [
                "[NP Massoud | Massoud]",
                "[VG was brutally and poignantly assassinated | assassinate pass Past]",
                "[Prep by]",
                "[NP al-Qaeda | al-Qaeda]"
            ]
        );
    }

    #[test]
    fn negation_and_modals() {
        assert_eq!(
            show("the/DT Taliban/NNP has/VBZ not/RB yet/RB attacked/VBN"),
            [
                "[NP the Taliban | Taliban]",
                "[VG has not yet attacked | attack neg Present]"
            ]
        );
        assert_eq!(
            show("we/PRP will/MD defend/VB the/DT valley/NN"),
            [
                "[NP we | we]",
                "[VG will defend | defend modal=will Future]",
                "[NP the valley | valley]"
            ]
        );
        assert_eq!(
            show("they/PRP did/VBD n't/RB go/VB"),
            ["[NP they | they]", "[VG did n't go | go neg Past]"]
        );
        assert_eq!(
            show("He/PRP could/MD never/RB have/VB been/VBN killed/VBN"),
            [
                "[NP He | He]",
                "[VG could never have been killed | kill neg pass modal=could Nonfinite]"
            ]
        );
    }

    #[test]
    fn infinitives_and_possessives() {
        assert_eq!(
            show("Massoud/NNP vowed/VBD to/TO defend/VB Massoud/NNP 's/POS fighters/NNS"),
            [
                "[NP Massoud | Massoud]",
                "[VG vowed | vow Past]",
                "[VG to defend | defend inf Nonfinite]",
                "[NP Massoud 's fighters | fighters]"
            ]
        );
    }

    #[test]
    fn got_passive_and_particles() {
        assert_eq!(
            show("soldiers/NNS got/VBD killed/VBN"),
            [
                "[NP soldiers | soldiers]",
                "[VG got killed | kill pass Past]"
            ]
        );
        assert_eq!(
            show("they/PRP gave/VBD up/RP"),
            ["[NP they | they]", "[VG gave up | give Past]"]
        );
    }

    #[test]
    fn verbs_do_not_chain_without_auxiliary() {
        // `said attacked` are two groups: `said` is not an auxiliary.
        assert_eq!(
            show("officials/NNS said/VBD militants/NNS attacked/VBD"),
            [
                "[NP officials | officials]",
                "[VG said | say Past]",
                "[NP militants | militants]",
                "[VG attacked | attack Past]"
            ]
        );
    }

    #[test]
    fn mismatched_lengths_do_not_panic() {
        assert!(chunk_tagged(&["a", "b"], &[PosTag::DT]).len() <= 1);
        assert!(chunk_tagged(&[], &[PosTag::VB]).is_empty());
    }
}
