//! Grouping mentions into referents, choosing canonical names and actor codes.
//!
//! Rules, applied to mentions in text order (the first that fires wins):
//! 1. **Same name**: the same normalized name (determiners, titles and possessives dropped,
//!    case folded) is the same referent; persons only join persons.
//! 2. **Person names**: a one-word person mention (`Massoud`) joins the person whose full
//!    name has that word as surname or given name. A bare name, once used for one referent,
//!    keeps pointing to it (**surname ownership**): news style names the main person by
//!    surname and gives a second person with the same surname their full name (`Massoud's
//!    father, Ahmad Shah Massoud`), so the full name starts a new referent but later bare
//!    `Massoud`s stay with the son. Without an owner a surname match beats a given-name
//!    match, then the most recent candidate wins.
//!    Full names join when they differ only by middle initials (`Donald J. Trump`).
//! 3. **Acronyms**: `National Resistance Front of Afghanistan (NRF)` — a mention right after
//!    an opening bracket that follows a mention joins it; later the acronym matches the
//!    initials of a referent's capitalized words (all, or those before `of`).
//! 4. **Same list name or KB entry**: `U.S.`, `America`, `United States` share the list's
//!    canonical name (the country list is keyed like the KB's country codes); ORGs with the
//!    same actor code *and* the same KB canonical name are one referent. Places do not merge
//!    by code, since a city carries its country's code (`Kabul` is `AFG`).
//! 0. **Label agreement**: a one-word name already established for a person is a person
//!    (`Mujahid` tagged ORG), and so is the surname of a person named before when no list
//!    name or other actor code says otherwise (`Trump` tagged ORG); a one-word `PERSON` that is an established place or group name,
//!    with no person it could be the surname of, takes that referent's label.
//! 5. **Descriptive noun phrases** (`the 32-year-old resistance leader`): the person referent
//!    mentioned in the last three sentences that carries that role word (`spokesman` from
//!    `Taliban spokesman Zabihullah Mujahid`), else the most mentioned one (ties: the most
//!    recent). Without a candidate the phrase is dropped: better no mention than a wrong link.
//!
//! The canonical name is the list's canonical name when a list names the referent, else the
//! longest named mention. The actor code is the code of the referent's longest coded mention,
//! given to every mention.

use crate::features::fold;
use crate::gazetteer::Gazetteer;
use crate::recognize::Mention;
use dyad_document::EntityLabel;
use std::collections::HashMap;

/// A mention placed in the document: token indices are document-wide.
#[derive(Debug, Clone)]
pub(crate) struct PlacedMention {
    pub mention: Mention,
    /// Document token indices.
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    /// The mention's words (token texts).
    pub words: Vec<String>,
    /// The text right before the mention is an opening bracket.
    pub after_bracket: bool,
}

/// The referent of each mention, its canonical name and code.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub referent: u32,
    /// The referent's label when the mention's own label disagrees with an established
    /// name (`Mujahid` tagged ORG after `Zabihullah Mujahid`).
    pub label: EntityLabel,
    pub canonical: String,
    pub actor: Option<String>,
}

#[derive(Debug, Default)]
struct Referent {
    label: Option<EntityLabel>,
    keys: Vec<String>,
    /// Multi-word person names, as lowercase words.
    full_names: Vec<Vec<String>>,
    acronyms: Vec<String>,
    list_canonical: Option<String>,
    kb: Option<(String, String)>,
    kb_words: usize,
    best_name: String,
    best_len: (usize, usize),
    mentions: u32,
    last_sentence: usize,
    roles: Vec<String>,
}

fn is_person(label: EntityLabel) -> bool {
    label == EntityLabel::Person
}

/// The name words of a mention: determiners, leading titles and a trailing possessive dropped.
fn name_words(m: &PlacedMention, gazetteer: &Gazetteer) -> Vec<String> {
    let mut words: Vec<String> = m.words.iter().map(|w| fold(w)).collect();
    while words.first().is_some_and(|w| {
        matches!(w.as_str(), "the" | "The")
            || (is_person(m.mention.label) && gazetteer.title_kind(w).is_some() && words.len() > 1)
    }) {
        words.remove(0);
    }
    while words.last().is_some_and(|w| w == "'s" || w == "'") {
        words.pop();
    }
    words
}

fn initials(words: &[String]) -> Vec<String> {
    let caps = |ws: &[String]| -> String {
        ws.iter()
            .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
            .collect()
    };
    let mut out = vec![caps(words)];
    if let Some(of) = words.iter().position(|w| w == "of") {
        out.push(caps(words.get(..of).unwrap_or(&[])));
    }
    out.retain(|a| a.chars().count() >= 2);
    out
}

/// The acronym a mention may be (`NRF`, `U.N.` → `UN`).
fn as_acronym(words: &[String]) -> Option<String> {
    let [w] = words else { return None };
    let letters: String = w.chars().filter(|c| *c != '.').collect();
    let n = letters.chars().count();
    ((2..=6).contains(&n) && letters.chars().all(|c| c.is_ascii_uppercase())).then_some(letters)
}

fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) | (Some(c), None, None) if c.is_alphabetic())
}

/// Groups the mentions of a document. Returns one entry per mention; `None` for a nominal
/// mention without an antecedent (the caller drops it).
pub(crate) fn group(mentions: &[PlacedMention], gazetteer: &Gazetteer) -> Vec<Option<Resolved>> {
    let mut referents: Vec<Referent> = Vec::new();
    let mut assigned: Vec<Option<usize>> = Vec::with_capacity(mentions.len());
    let mut labels: Vec<EntityLabel> = Vec::with_capacity(mentions.len());
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut by_key: HashMap<(bool, String), usize> = HashMap::new();

    for (index, m) in mentions.iter().enumerate() {
        let mut label = m.mention.label;
        let words = name_words(m, gazetteer);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let key = lower.join(" ");
        // One name, one kind of referent: a name already used for a person stays a person
        // (`Mujahid` tagged ORG), and a one-word `person` that is an established place or
        // group name with no person candidate takes that referent's label.
        if !is_person(label) && lower.len() == 1 && by_key.contains_key(&(true, key.clone())) {
            label = EntityLabel::Person;
        } else if !is_person(label)
            && lower.len() == 1
            && m.mention.list_canonical.is_none()
            && referents.iter().any(|r| {
                r.label == Some(EntityLabel::Person)
                    && r.full_names.iter().any(|n| n.last() == lower.first())
                    && match (&m.mention.actor, &r.kb) {
                        (Some((code, _)), Some((person_code, _))) => code == person_code,
                        (Some(_), None) => false,
                        (None, _) => true,
                    }
            })
        {
            // The surname of a person named before (`Trump` tagged ORG after `President
            // Donald Trump`), unless a list or a different code says otherwise.
            label = EntityLabel::Person;
        } else if is_person(label)
            && !m.mention.nominal
            && lower.len() == 1
            && !owner.contains_key(&key)
            && !referents.iter().any(|r| {
                r.label == Some(EntityLabel::Person)
                    && r.full_names
                        .iter()
                        .any(|n| n.first() == lower.first() || n.last() == lower.first())
            })
            && let Some(&k) = by_key.get(&(false, key.clone()))
            && let Some(other) = referents.get(k).and_then(|r| r.label)
        {
            label = other;
        }
        labels.push(label);
        let person = is_person(label);
        if m.mention.nominal {
            let role = m.mention.role.as_deref().unwrap_or("");
            let candidates = referents.iter().enumerate().filter(|(_, r)| {
                r.label == Some(EntityLabel::Person)
                    && r.mentions > 0
                    && r.last_sentence + 3 >= m.sentence
                    && !r.full_names.is_empty()
            });
            let with_role = candidates
                .clone()
                .filter(|(_, r)| r.roles.iter().any(|x| x == role))
                .max_by_key(|(_, r)| r.last_sentence);
            let chosen = with_role
                .or_else(|| candidates.max_by_key(|(_, r)| (r.mentions, r.last_sentence)))
                .map(|(k, _)| k);
            assigned.push(chosen);
            if let Some(k) = chosen
                && let Some(r) = referents.get_mut(k)
            {
                r.mentions += 1;
                r.last_sentence = m.sentence;
            }
            continue;
        }
        let mut found: Option<usize> = by_key.get(&(person, key.clone())).copied();

        if found.is_none() && person {
            if let [single] = &lower[..] {
                found = owner.get(single).copied().or_else(|| {
                    referents
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| {
                            r.label == Some(EntityLabel::Person)
                                && r.full_names
                                    .iter()
                                    .any(|n| n.last() == Some(single) || n.first() == Some(single))
                        })
                        // A surname match beats a given-name match (`Trump` is Donald
                        // Trump, not a `Trump Tower` mistaken for a person).
                        .max_by_key(|(_, r)| {
                            let surname = r.full_names.iter().any(|n| n.last() == Some(single));
                            (surname, r.last_sentence)
                        })
                        .map(|(k, _)| k)
                });
                if let Some(k) = found {
                    owner.entry(single.clone()).or_insert(k);
                }
            } else if lower.len() >= 2 {
                found = referents
                    .iter()
                    .enumerate()
                    .find(|(_, r)| {
                        r.label == Some(EntityLabel::Person)
                            && r.full_names.iter().any(|n| {
                                n.first() == lower.first()
                                    && n.last() == lower.last()
                                    && strip_initials(n) == strip_initials(&lower)
                            })
                    })
                    .map(|(k, _)| k)
                    .or_else(|| {
                        // `Massoud` seen first, `Ahmad Massoud` later.
                        referents
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| {
                                r.label == Some(EntityLabel::Person)
                                    && r.full_names.is_empty()
                                    && r.keys.iter().any(|k| Some(k) == lower.last())
                            })
                            .max_by_key(|(_, r)| r.last_sentence)
                            .map(|(k, _)| k)
                    });
            }
        }
        if found.is_none() && !person {
            if m.after_bracket
                && let Some(Some(prev)) = index.checked_sub(1).and_then(|p| assigned.get(p))
                && mentions
                    .get(index - 1)
                    .is_some_and(|p| !is_person(p.mention.label))
            {
                found = Some(*prev);
            }
            if found.is_none()
                && let Some(acronym) = as_acronym(&words)
            {
                found = referents
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !matches!(r.label, Some(EntityLabel::Person) | None))
                    .find(|(_, r)| r.acronyms.contains(&acronym))
                    .map(|(k, _)| k);
            }
            if found.is_none()
                && let Some(canonical) = &m.mention.list_canonical
            {
                found = referents.iter().position(|r| {
                    r.label == Some(label) && r.list_canonical.as_ref() == Some(canonical)
                });
            }
            // Places share a code with their country (`Kabul` is AFG): only groups merge by code.
            if found.is_none()
                && label == EntityLabel::Org
                && let Some((code, name)) = &m.mention.actor
            {
                found = referents.iter().position(|r| {
                    r.label == Some(label)
                        && r.kb.as_ref().is_some_and(|(c, n)| c == code && n == name)
                });
            }
        }

        let k = match found {
            Some(k) => k,
            None => {
                referents.push(Referent {
                    label: Some(label),
                    ..Default::default()
                });
                referents.len() - 1
            }
        };
        assigned.push(Some(k));
        by_key.entry((person, key.clone())).or_insert(k);
        let Some(r) = referents.get_mut(k) else {
            continue;
        };
        r.mentions += 1;
        r.last_sentence = m.sentence;
        if !r.keys.contains(&key) {
            r.keys.push(key);
        }
        if person && lower.len() >= 2 && !r.full_names.contains(&lower) {
            r.full_names.push(lower.clone());
        }
        for a in initials(&words) {
            if !r.acronyms.contains(&a) {
                r.acronyms.push(a);
            }
        }
        if r.list_canonical.is_none() {
            r.list_canonical.clone_from(&m.mention.list_canonical);
        }
        if let Some(actor) = &m.mention.actor
            && (r.kb.is_none() || words.len() > r.kb_words)
        {
            r.kb = Some(actor.clone());
            r.kb_words = words.len();
        }
        if let Some(role) = &m.mention.role
            && !r.roles.contains(role)
        {
            r.roles.push(role.clone());
        }
        let text = join_words(&words);
        let len = (words.len(), text.len());
        if len > r.best_len {
            r.best_len = len;
            r.best_name = text;
        }
    }

    // Referent ids in order of first mention.
    let mut ids: HashMap<usize, u32> = HashMap::new();
    assigned
        .iter()
        .zip(labels)
        .map(|(a, label)| {
            let k = (*a)?;
            let r = referents.get(k)?;
            let next = ids.len() as u32;
            let id = *ids.entry(k).or_insert(next);
            Some(Resolved {
                referent: id,
                label,
                canonical: r
                    .list_canonical
                    .clone()
                    .unwrap_or_else(|| r.best_name.clone()),
                actor: r.kb.as_ref().map(|(c, _)| c.clone()),
            })
        })
        .collect()
}

fn strip_initials(words: &[String]) -> Vec<&String> {
    words.iter().filter(|w| !is_initial(w)).collect()
}

/// Joins name words with spaces, but not before `'s`-like pieces or around hyphens.
fn join_words(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let glue = i == 0
            || w.starts_with('\'')
            || w == "-"
            || words.get(i.wrapping_sub(1)).is_some_and(|p| p == "-")
            || w == ","
            || w == ")";
        if !glue {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(
        words: &[&str],
        label: EntityLabel,
        sentence: usize,
        code: Option<&str>,
    ) -> PlacedMention {
        PlacedMention {
            mention: Mention {
                start: 0,
                end: words.len(),
                label,
                list_canonical: None,
                actor: code.map(|c| (c.to_string(), "DONALD TRUMP".to_string())),
                nominal: false,
                role: None,
            },
            start: 0,
            end: words.len(),
            sentence,
            words: words.iter().map(|w| w.to_string()).collect(),
            after_bracket: false,
        }
    }

    /// Regression: `Trump` tagged ORG after `President Donald Trump` was its own referent.
    #[test]
    fn surname_tagged_org_joins_the_person() {
        let g = Gazetteer::embedded().unwrap();
        let mentions = [
            placed(
                &["President", "Donald", "Trump"],
                EntityLabel::Person,
                0,
                Some("USAELI"),
            ),
            placed(&["Trump"], EntityLabel::Org, 1, Some("USAELI")),
        ];
        let resolved = group(&mentions, &g);
        let trump = resolved[1].as_ref().unwrap();
        assert_eq!(trump.label, EntityLabel::Person);
        assert_eq!(trump.referent, 0);
        assert_eq!(trump.canonical, "Donald Trump");
    }

    /// Regression: `President Trump` took the canonical name of a `Trump Tower` person.
    #[test]
    fn surname_match_beats_given_name_match() {
        let g = Gazetteer::embedded().unwrap();
        let mentions = [
            placed(&["Donald", "Trump"], EntityLabel::Person, 0, None),
            placed(&["Trump", "Tower"], EntityLabel::Person, 1, None),
            placed(&["President", "Trump"], EntityLabel::Person, 2, None),
        ];
        let resolved = group(&mentions, &g);
        let trump = resolved[2].as_ref().unwrap();
        assert_eq!(trump.referent, 0);
        assert_eq!(trump.canonical, "Donald Trump");
    }
}
