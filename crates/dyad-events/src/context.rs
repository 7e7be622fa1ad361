//! [`attach_context`]: dates and places for coded events.

use dyad_document::{DateValue, Document, EventDate, Granularity};

/// Fills `date`, `place`, `source_place` and `target_place` of every event of `doc`.
///
/// The date is the expression `dyad-dates` finds governing the event's clause
/// ([`dyad_dates::governing_date`]), else the publication date (`expression: None`), else none.
/// Places come from [`dyad_geo::event_location`] (which may append actor-country places to
/// `doc.places`). Run after the dates and places stages; without them, only the publication
/// date is attached.
pub fn attach_context(doc: &mut Document) {
    let published = doc.meta.published.map(|day| DateValue {
        start: day,
        end: day,
        granularity: Granularity::Day,
    });
    for i in 0..doc.events.len() {
        let (sentence, evidence, source, target) = {
            let e = &doc.events[i];
            (
                e.sentence as usize,
                e.evidence,
                e.source.clone(),
                e.target.clone(),
            )
        };
        let date = dyad_dates::governing_date(doc, sentence, evidence)
            .and_then(|d| {
                let value = doc.dates.get(d)?.value?;
                Some(EventDate {
                    value,
                    expression: Some(d as u32),
                })
            })
            .or(published.map(|value| EventDate {
                value,
                expression: None,
            }));
        let (place, source_place, target_place) =
            dyad_geo::event_location(doc, sentence, evidence, Some(&source), target.as_ref());
        if let Some(e) = doc.events.get_mut(i) {
            e.date = date;
            e.place = place;
            e.source_place = source_place;
            e.target_place = target_place;
        }
    }
}
