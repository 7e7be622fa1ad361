//! Quotation marks: which characters open and close a quote, and how they pair.
//!
//! Handles straight `"` (by flanking, like Markdown), curly `“ ”`, single `‘ ’` and `'` at
//! word boundaries, the journalistic convention for quotes running over several paragraphs
//! (an unclosed paragraph continues when the next one opens with a mark), the same convention
//! flattened into one line by scraping, and the corpus dirt where scraping turned a closing
//! curly quote into `"?` (swallowing the following space) and a dash into ` "? `.

use dyad_document::TextRange;

/// A stretch of text between an opening and a closing quotation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    /// The opening mark.
    pub open: TextRange,
    /// The closing mark.
    pub close: TextRange,
    /// The content between the marks, whitespace trimmed.
    pub content: TextRange,
    /// True for single quotation marks.
    pub single: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    range: TextRange,
    role: Role,
    single: bool,
}

fn is_opening_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '-' | '—' | '–' | '/' | ':' | '“' | '‘' | '"' | '\u{FFFD}'
                )
        }
    }
}

fn is_closing_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '-'
                        | '—'
                        | '–'
                        | '”'
                        | '’'
                        | '\''
                        | '"'
                )
        }
    }
}

/// Classifies every character that can be a quotation mark.
fn classify(text: &str) -> Vec<Mark> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut marks = Vec::new();
    for (k, &(pos, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(at);
        let next = at(k + 1);
        let range = TextRange::new(pos, pos + c.len_utf8());
        let mark = |role, single| Mark {
            range,
            role,
            single,
        };
        match c {
            '“' | '„' | '«' => marks.push(mark(Role::Open, false)),
            '”' | '»' => marks.push(mark(Role::Close, false)),
            '‘' if is_opening_context(prev) => marks.push(mark(Role::Open, true)),
            '’' if prev.is_some_and(|p| !p.is_whitespace())
                && !next.is_some_and(char::is_alphanumeric) =>
            {
                marks.push(mark(Role::Close, true))
            }
            '\'' => {
                if is_opening_context(prev) && next.is_some_and(char::is_alphabetic) {
                    marks.push(mark(Role::Open, true));
                } else if prev.is_some_and(|p| !p.is_whitespace())
                    && !next.is_some_and(char::is_alphanumeric)
                {
                    marks.push(mark(Role::Close, true));
                }
            }
            '"' => {
                if next == Some('?') {
                    // Scraping dirt: `"?` after a word closes a quote (or is an apostrophe,
                    // which pairing ignores when nothing is open); after a space it was a dash.
                    if prev.is_some_and(|p| !p.is_whitespace()) {
                        let after = at(k + 2);
                        let end = if after.is_some_and(|a| !a.is_whitespace()) {
                            pos + 2
                        } else {
                            pos + 1
                        };
                        marks.push(Mark {
                            range: TextRange::new(pos, end),
                            role: Role::Close,
                            single: false,
                        });
                    }
                    continue;
                }
                let letter_before = prev.is_some_and(char::is_alphanumeric);
                let letter_after = next.is_some_and(char::is_alphanumeric);
                if letter_before && letter_after {
                    continue; // `can"t`: an apostrophe
                }
                let opens = is_opening_context(prev) && next.is_some_and(|n| !n.is_whitespace());
                let closes = prev.is_some_and(|p| !p.is_whitespace()) && is_closing_context(next);
                let role = match (opens, closes) {
                    (true, false) => Role::Open,
                    (false, true) => Role::Close,
                    _ => Role::Either,
                };
                marks.push(mark(role, false));
            }
            _ => {}
        }
    }
    marks
}

fn ends_statement(text: &str, from: usize, to: usize) -> bool {
    let inner = text.get(from..to).unwrap_or("").trim_end();
    inner.ends_with(['.', '!', '?', '…']) || inner.ends_with(".\u{FFFD}")
}

fn trimmed(text: &str, start: usize, end: usize) -> TextRange {
    let slice = text.get(start..end).unwrap_or("");
    let lead = slice.len()
        - slice
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FFFD}')
            .len();
    let body = slice.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FFFD}');
    let body_end = body.trim_end().len();
    TextRange::new(start + lead, start + lead + body_end)
}

/// Finds quoted stretches in text order (by opening mark).
pub fn find_marked(text: &str) -> Vec<Marked> {
    let marks = classify(text);
    let mut out = Vec::new();
    let mut double: Option<TextRange> = None;
    let mut single: Option<TextRange> = None;
    let mut double_paragraph = 0;
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let paragraph_of = |offset: usize| newlines.partition_point(|&n| n < offset);
    let mut i = 0;
    while i < marks.len() {
        let Some(mark) = marks.get(i).copied() else {
            break;
        };
        i += 1;
        // A paragraph break ends any quote still open, unless the next paragraph opens with a mark.
        if let Some(open) = double
            && double_paragraph != paragraph_of(mark.range.start())
        {
            let gap = text.get(open.end()..mark.range.start()).unwrap_or("");
            let next_para_start = gap.rfind('\n').map(|n| open.end() + n + 1);
            let continues = !mark.single
                && mark.role != Role::Close
                && next_para_start.is_some_and(|s| {
                    text.get(s..mark.range.start())
                        .is_some_and(|lead| lead.trim().is_empty())
                });
            if continues {
                double_paragraph = paragraph_of(mark.range.start());
                continue; // the opening mark of a continued paragraph
            }
            double = None;
        }
        if let Some(open) = single
            && (paragraph_of(open.start()) != paragraph_of(mark.range.start())
                || mark.range.start() - open.end() > 400)
        {
            single = None;
        }
        if mark.single {
            if double.is_some() {
                continue; // a quote inside a quote belongs to the outer one
            }
            match (mark.role, single) {
                (Role::Close, Some(open)) | (Role::Either, Some(open)) => {
                    let content = trimmed(text, open.end(), mark.range.start());
                    if !content.is_empty() {
                        out.push(Marked {
                            open,
                            close: mark.range,
                            content,
                            single: true,
                        });
                    }
                    single = None;
                }
                (Role::Open, _) | (Role::Either, None) => single = Some(mark.range),
                (Role::Close, None) => {}
            }
            continue;
        }
        match (mark.role, double) {
            (Role::Close, Some(open)) | (Role::Either, Some(open)) => {
                let content = trimmed(text, open.end(), mark.range.start());
                if !content.is_empty() {
                    out.push(Marked {
                        open,
                        close: mark.range,
                        content,
                        single: false,
                    });
                }
                double = None;
                single = None;
            }
            (Role::Open, Some(open)) => {
                if ends_statement(text, open.end(), mark.range.start()) {
                    // A paragraph continuation flattened into one line: close the first part.
                    let content = trimmed(text, open.end(), mark.range.start());
                    if !content.is_empty() {
                        out.push(Marked {
                            open,
                            close: TextRange::empty(content.end()),
                            content,
                            single: false,
                        });
                    }
                    double = Some(mark.range);
                    double_paragraph = paragraph_of(mark.range.start());
                }
                // Otherwise a nested quote in straight marks: it belongs to the outer one.
            }
            (Role::Open, None) | (Role::Either, None) => {
                double = Some(mark.range);
                double_paragraph = paragraph_of(mark.range.start());
                single = None;
            }
            (Role::Close, None) => {
                // A quote box whose opening mark the scraper lost: a paragraph that starts
                // with a statement and closes it, with no mark before, is one quote.
                let para_start = text
                    .get(..mark.range.start())
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |n| n + 1);
                let first_in_paragraph = marks
                    .iter()
                    .take(i.saturating_sub(1))
                    .all(|m| m.range.start() < para_start);
                let body = trimmed(text, para_start, mark.range.start());
                let words = text
                    .get(body.as_range())
                    .map_or(0, |b| b.split_whitespace().count());
                if first_in_paragraph
                    && words >= 4
                    && ends_statement(text, body.start(), body.end())
                {
                    out.push(Marked {
                        open: TextRange::empty(body.start()),
                        close: mark.range,
                        content: body,
                        single: false,
                    });
                }
            }
        }
    }
    out.sort_by_key(|m| m.open.start());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<&str> {
        find_marked(text)
            .into_iter()
            .map(|m| &text[m.content.as_range()])
            .collect()
    }

    #[test]
    fn curly_and_straight() {
        assert_eq!(
            contents("“We prefer peace,” Nazary said. \"If this fails,\" he said."),
            ["We prefer peace,", "If this fails,"]
        );
    }

    #[test]
    fn paragraph_continuation() {
        let t = "He wrote, “I write from the valley.\n“We have stores of ammunition.”\nThen";
        assert_eq!(
            contents(t),
            ["I write from the valley.\n“We have stores of ammunition."]
        );
    }

    #[test]
    fn flattened_continuation_and_dirt() {
        let t = "\"Switching helps,\"?he said in a statement. \"the findings are clear. \"the best thing is to quit.\"?(Reporting";
        assert_eq!(
            contents(t),
            [
                "Switching helps,",
                "the findings are clear.",
                "the best thing is to quit."
            ]
        );
    }

    #[test]
    fn dirt_dash_and_apostrophes_are_not_marks() {
        let t = "\"Ryan died a hero \"?battling terrorism,\" Trump said. Don\"t blame DeVos\"?nomination.";
        assert_eq!(contents(t), ["Ryan died a hero \"?battling terrorism,"]);
    }

    #[test]
    fn nested_straight_quote_stays_inside() {
        let t = "\"I quote, \"Ryan was part of a raid,'\" Trump said.";
        assert_eq!(contents(t), ["I quote, \"Ryan was part of a raid,'"]);
    }

    #[test]
    fn quote_box_with_lost_opening_mark() {
        let t = "Nobody will be left behind. We keep our promises.\" Mayor Ana Ruiz, in a speech.\nHe said \"no.\"";
        assert_eq!(
            contents(t),
            ["Nobody will be left behind. We keep our promises.", "no."]
        );
        // A closing mark after a quote opened earlier in the paragraph is not a lost opening.
        assert_eq!(
            contents("He said \"We are ready.\" Then \"no.\""),
            ["We are ready.", "no."]
        );
    }

    #[test]
    fn single_quotes_and_apostrophes() {
        let t = "Massoud’s father was called the ‘Lion of Panjshir’ by fighters' families.";
        assert_eq!(contents(t), ["Lion of Panjshir"]);
    }
}
