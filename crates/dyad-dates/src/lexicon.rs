//! The calendar words the scanner knows, read once from `data/lexicon.tsv`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The lexicon file, compiled in so the crate needs no files at run time.
pub(crate) const LEXICON_TSV: &str = include_str!("../data/lexicon.tsv");

/// A calendar unit a quantity can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Year,
    Decade,
    Century,
}

/// `early`, `mid`, `late`: which third of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Early,
    Mid,
    Late,
}

/// The parsed lexicon.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub months: HashMap<String, u8>,
    pub month_abbreviations: HashMap<String, u8>,
    /// 1 = Monday.
    pub weekdays: HashMap<String, u8>,
    pub numbers: HashMap<String, i64>,
    pub ordinals: HashMap<String, i64>,
    pub units: HashMap<String, Unit>,
    pub parts: HashMap<String, Part>,
    /// Season name to its first month (meteorological, northern hemisphere).
    pub seasons: HashMap<String, u8>,
    pub dayparts: HashSet<String>,
    pub future_cues: HashSet<String>,
    pub speech_verbs: HashSet<String>,
    /// Words that make a bare year or a bare `May`/`March` a date (`in 2014`, `since May`).
    pub licences: HashSet<String>,
    /// Nouns that make a preceding four-digit number a count (`2000 people`).
    pub count_nouns: HashSet<String>,
    pub eras: HashMap<String, i64>,
}

impl Lexicon {
    /// Parses the TSV; returns the lexicon and the lines it could not read (`line N: why`).
    pub(crate) fn parse(source: &str) -> (Lexicon, Vec<String>) {
        let mut lexicon = Lexicon::default();
        let mut problems = Vec::new();
        for (index, line) in source.lines().enumerate() {
            let line_number = index + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(kind), Some(word), value) = (fields.next(), fields.next(), fields.next())
            else {
                problems.push(format!(
                    "line {line_number}: expected kind<TAB>word<TAB>value"
                ));
                continue;
            };
            let word = word.to_string();
            let number = value.and_then(|v| v.parse::<i64>().ok());
            let small = number.and_then(|n| u8::try_from(n).ok());
            let ok = match kind {
                "month" => small.map(|m| lexicon.months.insert(word, m)).is_some(),
                "month_abbr" => small
                    .map(|m| lexicon.month_abbreviations.insert(word, m))
                    .is_some(),
                "weekday" => small.map(|d| lexicon.weekdays.insert(word, d)).is_some(),
                "number" => number.map(|n| lexicon.numbers.insert(word, n)).is_some(),
                "ordinal" => number.map(|n| lexicon.ordinals.insert(word, n)).is_some(),
                "season" => small.map(|m| lexicon.seasons.insert(word, m)).is_some(),
                "era" => number.map(|n| lexicon.eras.insert(word, n)).is_some(),
                "unit" => {
                    let unit = match value {
                        Some("day") => Some(Unit::Day),
                        Some("week") => Some(Unit::Week),
                        Some("month") => Some(Unit::Month),
                        Some("year") => Some(Unit::Year),
                        Some("decade") => Some(Unit::Decade),
                        Some("century") => Some(Unit::Century),
                        _ => None,
                    };
                    unit.map(|u| lexicon.units.insert(word, u)).is_some()
                }
                "part" => {
                    let part = match value {
                        Some("early") => Some(Part::Early),
                        Some("mid") => Some(Part::Mid),
                        Some("late") => Some(Part::Late),
                        _ => None,
                    };
                    part.map(|p| lexicon.parts.insert(word, p)).is_some()
                }
                "daypart" => {
                    lexicon.dayparts.insert(word);
                    true
                }
                "future" => {
                    lexicon.future_cues.insert(word);
                    true
                }
                "speech" => {
                    lexicon.speech_verbs.insert(word);
                    true
                }
                "licence" => {
                    lexicon.licences.insert(word);
                    true
                }
                "count" => {
                    lexicon.count_nouns.insert(word);
                    true
                }
                _ => false,
            };
            if !ok {
                problems.push(format!(
                    "line {line_number}: unknown kind or bad value in {line:?}"
                ));
            }
        }
        (lexicon, problems)
    }
}

/// The lexicon, parsed on first use. Unreadable lines are skipped (a unit test keeps the file clean).
pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON_TSV).0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_file_is_clean_and_complete() {
        let (lexicon, problems) = Lexicon::parse(LEXICON_TSV);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(lexicon.months.len(), 12);
        assert_eq!(lexicon.weekdays.len(), 7);
        assert_eq!(lexicon.seasons.len(), 5);
        assert_eq!(lexicon.numbers.get("forty"), Some(&40));
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let (_, problems) = Lexicon::parse("month\tjanuary\t1\nmonth\tfoo\tx\nnonsense\n");
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("line 2"), "{problems:?}");
    }
}
