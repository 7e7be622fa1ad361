//! Synthetic but realistic coded articles, for load tests, browser tests and demos.
//!
//! Each article is written from templates about one theatre of conflict (Afghanistan,
//! Ukraine, Gaza, Syria, Sudan and Ethiopia, the Sahel, Latin America, East Asia, diplomacy),
//! with actors that carry CAMEO codes, places with coordinates, a dateline date, a quote and
//! 3 to 7 coded events whose source, target, evidence, date and place spans point into the
//! article text, exactly as the real pipeline would fill them. The same seed gives the same
//! articles. Article 0 is always the same Panjshir story, so tests can look for it: "The
//! Taliban attacked the National Resistance Front in the Panjshir Valley on August 23, 2021".
//!
//! Place ids are synthetic (9,000,000 + index), not GeoNames ids.

use dyad_document::*;
use dyad_store::{BatchSummary, Novelty, Store, StoreError};
use std::path::Path;

/// A CAMEO-coded actor: (name as written, CAMEO code).
type Actor = (&'static str, &'static str);

/// (name, country code, latitude, longitude, GeoNames feature).
type Site = (&'static str, &'static str, f64, f64, &'static str);

struct Theatre {
    weight: u32,
    actors: &'static [Actor],
    sites: &'static [Site],
}

const THEATRES: &[Theatre] = &[
    Theatre {
        weight: 30,
        actors: &[
            ("Taliban", "AFGINSTAL"),
            ("National Resistance Front", "AFGREB"),
            ("Ahmad Massoud", "AFGREB"),
            ("Afghan government", "AFGGOV"),
            ("United States", "USA"),
            ("Pakistan", "PAK"),
            ("Islamic State Khorasan", "AFGINSISI"),
            ("Amrullah Saleh", "AFGGOV"),
        ],
        sites: &[
            ("Kabul", "AF", 34.52813, 69.17233, "P.PPLC"),
            ("Panjshir Valley", "AF", 35.40000, 69.90000, "T.VAL"),
            ("Kandahar", "AF", 31.61332, 65.71013, "P.PPLA"),
            ("Herat", "AF", 34.34817, 62.19967, "P.PPLA"),
            ("Mazar-i-Sharif", "AF", 36.70904, 67.11087, "P.PPLA"),
            ("Peshawar", "PK", 34.00800, 71.57849, "P.PPLA"),
            ("Islamabad", "PK", 33.72148, 73.04329, "P.PPLC"),
        ],
    },
    Theatre {
        weight: 25,
        actors: &[
            ("Russia", "RUS"),
            ("Ukraine", "UKR"),
            ("Russian army", "RUSMIL"),
            ("Ukrainian army", "UKRMIL"),
            ("NATO", "IGONAT"),
            ("European Union", "IGOEEC"),
            ("United States", "USA"),
            ("Volodymyr Zelensky", "UKRGOV"),
        ],
        sites: &[
            ("Kyiv", "UA", 50.45466, 30.5238, "P.PPLC"),
            ("Kharkiv", "UA", 49.98081, 36.25272, "P.PPLA"),
            ("Donetsk", "UA", 48.023, 37.80224, "P.PPLA"),
            ("Odesa", "UA", 46.47747, 30.73262, "P.PPLA"),
            ("Moscow", "RU", 55.75222, 37.61556, "P.PPLC"),
            ("Brussels", "BE", 50.85045, 4.34878, "P.PPLC"),
        ],
    },
    Theatre {
        weight: 15,
        actors: &[
            ("Israel", "ISR"),
            ("Hamas", "PSEHAM"),
            ("Palestinian Authority", "PSEGOV"),
            ("Egypt", "EGY"),
            ("Qatar", "QAT"),
            ("Israeli army", "ISRMIL"),
        ],
        sites: &[
            ("Gaza", "PS", 31.50161, 34.46672, "P.PPLA"),
            ("Jerusalem", "IL", 31.76904, 35.21633, "P.PPLC"),
            ("Cairo", "EG", 30.06263, 31.24967, "P.PPLC"),
            ("Doha", "QA", 25.28545, 51.53096, "P.PPLC"),
            ("Ramallah", "PS", 31.89964, 35.20422, "P.PPLA"),
        ],
    },
    Theatre {
        weight: 8,
        actors: &[
            ("Syrian government", "SYRGOV"),
            ("Turkey", "TUR"),
            ("Kurdish fighters", "KURREB"),
            ("Iran", "IRN"),
            ("Russia", "RUS"),
        ],
        sites: &[
            ("Damascus", "SY", 33.5102, 36.29128, "P.PPLC"),
            ("Aleppo", "SY", 36.20124, 37.16117, "P.PPLA"),
            ("Ankara", "TR", 39.91987, 32.85427, "P.PPLC"),
            ("Tehran", "IR", 35.69439, 51.42151, "P.PPLC"),
            ("Idlib", "SY", 35.93062, 36.63393, "P.PPLA"),
        ],
    },
    Theatre {
        weight: 7,
        actors: &[
            ("Sudanese army", "SDNMIL"),
            ("Rapid Support Forces", "SDNREB"),
            ("Ethiopia", "ETH"),
            ("Tigray forces", "ETHREB"),
            ("African Union", "IGOAFU"),
        ],
        sites: &[
            ("Khartoum", "SD", 15.55177, 32.53241, "P.PPLC"),
            ("Addis Ababa", "ET", 9.02497, 38.74689, "P.PPLC"),
            ("Mekelle", "ET", 13.49667, 39.47528, "P.PPLA"),
            ("El Fasher", "SD", 13.62793, 25.34936, "P.PPLA"),
        ],
    },
    Theatre {
        weight: 4,
        actors: &[
            ("Mali", "MLI"),
            ("France", "FRA"),
            ("Malian army", "MLIMIL"),
            ("jihadist fighters", "MLIINS"),
            ("ECOWAS", "IGOWAF"),
        ],
        sites: &[
            ("Bamako", "ML", 12.65, -8.0, "P.PPLC"),
            ("Timbuktu", "ML", 16.77348, -3.00742, "P.PPLA"),
            ("Niamey", "NE", 13.51366, 2.1098, "P.PPLC"),
            ("Paris", "FR", 48.85341, 2.3488, "P.PPLC"),
        ],
    },
    Theatre {
        weight: 4,
        actors: &[
            ("Venezuela", "VEN"),
            ("Colombia", "COL"),
            ("Brazil", "BRA"),
            ("Mexican police", "MEXCOP"),
            ("protesters", "CVL"),
            ("drug cartel", "MEXCRM"),
        ],
        sites: &[
            ("Caracas", "VE", 10.48801, -66.87919, "P.PPLC"),
            ("Bogotá", "CO", 4.60971, -74.08175, "P.PPLC"),
            ("Brasília", "BR", -15.77972, -47.92972, "P.PPLC"),
            ("Mexico City", "MX", 19.42847, -99.12766, "P.PPLC"),
            ("Culiacán", "MX", 24.79032, -107.38782, "P.PPLA"),
        ],
    },
    Theatre {
        weight: 4,
        actors: &[
            ("China", "CHN"),
            ("Taiwan", "TWN"),
            ("Philippines", "PHL"),
            ("Myanmar military", "MMRMIL"),
            ("Japan", "JPN"),
        ],
        sites: &[
            ("Beijing", "CN", 39.9075, 116.39723, "P.PPLC"),
            ("Taipei", "TW", 25.04776, 121.53185, "P.PPLC"),
            ("Manila", "PH", 14.6042, 120.9822, "P.PPLC"),
            ("Yangon", "MM", 16.80528, 96.15611, "P.PPLA"),
            ("Tokyo", "JP", 35.6895, 139.69171, "P.PPLC"),
        ],
    },
    Theatre {
        weight: 3,
        actors: &[
            ("United Nations", "IGOUNO"),
            ("United States", "USA"),
            ("China", "CHN"),
            ("Germany", "DEU"),
            ("United Kingdom", "GBR"),
            ("India", "IND"),
        ],
        sites: &[
            ("Geneva", "CH", 46.20222, 6.14569, "P.PPLA"),
            ("New York", "US", 40.71427, -74.00597, "P.PPL"),
            ("Washington", "US", 38.89511, -77.03637, "P.PPLC"),
            ("Berlin", "DE", 52.52437, 13.41053, "P.PPLC"),
            ("London", "GB", 51.50853, -0.12574, "P.PPLC"),
            ("New Delhi", "IN", 28.63576, 77.22445, "P.PPLC"),
        ],
    },
];

/// (verb phrase, CAMEO code, PLOVER type, dictionary pattern).
type Verb = (&'static str, &'static str, &'static str, &'static str);

const VERBS: &[Verb] = &[
    ("attacked", "190", "ASSAULT", "ATTACK"),
    (
        "shelled positions of",
        "194",
        "ASSAULT",
        "SHELL POSITIONS OF",
    ),
    ("clashed with", "190", "ASSAULT", "CLASH WITH"),
    ("killed fighters of", "193", "ASSAULT", "KILL FIGHTERS OF"),
    ("arrested members of", "173", "COERCE", "ARREST"),
    (
        "imposed sanctions on",
        "163",
        "SANCTION",
        "IMPOSE SANCTION ON",
    ),
    (
        "mobilized troops against",
        "152",
        "MOBILIZE",
        "MOBILIZE TROOPS AGAINST",
    ),
    ("accused", "112", "ACCUSE", "ACCUSE"),
    ("condemned", "111", "ACCUSE", "CONDEMN"),
    ("threatened", "130", "THREATEN", "THREATEN"),
    (
        "rejected the demands of",
        "120",
        "REJECT",
        "REJECT DEMAND OF",
    ),
    ("protested against", "140", "PROTEST", "PROTEST AGAINST"),
    ("met with", "040", "CONSULT", "MEET WITH"),
    ("held talks with", "043", "CONSULT", "HOLD TALKS WITH"),
    ("negotiated with", "046", "CONSULT", "NEGOTIATE WITH"),
    ("appealed to", "020", "REQUEST", "APPEAL TO"),
    ("praised", "051", "SUPPORT", "PRAISE"),
    (
        "signed an agreement with",
        "057",
        "AGREE",
        "SIGN AGREEMENT WITH",
    ),
    (
        "sent humanitarian aid to",
        "073",
        "AID",
        "SEND HUMANITARIAN AID TO",
    ),
    (
        "released prisoners held by",
        "0841",
        "CONCEDE",
        "RELEASE PRISONERS",
    ),
    (
        "pulled troops back from",
        "087",
        "RETREAT",
        "PULL TROOPS BACK",
    ),
    (
        "agreed to cooperate with",
        "030",
        "COOPERATE",
        "AGREE TO COOPERATE WITH",
    ),
];

const QUOTES: &[&str] = &[
    "We will defend our land until the last drop of blood",
    "The talks were constructive and we hope to continue them",
    "This attack is a clear violation of international law",
    "We call on all sides to show restraint",
    "Nobody can force us to surrender",
    "We are ready to negotiate, but not under fire",
];

const ATTRIBUTIONS: &[&str] = &[
    "officials said",
    "according to local media",
    "witnesses said",
    "a statement said",
    "a spokesman said",
];

const OUTLETS: &[&str] = &[
    "The Kabul Ledger",
    "Valley Courier",
    "Global Wire",
    "Evening Dispatch",
    "Frontline Daily",
];

/// QuadClass and Goldstein value of a CAMEO code (CAMEO codebook: roots 01-05 verbal
/// cooperation, 06-09 material cooperation, 10-14 verbal conflict, 15-20 material conflict).
fn scales(cameo: &str) -> (u8, f32) {
    let root: u32 = cameo.get(..2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let quad = match root {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        _ => 4,
    };
    let goldstein = match quad {
        1 => 3.4,
        2 => 7.0,
        3 => -4.0,
        _ => -9.0,
    };
    (quad, goldstein)
}

/// A deterministic pseudo-random source (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Skewed towards the front of the list, as news coverage is.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * n as f64) as usize).min(n.saturating_sub(1))
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Writes an article sentence by sentence, recording the layers as it goes.
struct Writer {
    doc: Document,
    text: String,
}

impl Writer {
    fn new() -> Self {
        Writer {
            doc: Document::new(String::new(), Metadata::default()),
            text: String::new(),
        }
    }

    fn put(&mut self, s: &str) -> TextRange {
        let start = self.text.len();
        self.text.push_str(s);
        TextRange::new(start, self.text.len())
    }

    fn end_sentence(&mut self, start: usize) -> u32 {
        self.doc.sentences.push(Sentence {
            range: TextRange::new(start, self.text.len()),
        });
        self.text.push('\n');
        (self.doc.sentences.len() - 1) as u32
    }

    fn place(&mut self, site: &Site, range: TextRange) -> u32 {
        let index = THEATRES
            .iter()
            .flat_map(|t| t.sites.iter())
            .position(|s| s.0 == site.0)
            .unwrap_or(0);
        self.doc.places.push(Place {
            range,
            name: site.0.to_string(),
            geonameid: Some(9_000_000 + index as u64),
            feature: site.4.to_string(),
            country_code: Some(site.1.to_string()),
            admin1: None,
            lat: site.2,
            lon: site.3,
            confidence: 0.9,
        });
        (self.doc.places.len() - 1) as u32
    }

    /// "[the ]Source verb[ the] Target": returns the actors and the evidence range.
    fn clause(&mut self, source: Actor, verb: &Verb, target: Actor, capital: bool) -> Clause {
        // Names read with "the" in running text ("the Taliban", but "Pakistan", "Hamas").
        const WITH_THE: &[&str] = &[
            "Taliban",
            "National Resistance Front",
            "Afghan government",
            "United States",
            "Islamic State Khorasan",
            "Russian army",
            "Ukrainian army",
            "European Union",
            "Palestinian Authority",
            "Israeli army",
            "Syrian government",
            "Sudanese army",
            "Rapid Support Forces",
            "African Union",
            "Malian army",
            "Mexican police",
            "Myanmar military",
            "United Nations",
            "United Kingdom",
            "Philippines",
        ];
        let article = |name: &str| WITH_THE.contains(&name);
        if article(source.0) {
            self.put(if capital { "The " } else { "the " });
        }
        let source_range = self.put(source.0);
        self.put(" ");
        let evidence = self.put(verb.0);
        self.put(" ");
        if article(target.0) {
            self.put("the ");
        }
        let target_range = self.put(target.0);
        Clause {
            source: EventActor {
                range: source_range,
                name: source.0.to_string(),
                code: source.1.to_string(),
                entity: None,
            },
            target: EventActor {
                range: target_range,
                name: target.0.to_string(),
                code: target.1.to_string(),
                entity: None,
            },
            evidence,
        }
    }

    fn event(&mut self, sentence: u32, clause: Clause, verb: &Verb, place: EventPlace) {
        let (quad_class, goldstein) = scales(verb.1);
        self.doc.events.push(Event {
            sentence,
            source: clause.source,
            target: Some(clause.target),
            cameo: verb.1.to_string(),
            plover: Some(Plover {
                event_type: verb.2.to_string(),
                mode: String::new(),
            }),
            quad_class,
            goldstein,
            negated: false,
            modality: Modality::Asserted,
            confidence: 0.8,
            evidence: clause.evidence,
            pattern: verb.3.to_string(),
            speaker: None,
            date: None,
            place: Some(place),
            source_place: None,
            target_place: None,
        });
    }

    fn finish(self, meta: Metadata) -> Document {
        let Writer { doc: parts, text } = self;
        let mut doc = Document::new(text.trim_end().to_string(), meta);
        doc.sentences = parts.sentences;
        doc.places = parts.places;
        doc.dates = parts.dates;
        doc.quotes = parts.quotes;
        doc.events = parts.events;
        doc
    }
}

struct Clause {
    source: EventActor,
    target: EventActor,
    evidence: TextRange,
}

fn long_date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS
        .get(usize::from(d.month().unsigned_abs()).saturating_sub(1))
        .unwrap_or(&"January");
    format!("{month} {}, {}", d.day(), d.year())
}

fn day(d: Date) -> DateValue {
    DateValue {
        start: d,
        end: d,
        granularity: Granularity::Day,
    }
}

/// The fixed first article: the Panjshir story.
fn panjshir() -> Document {
    let mut w = Writer::new();
    let afghanistan = &THEATRES[0];
    let published = Date::constant(2021, 8, 25);
    let event_day = Date::constant(2021, 8, 23);
    // 1. The Taliban attacked the National Resistance Front in the Panjshir Valley on August 23, 2021, ...
    let start = w.text.len();
    let attack = &VERBS[0];
    let clause = w.clause(afghanistan.actors[0], attack, afghanistan.actors[1], true);
    w.put(" in the ");
    let valley_range = w.put("Panjshir Valley");
    let valley = w.place(&afghanistan.sites[1], valley_range);
    w.put(" on ");
    let date_range = w.put(&long_date(event_day));
    w.doc.dates.push(DateExpr {
        range: date_range,
        value: Some(day(event_day)),
        anchor: DateAnchor::Absolute,
    });
    w.put(", a spokesman for the resistance said.");
    let s = w.end_sentence(start);
    w.event(
        s,
        clause,
        attack,
        EventPlace {
            place: valley,
            rule: "in-sentence".into(),
        },
    );
    if let Some(e) = w.doc.events.last_mut() {
        e.date = Some(EventDate {
            value: day(event_day),
            expression: Some(0),
        });
    }
    // 2. Ahmad Massoud appealed to the United States for weapons and supplies.
    let start = w.text.len();
    let appeal = &VERBS[15];
    let clause = w.clause(afghanistan.actors[2], appeal, afghanistan.actors[4], true);
    w.put(" for weapons and supplies.");
    let s = w.end_sentence(start);
    w.event(
        s,
        clause,
        appeal,
        EventPlace {
            place: valley,
            rule: "document-focus".into(),
        },
    );
    // 3. “We will not surrender the valley,” said Ali Nazary, ...
    let start = w.text.len();
    w.put("“");
    let quote = w.put("We will not surrender the valley,");
    w.put("” ");
    let cue = w.put("said");
    w.put(" ");
    let speaker = w.put("Ali Nazary");
    w.put(", the group’s head of foreign relations.");
    w.end_sentence(start);
    w.doc.quotes.push(Quote {
        range: quote,
        kind: QuoteKind::Direct,
        speaker: Some(Speaker {
            name: "Ali Nazary".into(),
            entity: None,
            range: Some(speaker),
        }),
        outlet: None,
        cue: Some(cue),
    });
    // 4. The Taliban met with the Afghan government in Kabul.
    let start = w.text.len();
    let meet = &VERBS[12];
    let clause = w.clause(afghanistan.actors[0], meet, afghanistan.actors[3], true);
    w.put(" in ");
    let kabul_range = w.put("Kabul");
    let kabul = w.place(&afghanistan.sites[0], kabul_range);
    w.put(".");
    let s = w.end_sentence(start);
    w.event(
        s,
        clause,
        meet,
        EventPlace {
            place: kabul,
            rule: "in-sentence".into(),
        },
    );
    w.finish(Metadata {
        source: Some("Valley Courier".into()),
        title: Some("Taliban attack the last holdout in the Panjshir Valley".into()),
        url: Some("https://valley-courier.example/2021/08/25/panjshir".into()),
        published: Some(published),
        language: Some("en".into()),
        origin: Origin {
            path: "synthetic".into(),
            position: Some("article 0".into()),
        },
        ..Metadata::default()
    })
}

/// Article number `n` (n ≥ 1) of the synthetic collection.
fn article(rng: &mut Rng, n: usize, first_day: Date, days: i64) -> Document {
    let weights: u32 = THEATRES.iter().map(|t| t.weight).sum();
    let mut roll = (rng.next() % u64::from(weights.max(1))) as u32;
    let theatre = THEATRES
        .iter()
        .find(|t| {
            if roll < t.weight {
                true
            } else {
                roll -= t.weight;
                false
            }
        })
        .unwrap_or(&THEATRES[0]);
    let published = first_day
        .checked_add(jiff::Span::new().days(rng.below(days.max(1) as usize) as i64))
        .unwrap_or(first_day);
    let event_day = published
        .checked_sub(jiff::Span::new().days(rng.below(3) as i64))
        .unwrap_or(published);
    let mut w = Writer::new();
    let pair = |rng: &mut Rng| {
        let a = rng.skewed(theatre.actors.len());
        let mut b = rng.skewed(theatre.actors.len());
        if a == b {
            b = (b + 1 + rng.below(theatre.actors.len() - 1)) % theatre.actors.len();
        }
        (theatre.actors[a], theatre.actors[b])
    };
    // Lead: "Source verb Target in Place on Month D, YYYY, officials said."
    let (source, target) = pair(rng);
    let verb = rng.pick(VERBS);
    let site = &theatre.sites[rng.skewed(theatre.sites.len())];
    let start = w.text.len();
    let clause = w.clause(source, verb, target, true);
    w.put(" in ");
    let site_range = w.put(site.0);
    let focus = w.place(site, site_range);
    w.put(" on ");
    let date_range = w.put(&long_date(event_day));
    w.doc.dates.push(DateExpr {
        range: date_range,
        value: Some(day(event_day)),
        anchor: DateAnchor::Absolute,
    });
    w.put(", ");
    let attribution = *rng.pick(ATTRIBUTIONS);
    w.put(attribution);
    w.put(".");
    let s = w.end_sentence(start);
    w.event(
        s,
        clause,
        verb,
        EventPlace {
            place: focus,
            rule: "in-sentence".into(),
        },
    );
    if let Some(e) = w.doc.events.last_mut() {
        e.date = Some(EventDate {
            value: day(event_day),
            expression: Some(0),
        });
    }
    // A quote from the lead's source.
    let start = w.text.len();
    w.put("“");
    let quote = w.put(&format!("{},", rng.pick(QUOTES)));
    w.put("” ");
    let cue = w.put("said");
    w.put(" a spokesman for ");
    let speaker = w.put(source.0);
    w.put(".");
    w.end_sentence(start);
    w.doc.quotes.push(Quote {
        range: quote,
        kind: QuoteKind::Direct,
        speaker: Some(Speaker {
            name: source.0.to_string(),
            entity: None,
            range: Some(speaker),
        }),
        outlet: None,
        cue: Some(cue),
    });
    // Two to six more events.
    for _ in 0..2 + rng.below(5) {
        let (source, target) = pair(rng);
        let verb = rng.pick(VERBS);
        let start = w.text.len();
        let opener = ["", "Earlier, ", "Separately, ", "Meanwhile, "][rng.below(4)];
        w.put(opener);
        let clause = w.clause(source, verb, target, opener.is_empty());
        let place = if rng.below(2) == 0 {
            let site = &theatre.sites[rng.skewed(theatre.sites.len())];
            w.put(" near ");
            let range = w.put(site.0);
            EventPlace {
                place: w.place(site, range),
                rule: "in-sentence".into(),
            }
        } else {
            EventPlace {
                place: focus,
                rule: "document-focus".into(),
            }
        };
        w.put(".");
        let s = w.end_sentence(start);
        w.event(s, clause, verb, place);
        // One event in twenty is reported as not having happened.
        if rng.below(20) == 0
            && let Some(e) = w.doc.events.last_mut()
        {
            e.negated = true;
            e.modality = Modality::Reported;
        }
    }
    let title = format!(
        "{} and {}: {} report",
        theatre.actors[0].0, theatre.actors[1].0, site.0
    );
    let outlet = rng.pick(OUTLETS);
    w.finish(Metadata {
        external_id: Some(format!("synthetic-{n}")),
        source: Some(outlet.to_string()),
        url: Some(format!("https://news.example/{n}")),
        title: Some(title),
        published: Some(published),
        language: Some("en".into()),
        origin: Origin {
            path: "synthetic".into(),
            position: Some(format!("article {n}")),
        },
    })
}

/// `count` synthetic coded articles (the first is the Panjshir story), deterministic for a
/// given `seed`, published over `days` days from `first_day`.
pub fn documents(count: usize, seed: u64, first_day: Date, days: i64) -> Vec<Document> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|n| {
            if n == 0 {
                panjshir()
            } else {
                article(&mut rng, n, first_day, days)
            }
        })
        .collect()
}

/// Adds `count` synthetic articles (published over 180 days from 2021-06-01) to the database
/// at `path`, creating it if needed; returns what the store did.
pub fn write_database(path: &Path, count: usize, seed: u64) -> Result<BatchSummary, StoreError> {
    write_database_with(path, count, seed, Date::constant(2021, 6, 1), 180)
}

/// Like [`write_database`] with the date range given.
pub fn write_database_with(
    path: &Path,
    count: usize,
    seed: u64,
    first_day: Date,
    days: i64,
) -> Result<BatchSummary, StoreError> {
    let mut store = Store::open(path)?;
    let mut summary = BatchSummary::default();
    let docs = documents(count, seed, first_day, days);
    for batch in docs.chunks(1000) {
        let novelty = vec![Novelty::New; batch.len()];
        summary += store.insert_batch(batch, &novelty)?;
    }
    store.checkpoint()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_what_they_claim() {
        let docs = documents(200, 3, Date::constant(2021, 6, 1), 90);
        for doc in &docs {
            doc.validate().unwrap();
            for e in &doc.events {
                assert_eq!(doc.slice(e.source.range), e.source.name);
                let target = e.target.as_ref().unwrap();
                assert_eq!(doc.slice(target.range), target.name);
                let place = &doc.places[e.place.as_ref().unwrap().place as usize];
                assert_eq!(doc.slice(place.range), place.name);
                assert!(!doc.slice(e.evidence).is_empty());
            }
        }
        let first = &docs[0];
        assert!(first.text().starts_with(
            "The Taliban attacked the National Resistance Front in the Panjshir Valley on August 23, 2021"
        ));
        assert_eq!(first.slice(first.events[0].evidence), "attacked");
        assert_eq!(
            documents(5, 3, Date::constant(2021, 6, 1), 90)[4].text(),
            docs[4].text()
        );
    }
}
