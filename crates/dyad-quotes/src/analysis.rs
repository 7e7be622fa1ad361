//! Finding quotes and attributing them: the rules behind [`crate::QuotesStage`].
//!
//! Steps, in order:
//! 1. pair the quotation marks ([`crate::marks`]);
//! 2. view the tokens as words, knowing which are inside quotes and which sentence holds them;
//! 3. collect name mentions outside quotes (from the entity layer when filled, else
//!    capitalized runs with titles stripped), clustered by last name;
//! 4. for each quoted stretch, find the cue (speech verb) after it, before it, or anywhere in
//!    its sentence, the speaker phrase next to the cue, and an outlet named outside the quote;
//! 5. for each sentence, find reported speech (`X said (that) CLAUSE`, `CLAUSE, X said`,
//!    `according to X, CLAUSE`);
//! 6. in text order, resolve pronouns and descriptions to earlier speakers and mentions,
//!    let unattributed quotes continue the previous speaker, and carry an interview's outlet
//!    over the later quotes of the same speaker (and back over the lede of an interview).

use crate::lexicon::{CueClass, Lexicon, strip_possessive};
use crate::marks::{Marked, find_marked};
use dyad_document::{Document, EntityLabel, Outlet, PosTag, Quote, QuoteKind, Speaker, TextRange};
use std::collections::HashMap;

const PRONOUNS_PERSON: &[&str] = &["he", "she", "i"];
const PRONOUNS_GROUP: &[&str] = &["they", "it", "we"];
const SKIPPABLE_BEFORE_CUE: &[&str] = &[
    "also",
    "then",
    "later",
    "has",
    "had",
    "have",
    "was",
    "would",
    "will",
    "again",
    "previously",
    "earlier",
    "further",
    "reportedly",
    "once",
    "repeatedly",
    "is",
    "recently",
    "finally",
    "has",
    "already",
    "instead",
    "just",
    "later",
    "only",
    "quickly",
    "publicly",
    "privately",
    "simply",
    "but",
    "and",
    "never",
    "always",
    "still",
];
const TIME_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "tonight",
    "earlier",
    "later",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "evening",
    "afternoon",
    "night",
    "week",
    "month",
    "year",
    "weekend",
];
const TIME_LEADS: &[&str] = &["on", "last", "this", "next", "late", "early", "on"];
const ADJUNCT_HEADS: &[&str] = &[
    "statement",
    "interview",
    "conference",
    "briefing",
    "speech",
    "letter",
    "post",
    "blog",
    "tweet",
    "email",
    "message",
    "appearance",
    "address",
    "op-ed",
    "video",
    "broadcast",
    "report",
];
const ADDRESSEES: &[&str] = &[
    "reporters",
    "journalists",
    "me",
    "us",
    "him",
    "her",
    "them",
    "parliament",
    "lawmakers",
    "supporters",
    "delegates",
    "listeners",
    "viewers",
    "students",
    "residents",
    "members",
];
const AUXILIARIES: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "can",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "be",
    "isn't",
    "wasn't",
    "won't",
    "can't",
    "didn't",
    "doesn't",
    "hasn't",
    "haven't",
    "wouldn't",
    "couldn't",
    "shouldn't",
    "aren't",
    "weren't",
];
const NAME_CONNECTORS: &[&str] = &[
    "de", "da", "di", "van", "von", "bin", "al", "el", "la", "le", "du", "del", "of", "for", "the",
];
const NOT_CLAUSE_STARTS: &[&str] = &[
    "to", "so", "yes", "no", "goodbye", "sorry", "hello", "thank", "thanks", "nothing", "as",
];

const GROUP_HEADS: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "party",
    "company",
    "firm",
    "alliance",
    "coalition",
    "agency",
    "ministry",
    "militia",
    "network",
    "front",
    "union",
    "council",
];

/// `NGOs`, `MPs`: a class of things, not the name of one.
fn is_plural_acronym(word: &str) -> bool {
    word.len() > 2
        && word.ends_with('s')
        && word.trim_end_matches('s').chars().all(char::is_uppercase)
}

fn is_group_head(description: &str) -> bool {
    description
        .split_whitespace()
        .last()
        .is_some_and(|w| GROUP_HEADS.contains(&w.to_lowercase().as_str()))
}

/// A quote already resolved: speaker, speaker is a person, last sentence, outlet, addressee.
type HistoryEntry = (Option<Speaker>, bool, usize, Option<Outlet>, bool);

/// What the outlet rules need to know about a resolved quote.
#[derive(Debug, Clone)]
struct QuoteFacts {
    /// The speaker as a carry-over key ([`speaker_key`]).
    key: String,
    /// The outlet was named for this quote itself as the recipient of its cue (`tells X`).
    own_outlet: bool,
    /// The cue names a non-outlet addressee (`told reporters`).
    addressee: bool,
    sentence: usize,
}

/// The key under which a speaker's interview outlet is remembered: the last word of the
/// name (`Trump` for `Donald Trump`), else the phrase (`the sources`).
fn speaker_key(
    speaker: Option<&Speaker>,
    phrase: Option<&SpeakerPhrase>,
    doc: &Document,
) -> String {
    match (speaker, phrase) {
        (Some(s), _) => name_key(&s.name),
        (None, Some(SpeakerPhrase::Description { text, .. })) => text.to_lowercase(),
        (None, Some(SpeakerPhrase::Pronoun { range, .. })) => doc.slice(*range).to_lowercase(),
        _ => String::new(),
    }
}

fn name_key(name: &str) -> String {
    strip_possessive(name.split_whitespace().last().unwrap_or(""))
        .trim_end_matches(['.', ','])
        .to_lowercase()
}

/// The lede of an interview: a statement reported just before (up to two sentences) the
/// sentence that names the outlet, by the same speaker, with no outlet or addressee of its
/// own, comes from the same interview (`X says ... . "...," X tells China Daily.`).
fn lede_outlets(quotes: &mut [Quote], facts: &[QuoteFacts]) {
    for i in 0..quotes.len() {
        let (Some(fact), Some(outlet)) =
            (facts.get(i), quotes.get(i).and_then(|q| q.outlet.clone()))
        else {
            continue;
        };
        if !fact.own_outlet || fact.key.is_empty() {
            continue;
        }
        for j in (0..i).rev() {
            let (Some(earlier), Some(q)) = (facts.get(j), quotes.get_mut(j)) else {
                break;
            };
            if earlier.sentence + 2 < fact.sentence || q.outlet.is_some() || earlier.addressee {
                break;
            }
            if earlier.key == fact.key {
                q.outlet = Some(outlet.clone());
            }
        }
    }
}

/// One token seen as a word.
#[derive(Debug, Clone)]
struct Word<'a> {
    range: TextRange,
    text: &'a str,
    lower: String,
    quoted: bool,
    sentence: usize,
    verb: bool,
    tag: Option<PosTag>,
}

impl Word<'_> {
    fn is_alpha(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }
    fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
    fn is(&self, p: &str) -> bool {
        self.text == p
    }
}

/// The phrase that names a speaker.
#[derive(Debug, Clone)]
enum SpeakerPhrase {
    /// A name (`Ali Nazary`), with the range of the name.
    Name(String, TextRange),
    /// A pronoun; `person` for he/she/I.
    Pronoun { range: TextRange, person: bool },
    /// A description (`the 32-year-old resistance leader`, `The group`).
    Description {
        text: String,
        range: TextRange,
        definite: bool,
        role: bool,
        /// The head noun, lowercase (`office` in `the Fund's press office`).
        head: String,
        /// A possessor inside the description (`Fund` in `the Fund's press office`).
        possessor: Option<String>,
    },
}

/// A quote before speakers are resolved.
#[derive(Debug, Clone)]
struct Candidate {
    content: TextRange,
    kind: QuoteKind,
    cue: Option<TextRange>,
    phrase: Option<SpeakerPhrase>,
    outlet: Option<Outlet>,
    /// The cue names an addressee that is not an outlet (`told reporters`): no outlet carry-over.
    addressee: bool,
    sentence: usize,
    /// Partial quote inside a title or a name, to drop unless attributed.
    unattributed_ok: bool,
}

#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    name: String,
    person: bool,
    entity: Option<u32>,
}

struct Analysis<'a, 'l> {
    doc: &'a Document,
    lex: &'l Lexicon,
    words: Vec<Word<'a>>,
    lower: Vec<String>,
    sentence_words: Vec<std::ops::Range<usize>>,
    marked: Vec<Marked>,
}

/// Scraping turned some spaces into hyphens (`Sturgeon-said it`, `Santos-told`): a token
/// whose hyphen-joined part is a speech verb is seen as separate words, the verb marked as
/// a verb. `so-called` and other compounds without a speech verb stay whole.
fn split_hyphen_dirt(doc: &Document, lex: &Lexicon, range: TextRange) -> Vec<(TextRange, bool)> {
    let text = doc.slice(range);
    let parts: Vec<&str> = text.split('-').collect();
    let is_cue = |p: &str| {
        lex.cue_at(&[p.to_lowercase()], 0)
            .is_some_and(|(len, class)| len == 1 && class != CueClass::Direct)
    };
    // `a newspaper-he insists is`: a subject pronoun glued after a word is dirt too (English
    // compounds put a pronoun first: `she-wolf`).
    let pronoun_after = parts.len() == 2
        && parts.first().is_some_and(|p| p.len() > 2)
        && parts
            .get(1)
            .is_some_and(|p| matches!(p.to_lowercase().as_str(), "he" | "she" | "they" | "we"));
    let splits = parts.len() > 1
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic))
        && !parts.first().is_some_and(|p| p.eq_ignore_ascii_case("so"))
        && (pronoun_after || parts.iter().skip(1).any(|p| is_cue(p)));
    if !splits {
        return vec![(range, false)];
    }
    let mut out = Vec::new();
    let mut offset = range.start();
    for part in parts {
        out.push((TextRange::new(offset, offset + part.len()), is_cue(part)));
        offset += part.len() + 1;
    }
    out
}

/// Finds the quotes of a document; the result is in text order.
pub fn find_quotes(doc: &Document, lex: &Lexicon) -> Vec<Quote> {
    let marked = find_marked(doc.text());
    let analysis = Analysis::new(doc, lex, marked);
    let reported = analysis.reported_candidates();
    let mut candidates = analysis.marked_candidates(&reported);
    candidates.extend(reported);
    candidates.sort_by_key(|c| (c.content.start(), std::cmp::Reverse(c.content.end())));
    candidates.dedup_by(|a, b| a.content == b.content);
    analysis.resolve(candidates)
}

impl<'a, 'l> Analysis<'a, 'l> {
    fn new(doc: &'a Document, lex: &'l Lexicon, marked: Vec<Marked>) -> Self {
        let spans: Vec<TextRange> = marked
            .iter()
            .map(|m| TextRange::new(m.open.start(), m.close.end().max(m.content.end())))
            .collect();
        let mut words = Vec::with_capacity(doc.tokens.len());
        for token in &doc.tokens {
            let text = doc.slice(token.range);
            if text.trim().is_empty() {
                continue;
            }
            let quoted = spans.iter().any(|s| s.contains_range(token.range));
            let sentence = doc.sentence_at(token.range.start()).unwrap_or_else(|| {
                doc.sentences
                    .partition_point(|s| s.range.end() <= token.range.start())
            });
            for (range, verb) in split_hyphen_dirt(doc, lex, token.range) {
                let text = doc.slice(range);
                words.push(Word {
                    range,
                    text,
                    lower: text.to_lowercase(),
                    quoted,
                    sentence,
                    verb: verb || token.tag.is_some_and(|t| t.is_verb()),
                    tag: if verb { Some(PosTag::VBD) } else { token.tag },
                });
            }
        }
        let lower = words.iter().map(|w| w.lower.clone()).collect();
        let count = doc
            .sentences
            .len()
            .max(words.last().map_or(0, |w| w.sentence + 1));
        let mut sentence_words = vec![0..0; count];
        let mut i = 0;
        while i < words.len() {
            let s = words.get(i).map_or(0, |w| w.sentence);
            let mut j = i;
            while words.get(j).is_some_and(|w| w.sentence == s) {
                j += 1;
            }
            if let Some(slot) = sentence_words.get_mut(s) {
                *slot = i..j;
            }
            i = j.max(i + 1);
        }
        Analysis {
            doc,
            lex,
            words,
            lower,
            sentence_words,
            marked,
        }
    }

    fn word(&self, i: usize) -> Option<&Word<'a>> {
        self.words.get(i)
    }

    /// Index of the first word starting at or after `offset`.
    fn word_at_or_after(&self, offset: usize) -> usize {
        self.words.partition_point(|w| w.range.start() < offset)
    }

    fn sentence_range(&self, s: usize) -> std::ops::Range<usize> {
        self.sentence_words.get(s).cloned().unwrap_or(0..0)
    }

    /// A cue at word `i` that is used as a speech verb (not `so-called`, not passive `was told`).
    fn cue_at(&self, i: usize) -> Option<(usize, CueClass)> {
        let w = self.word(i)?;
        if w.quoted || !w.is_alpha() || (w.is_capitalized() && w.lower != "according") {
            return None;
        }
        let (len, class) = self.lex.cue_at(&self.lower, i)?;
        let prev = i.checked_sub(1).and_then(|p| self.word(p));
        let prev2 = i.checked_sub(2).and_then(|p| self.word(p));
        // `have been widely reported`: an adverb between the auxiliary and the participle.
        let (prev, prev2) = match prev {
            Some(p) if p.lower.ends_with("ly") && p.lower.len() > 3 => {
                (prev2, i.checked_sub(3).and_then(|q| self.word(q)))
            }
            _ => (prev, prev2),
        };
        // `a laser warning system`: a participle cue after a noun modifies it. As a verb it
        // follows a comma, a conjunction or preposition, an auxiliary, an adverb or a name.
        if w.lower.ends_with("ing")
            && let Some(p) = prev
            && p.is_alpha()
            && !p.is_capitalized()
            && !p.lower.ends_with("ly")
            && !self.lex.in_class("participle_lead", &p.lower)
            && !SKIPPABLE_BEFORE_CUE.contains(&p.lower.as_str())
            && !PRONOUNS_PERSON.contains(&p.lower.as_str())
            && !PRONOUNS_GROUP.contains(&p.lower.as_str())
            && !AUXILIARIES.contains(&p.lower.as_str())
        {
            return None;
        }
        if let Some(p) = prev {
            // A hyphen before the cue makes a compound (`so-called`) or is a dash (`"buy" -
            // adding`), except the scraping dirt for a space glued between a closing mark
            // or comma and the cue (`,"-said Ms Quilligan`).
            let dirt = p.is("-")
                && p.range.end() == w.range.start()
                && prev2.is_some_and(|q| q.range.end() == p.range.start() && !q.is_alpha());
            let passive = ((p.is("-") && !dirt)
                || matches!(
                    p.lower.as_str(),
                    "was" | "were" | "been" | "is" | "are" | "be" | "being" | "the" | "a" | "so"
                ))
                && class != CueClass::Source;
            if passive || (p.is("-") && prev2.is_some_and(|q| q.lower == "so")) {
                return None;
            }
        }
        if w.lower.starts_with("so-") {
            return None;
        }
        // `went on a rampage`, `goes on the offensive`: a phrasal cue (`went on`) with a noun
        // phrase after it is no speech verb; as a cue it takes a quote, a colon or `to say`.
        if class == CueClass::Direct
            && len > 1
            && self
                .word(i + len - 1)
                .is_some_and(|last| last.lower == "on")
            && self.word(i + len).is_some_and(|n| {
                matches!(
                    n.lower.as_str(),
                    "a" | "an" | "the" | "his" | "her" | "their" | "its" | "our" | "my"
                )
            })
        {
            return None;
        }
        // `the plan, announced by the premier`: a passive participle.
        if class != CueClass::Source && self.word(i + len).is_some_and(|n| n.lower == "by") {
            return None;
        }
        // `it's safe to say`, `needless to say`: a hedge of the writer, not a report.
        if prev.is_some_and(|p| p.lower == "to")
            && prev2.is_some_and(|q| self.lex.in_class("hedge_before_to", &q.lower))
        {
            return None;
        }
        Some((len, class))
    }

    // ---- names ----------------------------------------------------------------------------

    /// Capitalized name runs in `words[from..to]` (outside quotes), titles stripped.
    fn name_runs(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut i = from;
        while i < to {
            let Some(w) = self.word(i) else { break };
            let starts = !w.quoted && w.is_capitalized() && w.is_alpha();
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < to {
                let Some(n) = self.word(j) else { break };
                if n.quoted {
                    break;
                }
                if n.is_capitalized() && n.is_alpha() {
                    if strip_possessive(self.word(j - 1).map_or("", |p| p.text))
                        != self.word(j - 1).map_or("", |p| p.text)
                    {
                        break; // `Venezuela's President`: a possessive ends a name
                    }
                    j += 1;
                    continue;
                }
                let connects = NAME_CONNECTORS.contains(&n.lower.as_str())
                    && n.text.chars().next().is_some_and(char::is_lowercase)
                    && self
                        .word(j + 1)
                        .is_some_and(|x| !x.quoted && x.is_capitalized() && x.is_alpha())
                    && j + 1 < to;
                if connects {
                    j += 2;
                    continue;
                }
                break;
            }
            // Strip leading function words and titles; split after the last role word.
            let mut a = i;
            let mut b = j;
            while a < b
                && self.word(a).is_some_and(|w| {
                    self.lex.is_function_word(w.text) || NAME_CONNECTORS.contains(&w.lower.as_str())
                })
            {
                a += 1;
            }
            if let Some(last_role) = (a..b).rev().find(|&k| {
                self.word(k)
                    .is_some_and(|w| self.lex.is_role(strip_possessive(w.text)))
            }) {
                if last_role > a {
                    runs.push((a, last_role));
                }
                a = last_role + 1;
            }
            while b > a
                && self.word(b - 1).is_some_and(|w| {
                    NAME_CONNECTORS.contains(&w.lower.as_str()) || self.lex.is_function_word(w.text)
                })
            {
                b -= 1;
            }
            if a < b {
                runs.push((a, b));
            }
            i = j;
        }
        runs
    }

    fn run_text(&self, a: usize, b: usize) -> (String, TextRange) {
        let (Some(first), Some(last)) = (self.word(a), self.word(b.saturating_sub(1))) else {
            return (String::new(), TextRange::default());
        };
        let range = TextRange::new(first.range.start(), last.range.end());
        let text = self.doc.slice(range);
        let text = strip_possessive(text.trim());
        let end = range.start() + text.len();
        (text.to_string(), TextRange::new(range.start(), end))
    }

    fn run_is_person(&self, a: usize, b: usize) -> bool {
        let (text, _) = self.run_text(a, b);
        if self.lex.canonical_outlet(&text).is_some() {
            return false;
        }
        let org = (a..b).any(|k| {
            self.word(k)
                .is_some_and(|w| self.lex.is_org_word(strip_possessive(w.text)))
        });
        let all_caps = (a..b).all(|k| {
            self.word(k).is_some_and(|w| {
                w.text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
            })
        });
        // `Federal Department of Foreign Affairs of Switzerland`: `of`, `for` and `the` join
        // the words of institutions, not of personal names (`bin`, `van`, `de` do).
        let institution = (a + 1..b).any(|k| {
            self.word(k)
                .is_some_and(|w| matches!(w.lower.as_str(), "of" | "for" | "the" | "and"))
        });
        // `Taliban spokesman`, `Project Head Dmitry Uspensky`: a name before a role word
        // names the speaker's organization, not the speaker.
        let before_role = self
            .word(b)
            .is_some_and(|w| !w.quoted && self.lex.is_role(strip_possessive(w.text)));
        !org && !all_caps && !institution && !before_role && !self.is_modifier(a, b)
    }

    /// `the Russian diplomat`, `Australian coast`, `French woman`: a single capitalized word
    /// shaped like a nationality adjective (`-an`, `-ian`, `-ese`, `-ish`, `-i`, `-ch`) and
    /// followed by a lowercase noun modifies that noun; it is not a name.
    fn is_modifier(&self, a: usize, b: usize) -> bool {
        let (Some(w), Some(next)) = (self.word(a), self.word(b)) else {
            return false;
        };
        let adjective_shape = ["an", "ese", "ish", "i", "ch"]
            .iter()
            .any(|suffix| w.text.ends_with(suffix));
        b == a + 1
            && adjective_shape
            && next.is_alpha()
            && !next.quoted
            && next.text.chars().next().is_some_and(char::is_lowercase)
            && !self.is_verb_like(b)
            && self.cue_at(b).is_none()
            && !SKIPPABLE_BEFORE_CUE.contains(&next.lower.as_str())
            && !matches!(
                next.lower.as_str(),
                "of" | "in"
                    | "on"
                    | "at"
                    | "to"
                    | "for"
                    | "with"
                    | "from"
                    | "who"
                    | "as"
                    | "by"
                    | "or"
                    | "told"
                    | "said"
                    | "says"
            )
    }

    /// Name mentions outside quotes, in text order, clustered by last name.
    fn mentions(&self) -> Vec<Mention> {
        let mut out = Vec::new();
        if !self.doc.entities.is_empty() {
            for (index, e) in self.doc.entities.iter().enumerate() {
                let person = e.label == EntityLabel::Person;
                let group = matches!(
                    e.label,
                    EntityLabel::Org | EntityLabel::Norp | EntityLabel::Gpe
                );
                let quoted = self
                    .marked
                    .iter()
                    .any(|m| m.content.contains_range(e.range));
                if (person || group) && !quoted {
                    out.push(Mention {
                        start: e.range.start(),
                        name: e.canonical.clone(),
                        person,
                        entity: u32::try_from(index).ok(),
                    });
                }
            }
            return out;
        }
        let mut clusters: HashMap<String, String> = HashMap::new();
        for (a, b) in self.name_runs(0, self.words.len()) {
            let (text, range) = self.run_text(a, b);
            if text.is_empty() {
                continue;
            }
            let sentence_initial = a
                == self
                    .sentence_range(self.word(a).map_or(0, |w| w.sentence))
                    .start;
            let last = text.split_whitespace().last().unwrap_or("").to_string();
            let known = clusters.get(&last).cloned();
            let multi = b - a >= 2;
            let plain_word =
                !text.contains(['-', '.']) && !text.chars().any(|c| c.is_ascii_digit());
            let person = self.run_is_person(a, b)
                && (multi || known.is_some() || (!sentence_initial && plain_word));
            let name = match known {
                Some(canonical) if person => canonical,
                _ => {
                    if person && multi {
                        clusters.insert(last, text.clone());
                    }
                    text
                }
            };
            out.push(Mention {
                start: range.start(),
                name,
                person,
                entity: None,
            });
        }
        out
    }

    fn canonical_name(
        &self,
        mentions: &[Mention],
        text: &str,
        range: TextRange,
    ) -> (String, Option<u32>) {
        // The entity layer may cut a name or take it into an organization before it
        // (`Irish Traveller Movement Brigid` + `Quilligan`): an entity names the speaker only
        // when it reaches the phrase's last word, when that word is a name.
        let last_capitalized = text
            .split_whitespace()
            .last()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        let cut = last_capitalized
            && self.doc.entities.iter().any(|e| e.range.overlaps(range))
            && !self
                .doc
                .entities
                .iter()
                .any(|e| e.range.overlaps(range) && e.range.end() >= range.end());
        if cut {
            return (self.complete_name(mentions, text, range), None);
        }
        // Of the entity mentions in the phrase, the one that reaches its end is the head
        // (`the City of Baton Rouge Sharon Weston Broome`), else the first.
        let inside = || {
            mentions.iter().filter(|m| {
                m.start >= range.start()
                    && m.start < range.end().max(range.start() + 1)
                    && m.entity.is_some()
            })
        };
        let reaches_end = |m: &&Mention| {
            m.entity
                .and_then(|i| self.doc.entities.get(i as usize))
                .is_some_and(|e| e.range.end() >= range.end())
        };
        if let Some(m) = inside().find(reaches_end).or_else(|| inside().next()) {
            return (m.name.clone(), m.entity);
        }
        if let Some(e) = self
            .doc
            .entities
            .iter()
            .enumerate()
            .find(|(_, e)| e.range.overlaps(range))
        {
            return (e.1.canonical.clone(), u32::try_from(e.0).ok());
        }
        if let Some(full) = self.expand_acronym(mentions, text) {
            return (full, None);
        }
        (self.complete_name(mentions, text, range), None)
    }

    /// A short name completed by an earlier person mention with the same last name
    /// (`Stelter` → `Brian Stelter`), else the name as written.
    fn complete_name(&self, mentions: &[Mention], text: &str, range: TextRange) -> String {
        let last = text.split_whitespace().last().unwrap_or("");
        let earlier = mentions.iter().find(|m| {
            m.person
                && m.start <= range.start()
                && m.name.split_whitespace().last() == Some(last)
                && m.name.split_whitespace().count() > 1
        });
        match earlier {
            Some(m) if text.split_whitespace().count() < m.name.split_whitespace().count() => {
                m.name.clone()
            }
            _ => text.to_string(),
        }
    }

    /// The full name of a short name when the article gives it: defined in parentheses
    /// (`the International Rescue Committee (IRC)`), made of the initials of a name in the
    /// article (`KVERT` for `Kamchatka Volcanic Eruption Response Team`), or a well-known
    /// abbreviation (`word_classes.tsv`) whose full name the article uses (`VW`, `Volkswagen`).
    fn expand_acronym(&self, mentions: &[Mention], short: &str) -> Option<String> {
        let letters: String = short.chars().filter(|c| *c != '.').collect();
        let acronym = (2..=6).contains(&letters.chars().count())
            && letters
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit());
        if !acronym {
            return None;
        }
        // `Full Name (SHORT)`
        let defined = (1..self.words.len()).find(|&k| {
            self.word(k).is_some_and(|w| w.text == short)
                && self.word(k - 1).is_some_and(|w| w.is("("))
                && self.word(k + 1).is_some_and(|w| w.is(")"))
        });
        if let Some(k) = defined {
            let open = k - 1;
            let bound = self
                .word(open)
                .map_or(0, |w| self.sentence_range(w.sentence).start);
            if let Some(&(a, b)) = self.name_runs(bound, open).last()
                && b == open
            {
                let (name, _) = self.run_text(a, b);
                if name.split_whitespace().count() >= 1 && name != short {
                    return Some(name);
                }
            }
        }
        let initials = |name: &str| -> String {
            name.split_whitespace()
                .filter(|w| !NAME_CONNECTORS.contains(&w.to_lowercase().as_str()) && *w != "and")
                .filter_map(|w| w.chars().next())
                .collect()
        };
        if let Some(m) = mentions
            .iter()
            .find(|m| m.name.split_whitespace().count() >= 2 && initials(&m.name) == letters)
        {
            return Some(m.name.clone());
        }
        let full = self.lex.expand_abbreviation(short)?;
        self.doc.text().contains(full).then(|| full.to_string())
    }

    // ---- speaker phrases --------------------------------------------------------------------

    /// The speaker phrase in `words[from..to]` (a subject before a cue or a name after it).
    fn phrase_in(&self, from: usize, to: usize, after_cue: bool) -> Option<SpeakerPhrase> {
        let mut from = from;
        let mut to = to;
        // Unquoted alphabetic words only.
        let alpha = |k: usize| self.word(k).is_some_and(|w| !w.quoted && w.is_alpha());
        while from < to && !alpha(from) {
            from += 1;
        }
        if !after_cue {
            while to > from
                && self.word(to - 1).is_some_and(|w| {
                    !w.is_alpha() && !w.is(",") || SKIPPABLE_BEFORE_CUE.contains(&w.lower.as_str())
                })
            {
                to -= 1;
            }
        }
        // `Later she told`, `Then Smith said`: a leading adverb is not the subject.
        let has_comma = (from..to).any(|k| self.word(k).is_some_and(|w| w.is(",") && !w.quoted));
        while !after_cue
            && !has_comma
            && from + 1 < to
            && self.word(from).is_some_and(|w| {
                SKIPPABLE_BEFORE_CUE.contains(&w.lower.as_str())
                    || TIME_WORDS.contains(&w.lower.as_str())
            })
        {
            from += 1;
        }
        if from >= to {
            return None;
        }
        // A leading phrase (`In an op-ed he penned ..., the leader wrote`) ends at its comma.
        let first = self.word(from)?;
        let capitalized_first = {
            let mut chars = first.text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        let leading_phrase = !after_cue
            && (first.lower.ends_with("ing")
                || (self.lex.is_function_word(&capitalized_first)
                    && !PRONOUNS_PERSON.contains(&first.lower.as_str())
                    && !PRONOUNS_GROUP.contains(&first.lower.as_str())
                    && !matches!(
                        first.lower.as_str(),
                        "the" | "a" | "an" | "this" | "his" | "her" | "their" | "its"
                    )));
        // The comma may sit inside a quoted show name (`Appearing on "Newsroom,"`).
        let quoted_comma = |k: usize| {
            self.word(k).is_some_and(|w| w.is(",") && w.quoted)
                && self.word(k + 1).is_some_and(|n| {
                    n.text.starts_with(['"', '”', '’']) || !n.quoted && n.is_alpha()
                })
        };
        if leading_phrase
            && let Some(comma) = (from..to)
                .find(|&k| self.word(k).is_some_and(|w| w.is(",") && !w.quoted) || quoted_comma(k))
        {
            from = comma + 1;
            while from < to && !alpha(from) {
                from += 1;
            }
        }
        // The phrase up to its first comma; the rest is an appositive. Of coordinated
        // subjects (`Save the Children and Doctors Without Borders said`), the first speaks.
        let mut end = (from..to)
            .find(|&k| {
                self.word(k).is_some_and(|w| {
                    !w.quoted
                        && (w.is(",")
                            || (!after_cue
                                && w.lower == "and"
                                && k > from
                                // `Mayor of X and the City of Y Jane Doe`: one title.
                                && !(from..k).any(|j| self.word(j).is_some_and(|p| p.lower == "of"))))
                })
            })
            .unwrap_or(to);
        if after_cue {
            // `said security firm Lookout in a blog`: a preposition ends the name.
            if let Some(p) = (from + 1..end).find(|&k| {
                self.word(k).is_some_and(|w| {
                    matches!(
                        w.lower.as_str(),
                        "in" | "on" | "at" | "during" | "after" | "to" | "when" | "who" | "while"
                    )
                })
            }) {
                end = p;
            }
        }
        if from >= end {
            return None;
        }
        let first = self.word(from)?;
        if end - from == 1 || (after_cue && PRONOUNS_PERSON.contains(&first.lower.as_str())) {
            let l = first.lower.as_str();
            if PRONOUNS_PERSON.contains(&l) || PRONOUNS_GROUP.contains(&l) {
                return Some(SpeakerPhrase::Pronoun {
                    range: first.range,
                    person: PRONOUNS_PERSON.contains(&l),
                });
            }
        }
        if !after_cue && PRONOUNS_PERSON.contains(&first.lower.as_str()) && end - from <= 2 {
            return Some(SpeakerPhrase::Pronoun {
                range: first.range,
                person: true,
            });
        }
        if let Some(description) = self.determined_description(from, end) {
            return Some(description);
        }
        let runs = self.name_runs(from, end);
        let outlet_run = |a: usize, b: usize| {
            let (t, _) = self.run_text(a, b);
            self.lex.canonical_outlet(&t).is_some()
                && self.word(b).is_some_and(|w| self.lex.is_role(w.text))
        };
        if let Some(&(a, b)) = runs.iter().rev().find(|&&(a, b)| !outlet_run(a, b)) {
            let (mut text, mut range) = self.run_text(a, b);
            // `Israeli police`: a lowercase noun closing the phrase belongs to the name.
            if b + 1 == end
                && self.word(b).is_some_and(|w| {
                    w.is_alpha()
                        && !w.is_capitalized()
                        && !self.lex.is_role(w.text)
                        && !SKIPPABLE_BEFORE_CUE.contains(&w.lower.as_str())
                        && !AUXILIARIES.contains(&w.lower.as_str())
                })
                && !self.run_is_person(a, b)
                && let Some(w) = self.word(b)
            {
                range = TextRange::new(range.start(), w.range.end());
                text = self.doc.slice(range).to_string();
            }
            return Some(SpeakerPhrase::Name(text, range));
        }
        // A description: `the 32-year-old resistance leader`, `a security official`, `police`.
        let (Some(f), Some(l)) = (self.word(from), self.word(end - 1)) else {
            return None;
        };
        if end - from > 8
            || (end - from > 1
                && (from..end).any(|k| {
                    self.word(k)
                        .is_some_and(|w| AUXILIARIES.contains(&w.lower.as_str()))
                }))
        {
            return None;
        }
        let range = TextRange::new(f.range.start(), l.range.end());
        Some(self.description(from, end, range))
    }

    /// `the Russian diplomat`, `the Fund's press office`, `its security researchers`, `The
    /// NGOs`: a determiner (or `its`/`their`) and a common-noun head, whatever capitalized
    /// modifiers come between, is a description to resolve, not a name.
    fn determined_description(&self, from: usize, end: usize) -> Option<SpeakerPhrase> {
        let first = self.word(from)?;
        let head = self.word(end.checked_sub(1)?)?;
        let determiner = matches!(
            first.lower.as_str(),
            "the" | "this" | "its" | "their" | "a" | "an"
        );
        let plural_acronym = is_plural_acronym(head.text);
        let common_head = head.is_alpha()
            && (head.text.chars().next().is_some_and(char::is_lowercase) || plural_acronym);
        let clean = (from..end).all(|k| {
            self.word(k).is_some_and(|w| {
                !w.quoted
                    && !AUXILIARIES.contains(&w.lower.as_str())
                    && (w.is_alpha() || matches!(w.text, "-" | "'s" | "’s" | "'" | "’"))
            })
        });
        if !determiner || !common_head || end - from < 2 || end - from > 7 || !clean {
            return None;
        }
        let range = TextRange::new(first.range.start(), head.range.end());
        Some(self.description(from, end, range))
    }

    fn description(&self, from: usize, end: usize, range: TextRange) -> SpeakerPhrase {
        let head = self
            .word(end.saturating_sub(1))
            .map(|w| strip_possessive(&w.lower).to_string())
            .unwrap_or_default();
        let role = self.lex.is_role(&head) || self.lex.in_class("person_description", &head);
        // `Fund's` as one token, or `Fund` + `'s` (tokenizers differ).
        let possessor = (from..end.saturating_sub(1)).find_map(|k| {
            let w = self.word(k)?;
            let stem = strip_possessive(w.text);
            let split_possessive = self
                .word(k + 1)
                .is_some_and(|n| matches!(n.text, "'s" | "’s" | "'" | "’"));
            ((stem.len() < w.text.len() || split_possessive) && w.is_capitalized())
                .then(|| stem.to_string())
        });
        let first = self.word(from).map_or("", |w| w.lower.as_str());
        SpeakerPhrase::Description {
            text: self.doc.slice(range).to_string(),
            range,
            definite: matches!(first, "the" | "this" | "its" | "their"),
            role,
            head,
            possessor,
        }
    }

    /// The outlet named outside `exclude` in `words[from..to]`, nearest to `near`: only an
    /// outlet the statement is given to or published in (`told the BBC`, `on Twitter`,
    /// `according to TASS`, `in an op-ed for the Washington Post`), never a bare mention.
    fn outlet_in(&self, from: usize, to: usize, exclude: TextRange, near: usize) -> Option<Outlet> {
        let mut best: Option<(usize, Outlet)> = None;
        for k in from..to {
            let Some(w) = self.word(k) else { break };
            if w.quoted || exclude.contains_range(w.range) || !self.outlet_governed(k) {
                continue;
            }
            let Some((name, len)) = self.outlet_phrase_at(k, to) else {
                continue;
            };
            let last = k + len - 1;
            if self
                .word(last)
                .is_some_and(|l| l.quoted || exclude.contains_range(l.range))
            {
                continue;
            }
            // `told CNN host Jake Tapper` gives CNN; `on CNN's Brian Stelter` is an employer.
            let lead_tells = self
                .word(k.saturating_sub(1))
                .is_some_and(|p| matches!(p.lower.as_str(), "told" | "tells" | "tell" | "telling"));
            let employer = !lead_tells
                && self.word(last + 1).is_some_and(|n| {
                    self.lex.is_role(n.text)
                        || matches!(
                            n.lower.as_str(),
                            "media" | "reporter" | "host" | "anchor" | "writers" | "contributed"
                        )
                });
            let (Some(first), Some(end)) = (self.word(k), self.word(last)) else {
                continue;
            };
            if employer {
                continue;
            }
            let distance = k.abs_diff(near);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((
                    distance,
                    Outlet {
                        name,
                        range: TextRange::new(first.range.start(), end.range.end()),
                    },
                ));
            }
        }
        best.map(|(_, o)| o)
    }

    /// A listed outlet spelled with the scraping dirt `?` for a lost letter (`RT?'s` for
    /// `RTÉ's`), which the tokenizer splits: the touching pieces are joined before matching.
    fn dirty_outlet_at(&self, j: usize) -> Option<(&str, usize)> {
        let mut joined = Vec::new();
        let mut counts = Vec::new();
        let mut k = j;
        while joined.len() < 6 {
            let Some(w) = self.word(k) else { break };
            let mut text = w.text.to_string();
            let mut end = w.range.end();
            let mut n = 1;
            while let Some(next) = self.word(k + n)
                && next.range.start() == end
                && (next.is("?") || self.word(k + n - 1).is_some_and(|p| p.is("?")))
            {
                text.push_str(next.text);
                end = next.range.end();
                n += 1;
            }
            joined.push(text);
            counts.push(n);
            k += n;
        }
        if counts.iter().all(|&n| n == 1) {
            return None;
        }
        let texts: Vec<&str> = joined.iter().map(String::as_str).collect();
        let (name, len) = self.lex.outlet_at(&texts, 0)?;
        Some((name, counts.iter().take(len).sum()))
    }

    /// True when the word before `k` (an article skipped) makes what starts at `k` the
    /// recipient or medium of a statement (`word_classes.tsv`: `outlet_lead`, `outlet_for_head`).
    fn outlet_governed(&self, k: usize) -> bool {
        let Some(prev) = k.checked_sub(1).and_then(|p| self.word(p)) else {
            return false;
        };
        if prev.quoted {
            return false;
        }
        if self.lex.in_class("outlet_lead", &prev.lower) {
            return true;
        }
        // `When reached by CNN`, `interviewed by the BBC`; not `obtained by ABC News`.
        if prev.lower == "by"
            && k.checked_sub(2)
                .and_then(|p| self.word(p))
                .is_some_and(|w| self.lex.in_class("outlet_by_head", &w.lower))
        {
            return true;
        }
        prev.lower == "for"
            && (k.saturating_sub(5)..k - 1).any(|j| {
                self.word(j)
                    .is_some_and(|w| self.lex.in_class("outlet_for_head", &w.lower))
            })
    }

    /// The outlet phrase starting at word `k` (an article allowed first): its canonical
    /// name and length in words. A listed outlet (`outlets.tsv`, with a trailing `news
    /// agency` or medium word), or a name next to a medium word (`the Izvestia newspaper`,
    /// `the Catalan language website Regio 7`).
    fn outlet_phrase_at(&self, k: usize, to: usize) -> Option<(String, usize)> {
        let texts: Vec<&str> = self.words.iter().map(|w| w.text).collect();
        let mut j = k;
        if self.word(j).is_some_and(|w| {
            matches!(
                w.lower.as_str(),
                "the" | "a" | "an" | "his" | "her" | "their" | "its"
            )
        }) {
            j += 1;
        }
        let is_media = |i: usize| {
            self.word(i).is_some_and(|w| {
                !w.quoted && !w.is_capitalized() && self.lex.in_class("media", &w.lower)
            })
        };
        if let Some((name, len)) = self
            .lex
            .outlet_at(&texts, j)
            .or_else(|| self.dirty_outlet_at(j))
        {
            let mut end = j + len;
            while end < to && (is_media(end) || self.word(end).is_some_and(|w| w.lower == "news")) {
                end += 1;
            }
            return Some((name.to_string(), end - k));
        }
        // An unlisted outlet: a medium word with a name after or before it.
        let media = (j..(j + 5).min(to))
            .take_while(|&i| {
                self.word(i)
                    .is_some_and(|w| !w.quoted && (w.is_alpha() || w.is("-")))
            })
            .find(|&i| is_media(i))?;
        let is_name_word = |i: usize| {
            self.word(i).is_some_and(|w| {
                !w.quoted
                    && (w.is_capitalized() || w.text.chars().all(|c| c.is_ascii_digit()))
                    && w.is_alpha()
                    && !self.lex.is_function_word(w.text)
            })
        };
        let mut after = media + 1;
        while after < to && is_name_word(after) {
            after += 1;
        }
        if after > media + 1 && self.word(media + 1).is_some_and(|w| w.is_capitalized()) {
            let (name, _) = self.run_text(media + 1, after);
            return Some((name, after - k));
        }
        let mut before = media;
        while before > j && is_name_word(before - 1) {
            before -= 1;
        }
        if before < media {
            let (name, _) = self.run_text(before, media);
            return Some((name, media + 1 - k));
        }
        None
    }

    // ---- quoted stretches -------------------------------------------------------------------

    /// Quoted stretches; `reported` are the reported clauses, whose quoted words are the
    /// reported speaker's (`said the refugees cope with the "endless misery"`).
    fn marked_candidates(&self, reported: &[Candidate]) -> Vec<Candidate> {
        let text = self.doc.text();
        let mut out = Vec::new();
        for m in &self.marked {
            let content = m.content;
            if self.in_link_headline(m.open.start()) {
                continue;
            }
            let content_text = self.doc.slice(content);
            let word_count = content_text.split_whitespace().count();
            let open_word = self.word_at_or_after(m.open.start());
            let close_word = self.word_at_or_after(m.close.end().max(content.end()));
            let open_sentence = self
                .doc
                .sentence_at(m.open.start())
                .or_else(|| self.word(open_word).map(|w| w.sentence))
                .unwrap_or(0);
            let close_sentence = self
                .doc
                .sentence_at(content.end().saturating_sub(1))
                .unwrap_or(open_sentence);
            // What precedes the opening mark decides direct or partial.
            let before = text.get(..m.open.start()).unwrap_or("").trim_end();
            let prev_word = before
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let sentence_start = self
                .doc
                .sentences
                .get(open_sentence)
                .is_some_and(|s| s.range.start() >= m.open.start())
                || before.is_empty()
                || before.ends_with(['.', '!', '?', ':', '"', '”', '\n']);
            let after_cue = before.ends_with([',', '-', '—', ':'])
                || prev_word == "that"
                || self
                    .lex
                    .cue_at(
                        &[prev_word
                            .trim_matches(|c: char| !c.is_alphanumeric())
                            .to_string()],
                        0,
                    )
                    .is_some();
            let starts_upper = content_text
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(|c| c.is_uppercase() || c.is_numeric());
            let after = text.get(m.close.end()..).unwrap_or("").trim_start();
            let ends_sentence = after.is_empty()
                || after.starts_with(['.', '!', '\n'])
                || content_text.ends_with(['.', '!', '?'])
                || after.starts_with(',')
                    && self.trailing_cue(close_word, close_sentence).is_some();
            let kind = if (sentence_start || after_cue)
                && (starts_upper || ends_sentence)
                && (word_count >= 3 || ends_sentence)
            {
                QuoteKind::Direct
            } else {
                QuoteKind::Partial
            };
            // Titles and names in quotes (`"Beauty and the Beast"`) are never statements by themselves.
            let title_like = content_text
                .split_whitespace()
                .filter(|w| w.len() > 3)
                .all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                })
                && word_count <= 8
                && !content_text.ends_with(['.', '!', '?']);
            // Attribution: a cue after the quote, before it, or (partial) anywhere in the sentence.
            let mut cue = self.trailing_cue(close_word, close_sentence);
            // `"The building is safe." The inspectors left before noon, the council said`: a
            // quote that closes a sentence, then a clause with its own verb: the cue after
            // that clause is the clause's, not the quote's.
            if content_text.ends_with(['.', '!', '?'])
                && let Some((c, _, _)) = cue
                && (close_word..c).any(|k| {
                    self.is_verb_like(k)
                        && self
                            .word(k)
                            .is_some_and(|w| !SKIPPABLE_BEFORE_CUE.contains(&w.lower.as_str()))
                })
            {
                cue = None;
            }
            let mut phrase = None;
            if let Some((c, len, _)) = cue {
                phrase = self.trailing_phrase(close_word, c, len);
            }
            if phrase.is_none() {
                let leading = self
                    .leading_cue(open_word, open_sentence)
                    .filter(|&(c, _, _)| {
                        kind == QuoteKind::Direct || open_word.saturating_sub(c) <= 15
                    })
                    .filter(|&(c, _, _)| !title_like || open_word.saturating_sub(c) <= 4);
                if let Some((c, len, class)) = leading {
                    cue = Some((c, len, class));
                    let bound = self.sentence_range(open_sentence).start;
                    phrase = self
                        .subject_before(bound, c)
                        .or_else(|| self.phrase_after(c + len));
                }
            }
            if phrase.is_none() && kind == QuoteKind::Direct && ends_sentence {
                phrase = self.caption_after(close_word);
            }
            if phrase.is_none() && kind == QuoteKind::Partial {
                cue = None;
            }
            if phrase.is_none() && cue.is_some_and(|(_, _, class)| class == CueClass::Source) {
                cue = None;
            }
            let cue_range = cue.and_then(|(c, len, _)| self.span(c, c + len));
            let cue_sentence = cue
                .and_then(|(c, _, _)| self.word(c).map(|w| w.sentence))
                .unwrap_or(open_sentence);
            let range = self.sentence_range(cue_sentence);
            let near = cue.map_or(open_word, |(c, _, _)| c);
            let mut outlet = self.outlet_in(range.start, range.end, content, near);
            let tweeted =
                cue_range.is_some_and(|r| self.doc.slice(r).to_lowercase().starts_with("tweet"));
            if outlet.is_none() && tweeted {
                outlet = cue_range.map(|r| Outlet {
                    name: "Twitter".into(),
                    range: r,
                });
            }
            let addressee = cue.is_some_and(|(c, len, class)| {
                class == CueClass::Tell && self.word(c + len).is_some_and(|w| w.is_alpha())
            }) && outlet.is_none();
            // Quoted words inside a reported clause are the reported speaker's words.
            if kind == QuoteKind::Partial
                && phrase.is_none()
                && !title_like
                && let Some(clause) = reported
                    .iter()
                    .filter(|r| r.content.contains_range(content) && r.phrase.is_some())
                    .min_by_key(|r| r.content.len())
            {
                out.push(Candidate {
                    content,
                    kind,
                    sentence: open_sentence,
                    unattributed_ok: false,
                    ..clause.clone()
                });
                continue;
            }
            if cue.is_none() && kind == QuoteKind::Partial && (word_count <= 4 || title_like) {
                continue; // a scare quote or a nickname
            }
            if cue.is_none() && title_like {
                continue;
            }
            if kind == QuoteKind::Partial && cue.is_none() {
                continue;
            }
            out.push(Candidate {
                content,
                kind,
                cue: cue_range,
                phrase,
                outlet,
                addressee,
                sentence: open_sentence,
                unattributed_ok: kind == QuoteKind::Direct,
            });
        }
        out
    }

    /// True when `offset` lies in the headline of a link to another article (`READ MORE:
    /// Taliban kills eight police in 'insider attack'`): after a `link_marker` and its colon,
    /// on the same line, with no sentence end between.
    fn in_link_headline(&self, offset: usize) -> bool {
        let text = self.doc.text();
        let mut from = offset.saturating_sub(200);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let Some(before) = text.get(from..offset) else {
            return false;
        };
        let lower = before.to_lowercase();
        if lower.len() != before.len() {
            return false; // case folding moved the offsets: no safe slicing
        }
        let Some(start) = self
            .lex
            .class_words("link_marker")
            .filter_map(|marker| {
                lower
                    .rmatch_indices(&format!("{marker}:"))
                    .next()
                    .map(|(i, m)| i + m.len())
            })
            .max()
        else {
            return false;
        };
        let headline = before.get(start..).unwrap_or("");
        !headline.contains(['\n', '!', '?']) && !headline.contains(". ")
    }

    /// A quote box caption right after a closing mark: `"..." Geng Shuang, foreign ministry
    /// spokesman, speaking at ...` or `"..." Donald Trump, US president-elect, said on Jan 9`.
    /// A full name (two words or more) directly after the quote, then a comma or `in`/`at`,
    /// with no verb before that, names the speaker.
    fn caption_after(&self, from: usize) -> Option<SpeakerPhrase> {
        let first = self.word(from)?;
        if first.quoted || !first.is_capitalized() {
            return None;
        }
        let sentence_end = self.sentence_range(first.sentence).end.max(from + 1);
        let runs = self.name_runs(from, (from + 6).min(sentence_end));
        let &(a, b) = runs.first()?;
        let closes = self
            .word(b)
            .is_some_and(|w| w.is(",") || matches!(w.lower.as_str(), "in" | "at"));
        let only_name = (from..a).all(|k| {
            self.word(k)
                .is_some_and(|w| self.lex.is_role(strip_possessive(w.text)))
        });
        if !closes || !only_name || b - a < 2 || !self.run_is_person(a, b) {
            return None;
        }
        let (name, range) = self.run_text(a, b);
        Some(SpeakerPhrase::Name(name, range))
    }

    fn span(&self, a: usize, b: usize) -> Option<TextRange> {
        let first = self.word(a)?;
        let last = self.word(b.checked_sub(1)?)?;
        (first.range.start() <= last.range.end())
            .then(|| TextRange::new(first.range.start(), last.range.end()))
    }

    /// The first cue after a closing mark, before the sentence ends or another quote opens.
    fn trailing_cue(&self, from: usize, sentence: usize) -> Option<(usize, usize, CueClass)> {
        let range = self.sentence_range(sentence);
        let end = range.end.max(from);
        let mut k = from;
        let mut seen_words = 0;
        while k < end.min(from + 16) {
            let w = self.word(k)?;
            if w.quoted {
                return None;
            }
            if let Some((len, class)) = self.cue_at(k)
                && class != CueClass::Source
            {
                return Some((k, len, class));
            }
            if w.is_alpha() {
                seen_words += 1;
            }
            if seen_words > 12 {
                return None;
            }
            k += 1;
        }
        None
    }

    fn trailing_phrase(&self, from: usize, cue: usize, cue_len: usize) -> Option<SpeakerPhrase> {
        let has_words =
            (from..cue).any(|k| self.word(k).is_some_and(|w| w.is_alpha() && !w.quoted));
        if has_words {
            self.phrase_in(from, cue, false)
        } else {
            self.phrase_after(cue + cue_len)
        }
    }

    fn phrase_after(&self, from: usize) -> Option<SpeakerPhrase> {
        let s = self.word(from)?.sentence;
        let end = self.sentence_range(s).end;
        let stop = (from..end)
            .find(|&k| self.word(k).is_some_and(|w| w.quoted || w.is(".")))
            .unwrap_or(end);
        self.phrase_in(from, stop, true)
    }

    /// The last cue before an opening mark, in the same sentence.
    fn leading_cue(&self, open_word: usize, sentence: usize) -> Option<(usize, usize, CueClass)> {
        let range = self.sentence_range(sentence);
        let start = range.start.min(open_word);
        (start..open_word)
            .rev()
            .find_map(|k| self.cue_at(k).map(|(len, class)| (k, len, class)))
            .filter(|&(_, _, class)| class != CueClass::Source)
    }

    /// The subject of the clause whose verb is the cue at `cue`: from the sentence start
    /// (or the first earlier cue, for `X told TASS, adding ...`).
    fn subject_before(&self, bound: usize, cue: usize) -> Option<SpeakerPhrase> {
        // `According to X, sources reveal ...`: an `according to` is no earlier verb.
        let first_cue = (bound..cue)
            .find(|&k| {
                self.cue_at(k)
                    .is_some_and(|(_, class)| class != CueClass::Source)
            })
            .unwrap_or(cue);
        // `He declined to comment except to say that ...`: the subject of an infinitive cue
        // is the subject of the sentence's first verb.
        let first_cue = if cue > bound && self.word(cue - 1).is_some_and(|w| w.lower == "to") {
            (bound..cue - 1)
                .find(|&k| self.is_verb_like(k) && self.word(k).is_some_and(|w| !w.quoted))
                .map_or(first_cue, |v| v.min(first_cue))
        } else {
            first_cue
        };
        let mut from = bound;
        // Skip a quote that opens the sentence and the attribution-free words inside it.
        while self.word(from).is_some_and(|w| w.quoted) && from < first_cue {
            from += 1;
        }
        self.phrase_in(from, first_cue, false)
    }

    // ---- reported speech ----------------------------------------------------------------------

    /// A verb or auxiliary. Hyphenated compounds (`UK-based`, `Russian-backed`) are
    /// adjectives whatever a tagger says.
    fn is_verb_like(&self, k: usize) -> bool {
        self.word(k).is_some_and(|w| {
            let compound = w.text.trim_matches('-').contains('-');
            !compound
                && (w.verb
                    || AUXILIARIES.contains(&w.lower.as_str())
                    || (w.lower.len() > 4 && w.lower.ends_with("ed") && !w.is_capitalized()))
        })
    }

    /// A verb that can head a clause: not a gerund or present participle (`declared a state
    /// of emergency starting at midnight` has no clause after `declared`).
    fn is_finite_verb_like(&self, k: usize) -> bool {
        self.is_verb_like(k) && self.word(k).is_some_and(|w| w.tag != Some(PosTag::VBG))
    }

    /// Skips time adjuncts and `in a statement` after a cue; returns the next word index.
    fn skip_adjuncts(&self, mut k: usize, end: usize) -> usize {
        loop {
            let Some(w) = self.word(k) else { return k };
            if k >= end {
                return k;
            }
            let l = w.lower.as_str();
            // `said today's vote ...`: a possessive time word opens the subject (tokenizers
            // split `today's` or keep it whole).
            let possessive = self
                .word(k + 1)
                .is_some_and(|n| matches!(n.text, "'s" | "’s" | "'" | "’"));
            if (TIME_WORDS.contains(&l) && !possessive)
                || matches!(l, "also" | "again" | "previously" | "recently")
            {
                k += 1;
                continue;
            }
            // `said the same day: "..."`, `said the next morning that`.
            let time_noun = |j: usize| {
                self.word(j)
                    .is_some_and(|n| n.lower == "day" || TIME_WORDS.contains(&n.lower.as_str()))
            };
            if l == "the"
                && self.word(k + 1).is_some_and(|n| {
                    matches!(n.lower.as_str(), "same" | "next" | "previous" | "following")
                })
                && time_noun(k + 2)
            {
                k += 3;
                continue;
            }
            let possessive_at = |j: usize| {
                self.word(j)
                    .is_some_and(|n| matches!(n.text, "'s" | "’s" | "'" | "’"))
            };
            if TIME_LEADS.contains(&l)
                && !possessive_at(k + 2)
                && self.word(k + 1).is_some_and(|n| {
                    TIME_WORDS.contains(&n.lower.as_str())
                        || self.lex.is_function_word(n.text) && n.is_capitalized()
                })
            {
                k += 2;
                if self
                    .word(k)
                    .is_some_and(|n| TIME_WORDS.contains(&n.lower.as_str()))
                {
                    k += 1;
                }
                continue;
            }
            if matches!(l, "in" | "at" | "during" | "on") {
                let head = (k + 1..(k + 5).min(end)).find(|&j| {
                    self.word(j)
                        .is_some_and(|n| ADJUNCT_HEADS.contains(&n.lower.as_str()))
                });
                if let Some(h) = head {
                    k = h + 1;
                    // `in an interview with TASS`, `in a statement to CNN`.
                    if self
                        .word(k)
                        .is_some_and(|n| matches!(n.lower.as_str(), "with" | "to" | "on" | "for"))
                        && let Some((_, n)) = self.outlet_phrase_at(k + 1, end)
                    {
                        k += 1 + n;
                    }
                    continue;
                }
            }
            if w.is(",") && self.word(k + 1).is_some_and(|n| n.lower == "that") {
                k += 1;
                continue;
            }
            // `announced, though, they were ...`: an adverb set off by commas.
            if w.is(",")
                && !w.quoted
                && self
                    .word(k + 1)
                    .is_some_and(|n| !n.quoted && self.lex.in_class("parenthetical", &n.lower))
                && self.word(k + 2).is_some_and(|n| n.is(",") && !n.quoted)
            {
                k += 3;
                continue;
            }
            return k;
        }
    }

    /// Where the clause after a cue starts, or `None` when no clause follows.
    fn complement_start(
        &self,
        cue: usize,
        len: usize,
        class: CueClass,
        end: usize,
    ) -> Option<(usize, bool)> {
        let mut k = cue + len;
        let mut addressee = false;
        if class == CueClass::Tell {
            let texts: Vec<&str> = self.words.iter().map(|w| w.text).collect();
            let det = self
                .word(k)
                .is_some_and(|w| matches!(w.lower.as_str(), "the" | "a" | "an"));
            if let Some((_, n)) = self.lex.outlet_at(&texts, k + usize::from(det)) {
                k += usize::from(det) + n;
                if self.word(k).is_some_and(|w| w.lower == "news")
                    && self.word(k + 1).is_some_and(|w| w.lower == "agency")
                {
                    k += 2;
                }
            } else if let Some((_, n)) = self.outlet_phrase_at(k, end) {
                // An unlisted outlet by its medium word: `told the Catalan website Regio 7`.
                k += n;
            } else if self
                .word(k)
                .is_some_and(|w| ADDRESSEES.contains(&w.lower.as_str()))
            {
                k += 1;
                addressee = true;
            } else if det {
                addressee = true;
                // `told a gathering of clerics in Kabul that ...` is handled by the `that` search.
                let that = (k..(k + 10).min(end))
                    .find(|&j| self.word(j).is_some_and(|w| w.lower == "that"));
                match that {
                    Some(t)
                        if !(k..t).any(|j| {
                            self.is_verb_like(j) || self.word(j).is_some_and(|w| w.is(","))
                        }) =>
                    {
                        return Some((t + 1, addressee));
                    }
                    _ => k += 2,
                }
            } else if self.word(k).is_some_and(|w| w.is_capitalized()) {
                let runs = self.name_runs(k, (k + 5).min(end));
                match runs.first() {
                    Some(&(a, b)) if a == k => k = b,
                    _ => return None,
                }
                addressee = true;
            }
        }
        if class == CueClass::Direct || class == CueClass::Source {
            return None;
        }
        k = self.skip_adjuncts(k, end);
        let w = self.word(k)?;
        // `said in an interview with TASS adding that ...`: the next cue has the clause.
        if w.lower.ends_with("ing") && self.cue_at(k).is_some() {
            return None;
        }
        if w.lower == "that" {
            return Some((k + 1, addressee));
        }
        // A `that` a few words on, with no verb between: `said on Thursday that`.
        if let Some(t) = (k..(k + 8).min(end))
            .find(|&j| self.word(j).is_some_and(|w| w.lower == "that" && !w.quoted))
            && !(k..t).any(|j| {
                self.is_verb_like(j) || self.word(j).is_some_and(|w| w.is(",") || w.quoted)
            })
        {
            return Some((t + 1, addressee));
        }
        if class == CueClass::That || class == CueClass::Direct || class == CueClass::Source {
            return None;
        }
        if !w.is_alpha() && !w.text.starts_with(['"', '“'])
            || NOT_CLAUSE_STARTS.contains(&w.lower.as_str())
        {
            return None;
        }
        // Zero `that`: a clause needs a verb soon.
        let subject_pronoun = matches!(
            w.lower.as_str(),
            "he" | "she" | "it" | "they" | "we" | "i" | "you" | "there" | "this"
        );
        // `warned young fans to be vigilant`: after a verb of warning or urging, an
        // infinitive is no clause's verb (its object is the infinitive's subject).
        let control = (cue..cue + len).any(|j| {
            self.word(j)
                .is_some_and(|w| self.lex.in_class("object_control", &w.lower))
        });
        // The verb of a clause that does not open with a quote stands outside quotes
        // (`by saying positive things like "I love this"` has no clause).
        let opens_quoted = w.quoted || w.text.starts_with(['"', '“']);
        let first_verb = (k + 1..(k + 14).min(end)).find(|&j| {
            self.is_finite_verb_like(j)
                && (opens_quoted || self.word(j).is_some_and(|v| !v.quoted))
                && !(control && self.word(j - 1).is_some_and(|p| p.lower == "to"))
        });
        // `claimed the presidency after Ghani fled`: a noun phrase object, then an adverbial
        // clause. The subject of a that-less clause reaches its verb with no subordinator
        // between.
        let object_then_adjunct = first_verb.is_some_and(|v| {
            (k..v).any(|j| {
                self.word(j)
                    .is_some_and(|w| !w.quoted && self.lex.in_class("subordinator", &w.lower))
            })
        });
        if object_then_adjunct && !subject_pronoun {
            return None;
        }
        (subject_pronoun || first_verb.is_some()).then_some((k, addressee))
    }

    /// Where the clause that starts at `start` ends (exclusive word index).
    fn complement_end(&self, start: usize, end: usize) -> usize {
        let mut k = start;
        while k < end {
            let Some(w) = self.word(k) else { break };
            if w.is(";") && !w.quoted {
                return k;
            }
            // A sentence end the splitter missed (`... the position. - - - The allegations`,
            // `... overtures. "normally she ...`: a quote opening after the period).
            let opens_quote = |n: &Word| {
                self.marked
                    .iter()
                    .any(|m| m.open.start() == n.range.start())
            };
            if w.is(".")
                && !w.quoted
                && k > start
                && self.word(k + 1).is_some_and(|n| {
                    (!n.quoted && !n.text.chars().next().is_some_and(char::is_lowercase))
                        || opens_quote(n)
                })
                && self.word(k - 1).is_some_and(|p| {
                    p.text.chars().count() > 3
                        && p.text.chars().next().is_some_and(char::is_lowercase)
                })
            {
                return k;
            }
            // `A said X, but B said Y`: a second attribution ends the first clause.
            if w.is(",")
                && !w.quoted
                && self.word(k + 1).is_some_and(|n| {
                    matches!(n.lower.as_str(), "but" | "and" | "while" | "whereas")
                })
                && let Some(c) = (k + 2..(k + 7).min(end)).find(|&j| {
                    self.cue_at(j)
                        .is_some_and(|(_, class)| class != CueClass::Source)
                })
                && !(k + 2..c)
                    .any(|j| self.is_verb_like(j) || self.word(j).is_some_and(|w| w.quoted))
                && (k + 2..c).any(|j| self.word(j).is_some_and(|w| w.is_alpha()))
            {
                return k;
            }
            // `tweeted that “...,” but then later told ...`: the quote was the whole clause.
            if w.lower == "but"
                && !w.quoted
                && k > start
                && self.word(k - 1).is_some_and(|p| p.quoted)
            {
                return k;
            }
            if w.is(",") && !w.quoted {
                let next = self.word(k + 1);
                let next2 = self.word(k + 2);
                let stop = next.is_some_and(|n| {
                    (n.lower == "according" && next2.is_some_and(|x| x.lower == "to"))
                        || (n.lower.ends_with("ing")
                            && self.lex.cue_at(&self.lower, k + 1).is_some())
                        || (next2.is_some_and(|x| x.lower.ends_with("ing"))
                            && self.lex.cue_at(&self.lower, k + 2).is_some())
                        || (matches!(n.lower.as_str(), "but" | "while" | "and")
                            && next2.is_some_and(|x| {
                                x.lower.ends_with("ed")
                                    || self.lex.cue_at(&self.lower, k + 2).is_some()
                                    || x.lower == "accused"
                            }))
                }) || self.is_trailing_attribution(k + 1, end);
                if stop {
                    return k;
                }
            }
            k += 1;
        }
        end
    }

    /// `, police said.` / `, said security firm Lookout in a blog.`: an attribution closing the sentence.
    fn is_trailing_attribution(&self, from: usize, end: usize) -> bool {
        let Some(c) = (from..end.min(from + 10))
            .find(|&k| self.cue_at(k).is_some_and(|(_, cl)| cl != CueClass::Source))
        else {
            return false;
        };
        // `, announced by President Xi in August,`: a passive participle, no attribution.
        if self.word(c + 1).is_some_and(|w| w.lower == "by") {
            return false;
        }
        let before_ok =
            !(from..c).any(|k| self.is_verb_like(k) || self.word(k).is_some_and(|w| w.quoted));
        let after = self.complement_start_any(c, end);
        before_ok
            && after.is_none()
            && !(c + 1..end).any(|k| self.word(k).is_some_and(|w| w.quoted))
    }

    fn complement_start_any(&self, c: usize, end: usize) -> Option<(usize, bool)> {
        let (len, class) = self.cue_at(c)?;
        self.complement_start(c, len, class, end)
    }

    fn reported_candidates(&self) -> Vec<Candidate> {
        let mut out = Vec::new();
        for (s, range) in self.sentence_words.iter().enumerate() {
            let (start, end) = (range.start, range.end);
            let mut k = start;
            while k < end {
                let Some((len, class)) = self.cue_at(k) else {
                    k += 1;
                    continue;
                };
                let cue = k;
                k += len;
                if class == CueClass::Source {
                    if let Some(c) = self.according_to(s, cue, len, start, end) {
                        out.push(c);
                    }
                    continue;
                }
                // `As X pointed out, CLAUSE.`
                if let Some(c) = self.as_clause(s, cue, len, class, start, end) {
                    out.push(c);
                    continue;
                }
                // `CLAUSE, X said.`
                if let Some(c) = self.sentence_final(s, cue, len, class, start, end) {
                    out.push(c);
                    continue;
                }
                let Some((cstart, addressee)) = self.complement_start(cue, len, class, end) else {
                    continue;
                };
                // `As the minister said these words, ...`: the cue of an `as` clause has
                // no clause of its own (its clause follows the comma).
                if self.as_subject(start, cue).is_some()
                    && self
                        .word(cstart.saturating_sub(1))
                        .is_none_or(|w| w.lower != "that")
                {
                    continue;
                }
                let cend = self.complement_end(cstart, end);
                let Some(mut content) = self.span(cstart, cend) else {
                    continue;
                };
                content = self.trim_content(content);
                if self.fully_quoted(content) || self.alpha_count(cstart, cend) < 3 {
                    continue;
                }
                // `A said X, but B said Y`: the second cue's subject follows the conjunction.
                let bound = (start + 1..cue)
                    .rev()
                    .find(|&k| {
                        self.word(k).is_some_and(|w| {
                            !w.quoted
                                && matches!(w.lower.as_str(), "but" | "and" | "while" | "whereas")
                        }) && self.word(k - 1).is_some_and(|p| p.is(",") && !p.quoted)
                            && (k + 1..cue).any(|j| self.word(j).is_some_and(|w| w.is_alpha()))
                            && !(k + 1..cue).any(|j| {
                                self.is_verb_like(j) || self.word(j).is_some_and(|w| w.quoted)
                            })
                    })
                    .map_or(start, |k| k + 1);
                let phrase = self.subject_before(bound, cue);
                let Some(phrase) = phrase else { continue };
                if self.reports_data_before(cue) {
                    continue;
                }
                let outlet = self.outlet_in(start, end, content, cue).or_else(|| {
                    let w = self.word(cue)?;
                    w.lower.starts_with("tweet").then(|| Outlet {
                        name: "Twitter".into(),
                        range: w.range,
                    })
                });
                out.push(Candidate {
                    content,
                    kind: QuoteKind::Reported,
                    cue: self.span(cue, cue + len),
                    phrase: Some(phrase),
                    addressee: addressee && outlet.is_none(),
                    outlet,
                    sentence: s,
                    unattributed_ok: false,
                });
            }
        }
        out
    }

    fn alpha_count(&self, a: usize, b: usize) -> usize {
        (a..b)
            .filter(|&k| self.word(k).is_some_and(|w| w.is_alpha()))
            .count()
    }

    fn trim_content(&self, r: TextRange) -> TextRange {
        let text = self.doc.slice(r);
        let trimmed = text.trim_end_matches(['.', ',', ';', ':', '-', ' ', '—']);
        let trimmed = trimmed.trim_start_matches([',', ' ', '-', '—', '–']);
        let lead = text.len() - text.trim_start_matches([',', ' ', '-', '—', '–']).len();
        TextRange::new(r.start() + lead, r.start() + lead + trimmed.len())
    }

    /// True when a range is (nearly) all one quoted stretch: that is a direct quote.
    fn fully_quoted(&self, r: TextRange) -> bool {
        self.marked.iter().any(|m| {
            let outer = TextRange::new(m.open.start(), m.close.end().max(m.content.end()));
            // `it was "a global scandal"` is a reported clause with a quote inside; only a
            // clause that is the quote and nothing more is the direct quote itself.
            let outside = |a: usize, b: usize| {
                self.doc
                    .text()
                    .get(a..b)
                    .is_some_and(|t| t.chars().any(char::is_alphanumeric))
            };
            outer.contains_range(r)
                || (r.contains_range(m.content)
                    && !outside(r.start(), m.content.start())
                    && !outside(m.content.end(), r.end()))
        })
    }

    fn sentence_final(
        &self,
        s: usize,
        cue: usize,
        len: usize,
        class: CueClass,
        start: usize,
        end: usize,
    ) -> Option<Candidate> {
        // The cue must follow the last unquoted comma, and nothing clause-like may follow it.
        // The comma may close a quote that ends the clause (`Mr Harow had "pledged to sell
        // the company," the statement said`): the clause then ends with the closing mark.
        let unquoted_comma = (start..cue)
            .rev()
            .find(|&k| self.word(k).is_some_and(|w| w.is(",") && !w.quoted));
        let closing_comma = (start..cue).rev().find(|&k| {
            self.word(k).is_some_and(|w| {
                w.quoted
                    && self.marked.iter().any(|m| {
                        m.close.end() == w.range.end()
                            && !m.close.is_empty()
                            && self.doc.slice(m.content).trim_end().ends_with(',')
                    })
            })
        });
        let (comma, clause_end) = match (unquoted_comma, closing_comma) {
            (Some(c), Some(q)) if q > c => (q, q + 1),
            (None, Some(q)) => (q, q + 1),
            (Some(c), _) => (c, c),
            (None, None) => return None,
        };
        // `, announced by President Xi in August,`: a passive participle, no attribution.
        if self.word(cue + len).is_some_and(|w| w.lower == "by") {
            return None;
        }
        // `, the palace has announced`: the perfect's auxiliary belongs to the cue.
        let auxiliary_of_cue = |k: usize| {
            self.word(k)
                .is_some_and(|w| matches!(w.lower.as_str(), "has" | "have" | "had"))
                && (k + 1..cue).all(|j| {
                    self.word(j)
                        .is_some_and(|w| w.lower.ends_with("ly") || w.lower == "also")
                })
        };
        if (comma + 1..cue).any(|k| {
            (self.is_verb_like(k) && !auxiliary_of_cue(k)) || self.word(k).is_some_and(|w| w.quoted)
        }) || cue - comma > 14
        {
            return None;
        }
        if self.complement_start(cue, len, class, end).is_some() {
            return None;
        }
        if (cue + len..end).any(|k| self.word(k).is_some_and(|w| w.quoted) || self.is_verb_like(k))
        {
            return None;
        }
        let has_words_before = (comma + 1..cue).any(|k| self.word(k).is_some_and(|w| w.is_alpha()));
        // After the cue only its recipient and adjuncts: `told AFP news agency on Monday`,
        // `said in Kabul`; an object (`reported significant issues`) makes it no attribution.
        let rest = self.skip_adjuncts(self.skip_recipient(cue + len, class, end), end);
        let adjunct_follows = self.word(rest).is_none_or(|w| {
            rest >= end
                || !w.is_alpha()
                || self.lex.in_class("adjunct_lead", &w.lower)
                || TIME_WORDS.contains(&w.lower.as_str())
        });
        if has_words_before && (self.alpha_count(rest, end) > 2 || !adjunct_follows) {
            return None;
        }
        // A sentence end the splitter missed (`... the explosion."- READ MORE: Taliban kills
        // police in 'insider attack' Gunmen stormed ..., sources told AFP`): the clause
        // starts after it.
        let start = self.clause_restart(start, comma);
        let content = self.trim_content(self.span(start, clause_end)?);
        let unquoted = (start..comma)
            .filter(|&k| self.word(k).is_some_and(|w| w.is_alpha() && !w.quoted))
            .count();
        if self.alpha_count(start, comma) < 4
            || unquoted < 4
            || self.fully_quoted(content)
            || self.caption_after(start).is_some()
        {
            return None;
        }
        // The part before the comma must not itself be an attribution (`he said, according to`).
        // A cue of quoted words only (`called it a day`) attributes nothing without a quote.
        if (start..comma).any(|k| {
            !self.word(k).is_some_and(|w| w.quoted)
                && self.cue_at(k).is_some_and(|(_, class)| {
                    class != CueClass::Direct || self.word(k + 1).is_some_and(|n| n.quoted)
                })
        }) {
            return None;
        }
        if self.reports_data_before(cue) {
            return None;
        }
        let phrase = if has_words_before {
            self.phrase_in(comma + 1, cue, false)
        } else {
            self.phrase_after(cue + len)
        }?;
        let outlet = self.outlet_in(comma + 1, end, content, cue);
        Some(self.reported_clause(s, content, cue, len, class, phrase, outlet))
    }

    /// A reported clause `content` attributed by the cue at `cue` (`len` words) to `phrase`.
    #[allow(clippy::too_many_arguments)]
    fn reported_clause(
        &self,
        s: usize,
        content: TextRange,
        cue: usize,
        len: usize,
        class: CueClass,
        phrase: SpeakerPhrase,
        outlet: Option<Outlet>,
    ) -> Candidate {
        Candidate {
            content,
            kind: QuoteKind::Reported,
            cue: self.span(cue, cue + len),
            phrase: Some(phrase),
            addressee: class == CueClass::Tell && outlet.is_none(),
            outlet,
            sentence: s,
            unattributed_ok: false,
        }
    }

    /// `As Billboard points out, CLAUSE`, `As the minister said on Monday, CLAUSE`: a
    /// sentence that opens with `as`, a subject and a cue (its recipient and adjuncts
    /// allowed) and a comma reports the clause after the comma.
    fn as_clause(
        &self,
        s: usize,
        cue: usize,
        len: usize,
        class: CueClass,
        start: usize,
        end: usize,
    ) -> Option<Candidate> {
        if matches!(class, CueClass::Direct | CueClass::Source) {
            return None;
        }
        let first = self.as_subject(start, cue)?;
        let comma = self.skip_adjuncts(self.skip_recipient(cue + len, class, end), end);
        if !self.word(comma).is_some_and(|w| w.is(",") && !w.quoted) || comma > cue + len + 8 {
            return None;
        }
        let cstart = comma + 1;
        let cend = self.complement_end(cstart, end);
        if self.alpha_count(cstart, cend) < 3 {
            return None;
        }
        let content = self.trim_content(self.span(cstart, cend)?);
        if self.fully_quoted(content) || self.reports_data_before(cue) {
            return None;
        }
        let phrase = self.phrase_in(first + 1, cue, false)?;
        let outlet = self.outlet_in(start, end, content, cue);
        Some(self.reported_clause(s, content, cue, len, class, phrase, outlet))
    }

    /// The `as` of a sentence that opens with `as`, a subject and the cue at `cue`
    /// (`As the minister said ...`).
    fn as_subject(&self, start: usize, cue: usize) -> Option<usize> {
        let first = (start..cue).find(|&k| self.word(k).is_some_and(|w| w.is_alpha()))?;
        if self.word(first)?.lower != "as" || first + 1 >= cue {
            return None;
        }
        let subject_only = (first + 1..cue).all(|k| {
            self.word(k).is_some_and(|w| {
                !w.quoted
                    && !w.is(",")
                    && (!self.is_verb_like(k) || matches!(w.lower.as_str(), "has" | "have" | "had"))
            })
        });
        subject_only.then_some(first)
    }

    /// The first word of the last sentence that starts in `words[start..comma]` after a
    /// boundary the splitter missed: a closing mark after a sentence-final `.`, `!` or `?`
    /// inside the quote, or a closing mark that ends the headline of a link (`READ MORE:
    /// ... in 'insider attack'`), followed by a capitalized word outside quotes; else `start`.
    fn clause_restart(&self, start: usize, comma: usize) -> usize {
        let mut restart = start;
        for m in &self.marked {
            if m.close.is_empty()
                || m.close.end() <= self.word(start).map_or(0, |w| w.range.start())
            {
                continue;
            }
            let mut next = self.word_at_or_after(m.close.end());
            while self
                .word(next)
                .is_some_and(|w| matches!(w.text, "-" | "—" | "–"))
            {
                next += 1;
            }
            if next >= comma || next <= restart {
                continue;
            }
            let capitalized = self
                .word(next)
                .is_some_and(|w| !w.quoted && w.is_capitalized() && w.is_alpha());
            let content = self.doc.slice(m.content).trim_end();
            let ends_sentence = content.ends_with(['.', '!', '?']);
            if capitalized && (ends_sentence || self.in_link_headline(m.open.start())) {
                restart = next;
            }
        }
        restart
    }

    /// The subject right before the cue at `cue` reports data or findings, not speech
    /// (`first exit polls say`, `surveys suggest`).
    fn reports_data_before(&self, cue: usize) -> bool {
        (cue.saturating_sub(4)..cue)
            .rev()
            .find(|&k| {
                self.word(k).is_some_and(|w| {
                    w.is_alpha()
                        && !AUXILIARIES.contains(&w.lower.as_str())
                        && !SKIPPABLE_BEFORE_CUE.contains(&w.lower.as_str())
                })
            })
            .and_then(|k| self.word(k))
            .is_some_and(|w| self.lex.in_class("not_speaker", &w.lower))
    }

    /// The word after the recipient of a `tell` cue (`told AFP news agency`, `told the
    /// Catalan website Regio 7`, `told reporters`), else `k`.
    fn skip_recipient(&self, k: usize, class: CueClass, end: usize) -> usize {
        if class != CueClass::Tell {
            return k;
        }
        if let Some((_, n)) = self.outlet_phrase_at(k, end) {
            let mut after = k + n;
            if self.word(after).is_some_and(|w| w.lower == "news")
                && self.word(after + 1).is_some_and(|w| w.lower == "agency")
            {
                after += 2;
            }
            return after;
        }
        if self
            .word(k)
            .is_some_and(|w| ADDRESSEES.contains(&w.lower.as_str()))
        {
            return k + 1;
        }
        k
    }

    fn according_to(
        &self,
        s: usize,
        cue: usize,
        len: usize,
        start: usize,
        end: usize,
    ) -> Option<Candidate> {
        let at_start = (start..cue).all(|k| self.word(k).is_some_and(|w| !w.is_alpha()));
        let unquoted_comma = |k: usize| self.word(k).is_some_and(|w| w.is(",") && !w.quoted);
        let (content, source) = if at_start {
            match (cue + len..end).find(|&k| unquoted_comma(k)) {
                Some(comma) => {
                    let comma = self.skip_participle_segments(comma, end);
                    ((comma + 1, end), (cue + len, comma))
                }
                None => {
                    // `According to local media they are ...`: no comma, a subject pronoun
                    // opens the clause.
                    let subject = (cue + len + 1..(cue + len + 6).min(end)).find(|&k| {
                        self.word(k).is_some_and(|w| {
                            matches!(
                                w.lower.as_str(),
                                "he" | "she" | "they" | "it" | "we" | "there"
                            )
                        })
                    })?;
                    if (cue + len..subject).any(|k| self.is_verb_like(k)) {
                        return None;
                    }
                    ((subject, end), (cue + len, subject))
                }
            }
        } else {
            let comma = cue
                .checked_sub(1)
                .filter(|&k| self.word(k).is_some_and(|w| w.is(",")))?;
            ((start, comma), (cue + len, end))
        };
        if self.alpha_count(content.0, content.1) < 4 {
            return None;
        }
        // Another cue in the content makes it the attribution of something else; a cue in
        // parentheses is an aside (`(earlier reports said 7 kilometers)`).
        let mut depth = 0usize;
        let mut other_cue = false;
        for k in content.0..content.1 {
            match self.word(k).map(|w| w.text) {
                Some("(") => depth += 1,
                Some(")") => depth = depth.saturating_sub(1),
                _ => other_cue |= depth == 0 && self.cue_at(k).is_some(),
            }
        }
        if other_cue {
            return None;
        }
        let range = self.trim_content(self.span(content.0, content.1)?);
        if self.fully_quoted(range) {
            return None;
        }
        let source_range = self.span(source.0, source.1)?;
        let source_text = self.doc.slice(self.trim_content(source_range));
        let source_head = source_text
            .split([',', ';', '('])
            .next()
            .unwrap_or("")
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .rfind(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        if self.lex.in_class("not_speaker", &source_head) {
            return None; // `according to U.S. estimates`
        }
        let outlet = self.lex.canonical_outlet(source_text).map(|name| Outlet {
            name: name.to_string(),
            range: source_range,
        });
        let phrase = if outlet.is_some() {
            None
        } else {
            self.phrase_in(source.0, source.1, true)
        };
        Some(Candidate {
            content: range,
            kind: QuoteKind::Reported,
            cue: self.span(cue, cue + len),
            phrase,
            outlet,
            addressee: false,
            sentence: s,
            unattributed_ok: true,
        })
    }

    /// `According to the report, released in May by the commission's chairman, Richard
    /// Roe, CLAUSE`: after the comma at `comma`, a segment that opens with a past participle,
    /// then appositives (no verb, a name last), each closed by a comma, come before the
    /// clause. Returns the comma before the clause.
    fn skip_participle_segments(&self, comma: usize, end: usize) -> usize {
        let unquoted_comma = |k: usize| self.word(k).is_some_and(|w| w.is(",") && !w.quoted);
        let participle = self.word(comma + 1).is_some_and(|w| {
            !w.is_capitalized()
                && (w.tag == Some(PosTag::VBN) || (w.lower.ends_with("ed") && w.lower.len() > 4))
        }) && self.word(comma + 2).is_some_and(|w| {
            matches!(w.lower.as_str(), "in" | "by" | "on" | "at" | "last" | "for")
        });
        if !participle {
            return comma;
        }
        let Some(mut at) = (comma + 2..end).find(|&k| unquoted_comma(k)) else {
            return comma;
        };
        while let Some(next) = (at + 1..end).find(|&k| unquoted_comma(k)) {
            // An appositive: no verb, a name at its end (`Canadian professor Richard Roe`).
            let appositive = !(at + 1..next).any(|k| self.is_verb_like(k))
                && next
                    .checked_sub(1)
                    .and_then(|k| self.word(k))
                    .is_some_and(|w| w.is_capitalized() && w.is_alpha());
            if !appositive {
                break;
            }
            at = next;
        }
        let verb_after = (at + 1..end)
            .any(|k| self.is_finite_verb_like(k) && self.word(k).is_some_and(|w| !w.quoted));
        if verb_after { at } else { comma }
    }

    // ---- resolution ---------------------------------------------------------------------------

    fn resolve(&self, candidates: Vec<Candidate>) -> Vec<Quote> {
        let mentions = self.mentions();
        let mut quotes: Vec<Quote> = Vec::new();
        // (speaker name, person?, sentence of the quote)
        let mut history: Vec<HistoryEntry> = Vec::new();
        let mut salience: HashMap<String, usize> = HashMap::new();
        for m in mentions.iter().filter(|m| m.person) {
            let _ = salience.entry(m.name.clone()).or_insert(0);
        }
        let mut announcements = self.interview_announcements(&mentions);
        let mut interview: HashMap<String, Option<Outlet>> = HashMap::new();
        let mut facts: Vec<QuoteFacts> = Vec::new();
        for c in candidates {
            let position = c
                .cue
                .map_or(c.content.start(), |r| r.start().min(c.content.start()));
            let recent = |history: &[HistoryEntry], person: bool| {
                history
                    .iter()
                    .rev()
                    .take_while(|(_, _, s, _, _)| c.sentence <= s + 4)
                    .find(|(sp, p, _, _, _)| sp.is_some() && *p == person)
                    .and_then(|(sp, _, _, _, _)| sp.clone())
            };
            // A full name (`Nick Dwyer`) is a surer person than a lone capitalized word.
            let last_mention = |person: bool| {
                let earlier = || {
                    mentions
                        .iter()
                        .rev()
                        .filter(|m| m.start < position && m.person == person)
                };
                earlier()
                    .find(|m| !person || m.name.split_whitespace().count() >= 2)
                    .or_else(|| earlier().next())
                    .cloned()
            };
            let (speaker, person) = match &c.phrase {
                Some(SpeakerPhrase::Name(text, range)) => {
                    let (name, entity) = self.canonical_name(&mentions, text, *range);
                    let person = mentions
                        .iter()
                        .find(|m| m.name == name)
                        .is_some_and(|m| m.person)
                        || text.split_whitespace().count() >= 2 && {
                            let last = text.split_whitespace().last().unwrap_or("");
                            !self.lex.is_org_word(last)
                                && !self.lex.in_class("org_description", last)
                        };
                    (
                        Some(Speaker {
                            name,
                            entity,
                            range: Some(*range),
                        }),
                        person,
                    )
                }
                Some(SpeakerPhrase::Pronoun { range, person }) => {
                    // `Comey did not reference it. He said ...`: a person opening the previous
                    // sentence is the likeliest referent.
                    let opener = self
                        .doc
                        .sentence_at(range.start())
                        .and_then(|s| s.checked_sub(1))
                        .and_then(|prev| {
                            let words = self.sentence_range(prev);
                            let limit = self
                                .word(words.start + 3)
                                .map_or(usize::MAX, |w| w.range.start());
                            let first = self.word(words.start)?.range.start();
                            mentions
                                .iter()
                                .find(|m| m.start >= first && m.start <= limit)
                                .filter(|m| {
                                    m.person == *person && m.name.split_whitespace().count() >= 1
                                })
                                .cloned()
                        })
                        .filter(|_| *person)
                        .map(|m| Speaker {
                            name: m.name,
                            entity: m.entity,
                            range: None,
                        });
                    let found = opener.or_else(|| recent(&history, *person)).or_else(|| {
                        last_mention(*person).map(|m| Speaker {
                            name: m.name,
                            entity: m.entity,
                            range: None,
                        })
                    });
                    (
                        found.map(|s| Speaker {
                            range: Some(*range),
                            ..s
                        }),
                        *person,
                    )
                }
                Some(SpeakerPhrase::Description {
                    text,
                    range,
                    definite,
                    role,
                    head,
                    possessor,
                }) => {
                    // An entity that ends the description is named by it (`the Taliban`),
                    // unless a tagger took a class noun for a name (`The NGOs`).
                    let entity = self.doc.entities.iter().enumerate().find(|(_, e)| {
                        e.range.overlaps(*range)
                            && e.range.end() >= range.end()
                            && !is_plural_acronym(self.doc.slice(e.range))
                    });
                    let group_reference = *definite
                        && !*role
                        && (self.lex.in_class("org_description", head)
                            || matches!(
                                text.split_whitespace()
                                    .next()
                                    .map(str::to_lowercase)
                                    .as_deref(),
                                Some("its" | "their")
                            ));
                    let org = group_reference
                        .then(|| {
                            self.resolve_group_description(
                                &mentions,
                                &history,
                                range.start(),
                                c.sentence,
                                head,
                                possessor.as_deref(),
                            )
                        })
                        .flatten();
                    if let Some((index, e)) = entity {
                        (
                            Some(Speaker {
                                name: e.canonical.clone(),
                                entity: u32::try_from(index).ok(),
                                range: Some(*range),
                            }),
                            e.label == EntityLabel::Person,
                        )
                    } else if let Some(org) = org {
                        (
                            Some(Speaker {
                                range: Some(*range),
                                ..org
                            }),
                            false,
                        )
                    } else if *definite && *role {
                        // `the 32-year-old resistance leader`: the most talked-about person so far.
                        let best = salience
                            .iter()
                            .filter(|(name, _)| name.split_whitespace().count() >= 2)
                            .filter(|(name, _)| {
                                mentions
                                    .iter()
                                    .any(|m| &m.name == *name && m.start < position)
                            })
                            .max_by_key(|(name, count)| {
                                let last = mentions
                                    .iter()
                                    .filter(|m| &m.name == *name && m.start < position)
                                    .map(|m| m.start)
                                    .max()
                                    .unwrap_or(0);
                                (
                                    **count
                                        + mentions
                                            .iter()
                                            .filter(|m| &m.name == *name && m.start < position)
                                            .count(),
                                    last,
                                )
                            })
                            .map(|(name, _)| name.clone());
                        (
                            best.map(|name| Speaker {
                                name,
                                entity: None,
                                range: Some(*range),
                            }),
                            true,
                        )
                    } else if *definite && is_group_head(text) {
                        // `The group told the BBC`: the organization named just before.
                        let sentence_of = |offset: usize| self.doc.sentence_at(offset).unwrap_or(0);
                        let here = sentence_of(position);
                        let org = mentions
                            .iter()
                            .rev()
                            .filter(|m| m.start < position && here <= sentence_of(m.start) + 2)
                            .find(|m| {
                                !m.person
                                    && m.name.split_whitespace().count() >= 2
                                    && m.name.split_whitespace().any(|w| self.lex.is_org_word(w))
                            });
                        (
                            Some(Speaker {
                                name: org.map_or_else(|| text.clone(), |m| m.name.clone()),
                                entity: org.and_then(|m| m.entity),
                                range: Some(*range),
                            }),
                            false,
                        )
                    } else if *definite
                        && !matches!(head.as_str(), "sources" | "source")
                        && !self.lex.in_class("own_institution", head)
                    {
                        // `the sources` stay unnamed; other definite descriptions go to the
                        // group that spoke last.
                        let org = recent(&history, false);
                        (
                            Some(org.map_or_else(
                                || Speaker {
                                    name: text.clone(),
                                    entity: None,
                                    range: Some(*range),
                                },
                                |s| Speaker {
                                    range: Some(*range),
                                    ..s
                                },
                            )),
                            false,
                        )
                    } else {
                        (
                            Some(Speaker {
                                name: text.clone(),
                                entity: None,
                                range: Some(*range),
                            }),
                            false,
                        )
                    }
                }
                None => (None, false),
            };
            let mut speaker = speaker;
            let mut outlet = c.outlet.clone();
            let mut person = person;
            // A quote with no cue continues the previous quote when it follows closely.
            if c.cue.is_none()
                && c.phrase.is_none()
                && let Some((sp, p, s, o, _)) = history.last()
                && c.sentence <= s + 1
                && c.unattributed_ok
            {
                speaker = sp.clone().map(|s| Speaker { range: None, ..s });
                outlet = o.clone();
                person = *p;
            }
            // An outlet's own report (`Politico reported that`) is published in it.
            if outlet.is_none()
                && let Some(sp) = &speaker
                && let Some(name) = self.lex.canonical_outlet(&sp.name)
            {
                outlet = Some(Outlet {
                    name: name.to_string(),
                    range: sp.range.unwrap_or(c.content),
                });
            }
            // Interview carry-over: an outlet named for a speaker stays with their later
            // quotes until another outlet or a non-outlet addressee (`told reporters`) appears.
            while let Some((at, key, o)) = announcements.first().cloned()
                && at < position
            {
                interview.insert(key, Some(o));
                announcements.remove(0);
            }
            let key = speaker_key(speaker.as_ref(), c.phrase.as_ref(), self.doc);
            // `He has said ...`, `she has long argued ...`: the perfect sums up what the
            // speaker says in general, not one interview.
            let general = c.cue.is_some_and(|r| self.perfect_cue(r));
            // Only an interview (`tells China Daily`) reaches back to the lede; a report
            // (`according to CNN`) may cover a press conference quoted before it.
            let own_outlet = outlet.is_some()
                && c.cue.is_some_and(|r| {
                    let cue = self.doc.slice(r).to_lowercase();
                    cue.starts_with("tel") || cue == "told"
                });
            if outlet.is_some() {
                interview.insert(key.clone(), outlet.clone());
            } else if c.addressee {
                interview.insert(key.clone(), None);
            } else if let Some(o) = interview.get(&key).cloned().flatten()
                && !general
            {
                outlet = Some(o);
            }
            if let Some(sp) = &speaker
                && person
            {
                *salience.entry(sp.name.clone()).or_insert(0) += 1;
            }
            let last_sentence = self
                .doc
                .sentence_at(c.content.end().saturating_sub(1))
                .unwrap_or(c.sentence)
                .max(c.sentence);
            history.push((
                speaker.clone(),
                person,
                last_sentence,
                outlet.clone(),
                c.addressee,
            ));
            if c.kind == QuoteKind::Partial && speaker.is_none() && !c.unattributed_ok {
                continue;
            }
            facts.push(QuoteFacts {
                key,
                own_outlet,
                addressee: c.addressee || general,
                sentence: c.sentence,
            });
            quotes.push(Quote {
                range: c.content,
                kind: c.kind,
                speaker,
                outlet,
                cue: c.cue,
            });
        }
        lede_outlets(&mut quotes, &facts);
        quotes
    }

    /// A cue in the perfect: `has said`, `have long argued`, `had repeatedly said`.
    fn perfect_cue(&self, cue: TextRange) -> bool {
        let at = self.word_at_or_after(cue.start());
        (at.saturating_sub(3)..at)
            .rev()
            .take_while(|&k| {
                self.word(k).is_some_and(|w| {
                    !w.quoted
                        && w.is_alpha()
                        && (matches!(w.lower.as_str(), "has" | "have" | "had")
                            || w.lower.ends_with("ly")
                            || matches!(w.lower.as_str(), "long" | "also" | "often" | "since"))
                })
            })
            .any(|k| {
                self.word(k)
                    .is_some_and(|w| matches!(w.lower.as_str(), "has" | "have" | "had"))
            })
    }

    /// The organization a definite description refers to (`the Fund's press office`, `the
    /// police`, `its security researchers`, `The NGOs`): the organization its possessor
    /// names, else the last speaker or organization whose name ends with the head noun
    /// (`Israeli police`), else the last organization that spoke in the last four sentences.
    fn resolve_group_description(
        &self,
        mentions: &[Mention],
        history: &[HistoryEntry],
        position: usize,
        sentence: usize,
        head: &str,
        possessor: Option<&str>,
    ) -> Option<Speaker> {
        let speaker = |name: &str, entity: Option<u32>| Speaker {
            name: name.to_string(),
            entity,
            range: None,
        };
        let earlier = || mentions.iter().rev().filter(|m| m.start < position);
        if let Some(possessor) = possessor {
            let named = earlier()
                .filter(|m| !m.person && name_key(&m.name) == possessor.to_lowercase())
                .max_by_key(|m| m.name.split_whitespace().count());
            if let Some(m) = named {
                return Some(speaker(&m.name, m.entity));
            }
        }
        let recent = || {
            history
                .iter()
                .rev()
                .take_while(|(_, _, s, _, _)| sentence <= s + 4)
                .filter_map(|(sp, person, _, _, _)| sp.as_ref().filter(|_| !*person))
        };
        if let Some(sp) = recent().find(|sp| name_key(&sp.name) == head) {
            return Some(speaker(&sp.name, sp.entity));
        }
        if let Some(m) = earlier().find(|m| !m.person && name_key(&m.name) == head) {
            return Some(speaker(&m.name, m.entity));
        }
        if let Some(sp) = recent().next() {
            return Some(speaker(&sp.name, sp.entity));
        }
        // `its researchers` after `said security firm Lookout`: a one-word name may have
        // been taken for a person.
        history
            .iter()
            .rev()
            .take_while(|(_, _, s, _, _)| sentence <= s + 4)
            .filter_map(|(sp, _, _, _, _)| sp.as_ref())
            .find(|sp| sp.name.split_whitespace().count() == 1)
            .map(|sp| speaker(&sp.name, sp.entity))
    }

    /// Sentences that name the outlet of an interview without quoting it (`Trump was asked
    /// in an interview on Fox News' "Fox and Friends" if ...`, `Speaking to the BBC, Nazary
    /// ...`): the first name in them (the subject), with the outlet, at the sentence's start.
    fn interview_announcements(&self, mentions: &[Mention]) -> Vec<(usize, String, Outlet)> {
        let mut out = Vec::new();
        for range in &self.sentence_words {
            let interview = range.clone().any(|k| {
                self.word(k).is_some_and(|w| {
                    !w.quoted
                        && matches!(
                            w.lower.as_str(),
                            "interview" | "interviewed" | "speaking" | "appearing" | "spoke"
                        )
                })
            });
            if !interview {
                continue;
            }
            let (Some(first), Some(last)) = (
                self.word(range.start),
                self.word(range.end.saturating_sub(1)),
            ) else {
                continue;
            };
            let Some(outlet) =
                self.outlet_in(range.start, range.end, TextRange::default(), range.start)
            else {
                continue;
            };
            // The subject: the first name in the sentence that is not the outlet.
            let named = mentions.iter().find(|m| {
                m.start >= first.range.start()
                    && m.start < last.range.end()
                    && self.lex.canonical_outlet(&m.name).is_none()
            });
            if let Some(m) = named {
                out.push((first.range.start(), name_key(&m.name), outlet));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_document::{Entity, Metadata};

    fn with_entities(text: &str, entities: &[(&str, EntityLabel)]) -> Document {
        let mut doc = Document::new(text.to_string(), Metadata::default());
        crate::simple_segment(&mut doc);
        for (referent, (name, label)) in entities.iter().enumerate() {
            let start = text.find(name).unwrap_or(0);
            doc.entities.push(Entity {
                range: TextRange::new(start, start + name.len()),
                label: *label,
                canonical: (*name).to_string(),
                referent: referent as u32,
                actor: None,
            });
        }
        doc.entities.sort_by_key(|e| e.range.start());
        doc
    }

    #[test]
    fn the_entity_that_reaches_the_end_of_the_speaker_phrase_names_the_speaker() {
        let doc = with_entities(
            "The mayor of the City of Port Allen Sharon Weston Brooks, also at the press \
             conference, said \"this is a tragedy for the whole community.\"",
            &[
                ("City", EntityLabel::Gpe),
                ("Port Allen Sharon Weston Brooks", EntityLabel::Org),
            ],
        );
        let quotes = find_quotes(&doc, &Lexicon::builtin().unwrap());
        let speaker = quotes.first().and_then(|q| q.speaker.as_ref());
        assert_eq!(
            speaker.map(|s| s.name.as_str()),
            Some("Port Allen Sharon Weston Brooks")
        );
    }
}
