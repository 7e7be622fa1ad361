//! dyad's own additions and corrections, in TOML (`data/kb/*.toml`).
//!
//! ```toml
//! version = 1
//!
//! [[actor]]
//! name = "Ashraf Ghani"                    # words separated by spaces, any case
//! synonyms = ["President Ashraf Ghani"]
//! codes = [
//!   { code = "AFGGOV", from = "2014-09-29", until = "2021-08-15" },  # both ends inclusive
//!   { code = "AFGELI" },                    # no dates: always (first match wins)
//! ]
//! note = "President of Afghanistan 2014-09-29 until he fled on 2021-08-15."
//!
//! [[agent]]
//! name = "spy agency"
//! plural = "spy agencies"                  # optional; "" for none, omitted = regular plural
//! code = "~SPY"
//! note = "..."
//!
//! [[remove]]                               # drop a wrong dictionary name
//! name = "al-baghdadi"
//! note = "..."
//! ```
//!
//! Every name of an overlay actor matches the overlay entry only. A dictionary entry whose
//! *main* name is one of the overlay's names is *superseded* as a whole: its synonyms then
//! get the overlay's codes too. Every entry needs a `note` saying why it is there (source,
//! or what was wrong).

use crate::actors::{ActorEntry, ActorName, AgentEntry, AgentPlacement, DatedCode};
use crate::date::DateRange;
use crate::source::normalize_name;
use crate::{KbError, Origin};
use jiff::civil::Date;
use serde::Deserialize;

/// The overlay format version this crate reads.
pub const OVERLAY_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayFile {
    version: u32,
    #[serde(default)]
    actor: Vec<OverlayActor>,
    #[serde(default)]
    agent: Vec<OverlayAgent>,
    #[serde(default)]
    remove: Vec<OverlayRemove>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayActor {
    name: toml::Spanned<String>,
    #[serde(default)]
    synonyms: Vec<String>,
    codes: Vec<OverlayCode>,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayCode {
    code: String,
    from: Option<Date>,
    until: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayAgent {
    name: toml::Spanned<String>,
    plural: Option<String>,
    code: String,
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayRemove {
    name: toml::Spanned<String>,
    note: String,
}

/// A dictionary name an overlay removes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Removal {
    /// Index of the overlay file.
    pub file: u16,
    /// Line in it.
    pub line: u32,
    /// Normalized name.
    pub name: String,
    /// Why.
    pub note: String,
}

/// What an overlay file holds, converted to dictionary entries.
#[derive(Debug, Default)]
pub struct Overlay {
    /// Actor entries ([`Origin::Overlay`]).
    pub actors: Vec<ActorEntry>,
    /// Agent entries.
    pub agents: Vec<AgentEntry>,
    /// Removed names.
    pub removals: Vec<Removal>,
}

fn line_of(text: &str, offset: usize) -> u32 {
    let before = text.get(..offset).unwrap_or(text);
    u32::try_from(before.bytes().filter(|b| *b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Parses an overlay file; a file that is not valid overlay TOML is one [`KbError::Overlay`],
/// entry problems are [`KbError::Malformed`] with the entry's line.
pub fn parse_overlay(
    file: &str,
    file_index: u16,
    text: &str,
) -> Result<(Overlay, Vec<KbError>), KbError> {
    let parsed: OverlayFile = toml::from_str(text).map_err(|e| KbError::Overlay {
        file: file.to_string(),
        reason: e.to_string().trim_end().to_string(),
    })?;
    if parsed.version != OVERLAY_VERSION {
        return Err(KbError::Overlay {
            file: file.to_string(),
            reason: format!(
                "version {} is not supported: this dyad reads overlay version {OVERLAY_VERSION}",
                parsed.version
            ),
        });
    }
    let mut overlay = Overlay::default();
    let mut diagnostics = Vec::new();
    for actor in parsed.actor {
        let line = line_of(text, actor.name.span().start);
        let note = actor.note.trim().to_string();
        if note.is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                line,
                "overlay entry without a `note`: say where it comes from or why",
            ));
            continue;
        }
        let mut names = Vec::new();
        for (i, written) in std::iter::once(actor.name.get_ref())
            .chain(actor.synonyms.iter())
            .enumerate()
        {
            let name = normalize_name(written);
            if name.is_empty() {
                diagnostics.push(KbError::malformed(file, line, "empty name"));
                continue;
            }
            names.push(ActorName {
                name,
                written: written.clone(),
                line,
                synonym: i > 0,
            });
        }
        let mut codes = Vec::new();
        for code in &actor.codes {
            if !valid_code(&code.code) {
                diagnostics.push(KbError::malformed(
                    file,
                    line,
                    format!(
                        "`{}` is not an actor code (upper-case letters and digits)",
                        code.code
                    ),
                ));
                continue;
            }
            if let (Some(from), Some(until)) = (code.from, code.until)
                && from > until
            {
                diagnostics.push(KbError::malformed(
                    file,
                    line,
                    format!("{}: `from` {from} is after `until` {until}", code.code),
                ));
                continue;
            }
            let range = DateRange {
                from: code.from,
                until: code.until,
            };
            codes.push(DatedCode {
                code: code.code.clone(),
                restriction: String::new(),
                range,
                line,
            });
        }
        if names.is_empty() || codes.is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                line,
                "overlay actor needs a name and at least one valid code",
            ));
            continue;
        }
        overlay.actors.push(ActorEntry {
            file: file_index,
            line,
            names,
            codes,
            origin: Origin::Overlay { note },
        });
    }
    for agent in parsed.agent {
        let line = line_of(text, agent.name.span().start);
        let note = agent.note.trim().to_string();
        if note.is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                line,
                "overlay entry without a `note`: say where it comes from or why",
            ));
            continue;
        }
        let code = agent.code.trim();
        let (bare, placement) = if let Some(c) = code.strip_prefix('~') {
            (c, AgentPlacement::After)
        } else if let Some(c) = code.strip_suffix('~') {
            (c, AgentPlacement::Before)
        } else {
            ("", AgentPlacement::After)
        };
        if !valid_code(bare) {
            diagnostics.push(KbError::malformed(
                file,
                line,
                format!("agent code `{code}` must be `~CODE` (appended) or `CODE~` (put before)"),
            ));
            continue;
        }
        let written = agent.name.get_ref().clone();
        let plural = match &agent.plural {
            Some(p) => p.clone(),
            None => format!("{written}s"),
        };
        for (written, is_plural) in [(written, false), (plural, true)] {
            let name = normalize_name(&written);
            if name.is_empty() {
                continue;
            }
            overlay.agents.push(AgentEntry {
                file: file_index,
                line,
                name,
                written,
                code: bare.to_string(),
                placement,
                plural: is_plural,
                origin: Origin::Overlay { note: note.clone() },
            });
        }
    }
    for removal in parsed.remove {
        let line = line_of(text, removal.name.span().start);
        if removal.note.trim().is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                line,
                "overlay entry without a `note`: say where it comes from or why",
            ));
            continue;
        }
        overlay.removals.push(Removal {
            file: file_index,
            line,
            name: normalize_name(removal.name.get_ref()),
            note: removal.note.trim().to_string(),
        });
    }
    Ok((overlay, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overlay_entries_with_lines_and_inclusive_dates() {
        let text = r#"
version = 1

[[actor]]
name = "Ashraf Ghani"
synonyms = ["President Ghani"]
codes = [{ code = "AFGGOV", from = "2014-09-29", until = "2021-08-15" }, { code = "AFGELI" }]
note = "test"

[[actor]]
name = "Nobody"
codes = [{ code = "afg" }]
note = "bad code"

[[agent]]
name = "spy agency"
plural = "spy agencies"
code = "~SPY"
note = "test"

[[remove]]
name = "AL-BAGHDADI"
note = "test"
"#;
        let (overlay, diagnostics) = parse_overlay("o.toml", 3, text).unwrap();
        assert_eq!(overlay.actors.len(), 1);
        let ghani = &overlay.actors[0];
        assert_eq!(ghani.line, 5);
        assert_eq!(ghani.names[1].name, "president ghani");
        assert!(ghani.codes[0].range.contains(Some(date(2021, 8, 15))));
        assert!(!ghani.codes[0].range.contains(Some(date(2021, 8, 16))));
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert!(diagnostics[0].to_string().starts_with("o.toml:11: `afg`"));
        assert_eq!(overlay.agents.len(), 2);
        assert_eq!(overlay.agents[1].name, "spy agencies");
        assert_eq!(overlay.removals[0].name, "al-baghdadi");
    }

    #[test]
    fn wrong_version_and_unknown_fields_are_rejected() {
        assert!(parse_overlay("o.toml", 0, "version = 2").is_err());
        let err = parse_overlay(
            "o.toml",
            0,
            "version = 1\n[[actor]]\nname = \"x\"\ncodes = []\nnote = \"n\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
