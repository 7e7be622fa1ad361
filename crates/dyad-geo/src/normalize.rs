//! Name normalization shared by the index and the lookups.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The key a name is indexed and looked up under: lowercase, diacritics folded, punctuation
/// turned into single spaces, `st`/`ste`/`mt`/`ft` expanded (`St. Louis` → `saint louis`),
/// apostrophes dropped (`O'Leary` → `oleary`), a leading `the` removed.
///
/// ```
/// assert_eq!(dyad_geo::normalize_name("Toruń"), "torun");
/// assert_eq!(dyad_geo::normalize_name("St. Peter's Square"), "saint peters square");
/// assert_eq!(dyad_geo::normalize_name("Port-au-Prince"), "port au prince");
/// ```
pub fn normalize_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkd() {
        if is_combining_mark(c) || c == '\'' || c == '’' || c == 'ʻ' || c == '`' {
            continue;
        }
        match c {
            'ß' => folded.push_str("ss"),
            'ø' | 'Ø' => folded.push('o'),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'đ' | 'Đ' => folded.push('d'),
            'ł' | 'Ł' => folded.push('l'),
            'ı' => folded.push('i'),
            'þ' | 'Þ' => folded.push_str("th"),
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    let mut out = String::with_capacity(folded.len());
    for (i, word) in folded.split_whitespace().enumerate() {
        if i == 0 && word == "the" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            "mt" => "mount",
            "ft" => "fort",
            w => w,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_expands() {
        assert_eq!(normalize_name("Brăila"), "braila");
        assert_eq!(normalize_name("Saint-Marc"), "saint marc");
        assert_eq!(normalize_name("St Marc"), "saint marc");
        assert_eq!(normalize_name("U.S."), "u s");
        assert_eq!(normalize_name("The Gambia"), "gambia");
        assert_eq!(normalize_name("Ft. Detrick"), "fort detrick");
        assert_eq!(normalize_name("Bieżuń"), "biezun");
        assert_eq!(normalize_name("Łódź"), "lodz");
        assert_eq!(normalize_name("  "), "");
    }
}
