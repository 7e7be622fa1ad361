//! Organization readings: mentions whose label is right but that also stand for an
//! organization in their sentence.
//!
//! A country's name is a GPE (OntoNotes, and dyad's JSON contract), yet `The United States
//! strongly condemns the attack` means its government acts; annotation schemes that split
//! the two senses (ACE's GPE roles, re3d's Organisation) read such a mention as an
//! organization. Likewise a demonym or country before a group noun heads an organization
//! (`Iraqi security forces`, `the U.S. military`), as does a person before one (`the Assad
//! regime`), and `the Government of Iraq` is one. [`organization_readings`] finds these from
//! the entities, words and POS tags of a tagged document, without changing the entities:
//!
//! - **Subject**: a GPE at the start of a clause (sentence start, after a conjunction,
//!   punctuation or a subordinator, or after `The`), possibly coordinated with other GPEs
//!   (`the United States and Iraq signed`) or followed by adverbs or one parenthetical
//!   (`The UK, as part of the Global Coalition, is`), before a finite verb or modal.
//! - **Subject of an infinitive**: `enable Iraq to access`, `for Russia to use`.
//! - **Possessive**: `the UK's commitment`, unless a part of the place follows (`Iraq's
//!   north`; `data/organizations.tsv`, kind `part`).
//! - **Partner**: after `with`, `between`, `against`, `ally`, `partner` (`working closely with
//!   Turkey`, `our ally Turkey`), and the GPEs coordinated with it.
//! - **Group of**: a group noun, then `of` (`the Government of Iraq`, kind `group`).
//! - **Group head**: a demonym, country or person, up to two adjectives or nouns, then a group
//!   noun (`Iraqi security forces`, `Assad's brutal regime`).
//!
//! A GPE after a locative preposition or compass adjective (`in Iraq`, `northern Iraq`) is
//! never read as an organization.

use crate::gazetteer::Gazetteer;
use dyad_document::{Document, EntityLabel, PosTag, TextRange};

/// Why a mention reads as an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingCue {
    /// A GPE subject of a finite verb (`The United States condemns`).
    Subject,
    /// A GPE subject of an infinitive (`enable Iraq to access`).
    InfinitiveSubject,
    /// A possessive GPE (`the UK's commitment`).
    Possessive,
    /// A GPE partner or opponent (`with Turkey`, `our ally Turkey`).
    Partner,
    /// A group noun of a GPE (`the Government of Iraq`).
    GroupOf,
    /// A demonym, country or person heading a group noun (`Iraqi security forces`).
    GroupHead,
}

impl ReadingCue {
    /// The name used in the JSON contract (`subject`, `possessive` ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingCue::Subject => "subject",
            ReadingCue::InfinitiveSubject => "infinitive_subject",
            ReadingCue::Possessive => "possessive",
            ReadingCue::Partner => "partner",
            ReadingCue::GroupOf => "group_of",
            ReadingCue::GroupHead => "group_head",
        }
    }
}

/// One organization reading of an entity mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgReading {
    /// Index of the entity in `Document::entities`.
    pub entity: usize,
    /// The organization's words: the entity's own range, or the phrase it heads or ends
    /// (`Iraqi security forces`, `Government of Iraq`).
    pub range: TextRange,
    /// The rule that found it.
    pub cue: ReadingCue,
}

/// Words after which a GPE is a place, not an actor.
fn is_place_context(lower: &str) -> bool {
    matches!(
        lower,
        "in" | "into"
            | "across"
            | "from"
            | "to"
            | "near"
            | "throughout"
            | "within"
            | "inside"
            | "outside"
            | "around"
            | "at"
            | "towards"
            | "toward"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "central"
            | "northeastern"
            | "northwestern"
            | "southeastern"
            | "southwestern"
    )
}

/// Words that may open a clause before its subject.
fn opens_clause(lower: &str) -> bool {
    matches!(
        lower,
        "that"
            | "as"
            | "while"
            | "because"
            | "since"
            | "when"
            | "if"
            | "whether"
            | "although"
            | "though"
            | "and"
            | "but"
            | "so"
            | "today"
            | "yesterday"
            | "meanwhile"
            | "however"
            | "why"
            | "where"
            | "how"
            | "which"
    )
}

/// Words after which a GPE is a partner or opponent.
fn is_partner_cue(lower: &str) -> bool {
    matches!(
        lower,
        "with" | "between" | "against" | "ally" | "allies" | "partner" | "partners"
    )
}

fn is_possessive(lower: &str) -> bool {
    matches!(lower, "'s" | "'" | "\u{2019}s" | "\u{2019}")
}

fn is_determiner_or_our(lower: &str) -> bool {
    matches!(lower, "the" | "our" | "their" | "its")
}

/// Finds the organization readings of `doc`'s entities (see the module documentation).
/// Needs tokens with tags and entities; returns readings in entity order. Never panics.
pub fn organization_readings(doc: &Document, gazetteer: &Gazetteer) -> Vec<OrgReading> {
    let mut out = Vec::new();
    // Token spans of the entities, and the sentence token range of each.
    let spans: Vec<(usize, usize)> = doc
        .entities
        .iter()
        .map(|e| {
            let r = doc.tokens_in(e.range);
            (r.start, r.end)
        })
        .collect();
    // Entities are in text order and do not overlap: a binary search finds the one at `i`.
    let entity_at = |i: usize| {
        let k = spans.partition_point(|&(_, end)| end <= i);
        spans.get(k).filter(|&&(start, _)| start <= i).map(|_| k)
    };
    for (k, entity) in doc.entities.iter().enumerate() {
        let Some(&(s, e)) = spans.get(k) else {
            continue;
        };
        if e <= s {
            continue;
        }
        let Some(sentence) = doc
            .sentence_at(entity.range.start())
            .and_then(|i| doc.sentences.get(i))
        else {
            continue;
        };
        let bounds = doc.tokens_in(sentence.range);
        let lower = |i: usize| -> &str {
            if bounds.contains(&i) {
                doc.token_norm(i)
            } else {
                ""
            }
        };
        let tag = |i: usize| -> Option<PosTag> {
            if bounds.contains(&i) {
                doc.tokens.get(i).and_then(|t| t.tag)
            } else {
                None
            }
        };
        let before = |i: usize| i.checked_sub(1).filter(|p| *p >= bounds.start);
        let range_of = |a: usize, b: usize| -> Option<TextRange> {
            let first = doc.tokens.get(a)?;
            let last = doc.tokens.get(b.checked_sub(1)?)?;
            Some(TextRange::new(first.range.start(), last.range.end()))
        };
        let mut push = |range: Option<TextRange>, cue: ReadingCue| {
            if let Some(range) = range {
                out.push(OrgReading {
                    entity: k,
                    range,
                    cue,
                });
            }
        };

        // Group head: demonym, country or person + up to two modifiers + group noun.
        if matches!(
            entity.label,
            EntityLabel::Norp | EntityLabel::Gpe | EntityLabel::Person
        ) {
            let mut j = e;
            if entity.label == EntityLabel::Person && is_possessive(lower(j)) {
                j += 1;
            }
            let mut head = None;
            for step in 0..3 {
                let w = lower(j + step);
                let Some(t) = tag(j + step) else { break };
                if !(t.is_noun() || t.is_adjective() || t == PosTag::VBN)
                    || entity_at(j + step).is_some()
                {
                    break;
                }
                if gazetteer.is_group_noun(w) && t.is_noun() {
                    head = Some(j + step);
                    break;
                }
            }
            // A plural demonym is a people (`Iraqis`), not a modifier.
            let modifier = entity.label != EntityLabel::Norp || tag(e - 1) != Some(PosTag::NNPS);
            if let Some(h) = head
                && modifier
            {
                push(range_of(s, h + 1), ReadingCue::GroupHead);
                continue;
            }
        }
        if entity.label != EntityLabel::Gpe {
            continue;
        }

        // Skip a determiner or possessive pronoun before the name.
        let mut p = before(s);
        if let Some(i) = p
            && is_determiner_or_our(lower(i))
        {
            p = before(i);
        }
        let prev = p.map_or("", lower);
        if is_place_context(prev) {
            continue;
        }
        // Group of: `the Government of Iraq`.
        if prev == "of"
            && let Some(g) = p.and_then(before)
            && gazetteer.is_group_noun(lower(g))
        {
            let mut start = g;
            if let Some(b) = before(g)
                && tag(b).is_some_and(|t| t == PosTag::NNP || t.is_adjective())
                && entity_at(b).is_none()
            {
                start = b;
            }
            push(range_of(start, e), ReadingCue::GroupOf);
            continue;
        }
        // Possessive.
        if is_possessive(lower(e)) {
            if !gazetteer.is_place_part(lower(e + 1)) {
                push(range_of(s, e), ReadingCue::Possessive);
            }
            continue;
        }
        // Partner: `with Turkey`, `our ally Turkey`, and GPEs coordinated after one.
        let mut q = p;
        let mut cue_word = prev;
        while let Some(i) = q
            && matches!(lower(i), "and" | ",")
            && let Some(other) = before(i).and_then(entity_at)
            && doc
                .entities
                .get(other)
                .is_some_and(|o| o.label == EntityLabel::Gpe)
        {
            let other_start = spans.get(other).map_or(0, |x| x.0);
            q = before(other_start);
            if let Some(d) = q
                && is_determiner_or_our(lower(d))
            {
                q = before(d);
            }
            cue_word = q.map_or("", lower);
        }
        if is_partner_cue(cue_word) {
            push(range_of(s, e), ReadingCue::Partner);
            continue;
        }
        // Subject of an infinitive: `enable Iraq to access`.
        if lower(e) == "to" && matches!(tag(e + 1), Some(PosTag::VB | PosTag::VBP)) {
            push(range_of(s, e), ReadingCue::InfinitiveSubject);
            continue;
        }
        // Subject of a finite verb, at the start of a clause.
        let clause_start = match p {
            None => true,
            Some(i) => {
                opens_clause(prev)
                    || tag(i) == Some(PosTag::CC)
                    || !lower(i).chars().any(char::is_alphanumeric)
            }
        };
        if !clause_start {
            continue;
        }
        let mut j = e;
        // Coordinated GPEs: `the United States and Iraq signed`.
        while matches!(lower(j), "and" | ",") {
            let mut n = j + 1;
            if is_determiner_or_our(lower(n)) {
                n += 1;
            }
            match entity_at(n) {
                Some(o)
                    if doc
                        .entities
                        .get(o)
                        .is_some_and(|x| x.label == EntityLabel::Gpe) =>
                {
                    j = spans.get(o).map_or(n + 1, |x| x.1);
                }
                _ => break,
            }
        }
        // One parenthetical: `The UK, as part of the Global Coalition, is`.
        if lower(j) == ","
            && let Some(close) = (j + 1..(j + 12).min(bounds.end)).find(|&i| lower(i) == ",")
        {
            j = close + 1;
        }
        while tag(j).is_some_and(|t| matches!(t, PosTag::RB | PosTag::RBR | PosTag::RBS)) {
            j += 1;
        }
        if tag(j).is_some_and(|t| matches!(t, PosTag::VBZ | PosTag::VBD | PosTag::VBP | PosTag::MD))
        {
            push(range_of(s, e), ReadingCue::Subject);
        }
    }
    out
}
