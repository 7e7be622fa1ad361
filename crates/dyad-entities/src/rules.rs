//! Rules on top of the tagger that fix what a news-trained tagger gets wrong in a general way
//! (see the crate documentation for where they run):
//!
//! - **Titles inside a span** (`Foreign Secretary Boris Johnson` tagged ORG): the capitalized
//!   words after the last title, role or knowledge-base role phrase are the person; a name
//!   before the title stays an organization or place (`U.S. Army General Joseph Votel` →
//!   `U.S. Army`, `Joseph Votel`). A span that is only a role phrase (`the Foreign
//!   Secretary`, `Defence Secretary`) becomes a descriptive mention of a person, kept only
//!   when it finds one.
//! - **Name heads** (`data/organizations.tsv`): a name ending in an organization head is an
//!   ORG (`Popular Mobilization Forces`, `158th Fighter Wing`), one ending in a facility head
//!   is no person (`Trump Tower`), nor is one ending in a place head (`Salah ad Din
//!   Province`); a ship's name (`HMS Ocean`) is dropped; a capitalized standalone head inside a sentence is an ORG
//!   (`the Coalition`).
//! - **Places after locative prepositions**: a one-word `PERSON`, or a one-word `ORG` that is
//!   no acronym, list, knowledge-base or organization-head name, right after `in`, `near`,
//!   `outside`... is a place (`fighting in Raqqah`, `strikes near Sinjar`).
//! - **Place heads** also relabel an ORG (`Arabian Gulf`, `Gulf of Oman`: `data/organizations.tsv`
//!   kind `loc`); **weapon acronyms** (`VBIED`, `UAV`; kind `weapon`) alone are no entity.

use crate::features::{PreparedSentence, fold};
use crate::gazetteer::{Gazetteer, HeadKind};
use crate::recognize::Mention;
use dyad_document::EntityLabel;

/// Words that may sit inside a capitalized name (`National Resistance Front of Afghanistan`).
pub(crate) fn is_connector(word: &str) -> bool {
    matches!(
        word,
        "of" | "for" | "and" | "al" | "el" | "bin" | "de" | "-" | "&" | "the"
    )
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// An all-capitals word of two or more letters (`ISIL`, `U.N.`).
pub(crate) fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '.' || c == '-')
}

fn is_determiner(word: &str) -> bool {
    matches!(word, "the" | "The" | "a" | "A" | "an" | "An")
}

fn mention(start: usize, end: usize, label: EntityLabel) -> Mention {
    Mention {
        start,
        end,
        label,
        list_canonical: None,
        actor: None,
        nominal: false,
        role: None,
    }
}

/// Splits role phrases off names: see the module documentation.
pub(crate) fn split_titles(
    mentions: &mut Vec<Mention>,
    words: &[&str],
    gazetteer: &Gazetteer,
    prepared: &PreparedSentence,
) {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    // KB phrases of several words with a title in them are role phrases (`Secretary of
    // State`, an agent; `US Secretary of State`, an actor coded USAGOV), not `Interior Ministry`.
    // A dated KB entry is a person (`President Trump`), not a role.
    let roles: Vec<(usize, usize)> = prepared
        .actors
        .iter()
        .zip(&prepared.actor_classes)
        .filter(|(_, class)| **class != 2)
        .map(|(a, _)| a)
        .filter(|a| {
            a.end_token - a.start_token >= 2
                && !gazetteer.is_group_code(&a.code)
                && (a.start_token..a.end_token).any(|i| gazetteer.title_kind(word(i)).is_some())
        })
        .map(|a| (a.start_token, a.end_token))
        .collect();
    let title_like = |i: usize| {
        gazetteer.title_kind(word(i)).is_some() || roles.iter().any(|&(s, e)| s <= i && i < e)
    };
    // Name words: capitalized (`Boris`), or an Arabic article joined to one (`al-Baghdadi`).
    let name_like = |i: usize| {
        let w = word(i);
        let capitalized = (starts_upper(w) && w.chars().any(char::is_lowercase))
            || ["al-", "el-", "bin-"].iter().any(|p| {
                w.strip_prefix(p)
                    .is_some_and(|rest| starts_upper(rest) && rest.chars().count() >= 2)
            });
        capitalized
            && gazetteer.title_kind(w).is_none()
            && gazetteer.head_kind(w).is_none()
            && !is_connector(w)
    };
    // A name before the title stays a name when the lists or the KB know it, or it is long
    // enough to be one (`U.S. Army`), not a lone modifier (`Foreign`).
    let known_name = |s: usize, e: usize| {
        e > s
            && (e - s >= 2
                || is_acronym(word(s))
                || prepared.names.iter().any(|n| s <= n.start && n.end <= e)
                || prepared
                    .actors
                    .iter()
                    .zip(&prepared.actor_classes)
                    .any(|(a, c)| *c != 4 && s <= a.start_token && a.end_token <= e))
    };
    let mut added: Vec<Mention> = Vec::new();
    let mut k = 0;
    while k < mentions.len() {
        let Some(m) = mentions.get(k) else { break };
        let (s, e, label) = (m.start, m.end, m.label);
        // KB organizations keep their names (`General Motors`); a KB name with a country's
        // code may be a role (`US Secretary of State` is USAGOV).
        let kb_name = prepared
            .actors
            .iter()
            .any(|a| gazetteer.is_group_code(&a.code) && a.start_token <= s && e <= a.end_token);
        if m.nominal || label == EntityLabel::Media || kb_name {
            k += 1;
            continue;
        }
        let Some(last_title) = (s..e).rev().find(|&i| title_like(i)) else {
            k += 1;
            continue;
        };
        // The first title word proper: a KB role phrase may start with a country (`US`).
        let first_title = (s..e).find(|&i| gazetteer.title_kind(word(i)).is_some());
        let Some(first_title) = first_title.or_else(|| (s..e).find(|&i| title_like(i))) else {
            k += 1;
            continue;
        };
        // `Minister of Foreign Affairs`: words after `of` belong to the role.
        let name_start = if matches!(word(last_title + 1), "of" | "for") {
            e
        } else {
            last_title + 1
        };
        // A title inside an organization name (`Office of the Director of ...`).
        let residue_end = first_title;
        if residue_end > s && is_connector(word(residue_end - 1)) {
            k += 1;
            continue;
        }
        let mut residue_start = s;
        while residue_start < residue_end && is_determiner(word(residue_start)) {
            residue_start += 1;
        }
        let residue = known_name(residue_start, residue_end).then(|| {
            let exact = prepared
                .names
                .iter()
                .find(|n| n.start == residue_start && n.end == residue_end);
            let mut r = mention(
                residue_start,
                residue_end,
                match exact {
                    Some(n) => n.label,
                    None if label == EntityLabel::Person => EntityLabel::Org,
                    None => label,
                },
            );
            r.list_canonical = exact.map(|n| n.canonical.clone());
            r
        });
        let role_word = (s..name_start)
            .rev()
            .find(|&i| gazetteer.title_kind(word(i)).is_some())
            .unwrap_or(last_title);
        let role = Some(fold(word(role_word)).to_lowercase());
        if name_start < e {
            let name_ok = e - name_start <= 3 && (name_start..e).all(name_like);
            // `President Donald Trump` keeps its title, as the tagger learned.
            let only_titles = (s..name_start).all(|i| gazetteer.title_kind(word(i)).is_some());
            if !name_ok || (label == EntityLabel::Person && only_titles) {
                k += 1;
                continue;
            }
            let mut person = mention(name_start, e, EntityLabel::Person);
            person.role = role;
            mentions.remove(k);
            added.push(person);
            added.extend(residue);
            continue;
        }
        // The span is a role phrase (`Foreign Secretary`, `US Secretary of State`). A name
        // right after it is the person (`Secretary of State Antony Blinken`).
        if let Some(next) = mentions.iter_mut().find(|n| n.start == e) {
            if next.label == EntityLabel::Person && !next.nominal {
                next.role = role;
                mentions.remove(k);
                added.extend(residue);
                continue;
            }
        } else {
            let mut name_end = e;
            while name_end < words.len() && name_end - e < 3 && name_like(name_end) {
                name_end += 1;
            }
            let covered = mentions.iter().any(|n| n.start < name_end && e < n.end);
            if name_end > e && !covered {
                let mut person = mention(e, name_end, EntityLabel::Person);
                person.role = role;
                mentions.remove(k);
                added.push(person);
                added.extend(residue);
                continue;
            }
        }
        let phrase_start = if residue.is_some() {
            residue_end
        } else {
            residue_start
        };
        let mut phrase = mention(phrase_start, e, EntityLabel::Person);
        phrase.nominal = true;
        phrase.role = role;
        if phrase_start > 0 && is_determiner(word(phrase_start - 1)) && residue.is_none() {
            phrase.start = phrase_start - 1;
        }
        mentions.remove(k);
        added.push(phrase);
        added.extend(residue);
    }
    mentions.extend(added);
}

/// Relabels names by their last word and adds standalone organization heads; see the module
/// documentation.
pub(crate) fn relabel_by_head(mentions: &mut Vec<Mention>, words: &[&str], gazetteer: &Gazetteer) {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    // Ships (`HMS Ocean`) and weapon acronyms (`VBIED`) are none of the labels.
    mentions.retain(|m| {
        let ship = m.end > m.start + 1 && gazetteer.is_vessel_prefix(word(m.start));
        let weapon = m.end == m.start + 1 && gazetteer.is_weapon_acronym(word(m.start));
        !(ship || weapon)
    });
    for m in mentions.iter_mut().filter(|m| !m.nominal) {
        let Some(last) = m.end.checked_sub(1) else {
            continue;
        };
        // `Gulf of Oman`, `Province of Idlib`: the head comes before `of`.
        let head = if m.end > m.start + 2
            && word(m.start + 1) == "of"
            && gazetteer.head_kind(word(m.start)) == Some(HeadKind::Place)
        {
            m.start
        } else {
            last
        };
        match gazetteer.head_kind(word(head)) {
            Some(HeadKind::Org | HeadKind::Standalone) => {
                let relabel = match m.label {
                    EntityLabel::Person | EntityLabel::Norp | EntityLabel::Fac => true,
                    EntityLabel::Gpe | EntityLabel::Loc => m.list_canonical.is_none(),
                    _ => false,
                };
                if relabel && starts_upper(word(last)) {
                    m.label = EntityLabel::Org;
                }
            }
            Some(HeadKind::Facility) if m.label == EntityLabel::Person => {
                m.label = EntityLabel::Fac;
            }
            Some(HeadKind::Place) if matches!(m.label, EntityLabel::Person | EntityLabel::Org) => {
                m.label = EntityLabel::Loc;
            }
            _ => {}
        }
    }
    // Names the tagger missed that end in an organization head: `the 158th Fighter Wing`,
    // `the Interior Ministry`, or a standalone head inside a sentence (`the Coalition`).
    let covered =
        |mentions: &[Mention], i: usize| mentions.iter().any(|m| m.start <= i && i < m.end);
    for i in 0..words.len() {
        let w = word(i);
        let kind = gazetteer.head_kind(w);
        if !matches!(kind, Some(HeadKind::Org | HeadKind::Standalone))
            || !starts_upper(w)
            || !w.chars().any(char::is_lowercase)
            || covered(mentions, i)
        {
            continue;
        }
        let mut start = i;
        while start > 0 && !covered(mentions, start - 1) && {
            let before = word(start - 1);
            (starts_upper(before) && !is_determiner(before)) || is_ordinal(before)
        } {
            start -= 1;
        }
        let standalone = kind == Some(HeadKind::Standalone) && start == i && i > 0;
        if (start < i && start > 0) || standalone {
            mentions.push(mention(start, i + 1, EntityLabel::Org));
        }
    }
}

/// `158th`, `5th`, `1st`.
fn is_ordinal(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(word.get(digits..), Some("st" | "nd" | "rd" | "th"))
}

/// Prepositions after which a one-word capitalized name is a place (`fighting in Raqqah`).
fn is_locative(word: &str) -> bool {
    matches!(
        word,
        "in" | "near"
            | "outside"
            | "around"
            | "across"
            | "into"
            | "inside"
            | "toward"
            | "towards"
            | "within"
            | "throughout"
    )
}

/// One-word persons and guessed organizations after locative prepositions are places; see
/// the module documentation.
pub(crate) fn places_after_prepositions(
    mentions: &mut [Mention],
    words: &[&str],
    gazetteer: &Gazetteer,
    prepared: &PreparedSentence,
) {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    for m in mentions.iter_mut() {
        if m.nominal || m.end != m.start + 1 {
            continue;
        }
        // A one-word ORG the tagger guessed (no acronym, list name, KB name or organization
        // head) after a locative preposition is a place too (`strikes near Sinjar`).
        let guessed_org = m.label == EntityLabel::Org
            && !is_acronym(word(m.start))
            && m.list_canonical.is_none()
            && gazetteer.head_kind(word(m.start)).is_none()
            && !prepared
                .actors
                .iter()
                .zip(&prepared.actor_classes)
                .any(|(a, c)| *c != 4 && a.start_token <= m.start && m.end <= a.end_token);
        if m.label != EntityLabel::Person && !guessed_org {
            continue;
        }
        let Some(before) = m.start.checked_sub(1) else {
            continue;
        };
        let possessive = matches!(fold(word(m.end)).as_str(), "'s" | "'");
        let kb_person = prepared
            .actors
            .iter()
            .zip(&prepared.actor_classes)
            .any(|(a, c)| *c == 2 && a.start_token <= m.start && m.end <= a.end_token);
        if is_locative(word(before)) && !possessive && !kb_person {
            m.label = EntityLabel::Gpe;
        }
    }
}
