//! Actor, agent and discard dictionaries in PETRARCH2's formats.
//!
//! Actor dictionary (`Phoenix.*.actors.txt`):
//! ```text
//! BARACK_OBAMA                      # a name: underscores separate words
//! +PRESIDENT_OBAMA_                 # a synonym of the name above
//!     [USAELI 780101-000101]        # codes with date restrictions, first match wins
//!     [USAGOV >090120]
//! TALIBAN_ [AFGREB]                 # a name with its code on the same line
//! ```
//! Restrictions are `A-B` (A ≤ date < B), `>A` (from A on) and `<B` (before B); dates are
//! `YYYYMMDD` or `YYMMDD`. A name line with no code directly followed by another name
//! line with no code belongs to the same entry (`IVO_JOSIPOVIC_` / `JOSIPOVIC_` /
//! `[HRVGOV ...]`); PETRARCH2 silently drops such names, dyad keeps them with the codes
//! that follow.
//!
//! Agent dictionary (`Phoenix.agents.txt`): `!PERSON! = MAN, MEN, ...` substitution sets,
//! then `PHRASE {PLURAL} [~CODE]` lines. `~CODE` is appended to the actor code, `CODE~`
//! put before it. Without `{...}` a regular plural is generated (`Y` → `IES`, `S` → `ES`,
//! else `S`); `{}` means no plural.
//!
//! Discards (`Phoenix.discards.txt`): one phrase a line; `+PHRASE` discards the whole story.

use crate::date::DateRange;
use crate::source::{ContentLine, content_lines, normalize_name};
use crate::{KbError, Origin};
use serde::{Deserialize, Serialize};

/// The code PETRARCH uses for "known name, but not an actor": matches consume their tokens
/// and report nothing.
pub const NULL_CODE: &str = "---";

/// One actor code and the days it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedCode {
    /// The CAMEO actor code (`USAGOV`).
    pub code: String,
    /// When it applies.
    pub range: DateRange,
    /// The restriction as written (`>090120`), empty when none.
    pub restriction: String,
    /// Line of the code in its file.
    pub line: u32,
}

/// One name of an actor entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorName {
    /// Normalized: lowercase tokens joined by single spaces.
    pub name: String,
    /// As written in the dictionary.
    pub written: String,
    /// Line in its file.
    pub line: u32,
    /// True for `+SYNONYM` lines.
    pub synonym: bool,
}

/// An actor: its names and dated codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorEntry {
    /// Index of the file in [`crate::KnowledgeBase::files`].
    pub file: u16,
    /// Line of the first name.
    pub line: u32,
    /// Names; the first is the entry's main name.
    pub names: Vec<ActorName>,
    /// Codes in dictionary order; a dated code covering the date applies, else the undated default.
    pub codes: Vec<DatedCode>,
    /// Where the entry comes from.
    pub origin: Origin,
}

/// Where an agent code goes relative to the actor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgentPlacement {
    /// `[~GOV]`: appended (`AFG` + `GOV` = `AFGGOV`).
    After,
    /// `[NGO~]`: put before (`NGO` + `AFG` = `NGOAFG`).
    Before,
}

/// An agent phrase (`police`, `foreign minister`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentEntry {
    /// Index of the file in [`crate::KnowledgeBase::files`].
    pub file: u16,
    /// Line in its file.
    pub line: u32,
    /// Normalized phrase.
    pub name: String,
    /// The phrase as written (after substitution-marker expansion).
    pub written: String,
    /// The agent code without the `~` (`COP`).
    pub code: String,
    /// Where the code goes.
    pub placement: AgentPlacement,
    /// True for generated or `{...}` plurals.
    pub plural: bool,
    /// Where the entry comes from.
    pub origin: Origin,
}

impl AgentEntry {
    /// The code as written in the dictionary (`~COP`, `NGO~`).
    pub fn written_code(&self) -> String {
        match self.placement {
            AgentPlacement::After => format!("~{}", self.code),
            AgentPlacement::Before => format!("{}~", self.code),
        }
    }
}

/// A discard phrase: sentences (or whole stories) containing it are not coded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscardEntry {
    /// Index of the file in [`crate::KnowledgeBase::files`].
    pub file: u16,
    /// Line in its file.
    pub line: u32,
    /// Normalized phrase.
    pub name: String,
    /// `+PHRASE`: the whole story is discarded, not only the sentence.
    pub whole_story: bool,
}

/// What a parser produced, and the entries it skipped (with `file:line`).
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The entries read.
    pub entries: Vec<T>,
    /// One error per skipped entry or line.
    pub diagnostics: Vec<KbError>,
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

/// Parses `[CODE restriction][CODE2]...`; `text` starts at the first `[`.
fn parse_codes(file: &str, line: u32, text: &str, out: &mut Vec<DatedCode>) -> Result<(), KbError> {
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err(KbError::malformed(
                file,
                line,
                format!(
                    "unexpected `{rest}` after the codes: codes are written `[CODE]` or `[CODE 20010101-20021231]`"
                ),
            ));
        };
        let Some(close) = inner.find(']') else {
            return Err(KbError::malformed(file, line, "`[` without a closing `]`"));
        };
        let body = inner[..close].trim();
        rest = inner[close + 1..].trim_start();
        let mut parts = body.split_whitespace();
        let Some(code) = parts.next() else {
            return Err(KbError::malformed(file, line, "empty code `[]`"));
        };
        // `[---]` is PETRARCH's "known, but not an actor" (a footballer with a politician's name).
        if code != NULL_CODE && !code.chars().all(is_code_char) {
            return Err(KbError::malformed(
                file,
                line,
                format!("`{code}` is not an actor code (upper-case letters and digits)"),
            ));
        }
        let restriction: String = parts.collect::<Vec<_>>().join("");
        let range = if restriction.is_empty() {
            DateRange::ALWAYS
        } else {
            DateRange::parse_petrarch(&restriction)
                .map_err(|reason| KbError::malformed(file, line, reason))?
        };
        out.push(DatedCode {
            code: code.to_string(),
            range,
            restriction,
            line,
        });
    }
    Ok(())
}

fn name_of(file: &str, line: &ContentLine<'_>, raw: &str) -> Result<String, KbError> {
    let name = normalize_name(raw);
    if name.is_empty() {
        return Err(KbError::malformed(file, line.number, "empty name"));
    }
    if raw.contains([']', '{', '}']) {
        return Err(KbError::malformed(
            file,
            line.number,
            format!("`{raw}`: stray bracket in a name"),
        ));
    }
    Ok(name)
}

/// Parses an actor dictionary. `file_index` is stored in the entries; `file` names errors.
pub fn parse_actors(file: &str, file_index: u16, text: &str) -> Parsed<ActorEntry> {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    let mut current: Option<ActorEntry> = None;
    let finish =
        |entry: Option<ActorEntry>,
         entries: &mut Vec<ActorEntry>,
         diagnostics: &mut Vec<KbError>| {
            if let Some(entry) = entry {
                if entry.codes.is_empty() {
                    diagnostics.push(KbError::malformed(
                    file,
                    entry.line,
                    format!(
                        "actor `{}` has no code: add `[CODE]` after the name or on the next line",
                        entry.names.first().map(|n| n.written.as_str()).unwrap_or("")
                    ),
                ));
                } else {
                    entries.push(entry);
                }
            }
        };
    for line in content_lines(text) {
        let t = line.text;
        if t.starts_with('[') {
            match current.as_mut() {
                Some(entry) => {
                    if let Err(e) = parse_codes(file, line.number, t, &mut entry.codes) {
                        diagnostics.push(e);
                    }
                }
                None => diagnostics.push(KbError::malformed(
                    file,
                    line.number,
                    "a code with no actor name before it",
                )),
            }
        } else if let Some(raw) = t.strip_prefix('+') {
            let (raw_name, codes) = match raw.find('[') {
                Some(i) => (&raw[..i], Some(&raw[i..])),
                None => (raw, None),
            };
            match (current.as_mut(), name_of(file, &line, raw_name)) {
                (Some(entry), Ok(name)) => {
                    entry.names.push(ActorName {
                        name,
                        written: raw_name.trim().to_string(),
                        line: line.number,
                        synonym: true,
                    });
                    if let Some(codes) = codes
                        && let Err(e) = parse_codes(file, line.number, codes, &mut entry.codes)
                    {
                        diagnostics.push(e);
                    }
                }
                (None, _) => diagnostics.push(KbError::malformed(
                    file,
                    line.number,
                    "a `+synonym` with no actor name before it",
                )),
                (_, Err(e)) => diagnostics.push(e),
            }
        } else {
            let (raw_name, codes) = match t.find('[') {
                Some(i) => (&t[..i], Some(&t[i..])),
                None => (t, None),
            };
            let name = match name_of(file, &line, raw_name) {
                Ok(name) => name,
                Err(e) => {
                    diagnostics.push(e);
                    continue;
                }
            };
            let actor_name = ActorName {
                name,
                written: raw_name.trim().to_string(),
                line: line.number,
                synonym: false,
            };
            // A name line without codes right after another one without codes: same entry.
            if codes.is_none()
                && let Some(entry) = current.as_mut()
                && entry.codes.is_empty()
            {
                entry.names.push(actor_name);
                continue;
            }
            finish(current.take(), &mut entries, &mut diagnostics);
            let mut entry = ActorEntry {
                file: file_index,
                line: line.number,
                names: vec![actor_name],
                codes: Vec::new(),
                origin: Origin::Dictionary,
            };
            if let Some(codes) = codes
                && let Err(e) = parse_codes(file, line.number, codes, &mut entry.codes)
            {
                diagnostics.push(e);
            }
            current = Some(entry);
        }
    }
    finish(current.take(), &mut entries, &mut diagnostics);
    Parsed {
        entries,
        diagnostics,
    }
}

/// The regular plural of an agent phrase: PETRARCH's rule (`Y` → `IES`, `S` → `ES`, else
/// `S`), spelled properly after a vowel (`ATTORNEYS`, not `ATTORNIES`) and after `X`/`CH`/`SH`.
fn agent_plural(phrase: &str) -> String {
    let upper = phrase.to_uppercase();
    let b = upper.as_bytes();
    let vowel_before_last =
        b.len() >= 2 && matches!(b[b.len() - 2], b'A' | b'E' | b'I' | b'O' | b'U');
    if phrase.ends_with(['Y', 'y']) && !vowel_before_last {
        format!("{}IES", &phrase[..phrase.len() - 1])
    } else if ["S", "X", "Z", "CH", "SH"]
        .iter()
        .any(|e| upper.ends_with(e))
    {
        format!("{phrase}ES")
    } else {
        format!("{phrase}S")
    }
}

/// Parses an agent code `~GOV` / `NGO~`.
fn parse_agent_code(file: &str, line: u32, raw: &str) -> Result<(String, AgentPlacement), KbError> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let (bare, placement) = if let Some(c) = code.strip_prefix('~') {
        (c, AgentPlacement::After)
    } else if let Some(c) = code.strip_suffix('~') {
        (c, AgentPlacement::Before)
    } else {
        return Err(KbError::malformed(
            file,
            line,
            format!(
                "agent code `{code}` needs a `~`: `[~GOV]` appends to the actor code, `[NGO~]` goes before it"
            ),
        ));
    };
    if bare.is_empty() || !bare.chars().all(is_code_char) {
        return Err(KbError::malformed(
            file,
            line,
            format!("`{code}` is not an agent code (upper-case letters and digits after `~`)"),
        ));
    }
    Ok((bare.to_string(), placement))
}

/// Parses an agent dictionary.
pub fn parse_agents(file: &str, file_index: u16, text: &str) -> Parsed<AgentEntry> {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    let mut markers: Vec<(String, Vec<String>)> = Vec::new();
    for line in content_lines(text) {
        let t = line.text;
        let n = line.number;
        if t.contains('!') && t.contains('=') && !t.contains('[') {
            // !MARKER! = A, B, C
            let Some((lhs, rhs)) = t.split_once('=') else {
                continue;
            };
            let marker = lhs.trim();
            if marker.len() < 3 || !marker.starts_with('!') || !marker.ends_with('!') {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    "substitution set must be written `!NAME! = A, B, C`",
                ));
                continue;
            }
            let items: Vec<String> = rhs
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            markers.push((marker.to_string(), items));
            continue;
        }
        let Some((phrase_part, code_part)) = t.split_once('[') else {
            diagnostics.push(KbError::malformed(
                file,
                n,
                format!("agent `{t}` has no code: add `[~CODE]`"),
            ));
            continue;
        };
        let Some((code_raw, after)) = code_part.split_once(']') else {
            diagnostics.push(KbError::malformed(file, n, "`[` without a closing `]`"));
            continue;
        };
        if !after.trim().is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                n,
                format!("unexpected `{}` after the agent code", after.trim()),
            ));
            continue;
        }
        let (code, placement) = match parse_agent_code(file, n, code_raw) {
            Ok(c) => c,
            Err(e) => {
                diagnostics.push(e);
                continue;
            }
        };
        let phrase_part = phrase_part.trim();
        // (phrase, is_plural) pairs to store.
        let mut phrases: Vec<(String, bool)> = Vec::new();
        if phrase_part.contains('!') {
            let mut parts = phrase_part.splitn(3, '!');
            let (Some(head), Some(marker), Some(tail)) = (parts.next(), parts.next(), parts.next())
            else {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    "substitution marker must be written `!NAME!`",
                ));
                continue;
            };
            let key = format!("!{marker}!");
            match markers.iter().find(|(m, _)| *m == key) {
                Some((_, items)) => {
                    for item in items {
                        phrases.push((format!("{head}{item}{tail}"), false));
                    }
                }
                None => {
                    diagnostics.push(KbError::malformed(
                        file,
                        n,
                        format!(
                            "substitution marker {key} is not defined: add `{key} = A, B` above"
                        ),
                    ));
                    continue;
                }
            }
        } else if let Some((base, plural)) = phrase_part.split_once('{') {
            let Some((plural, rest)) = plural.split_once('}') else {
                diagnostics.push(KbError::malformed(file, n, "missing `}` after the plural"));
                continue;
            };
            if !rest.trim().is_empty() {
                diagnostics.push(KbError::malformed(
                    file,
                    n,
                    format!("unexpected `{}` after `{{...}}`", rest.trim()),
                ));
                continue;
            }
            phrases.push((base.trim().to_string(), false));
            if !plural.trim().is_empty() {
                phrases.push((plural.trim().to_string(), true));
            }
        } else {
            phrases.push((phrase_part.to_string(), false));
            phrases.push((agent_plural(phrase_part), true));
        }
        for (written, plural) in phrases {
            let name = normalize_name(&written);
            if name.is_empty() {
                diagnostics.push(KbError::malformed(file, n, "empty agent phrase"));
                continue;
            }
            entries.push(AgentEntry {
                file: file_index,
                line: n,
                name,
                written,
                code: code.clone(),
                placement,
                plural,
                origin: Origin::Dictionary,
            });
        }
    }
    Parsed {
        entries,
        diagnostics,
    }
}

/// Parses a discard list.
pub fn parse_discards(file: &str, file_index: u16, text: &str) -> Parsed<DiscardEntry> {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for line in content_lines(text) {
        let (raw, whole_story) = match line.text.strip_prefix('+') {
            Some(rest) => (rest, true),
            None => (line.text, false),
        };
        let name = normalize_name(raw);
        if name.is_empty() {
            diagnostics.push(KbError::malformed(
                file,
                line.number,
                "empty discard phrase",
            ));
            continue;
        }
        entries.push(DiscardEntry {
            file: file_index,
            line: line.number,
            name,
            whole_story,
        });
    }
    Parsed {
        entries,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const ACTORS: &str = "\
# test actors
AFGHANISTAN_  [AFG]
+AFGHAN_
BARACK_OBAMA
+PRESIDENT_OBAMA_
\t[USAELI 780101-000101]
\t[USAGOV >090120]
IVO_JOSIPOVIC_
JOSIPOVIC_
\t[HRVGOV >20120219]
TALIBAN_ [AFGREB] #  kkl 21 Mar 13
";

    #[test]
    fn actor_entries_with_synonyms_and_dated_codes() {
        let parsed = parse_actors("test.actors.txt", 0, ACTORS);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let e = &parsed.entries;
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].names[1].name, "afghan");
        assert_eq!(e[1].names.len(), 2);
        assert_eq!(e[1].codes[1].code, "USAGOV");
        assert_eq!(e[1].codes[1].range.from, Some(date(2009, 1, 20)));
        assert_eq!(e[1].codes[1].line, 7);
        // The name line without a code belongs with the next one.
        assert_eq!(e[2].names.len(), 2);
        assert_eq!(e[2].codes[0].code, "HRVGOV");
        assert_eq!(e[3].names[0].name, "taliban");
        assert_eq!(e[3].line, 11);
    }

    #[test]
    fn malformed_actor_lines_are_reported_with_file_and_line() {
        let text = "FOO_ [AFG\n+BAR\n[USA 2001]\nBAZ [usa]\n+\nQUX_ [AFG]\nNOCODE_ [AFG] junk\n";
        let parsed = parse_actors("bad.txt", 0, text);
        let messages: Vec<String> = parsed.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages[0].starts_with("bad.txt:1: `[` without"),
            "{messages:?}"
        );
        assert!(messages.iter().any(|m| m.starts_with("bad.txt:3: ")));
        assert!(messages.iter().any(|m| m.starts_with("bad.txt:4: `usa`")));
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("bad.txt:5: empty name"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("bad.txt:7: unexpected `junk`"))
        );
        // FOO_ has no valid code and is dropped with a message.
        assert!(messages.iter().any(|m| m.contains("`FOO_` has no code")));
        assert!(parsed.entries.iter().any(|e| e.names[0].name == "qux"));
    }

    #[test]
    fn agents_with_markers_plurals_and_placements() {
        let text = "!PERSON! = MAN, WOMAN\nPOLICE {} [~COP]\nSPOKES!PERSON! [~MED]\nARMY [~MIL]\n\
                    THIEF {THIEVES} [~CRM]\nHUMAN_RIGHTS_BODY  [NGO~]\nPARTY [ ~PTY]\nISLAMIC_EXTREMIST\n";
        let parsed = parse_agents("a.txt", 0, text);
        let names: Vec<&str> = parsed.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "police",
                "spokesman",
                "spokeswoman",
                "army",
                "armies",
                "thief",
                "thieves",
                "human rights body",
                "human rights bodies",
                "party",
                "parties"
            ]
        );
        assert_eq!(parsed.entries[7].placement, AgentPlacement::Before);
        assert_eq!(parsed.entries[9].code, "PTY");
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(
            parsed.diagnostics[0]
                .to_string()
                .starts_with("a.txt:8: agent")
        );
    }

    #[test]
    fn malformed_agents() {
        let text = "FOO {FOOS [~X]\nBAR [GOV]\nBAZ!NOPE! [~X]\nQ [~X\n";
        let parsed = parse_agents("a.txt", 0, text);
        let lines: Vec<Option<u32>> = parsed.diagnostics.iter().map(|d| d.line()).collect();
        assert_eq!(lines, [Some(1), Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn discards() {
        let parsed = parse_discards("d.txt", 0, "+ACADEMY AWARD # x\nBASEBALL\n");
        assert_eq!(parsed.entries.len(), 2);
        assert!(parsed.entries[0].whole_story);
        assert_eq!(parsed.entries[0].name, "academy award");
    }
}
