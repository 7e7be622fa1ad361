//! Offline gazetteer and toponym resolution for dyad.
//!
//! **Reads** a [`Document`](dyad_document::Document)'s text, its sentences and (when filled) its entity layer;
//! **writes** [`Document::places`](dyad_document::Document::places): one [`dyad_document::Place`] per place mention, in text
//! order, with the GeoNames id, feature code, country, admin1, coordinates and a confidence.
//!
//! How it works:
//! 1. The gazetteer (GeoNames cities1000 with Latin-script alternate names plus the cities500
//!    villages whose names are no person name or common word, countries with demonyms,
//!    admin1/admin2 divisions with GeoNames ids and, for the US, Canada, Australia, Brazil and
//!    the UK's countries, Natural Earth polygon centroids, and a hand-curated overlay of
//!    regions, valleys, rivers and seas) is embedded in the binary from `data/gazetteer/`. At first use it is
//!    compiled into an index (an `fst` map from [`normalize_name`]d names to records, a flat
//!    record table, an R-tree) and cached on disk (`$DYAD_GEO_CACHE`, else
//!    `$XDG_CACHE_HOME/dyad/` or `~/.cache/dyad/`, `gazetteer-<hash>.bin`, versioned header);
//!    without a writable cache it is built in memory. See [`Gazetteer`].
//! 2. Mentions come from the entity layer (GPE, LOC, FAC, NORP) or, when it is empty, from
//!    [`find_toponym_candidates`], which matches capitalized word spans against the index
//!    with stop rules (titles such as `Mr.`, organization and newspaper names, months,
//!    sentence-initial common words, common words that match only a foreign alternate name
//!    such as `Lion` for Lyon, acronyms that spell a town such as `HIV`, two weak place names
//!    in a row that are a person such as `Alan Johnson`, a given name before a minor place
//!    such as `Will Smith` (US Census given names, `given_names.txt`), a minor place after a
//!    country adjective such as `UK Secretary`, titles alone, and the `not_place` list of
//!    `context_words.tsv`). A country or province before an institution is still named
//!    (`Queensland Police`, `U.S. Embassy`), and so is one after a direction word (`Eastern
//!    China`, `South West England`) or in a compound (`the India-Pakistan border`).
//! 3. [`Geocoder`] scores each candidate record: population and kind prior (country >
//!    admin1 > capital > city), type cues (`Kunduz province`, `the city of Homs`),
//!    containment (`Pandi, Bulacan`, `Prague, Oklahoma`; not between two states or countries
//!    of a list: `Texas, Oklahoma, Pennsylvania`), and the document's country and
//!    admin1 context (a vote of confidently resolved mentions, two passes; the mentions of
//!    one name never vote for each other), and proximity (a city within 150 km of another
//!    confidently placed city of the document is preferred).
//!    Demonyms (`Afghan`) resolve to their country with lower confidence. A capital
//!    followed by a speech verb (`Washington said`, `Moscow has rejected`, not `Nairobi has
//!    been`) stands for its government and is
//!    placed at country level with lower confidence.
//! 4. [`event_location`] picks an event's place for the event coder.
//!
//! Invariants: every place range lies inside the text on character boundaries;
//! confidences are in 0..=1; no input makes it panic. Errors ([`GeoError`]) only come from
//! loading data (with file:line) or reading gold files.
//!
//! ```
//! use dyad_document::{Document, Metadata};
//! use dyad_geo::{Gazetteer, Geocoder};
//!
//! let geocoder = Geocoder::new(Gazetteer::shared()?);
//! let doc = Document::new(
//!     "The Taliban massed fighters along the Panjshir Valley about 100 miles north of Kabul.".into(),
//!     Metadata::default(),
//! );
//! let places = geocoder.places(&doc);
//! let names: Vec<&str> = places.iter().map(|p| doc.slice(p.range)).collect();
//! assert_eq!(names, ["Panjshir Valley", "Kabul"]);
//! assert_eq!(places[1].country_code.as_deref(), Some("AF"));
//! assert!((places[1].lat - 34.53).abs() < 0.3);
//! # Ok::<(), dyad_geo::GeoError>(())
//! ```
#![deny(missing_docs)]

pub mod data;
mod error;
mod eval;
mod event;
mod gazetteer;
mod normalize;
mod resolve;
mod stage;

pub use error::GeoError;
pub use eval::{
    CaseResult, GeoEvalReport, GeoScores, evaluate_geovirus, haversine_km, naive_sentences,
    run_mordecai_cases,
};
pub use event::event_location;
pub use gazetteer::{
    CachePolicy, Gazetteer, INDEX_VERSION, LoadStats, NameMatch, PlaceKind, PlaceRecord,
};
pub use normalize::normalize_name;
pub use resolve::{
    Geocoder, MentionSource, ToponymCandidate, TypeCue, contains, find_toponym_candidates, place_of,
};
pub use stage::GeoStage;
