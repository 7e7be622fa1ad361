//! `lookup`: which entries a name belongs to and why a code applies on a date.

use crate::date::DateRange;
use crate::kb::{EntryId, KnowledgeBase, MatchKind, Origin, display_name, resolve_codes};
use crate::source::normalize_name;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One dated role (code) of an actor entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleExplanation {
    /// The code.
    pub code: String,
    /// When it applies (inclusive).
    pub range: DateRange,
    /// The restriction as written in the file, empty when none.
    pub restriction: String,
    /// Line of the code.
    pub line: u32,
    /// True for the role that applies at the looked-up date.
    pub applies: bool,
}

/// Whether an entry takes part in matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryStatus {
    /// Used by the matcher.
    Active,
    /// An overlay entry replaces it.
    SupersededBy {
        /// Overlay file.
        file: String,
        /// Line of the overlay entry.
        line: u32,
        /// The overlay entry's name.
        name: String,
    },
    /// An overlay entry has this name, so the name no longer matches this entry (its
    /// other names still do).
    NameOverriddenBy {
        /// Overlay file.
        file: String,
        /// Line of the overlay entry.
        line: u32,
        /// The overlay entry's name.
        name: String,
    },
    /// An overlay `[[remove]]` drops this name.
    Removed {
        /// Overlay file.
        file: String,
        /// Line of the removal.
        line: u32,
        /// Why.
        note: String,
    },
}

/// Why a name resolves the way it does: one per entry that has the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookupExplanation {
    /// The name looked up, as given.
    pub query: String,
    /// The date looked up.
    pub date: Option<Date>,
    /// Actor or agent.
    pub kind: MatchKind,
    /// The entry.
    pub entry: EntryId,
    /// The entry's file.
    pub file: String,
    /// The entry's first line.
    pub line: u32,
    /// The entry's canonical name.
    pub entry_name: String,
    /// The name or synonym that matched, as written in the file.
    pub matched_name: String,
    /// Its line.
    pub matched_line: u32,
    /// True when it matched a `+synonym` rather than the entry's name.
    pub synonym: bool,
    /// The overlay's note, for overlay entries.
    pub note: Option<String>,
    /// The entry's roles in dictionary order (empty for agents).
    pub roles: Vec<RoleExplanation>,
    /// The code this entry gives at the date (`~COP` for agents), if any.
    pub code: Option<String>,
    /// Why that code (or none).
    pub reason: String,
    /// Whether the entry is used.
    pub status: EntryStatus,
    /// True for the entry whose code [`KnowledgeBase::match_actors`] reports for this name.
    pub used_by_matcher: bool,
}

impl fmt::Display for LookupExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            MatchKind::Actor => "actor",
            MatchKind::Agent => "agent",
        };
        let how = if self.synonym {
            format!(
                "synonym \"{}\" (line {})",
                self.matched_name, self.matched_line
            )
        } else {
            format!("name \"{}\"", self.matched_name)
        };
        writeln!(
            f,
            "{kind} \"{}\" at {}:{}, via its {how}",
            self.entry_name, self.file, self.line
        )?;
        if let Some(note) = &self.note {
            writeln!(f, "  note: {note}")?;
        }
        match &self.status {
            EntryStatus::Active => {}
            EntryStatus::SupersededBy { file, line, name } => writeln!(
                f,
                "  superseded by the overlay entry \"{name}\" at {file}:{line}"
            )?,
            EntryStatus::NameOverriddenBy { file, line, name } => writeln!(
                f,
                "  this name is overridden by the overlay entry \"{name}\" at {file}:{line}"
            )?,
            EntryStatus::Removed { file, line, note } => {
                writeln!(f, "  name removed by {file}:{line} ({note})")?
            }
        }
        if !self.roles.is_empty() {
            writeln!(
                f,
                "  roles (a dated role covering the date applies, else the undated default):"
            )?;
            for role in &self.roles {
                let mark = if role.applies { "  <- applies" } else { "" };
                let written = if role.restriction.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", role.restriction)
                };
                writeln!(
                    f,
                    "    {:<12} {}{written} (line {}){mark}",
                    role.code, role.range, role.line
                )?;
            }
        }
        let date = self.date.map_or("no date".to_string(), |d| d.to_string());
        match &self.code {
            Some(code) => write!(f, "  code at {date}: {code} — {}", self.reason)?,
            None => write!(f, "  no code at {date} — {}", self.reason)?,
        }
        if self.used_by_matcher {
            write!(
                f,
                "\n  (this is the code match_actors reports for the name)"
            )?;
        }
        Ok(())
    }
}

impl KnowledgeBase {
    /// Every entry that has `name` (as a name or synonym), with the roles and the code that
    /// applies at `date`, and why. The entry the matcher uses comes first.
    pub fn lookup(&self, name: &str, date: Option<Date>) -> Vec<LookupExplanation> {
        let key = normalize_name(name);
        if key.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<&str> = key.split(' ').collect();
        let matched = self
            .match_actors(&tokens, date)
            .into_iter()
            .find(|m| m.start_token == 0 && m.end_token == tokens.len());
        let mut out = Vec::new();
        for (i, actor) in self.data.actors.iter().enumerate() {
            let Some(name_entry) = actor.names.iter().find(|n| n.name == key) else {
                continue;
            };
            let id = EntryId::Actor(u32::try_from(i).unwrap_or(u32::MAX));
            let superseded = self.data.superseded_by.get(i).copied().flatten();
            let removal = match actor.origin {
                Origin::Dictionary => self.data.removals.iter().find(|r| r.name == key),
                Origin::Overlay { .. } => None,
            };
            let status = if let Some(r) = removal {
                EntryStatus::Removed {
                    file: self.file_name(r.file).to_string(),
                    line: r.line,
                    note: r.note.clone(),
                }
            } else if let Some(o) = superseded.and_then(|o| self.data.actors.get(o as usize)) {
                EntryStatus::SupersededBy {
                    file: self.file_name(o.file).to_string(),
                    line: o.line,
                    name: display_name(o),
                }
            } else if let (Origin::Dictionary, Some(o)) = (
                &actor.origin,
                self.data.actors.iter().find(|o| {
                    matches!(o.origin, Origin::Overlay { .. })
                        && o.names.iter().any(|n| n.name == key)
                }),
            ) {
                EntryStatus::NameOverriddenBy {
                    file: self.file_name(o.file).to_string(),
                    line: o.line,
                    name: display_name(o),
                }
            } else {
                EntryStatus::Active
            };
            let resolved = resolve_codes(actor.codes.iter().map(|c| (0, c)), date);
            let applies_line = resolved
                .as_ref()
                .map(|r| (r.code.line, r.code.code.clone(), r.code.range));
            let roles = actor
                .codes
                .iter()
                .map(|c| RoleExplanation {
                    code: c.code.clone(),
                    range: c.range,
                    restriction: c.restriction.clone(),
                    line: c.line,
                    applies: status == EntryStatus::Active
                        && applies_line.as_ref().is_some_and(|(l, code, range)| {
                            *l == c.line && *code == c.code && *range == c.range
                        }),
                })
                .collect();
            let (code, reason) = match (&status, &resolved) {
                (EntryStatus::Active, Some(r)) => {
                    let reason = match (date, r.fallback) {
                        (Some(d), false) if r.code.range.is_unbounded() => format!(
                            "no dated role covers {d}: the undated role (line {}) applies",
                            r.code.line
                        ),
                        (Some(d), false) => format!(
                            "{d} is within {} (line {}), the first dated role that covers it",
                            r.code.range, r.code.line
                        ),
                        (None, false) => format!(
                            "no date given: the first undated role (line {})",
                            r.code.line
                        ),
                        (Some(d), true) if r.code.range.is_unbounded() => {
                            format!(
                                "no dated role covers {d}: the undated role (line {}) applies",
                                r.code.line
                            )
                        }
                        (Some(d), true) => format!(
                            "no role covers {d} and there is no undated role: the nearest role ({}) is used",
                            r.code.range
                        ),
                        (None, true) => format!(
                            "no date given and no undated role: the latest role ({}) is used",
                            r.code.range
                        ),
                    };
                    (Some(r.code.code.clone()), reason)
                }
                (EntryStatus::Active, None) => (None, "the entry has no codes".to_string()),
                (EntryStatus::SupersededBy { .. }, _) => (
                    None,
                    "not used: the overlay entry's codes apply to all its names".to_string(),
                ),
                (EntryStatus::NameOverriddenBy { .. }, _) => (
                    None,
                    "not used for this name: the overlay entry's codes apply".to_string(),
                ),
                (EntryStatus::Removed { .. }, _) => {
                    (None, "not used: the name is removed".to_string())
                }
            };
            let note = match &actor.origin {
                Origin::Overlay { note } => Some(note.clone()),
                Origin::Dictionary => None,
            };
            out.push(LookupExplanation {
                query: name.to_string(),
                date,
                kind: MatchKind::Actor,
                entry: id,
                file: self.file_name(actor.file).to_string(),
                line: actor.line,
                entry_name: display_name(actor),
                matched_name: name_entry.written.clone(),
                matched_line: name_entry.line,
                synonym: name_entry.synonym,
                note,
                roles,
                code,
                reason,
                status,
                used_by_matcher: matched.as_ref().is_some_and(|m| m.entry == id),
            });
        }
        for (i, agent) in self.data.agents.iter().enumerate() {
            if agent.name != key {
                continue;
            }
            let id = EntryId::Agent(u32::try_from(i).unwrap_or(u32::MAX));
            let code = agent.written_code();
            let example = crate::kb::combine_codes("AFG", &agent.code, agent.placement);
            out.push(LookupExplanation {
                query: name.to_string(),
                date,
                kind: MatchKind::Agent,
                entry: id,
                file: self.file_name(agent.file).to_string(),
                line: agent.line,
                entry_name: agent.name.clone(),
                matched_name: agent.written.clone(),
                matched_line: agent.line,
                synonym: agent.plural,
                note: match &agent.origin {
                    Origin::Overlay { note } => Some(note.clone()),
                    Origin::Dictionary => None,
                },
                roles: Vec::new(),
                reason: format!(
                    "an agent: its code combines with the actor's (AFG + {code} = {example})"
                ),
                code: Some(code),
                status: EntryStatus::Active,
                used_by_matcher: matched.as_ref().is_some_and(|m| m.entry == id),
            });
        }
        out.sort_by_key(|e| (!e.used_by_matcher, e.status != EntryStatus::Active));
        out
    }
}
