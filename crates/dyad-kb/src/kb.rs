//! The compiled knowledge base: entries, name matcher, verb index, event-code tables.

use crate::actors::{
    ActorEntry, AgentEntry, AgentPlacement, DatedCode, DiscardEntry, NULL_CODE, parse_actors,
    parse_agents, parse_discards,
};
use crate::config::{KbConfig, LoadedSource};
use crate::overlay::{Removal, parse_overlay};
use crate::scales::{EventScales, PloverMapping};
use crate::source::{normalize_name, normalize_token};
use crate::verbs::{Pattern, Synset, VerbBlock, VerbDictionary, VerbEntry, VerbForm, parse_verbs};
use crate::{KbError, cache};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Where an entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A PETRARCH2-format dictionary.
    Dictionary,
    /// A dyad overlay; the note says why.
    Overlay {
        /// Source or reason, from the overlay's `note`.
        note: String,
    },
}

/// What kind of dictionary a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// Actor dictionary.
    Actors,
    /// Agent dictionary.
    Agents,
    /// Discard list.
    Discards,
    /// Verb dictionary.
    Verbs,
    /// dyad overlay.
    Overlay,
}

/// A file the knowledge base was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Name used in messages.
    pub name: String,
    /// Kind.
    pub kind: FileKind,
}

/// An actor or agent entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryId {
    /// Index into [`KnowledgeBase::actors`].
    Actor(u32),
    /// Index into [`KnowledgeBase::agents`].
    Agent(u32),
}

/// Whether a match is an actor (has a code of its own) or an agent (a role that combines
/// with an actor's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchKind {
    /// An actor (`Taliban`, `Ashraf Ghani`, `Afghan`).
    Actor,
    /// An agent (`police`, `spokesman`).
    Agent,
}

/// One name found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMatch {
    /// First token of the name.
    pub start_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// The entry the code comes from.
    pub entry: EntryId,
    /// Actor code valid at the date (`AFGGOV`), or the agent code as written (`~COP`).
    pub code: String,
    /// Actor or agent.
    pub kind: MatchKind,
    /// The entry's canonical name (`Ashraf Ghani`).
    pub name: String,
    /// True when no dated role covers the date and the nearest one was used.
    pub date_fallback: bool,
}

/// A phrase of the discard list found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscardMatch {
    /// First token.
    pub start_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// Discard the whole story, not only the sentence.
    pub whole_story: bool,
    /// Index into [`KnowledgeBase::discards`].
    pub entry: u32,
}

/// An actor with the agents next to it combined the PETRARCH way
/// (`Afghan` + `police` = `AFGCOP`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposedActor {
    /// First token.
    pub start_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// The combined code.
    pub code: String,
    /// The actor match, if any (an agent alone has none).
    pub actor: Option<usize>,
    /// Indices of the agent matches combined into it.
    pub agents: Vec<usize>,
}

/// Counts per dictionary, for `dyad kb stats` and tests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KbStats {
    /// Per file: name, kind, entries read, diagnostics.
    pub files: Vec<FileStats>,
    /// Actor entries (dictionary and overlay).
    pub actor_entries: usize,
    /// Names and synonyms of actor entries.
    pub actor_names: usize,
    /// Actor entries from overlays.
    pub overlay_actors: usize,
    /// Dictionary actor entries superseded by an overlay entry.
    pub superseded: usize,
    /// Agent phrases (plurals included).
    pub agent_phrases: usize,
    /// Discard phrases.
    pub discards: usize,
    /// Distinct names the matcher knows.
    pub matcher_names: usize,
    /// Verb blocks.
    pub verb_blocks: usize,
    /// Verbs.
    pub verbs: usize,
    /// Verb forms (all inflections, phrasal forms included).
    pub verb_forms: usize,
    /// Verb patterns.
    pub patterns: usize,
    /// Synonym sets.
    pub synsets: usize,
    /// Rows of the CAMEO → PLOVER table.
    pub plover_rows: usize,
    /// Rows of the Goldstein table.
    pub goldstein_rows: usize,
    /// Skipped malformed entries.
    pub diagnostics: usize,
}

/// Counts for one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileStats {
    /// File name.
    pub name: String,
    /// Kind.
    pub kind: FileKind,
    /// Entries read (actor entries, agent phrases, discard phrases, verbs, overlay entries).
    pub entries: usize,
    /// Malformed entries skipped.
    pub diagnostics: usize,
}

/// How a name in the matcher resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Target {
    /// An actor; `entry` has the codes, `via`/`name` the name that matched (they differ
    /// when an overlay entry supersedes the dictionary entry `via`).
    Actor { entry: u32, via: u32, name: u16 },
    /// An agent.
    Agent { entry: u32 },
}

/// Where a verb form is: verb index and form index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct VerbRef {
    verb: u32,
    form: u16,
}

/// The serializable part of a knowledge base (what the cache holds).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Compiled {
    pub files: Vec<FileInfo>,
    pub file_stats: Vec<FileStats>,
    pub actors: Vec<ActorEntry>,
    pub superseded_by: Vec<Option<u32>>,
    pub agents: Vec<AgentEntry>,
    pub discards: Vec<DiscardEntry>,
    pub removals: Vec<Removal>,
    pub verbs: VerbDictionary,
    pub verb_index: HashMap<String, Vec<VerbRef>>,
    pub names_fst: Vec<u8>,
    pub name_targets: Vec<Vec<Target>>,
    pub discards_fst: Vec<u8>,
    pub discard_targets: Vec<Vec<u32>>,
    pub scales: EventScales,
    pub diagnostics: Vec<KbError>,
}

/// The knowledge base: actors, agents, discards, verbs and event-code tables, compiled for
/// matching. See the crate documentation.
pub struct KnowledgeBase {
    /// Distinguishes knowledge bases in the per-thread cache of [`KnowledgeBase::match_actors`].
    id: u64,
    pub(crate) data: Compiled,
    names: fst::raw::Fst<Vec<u8>>,
    discard_names: fst::raw::Fst<Vec<u8>>,
    /// The first words of `names`, to skip tokens that start no name without walking it.
    name_starts: FirstWords,
    /// The first words of `discard_names`.
    discard_starts: FirstWords,
    load_report: LoadReport,
}

/// How a knowledge base was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadReport {
    /// True when it came from the compiled cache.
    pub from_cache: bool,
    /// Milliseconds spent loading.
    pub millis: u128,
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnowledgeBase")
            .field("stats", &self.stats())
            .field("load", &self.load_report)
            .finish()
    }
}

/// "ASHRAF_GHANI_" → "Ashraf Ghani"; overlay names are kept as written.
pub(crate) fn display_name(entry: &ActorEntry) -> String {
    let Some(first) = entry.names.first() else {
        return String::new();
    };
    match entry.origin {
        Origin::Overlay { .. } => first.written.clone(),
        Origin::Dictionary => title_case(&first.name),
    }
}

fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == ' ' || c == '-';
    }
    out
}

/// Combines an actor code with an agent code the PETRARCH2 way: `~X` is appended unless the
/// actor code already contains it (`AFG` + `~COP` = `AFGCOP`, `AFGGOV` + `~GOV` = `AFGGOV`);
/// `X~` goes before.
pub fn combine_codes(actor: &str, agent_code: &str, placement: AgentPlacement) -> String {
    if agent_code.is_empty() || actor.contains(agent_code) {
        return actor.to_string();
    }
    match placement {
        AgentPlacement::After => format!("{actor}{agent_code}"),
        AgentPlacement::Before => format!("{agent_code}{actor}"),
    }
}

/// A code chosen for a date: which entry and code, and whether it was a fallback.
pub(crate) struct Resolved<'a> {
    pub entry: u32,
    pub code: &'a DatedCode,
    pub fallback: bool,
}

/// An order-preserving day difference (months counted as 31 days: only used to rank).
fn days_between(a: Date, b: Date) -> i64 {
    (i64::from(a.year()) * 372 + i64::from(a.month()) * 31 + i64::from(a.day()))
        - (i64::from(b.year()) * 372 + i64::from(b.month()) * 31 + i64::from(b.day()))
}

/// Picks the code for `date` from codes in priority order: the first dated role whose range
/// covers the date; else the first undated role (the default); with neither, the nearest
/// (latest) role.
pub(crate) fn resolve_codes<'a>(
    codes: impl Iterator<Item = (u32, &'a DatedCode)> + Clone,
    date: Option<Date>,
) -> Option<Resolved<'a>> {
    // As PETRARCH2 reads its dictionaries: a dated role that covers the date wins over the
    // undated default, wherever the default is listed.
    if let Some(d) = date
        && let Some((entry, code)) = codes
            .clone()
            .find(|(_, c)| !c.range.is_unbounded() && c.range.contains(Some(d)))
    {
        return Some(Resolved {
            entry,
            code,
            fallback: false,
        });
    }
    if let Some((entry, code)) = codes.clone().find(|(_, c)| c.range.is_unbounded()) {
        return Some(Resolved {
            entry,
            code,
            fallback: false,
        });
    }
    // No undated default: the role nearest the date, or the latest one.
    let distance = |c: &DatedCode| -> i64 {
        match date {
            Some(d) => {
                let before = c.range.from.map_or(0, |f| days_between(f, d).max(0));
                let after = c.range.until.map_or(0, |u| days_between(d, u).max(0));
                before + after
            }
            None => c
                .range
                .until
                .map_or(i64::MIN, |u| -days_between(u, Date::constant(1, 1, 1))),
        }
    };
    codes
        .min_by_key(|(_, c)| distance(c))
        .map(|(entry, code)| Resolved {
            entry,
            code,
            fallback: true,
        })
}

impl KnowledgeBase {
    /// The default knowledge base ([`KbConfig::embedded`]): embedded dictionaries and
    /// overlays, from the cache when it is fresh.
    pub fn load_default() -> Result<KnowledgeBase, KbError> {
        KnowledgeBase::load(&KbConfig::embedded())
    }

    /// Loads the files of `config`: from the compiled cache when its input hash matches,
    /// otherwise parses and compiles them (and writes the cache when it can).
    pub fn load(config: &KbConfig) -> Result<KnowledgeBase, KbError> {
        let started = Instant::now();
        let sources = Sources::read(config)?;
        let hash = cache::input_hash(&sources, config.strict);
        if let Some(dir) = &config.cache_dir
            && let Some(data) = cache::read(dir, &hash)
            && let Ok(mut kb) = KnowledgeBase::from_compiled(data)
        {
            kb.load_report = LoadReport {
                from_cache: true,
                millis: started.elapsed().as_millis(),
            };
            tracing::debug!(
                millis = kb.load_report.millis,
                "knowledge base loaded from cache"
            );
            return Ok(kb);
        }
        let data = compile(&sources, config.strict)?;
        if let Some(dir) = &config.cache_dir
            && let Err(e) = cache::write(dir, &hash, &data)
        {
            tracing::debug!(error = %e, "knowledge-base cache not written; building in memory");
        }
        let mut kb = KnowledgeBase::from_compiled(data)?;
        kb.load_report = LoadReport {
            from_cache: false,
            millis: started.elapsed().as_millis(),
        };
        tracing::debug!(millis = kb.load_report.millis, "knowledge base compiled");
        Ok(kb)
    }

    /// Builds the runtime form; the fst bytes move out of `data` (not needed twice).
    pub(crate) fn from_compiled(mut data: Compiled) -> Result<KnowledgeBase, KbError> {
        let bad = |e: fst::Error| KbError::Cache {
            path: Default::default(),
            reason: format!("name index: {e}"),
        };
        let names = fst::raw::Fst::new(std::mem::take(&mut data.names_fst)).map_err(bad)?;
        let discard_names =
            fst::raw::Fst::new(std::mem::take(&mut data.discards_fst)).map_err(bad)?;
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(KnowledgeBase {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            data,
            name_starts: FirstWords::of(&names),
            discard_starts: FirstWords::of(&discard_names),
            names,
            discard_names,
            load_report: LoadReport::default(),
        })
    }

    /// How this knowledge base was loaded (cache or source) and how long it took.
    pub fn load_report(&self) -> LoadReport {
        self.load_report
    }

    /// The files it was built from.
    pub fn files(&self) -> &[FileInfo] {
        &self.data.files
    }

    /// All actor entries (dictionary and overlay).
    pub fn actors(&self) -> &[ActorEntry] {
        &self.data.actors
    }

    /// All agent phrases.
    pub fn agents(&self) -> &[AgentEntry] {
        &self.data.agents
    }

    /// All discard phrases.
    pub fn discards(&self) -> &[DiscardEntry] {
        &self.data.discards
    }

    /// All verb blocks.
    pub fn verb_blocks(&self) -> &[VerbBlock] {
        &self.data.verbs.blocks
    }

    /// All verbs.
    pub fn verbs(&self) -> &[VerbEntry] {
        &self.data.verbs.verbs
    }

    /// The malformed entries that were skipped, each with `file:line`.
    pub fn diagnostics(&self) -> &[KbError] {
        &self.data.diagnostics
    }

    /// The file name of an entry's file index.
    pub fn file_name(&self, file: u16) -> &str {
        self.data
            .files
            .get(usize::from(file))
            .map_or("?", |f| f.name.as_str())
    }

    /// The canonical name of an entry (`Ashraf Ghani`, `police`).
    pub fn entry_name(&self, entry: EntryId) -> String {
        match entry {
            EntryId::Actor(i) => self
                .data
                .actors
                .get(i as usize)
                .map(display_name)
                .unwrap_or_default(),
            EntryId::Agent(i) => self
                .data
                .agents
                .get(i as usize)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        }
    }

    /// The longest known actor or agent names in `tokens` (lowercase token strings), left to
    /// right without overlaps, with actor codes valid at `date`.
    ///
    /// Names match whole tokens only. Where several entries share a name, overlay entries
    /// come first, then dictionary files in configuration order; their dated codes are tried
    /// in that order, the first covering the date wins (PETRARCH2's rule).
    ///
    /// Each thread remembers the results of its recent calls (up to 4,096 token sequences
    /// per thread, keyed by knowledge base, date and tokens): the entity tagger and the
    /// event coder ask for the same sentences one stage after the other.
    pub fn match_actors(&self, tokens: &[&str], date: Option<Date>) -> Vec<ActorMatch> {
        RECENT_MATCHES.with(|recent| {
            let mut recent = recent.borrow_mut();
            let recent = &mut *recent;
            recent.key_of(self.id, tokens, date);
            if let Some(found) = recent.matches.get(recent.key.as_slice()) {
                return found.clone();
            }
            let matches = self.match_actors_uncached(tokens, date);
            if recent.matches.len() >= RECENT_MATCHES_MAX {
                recent.matches.clear();
            }
            recent.matches.insert(recent.key.clone(), matches.clone());
            matches
        })
    }

    /// [`KnowledgeBase::match_actors`] without the cache.
    fn match_actors_uncached(&self, tokens: &[&str], date: Option<Date>) -> Vec<ActorMatch> {
        let mut matches = Vec::new();
        let mut start = 0;
        while start < tokens.len() {
            let Some((end, value)) = longest_match(&self.names, &self.name_starts, tokens, start)
            else {
                start += 1;
                continue;
            };
            let targets = usize::try_from(value)
                .ok()
                .and_then(|v| self.data.name_targets.get(v))
                .map_or(&[][..], Vec::as_slice);
            if let Some(m) = self.resolve_targets(targets, start, end, date) {
                matches.push(m);
            }
            start = end;
        }
        matches
    }

    fn resolve_targets(
        &self,
        targets: &[Target],
        start: usize,
        end: usize,
        date: Option<Date>,
    ) -> Option<ActorMatch> {
        let actor_codes = targets.iter().filter_map(|t| match t {
            Target::Actor { entry, .. } => Some(*entry),
            Target::Agent { .. } => None,
        });
        let codes = actor_codes.flat_map(|entry| {
            self.data
                .actors
                .get(entry as usize)
                .into_iter()
                .flat_map(move |a| a.codes.iter().map(move |c| (entry, c)))
        });
        if let Some(resolved) = resolve_codes(codes, date) {
            if resolved.code.code == NULL_CODE {
                return None;
            }
            let entry = self.data.actors.get(resolved.entry as usize)?;
            return Some(ActorMatch {
                start_token: start,
                end_token: end,
                entry: EntryId::Actor(resolved.entry),
                code: resolved.code.code.clone(),
                kind: MatchKind::Actor,
                name: display_name(entry),
                date_fallback: resolved.fallback,
            });
        }
        targets.iter().find_map(|t| match t {
            Target::Agent { entry } => {
                let agent = self.data.agents.get(*entry as usize)?;
                Some(ActorMatch {
                    start_token: start,
                    end_token: end,
                    entry: EntryId::Agent(*entry),
                    code: agent.written_code(),
                    kind: MatchKind::Agent,
                    name: agent.name.clone(),
                    date_fallback: false,
                })
            }
            Target::Actor { .. } => None,
        })
    }

    /// Combines each actor match with the agent matches directly before or after it
    /// (`Afghan police` → `AFGCOP`, `Taliban spokesman` → actor code + `MED`). Agents with
    /// no adjacent actor stay alone with their `~CODE`.
    pub fn compose(&self, matches: &[ActorMatch]) -> Vec<ComposedActor> {
        let mut composed: Vec<ComposedActor> = Vec::new();
        let mut pending_agents: Vec<usize> = Vec::new();
        let agent_of = |i: usize| match matches.get(i).map(|m| m.entry) {
            Some(EntryId::Agent(a)) => self.data.agents.get(a as usize),
            _ => None,
        };
        let flush = |pending: &mut Vec<usize>, composed: &mut Vec<ComposedActor>| {
            for i in pending.drain(..) {
                if let Some(m) = matches.get(i) {
                    composed.push(ComposedActor {
                        start_token: m.start_token,
                        end_token: m.end_token,
                        code: m.code.clone(),
                        actor: None,
                        agents: vec![i],
                    });
                }
            }
        };
        for (i, m) in matches.iter().enumerate() {
            match m.kind {
                MatchKind::Agent => {
                    // An agent right after a composed actor joins it.
                    if let Some(last) = composed.last_mut()
                        && last.actor.is_some()
                        && last.end_token == m.start_token
                        && pending_agents.is_empty()
                        && let Some(agent) = agent_of(i)
                    {
                        last.code = combine_codes(&last.code, &agent.code, agent.placement);
                        last.end_token = m.end_token;
                        last.agents.push(i);
                        continue;
                    }
                    if pending_agents
                        .last()
                        .and_then(|&p| matches.get(p))
                        .is_some_and(|p| p.end_token != m.start_token)
                    {
                        flush(&mut pending_agents, &mut composed);
                    }
                    pending_agents.push(i);
                }
                MatchKind::Actor => {
                    let adjacent = pending_agents
                        .last()
                        .and_then(|&p| matches.get(p))
                        .is_some_and(|p| p.end_token == m.start_token);
                    if !adjacent {
                        flush(&mut pending_agents, &mut composed);
                    }
                    let mut code = m.code.clone();
                    let mut start = m.start_token;
                    let agents: Vec<usize> = std::mem::take(&mut pending_agents);
                    for &a in &agents {
                        if let (Some(agent), Some(am)) = (agent_of(a), matches.get(a)) {
                            code = combine_codes(&code, &agent.code, agent.placement);
                            start = start.min(am.start_token);
                        }
                    }
                    composed.push(ComposedActor {
                        start_token: start,
                        end_token: m.end_token,
                        code,
                        actor: Some(i),
                        agents,
                    });
                }
            }
        }
        flush(&mut pending_agents, &mut composed);
        composed
    }

    /// The first discard phrase in `tokens`, if any.
    pub fn match_discard(&self, tokens: &[&str]) -> Option<DiscardMatch> {
        (0..tokens.len()).find_map(|start| {
            let (end, value) =
                longest_match(&self.discard_names, &self.discard_starts, tokens, start)?;
            let entry = *self
                .data
                .discard_targets
                .get(usize::try_from(value).ok()?)?
                .first()?;
            let discard = self.data.discards.get(entry as usize)?;
            Some(DiscardMatch {
                start_token: start,
                end_token: end,
                whole_story: discard.whole_story,
                entry,
            })
        })
    }

    /// The verb a word or phrase is a form of (`assassinated`, `met with`, `appeal`).
    /// Prefers the entry without particles for a single word; see [`KnowledgeBase::verb_forms`]
    /// for every candidate.
    pub fn verb(&self, lemma_or_form: &str) -> Option<&VerbEntry> {
        let key = normalize_name(lemma_or_form);
        let refs = self.data.verb_index.get(&key)?;
        let pick = refs
            .iter()
            .find(|r| self.form(r).is_some_and(|f| f.phrase() == key))
            .or_else(|| refs.first())?;
        self.data.verbs.verbs.get(pick.verb as usize)
    }

    fn form(&self, r: &VerbRef) -> Option<&VerbForm> {
        self.data
            .verbs
            .verbs
            .get(r.verb as usize)?
            .forms
            .get(usize::from(r.form))
    }

    /// Every verb form whose verb word is `word` (`met` → `MEET`, `MEET_WITH` ...), with the
    /// particles the coder must find around it.
    pub fn verb_forms(&self, word: &str) -> Vec<(&VerbEntry, &VerbForm)> {
        let key = normalize_token(word);
        self.data
            .verb_index
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|r| {
                let verb = self.data.verbs.verbs.get(r.verb as usize)?;
                let form = verb.forms.get(usize::from(r.form))?;
                (form.word == key).then_some((verb, form))
            })
            .collect()
    }

    /// The block a verb belongs to.
    pub fn verb_block(&self, verb: &VerbEntry) -> Option<&VerbBlock> {
        self.data.verbs.blocks.get(verb.block as usize)
    }

    /// The patterns that apply to a verb (those of its block).
    pub fn patterns(&self, verb: &VerbEntry) -> &[Pattern] {
        self.verb_block(verb).map_or(&[], |b| b.patterns.as_slice())
    }

    /// A synonym set by name (`CURRENCY` or `&CURRENCY`).
    pub fn synset(&self, name: &str) -> Option<&Synset> {
        let name = name
            .trim_start_matches('&')
            .trim_end_matches('_')
            .to_uppercase();
        self.data.verbs.synsets.iter().find(|s| s.name == name)
    }

    /// The PLOVER type and mode of a CAMEO event code (most specific row, then 3-digit, then root).
    pub fn plover_for(&self, cameo: &str) -> Option<dyad_document::Plover> {
        self.data.scales.plover_for(cameo)
    }

    /// The full PLOVER row (with contexts and description) of a CAMEO event code.
    pub fn plover_mapping(&self, cameo: &str) -> Option<&PloverMapping> {
        self.data.scales.plover_mapping(cameo)
    }

    /// The Goldstein value of a CAMEO event code.
    pub fn goldstein(&self, cameo: &str) -> Option<f32> {
        self.data.scales.goldstein(cameo)
    }

    /// The QuadClass (1 verbal cooperation … 4 material conflict) of a CAMEO event code; 0
    /// when its root is unknown.
    pub fn quad_class(&self, cameo: &str) -> u8 {
        self.data.scales.quad_class(cameo)
    }

    /// Counts per dictionary.
    pub fn stats(&self) -> KbStats {
        let d = &self.data;
        let (plover_rows, goldstein_rows) = d.scales.sizes();
        KbStats {
            files: d.file_stats.clone(),
            actor_entries: d.actors.len(),
            actor_names: d.actors.iter().map(|a| a.names.len()).sum(),
            overlay_actors: d
                .actors
                .iter()
                .filter(|a| matches!(a.origin, Origin::Overlay { .. }))
                .count(),
            superseded: d.superseded_by.iter().filter(|s| s.is_some()).count(),
            agent_phrases: d.agents.len(),
            discards: d.discards.len(),
            matcher_names: d.name_targets.len(),
            verb_blocks: d.verbs.blocks.len(),
            verbs: d.verbs.verbs.len(),
            verb_forms: d.verbs.verbs.iter().map(|v| v.forms.len()).sum(),
            patterns: d.verbs.blocks.iter().map(|b| b.patterns.len()).sum(),
            synsets: d.verbs.synsets.len(),
            plover_rows,
            goldstein_rows,
            diagnostics: d.diagnostics.len(),
        }
    }
}

/// Most token sequences kept by the per-thread cache of [`KnowledgeBase::match_actors`]
/// (more than the sentences of a long article) before it starts over.
const RECENT_MATCHES_MAX: usize = 4096;

thread_local! {
    /// Results of recent [`KnowledgeBase::match_actors`] calls on this thread: the entity
    /// tagger and the event coder ask for the same sentences, one stage after the other.
    static RECENT_MATCHES: std::cell::RefCell<RecentMatches> =
        std::cell::RefCell::new(RecentMatches::default());
}

/// Matches by knowledge base, date and tokens (see [`RecentMatches::key_of`]).
#[derive(Default)]
struct RecentMatches {
    matches: HashMap<Vec<u8>, Vec<ActorMatch>>,
    /// The key of the current call, built in place.
    key: Vec<u8>,
}

impl RecentMatches {
    /// Sets `self.key` to an unambiguous encoding of the call: the knowledge base id, the
    /// date, then each token's length and bytes.
    fn key_of(&mut self, kb: u64, tokens: &[&str], date: Option<Date>) {
        let key = &mut self.key;
        key.clear();
        key.extend_from_slice(&kb.to_le_bytes());
        match date {
            Some(d) => {
                key.push(1);
                key.extend_from_slice(&d.year().to_le_bytes());
                key.push(d.month() as u8);
                key.push(d.day() as u8);
            }
            None => key.push(0),
        }
        for token in tokens {
            key.extend_from_slice(&(token.len() as u64).to_le_bytes());
            key.extend_from_slice(token.as_bytes());
        }
    }
}

/// A filter of the first words of an fst's names (the bytes before the first space): a
/// word it rejects starts no name, so [`longest_match`] can skip the walk. Words it accepts
/// may still start none (about one in twenty of the others): those are walked as before.
struct FirstWords {
    /// One bit per hash bucket, set for the buckets of the names' first words.
    bits: Vec<u64>,
}

impl FirstWords {
    /// Buckets: 2^20 bits (128 KiB), few against the tens of thousands of first words.
    const BITS: u32 = 20;

    fn of(fst: &fst::raw::Fst<Vec<u8>>) -> FirstWords {
        use fst::Streamer;
        let mut filter = FirstWords {
            bits: vec![0; (1 << Self::BITS) / 64],
        };
        let mut stream = fst.stream();
        while let Some((name, _)) = stream.next() {
            let first = name.split(|&b| b == b' ').next().unwrap_or(name);
            let bucket = Self::bucket(first);
            if let Some(word) = filter.bits.get_mut(bucket / 64) {
                *word |= 1 << (bucket % 64);
            }
        }
        filter
    }

    /// False when no name starts with the word `word` (compared byte for byte).
    #[inline]
    fn may_start(&self, word: &[u8]) -> bool {
        let bucket = Self::bucket(word);
        self.bits
            .get(bucket / 64)
            .is_none_or(|w| w & (1 << (bucket % 64)) != 0)
    }

    /// FxHash-style mixing of the word, 8 bytes at a time, then its length.
    #[inline]
    fn bucket(word: &[u8]) -> usize {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = 0u64;
        for chunk in word.chunks(8) {
            let mut bytes = [0u8; 8];
            if let Some(prefix) = bytes.get_mut(..chunk.len()) {
                prefix.copy_from_slice(chunk);
            }
            h = (h.rotate_left(5) ^ u64::from_le_bytes(bytes)).wrapping_mul(SEED);
        }
        h = (h.rotate_left(5) ^ word.len() as u64).wrapping_mul(SEED);
        (h >> (64 - Self::BITS)) as usize
    }
}

/// The longest name in `fst` starting at token `start`: (end token, value). `starts` is
/// the filter of the first words of `fst`'s names.
fn longest_match(
    fst: &fst::raw::Fst<Vec<u8>>,
    starts: &FirstWords,
    tokens: &[&str],
    start: usize,
) -> Option<(usize, u64)> {
    let mut node = fst.root();
    let mut output = fst::raw::Output::zero();
    let mut best = None;
    for (offset, token) in tokens.get(start..)?.iter().enumerate() {
        if token.is_empty() || token.contains(' ') {
            break;
        }
        if offset > 0 && !follow(fst, &mut node, &mut output, b" ") {
            return best;
        }
        // Callers pass normalized tokens; others are normalized here.
        let normalized;
        let bytes = if token.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            normalized = normalize_token(token);
            normalized.as_bytes()
        } else {
            token.as_bytes()
        };
        // A name matches only when some name's first word is the whole first token.
        if offset == 0 && !starts.may_start(bytes) {
            return None;
        }
        let followed = follow(fst, &mut node, &mut output, bytes);
        if !followed {
            return best;
        }
        if node.is_final() {
            best = Some((start + offset + 1, output.cat(node.final_output()).value()));
        }
    }
    best
}

/// Follows `bytes` in `fst` from `node`, adding up `output`; false when no name continues
/// with them.
fn follow<'f>(
    fst: &'f fst::raw::Fst<Vec<u8>>,
    node: &mut fst::raw::Node<'f>,
    output: &mut fst::raw::Output,
    bytes: &[u8],
) -> bool {
    for &byte in bytes {
        let Some(i) = node.find_input(byte) else {
            return false;
        };
        let transition = node.transition(i);
        *output = output.cat(transition.out);
        *node = fst.node(transition.addr);
    }
    true
}

/// The source files of a configuration, read.
pub(crate) struct Sources {
    pub actors: Vec<LoadedSource>,
    pub agents: Vec<LoadedSource>,
    pub discards: Vec<LoadedSource>,
    pub verbs: Vec<LoadedSource>,
    pub overlays: Vec<LoadedSource>,
    pub plover: Vec<LoadedSource>,
    pub goldstein: LoadedSource,
    pub quad_classes: LoadedSource,
}

impl Sources {
    fn read(config: &KbConfig) -> Result<Sources, KbError> {
        let all = |list: &[crate::DictionarySource]| -> Result<Vec<LoadedSource>, KbError> {
            list.iter().map(LoadedSource::read).collect()
        };
        Ok(Sources {
            actors: all(&config.actors)?,
            agents: all(&config.agents)?,
            discards: all(&config.discards)?,
            verbs: all(&config.verbs)?,
            overlays: all(&config.overlays)?,
            plover: all(&config.plover)?,
            goldstein: LoadedSource::read(&config.goldstein)?,
            quad_classes: LoadedSource::read(&config.quad_classes)?,
        })
    }

    /// Every source in a fixed order, with its kind tag (for hashing).
    pub fn all(&self) -> Vec<(&'static str, &LoadedSource)> {
        let mut out = Vec::new();
        for (tag, list) in [
            ("actors", &self.actors),
            ("agents", &self.agents),
            ("discards", &self.discards),
            ("verbs", &self.verbs),
            ("overlays", &self.overlays),
            ("plover", &self.plover),
        ] {
            out.extend(list.iter().map(|s| (tag, s)));
        }
        out.push(("goldstein", &self.goldstein));
        out.push(("quad_classes", &self.quad_classes));
        out
    }
}

fn build_fst(keys: &BTreeMap<String, u64>) -> Result<Vec<u8>, KbError> {
    fst::Map::from_iter(keys.iter().map(|(k, v)| (k.as_bytes(), *v)))
        .map(|m| m.into_fst().into_inner())
        .map_err(|e| KbError::Cache {
            path: Default::default(),
            reason: format!("cannot build the name index: {e}"),
        })
}

/// Collects diagnostics, or fails on the first one in strict mode.
struct Diagnostics {
    strict: bool,
    all: Vec<KbError>,
}

impl Diagnostics {
    fn add(&mut self, errors: Vec<KbError>) -> Result<usize, KbError> {
        let count = errors.len();
        if self.strict {
            return match errors.into_iter().next() {
                Some(first) => Err(first),
                None => Ok(0),
            };
        }
        self.all.extend(errors);
        Ok(count)
    }
}

fn file_index(files: &[FileInfo]) -> Result<u16, KbError> {
    u16::try_from(files.len()).map_err(|_| KbError::Cache {
        path: Default::default(),
        reason: "more than 65535 dictionary files".to_string(),
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parses every source and compiles the matchers.
pub(crate) fn compile(sources: &Sources, strict: bool) -> Result<Compiled, KbError> {
    let mut diagnostics = Diagnostics {
        strict,
        all: Vec::new(),
    };
    let mut files = Vec::new();
    let mut file_stats = Vec::new();
    let mut dictionary_actors: Vec<ActorEntry> = Vec::new();
    let mut overlay_actors: Vec<ActorEntry> = Vec::new();
    let mut dictionary_agents = Vec::new();
    let mut overlay_agents = Vec::new();
    let mut discards = Vec::new();
    let mut removals = Vec::new();

    let register = |files: &mut Vec<FileInfo>,
                    source: &LoadedSource,
                    kind: FileKind|
     -> Result<u16, KbError> {
        let index = file_index(files)?;
        files.push(FileInfo {
            name: source.name.clone(),
            kind,
        });
        Ok(index)
    };
    for source in &sources.overlays {
        let index = register(&mut files, source, FileKind::Overlay)?;
        let (overlay, errors) = parse_overlay(&source.name, index, &source.text()?)?;
        let entries = overlay.actors.len() + overlay.agents.len() + overlay.removals.len();
        overlay_actors.extend(overlay.actors);
        overlay_agents.extend(overlay.agents);
        removals.extend(overlay.removals);
        let skipped = diagnostics.add(errors)?;
        file_stats.push(FileStats {
            name: source.name.clone(),
            kind: FileKind::Overlay,
            entries,
            diagnostics: skipped,
        });
    }
    for source in &sources.actors {
        let index = register(&mut files, source, FileKind::Actors)?;
        let parsed = parse_actors(&source.name, index, &source.text()?);
        let skipped = diagnostics.add(parsed.diagnostics)?;
        file_stats.push(FileStats {
            name: source.name.clone(),
            kind: FileKind::Actors,
            entries: parsed.entries.len(),
            diagnostics: skipped,
        });
        dictionary_actors.extend(parsed.entries);
    }
    for source in &sources.agents {
        let index = register(&mut files, source, FileKind::Agents)?;
        let parsed = parse_agents(&source.name, index, &source.text()?);
        let skipped = diagnostics.add(parsed.diagnostics)?;
        file_stats.push(FileStats {
            name: source.name.clone(),
            kind: FileKind::Agents,
            entries: parsed.entries.len(),
            diagnostics: skipped,
        });
        dictionary_agents.extend(parsed.entries);
    }
    for source in &sources.discards {
        let index = register(&mut files, source, FileKind::Discards)?;
        let parsed = parse_discards(&source.name, index, &source.text()?);
        let skipped = diagnostics.add(parsed.diagnostics)?;
        file_stats.push(FileStats {
            name: source.name.clone(),
            kind: FileKind::Discards,
            entries: parsed.entries.len(),
            diagnostics: skipped,
        });
        discards.extend(parsed.entries);
    }
    let mut verbs = VerbDictionary::default();
    for source in &sources.verbs {
        files.push(FileInfo {
            name: source.name.clone(),
            kind: FileKind::Verbs,
        });
        let (mut dict, errors) = parse_verbs(&source.name, &source.text()?);
        let skipped = diagnostics.add(errors)?;
        file_stats.push(FileStats {
            name: source.name.clone(),
            kind: FileKind::Verbs,
            entries: dict.verbs.len(),
            diagnostics: skipped,
        });
        // Append, renumbering block and verb indices.
        let block_offset = to_u32(verbs.blocks.len());
        let verb_offset = to_u32(verbs.verbs.len());
        for block in &mut dict.blocks {
            for v in &mut block.verbs {
                *v += verb_offset;
            }
        }
        for verb in &mut dict.verbs {
            verb.block += block_offset;
        }
        verbs.blocks.extend(dict.blocks);
        verbs.verbs.extend(dict.verbs);
        verbs.synsets.extend(dict.synsets);
        verbs.transformations.extend(dict.transformations);
    }
    let plover_texts = sources
        .plover
        .iter()
        .map(|s| Ok((s.name.as_str(), s.text()?)))
        .collect::<Result<Vec<_>, KbError>>()?;
    let scales = EventScales::parse(
        &plover_texts
            .iter()
            .map(|(n, t)| (*n, t.as_ref()))
            .collect::<Vec<_>>(),
        (&sources.goldstein.name, &sources.goldstein.text()?),
        (&sources.quad_classes.name, &sources.quad_classes.text()?),
    )?;

    // Actors: overlay entries first, then dictionary entries.
    let overlay_count = overlay_actors.len();
    let mut actors = overlay_actors;
    actors.extend(dictionary_actors);
    // Names claimed by overlay entries (first overlay entry wins).
    let mut overlay_names: HashMap<&str, u32> = HashMap::new();
    for (o, overlay) in actors.iter().enumerate().take(overlay_count) {
        for name in &overlay.names {
            overlay_names.entry(name.name.as_str()).or_insert(to_u32(o));
        }
    }
    // A dictionary entry whose main name an overlay claims is superseded as a whole.
    let superseded_by: Vec<Option<u32>> = actors
        .iter()
        .enumerate()
        .map(|(i, actor)| {
            if i < overlay_count {
                return None;
            }
            actor
                .names
                .first()
                .and_then(|n| overlay_names.get(n.name.as_str()).copied())
        })
        .collect();
    let removed: std::collections::HashSet<&str> =
        removals.iter().map(|r| r.name.as_str()).collect();

    let mut keys: BTreeMap<String, u64> = BTreeMap::new();
    let mut name_targets: Vec<Vec<Target>> = Vec::new();
    let mut add = |name: &str, target: Target, keys: &mut BTreeMap<String, u64>| {
        let next = name_targets.len() as u64;
        let slot = *keys.entry(name.to_string()).or_insert(next);
        if slot == next {
            name_targets.push(Vec::new());
        }
        if let Some(list) = usize::try_from(slot)
            .ok()
            .and_then(|s| name_targets.get_mut(s))
            && !list.contains(&target)
        {
            list.push(target);
        }
    };
    for (i, actor) in actors.iter().enumerate() {
        let i = to_u32(i);
        let is_overlay = (i as usize) < overlay_count;
        let entry = superseded_by
            .get(i as usize)
            .copied()
            .flatten()
            .unwrap_or(i);
        for (n, name) in actor.names.iter().enumerate() {
            if !is_overlay
                && (removed.contains(name.name.as_str())
                    || overlay_names.contains_key(name.name.as_str()))
            {
                continue;
            }
            let n = u16::try_from(n).unwrap_or(u16::MAX);
            add(
                &name.name,
                Target::Actor {
                    entry,
                    via: i,
                    name: n,
                },
                &mut keys,
            );
        }
    }
    let overlay_agent_count = overlay_agents.len();
    let mut agents = overlay_agents;
    agents.extend(dictionary_agents);
    for (i, agent) in agents.iter().enumerate() {
        if i >= overlay_agent_count && removed.contains(agent.name.as_str()) {
            continue;
        }
        add(&agent.name, Target::Agent { entry: to_u32(i) }, &mut keys);
    }
    let names_fst = build_fst(&keys)?;

    let mut discard_keys: BTreeMap<String, u64> = BTreeMap::new();
    let mut discard_targets: Vec<Vec<u32>> = Vec::new();
    for (i, discard) in discards.iter().enumerate() {
        let next = discard_targets.len() as u64;
        let slot = *discard_keys.entry(discard.name.clone()).or_insert(next);
        if slot == next {
            discard_targets.push(Vec::new());
        }
        if let Some(list) = usize::try_from(slot)
            .ok()
            .and_then(|s| discard_targets.get_mut(s))
        {
            list.push(to_u32(i));
        }
    }
    let discards_fst = build_fst(&discard_keys)?;

    let mut verb_index: HashMap<String, Vec<VerbRef>> = HashMap::new();
    for (v, verb) in verbs.verbs.iter().enumerate() {
        for (f, form) in verb.forms.iter().enumerate() {
            let r = VerbRef {
                verb: to_u32(v),
                form: u16::try_from(f).unwrap_or(u16::MAX),
            };
            verb_index.entry(form.word.clone()).or_default().push(r);
            if !form.before.is_empty() || !form.after.is_empty() {
                verb_index.entry(form.phrase()).or_default().push(r);
            }
        }
    }

    Ok(Compiled {
        files,
        file_stats,
        actors,
        superseded_by,
        agents,
        discards,
        removals,
        verbs,
        verb_index,
        names_fst,
        name_targets,
        discards_fst,
        discard_targets,
        scales,
        diagnostics: diagnostics.all,
    })
}

#[cfg(test)]
mod resolve_tests {
    use super::*;
    use crate::DateRange;

    fn code(code: &str, from: Option<Date>, until: Option<Date>, line: u32) -> DatedCode {
        DatedCode {
            code: code.into(),
            range: DateRange { from, until },
            restriction: String::new(),
            line,
        }
    }

    /// Regression: `SAM_GAMGEE [HOB] [HOBGOV >20120101]` — an undated default listed before a
    /// dated role must not hide it (PETRARCH2's DATE-* unit tests).
    #[test]
    fn dated_role_wins_over_an_undated_default_listed_first() {
        let codes = [
            code("HOB", None, None, 1),
            code("HOBGOV", Some(Date::constant(2012, 1, 1)), None, 2),
        ];
        let pick = |d: Option<Date>| {
            resolve_codes(codes.iter().map(|c| (0u32, c)), d)
                .map(|r| (r.code.code.clone(), r.fallback))
        };
        assert_eq!(
            pick(Some(Date::constant(2015, 6, 1))),
            Some(("HOBGOV".into(), false))
        );
        assert_eq!(
            pick(Some(Date::constant(2005, 6, 1))),
            Some(("HOB".into(), false))
        );
        assert_eq!(pick(None), Some(("HOB".into(), false)));
    }

    #[test]
    fn first_word_filter_keeps_every_first_word_and_matches_as_before() {
        let names = [
            ("al qaeda", 1u64),
            ("kabul", 2),
            ("taliban", 3),
            ("u.s. army", 4),
        ];
        let fst = fst::Map::from_iter(names).unwrap().into_fst();
        let starts = FirstWords::of(&fst);
        for word in ["al", "kabul", "taliban", "u.s."] {
            assert!(starts.may_start(word.as_bytes()), "{word}");
        }
        let tokens = ["the", "al", "qaeda", "and", "Taliban", "u.s.", "army", "ka"];
        let found: Vec<_> = (0..tokens.len())
            .map(|start| longest_match(&fst, &starts, &tokens, start))
            .collect();
        assert_eq!(
            found,
            [
                None,
                Some((3, 1)),
                None,
                None,
                Some((5, 3)),
                Some((7, 4)),
                None,
                None
            ]
        );
        // A prefix of a first word ("ka") or a name's second word starts nothing.
        let rejected = ["ka", "qaeda", "army"]
            .iter()
            .filter(|w| !starts.may_start(w.as_bytes()))
            .count();
        assert!(rejected >= 2);
    }
}
