//! Named entities for dyad: mentions with labels, canonical names, referent groups and
//! CAMEO actor codes.
//!
//! **Reads** `Document::sentences`, `Document::tokens` and their POS tags
//! ([`dyad_document::Layer::Tags`]), the publication date (`Metadata::published`, for dated
//! actor codes) and, when given, a [`dyad_kb::KnowledgeBase`]. **Writes**
//! `Document::entities` ([`EntityStage`], producing [`dyad_document::Layer::Entities`]).
//!
//! The pipeline, per sentence, then per document:
//! 1. **Tagger**: a BILOU averaged-perceptron sequence tagger ([`NerModel`], greedy decoding
//!    under BILOU constraints) labels PERSON, ORG, GPE, LOC, NORP and FAC. Its features are
//!    the word, lowercase, shape, affixes, POS tags, neighbouring words, tags and shapes,
//!    capitalization, and membership in the lists below and in the KB's actor dictionary. It
//!    was trained on spaCy en_core_web_sm 3.8.0 labels over the news corpus (`TRAINING.md`)
//!    and is embedded (`data/ner.postcard.gz`, 2.6 MB).
//! 2. **Trimming**: determiners, possessives and trailing lowercase words leave the span
//!    (`Taliban fighters` → `Taliban`, as OntoNotes annotates).
//! 3. **Lists** (`data/names.tsv`, `data/countries.tsv`): news outlets become `MEDIA` and win
//!    over any overlapping span; country names (GPE), demonyms (NORP) and a few places
//!    relabel an exactly matching span, widen a span they contain (`Panjshir` → `Panjshir
//!    Valley`) and fill gaps. Hyphenated demonyms (`Soviet-Afghan`) are NORP.
//! 4. **Knowledge base**: a capitalized dictionary actor name extends the spans it covers
//!    (`National Resistance Front of Afghanistan`) or adds a mention the tagger missed.
//! 5. **Person rules**: capitalized proper nouns after a title or role word are a person
//!    (`spokesman Zabihullah Mujahid`, `Gen. Mark Milley`; `data/titles.tsv`); descriptive
//!    noun phrases with a role head (`the 32-year-old resistance leader`) are candidate
//!    person mentions.
//! 6. **Rules** (the `rules` module, `data/organizations.tsv`; they run before step 5): a title or KB role phrase
//!    inside a span leaves the name after it as the person (`Foreign Secretary Boris
//!    Johnson`, `U.S. Army General Joseph Votel` → `U.S. Army` + `Joseph Votel`); a span that
//!    is only a role phrase (`the Foreign Secretary`) is a descriptive mention; names ending
//!    in an organization head are ORGs (`Popular Mobilization Forces`, `158th Fighter Wing`,
//!    `the Coalition`), in a facility or place head no person (`Trump Tower`); ships
//!    (`HMS Ocean`) and weapon acronyms (`VBIED`) are dropped; an ORG with a place head is a
//!    place (`Arabian Gulf`); a one-word person, or a guessed one-word ORG, after
//!    `in`/`near`/... is a place; a KB
//!    name with a group code (IGO, NGO, IMG, MNC) is an ORG (`Daesh`, `Oxfam`).
//! 7. **Referents** (document-wide, rules in order in the `coref` module): same name; surname
//!    and given name with *surname ownership* (a bare `Massoud` stays with the first person
//!    it named, so `Massoud's father, Ahmad Shah Massoud` is someone else and later `Massoud`s
//!    are the son); acronyms (`National Resistance Front of Afghanistan (NRF)`); one list
//!    canonical name (`U.S.`, `America`); one KB entry for organizations; descriptive noun
//!    phrases to the nearby person with that role, else the most mentioned one.
//! 8. **Canonical name and code**: the list's canonical name, else the longest named
//!    mention; the actor code of the referent's longest coded mention, valid at the date.
//!
//! **Invariants**: entities are in text order, do not overlap, are non-empty and lie on token
//! boundaries inside one sentence; mentions of one referent share `referent`, `canonical`
//! and `actor`; referent ids count from 0 in order of first mention. **Failures**: only
//! loading the embedded model or lists can fail ([`EntityError`], a build problem); tagging
//! never panics on any input (property tests). Without a KB the stage still runs, without
//! codes and KB names.
//!
//! **Organization readings** ([`organization_readings`], the `readings` module): beside the
//! entities, and without changing them, the mentions that also stand for an organization in
//! their sentence: a GPE acting as its government (`The United States strongly condemns`),
//! `the Government of Iraq`, a demonym, country or person heading a group noun (`Iraqi
//! security forces`, `the Assad regime`). The evaluation counts them as ORG.
//!
//! **Evaluation**: [`evaluate_re3d`] scores a pipeline on the re3d gold set, with spaCy
//! side by side when the peers venv exists (`EVAL.md`).
//!
//! ```
//! use dyad_document::{Document, Metadata, Pipeline};
//! use dyad_entities::EntityStage;
//! use std::sync::Arc;
//!
//! let kb = dyad_kb::KnowledgeBase::load(&dyad_kb::KbConfig::embedded().with_cache_dir(None))?;
//! let pipeline = Pipeline::new(vec![
//!     Box::new(dyad_text::TextStage::new()),
//!     Box::new(dyad_syntax::SyntaxStage::new()?),
//!     Box::new(EntityStage::new(Some(Arc::new(kb)))?),
//! ])?;
//! let text = "Taliban spokesman Zabihullah Mujahid told a gathering of clerics in Kabul \
//!             that there had been no exchange of gunfire. Mujahid spoke to the BBC.";
//! let mut doc = Document::new(text.to_string(), Metadata::default());
//! pipeline.run(&mut doc)?;
//!
//! let found: Vec<(&str, &str)> =
//!     doc.entities.iter().map(|e| (doc.slice(e.range), e.label.as_str())).collect();
//! assert_eq!(found, [
//!     ("Taliban", "ORG"),
//!     ("Zabihullah Mujahid", "PERSON"),
//!     ("Kabul", "GPE"),
//!     ("Mujahid", "PERSON"),
//!     ("BBC", "MEDIA"),
//! ]);
//! let mujahid = &doc.entities[3];
//! assert_eq!(mujahid.referent, doc.entities[1].referent);
//! assert_eq!(mujahid.canonical, "Zabihullah Mujahid");
//! assert_eq!(doc.entities[0].actor.as_deref(), Some("AFGINSTAL"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod coref;
mod error;
mod eval;
mod features;
mod gazetteer;
mod model;
mod readings;
mod recognize;
mod rules;
mod stage;
pub mod train;

pub use error::EntityError;
pub use eval::{
    EVAL_LABELS, EvalOptions, LabelScore, NerEvalReport, SystemScores, evaluate_re3d,
    map_re3d_label, map_system_label, score,
};
pub use gazetteer::{Gazetteer, NameMatch, TitleKind};
pub use model::{
    MODEL_VERSION, ModelFile, N_CLASSES, NerModel, TAGGED_LABELS, class_name, class_of,
};
pub use readings::{OrgReading, ReadingCue, organization_readings};
pub use stage::{EntityStage, format_entities};
