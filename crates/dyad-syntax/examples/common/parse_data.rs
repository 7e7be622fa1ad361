//! Reading the parser's training files (`make_training_data.py --parse` output).

use dyad_syntax::Tagger;
use dyad_syntax::parser_training::ParseSentence;
use std::io::BufRead;

/// Reads `{"words", "tags", "heads", "deps"}` lines; `limit` 0 reads all. With `dyad_tags`,
/// the tags are replaced by the embedded tagger's (what the parser sees at run time).
pub fn read_parse_sentences(
    path: &str,
    limit: usize,
    dyad_tags: bool,
) -> Result<Vec<ParseSentence>, Box<dyn std::error::Error>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let tagger = Tagger::embedded()?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let words = strings("words");
        let tags = if dyad_tags {
            tagger
                .tag_words(&words)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect()
        } else {
            strings("tags")
        };
        let heads = value["heads"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_i64().and_then(|h| usize::try_from(h).ok()))
                    .collect()
            })
            .unwrap_or_default();
        out.push(ParseSentence {
            words,
            tags,
            heads,
            labels: strings("deps"),
        });
        if limit > 0 && out.len() >= limit {
            break;
        }
    }
    Ok(out)
}
