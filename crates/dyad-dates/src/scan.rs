//! The hand lexer and the grammar: text → tokens → [`Meaning`]s with token spans.
//!
//! The grammar is a set of small recognizers tried at every token; the longest match wins.
//! A recognizer only reads tokens, so it cannot panic on odd input: every access is `get`.

use crate::lexicon::{LEXICON, Part, Unit};

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters.
    Word,
    /// A run of ASCII digits; `plain` is false when it holds `,` or `.` separators (`1,550`).
    Number { plain: bool },
    /// Any other single non-space character.
    Punct,
}

/// A token: byte range into the text, kind, lowercase form for words.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub lower: String,
}

/// Splits text into words, numbers and single punctuation characters.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if c.is_ascii_digit() {
            let mut plain = true;
            loop {
                match chars.peek().copied() {
                    Some((i, d)) if d.is_ascii_digit() => {
                        end = i + 1;
                        chars.next();
                    }
                    Some((i, sep)) if sep == ',' || sep == '.' => {
                        // A separator counts only when a digit follows it.
                        let next_is_digit = text
                            .get(i + 1..)
                            .and_then(|rest| rest.chars().next())
                            .is_some_and(|d| d.is_ascii_digit());
                        if !next_is_digit {
                            break;
                        }
                        plain = false;
                        end = i + 1;
                        chars.next();
                    }
                    _ => break,
                }
            }
            Kind::Number { plain }
        } else if c.is_alphabetic() {
            while let Some((i, l)) = chars.peek().copied() {
                if !l.is_alphabetic() {
                    break;
                }
                end = i + l.len_utf8();
                chars.next();
            }
            Kind::Word
        } else {
            Kind::Punct
        };
        let lower = match kind {
            Kind::Word => text.get(start..end).unwrap_or("").to_lowercase(),
            _ => String::new(),
        };
        tokens.push(Token {
            start,
            end,
            kind,
            lower,
        });
    }
    tokens
}

/// Which occurrence of a named period the text picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    /// Bare: `Tuesday`, `in December`.
    Plain,
    /// `this winter`, `this Tuesday`.
    This,
    /// `last May`, `last Tuesday`.
    Last,
    /// `next May`, `next Tuesday`.
    Next,
}

/// What an expression says, before resolution against a date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Meaning {
    Day {
        year: Option<i32>,
        month: u8,
        day: u8,
    },
    DayRange {
        year: Option<i32>,
        month: u8,
        first: u8,
        last: u8,
    },
    Month {
        year: Option<i32>,
        month: u8,
        part: Option<Part>,
        which: Which,
    },
    Year {
        year: i32,
        part: Option<Part>,
    },
    Season {
        year: Option<i32>,
        first_month: u8,
        part: Option<Part>,
        which: Which,
    },
    Decade {
        start: i32,
        part: Option<Part>,
    },
    Century {
        start: i32,
    },
    Weekday {
        weekday: u8,
        which: Which,
    },
    /// `today` (0), `yesterday` (-1), `tomorrow` (1).
    DayOffset(i64),
    /// `this week` (0), `last month` (-1), `next year` (1).
    Enclosing {
        unit: Unit,
        offset: i64,
    },
    Weekend {
        offset: i64,
    },
    /// `three weeks ago`.
    Ago {
        count: i64,
        unit: Unit,
    },
    /// `the past 40 years`: a range ending at publication.
    Past {
        count: i64,
        unit: Unit,
    },
    /// `the next seven days`: a range starting the day after publication.
    Next {
        count: i64,
        unit: Unit,
    },
    /// `two days before`: relative to a date in the text (negative = before).
    Shift {
        count: i64,
        unit: Unit,
    },
    Since(Box<Meaning>),
    Between(Box<Meaning>, Box<Meaning>),
}

impl Meaning {
    /// True when the text gives the year itself (`September 9, 2001`, `2014`, `the 1980s`).
    pub(crate) fn has_explicit_year(&self) -> bool {
        match self {
            Meaning::Day { year, .. }
            | Meaning::DayRange { year, .. }
            | Meaning::Month { year, .. }
            | Meaning::Season { year, .. } => year.is_some(),
            Meaning::Year { .. } | Meaning::Decade { .. } | Meaning::Century { .. } => true,
            _ => false,
        }
    }

    /// True when later `two days before`-style expressions may count from this one.
    pub(crate) fn can_anchor(&self) -> bool {
        matches!(
            self,
            Meaning::Day { .. }
                | Meaning::DayRange { .. }
                | Meaning::Month { .. }
                | Meaning::Year { .. }
                | Meaning::Weekday { .. }
        )
    }
}

/// A recognized expression: tokens `first..end` and what they mean.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    pub first: usize,
    pub end: usize,
    pub meaning: Meaning,
}

/// The grammar over one text's tokens.
pub(crate) struct Grammar<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
}

const MONTH_DAYS: [u8; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

impl<'a> Grammar<'a> {
    /// All expressions in text order, not overlapping.
    pub(crate) fn matches(&self) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            // Never start inside a glued alphanumeric run (`2W1pc`, `x2016`).
            let inside_run = i > 0
                && self.glued(i)
                && !matches!(self.kind(i - 1), Some(Kind::Punct))
                && !matches!(self.kind(i), Some(Kind::Punct));
            match (!inside_run).then(|| self.expression(i)).flatten() {
                Some((end, meaning)) if end > i => {
                    out.push(Match {
                        first: i,
                        end,
                        meaning,
                    });
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }

    // ---- token access -------------------------------------------------------------

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    fn raw(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The lowercase word at `i`, or "" for anything else.
    fn word(&self, i: usize) -> &str {
        match self.tokens.get(i) {
            Some(t) if t.kind == Kind::Word => &t.lower,
            _ => "",
        }
    }

    fn is_capitalized(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
            && self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.kind(i) {
            Some(Kind::Punct) => self.raw(i).chars().next(),
            _ => None,
        }
    }

    /// True when token `i` touches token `i - 1` (no space between).
    fn glued(&self, i: usize) -> bool {
        match (
            i.checked_sub(1).and_then(|p| self.tokens.get(p)),
            self.tokens.get(i),
        ) {
            (Some(prev), Some(this)) => prev.end == this.start,
            _ => false,
        }
    }

    /// A plain (separator-free) number at `i`: value and digit count.
    fn number(&self, i: usize) -> Option<(i64, usize)> {
        match self.kind(i) {
            Some(Kind::Number { plain: true }) => {
                let raw = self.raw(i);
                if raw.len() > 6 {
                    return None;
                }
                raw.parse::<i64>().ok().map(|n| (n, raw.len()))
            }
            _ => None,
        }
    }

    /// True when the sentence starts at `i` (text start, or after `.`, `!`, `?`, a quote or a line break).
    fn sentence_initial(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else {
            return true;
        };
        if matches!(
            self.punct(prev),
            Some('.' | '!' | '?' | '"' | '“' | '\'' | '‘' | '(' | ':')
        ) {
            return true;
        }
        let (Some(p), Some(t)) = (self.tokens.get(prev), self.tokens.get(i)) else {
            return true;
        };
        self.text
            .get(p.end..t.start)
            .is_some_and(|gap| gap.contains('\n'))
    }

    // ---- small pieces -------------------------------------------------------------

    /// A quantity: digits (1..=999) or a number word (`two`, `a`, `forty`).
    fn quantity(&self, i: usize) -> Option<(usize, i64)> {
        if let Some((n, digits)) = self.number(i) {
            return (digits <= 3 && n >= 1).then_some((i + 1, n));
        }
        LEXICON.numbers.get(self.word(i)).map(|&n| (i + 1, n))
    }

    fn unit(&self, i: usize) -> Option<Unit> {
        LEXICON.units.get(self.word(i)).copied()
    }

    fn part(&self, i: usize) -> Option<Part> {
        LEXICON.parts.get(self.word(i)).copied()
    }

    /// A capitalized month name or abbreviation (abbreviations may carry a period):
    /// end token, month, whether it was abbreviated.
    fn month(&self, i: usize) -> Option<(usize, u8, bool)> {
        if !self.is_capitalized(i) {
            return None;
        }
        let word = self.word(i);
        if let Some(&m) = LEXICON.months.get(word) {
            return Some((i + 1, m, false));
        }
        let &m = LEXICON.month_abbreviations.get(word)?;
        let end = if self.punct(i + 1) == Some('.') && self.glued(i + 1) {
            i + 2
        } else {
            i + 1
        };
        Some((end, m, true))
    }

    /// A four-digit year 1000..=2100 at `i` (no era check).
    fn year4(&self, i: usize) -> Option<i32> {
        let (n, digits) = self.number(i)?;
        if digits != 4 || !(1000..=2100).contains(&n) {
            return None;
        }
        // `2016/17`, `2015-16`, `2017:` followed by digits are not plain years.
        if self.glued(i + 1)
            && matches!(self.punct(i + 1), Some('/' | ':' | '.' | ','))
            && matches!(self.kind(i + 2), Some(Kind::Number { .. }))
            && self.glued(i + 2)
        {
            return None;
        }
        i32::try_from(n).ok()
    }

    /// A day of the month (1..=31, at most two digits) with an optional glued ordinal suffix.
    fn day_number(&self, i: usize) -> Option<(usize, u8)> {
        let (n, digits) = self.number(i)?;
        if digits > 2 || !(1..=31).contains(&n) {
            return None;
        }
        // Not part of a time or a fraction (`12:30`, `3/4`).
        if self.glued(i) && matches!(self.punct(i.wrapping_sub(1)), Some(':' | '/' | '.' | '-')) {
            return None;
        }
        if self.glued(i + 1) && matches!(self.punct(i + 1), Some(':' | '/' | '%')) {
            return None;
        }
        let end = match self.word(i + 1) {
            "st" | "nd" | "rd" | "th" if self.glued(i + 1) => i + 2,
            _ => i + 1,
        };
        Some((end, u8::try_from(n).ok()?))
    }

    /// An optional `,` or `-` then a year: (end, year).
    fn trailing_year(&self, i: usize) -> Option<(usize, i32)> {
        let at = if matches!(self.punct(i), Some(',' | '-' | '–')) {
            i + 1
        } else {
            i
        };
        let year = self.year4(at)?;
        // `March 3, 2015-16` or `May 2021 people` are not years.
        if self.follows_as_count(at + 1) {
            return None;
        }
        Some((at + 1, year))
    }

    /// True when token `i` makes a preceding number a count (`people`, `%`, `km`).
    fn follows_as_count(&self, i: usize) -> bool {
        if self.punct(i) == Some('%') {
            return true;
        }
        let word = self.word(i);
        LEXICON.count_nouns.contains(word) || (self.glued(i) && !word.is_empty() && word != "s")
    }

    fn previous_word_licenses(&self, i: usize) -> bool {
        i.checked_sub(1)
            .is_some_and(|p| LEXICON.licences.contains(self.word(p)))
    }

    /// True when token `i` directly follows a capitalized name word (`Theresa May`, `Euro 2016`).
    fn after_name(&self, i: usize) -> bool {
        let Some(p) = i.checked_sub(1) else {
            return false;
        };
        self.is_capitalized(p)
            && !self.sentence_initial(p)
            && !LEXICON.licences.contains(self.word(p))
            && !LEXICON.months.contains_key(self.word(p))
            && !LEXICON.weekdays.contains_key(self.word(p))
    }

    // ---- the grammar --------------------------------------------------------------

    /// The longest expression starting at `i`.
    fn expression(&self, i: usize) -> Option<(usize, Meaning)> {
        match self.word(i) {
            "since" => {
                let (end, inner) = self.point(i + 1)?;
                return self
                    .is_calendar_point(&inner)
                    .then(|| (end, Meaning::Since(Box::new(inner))));
            }
            "between" | "from" => {
                if let Some((end_a, a)) = self.point(i + 1) {
                    let joiner = self.word(end_a);
                    let joins = if self.word(i) == "between" {
                        joiner == "and"
                    } else {
                        matches!(joiner, "to" | "until" | "through" | "till")
                            || matches!(self.punct(end_a), Some('-' | '–'))
                    };
                    if joins
                        && let Some((end_b, b)) = self.point(end_a + 1)
                        && self.is_calendar_point(&a)
                        && self.is_calendar_point(&b)
                    {
                        return Some((end_b, Meaning::Between(Box::new(a), Box::new(b))));
                    }
                }
                return None;
            }
            _ => {}
        }
        self.point(i)
    }

    fn is_calendar_point(&self, meaning: &Meaning) -> bool {
        !matches!(
            meaning,
            Meaning::Past { .. }
                | Meaning::Next { .. }
                | Meaning::Shift { .. }
                | Meaning::Since(_)
                | Meaning::Between(..)
        )
    }

    /// The longest point or period expression starting at `i`.
    fn point(&self, i: usize) -> Option<(usize, Meaning)> {
        let candidates = [
            self.relative_words(i),
            self.quantified(i),
            self.parted(i),
            self.decade(i),
            self.century(i),
            self.month_first(i),
            self.day_first(i),
            self.numeric(i),
            self.bare_year(i),
            self.weekday(i),
            self.season(i),
        ];
        candidates
            .into_iter()
            .flatten()
            .fold(None, |best: Option<(usize, Meaning)>, c| match &best {
                Some((end, _)) if *end >= c.0 => best,
                _ => Some(c),
            })
    }

    /// `today`, `this week`, `last month`, `earlier this year`, `last May`, `next Tuesday`, `this morning`.
    fn relative_words(&self, i: usize) -> Option<(usize, Meaning)> {
        let word = self.word(i);
        match word {
            "today" => return Some((i + 1, Meaning::DayOffset(0))),
            "tonight" => return Some((i + 1, Meaning::DayOffset(0))),
            "yesterday" => return Some((i + 1, Meaning::DayOffset(-1))),
            "tomorrow" => return Some((i + 1, Meaning::DayOffset(1))),
            "earlier" | "later" => {
                // `earlier this week`, `later today`: the enclosing period.
                return match self.word(i + 1) {
                    "this" | "today" | "tonight" => self.relative_words(i + 1),
                    _ => None,
                };
            }
            "this" | "last" | "next" => {}
            _ => return None,
        }
        let offset = match word {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        let which = match word {
            "last" => Which::Last,
            "next" => Which::Next,
            _ => Which::This,
        };
        let next = self.word(i + 1);
        if LEXICON.dayparts.contains(next) {
            return match (word, next) {
                ("this", _) => Some((i + 2, Meaning::DayOffset(0))),
                ("last", "night") => Some((i + 2, Meaning::DayOffset(-1))),
                _ => None,
            };
        }
        if next == "weekend" {
            return Some((i + 2, Meaning::Weekend { offset }));
        }
        if let Some(unit) = self.unit(i + 1) {
            // Singular only: `last years` is not an expression.
            let singular = matches!(next, "week" | "month" | "year");
            return (singular && matches!(unit, Unit::Week | Unit::Month | Unit::Year))
                .then_some((i + 2, Meaning::Enclosing { unit, offset }));
        }
        if let Some((end, month, abbreviated)) = self.month(i + 1)
            && !abbreviated
        {
            return Some((
                end,
                Meaning::Month {
                    year: None,
                    month,
                    part: None,
                    which,
                },
            ));
        }
        if let Some(&first_month) = LEXICON.seasons.get(next) {
            return Some((
                i + 2,
                Meaning::Season {
                    year: None,
                    first_month,
                    part: None,
                    which,
                },
            ));
        }
        if self.is_capitalized(i + 1)
            && let Some(&weekday) = LEXICON.weekdays.get(next)
        {
            let end = self.daypart_end(i + 2);
            return Some((end, Meaning::Weekday { weekday, which }));
        }
        None
    }

    /// Extends over a following `morning`/`night` (`Monday night`).
    fn daypart_end(&self, i: usize) -> usize {
        if LEXICON.dayparts.contains(self.word(i)) {
            i + 1
        } else {
            i
        }
    }

    /// `three weeks ago`, `two days before`, `the past 40 years`, `the next seven days`, `the day before`.
    fn quantified(&self, i: usize) -> Option<(usize, Meaning)> {
        let has_the = self.word(i) == "the";
        let at = if has_the { i + 1 } else { i };
        match self.word(at) {
            "past" | "last" | "previous" | "next" | "coming" => {
                let forward = matches!(self.word(at), "next" | "coming");
                // `the past 40 years` / `the past year` (a bare `last year` is an enclosing period).
                let (unit_at, count) = match self.quantity(at + 1) {
                    Some((end, n)) => (end, n),
                    None if has_the || self.word(at) == "past" => (at + 1, 1),
                    None => return None,
                };
                let unit = self.unit(unit_at)?;
                let singular = matches!(
                    self.word(unit_at),
                    "day" | "week" | "month" | "year" | "decade" | "century"
                );
                if unit_at == at + 1 && !singular {
                    return None;
                }
                // `the next day`, `the previous year`: relative to a date in the text.
                if has_the
                    && unit_at == at + 1
                    && matches!(self.word(unit_at), "day" | "year" | "month" | "week")
                    && matches!(self.word(at), "next" | "previous")
                {
                    let count = if forward { 1 } else { -1 };
                    return Some((unit_at + 1, Meaning::Shift { count, unit }));
                }
                let meaning = if forward {
                    Meaning::Next { count, unit }
                } else {
                    Meaning::Past { count, unit }
                };
                return Some((unit_at + 1, meaning));
            }
            "following" if has_the => {
                let unit = self.unit(at + 1)?;
                return Some((at + 2, Meaning::Shift { count: 1, unit }));
            }
            "day" | "year" | "week" | "month" if has_the => {
                let unit = self.unit(at)?;
                let count = match self.word(at + 1) {
                    "before" | "earlier" => -1,
                    "after" | "later" => 1,
                    _ => return None,
                };
                return Some((at + 2, Meaning::Shift { count, unit }));
            }
            _ => {}
        }
        if has_the {
            return None;
        }
        let (unit_at, count) = self.quantity(i)?;
        let unit = self.unit(unit_at)?;
        // `more than 50 years after its creation` counts vaguely from an event, not a date.
        let vague = matches!(
            self.word(i.wrapping_sub(1)),
            "than" | "about" | "nearly" | "almost" | "over" | "some" | "around" | "roughly"
        );
        let meaning = match self.word(unit_at + 1) {
            "ago" => Meaning::Ago { count, unit },
            _ if vague => return None,
            "before" | "earlier" => Meaning::Shift {
                count: -count,
                unit,
            },
            "after" | "later" => Meaning::Shift { count, unit },
            _ => return None,
        };
        Some((unit_at + 2, meaning))
    }

    /// `the late 1990s`, `mid-2019`, `early 2020`, `late summer 2014`, `early August`.
    fn parted(&self, i: usize) -> Option<(usize, Meaning)> {
        let at = if self.word(i) == "the" { i + 1 } else { i };
        let part = self.part(at)?;
        let next = if self.punct(at + 1) == Some('-') {
            at + 2
        } else {
            at + 1
        };
        let inner = [
            self.decade(next),
            self.month_first(next),
            self.season(next),
            self.year4(next)
                .map(|year| (next + 1, Meaning::Year { year, part: None })),
        ];
        let (end, meaning) = inner.into_iter().flatten().max_by_key(|(end, _)| *end)?;
        let meaning = match meaning {
            Meaning::Decade { start, part: None } => Meaning::Decade {
                start,
                part: Some(part),
            },
            Meaning::Year { year, part: None } if !self.follows_as_count(next + 1) => {
                Meaning::Year {
                    year,
                    part: Some(part),
                }
            }
            Meaning::Month {
                year, month, which, ..
            } => Meaning::Month {
                year,
                month,
                part: Some(part),
                which,
            },
            Meaning::Season {
                year,
                first_month,
                which,
                ..
            } => Meaning::Season {
                year,
                first_month,
                part: Some(part),
                which,
            },
            _ => return None,
        };
        Some((end, meaning))
    }

    /// `the 1980s`, `1980's`, `the '80s`, `the 80s`.
    fn decade(&self, i: usize) -> Option<(usize, Meaning)> {
        let has_the = self.word(i) == "the";
        let at = if has_the { i + 1 } else { i };
        let apostrophe = matches!(self.punct(at), Some('\'' | '’'));
        let number_at = if apostrophe { at + 1 } else { at };
        let (n, digits) = self.number(number_at)?;
        let end = if self.word(number_at + 1) == "s" && self.glued(number_at + 1) {
            number_at + 2
        } else if matches!(self.punct(number_at + 1), Some('\'' | '’'))
            && self.glued(number_at + 1)
            && self.word(number_at + 2) == "s"
            && self.glued(number_at + 2)
        {
            number_at + 3
        } else {
            return None;
        };
        let start = match digits {
            4 if (1000..=2100).contains(&n) && n % 10 == 0 => n,
            2 if (apostrophe || has_the) && n % 10 == 0 => {
                if n >= 20 {
                    1900 + n
                } else {
                    2000 + n
                }
            }
            _ => return None,
        };
        Some((
            end,
            Meaning::Decade {
                start: i32::try_from(start).ok()?,
                part: None,
            },
        ))
    }

    /// `the 19th century`, `the twentieth century`.
    fn century(&self, i: usize) -> Option<(usize, Meaning)> {
        let at = if self.word(i) == "the" { i + 1 } else { i };
        let (after, ordinal) = match self.number(at) {
            Some((n, _)) if matches!(self.word(at + 1), "st" | "nd" | "rd" | "th") => (at + 2, n),
            _ => {
                let word = self.word(at);
                let n = *LEXICON.ordinals.get(word)?;
                (at + 1, n)
            }
        };
        let after = if self.punct(after) == Some('-') {
            after + 1
        } else {
            after
        };
        if !matches!(self.word(after), "century") || !(1..=21).contains(&ordinal) {
            return None;
        }
        let start = i32::try_from((ordinal - 1) * 100).ok()?;
        Some((after + 1, Meaning::Century { start }))
    }

    /// `September 9, 2001`, `Sept. 9`, `March 14-15`, `February 2016`, `in December`.
    fn month_first(&self, i: usize) -> Option<(usize, Meaning)> {
        let (after, month, abbreviated) = self.month(i)?;
        if let Some((after_day, day)) = self.day_number(after)
            && day <= MONTH_DAYS.get(usize::from(month) - 1).copied().unwrap_or(0)
        {
            // `March 14-15`
            if matches!(self.punct(after_day), Some('-' | '–')) && self.glued(after_day) {
                let last_day = self
                    .number(after_day + 1)
                    .filter(|&(n, digits)| digits <= 2 && self.glued(after_day + 1) && n <= 31)
                    .and_then(|(n, _)| u8::try_from(n).ok());
                if let Some((end, last)) = last_day.map(|d| (after_day + 2, d))
                    && last > day
                {
                    let (end, year) = match self.trailing_year(end) {
                        Some((e, y)) => (e, Some(y)),
                        None => (end, None),
                    };
                    return Some((
                        end,
                        Meaning::DayRange {
                            year,
                            month,
                            first: day,
                            last,
                        },
                    ));
                }
            }
            if self.follows_as_count(after_day) {
                return None;
            }
            let (end, year) = match self.trailing_year(after_day) {
                Some((e, y)) => (e, Some(y)),
                None => (after_day, None),
            };
            return Some((end, Meaning::Day { year, month, day }));
        }
        if let Some((end, year)) = self.trailing_year(after) {
            return Some((
                end,
                Meaning::Month {
                    year: Some(year),
                    month,
                    part: None,
                    which: Which::Plain,
                },
            ));
        }
        // A bare month: abbreviations never (`Jan` is a name), `May`/`March` only after
        // `in`, `since`, `by`..., any month not right after a name (`Theresa May`).
        if abbreviated || self.after_name(i) {
            return None;
        }
        let ambiguous = matches!(month, 3 | 5);
        let licensed = self.previous_word_licenses(i)
            || matches!(self.word(i.wrapping_sub(1)), "early" | "mid" | "late");
        if ambiguous && !licensed {
            return None;
        }
        // `January's`, `in January` are dates; a month starting a capitalized name is not.
        if !licensed && self.is_capitalized(after) {
            return None;
        }
        Some((
            after,
            Meaning::Month {
                year: None,
                month,
                part: None,
                which: Which::Plain,
            },
        ))
    }

    /// `9 September 2001`, `24 September`, `3 April-2015`, `the 9th of May`.
    fn day_first(&self, i: usize) -> Option<(usize, Meaning)> {
        let (after_day, day) = self.day_number(i)?;
        let at = if self.word(after_day) == "of" {
            after_day + 1
        } else {
            after_day
        };
        let (after_month, month, _) = self.month(at)?;
        if day > MONTH_DAYS.get(usize::from(month) - 1).copied().unwrap_or(0) {
            return None;
        }
        let (end, year) = match self.trailing_year(after_month) {
            Some((e, y)) => (e, Some(y)),
            None => (after_month, None),
        };
        Some((end, Meaning::Day { year, month, day }))
    }

    /// `9/9/2001` (M/D/Y, or D/M/Y when the first number is over 12), `2021-08-24`, `9/11`.
    fn numeric(&self, i: usize) -> Option<(usize, Meaning)> {
        if self.glued(i)
            && (matches!(self.kind(i - 1), Some(Kind::Number { .. }))
                || matches!(self.punct(i - 1), Some('/' | '-' | ':' | '.')))
        {
            return None;
        }
        let (a, a_digits) = self.number(i)?;
        let separator = self.punct(i + 1)?;
        if !matches!(separator, '/' | '-') || !self.glued(i + 1) || !self.glued(i + 2) {
            return None;
        }
        let (b, b_digits) = self.number(i + 2)?;
        let third_glued =
            self.punct(i + 3) == Some(separator) && self.glued(i + 3) && self.glued(i + 4);
        if !third_glued {
            // The one known two-part date.
            let trailing_digit = self.glued(i + 3) && matches!(self.punct(i + 3), Some('/' | '-'));
            if separator == '/' && a == 9 && b == 11 && a_digits == 1 && !trailing_digit {
                return Some((
                    i + 3,
                    Meaning::Day {
                        year: Some(2001),
                        month: 9,
                        day: 11,
                    },
                ));
            }
            return None;
        }
        let (c, c_digits) = self.number(i + 4)?;
        if self.glued(i + 5) && matches!(self.punct(i + 5), Some('/' | '-' | ':')) {
            return None;
        }
        let (year, month, day) = match (separator, a_digits, b_digits, c_digits) {
            ('-', 4, 1..=2, 1..=2) => (a, b, c),
            ('/', 1..=2, 1..=2, 4) if a <= 12 => (c, a, b),
            ('/', 1..=2, 1..=2, 4) if b <= 12 => (c, b, a),
            _ => return None,
        };
        let (year, month, day) = (
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        );
        if !(1..=12).contains(&month) || !(1000..=2100).contains(&year) {
            return None;
        }
        if day == 0 || day > MONTH_DAYS.get(usize::from(month) - 1).copied().unwrap_or(0) {
            return None;
        }
        Some((
            i + 5,
            Meaning::Day {
                year: Some(year),
                month,
                day,
            },
        ))
    }

    /// `2014`, `in 2001`, `1499 AD`, `the 2010 pact`; not `2000 people`, `Euro 2016`, `$2017`.
    fn bare_year(&self, i: usize) -> Option<(usize, Meaning)> {
        let year = self.year4(i)?;
        if self.glued(i) && i > 0 && !matches!(self.punct(i - 1), Some('(' | '"' | '“' | '[')) {
            return None;
        }
        if i > 0 && matches!(self.punct(i - 1), Some('$' | '€' | '£' | '#' | '№')) {
            return None;
        }
        let (end, era) = match LEXICON.eras.get(self.word(i + 1)) {
            Some(&sign) if self.is_capitalized(i + 1) => (i + 2, sign),
            _ => (i + 1, 1),
        };
        if era == 1 && end == i + 1 {
            if self.follows_as_count(i + 1) || self.after_name(i) {
                return None;
            }
            if matches!(
                self.word(i.wrapping_sub(1)),
                "about"
                    | "some"
                    | "nearly"
                    | "over"
                    | "than"
                    | "around"
                    | "approximately"
                    | "almost"
                    | "least"
                    | "only"
                    | "just"
                    | "total"
                    | "no"
                    | "number"
            ) {
                return None;
            }
            if year < 1500 && !self.previous_word_licenses(i) {
                return None;
            }
        }
        if era < 0 {
            // Years before the common era are outside what news dates need.
            return None;
        }
        Some((end, Meaning::Year { year, part: None }))
    }

    /// `Tuesday`, `Monday night`; not `Sundays`.
    fn weekday(&self, i: usize) -> Option<(usize, Meaning)> {
        if !self.is_capitalized(i) {
            return None;
        }
        let &weekday = LEXICON.weekdays.get(self.word(i))?;
        Some((
            self.daypart_end(i + 1),
            Meaning::Weekday {
                weekday,
                which: Which::Plain,
            },
        ))
    }

    /// `summer 2014` (a bare season without a year is too vague to resolve).
    fn season(&self, i: usize) -> Option<(usize, Meaning)> {
        let &first_month = LEXICON.seasons.get(self.word(i))?;
        let (end, year) = self.trailing_year(i + 1)?;
        Some((
            end,
            Meaning::Season {
                year: Some(year),
                first_month,
                part: None,
                which: Which::Plain,
            },
        ))
    }

    /// True when a future cue (`will`, `scheduled`) precedes token `i` in its sentence with no
    /// speech verb (`said`) between them.
    pub(crate) fn future_cue_before(&self, i: usize, sentence_start: usize) -> bool {
        let mut j = i;
        let mut seen = 0;
        while j > 0 && seen < 20 {
            j -= 1;
            let Some(token) = self.tokens.get(j) else {
                break;
            };
            if token.start < sentence_start {
                break;
            }
            seen += 1;
            let word = self.word(j);
            if LEXICON.speech_verbs.contains(word) {
                return false;
            }
            if LEXICON.future_cues.contains(word) {
                return true;
            }
            // `'ll`
            if word == "ll" && matches!(self.punct(j.wrapping_sub(1)), Some('\'' | '’')) {
                return true;
            }
        }
        false
    }

    /// Byte range of tokens `first..end`.
    pub(crate) fn byte_range(&self, first: usize, end: usize) -> Option<(usize, usize)> {
        let start = self.tokens.get(first)?.start;
        let stop = self.tokens.get(end.checked_sub(1)?)?.end;
        Some((start, stop))
    }
}
