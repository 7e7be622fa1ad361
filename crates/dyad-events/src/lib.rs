//! CAMEO and PLOVER event coding: "SOURCE did ACTION to TARGET", with negation, modality,
//! evidence and the dictionary pattern that decided it; and its evaluation against the gold
//! sets ([`evaluate_events`], rules in `EVAL.md`).
//!
//! **Reads** `Document::sentences`, `tokens` with their tags and lemmas (`dyad-syntax`),
//! and — when earlier stages filled them — `entities` (labels, canonical names, referent ids,
//! actor codes; `dyad-entities`) and `quotes` (quoted spans and speakers; `dyad-quotes`).
//! Sentences with two actors or more are parsed with `dyad_syntax::Parser` (dependency
//! tree). **Writes** `Document::events` ([`EventStage`]); [`attach_context`] then fills each
//! event's date (`dyad-dates`) and places (`dyad-geo`). [`Preparation`] runs the stages the
//! coder reads from exactly as `dyad_pipeline::default_pipeline` does (the evaluation, the
//! tests and the examples use it).
//!
//! How a sentence is coded, in order:
//! 1. actors: knowledge-base actor and agent names composed the PETRARCH way (`Afghan
//!    police` → `AFGCOP`; `Chinese Foreign Ministry spokesman` → `CHNGOV`: a spokesman speaks
//!    for his principal); PERSON / ORG / GPE / NORP entities: a name after a role joins it
//!    (`... spokesman Geng Shuang` → `CHNGOV`), otherwise its KB code, the code an earlier
//!    mention of the same referent got (`Geng`), a surname's full name, or — people and
//!    organizations — the document's focus country (its most frequent coded GPE / NORP);
//!    roles without a country take the one named after them (`protesters in Moscow` →
//!    `RUSOPP`) or the focus country (`officials` → `TURGOV`); pronouns, short names and `the
//!    group` resolve to the most recent compatible actor, `we` / `our` inside a quote to the
//!    speaker;
//! 2. actions: verb groups found in the CAMEO verb dictionary (plus `data/verbs.supplement.txt`);
//!    the most specific pattern of the verb's block that matches the words after (and before)
//!    the verb wins, else the verb's own code; nouns from `data/nominal_triggers.tsv`
//!    (`talks with`, `talks between X and Y`, `airstrikes on`, `assassination of X by Y`);
//!    a speech verb whose complement says another actor `must` / `should` act is a demand
//!    (`100`) / appeal (`020`) to it;
//! 3. roles, from the dependency tree when there is one (`roles` module): the subject
//!    (through relative clauses, coordination, control and adjective complements), the
//!    direct object, else the object of a non-locative preposition, else an actor in a phrase
//!    of the object (`sanctions on Iran`); the passive agent; conjuncts and lists give one
//!    event each; a demand, appeal, accusation or threat without an object addresses its
//!    clause complement's subject (`demanded that the US cancel`); what a directive verb asks
//!    for (`urged X to stop`, `demanded that X withdraw`) is not coded. Without a tree (or
//!    when it yields nothing) the chunk rules decide: the nearest actor to the left (skipping
//!    appositives and relative clauses), the first actor after the verb in its clause (not
//!    behind a locative preposition), `by` agents, word-order coordination;
//! 4. negation (`not`, `never`, `refused to`, `denied that`, `stopped short of`, `no
//!    exchange of`) gives `negated: true`; modality is `conditional`, `intended`, `future`,
//!    `claimed` (inside quotes), `reported` (complement of a speech verb) or `asserted`;
//!    the condition itself (`unless the president agrees to step down`) is not coded;
//! 5. composition (`data/composition.tsv`, the CAMEO manual's 03 / 12 / 13): an action in
//!    the complement of a commitment or a threat is the statement of intent or the threat
//!    (`vowed to attack` → `138`, `threatened to ban` → `132`, `agreed to provide aid` →
//!    `033`), and so is a speaker's own `will` / `would` (`Hungary said it will support` →
//!    `032`, `they said they would blockade Paris` → `1381`); a refusal adds a rejection
//!    (`refused to meet` → `125`) to the negated action.
//!
//! **Invariants**: every event's `evidence` and actor ranges lie inside its sentence; source
//! codes are never empty; plain statements (`010`) are not coded; a verb coded only by its
//! default code needs a target. **Failures**: [`EventStage::new`] fails only when the
//! crate's embedded data is broken; coding never fails or panics, on any input.
//!
//! ```
//! use dyad_document::{Metadata, Stage};
//! use dyad_events::{EventStage, Preparation};
//! use dyad_kb::KnowledgeBase;
//! use std::sync::Arc;
//!
//! let kb = Arc::new(KnowledgeBase::load_default()?);
//! let meta = Metadata { published: "2021-08-25".parse().ok(), ..Default::default() };
//! let mut doc = Preparation::new(kb.clone())?.document(
//!     "He also fiercely fought the Taliban until he was assassinated by al-Qaeda.",
//!     meta,
//! )?;
//! let stage = EventStage::new(kb)?;
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
mod preparation;
mod roles;
mod stage;

pub use context::attach_context;
pub use error::EventsError;
pub use eval::{EventEvalReport, GoldKind, evaluate_events};
pub use preparation::Preparation;
pub use stage::EventStage;
