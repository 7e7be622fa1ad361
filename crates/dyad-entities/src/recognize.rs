//! Mention recognition in one sentence: tagger spans, then list names, knowledge-base names
//! and person rules on top (see the crate documentation for the order and precedence).

use crate::features::{PreparedSentence, fold};
use crate::gazetteer::{Gazetteer, TitleKind};
use crate::model::{NerModel, spans};
use crate::rules::{
    is_acronym, is_connector, places_after_prepositions, relabel_by_head, split_titles,
};
use dyad_document::{EntityLabel, PosTag};

/// A mention found in a sentence, in sentence token indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub label: EntityLabel,
    /// The list's canonical name when a list name covers the mention exactly.
    pub list_canonical: Option<String>,
    /// Actor code and KB canonical name.
    pub actor: Option<(String, String)>,
    /// A descriptive noun phrase (`the resistance leader`), kept only if it finds an antecedent.
    pub nominal: bool,
    /// The role word next to the mention (`spokesman`), or the head of a nominal.
    pub role: Option<String>,
}

fn has_upper(word: &str) -> bool {
    word.chars().any(char::is_uppercase)
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_determiner(word: &str) -> bool {
    matches!(word, "the" | "The" | "a" | "A" | "an" | "An")
}

fn is_possessive(word: &str) -> bool {
    matches!(fold(word).as_str(), "'s" | "'" | "s")
}

/// Finds the mentions of one sentence. `words` and `tags` are the sentence's tokens.
pub(crate) fn recognize(
    model: &NerModel,
    gazetteer: &Gazetteer,
    prepared: &PreparedSentence,
    words: &[&str],
    tags: &[Option<PosTag>],
) -> Vec<Mention> {
    let n = words.len();
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let classes = model.tag(prepared);
    let mut mentions: Vec<Mention> = spans(&classes)
        .into_iter()
        .map(|(start, end, label)| Mention {
            start,
            end,
            label,
            list_canonical: None,
            actor: None,
            nominal: false,
            role: None,
        })
        .collect();

    // Trim determiners, possessives, punctuation and trailing lowercase words
    // (`Taliban fighters` → `Taliban`, as OntoNotes annotates).
    for m in &mut mentions {
        while m.start < m.end && (is_determiner(word(m.start)) || !has_alnum(word(m.start))) {
            m.start += 1;
        }
        while m.end > m.start {
            let last = word(m.end - 1);
            if is_possessive(last) || !has_alnum(last) || (!has_upper(last) && !has_digit(last)) {
                m.end -= 1;
            } else {
                break;
            }
        }
    }
    mentions.retain(|m| m.end > m.start && (m.start..m.end).any(|i| has_upper(word(i))));

    // List names: outlets win over any overlapping span; other list names relabel an exact
    // span of a place-like label and fill gaps.
    for name in &prepared.names {
        let overlapping: Vec<usize> = (0..mentions.len())
            .filter(|&k| mentions[k].start < name.end && name.start < mentions[k].end)
            .collect();
        let list_mention = Mention {
            start: name.start,
            end: name.end,
            label: name.label,
            list_canonical: Some(name.canonical.clone()),
            actor: None,
            nominal: false,
            role: None,
        };
        if name.label == EntityLabel::Media {
            // A person or org span that merely contains the outlet (`BBC Persian service
            // chief`) is rare; the outlet wins.
            let mut k = overlapping.len();
            while k > 0 {
                k -= 1;
                mentions.remove(overlapping[k]);
            }
            mentions.push(list_mention);
        } else if overlapping.is_empty() {
            mentions.push(list_mention);
        } else if overlapping
            .iter()
            .all(|&k| name.start <= mentions[k].start && mentions[k].end <= name.end)
            && overlapping
                .iter()
                .any(|&k| mentions[k].end - mentions[k].start < name.end - name.start)
        {
            // `Panjshir` inside the list's `Panjshir valley`: the list name is the mention.
            let mut k = overlapping.len();
            while k > 0 {
                k -= 1;
                mentions.remove(overlapping[k]);
            }
            mentions.push(list_mention);
        } else if let [k] = overlapping[..]
            && mentions[k].start == name.start
            && mentions[k].end == name.end
        {
            let m = &mut mentions[k];
            // Multi-word list names are unambiguous (`Twin Towers`); one word may be a
            // person or an organization (`Washington`, `Congress`), so trust the tagger there.
            if name.end - name.start > 1
                || !matches!(m.label, EntityLabel::Person | EntityLabel::Org)
            {
                m.label = name.label;
            }
            m.list_canonical = Some(name.canonical.clone());
        }
    }

    // Hyphenated demonyms and country names (`Soviet-Afghan`, `US-Afghan`) are NORP.
    for m in &mut mentions {
        if m.end == m.start + 1 && word(m.start).contains('-') {
            let parts: Vec<&str> = word(m.start).split('-').collect();
            let all_names = parts.len() >= 2
                && parts.iter().all(|p| {
                    gazetteer
                        .find(&[p])
                        .first()
                        .is_some_and(|n| matches!(n.label, EntityLabel::Norp | EntityLabel::Gpe))
                });
            if all_names {
                m.label = EntityLabel::Norp;
            }
        }
    }

    // Knowledge-base actor names: extend overlapping spans to the full dictionary name,
    // or add capitalized names the tagger missed.
    for (a, class) in prepared.actors.iter().zip(&prepared.actor_classes) {
        if *class == 4 {
            continue;
        }
        let (start, end) = (a.start_token, a.end_token);
        let capitalized = starts_upper(word(start))
            && starts_upper(word(end - 1))
            && (start..end).all(|i| starts_upper(word(i)) || is_connector(word(i)));
        if !capitalized {
            continue;
        }
        let overlapping: Vec<usize> = (0..mentions.len())
            .filter(|&k| mentions[k].start < end && start < mentions[k].end)
            .collect();
        if overlapping.is_empty() {
            // A capitalized first word is often no name; an acronym is (`ISIL fighters`).
            let sentence_initial_single = start == 0 && end == 1;
            if sentence_initial_single && *class != 1 && !is_acronym(word(start)) {
                continue;
            }
            // Dated dictionary roles mark people, but one-word names (`ISIL`) are more
            // often groups with dated codes, and group codes are never people.
            let label = match class {
                1 => EntityLabel::Gpe,
                _ if gazetteer.is_group_code(&a.code) => EntityLabel::Org,
                2 if end - start >= 2 => EntityLabel::Person,
                _ => EntityLabel::Org,
            };
            mentions.push(Mention {
                start,
                end,
                label,
                list_canonical: None,
                actor: None,
                nominal: false,
                role: None,
            });
            continue;
        }
        let covers_all = overlapping
            .iter()
            .all(|&k| start <= mentions[k].start && mentions[k].end <= end);
        let longer = overlapping
            .iter()
            .all(|&k| mentions[k].end - mentions[k].start < end - start);
        if covers_all && longer && end - start >= 2 {
            let label = overlapping
                .iter()
                .map(|&k| &mentions[k])
                .max_by_key(|m| m.end - m.start)
                .map_or(EntityLabel::Org, |m| m.label);
            let label = if label == EntityLabel::Media {
                EntityLabel::Org
            } else {
                label
            };
            let mut k = overlapping.len();
            while k > 0 {
                k -= 1;
                mentions.remove(overlapping[k]);
            }
            mentions.push(Mention {
                start,
                end,
                label,
                list_canonical: None,
                actor: None,
                nominal: false,
                role: None,
            });
        }
    }

    // Role phrases and titles inside spans, name heads, places after prepositions
    // (the `rules` module).
    split_titles(&mut mentions, words, gazetteer, prepared);
    relabel_by_head(&mut mentions, words, gazetteer);
    places_after_prepositions(&mut mentions, words, gazetteer, prepared);

    // Titles and roles before capitalized words the tagger missed name a person
    // (`spokesman Zabihullah Mujahid`, `Gen. Mark Milley`).
    let covered =
        |mentions: &[Mention], i: usize| mentions.iter().any(|m| m.start <= i && i < m.end);
    let mut i = 0;
    while i + 1 < n {
        if gazetteer.title_kind(word(i)).is_some() && !covered(&mentions, i + 1) {
            let mut end = i + 1;
            while end < n
                && end - (i + 1) < 3
                && starts_upper(word(end))
                && word(end).chars().any(char::is_lowercase)
                && tags.get(end).copied().flatten() == Some(PosTag::NNP)
                && gazetteer.title_kind(word(end)).is_none()
                && gazetteer.head_kind(word(end)).is_none()
                && !covered(&mentions, end)
            {
                end += 1;
            }
            if end > i + 1 {
                mentions.push(Mention {
                    start: i + 1,
                    end,
                    label: EntityLabel::Person,
                    list_canonical: None,
                    actor: None,
                    nominal: false,
                    role: None,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }

    // Roles attached to persons: `Taliban spokesman Zabihullah Mujahid`, `Ali Nazary, head of`.
    for m in &mut mentions {
        if m.label != EntityLabel::Person {
            continue;
        }
        let before = m.start.checked_sub(1).map(word);
        let after = if word(m.end) == "," {
            Some(word(m.end + 1))
        } else {
            None
        };
        for w in [before, after].into_iter().flatten() {
            if gazetteer.title_kind(w) == Some(TitleKind::Role) {
                m.role = Some(fold(w).to_lowercase());
            }
        }
    }

    // Descriptive noun phrases: `the 32-year-old resistance leader` (determiner, lowercase
    // modifiers, a role noun as head, not followed by `of` or a name).
    let mut i = 0;
    while i < n {
        if matches!(word(i), "the" | "The") {
            let mut j = i + 1;
            while j < n && j - i <= 4 && !has_upper(word(j)) && has_alnum(word(j)) {
                if gazetteer.title_kind(word(j)) == Some(TitleKind::Role)
                    && tags
                        .get(j)
                        .copied()
                        .flatten()
                        .is_some_and(|t| t == PosTag::NN)
                {
                    let next = word(j + 1);
                    let modifiers_ok = (i + 1..j).all(|k| {
                        tags.get(k).copied().flatten().is_some_and(|t| {
                            t.is_adjective() || t.is_noun() || t == PosTag::CD || t == PosTag::VBN
                        })
                    });
                    if modifiers_ok
                        && next != "of"
                        && !starts_upper(next)
                        && !covered(&mentions, j)
                        && !gazetteer
                            .title_kind(next)
                            .is_some_and(|k| k == TitleKind::Role)
                    {
                        mentions.push(Mention {
                            start: i,
                            end: j + 1,
                            label: EntityLabel::Person,
                            list_canonical: None,
                            actor: None,
                            nominal: true,
                            role: Some(fold(word(j)).to_lowercase()),
                        });
                    }
                    break;
                }
                j += 1;
            }
        }
        i += 1;
    }

    // Actor codes: the KB actor match that overlaps the mention most.
    for m in &mut mentions {
        if m.nominal {
            continue;
        }
        let best = prepared
            .actors
            .iter()
            .zip(&prepared.actor_classes)
            .filter(|(a, class)| **class != 4 && a.start_token < m.end && m.start < a.end_token)
            .max_by_key(|(a, _)| a.end_token.min(m.end) - a.start_token.max(m.start));
        if let Some((a, class)) = best {
            let inside = m.start <= a.start_token && a.end_token <= m.end;
            let covering = a.start_token <= m.start && m.end <= a.end_token;
            // A KB name inside a longer entity only codes it when it is the entity's head
            // (`Afghan` in `Afghan National Army` is not the army's code).
            let head = a.end_token == m.end || a.end_token - a.start_token == m.end - m.start;
            if (inside && head) || covering {
                m.actor = Some((a.code.clone(), a.name.clone()));
            }
            // A name the KB codes as a group (IGO, NGO, militarized group, company) is an
            // organization (`Daesh`, `Oxfam`, `Doctors Without Borders`), unless it is a
            // dated entry of several words: a member of the group (`Abu Bakr al-Baghdadi`).
            let group_member = *class == 2 && m.end - m.start >= 2;
            if covering
                && gazetteer.is_group_code(&a.code)
                && !group_member
                && !matches!(m.label, EntityLabel::Org | EntityLabel::Media)
            {
                m.label = EntityLabel::Org;
            }
        }
    }

    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    // Overlaps left by the rules: keep the first (longest at a start).
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if out.last().is_some_and(|last: &Mention| m.start < last.end) {
            continue;
        }
        out.push(m);
    }
    out
}

fn has_alnum(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

fn has_digit(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}
