//! Event-code tables: CAMEO → PLOVER, Goldstein scale values and QuadClass.
//!
//! All three are looked up most specific first: `0231`, then `023`, then `02`.

use crate::KbError;
use crate::source::content_lines;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row of the CAMEO → PLOVER table (`186: ASSAULT, assassinate, # Assassinate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PloverMapping {
    /// PLOVER event type (`ASSAULT`).
    pub event_type: String,
    /// PLOVER mode, empty when none (`assassinate`).
    pub mode: String,
    /// PLOVER contexts (`military`, `legal`).
    pub contexts: Vec<String>,
    /// The CAMEO description from the table's comment (`Assassinate`).
    pub description: String,
    /// Line in the table.
    pub line: u32,
}

/// The event-code tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventScales {
    plover: BTreeMap<String, PloverMapping>,
    goldstein: BTreeMap<String, f32>,
    /// (first root, last root, quad class).
    quad_classes: Vec<(u8, u8, u8)>,
}

/// Candidate keys for a CAMEO code, most specific first (`0231`, `023`, `02`).
fn fallbacks(cameo: &str) -> impl Iterator<Item = &str> {
    let cameo = cameo.trim();
    [4usize, 3, 2]
        .into_iter()
        .filter(move |&n| n <= cameo.len())
        .filter_map(move |n| cameo.get(..n))
}

impl EventScales {
    /// Parses the three tables; malformed rows are errors with `file:line`.
    pub fn parse(
        plover: &[(&str, &str)],
        goldstein: (&str, &str),
        quad_classes: (&str, &str),
    ) -> Result<EventScales, KbError> {
        let mut scales = EventScales::default();
        for &(file, text) in plover {
            scales.parse_plover_rows(file, text)?;
        }
        scales.parse_other_tables(goldstein, quad_classes)?;
        Ok(scales)
    }

    /// Adds the rows of one CAMEO → PLOVER table; codes already mapped keep their row.
    fn parse_plover_rows(&mut self, file: &str, text: &str) -> Result<(), KbError> {
        let scales = self;
        for line in content_lines(text) {
            if line.text.starts_with("~~~") {
                break;
            }
            let Some((code, rest)) = line.text.split_once(':') else {
                return Err(KbError::malformed(
                    file,
                    line.number,
                    "expected `CAMEO: TYPE, mode, context # description`",
                ));
            };
            let code = code.trim();
            if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(KbError::malformed(
                    file,
                    line.number,
                    format!("`{code}` is not a CAMEO code"),
                ));
            }
            let mut fields = rest.split(',').map(str::trim);
            let event_type = fields.next().unwrap_or("").to_string();
            if event_type.is_empty()
                || !event_type
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b'_')
            {
                return Err(KbError::malformed(
                    file,
                    line.number,
                    format!("`{event_type}` is not a PLOVER event type"),
                ));
            }
            let mode = fields.next().unwrap_or("").to_string();
            let contexts = fields
                .next()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            let raw = text
                .lines()
                .nth(usize::try_from(line.number).unwrap_or(1).saturating_sub(1))
                .unwrap_or("");
            let description = raw
                .split_once('#')
                .map(|(_, c)| c.trim().to_string())
                .unwrap_or_default();
            // The table repeats a few codes; the first row is the one under its own root.
            scales
                .plover
                .entry(code.to_string())
                .or_insert(PloverMapping {
                    event_type,
                    mode,
                    contexts,
                    description,
                    line: line.number,
                });
        }
        Ok(())
    }

    fn parse_other_tables(
        &mut self,
        goldstein: (&str, &str),
        quad_classes: (&str, &str),
    ) -> Result<(), KbError> {
        let scales = self;
        let (file, text) = goldstein;
        for line in content_lines(text)
            .into_iter()
            .skip_while(|l| l.text.starts_with("code"))
        {
            let Some((code, value)) = line.text.split_once(',') else {
                return Err(KbError::malformed(
                    file,
                    line.number,
                    "expected `code,value`",
                ));
            };
            let value: f32 = value.trim().parse().map_err(|_| {
                KbError::malformed(file, line.number, format!("`{value}` is not a number"))
            })?;
            if !(-10.0..=10.0).contains(&value) {
                return Err(KbError::malformed(
                    file,
                    line.number,
                    "Goldstein values lie in -10..10",
                ));
            }
            scales.goldstein.insert(code.trim().to_string(), value);
        }
        let (file, text) = quad_classes;
        for line in content_lines(text)
            .into_iter()
            .skip_while(|l| l.text.starts_with("first_root"))
        {
            let fields: Vec<&str> = line.text.split(',').map(str::trim).collect();
            let number = |i: usize| fields.get(i).and_then(|f| f.parse::<u8>().ok());
            match (number(0), number(1), number(2)) {
                (Some(a), Some(b), Some(q)) if a <= b && (1..=4).contains(&q) => {
                    scales.quad_classes.push((a, b, q))
                }
                _ => {
                    return Err(KbError::malformed(
                        file,
                        line.number,
                        "expected `first_root,last_root,quad_class,label` with quad_class 1..4",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The PLOVER mapping of a CAMEO code, most specific row first.
    pub fn plover_mapping(&self, cameo: &str) -> Option<&PloverMapping> {
        fallbacks(cameo).find_map(|key| self.plover.get(key))
    }

    /// The PLOVER type and mode of a CAMEO code.
    pub fn plover_for(&self, cameo: &str) -> Option<dyad_document::Plover> {
        self.plover_mapping(cameo).map(|m| dyad_document::Plover {
            event_type: m.event_type.clone(),
            mode: m.mode.clone(),
        })
    }

    /// The Goldstein value of a CAMEO code, most specific row first.
    pub fn goldstein(&self, cameo: &str) -> Option<f32> {
        fallbacks(cameo).find_map(|key| self.goldstein.get(key).copied())
    }

    /// The QuadClass (1..4) of a CAMEO code by its root; 0 when the code has no known root.
    pub fn quad_class(&self, cameo: &str) -> u8 {
        let Some(root) = cameo.trim().get(..2).and_then(|r| r.parse::<u8>().ok()) else {
            return 0;
        };
        self.quad_classes
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&root))
            .map_or(0, |(_, _, q)| *q)
    }

    /// Number of rows in the PLOVER and Goldstein tables.
    pub fn sizes(&self) -> (usize, usize) {
        (self.plover.len(), self.goldstein.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scales() -> EventScales {
        EventScales::parse(
            &[("p.txt", "# t\n18: ASSAULT\n186: ASSAULT, assassinate,    # Assassinate\n1121: ACCUSE, allege, crime; corruption # x\n~~~~~\n99: JUNK\n")],
            ("g.csv", "code,goldstein\n18,-9.0\n186,-10.0\n"),
            ("q.csv", "first_root,last_root,quad_class,label\n01,05,1,v\n14,20,4,m\n"),
        )
        .unwrap()
    }

    #[test]
    fn most_specific_code_first() {
        let s = scales();
        let m = s.plover_mapping("186").unwrap();
        assert_eq!(
            (
                m.event_type.as_str(),
                m.mode.as_str(),
                m.description.as_str()
            ),
            ("ASSAULT", "assassinate", "Assassinate")
        );
        assert_eq!(s.plover_for("1861").unwrap().mode, "assassinate");
        assert_eq!(s.plover_for("183").unwrap().mode, "");
        assert_eq!(
            s.plover_mapping("1121").unwrap().contexts,
            ["crime", "corruption"]
        );
        assert!(s.plover_for("99").is_none());
        assert_eq!(s.goldstein("186"), Some(-10.0));
        assert_eq!(s.goldstein("181"), Some(-9.0));
        assert_eq!(s.quad_class("186"), 4);
        assert_eq!(s.quad_class("042"), 1);
        assert_eq!(s.quad_class("x"), 0);
    }

    #[test]
    fn malformed_rows() {
        let err = EventScales::parse(&[("p.txt", "18 ASSAULT\n")], ("g.csv", ""), ("q.csv", ""))
            .unwrap_err();
        assert_eq!(err.line(), Some(1));
        let err = EventScales::parse(
            &[("p.txt", "")],
            ("g.csv", "code,goldstein\n18,x\n"),
            ("q.csv", ""),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "g.csv:2: `x` is not a number");
    }
}
