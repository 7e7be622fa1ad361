//! The full default knowledge base: counts, lookups, the seed article, verbs, event tables.

use dyad_kb::{EntryStatus, KbConfig, KnowledgeBase, MatchKind};
use jiff::civil::date;
use std::path::Path;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::load(&KbConfig::embedded().with_cache_dir(None))
            .expect("default knowledge base loads")
    })
}

/// Lowercase word tokens the way dyad's tokenizer cuts them: inner `.`/`-`/`'` stay
/// (`u.s.`, `al-qaeda`), a possessive `'s` is split off.
fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let inner = matches!(c, '.' | '-' | '\'' | '\u{2019}') && !word.is_empty() && next_is_alnum;
        let abbreviation_dot = c == '.' && word.contains('.');
        if c.is_alphanumeric() || inner || abbreviation_dot {
            word.push(c);
        } else if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut out = Vec::new();
    for token in tokens {
        let lower = token.to_lowercase().replace('\u{2019}', "'");
        match lower.strip_suffix("'s") {
            Some(stem) if !stem.is_empty() => {
                out.push(stem.to_string());
                out.push("'s".to_string());
            }
            _ => out.push(lower),
        }
    }
    out
}

fn codes_in(text: &str, day: jiff::civil::Date) -> Vec<(String, String)> {
    let tokens = tokenize(text);
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    kb().match_actors(&refs, Some(day))
        .into_iter()
        .map(|m| (refs[m.start_token..m.end_token].join(" "), m.code))
        .collect()
}

#[test]
fn default_kb_counts() {
    let stats = kb().stats();
    assert!(stats.actor_entries > 27_000, "{stats:?}");
    assert!(stats.actor_names > 35_000);
    assert!(stats.agent_phrases > 5_000);
    assert!(stats.discards > 500);
    assert!(stats.verb_blocks > 390);
    assert!(stats.verbs > 1_700);
    assert!(stats.patterns > 4_500);
    assert!(stats.synsets >= 40);
    assert!(stats.overlay_actors >= 20);
    assert!(stats.plover_rows > 250);
    assert!(stats.goldstein_rows > 300);
    // The vendored dictionaries have a few dozen known typos; they are skipped, not fatal.
    assert!(stats.diagnostics < 150, "{:#?}", kb().diagnostics());
    for d in kb().diagnostics() {
        assert!(d.line().is_some(), "{d}");
    }
}

#[test]
fn ashraf_ghani_is_government_on_the_day_he_fled() {
    let found = kb().lookup("Ashraf Ghani", Some(date(2021, 8, 15)));
    let used = &found[0];
    assert!(used.used_by_matcher);
    assert_eq!(used.code.as_deref(), Some("AFGGOV"));
    assert_eq!(used.file, "corrections.toml");
    let text = used.to_string();
    assert!(text.contains("2014-09-29 to 2021-08-15"), "{text}");
    assert!(text.contains("<- applies"), "{text}");
    // The Phoenix entry is listed as superseded.
    assert!(
        found
            .iter()
            .any(|e| e.file == "Phoenix.Countries.actors.txt"
                && matches!(e.status, EntryStatus::SupersededBy { .. }))
    );
    let after = kb().lookup("Ashraf Ghani", Some(date(2021, 8, 16)));
    assert_eq!(after[0].code.as_deref(), Some("AFGELI"));
}

#[test]
fn barack_obama_is_government_in_2010_but_not_in_2018() {
    let tokens = ["president", "barack", "obama"];
    let in_2010 = kb().match_actors(&tokens, Some(date(2010, 6, 1)));
    assert_eq!(in_2010.last().map(|m| m.code.as_str()), Some("USAGOV"));
    let in_2018 = kb().match_actors(&tokens, Some(date(2018, 6, 1)));
    assert_eq!(in_2018.last().map(|m| m.code.as_str()), Some("USAELI"));
    // A synonym of the superseded Phoenix entry gets the corrected codes.
    let mr = kb().match_actors(&["mr.", "obama"], Some(date(2018, 6, 1)));
    assert_eq!(
        mr.first().map(|m| m.code.as_str()),
        Some("USAELI"),
        "{mr:?}"
    );
}

#[test]
fn taliban_and_their_spokesman() {
    assert_eq!(
        kb().lookup("Taliban", None)[0].code.as_deref(),
        Some("AFGINSTAL")
    );
    assert_eq!(
        kb().lookup("Zabihullah Mujahid", Some(date(2021, 8, 24)))[0]
            .code
            .as_deref(),
        Some("AFGINSTAL")
    );
    let saleh = kb().lookup("Amrullah Salehl", Some(date(2021, 8, 20)));
    assert_eq!(saleh[0].file, "overlay.toml");
    assert!(saleh[0].synonym);
    assert_eq!(saleh[0].code.as_deref(), Some("AFGREB"));
    assert_eq!(
        kb().lookup("Amrullah Saleh", Some(date(2021, 3, 1)))[0]
            .code
            .as_deref(),
        Some("AFGGOV")
    );
    // "Taliban spokesman" composes the PETRARCH way: actor code + the agent's code.
    let matches = kb().match_actors(&["taliban", "spokesman", "zabihullah", "mujahid"], None);
    let composed = kb().compose(&matches);
    assert_eq!(composed[0].code, "AFGINSTALMED");
    assert_eq!(composed[1].code, "AFGINSTAL");
}

#[test]
fn agents_combine_with_countries() {
    let matches = kb().match_actors(&["afghan", "police"], None);
    assert_eq!(matches[1].kind, MatchKind::Agent);
    assert_eq!(matches[1].code, "~COP");
    assert_eq!(kb().compose(&matches)[0].code, "AFGCOP");
}

#[test]
fn seed_article_actors() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seed/panjshir.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let found = codes_in(&text, date(2021, 8, 25));
    let has = |name: &str, code: &str| {
        assert!(
            found
                .iter()
                .any(|(n, c)| (n == name || *n == format!("the {name}")) && c == code),
            "{name} → {code} not in {found:?}"
        )
    };
    has("taliban", "AFGINSTAL");
    has("ahmad massoud", "AFGREB");
    has("amrullah salehl", "AFGREB");
    has("ashraf ghani", "AFGELI"); // on 2021-08-25 he is no longer president
    has("national resistance front of afghanistan", "AFGREB");
    has("nrf", "AFGREB");
    has("bbc", "GBRMED");
    has("washington post", "USAMED");
    has("al-qaeda", "IMGMUSALQ");
    has("u.s.", "USA");
    has("cnn", "USAMED");
    has("cia", "USASPY");
    has("united nations", "IGOUNO");
    has("kabul", "AFG");
    has("afghans", "AFG");
    has("zabihullah mujahid", "AFGINSTAL");
    has("ahmad shah massoud", "AFGREB");
    has("america", "USA");
    // The pronoun is not the country (regression: "stay in Kabul with us" coded USA).
    assert!(!found.iter().any(|(n, _)| n == "us"), "{found:?}");
}

#[test]
fn ghani_on_the_day_of_the_seed_events() {
    let found = codes_in("after Ashraf Ghani fled on August 15", date(2021, 8, 15));
    assert_eq!(found, [("ashraf ghani".to_string(), "AFGGOV".to_string())]);
}

#[test]
fn verbs_and_their_codes() {
    let assassinate = kb().verb("assassinated").expect("assassinated");
    assert_eq!(assassinate.block_name, "ASSASSINATE");
    assert_eq!(assassinate.code.as_deref(), Some("186"));
    let met = kb().verb("met").expect("met");
    assert!(
        met.code.as_deref().is_some_and(|c| c.starts_with("04")),
        "{met:?}"
    );
    let appealed = kb().verb("appealed").expect("appealed");
    assert!(
        appealed
            .code
            .as_deref()
            .is_some_and(|c| c.starts_with("02")),
        "{appealed:?}"
    );
    assert!(!kb().patterns(met).is_empty());
    // Phrasal forms are found by their verb word, with the particle to check.
    let forms = kb().verb_forms("met");
    assert!(forms.iter().any(|(_, f)| f.after == ["with"]));
    assert_eq!(
        kb().verb("met with").map(|v| v.lemma.as_str()),
        Some("meet with")
    );
    assert!(
        kb().synset("&CURRENCY")
            .is_some_and(|s| s.members.iter().any(|m| m == "dollars"))
    );
}

#[test]
fn event_tables() {
    let plover = kb().plover_for("186").expect("186 maps to PLOVER");
    assert_eq!(
        (plover.event_type.as_str(), plover.mode.as_str()),
        ("ASSAULT", "assassinate")
    );
    assert_eq!(kb().goldstein("186"), Some(-10.0));
    assert_eq!(kb().quad_class("186"), 4);
    assert_eq!(kb().quad_class("036"), 1);
    assert_eq!(kb().quad_class("073"), 2);
    assert_eq!(kb().quad_class("112"), 3);
    assert_eq!(
        kb().plover_for("1041").map(|p| p.event_type),
        Some("REQUEST".to_string())
    );
    // The 2021 table has no rows for CAMEO 01 (statements) and 02 (appeals); dyad's supplement
    // maps appeals to REQUEST like their CAMEO 10 twins, and statements stay unmapped.
    let appeal = kb().plover_for("0232").expect("appeals map to REQUEST");
    assert_eq!(
        (appeal.event_type.as_str(), appeal.mode.as_str()),
        ("REQUEST", "assist")
    );
    assert_eq!(kb().plover_for("010"), None);
    // The 2021 table wins where it has a row.
    assert_eq!(
        kb().plover_for("186").map(|p| p.mode),
        Some("assassinate".to_string())
    );
}

#[test]
fn validation_dictionaries_load() {
    let kb =
        KnowledgeBase::load(&KbConfig::validation().with_cache_dir(None)).expect("validation kb");
    let stats = kb.stats();
    assert!(stats.actor_entries > 50, "{stats:?}");
    assert!(stats.verbs > 50, "{stats:?}");
    assert!(stats.agent_phrases > 50, "{stats:?}");
}

#[test]
fn cache_round_trip_gives_the_same_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = KbConfig::embedded().with_cache_dir(Some(dir.path().to_path_buf()));
    let first = KnowledgeBase::load(&config).expect("compiled");
    assert!(!first.load_report().from_cache);
    let second = KnowledgeBase::load(&config).expect("cached");
    assert!(second.load_report().from_cache);
    assert_eq!(first.stats(), second.stats());
    let tokens = ["the", "taliban", "met", "the", "cia"];
    assert_eq!(
        first.match_actors(&tokens, None),
        second.match_actors(&tokens, None)
    );
    // A changed input (an extra overlay) does not reuse the cache.
    let overlay = dir.path().join("extra.toml");
    std::fs::write(
        &overlay,
        "version = 1\n[[actor]]\nname = \"Ali Nazary\"\ncodes = [{ code = \"AFGREB\" }]\nnote = \"NRF foreign relations head (seed)\"\n",
    )
    .expect("write overlay");
    let third = KnowledgeBase::load(&config.clone().with_overlay(&overlay)).expect("recompiled");
    assert!(!third.load_report().from_cache);
    assert_eq!(
        third.lookup("Ali Nazary", None)[0].code.as_deref(),
        Some("AFGREB")
    );
}

#[test]
fn unwritable_cache_dir_builds_in_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").expect("write");
    let kb = KnowledgeBase::load(&KbConfig::validation().with_cache_dir(Some(file.join("sub"))))
        .expect("loads without a cache");
    assert!(!kb.load_report().from_cache);
}

#[test]
fn null_coded_names_consume_their_tokens_and_report_nothing() {
    // Phoenix.Countries.actors.txt:14240 AHMED_DARWISH_ [---]: "the soccer player".
    assert!(kb().match_actors(&["ahmed", "darwish"], None).is_empty());
}

/// `match_actors` keeps recent results per thread (the entity tagger and the event coder
/// ask for the same sentences): the date is part of what it remembers, so Ghani is
/// president the day before the Taliban took Kabul and an ex-leader the day after, however
/// the calls interleave.
#[test]
fn remembered_matches_keep_dates_apart() {
    let kb = kb();
    let ghani = ["ashraf", "ghani", "fled"];
    let before = Some(date(2021, 8, 15));
    let after = Some(date(2021, 8, 16));
    for _ in 0..3 {
        for (day, code) in [(before, "AFGGOV"), (after, "AFGELI"), (before, "AFGGOV")] {
            let found = kb.match_actors(&ghani, day);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].code, code);
            assert_eq!((found[0].start_token, found[0].end_token), (0, 2));
        }
    }
    // A token sequence that is a prefix of another is remembered apart from it.
    assert_eq!(kb.match_actors(&ghani[..1], before), Vec::new());
    assert_eq!(kb.match_actors(&ghani[..2], before).len(), 1);
}
