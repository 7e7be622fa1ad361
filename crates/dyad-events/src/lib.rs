//! CAMEO and PLOVER event coding: "SOURCE did ACTION to TARGET", with negation, modality,
//! evidence and the dictionary pattern that decided it; and its evaluation against the gold
//! sets ([`evaluate_events`], rules in `EVAL.md`).
//!
//! **Reads** `Document::sentences`, `tokens` with their tags and lemmas (`dyad-syntax`),
//! and — when earlier stages filled them — `entities` (actor codes, canonical names) and
//! `quotes` (quoted spans and speakers). **Writes** `Document::events` ([`EventStage`]);
//! [`attach_context`] then fills each event's date (`dyad-dates`) and places (`dyad-geo`).
//!
//! How a sentence is coded, in order:
//! 1. actors: knowledge-base actor and agent names composed the PETRARCH way (`Afghan
//!    police` → `AFGCOP`; `Taliban spokesman` → the Taliban's code), entities with actor
//!    codes, and pronouns, short names and `the group` resolved to the most recent compatible
//!    actor (a subject pronoun prefers the last subject);
//! 2. actions: verb groups found in the CAMEO verb dictionary (plus `data/verbs.supplement.txt`);
//!    the most specific pattern of the verb's block that matches the words after (and before)
//!    the verb wins, else the verb's own code; nouns from `data/nominal_triggers.tsv`
//!    (`talks with`, `airstrikes on`, `assassination of X by Y`);
//! 3. roles: the source is the verb's subject (skipping appositives and relative clauses; a
//!    relative pronoun's antecedent), the target the first actor after the verb in its clause
//!    (not behind a locative preposition); passives swap (`by` agent → source); coordination
//!    gives one event per conjunct; infinitives under `vowed`/`plans`/`refused` take the
//!    governing subject;
//! 4. negation (`not`, `never`, `refused to`, `denied that`, `stopped short of`, `no
//!    exchange of`) gives `negated: true`; modality is `conditional`, `intended`, `future`,
//!    `claimed` (inside quotes), `reported` (complement of a speech verb) or `asserted`.
//!
//! **Invariants**: every event's `evidence` and actor ranges lie inside its sentence; source
//! codes are never empty; plain statements (`010`) are not coded; a verb coded only by its
//! default code needs a target. **Failures**: [`EventStage::new`] fails only when the
//! crate's embedded data is broken; coding never fails or panics, on any input.
//!
//! ```
//! use dyad_document::{Metadata, Stage};
//! use dyad_events::{EventStage, prepare};
//! use dyad_kb::KnowledgeBase;
//! use std::sync::Arc;
//!
//! let meta = Metadata { published: "2021-08-25".parse().ok(), ..Default::default() };
//! let mut doc = prepare::prepare_article(
//!     "He also fiercely fought the Taliban until he was assassinated by al-Qaeda.",
//!     meta,
//! )?;
//! let stage = EventStage::new(Arc::new(KnowledgeBase::load_default()?))?;
//! stage.process(&mut doc)?;
//! let assassination = doc.events.iter().find(|e| e.cameo == "186").expect("an assassination");
//! assert_eq!(assassination.source.code, "IMGMUSALQ");
//! assert_eq!(doc.slice(assassination.evidence), "was assassinated");
//! assert!(!assassination.negated);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod actors;
mod coder;
mod context;
mod error;
pub mod eval;
mod lexicon;
pub mod prepare;
mod stage;

pub use context::attach_context;
pub use error::EventsError;
pub use eval::{EventEvalReport, GoldKind, evaluate_events};
pub use stage::EventStage;
