//! Parsers for the vendored gazetteer files in `data/gazetteer/` (see its README).
//!
//! Every parser reports a malformed line as [`GeoError::Parse`] with the file name and
//! line number, and never panics. Lines starting with `#` and blank lines are skipped.

use crate::GeoError;
use std::collections::{HashMap, HashSet};

/// One populated place of `cities.tsv.gz` (GeoNames cities1000 + filtered cities500, Latin-script names).
#[derive(Debug, Clone, PartialEq)]
pub struct CityRow {
    /// GeoNames id.
    pub geonameid: u32,
    /// Main name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub cc: String,
    /// GeoNames admin1 code.
    pub admin1: String,
    /// Second-level division name, when known.
    pub admin2: String,
    /// Population.
    pub population: u64,
    /// Alternate names.
    pub alt_names: Vec<String>,
}

/// One row of `countries.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryRow {
    /// ISO alpha-2.
    pub iso2: String,
    /// ISO alpha-3.
    pub iso3: String,
    /// GeoNames id.
    pub geonameid: Option<u32>,
    /// Common English name.
    pub name: String,
    /// Official names and other spellings.
    pub alt_names: Vec<String>,
    /// English demonyms (`Afghan`).
    pub demonyms: Vec<String>,
    /// Capital city name.
    pub capital: String,
    /// Representative latitude.
    pub lat: f64,
    /// Representative longitude.
    pub lon: f64,
    /// Population.
    pub population: u64,
}

/// One row of `admin1.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Admin1Row {
    /// Country code.
    pub cc: String,
    /// GeoNames admin1 code.
    pub code: String,
    /// GeoNames id (US states only).
    pub geonameid: Option<u32>,
    /// Name.
    pub name: String,
    /// Other names (`Bulacan` for `Province of Bulacan`).
    pub alt_names: Vec<String>,
    /// Median latitude of its cities.
    pub lat: f64,
    /// Median longitude of its cities.
    pub lon: f64,
    /// Summed population of its cities.
    pub population: u64,
}

/// One row of `admin2.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Admin2Row {
    /// Country code.
    pub cc: String,
    /// Admin1 code of the containing division.
    pub admin1: String,
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// Median latitude of its cities.
    pub lat: f64,
    /// Median longitude of its cities.
    pub lon: f64,
    /// Summed population of its cities.
    pub population: u64,
}

/// One row of the hand-curated `overlay.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayRow {
    /// 1-based line in the file, for error messages.
    pub line: usize,
    /// Name.
    pub name: String,
    /// Other names.
    pub alt_names: Vec<String>,
    /// GeoNames-style feature (`T.VAL`), `alias` (another name of `target`) or `coords`
    /// (better coordinates for `target`).
    pub feature: String,
    /// Country code, empty when the place spans several.
    pub cc: String,
    /// Admin1 code, usually empty.
    pub admin1: String,
    /// Latitude and longitude; `None` for aliases.
    pub coords: Option<(f64, f64)>,
    /// A population-like prior weight.
    pub population: u64,
    /// For aliases and coordinate overrides: `country:XX`, `admin1:XX.CODE` or `geonames:ID`.
    pub target: String,
}

/// The word lists of `context_words.tsv`, by category.
pub type ContextWords = HashMap<String, HashSet<String>>;

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

fn err(file: &str, line: usize, reason: impl Into<String>) -> GeoError {
    GeoError::Parse {
        file: file.to_string(),
        line,
        reason: reason.into(),
    }
}

fn fields<'a>(file: &str, line: usize, text: &'a str, n: usize) -> Result<Vec<&'a str>, GeoError> {
    let f: Vec<&str> = text.split('\t').collect();
    if f.len() != n {
        return Err(err(
            file,
            line,
            format!("expected {n} tab-separated fields, found {}", f.len()),
        ));
    }
    Ok(f)
}

fn name_field(file: &str, line: usize, what: &str, v: &str) -> Result<String, GeoError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(err(file, line, format!("empty {what}")));
    }
    Ok(v.to_string())
}

fn coord(file: &str, line: usize, what: &str, v: &str, limit: f64) -> Result<f64, GeoError> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| err(file, line, format!("{what} `{v}` is not a number")))?;
    if !x.is_finite() || x.abs() > limit {
        return Err(err(file, line, format!("{what} {x} is outside ±{limit}")));
    }
    Ok(x)
}

fn count(file: &str, line: usize, what: &str, v: &str) -> Result<u64, GeoError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(0);
    }
    v.parse()
        .map_err(|_| err(file, line, format!("{what} `{v}` is not a whole number")))
}

fn opt_id(file: &str, line: usize, v: &str) -> Result<Option<u32>, GeoError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| err(file, line, format!("geonameid `{v}` is not a number")))
}

fn list(v: &str) -> Vec<String> {
    v.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn code(file: &str, line: usize, what: &str, v: &str, len: usize) -> Result<String, GeoError> {
    let v = v.trim();
    if v.len() != len || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(err(
            file,
            line,
            format!("{what} `{v}` is not a {len}-letter code"),
        ));
    }
    Ok(v.to_ascii_uppercase())
}

/// Parses `cities.tsv` (decompressed): geonameid, name, lat, lon, cc, admin1, admin2,
/// population, alt names.
pub fn parse_cities(file: &str, text: &str) -> Result<Vec<CityRow>, GeoError> {
    let mut out = Vec::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 9)?;
        out.push(CityRow {
            geonameid: opt_id(file, n, f[0])?.ok_or_else(|| err(file, n, "missing geonameid"))?,
            name: name_field(file, n, "name", f[1])?,
            lat: coord(file, n, "latitude", f[2], 90.0)?,
            lon: coord(file, n, "longitude", f[3], 180.0)?,
            cc: code(file, n, "country code", f[4], 2)?,
            admin1: f[5].trim().to_string(),
            admin2: f[6].trim().to_string(),
            population: count(file, n, "population", f[7])?,
            alt_names: list(f[8]),
        });
    }
    Ok(out)
}

/// Parses `countries.tsv`.
pub fn parse_countries(file: &str, text: &str) -> Result<Vec<CountryRow>, GeoError> {
    let mut out = Vec::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 10)?;
        out.push(CountryRow {
            iso2: code(file, n, "iso2", f[0], 2)?,
            iso3: code(file, n, "iso3", f[1], 3)?,
            geonameid: opt_id(file, n, f[2])?,
            name: name_field(file, n, "name", f[3])?,
            alt_names: list(f[4]),
            demonyms: list(f[5]),
            capital: f[6].trim().to_string(),
            lat: coord(file, n, "latitude", f[7], 90.0)?,
            lon: coord(file, n, "longitude", f[8], 180.0)?,
            population: count(file, n, "population", f[9])?,
        });
    }
    Ok(out)
}

/// Parses `admin1.tsv`.
pub fn parse_admin1(file: &str, text: &str) -> Result<Vec<Admin1Row>, GeoError> {
    let mut out = Vec::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 8)?;
        out.push(Admin1Row {
            cc: code(file, n, "country code", f[0], 2)?,
            code: name_field(file, n, "admin1 code", f[1])?,
            geonameid: opt_id(file, n, f[2])?,
            name: name_field(file, n, "name", f[3])?,
            alt_names: list(f[4]),
            lat: coord(file, n, "latitude", f[5], 90.0)?,
            lon: coord(file, n, "longitude", f[6], 180.0)?,
            population: count(file, n, "population", f[7])?,
        });
    }
    Ok(out)
}

/// Parses `admin2.tsv`.
pub fn parse_admin2(file: &str, text: &str) -> Result<Vec<Admin2Row>, GeoError> {
    let mut out = Vec::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 7)?;
        out.push(Admin2Row {
            cc: code(file, n, "country code", f[0], 2)?,
            admin1: f[1].trim().to_string(),
            name: name_field(file, n, "name", f[2])?,
            alt_names: list(f[3]),
            lat: coord(file, n, "latitude", f[4], 90.0)?,
            lon: coord(file, n, "longitude", f[5], 180.0)?,
            population: count(file, n, "population", f[6])?,
        });
    }
    Ok(out)
}

/// Parses `overlay.tsv`.
pub fn parse_overlay(file: &str, text: &str) -> Result<Vec<OverlayRow>, GeoError> {
    let mut out = Vec::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 10)?;
        let feature = name_field(file, n, "feature", f[2])?;
        let alias = feature == "alias";
        let targeted = alias || feature == "coords";
        let target = f[8].trim().to_string();
        if targeted == target.is_empty() {
            return Err(err(
                file,
                n,
                "`alias` and `coords` rows need a target (country:XX, admin1:XX.CODE, geonames:ID), other rows none",
            ));
        }
        let coords = if alias {
            None
        } else {
            Some((
                coord(file, n, "latitude", f[5], 90.0)?,
                coord(file, n, "longitude", f[6], 180.0)?,
            ))
        };
        let cc = f[3].trim();
        out.push(OverlayRow {
            line: n,
            name: name_field(file, n, "name", f[0])?,
            alt_names: list(f[1]),
            feature,
            cc: if cc.is_empty() {
                String::new()
            } else {
                code(file, n, "country code", cc, 2)?
            },
            admin1: f[4].trim().to_string(),
            coords,
            population: count(file, n, "population", f[7])?,
            target,
        });
    }
    Ok(out)
}

/// Parses `context_words.tsv`: category, word.
pub fn parse_context_words(file: &str, text: &str) -> Result<ContextWords, GeoError> {
    let mut out = ContextWords::new();
    for (n, l) in data_lines(text) {
        let f = fields(file, n, l, 2)?;
        let category = name_field(file, n, "category", f[0])?;
        let word = name_field(file, n, "word", f[1])?;
        out.entry(category).or_default().insert(word.to_lowercase());
    }
    Ok(out)
}

/// Parses `common_words.txt`: one lowercase word per line.
pub fn parse_word_list(text: &str) -> HashSet<String> {
    data_lines(text)
        .map(|(_, l)| l.trim().to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = parse_countries("countries.tsv", "#h\nAF\tAFG\n").unwrap_err();
        assert_eq!(
            e.to_string().split(':').take(2).collect::<Vec<_>>(),
            ["countries.tsv", "2"]
        );
        let e = parse_admin1("admin1.tsv", "AF\t01\t\tX\t\t99\t0\t1\n").unwrap_err();
        assert!(e.to_string().contains("admin1.tsv:1: latitude 99"), "{e}");
        let e = parse_overlay("overlay.tsv", "X\t\talias\t\t\t\t\t\t\tsrc\n").unwrap_err();
        assert!(e.to_string().contains("overlay.tsv:1"), "{e}");
    }

    #[test]
    fn parses_a_city() {
        let rows = parse_cities(
            "cities.tsv",
            "1138958\tKabul\t34.5281\t69.1723\tAF\t13\t\t4434550\tCabul|Kabol\n",
        )
        .unwrap();
        assert_eq!(rows[0].name, "Kabul");
        assert_eq!(rows[0].alt_names, ["Cabul", "Kabol"]);
    }
}
