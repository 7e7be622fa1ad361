//! The typed span layers a [`crate::Document`] holds.
//!
//! Every record points into the document text with a [`TextRange`]; none copies the text
//! it covers. Names and codes that are *not* in the text (a canonical name, an actor code,
//! a resolved date) are data of their own.

use crate::TextRange;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where the sentence is, trailing whitespace excluded.
    pub range: TextRange,
}

/// What kind of characters a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or periods (`U.S.`, `al-Qaeda`).
    Word,
    /// Digits, possibly with separators (`1,000`, `3.5`, `9/11`).
    Number,
    /// Punctuation (`,`, `.`, `“`, `—`).
    Punct,
    /// Anything else (`$`, `%`, `@`, emoji).
    Symbol,
}

/// A Penn Treebank part-of-speech tag.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PosTag {
    CC,
    CD,
    DT,
    EX,
    FW,
    IN,
    JJ,
    JJR,
    JJS,
    LS,
    MD,
    NN,
    NNS,
    NNP,
    NNPS,
    PDT,
    POS,
    PRP,
    PRPS,
    RB,
    RBR,
    RBS,
    RP,
    SYM,
    TO,
    UH,
    VB,
    VBD,
    VBG,
    VBN,
    VBP,
    VBZ,
    WDT,
    WP,
    WPS,
    WRB,
    /// `,`
    Comma,
    /// `.` `!` `?`
    Period,
    /// `:` `;` `--` `...`
    Colon,
    /// Opening quotation mark.
    OpenQuote,
    /// Closing quotation mark.
    CloseQuote,
    /// `(` `[` `{`
    LeftBracket,
    /// `)` `]` `}`
    RightBracket,
    /// `$` and other currency signs.
    Dollar,
    /// `#`
    Hash,
    /// Hyphen between words (spaCy's `HYPH`).
    Hyph,
    /// Anything else (spaCy's `XX`, `NFP`, `ADD`, `_SP`).
    Other,
}

impl PosTag {
    /// Every tag, in declaration order.
    pub const ALL: [PosTag; 47] = [
        PosTag::CC,
        PosTag::CD,
        PosTag::DT,
        PosTag::EX,
        PosTag::FW,
        PosTag::IN,
        PosTag::JJ,
        PosTag::JJR,
        PosTag::JJS,
        PosTag::LS,
        PosTag::MD,
        PosTag::NN,
        PosTag::NNS,
        PosTag::NNP,
        PosTag::NNPS,
        PosTag::PDT,
        PosTag::POS,
        PosTag::PRP,
        PosTag::PRPS,
        PosTag::RB,
        PosTag::RBR,
        PosTag::RBS,
        PosTag::RP,
        PosTag::SYM,
        PosTag::TO,
        PosTag::UH,
        PosTag::VB,
        PosTag::VBD,
        PosTag::VBG,
        PosTag::VBN,
        PosTag::VBP,
        PosTag::VBZ,
        PosTag::WDT,
        PosTag::WP,
        PosTag::WPS,
        PosTag::WRB,
        PosTag::Comma,
        PosTag::Period,
        PosTag::Colon,
        PosTag::OpenQuote,
        PosTag::CloseQuote,
        PosTag::LeftBracket,
        PosTag::RightBracket,
        PosTag::Dollar,
        PosTag::Hash,
        PosTag::Hyph,
        PosTag::Other,
    ];

    /// The Penn Treebank spelling (`NNP`, `PRP$`, `,`, `-LRB-` ...).
    pub fn as_str(self) -> &'static str {
        use PosTag::*;
        match self {
            CC => "CC",
            CD => "CD",
            DT => "DT",
            EX => "EX",
            FW => "FW",
            IN => "IN",
            JJ => "JJ",
            JJR => "JJR",
            JJS => "JJS",
            LS => "LS",
            MD => "MD",
            NN => "NN",
            NNS => "NNS",
            NNP => "NNP",
            NNPS => "NNPS",
            PDT => "PDT",
            POS => "POS",
            PRP => "PRP",
            PRPS => "PRP$",
            RB => "RB",
            RBR => "RBR",
            RBS => "RBS",
            RP => "RP",
            SYM => "SYM",
            TO => "TO",
            UH => "UH",
            VB => "VB",
            VBD => "VBD",
            VBG => "VBG",
            VBN => "VBN",
            VBP => "VBP",
            VBZ => "VBZ",
            WDT => "WDT",
            WP => "WP",
            WPS => "WP$",
            WRB => "WRB",
            Comma => ",",
            Period => ".",
            Colon => ":",
            OpenQuote => "``",
            CloseQuote => "''",
            LeftBracket => "-LRB-",
            RightBracket => "-RRB-",
            Dollar => "$",
            Hash => "#",
            Hyph => "HYPH",
            Other => "XX",
        }
    }

    /// Parses a Penn Treebank or spaCy fine-grained tag; unknown tags become [`PosTag::Other`].
    pub fn parse(tag: &str) -> PosTag {
        PosTag::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == tag)
            .unwrap_or(match tag {
                "PRP$" => PosTag::PRPS,
                "WP$" => PosTag::WPS,
                "''" | "\"" => PosTag::CloseQuote,
                "(" | "[" | "{" => PosTag::LeftBracket,
                ")" | "]" | "}" => PosTag::RightBracket,
                _ => PosTag::Other,
            })
    }

    /// Nouns of any kind, proper or common.
    pub fn is_noun(self) -> bool {
        matches!(self, PosTag::NN | PosTag::NNS | PosTag::NNP | PosTag::NNPS)
    }

    /// Proper nouns.
    pub fn is_proper_noun(self) -> bool {
        matches!(self, PosTag::NNP | PosTag::NNPS)
    }

    /// Verbs of any form (modals excluded).
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            PosTag::VB | PosTag::VBD | PosTag::VBG | PosTag::VBN | PosTag::VBP | PosTag::VBZ
        )
    }

    /// Adjectives.
    pub fn is_adjective(self) -> bool {
        matches!(self, PosTag::JJ | PosTag::JJR | PosTag::JJS)
    }
}

/// One token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Where the token is.
    pub range: TextRange,
    /// What it is made of.
    pub kind: TokenKind,
    /// Normalized form (lowercased, curly quotes and dashes folded) when it differs from the text.
    pub norm: Option<Box<str>>,
    /// Part of speech, once the syntax stage ran.
    pub tag: Option<PosTag>,
    /// Lemma when it differs from the normalized form, once the syntax stage ran.
    pub lemma: Option<Box<str>>,
}

impl Token {
    /// A token with no normalized form, tag or lemma yet.
    pub fn new(range: TextRange, kind: TokenKind) -> Self {
        Token {
            range,
            kind,
            norm: None,
            tag: None,
            lemma: None,
        }
    }
}

/// Named-entity labels (OntoNotes names, plus `MEDIA` for news outlets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityLabel {
    /// People, real or fictional.
    Person,
    /// Organizations: governments, armed groups, companies, agencies.
    Org,
    /// Countries, cities, provinces: places with a government.
    Gpe,
    /// Other places: valleys, rivers, mountain ranges, regions.
    Loc,
    /// Nationalities, religious and political groups (`Afghan`, `Taliban fighters`).
    Norp,
    /// Buildings, airports, bridges, bases.
    Fac,
    /// News outlets (`BBC`, `the Washington Post`).
    Media,
}

impl EntityLabel {
    /// Every label.
    pub const ALL: [EntityLabel; 7] = [
        EntityLabel::Person,
        EntityLabel::Org,
        EntityLabel::Gpe,
        EntityLabel::Loc,
        EntityLabel::Norp,
        EntityLabel::Fac,
        EntityLabel::Media,
    ];

    /// The label as written in JSON (`PERSON`, `ORG`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Org => "ORG",
            EntityLabel::Gpe => "GPE",
            EntityLabel::Loc => "LOC",
            EntityLabel::Norp => "NORP",
            EntityLabel::Fac => "FAC",
            EntityLabel::Media => "MEDIA",
        }
    }

    /// Parses a label as written in JSON.
    pub fn parse(label: &str) -> Option<EntityLabel> {
        EntityLabel::ALL.into_iter().find(|l| l.as_str() == label)
    }
}

/// A mention of a named entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Where the mention is.
    pub range: TextRange,
    /// What kind of entity it names.
    pub label: EntityLabel,
    /// The canonical name of the referent (`Ahmad Massoud` for the mention `Massoud`).
    pub canonical: String,
    /// Index of the referent: mentions of one entity share it.
    pub referent: u32,
    /// CAMEO actor code when the knowledge base knows the entity (`AFGINSTAL`).
    pub actor: Option<String>,
}

/// A second reading of an entity mention: a place that also stands for an organization, as
/// when a country acts as its government (`Iraq signed the agreement`, `Britain's
/// commitment`, `Iraqi security forces`). re3d and ACE annotate such mentions with both
/// readings; the mention keeps its own label (`GPE`) and this records the other one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityReading {
    /// Index of the mention in [`crate::Document::entities`].
    pub entity: u32,
    /// The label of the second reading (`ORG`).
    pub label: EntityLabel,
    /// The words of the organization: the mention itself, or the phrase it heads or ends
    /// (`Iraqi security forces`, `the Government of Iraq`).
    pub range: TextRange,
    /// The rule that found the reading (`subject`, `possessive`, `partner`, ...).
    pub cue: String,
}

/// How a quote is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A whole statement in quotation marks.
    Direct,
    /// A phrase in quotation marks inside the reporter's sentence.
    Partial,
    /// Indirect speech: "Mujahid said the Taliban had met ...".
    Reported,
}

/// Who said something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// Canonical name of the speaker.
    pub name: String,
    /// The entity mention index (into [`crate::Document::entities`]) of the speaker, if found.
    pub entity: Option<u32>,
    /// The mention that names the speaker for this quote (may be a pronoun).
    pub range: Option<TextRange>,
}

/// The outlet a statement was given to (`the BBC`, `CNN`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outlet {
    /// Canonical outlet name.
    pub name: String,
    /// Where the outlet is named.
    pub range: TextRange,
}

/// A quotation or reported statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted content (inside the marks for direct and partial quotes).
    pub range: TextRange,
    /// How it is quoted.
    pub kind: QuoteKind,
    /// Who said it, if attributed.
    pub speaker: Option<Speaker>,
    /// The outlet it was said to, if named.
    pub outlet: Option<Outlet>,
    /// The speech verb or phrase that attributes it (`told`, `said`, `according to`).
    pub cue: Option<TextRange>,
}

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// One day.
    Day,
    /// A week.
    Week,
    /// A month.
    Month,
    /// A quarter or season.
    Quarter,
    /// A year.
    Year,
    /// A decade.
    Decade,
    /// A century.
    Century,
    /// Any other span of days (`the past 40 years`).
    Range,
}

/// What a date expression was resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateAnchor {
    /// Fully given in the text (`September 9, 2001`).
    Absolute,
    /// Resolved against the publication date (`Tuesday`, `August 15`).
    Publication,
    /// Resolved against another date in the text (`two days before`).
    Reference,
    /// Relative, but there was no date to resolve it against.
    Unresolved,
}

/// An inclusive span of calendar days a date expression denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    /// First day.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
    /// Precision.
    pub granularity: Granularity,
}

impl DateValue {
    /// The normalized value: `2021-08-15` for a day, `2021-08` for a month, `2021` for a year,
    /// otherwise the ISO 8601 interval `1980-01-01/1989-12-31`.
    pub fn normalized(&self) -> String {
        match self.granularity {
            Granularity::Day => self.start.to_string(),
            Granularity::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            Granularity::Year => format!("{:04}", self.start.year()),
            _ => format!("{}/{}", self.start, self.end),
        }
    }
}

/// A temporal expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateExpr {
    /// Where the expression is.
    pub range: TextRange,
    /// What it denotes, when it could be resolved.
    pub value: Option<DateValue>,
    /// What it was resolved against.
    pub anchor: DateAnchor,
}

/// A place mention resolved to the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Where the toponym is.
    pub range: TextRange,
    /// The gazetteer name of the place.
    pub name: String,
    /// GeoNames id, when the place comes from GeoNames.
    pub geonameid: Option<u64>,
    /// GeoNames feature class and code (`P.PPLC`, `A.ADM1`, `T.VAL`).
    pub feature: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: Option<String>,
    /// First-level division name or code.
    pub admin1: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// How sure the resolver is, 0..1.
    pub confidence: f32,
}

/// An actor taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    /// The mention in the sentence (may be a pronoun).
    pub range: TextRange,
    /// Canonical name (the resolved referent for pronouns).
    pub name: String,
    /// CAMEO actor code (`AFGINSTAL`); empty when unknown.
    pub code: String,
    /// Entity mention index, when the actor is an entity.
    pub entity: Option<u32>,
}

/// Whether and how the text asserts an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// The reporter states it happened.
    Asserted,
    /// Attributed to a source in the reporter's voice ("X said Y attacked Z").
    Reported,
    /// Inside a quote: the speaker's claim.
    Claimed,
    /// Announced for the future ("will meet").
    Future,
    /// Intended, vowed, threatened ("vowed to defend").
    Intended,
    /// Depends on a condition ("if that fails").
    Conditional,
}

impl Modality {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Claimed => "claimed",
            Modality::Future => "future",
            Modality::Intended => "intended",
            Modality::Conditional => "conditional",
        }
    }
}

/// PLOVER event type and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plover {
    /// Event type (`ASSAULT`, `REQUEST`, ...).
    pub event_type: String,
    /// Mode, empty when none.
    pub mode: String,
}

/// Where an event's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDate {
    /// The date.
    pub value: DateValue,
    /// Index into [`crate::Document::dates`] of the governing expression; `None` when the
    /// publication date was used.
    pub expression: Option<u32>,
}

/// A location attached to an event, and the rule that chose it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// Index into [`crate::Document::places`].
    pub place: u32,
    /// The rule that chose the place (`in-sentence`, `actor-country`, `document-focus`...).
    pub rule: String,
}

/// A coded dyadic event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Index of the sentence the event is coded from.
    pub sentence: u32,
    /// Who acts.
    pub source: EventActor,
    /// Who is acted upon, if anyone.
    pub target: Option<EventActor>,
    /// CAMEO event code, 3 or 4 digits (`186`, `0231`).
    pub cameo: String,
    /// PLOVER type and mode mapped from the CAMEO code.
    pub plover: Option<Plover>,
    /// QuadClass 1..4 (verbal/material cooperation, verbal/material conflict).
    pub quad_class: u8,
    /// Goldstein scale value, -10..10.
    pub goldstein: f32,
    /// True when the text says the action did not happen.
    pub negated: bool,
    /// How the text asserts it.
    pub modality: Modality,
    /// How sure the coder is, 0..1.
    pub confidence: f32,
    /// The verb phrase (or noun) that expresses the action.
    pub evidence: TextRange,
    /// The dictionary pattern that matched, as written in the dictionary.
    pub pattern: String,
    /// Who claims it, for events inside quotes or reported speech.
    pub speaker: Option<Speaker>,
    /// When it happened.
    pub date: Option<EventDate>,
    /// Where it happened (GDELT's ActionGeo).
    pub place: Option<EventPlace>,
    /// Where the source actor is (GDELT's Actor1Geo).
    pub source_place: Option<EventPlace>,
    /// Where the target actor is (GDELT's Actor2Geo).
    pub target_place: Option<EventPlace>,
}

impl Event {
    /// The two-digit CAMEO root code (`18` for `186`).
    pub fn root(&self) -> &str {
        self.cameo.get(..2).unwrap_or(&self.cameo)
    }
}
