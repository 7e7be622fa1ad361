//! dyad's knowledge base: who is who (actors, agents) and what verbs mean (CAMEO verb
//! patterns), plus the event-code tables (CAMEO → PLOVER, Goldstein, QuadClass).
//!
//! **Reads** PETRARCH2-format dictionaries (the Phoenix actor and agent dictionaries,
//! the discard list and `CAMEO.2.0.txt`, vendored in `data/dictionaries/`), dyad's TOML
//! overlays (`data/kb/corrections.toml`, `data/kb/overlay.toml`) and the tables in
//! `data/plover/`. All of them are compiled into the binary, so [`KnowledgeBase::load_default`]
//! works from any directory; [`KbConfig`] selects other files (e.g. PETRARCH2's
//! `PETR.Validate.*` set via [`KbConfig::validation`], or extra overlays).
//!
//! **Produces** a [`KnowledgeBase`]:
//! 1. [`KnowledgeBase::match_actors`] finds the longest actor/agent names in a token
//!    sequence (an `fst` over lowercase, space-joined tokens, walked token by token, so
//!    names only match whole tokens) and gives the actor code valid on a date;
//!    [`KnowledgeBase::compose`] combines agents with adjacent actors (`Afghan police` → `AFGCOP`);
//! 2. [`KnowledgeBase::lookup`] explains a name: entries, file:line, synonyms, dated roles;
//! 3. [`KnowledgeBase::verb`] / [`KnowledgeBase::verb_forms`] map a verb form to its verb
//!    block, code and [`Pattern`]s;
//! 4. [`KnowledgeBase::plover_for`], [`KnowledgeBase::goldstein`], [`KnowledgeBase::quad_class`].
//!
//! **Invariants**: overlay entries come before dictionary entries and supersede every
//! dictionary entry sharing one of their names; among entries with the same name, codes are
//! tried in file order and the first whose date range covers the date applies (PETRARCH2's
//! rule); without a date the first undated code applies.
//!
//! **Caching**: the compiled form is stored with postcard in the cache directory
//! (`$DYAD_CACHE_DIR`, `$XDG_CACHE_HOME/dyad` or `~/.cache/dyad`) under a header holding a
//! format version and the SHA-256 of all inputs; a stale or unreadable cache is rebuilt, an
//! unwritable directory just means building in memory.
//!
//! **Failures**: unreadable files and bad overlays are [`KbError`]s; malformed dictionary
//! entries are skipped as PETRARCH2 skips them and reported as [`KnowledgeBase::diagnostics`]
//! (`Phoenix.agents.txt:1412: agent ... has no code`), or fail the load with
//! [`KbConfig::strict`]. No input makes the parsers panic.
//!
//! ```
//! use dyad_kb::{KbConfig, KnowledgeBase, MatchKind};
//! use jiff::civil::date;
//!
//! let kb = KnowledgeBase::load(&KbConfig::embedded().with_cache_dir(None))?;
//! // "Taliban spokesman Zabihullah Mujahid ... told a gathering of clerics in Kabul"
//! // (seed article, 2021-08-25), as lowercase tokens:
//! let tokens = ["taliban", "spokesman", "zabihullah", "mujahid", "told", "a", "gathering", "of", "clerics", "in", "kabul"];
//! let found = kb.match_actors(&tokens, Some(date(2021, 8, 24)));
//! let codes: Vec<&str> = found.iter().map(|m| m.code.as_str()).collect();
//! assert_eq!(codes, ["AFGINSTAL", "~MED", "AFGINSTAL", "~REL", "AFG"]);
//! assert_eq!(found[2].name, "Zabihullah Mujahid");
//! assert_eq!(found[1].kind, MatchKind::Agent);
//! // Agents combine with the actor next to them: Taliban + spokesman.
//! assert_eq!(kb.compose(&found)[0].code, "AFGINSTALMED");
//!
//! // Dated roles: Ghani is government on the day he fled, not a day later.
//! let ghani = ["ashraf", "ghani"];
//! assert_eq!(kb.match_actors(&ghani, Some(date(2021, 8, 15)))[0].code, "AFGGOV");
//! assert_eq!(kb.match_actors(&ghani, Some(date(2021, 8, 16)))[0].code, "AFGELI");
//!
//! let verb = kb.verb("told").expect("a CAMEO verb");
//! assert_eq!(verb.lemma, "tell");
//! assert_eq!(kb.plover_for("186").map(|p| p.mode), Some("assassinate".to_string()));
//! # Ok::<(), dyad_kb::KbError>(())
//! ```
#![deny(missing_docs)]

mod actors;
mod cache;
mod config;
mod date;
mod error;
mod explain;
mod kb;
mod overlay;
mod scales;
mod source;
mod verbs;

pub use actors::{
    ActorEntry, ActorName, AgentEntry, AgentPlacement, DatedCode, DiscardEntry, NULL_CODE, Parsed,
    parse_actors, parse_agents, parse_discards,
};
pub use cache::CACHE_FORMAT_VERSION;
pub use config::{DictionarySource, KbConfig};
pub use date::{DateRange, parse_petrarch_date};
pub use dyad_document::{Date, Plover};
pub use error::KbError;
pub use explain::{EntryStatus, LookupExplanation, RoleExplanation};
pub use kb::{
    ActorMatch, ComposedActor, DiscardMatch, EntryId, FileInfo, FileKind, FileStats, KbStats,
    KnowledgeBase, LoadReport, MatchKind, Origin, combine_codes,
};
pub use overlay::{OVERLAY_VERSION, Overlay, Removal, parse_overlay};
pub use scales::{EventScales, PloverMapping};
pub use source::{cased_name, normalize_name, normalize_token};
pub use verbs::{
    Pattern, PatternCode, PatternElement, Synset, VerbBlock, VerbDictionary, VerbEntry, VerbForm,
    parse_verbs, regular_forms,
};
