//! Where an event happened: the location rules for the event coder.

use crate::gazetteer::{Gazetteer, NameMatch, PlaceKind};
use crate::{normalize_name, place_of};
use dyad_document::{Document, EventActor, EventPlace, TextRange};
use std::collections::HashMap;

/// Prepositions that attach a place to an action (`fighting in Homs`, `speaking from Berlin`).
const ATTACHING: &[&str] = &[
    "in", "at", "near", "outside", "across", "along", "from", "into", "inside", "around", "on",
];

fn is_demonym(g: &Gazetteer, doc: &Document, index: usize) -> bool {
    let Some(p) = doc.places.get(index) else {
        return false;
    };
    let key = normalize_name(doc.slice(p.range));
    g.lookup_normalized(&key).iter().any(|&(id, how)| {
        how == NameMatch::Demonym && g.record(id).is_some_and(|r| r.name == p.name)
    })
}

fn country_place(
    g: &Gazetteer,
    doc: &mut Document,
    code: &str,
    range: TextRange,
    confidence: f32,
) -> Option<u32> {
    let id = g.country(code)?;
    let r = g.record(id)?;
    if let Some(i) = doc.places.iter().position(|p| {
        p.range == range && p.geonameid == r.geonameid.map(u64::from) && p.name == r.name
    }) {
        return Some(i as u32);
    }
    doc.places.push(place_of(r, range, confidence));
    Some((doc.places.len() - 1) as u32)
}

fn actor_country(g: &Gazetteer, actor: &EventActor) -> Option<String> {
    let code = actor.code.get(..3)?;
    g.country(code).map(|_| code.to_string())
}

/// Chooses the event location (GDELT's ActionGeo) and the two actors' locations.
///
/// Rules, in order, recorded in [`EventPlace::rule`]:
/// 1. `in-sentence`: a place of the sentence right after `in/at/near/outside/across/along/
///    from/into/inside/around/on`, the one closest to `evidence`;
/// 2. `sentence`: any other place of the sentence (demonyms excluded), closest to `evidence`;
/// 3. `actor-country`: the country of the source actor's CAMEO code (`AFGINSTAL` → AFG),
///    else of the target's;
/// 4. `document-focus`: the country most of the document's places lie in.
///
/// Actor places use rule 3 for each actor. A country place that is not yet in
/// `doc.places` is appended (at the actor mention, or at the first place of the focus
/// country) and the returned indices point at it. Returns `(action, source, target)`.
/// It takes `&mut Document` because of that append.
pub fn event_location(
    doc: &mut Document,
    sentence: usize,
    evidence: TextRange,
    source: Option<&EventActor>,
    target: Option<&EventActor>,
) -> (Option<EventPlace>, Option<EventPlace>, Option<EventPlace>) {
    let Ok(g) = Gazetteer::shared() else {
        return (None, None, None);
    };
    let g = &*g;
    let sentence_range = doc.sentences.get(sentence).map(|s| s.range);
    let place = |index: u32, rule: &str| EventPlace {
        place: index,
        rule: rule.to_string(),
    };
    let mut action = None;
    if let Some(sr) = sentence_range {
        let mut attached: Option<(usize, usize)> = None;
        let mut any: Option<(usize, usize)> = None;
        for (i, p) in doc.places.iter().enumerate() {
            if !sr.contains_range(p.range) || is_demonym(g, doc, i) {
                continue;
            }
            let distance = if p.range.start() >= evidence.end() {
                p.range.start() - evidence.end()
            } else {
                evidence.start().saturating_sub(p.range.end())
            };
            let before = doc.text().get(sr.start()..p.range.start()).unwrap_or("");
            let prev = before.split_whitespace().next_back().unwrap_or("");
            let prev = prev
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let prev = if prev == "the" {
                before
                    .split_whitespace()
                    .rev()
                    .nth(1)
                    .unwrap_or("")
                    .to_lowercase()
            } else {
                prev
            };
            if ATTACHING.contains(&prev.as_str()) && attached.is_none_or(|(_, d)| distance < d) {
                attached = Some((i, distance));
            }
            if any.is_none_or(|(_, d)| distance < d) {
                any = Some((i, distance));
            }
        }
        action = attached
            .map(|(i, _)| place(i as u32, "in-sentence"))
            .or_else(|| any.map(|(i, _)| place(i as u32, "sentence")));
    }
    let actor_place = |doc: &mut Document, a: Option<&EventActor>| {
        let a = a?;
        let code = actor_country(g, a)?;
        country_place(g, doc, &code, a.range, 0.5).map(|i| place(i, "actor-country"))
    };
    let source_place = actor_place(doc, source);
    let target_place = actor_place(doc, target);
    if action.is_none() {
        action = source_place
            .clone()
            .or_else(|| target_place.clone())
            .map(|p| place(p.place, "actor-country"));
    }
    if action.is_none() {
        let mut votes: HashMap<String, (usize, TextRange)> = HashMap::new();
        for p in &doc.places {
            if let Some(cc) = &p.country_code {
                let e = votes.entry(cc.clone()).or_insert((0, p.range));
                e.0 += 1;
            }
        }
        let focus = votes
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)));
        if let Some((cc, (_, range))) = focus {
            let exists = g
                .country(&cc)
                .and_then(|id| g.record(id))
                .is_some_and(|r| r.kind == PlaceKind::Country);
            if exists {
                action = country_place(g, doc, &cc, range, 0.3).map(|i| place(i, "document-focus"));
            }
        }
    }
    (action, source_place, target_place)
}
