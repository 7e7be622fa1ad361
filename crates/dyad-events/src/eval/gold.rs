//! Readers for the three gold formats.

use crate::EventsError;
use serde::Deserialize;
use std::path::Path;

/// Which gold format a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldKind {
    /// dyad's hand-coded real-news sentences (CAMEO, `news_*.jsonl`).
    News,
    /// PLOVER gold-standard records (`plover_gsr_*.jsonl`).
    Plover,
    /// PETRARCH2 unit-test records (`PETR.UnitTest.records.xml`).
    PetrarchXml,
}

impl GoldKind {
    /// Recognizes the format from the file's first record.
    pub fn detect(path: &Path) -> Result<GoldKind, EventsError> {
        let text = read(path)?;
        let head = text.trim_start();
        if head.starts_with('<') {
            return Ok(GoldKind::PetrarchXml);
        }
        let first = head.lines().next().unwrap_or("");
        let value: serde_json::Value =
            serde_json::from_str(first).map_err(|_| EventsError::UnknownGold {
                path: path.to_path_buf(),
            })?;
        let events = value.get("events").and_then(|e| e.as_array());
        if value.get("markup").is_some()
            || events
                .and_then(|e| e.first())
                .is_some_and(|e| e.get("plover").is_some())
        {
            return Ok(GoldKind::Plover);
        }
        if events.is_some() {
            return Ok(GoldKind::News);
        }
        Err(EventsError::UnknownGold {
            path: path.to_path_buf(),
        })
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            GoldKind::News => "news (CAMEO)",
            GoldKind::Plover => "PLOVER GSR",
            GoldKind::PetrarchXml => "PETRARCH2 unit tests",
        }
    }
}

pub(crate) fn read(path: &Path) -> Result<String, EventsError> {
    std::fs::read_to_string(path).map_err(|source| EventsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A news gold event.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct NewsEvent {
    pub source_text: Option<String>,
    pub source_resolved: Option<String>,
    pub source_code: Option<String>,
    pub target_text: Option<String>,
    pub target_resolved: Option<String>,
    pub target_code: Option<String>,
    pub cameo: String,
    #[serde(default)]
    pub negated: bool,
    #[serde(default)]
    pub modality: Option<String>,
    #[serde(default)]
    pub trigger: Option<String>,
}

/// A news gold record.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct NewsRecord {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub context: Option<String>,
    pub text: String,
    #[serde(default)]
    pub events: Vec<NewsEvent>,
}

/// A PLOVER actor.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PloverActor {
    pub text: String,
    #[serde(default)]
    pub code: String,
}

/// A PLOVER gold event.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PloverEvent {
    pub plover: String,
    #[serde(default)]
    pub sources: Vec<PloverActor>,
    #[serde(default)]
    pub targets: Vec<PloverActor>,
    #[serde(default)]
    pub trigger: Option<String>,
}

/// A PLOVER gold record.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PloverRecord {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub events: Vec<PloverEvent>,
}

pub(crate) fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, EventsError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(line).map_err(|e| EventsError::Gold {
            path: path.to_path_buf(),
            line: number + 1,
            reason: format!("{e}; each line must be one JSON record"),
        })?;
        out.push(record);
    }
    Ok(out)
}

/// One PETRARCH2 unit-test record.
#[derive(Debug, Clone, Default)]
pub(crate) struct PetrarchRecord {
    pub id: String,
    pub date: Option<String>,
    pub text: String,
    /// Expected (source, target, event code); empty when no event is expected.
    pub expected: Vec<(String, String, String)>,
}

pub(crate) fn read_petrarch(path: &Path) -> Result<Vec<PetrarchRecord>, EventsError> {
    use quick_xml::events::Event as Xml;
    let text = read(path)?;
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut out = Vec::new();
    let mut current: Option<PetrarchRecord> = None;
    let mut in_text = false;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| {
                a.value
                    .trim_matches(|c| c == '"' || c == '\'')
                    .trim()
                    .to_string()
            })
    };
    loop {
        let event = reader.read_event().map_err(|e| EventsError::Gold {
            path: path.to_path_buf(),
            line: text[..(reader.buffer_position() as usize).min(text.len())]
                .lines()
                .count(),
            reason: format!("XML: {e}"),
        })?;
        match event {
            Xml::Start(e) | Xml::Empty(e) if e.name().as_ref() == "Sentence" => {
                current = Some(PetrarchRecord {
                    id: attr(&e, "id").unwrap_or_default(),
                    date: attr(&e, "date"),
                    ..Default::default()
                });
            }
            Xml::Start(e) | Xml::Empty(e) if e.name().as_ref() == "EventCoding" => {
                if let Some(record) = current.as_mut()
                    && let (Some(s), Some(t), Some(c)) = (
                        attr(&e, "sourcecode"),
                        attr(&e, "targetcode"),
                        attr(&e, "eventcode"),
                    )
                {
                    record.expected.push((s, t, c));
                }
            }
            Xml::Start(e) if e.name().as_ref() == "Text" => in_text = true,
            Xml::End(e) if e.name().as_ref() == "Text" => in_text = false,
            Xml::Text(t) if in_text => {
                if let Some(record) = current.as_mut() {
                    let raw = {
                        let r: &str = t.as_ref();
                        r.to_string()
                    };
                    record.text.push_str(&raw);
                    record.text.push(' ');
                }
            }
            Xml::GeneralRef(r) if in_text => {
                if let Some(record) = current.as_mut() {
                    let entity = {
                        let x: &str = r.as_ref();
                        x.to_string()
                    };
                    record.text.push_str(match entity.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Xml::End(e) if e.name().as_ref() == "Sentence" => {
                if let Some(mut record) = current.take() {
                    record.text = record.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !record.text.is_empty() {
                        out.push(record);
                    }
                }
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}
