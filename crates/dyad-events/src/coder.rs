//! The sentence coder: verb groups and nominal triggers → dyadic events.

use crate::actors::{Discourse, Mention, Words, find_mentions};
use crate::lexicon::{
    FxHashMap, Lexicon, NeededWords, NominalTrigger, SynsetMembers, TriggerPart, word_bit,
};
use crate::roles;
use dyad_document::{Document, Event, EventActor, Modality, PosTag, QuoteKind, Speaker, TextRange};
use dyad_kb::{KnowledgeBase, Pattern, PatternElement};
use dyad_syntax::{DependencyTree, Parser, Tense, VerbGroup};

/// Largest gap (in tokens) between the verb and the first pattern element, and between
/// pattern elements. PETRARCH2 matches within the verb phrase's constituents; dyad has
/// chunks only, so the gaps bound the search instead.
const FIRST_GAP: usize = 5;
const GAP: usize = 3;
/// How far after the verb a pattern or target is looked for.
const WINDOW: usize = 16;

/// Resources the coder needs, shared by all documents.
pub(crate) struct Resources<'a> {
    pub kb: &'a KnowledgeBase,
    pub lexicon: &'static Lexicon,
    pub synsets: &'a FxHashMap<String, SynsetMembers>,
    pub needed_words: &'a NeededWords,
    pub verb_file: &'a str,
    pub parser: Option<&'a Parser>,
}

/// A verb (or verb phrase) found in the dictionary.
struct VerbReading<'p> {
    /// Token just after the verb and its particles.
    after: usize,
    default_code: Option<String>,
    /// The verb's line in `file` (its default pattern is `file:line written`, written out
    /// only for a verb coded by its default code).
    line: u32,
    patterns: &'p [Pattern],
    /// The words each pattern needs after the verb ([`NeededWords`]), same indices.
    needed: &'p [u64],
    file: &'p str,
    order: usize,
    /// The verb as the dictionary writes it (`TAKE`, `+MEET_WITH`).
    written: &'p str,
}

#[derive(Debug, Clone, Default)]
struct PatternHit {
    score: u32,
    target: Option<usize>,
    source: Option<usize>,
    /// Tokens of the first instrument synset matched (`launched artillery`, `instrument_synset`
    /// in cues.tsv): what the verb acts with, never its target.
    theme: Option<(usize, usize)>,
    /// Where the first word element matched.
    first_word: Option<usize>,
}

/// What the coder decided for one verb group.
struct Coding {
    code: String,
    pattern: String,
    specificity: u32,
    pattern_target: Option<usize>,
    pattern_source: Option<usize>,
    /// See [`PatternHit::theme`].
    theme: Option<(usize, usize)>,
    after: usize,
}

pub(crate) struct Sentence<'s> {
    pub index: usize,
    /// Document index of the sentence's first token; other indices are local.
    pub first: usize,
    pub words: &'s Words,
    pub mentions: &'s [Mention],
    pub mention_at: Vec<Option<usize>>,
    pub verbs: Vec<VerbGroup>,
    pub vg_at: Vec<Option<usize>>,
    pub in_quote: Vec<bool>,
    pub quote_speaker: Option<Speaker>,
    /// The parser, run on demand ([`Sentence::tree`]).
    pub parser: Option<&'s Parser>,
    pub doc: &'s Document,
    pub tree_cell: std::cell::OnceCell<Option<DependencyTree>>,
}

/// A candidate event before conflicts are resolved.
struct Candidate {
    event: Event,
    verb: Option<usize>,
    /// For a composed event, the governor's verb group (whose own reading it competes with).
    governor: Option<usize>,
    nominal: bool,
    specificity: u32,
}

/// Codes every sentence of `doc`.
pub(crate) fn code_document(res: &Resources<'_>, doc: &Document) -> Vec<Event> {
    let mut discourse = Discourse::of(doc);
    let mut events = Vec::new();
    let mut quote_open = false;
    let date = doc.meta.published;
    for (index, sentence) in doc.sentences.iter().enumerate() {
        let range = doc.tokens_in(sentence.range);
        if range.is_empty() {
            continue;
        }
        let first = range.start;
        let words = Words::of(doc, range, res.lexicon);
        let mentions = find_mentions(
            res.kb,
            res.lexicon,
            doc,
            first,
            &words,
            date,
            &mut discourse,
        );
        let (in_quote, still_open) = quote_flags(doc, first, &words, quote_open);
        quote_open = still_open;
        // Every event has a source mention: a sentence without one yields none (the
        // discourse and the quote state above are still updated).
        if mentions.is_empty() {
            continue;
        }
        let mut mention_at = vec![None; words.len()];
        for (m, mention) in mentions.iter().enumerate() {
            for slot in mention_at.iter_mut().take(mention.end).skip(mention.start) {
                *slot = Some(m);
            }
        }
        let text_refs: Vec<&str> = words.text.iter().map(String::as_str).collect();
        let verbs: Vec<VerbGroup> = dyad_syntax::chunk_tagged(&text_refs, &words.tag)
            .into_iter()
            .filter_map(|c| c.verb)
            .collect();
        let mut vg_at = vec![None; words.len()];
        for (g, vg) in verbs.iter().enumerate() {
            for slot in vg_at.iter_mut().take(vg.tokens.end).skip(vg.tokens.start) {
                *slot = Some(g);
            }
        }
        let quote_speaker = quote_speaker(doc, first, &words);
        tracing::trace!(
            sentence = index,
            mentions = ?mentions.iter().map(|m| format!("{}..{} {} {:?}", m.start, m.end, m.code, m.class)).collect::<Vec<_>>(),
            verbs = ?verbs.iter().map(|v| format!("{:?} {} infinitive={}", v.tokens, v.lemma, v.infinitive)).collect::<Vec<_>>(),
            "sentence analysed"
        );
        let s = Sentence {
            index,
            first,
            words: &words,
            mentions: &mentions,
            mention_at,
            verbs,
            vg_at,
            in_quote,
            quote_speaker,
            parser: res.parser,
            doc,
            tree_cell: std::cell::OnceCell::new(),
        };
        events.extend(code_sentence(res, doc, &s));
    }
    events
}

/// Which tokens are inside quotation marks; quotes may run on across sentences.
fn quote_flags(doc: &Document, first: usize, words: &Words, mut open: bool) -> (Vec<bool>, bool) {
    let n = words.len();
    let mut flags = vec![false; n];
    let quoted: Vec<TextRange> = doc
        .quotes
        .iter()
        .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Partial))
        .map(|q| q.range)
        .collect();
    if !doc.quotes.is_empty() {
        for (k, flag) in flags.iter_mut().enumerate() {
            if let Some(t) = doc.tokens.get(first + k) {
                *flag = quoted.iter().any(|q| q.contains_range(t.range));
            }
        }
        return (flags, false);
    }
    for (k, flag) in flags.iter_mut().enumerate() {
        match words.text[k].as_str() {
            "“" => open = true,
            "”" => open = false,
            "\"" => open = !open,
            _ => *flag = open,
        }
    }
    (flags, open)
}

/// The speaker of a quote covering this sentence, from the quotes layer.
fn quote_speaker(doc: &Document, first: usize, words: &Words) -> Option<Speaker> {
    let start = doc.tokens.get(first)?.range;
    let end = doc.tokens.get(first + words.len().checked_sub(1)?)?.range;
    let span = start.cover(end);
    doc.quotes
        .iter()
        .filter(|q| q.range.overlaps(span))
        .find_map(|q| q.speaker.clone())
}

impl Sentence<'_> {
    pub(crate) fn n(&self) -> usize {
        self.words.len()
    }

    /// The dependency tree, parsed the first time it is asked for. Only sentences with two
    /// actors or more are parsed (a dyad needs two; the chunk rules serve the others), which
    /// keeps the coder's throughput.
    pub(crate) fn tree(&self) -> Option<&DependencyTree> {
        self.tree_cell
            .get_or_init(|| {
                let parser = self.parser?;
                (self.mentions.len() >= 2).then(|| parser.parse_sentence(self.doc, self.index))
            })
            .as_ref()
    }

    pub(crate) fn norm(&self, k: usize) -> &str {
        self.words.norm.get(k).map_or("", String::as_str)
    }

    fn doc_range(&self, doc: &Document, start: usize, end: usize) -> TextRange {
        let a = doc.tokens.get(self.first + start).map(|t| t.range);
        let b = doc
            .tokens
            .get(self.first + end.max(start + 1) - 1)
            .map(|t| t.range);
        match (a, b) {
            (Some(a), Some(b)) => a.cover(b),
            (Some(a), None) => a,
            _ => TextRange::default(),
        }
    }

    fn is_boundary_word(&self, res: &Resources<'_>, k: usize) -> bool {
        let tag = self.words.tag(k);
        let w = self.norm(k);
        matches!(
            tag,
            PosTag::Colon | PosTag::Period | PosTag::OpenQuote | PosTag::CloseQuote
        ) || w == "\""
            || matches!(tag, PosTag::WDT | PosTag::WP | PosTag::WRB)
            || (tag == PosTag::IN
                && res.lexicon.is("subordinator", w)
                && !matches!(w, "after" | "before" | "since" | "until" | "as" | "despite"))
    }

    /// True when verb group `g` is finite (starts a clause of its own).
    fn finite(&self, g: usize) -> bool {
        self.verbs
            .get(g)
            .is_some_and(|v| v.tense != Tense::Nonfinite && !v.infinitive)
    }

    /// First token after `from` that ends the clause.
    fn clause_end(&self, res: &Resources<'_>, from: usize) -> usize {
        let limit = (from + WINDOW).min(self.n());
        for k in from..limit {
            if self.is_boundary_word(res, k) {
                return k;
            }
            if let Some(g) = self.vg_at[k]
                && self.verbs[g].tokens.start == k
                && self.finite(g)
            {
                return k;
            }
        }
        limit
    }

    /// A mention and the ones coordinated with it to its left (`A and B`, `A, B and C`).
    fn coordinated_left(&self, m: usize) -> Vec<usize> {
        let mut group = vec![m];
        let mut current = m;
        loop {
            let start = self.mentions[current].start;
            if start < 2 {
                break;
            }
            let conj = self.norm(start - 1);
            // The junction next to the last conjunct is `and` / `or`: `A, B and C`; a bare
            // comma there is an appositive (`Richard Arnold, mayor of ...`).
            let first_junction = current == m;
            if !(matches!(conj, "and" | "or") || (conj == "," && !first_junction)) {
                break;
            }
            match self.mention_at[start - 2] {
                Some(prev) if prev != current => {
                    group.push(prev);
                    current = prev;
                }
                _ => break,
            }
        }
        group.reverse();
        group
    }

    /// A mention and the ones coordinated with it to its right, `including` ones too.
    pub(crate) fn coordinated_right(&self, m: usize, limit: usize) -> Vec<usize> {
        let mut group = vec![m];
        let mut current = m;
        let (mut saw_and_or, mut saw_including) = (false, false);
        loop {
            let mut k = self.mentions[current].end;
            let mut including = false;
            let mut saw_conj = false;
            while k < limit && k < self.n() {
                let w = self.norm(k);
                if matches!(w, "and" | "," | "or") {
                    saw_conj = true;
                    saw_and_or |= w != ",";
                    k += 1;
                } else if matches!(w, "including" | "especially") {
                    including = true;
                    saw_including = true;
                    k += 1;
                } else if self.words.tag(k) == PosTag::DT
                    || self.words.tag(k).is_adjective()
                    || self.words.tag(k) == PosTag::VBG
                {
                    k += 1;
                } else {
                    break;
                }
            }
            let next = if k < limit {
                self.mention_at.get(k).copied().flatten()
            } else {
                None
            };
            match next {
                Some(n)
                    if n != current && self.mentions[n].start == k && (saw_conj || including) =>
                {
                    if including && !self.mentions[m].anchored {
                        // `all embassies, including the U.S.`: the named ones are the targets.
                        group.retain(|&x| x != m);
                    }
                    group.push(n);
                    current = n;
                }
                _ => break,
            }
        }
        // `all embassies still present in Kabul, including the U.S.`
        let last_end = group
            .last()
            .map_or(self.mentions[m].end, |&x| self.mentions[x].end);
        let sentence_end = (last_end..self.n())
            .find(|&k| matches!(self.words.tag(k), PosTag::Period | PosTag::Colon))
            .unwrap_or(self.n());
        // ... but not across a verb: `the Taliban had met with all embassies, including the
        // U.S.` does not make the U.S. one of the Taliban.
        if let Some(inc) = (last_end..sentence_end)
            .take_while(|&k| {
                // (a lone present-tense `present` is the tagger misreading an adjective)
                !self.vg_at.get(k).copied().flatten().is_some_and(|g| {
                    self.finite(g) && self.words.tag(self.verbs[g].tokens.start) != PosTag::VBP
                })
            })
            .find(|&k| matches!(self.norm(k), "including" | "especially"))
        {
            let limit = sentence_end;
            let mut k = inc + 1;
            while k < limit && self.words.tag(k) == PosTag::DT && self.mention_at[k].is_none() {
                k += 1;
            }
            if let Some(n) = self.mention_at.get(k).copied().flatten()
                && !group.contains(&n)
            {
                saw_including = true;
                if !self.mentions[m].anchored {
                    group.retain(|&x| x != m);
                }
                let more = self.coordinated_right(n, limit);
                for x in more {
                    if !group.contains(&x) {
                        group.push(x);
                    }
                }
            }
        }
        if group.is_empty() {
            group.push(m);
        }
        if !saw_and_or && !saw_including {
            // Commas only: an appositive (`Geng Shuang, a spokesman`), not a coordination.
            group.truncate(1);
        }
        group
    }

    /// `all embassies in Kabul, including the U.S.`: the named ones join (or replace) a
    /// target group found in the tree.
    fn with_including(&self, group: Vec<usize>) -> Vec<usize> {
        let Some(&last) = group.last() else {
            return group;
        };
        let end = self.mentions[last].end;
        let sentence_end = (end..self.n())
            .find(|&k| matches!(self.words.tag(k), PosTag::Period | PosTag::Colon))
            .unwrap_or(self.n());
        if !(end..sentence_end).any(|k| matches!(self.norm(k), "including" | "especially")) {
            return group;
        }
        let mut out: Vec<usize> = group[..group.len() - 1].to_vec();
        for m in self.coordinated_right(last, sentence_end) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// The preposition governing a mention (skipping determiners and adjectives), if any.
    fn governing_prep(&self, m: usize) -> Option<&str> {
        let mut k = self.mentions[m].start;
        while k > 0 {
            k -= 1;
            let tag = self.words.tag(k);
            if matches!(tag, PosTag::DT | PosTag::PDT | PosTag::CD | PosTag::PRPS)
                || tag.is_adjective()
            {
                continue;
            }
            return (matches!(tag, PosTag::IN | PosTag::TO)).then(|| self.norm(k));
        }
        None
    }

    fn possessive_modifier(&self, m: usize) -> bool {
        let end = self.mentions[m].end;
        self.words.tag(end) == PosTag::POS || self.norm(end) == "'s"
    }
}

/// The subject of verb group `g`: the nearest actor to its left in its clause, skipping
/// relative clauses and parentheticals; for a relative clause, its antecedent.
fn subject_of(res: &Resources<'_>, s: &Sentence<'_>, g: usize, depth: usize) -> Vec<usize> {
    let Some(vg) = s.verbs.get(g) else {
        return Vec::new();
    };
    if depth > 4 {
        return Vec::new();
    }
    let mut k = vg.tokens.start;
    let mut saw_relative_comma = false;
    while k > 0 {
        k -= 1;
        if let Some(m) = s.mention_at[k] {
            if s.governing_prep(m)
                .is_some_and(|p| !res.lexicon.is("subordinator", p))
                || s.possessive_modifier(m)
            {
                k = s.mentions[m].start;
                continue;
            }
            return s.coordinated_left(m);
        }
        let w = s.norm(k);
        let tag = s.words.tag(k);
        if matches!(tag, PosTag::WDT | PosTag::WP) || (w == "that" && tag == PosTag::WDT) {
            // A relative clause: its subject is the noun before the pronoun.
            let mut j = k;
            while j > 0 {
                j -= 1;
                if let Some(m) = s.mention_at[j] {
                    return s.coordinated_left(m);
                }
                if s.norm(j) != "," && !s.words.tag(j).is_noun() && s.words.tag(j) != PosTag::DT {
                    break;
                }
                if k - j > 4 {
                    break;
                }
            }
            return Vec::new();
        }
        if w == "," {
            // `X, which ..., VERB` / `X, along with ..., VERB`: skip the parenthetical.
            let mut j = k;
            let mut opening = None;
            while j > 0 {
                j -= 1;
                if s.norm(j) == "," || s.norm(j) == "-" {
                    opening = Some(j);
                    break;
                }
            }
            let segment_start = opening.map_or(0, |o| o + 1);
            let first_word = s.norm(segment_start);
            let first_tag = s.words.tag(segment_start);
            let parenthetical = matches!(
                first_tag,
                PosTag::WDT | PosTag::WP | PosTag::VBN | PosTag::VBG
            ) || matches!(
                first_word,
                "along" | "including" | "who" | "which" | "in" | "as" | "like"
            );
            if let (true, Some(o)) = (parenthetical, opening) {
                k = o;
                saw_relative_comma = true;
                continue;
            }
            if (segment_start..k).any(|x| s.vg_at[x].is_some_and(|h| s.finite(h))) {
                // Another clause ends here. VP coordination `..., but stopped` shares the
                // main clause's subject.
                break;
            }
            continue;
        }
        if matches!(w, "and" | "but") && s.vg_at.get(k + 1).copied().flatten() == Some(g)
            || (matches!(w, "and" | "but")
                && k + 2 == vg.tokens.start
                && s.words.tag(k + 1) == PosTag::RB)
        {
            // VP coordination: `X met Y and signed Z`; `..., but stopped` → the main subject.
            let comma = k > 0 && s.norm(k - 1) == ",";
            let previous = if comma {
                (0..g).find(|&h| s.finite(h))
            } else {
                (0..g).rev().find(|&h| s.finite(h))
            };
            return previous
                .map(|h| subject_of(res, s, h, depth + 1))
                .unwrap_or_default();
        }
        if s.vg_at[k].is_some() || s.is_boundary_word(res, k) {
            break;
        }
        if tag == PosTag::CC && !saw_relative_comma {
            continue;
        }
    }
    Vec::new()
}

/// Objects of a verb: the first actors after it in its clause, not behind a locative preposition.
fn objects_after(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    from: usize,
    limit: usize,
    code: &str,
) -> Vec<usize> {
    let mut k = from;
    while k < limit {
        if let Some(m) = s.mention_at[k] {
            let prep = s.governing_prep(m);
            let start = s.mentions[m].start;
            let quantity_of = prep == Some("of")
                && start >= 2
                && (s.words.tag(start - 2) == PosTag::CD
                    || res.lexicon.is("quantity", s.norm(start - 2)));
            let locative = prep.is_some_and(|p| {
                res.lexicon.is("locative", p) && p != "by" && !aimed_at(res, p, code)
            }) && !quantity_of;
            let passive_agent = prep == Some("by");
            let own =
                s.mentions[m].start > 0 && s.words.tag(s.mentions[m].start - 1) == PosTag::PRPS;
            let end = s.mentions[m].end;
            let modifier = !s.possessive_modifier(m)
                && matches!(s.words.tag(end), PosTag::NN | PosTag::NNS)
                && s.mention_at.get(end).copied().flatten().is_none();
            if !locative && !passive_agent && !own && !modifier {
                return s.coordinated_right(m, limit);
            }
            k = s.mentions[m].end;
            continue;
        }
        if s.norm(k) == "," && !matches!(s.norm(k + 1), "including" | "especially") {
            break;
        }
        if let Some(g) = s.vg_at[k]
            && s.verbs[g].tokens.start == k
            && s.verbs[g].infinitive
        {
            // `called upon the U.S. to help them`: the object comes before the infinitive.
            if (from..k).any(|x| s.words.tag(x).is_noun()) {
                break;
            }
        }
        k += 1;
    }
    Vec::new()
}

/// The first actor governed by `of` between `from` and `limit` (not a quantity: `dozens of
/// protesters` is the object itself, found elsewhere).
fn of_phrase_actor(s: &Sentence<'_>, from: usize, limit: usize) -> Option<usize> {
    (from..limit.min(s.n())).find_map(|k| {
        let m = s.mention_at[k]?;
        (s.mentions[m].start == k && s.governing_prep(m) == Some("of")).then_some(m)
    })
}

/// `fired two shells at Seoul`: for force and coercion (`aimed_root` in cues.tsv) `at` names
/// the target, not a place.
pub(crate) fn aimed_at(res: &Resources<'_>, prep: &str, code: &str) -> bool {
    prep == "at" && res.lexicon.lists_code("aimed_root", code, 2)
}

/// The `by` agent of a passive verb.
fn passive_agent(s: &Sentence<'_>, from: usize, limit: usize) -> Vec<usize> {
    match (from..limit).find(|&k| s.norm(k) == "by") {
        Some(k) => phrase_actors(s, k + 1, limit),
        None => Vec::new(),
    }
}

/// The actors of a noun phrase starting at `start` (determiners and adjectives may come
/// first), with their conjuncts.
fn phrase_actors(s: &Sentence<'_>, start: usize, limit: usize) -> Vec<usize> {
    let mut j = start;
    while j < limit && matches!(s.words.tag(j), PosTag::DT | PosTag::JJ) {
        if s.mention_at[j].is_some() {
            break;
        }
        j += 1;
    }
    match s.mention_at.get(j).copied().flatten() {
        Some(m) if j < limit => s.coordinated_right(m, limit),
        _ => Vec::new(),
    }
}

/// Matches `phrase` (space-separated words) at `k`; the end on success.
fn match_phrase(s: &Sentence<'_>, k: usize, phrase: &[String]) -> Option<usize> {
    for (i, w) in phrase.iter().enumerate() {
        if !s.words.is(k + i, w) {
            return None;
        }
    }
    Some(k + phrase.len())
}

fn match_element(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    element: &PatternElement,
    k: usize,
    limit: usize,
    hit: &mut PatternHit,
) -> Option<usize> {
    if k >= limit {
        return None;
    }
    match element {
        PatternElement::Word(w) => {
            if w.contains(' ') {
                let mut len = 0;
                for (i, word) in w.split(' ').enumerate() {
                    if !s.words.is(k + i, word) {
                        return None;
                    }
                    len += 1;
                }
                hit.score += len;
                Some(k + len as usize)
            } else if s.words.is(k, w) {
                hit.score += 1;
                hit.first_word.get_or_insert(k);
                Some(k + 1)
            } else {
                None
            }
        }
        PatternElement::Synset(name) => {
            let members = res.synsets.get(name)?;
            let form = s.norm(k);
            let lemma = s.words.lemma.get(k).map_or("", String::as_str);
            let end = members.find_first(form, lemma, |m| match_phrase(s, k, m))?;
            hit.score += 1;
            if res
                .lexicon
                .is("instrument_synset", &name.to_ascii_lowercase())
            {
                hit.theme.get_or_insert((k, end));
            }
            Some(end)
        }
        PatternElement::Target | PatternElement::Source => {
            let m = s.mention_at[k]?;
            if s.mentions[m].start != k {
                return None;
            }
            if matches!(element, PatternElement::Target) {
                hit.target = Some(m);
            } else {
                hit.source = Some(m);
            }
            hit.score += 1;
            Some(s.mentions[m].end)
        }
        PatternElement::Skip | PatternElement::Compound => Some(k),
        PatternElement::NounPhrase(inner) => match_sequence(res, s, inner, k, limit, 0, 0, hit),
        PatternElement::PrepPhrase(inner) => match_sequence(res, s, inner, k, limit, 0, GAP, hit),
    }
}

/// Matches `elements` in order from `k`: the first within `first_gap` tokens, the others
/// within `gap` tokens of the previous one.
#[allow(clippy::too_many_arguments)]
fn match_sequence(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    elements: &[PatternElement],
    k: usize,
    limit: usize,
    first_gap: usize,
    gap: usize,
    hit: &mut PatternHit,
) -> Option<usize> {
    let Some((first, rest)) = elements.split_first() else {
        return Some(k);
    };
    // A word is sought past the gap over a noun phrase's modifiers: `out of the ambitious
    // free trade deal` reaches `deal`.
    let mut reach = (k + first_gap).min(limit);
    if first_gap > 0 && matches!(first, PatternElement::Word(_) | PatternElement::Synset(_)) {
        let mut j = k;
        while j < limit
            && s.mention_at.get(j).copied().flatten().is_none()
            && (s.words.tag(j).is_adjective()
                || matches!(
                    s.words.tag(j),
                    PosTag::DT | PosTag::NN | PosTag::CD | PosTag::PRPS
                ))
        {
            j += 1;
        }
        reach = reach.max(j.min(limit));
    }
    for start in k..=reach {
        if start > k
            && s.mention_at.get(start - 1).copied().flatten().is_some()
            && matches!(first, PatternElement::Word(_))
        {
            // do not skip over an actor to find a word
        }
        let mut attempt = hit.clone();
        if let Some(next) = match_element(res, s, first, start, limit, &mut attempt)
            && let Some(end) = match_sequence(res, s, rest, next, limit, gap, gap, &mut attempt)
        {
            *hit = attempt;
            return Some(end);
        }
    }
    None
}

/// Words before the verb (`- MARKET * [---]`), matched right to left.
fn match_before(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    elements: &[PatternElement],
    verb_start: usize,
    hit: &mut PatternHit,
) -> bool {
    let mut k = verb_start;
    for element in elements.iter().rev() {
        match element {
            PatternElement::Word(_) | PatternElement::Synset(_) => {
                let mut found = false;
                let lowest = k.saturating_sub(GAP + 1);
                let mut j = k;
                while j > lowest {
                    j -= 1;
                    let mut attempt = hit.clone();
                    if match_element(res, s, element, j, s.n(), &mut attempt).is_some() {
                        *hit = attempt;
                        k = j;
                        found = true;
                        break;
                    }
                }
                if !found {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Dictionary readings of the verb group: KB verbs and the crate's supplement.
fn readings<'r>(res: &'r Resources<'_>, s: &Sentence<'_>, vg: &VerbGroup) -> Vec<VerbReading<'r>> {
    let m = vg.main;
    let word = s.norm(m);
    let mut out = Vec::new();
    let particles_match = |before: &[String], after: &[String]| -> Option<usize> {
        for (i, p) in after.iter().enumerate() {
            if s.norm(m + 1 + i) != p {
                return None;
            }
        }
        for (i, p) in before.iter().rev().enumerate() {
            if m < i + 1 || s.norm(m - 1 - i) != p {
                return None;
            }
        }
        Some(m + 1 + after.len())
    };
    let mut order = 0;
    for &(v, f) in res.lexicon.supplement_forms(word) {
        let Some(verb) = res.lexicon.supplement.verbs.get(v) else {
            continue;
        };
        let Some(form) = verb.forms.get(f) else {
            continue;
        };
        if let Some(after) = particles_match(&form.before, &form.after) {
            out.push(VerbReading {
                after,
                default_code: verb.code.clone(),
                line: verb.line,
                patterns: res.lexicon.supplement_patterns(v),
                needed: block_needs(&res.needed_words.supplement, verb.block),
                file: "verbs.supplement.txt",
                order,
                written: &verb.written,
            });
            order += 1;
        }
    }
    let mut forms = res.kb.verb_forms(word);
    if forms.is_empty() && !vg.lemma.is_empty() {
        forms = res.kb.verb_forms(&vg.lemma);
    }
    for (verb, form) in forms {
        if let Some(after) = particles_match(&form.before, &form.after) {
            let block_code = verb.code.clone();
            out.push(VerbReading {
                after,
                default_code: block_code,
                line: verb.line,
                patterns: res.kb.patterns(verb),
                needed: block_needs(&res.needed_words.kb, verb.block),
                file: res.verb_file,
                order,
                written: &verb.written,
            });
            order += 1;
        }
    }
    // Phrasal readings (more particles) first.
    out.sort_by_key(|r| (std::cmp::Reverse(r.after), r.order));
    out
}

fn block_needs(blocks: &[Vec<u64>], block: u32) -> &[u64] {
    blocks.get(block as usize).map_or(&[], Vec::as_slice)
}

fn code_verb(res: &Resources<'_>, s: &Sentence<'_>, vg: &VerbGroup) -> Option<Coding> {
    let readings = readings(res, s, vg);
    let first = readings.first()?;
    let mut limit = (first.after + WINDOW).min(s.n());
    if let Some(comma) = (first.after..limit).find(|&k| {
        s.norm(k) == ","
            && s.mention_at.get(k + 1).copied().flatten().is_none()
            && !matches!(s.norm(k + 1), "and" | "or" | "including")
    }) {
        limit = comma;
    }
    // A speech verb's patterns read its own phrase (`denied the accusation`), not the
    // clause it reports (`said the rebels will attack`: that verb is coded on its own).
    if res.lexicon.is("speech", &vg.lemma)
        && let Some(next) = s
            .verbs
            .iter()
            .map(|v| v.tokens.start)
            .find(|&start| start >= first.after)
    {
        limit = limit.min(next);
    }
    let mut best: Option<(u32, usize, &Pattern, &VerbReading, PatternHit)> = None;
    for (r, reading) in readings.iter().enumerate() {
        let limit = (reading.after + WINDOW)
            .min(s.n())
            .min(limit.max(reading.after));
        // The words in reach (forms and lemmas): a pattern needing others cannot match.
        let present = (reading.after..limit).fold(0, |bits, k| {
            let lemma = s.words.lemma.get(k).map_or("", String::as_str);
            bits | word_bit(s.norm(k)) | word_bit(lemma)
        });
        for (p, pattern) in reading.patterns.iter().enumerate() {
            if reading
                .needed
                .get(p)
                .is_some_and(|&needed| needed & !present != 0)
            {
                continue;
            }
            let mut hit = PatternHit::default();
            if !pattern.before.is_empty()
                && !match_before(res, s, &pattern.before, vg.tokens.start, &mut hit)
            {
                continue;
            }
            if !pattern.after.is_empty()
                && match_sequence(
                    res,
                    s,
                    &pattern.after,
                    reading.after,
                    limit,
                    FIRST_GAP,
                    GAP,
                    &mut hit,
                )
                .is_none()
            {
                continue;
            }
            // (borrowed is tested only for the few patterns that match)
            if hit.score == 0 || borrowed_particle_pattern(pattern, reading.written) {
                continue;
            }
            // `welcomed Barrow's return to Gambia`: a particle inside a noun phrase after the
            // verb belongs to its noun, not to the verb (`welcomed X to Y` is a visit).
            if particle_only(pattern)
                && let Some(at) = hit.first_word
                && (reading.after..at).any(|j| {
                    matches!(s.words.tag(j), PosTag::NN | PosTag::NNS)
                        && s.words.lowercase(j)
                        && s.mention_at.get(j).copied().flatten().is_none()
                })
            {
                continue;
            }
            let better = match &best {
                None => true,
                Some((score, rank, ..)) => hit.score > *score || (hit.score == *score && r < *rank),
            };
            if better {
                best = Some((hit.score, r, pattern, reading, hit));
            }
        }
    }
    if let Some((score, _, pattern, reading, hit)) = best {
        let code = pattern.code.primary.clone()?;
        // `came to this country`: a particle alone says no more than the verb's default
        // reading, which needs an actor as target; a `+` in it has found one.
        let specificity = if particle_only(pattern) && hit.target.is_none() {
            0
        } else {
            score
        };
        return Some(Coding {
            code,
            pattern: format!("{}:{} {}", reading.file, pattern.line, pattern.text),
            specificity,
            pattern_target: hit.target,
            pattern_source: hit.source,
            theme: hit.theme,
            after: reading.after,
        });
    }
    // `take`, `give`, `make`: a light verb's default code says nothing without a pattern.
    if res.lexicon.is("light_verb", &vg.lemma) {
        return None;
    }
    let reading = readings.iter().find(|r| r.default_code.is_some())?;
    Some(Coding {
        code: reading.default_code.clone()?,
        pattern: format!(
            "{}:{} {} [{}]",
            reading.file,
            reading.line,
            reading.written,
            reading.default_code.clone().unwrap_or_default()
        ),
        specificity: 0,
        pattern_target: None,
        pattern_source: None,
        theme: None,
        after: reading.after,
    })
}

/// Particles and light words that make a phrasal reading of one verb (`head to`, `take
/// part`), not a reading every verb of its block shares.
const PARTICLES: &[&str] = &[
    "to", "from", "for", "in", "on", "with", "at", "into", "out", "up", "off", "down", "over",
    "back", "away", "about", "against", "by", "part",
];

/// True for a pattern of only particles (`- * TO [030] # HEAD`, `- * PART [030] # TAKE`) or
/// only prepositional phrases, written for another verb of the block than `written`: a verb block shares its patterns,
/// but a phrasal reading belongs to the verb its comment names (`ordered X to appear` is no
/// `head to`, `captured part of` no `take part`).
fn borrowed_particle_pattern(pattern: &Pattern, written: &str) -> bool {
    // (the cheap tests first: most patterns are neither particles nor phrases only)
    if pattern.code.primary.is_none() || !(particle_only(pattern) || phrase_only(pattern)) {
        return false;
    }
    let named = pattern.comment.split_whitespace().next().unwrap_or("");
    if named.is_empty() || !named.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return false;
    }
    let own = written.trim_start_matches('+');
    let own = own.split('_').next().unwrap_or(own);
    // A borrowed `[---]` (`this is no event`) reading is kept: it errs on the side of silence.
    named.split('_').next() != Some(own)
}

/// True for a pattern of only prepositional phrases after the verb (`- * (IN &DETENTION)
/// [173] # PLACE`, `- * (ON TRIAL) [173] # PUT`): an idiom of the verb its comment names
/// (`placed in detention`), not of the block's other verbs (`staged a strike in prison`).
fn phrase_only(pattern: &Pattern) -> bool {
    use dyad_kb::PatternElement as E;
    pattern.before.is_empty()
        && pattern.after.iter().any(|e| matches!(e, E::PrepPhrase(_)))
        && pattern
            .after
            .iter()
            .all(|e| matches!(e, E::PrepPhrase(_) | E::Target | E::Source))
}

/// True for a pattern of only particles after the verb (`- * (TO) [040]`, `- * PART`).
fn particle_only(pattern: &Pattern) -> bool {
    use dyad_kb::PatternElement as E;
    fn particle(e: &E) -> bool {
        match e {
            E::Word(w) => PARTICLES.contains(&w.as_str()),
            E::PrepPhrase(inner) => inner.iter().all(particle),
            E::Target | E::Source => true,
            _ => false,
        }
    }
    pattern.before.is_empty() && !pattern.after.is_empty() && pattern.after.iter().all(particle)
}

/// The verb group governing an infinitive (`vowed` for `to defend`), and whether an
/// adjective cue stands between (`ready to`).
fn governor_of(s: &Sentence<'_>, g: usize) -> Option<(Option<usize>, String, usize)> {
    let vg = s.verbs.get(g)?;
    let mut k = vg.tokens.start;
    let mut steps = 0;
    while k > 0 && steps < 6 {
        k -= 1;
        steps += 1;
        if let Some(h) = s.vg_at[k] {
            let lemma = s.verbs[h].lemma.clone();
            return Some((Some(h), lemma, s.verbs[h].main));
        }
        let tag = s.words.tag(k);
        if tag.is_adjective() || matches!(s.norm(k), "due" | "ready" | "prepared" | "about") {
            return Some((None, s.words.lemma[k].clone(), k));
        }
        if matches!(tag, PosTag::Comma | PosTag::Period | PosTag::Colon) {
            return None;
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Intent,
    Future,
    Negator,
    /// `continued to send`, `began to withdraw`: the complement happens as the governor does.
    Aspect,
}

fn control(res: &Resources<'_>, s: &Sentence<'_>, g: usize) -> Option<(Control, Option<usize>)> {
    let vg = s.verbs.get(g)?;
    if !vg.infinitive {
        return None;
    }
    let (governor, lemma, _) = governor_of(s, g)?;
    let lemma = lemma.as_str();
    let kind = if res.lexicon.is("negator", lemma) {
        Control::Negator
    } else if res.lexicon.is("intent", lemma) {
        Control::Intent
    } else if res.lexicon.is("future", lemma) {
        // `is to meet` but not `was there to meet`
        if lemma == "be" && governor.is_some_and(|h| s.verbs[h].tokens.end != vg.tokens.start) {
            return None;
        }
        Control::Future
    } else if res.lexicon.is("aspect", lemma) {
        Control::Aspect
    } else {
        return None;
    };
    Some((kind, governor))
}

fn speaker_of(
    res: &Resources<'_>,
    doc: &Document,
    s: &Sentence<'_>,
    speech: usize,
) -> Option<Speaker> {
    let mut subject = subject_of(res, s, speech, 0);
    if subject.is_empty() {
        // `..., said the ministry` / `..., the ministry said`: the actor right after.
        let vg = s.verbs.get(speech)?;
        if let Some(m) = s
            .mention_at
            .get(vg.tokens.end)
            .copied()
            .flatten()
            .or_else(|| s.mention_at.get(vg.tokens.end + 1).copied().flatten())
        {
            subject = vec![m];
        }
    }
    let m = *subject.first()?;
    let mention = s.mentions.get(m)?;
    Some(Speaker {
        name: mention.name.clone(),
        entity: mention.entity,
        range: Some(s.doc_range(doc, mention.start, mention.end)),
    })
}

/// Modality and speaker of an event expressed at token `at` (the verb or trigger).
fn modality(
    res: &Resources<'_>,
    doc: &Document,
    s: &Sentence<'_>,
    at: usize,
    g: Option<usize>,
) -> (Modality, Option<Speaker>) {
    // conditional: inside an `if` clause, or a modal main clause of an `if` sentence
    let mut if_at = None;
    for k in 0..s.n() {
        if res.lexicon.is("condition", s.norm(k)) {
            if_at = Some(k);
        }
        if k >= at {
            break;
        }
    }
    let has_if = (0..s.n()).any(|k| res.lexicon.is("condition", s.norm(k)));
    let vg = g.and_then(|g| s.verbs.get(g));
    let modal = vg.and_then(|v| v.modal.as_deref());
    if if_at.is_some() || (has_if && matches!(modal, Some("would" | "will" | "could" | "might"))) {
        return (Modality::Conditional, None);
    }
    if let Some(g) = g {
        match control(res, s, g) {
            Some((Control::Intent, _)) => return (Modality::Intended, None),
            Some((Control::Future, _)) => return (Modality::Future, None),
            // `will continue to send`: the governor's modality.
            Some((Control::Aspect, Some(h))) if h != g => {
                return modality(res, doc, s, s.verbs[h].main, Some(h));
            }
            _ => {}
        }
    }
    if matches!(modal, Some("will" | "shall" | "'ll"))
        || vg.is_some_and(|v| v.tense == Tense::Future)
        || g.is_some_and(|g| backshifted(res, s, g))
    {
        return (Modality::Future, None);
    }
    // inside a quote: the speaker's claim
    if s.in_quote.get(at).copied().unwrap_or(false) {
        let speaker = s.quote_speaker.clone().or_else(|| {
            (0..s.verbs.len())
                .find(|&h| {
                    !s.in_quote.get(s.verbs[h].main).copied().unwrap_or(true)
                        && res.lexicon.is("speech", &s.verbs[h].lemma)
                })
                .and_then(|h| speaker_of(res, doc, s, h))
        });
        return (Modality::Claimed, speaker);
    }
    // reported: a speech verb elsewhere in the sentence, or `according to`
    if let Some(h) = reporting_verb(res, s, at, g) {
        return (Modality::Reported, speaker_of(res, doc, s, h));
    }
    if let Some(k) =
        (0..s.n().saturating_sub(1)).find(|&k| s.norm(k) == "according" && s.norm(k + 1) == "to")
    {
        let speaker = s
            .mention_at
            .get(k + 2)
            .copied()
            .flatten()
            .or_else(|| s.mention_at.get(k + 3).copied().flatten())
            .and_then(|m| {
                let mention = s.mentions.get(m)?;
                Some(Speaker {
                    name: mention.name.clone(),
                    entity: mention.entity,
                    range: Some(s.doc_range(doc, mention.start, mention.end)),
                })
            });
        return (Modality::Reported, speaker);
    }
    (Modality::Asserted, None)
}

/// True when token `at` is inside the condition itself (`unless the president agrees to
/// step down`, `if Hamas runs`): a hypothesis, not an event. The consequence (`will boycott
/// the elections unless ...`) is coded, as `conditional`.
fn in_protasis(res: &Resources<'_>, s: &Sentence<'_>, at: usize) -> bool {
    let Some(open) = (0..at)
        .rev()
        .find(|&k| res.lexicon.is("condition", s.norm(k)))
    else {
        return false;
    };
    !(open..at).any(|k| matches!(s.norm(k), "," | ";" | ":" | "then"))
}

/// The speech verb (outside quotes) that reports the action at token `at`: before it (`X
/// said that ...`) or after it behind a comma near the end (`..., X said`).
fn reporting_verb(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    at: usize,
    g: Option<usize>,
) -> Option<usize> {
    (0..s.verbs.len()).find(|&h| {
        let speech = &s.verbs[h];
        if Some(h) == g
            || !res.lexicon.is("speech", &speech.lemma)
            || s.in_quote.get(speech.main).copied().unwrap_or(false)
        {
            return false;
        }
        let before = speech.tokens.end <= at;
        let after_comma = speech.tokens.start > at
            && (at..speech.tokens.start).any(|k| s.norm(k) == ",")
            && speech.tokens.end + 8 >= s.n();
        before || after_comma
    })
}

/// `would` in reported speech is the speaker's `will` (`Russia said it would impose ...`).
fn backshifted(res: &Resources<'_>, s: &Sentence<'_>, g: usize) -> bool {
    s.verbs.get(g).is_some_and(|vg| {
        vg.modal.as_deref() == Some("would") && reporting_verb(res, s, vg.main, Some(g)).is_some()
    })
}

/// An action in the complement of a commitment, a threat or a refusal, coded as what the
/// governor makes of it (`data/composition.tsv`): `threatened to ban` → `1322`, `vowed to
/// attack` → `138`, `Hungary said it will support` → `032`, `refused to meet` → `125`.
struct Composition {
    frame: &'static str,
    code: String,
    /// The governor's token (`threatened`, `prepared`, or the speech verb) and verb group.
    token: usize,
    group: Option<usize>,
}

fn composition(res: &Resources<'_>, s: &Sentence<'_>, g: usize, code: &str) -> Option<Composition> {
    let vg = s.verbs.get(g)?;
    if vg.infinitive {
        // `agreed to be interviewed by X`: the governor's subject is not the agent.
        if vg.passive {
            return None;
        }
        let (group, lemma, token) = governor_of(s, g)?;
        let mut frame = ["threat", "refusal", "commit"]
            .into_iter()
            .find(|f| res.lexicon.is(f, &lemma))?;
        // `vowed to withdraw its force unless ...`: a promise on a condition is a threat.
        if frame == "commit" && unless_follows(s, vg) {
            frame = "threat";
        }
        // `vowed not to attack` promises restraint; it threatens nothing.
        if frame != "refusal" && vg.negated {
            return None;
        }
        if group.is_some_and(|h| negated(res, s, h)) {
            return None;
        }
        let code = res.lexicon.compose(frame, code)?.to_string();
        return Some(Composition {
            frame,
            code,
            token,
            group,
        });
    }
    // A speaker's own `will` / `would`: `Hungary said it will support`, `the farmers said
    // they would blockade Paris`.
    let future = matches!(
        vg.modal.as_deref(),
        Some("will" | "shall" | "'ll" | "would")
    ) || vg.tense == Tense::Future;
    if !future {
        return None;
    }
    // `Syria says it will not accept refugees`: a speaker's own `will not` refuses (only
    // cooperation can be refused; `will not attack` stays a negated attack). `will
    // withdraw unless ...`: a conditional promise of an action is a threat.
    let frame = if vg.negated {
        "refusal"
    } else if unless_follows(s, vg) {
        "threat"
    } else {
        "commit"
    };
    let speech = reporting_verb(res, s, vg.main, Some(g))?;
    let code = res.lexicon.compose(frame, code)?.to_string();
    Some(Composition {
        frame,
        code,
        token: s.verbs[speech].main,
        group: Some(speech),
    })
}

/// The actor a protest is against: the first mention a few words after a `protest_cue`
/// (`against`, `to protest`, `in defiance of`) that follows the verb phrase, within the
/// sentence's next 20 words. Only determiners, adjectives and prepositions may stand
/// between the cue and the mention, or a noun phrase whose `by` agent it is (`in protest
/// against the violations by the security forces`).
fn protested(res: &Resources<'_>, s: &Sentence<'_>, after: usize) -> Option<usize> {
    let end = (after + 20).min(s.n());
    let cue = (after..end).find(|&k| res.lexicon.is("protest_cue", s.norm(k)))?;
    // After a noun (`the rights violations by X`) only the noun's `by` agent is the target:
    // `to protest the arrest of X` is not aimed at X.
    let mut noun_seen = false;
    let by_agent = |k: usize| {
        (cue + 1..k)
            .rev()
            .find(|&j| !matches!(s.words.tag(j), PosTag::DT | PosTag::JJ))
            .is_some_and(|j| s.norm(j) == "by")
    };
    for k in cue + 1..(cue + 10).min(s.n()) {
        if let Some(m) = s.mention_at.get(k).copied().flatten() {
            if noun_seen && !by_agent(k) {
                return None;
            }
            // `against the party's leader Mahmoud Abbas`: the possessed actor, if named.
            let end = s.mentions.get(m).map_or(k + 1, |x| x.end);
            if matches!(s.norm(end), "'s" | "'") {
                let owned = (end + 1..(end + 4).min(s.n()))
                    .find_map(|j| s.mention_at.get(j).copied().flatten());
                return owned.or(Some(m));
            }
            return Some(m);
        }
        let tag = s.words.tag(k);
        if matches!(tag, PosTag::NN | PosTag::NNS) && s.words.lowercase(k) {
            noun_seen = true;
        } else if !(matches!(tag, PosTag::DT | PosTag::IN | PosTag::JJ | PosTag::PRPS)
            || res.lexicon.is("protest_cue", s.norm(k)))
            || (!noun_seen && k >= cue + 6)
        {
            return None;
        }
    }
    None
}

/// The author of a request noun (`request_noun`: `offer`, `appeal`, `plan`) that opens the
/// object after `after`: an actor right before it, past adjectives and noun modifiers (`a
/// US offer`, `a Senegalese peace plan`, `Israel's proposal`), else one after `from` / `by` /
/// `of` (`an appeal from President Gbagbo`).
fn request_author(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    after: usize,
    limit: usize,
) -> Option<usize> {
    let end = (after + 6).min(limit).min(s.n());
    let noun = (after..end).find(|&k| {
        s.words.tag(k).is_noun() && res.lexicon.is("request_noun", s.words.lemma[k].as_str())
    })?;
    // Only a determiner, adjectives, nouns and one mention may open the phrase.
    let mut author = None;
    for k in after..noun {
        if let Some(m) = s.mention_at.get(k).copied().flatten() {
            author = Some(m);
            continue;
        }
        let tag = s.words.tag(k);
        if !(matches!(tag, PosTag::DT | PosTag::JJ | PosTag::POS | PosTag::VBN) || tag.is_noun()) {
            return None;
        }
    }
    if author.is_some() {
        return author;
    }
    if !matches!(s.norm(noun + 1), "from" | "by" | "of") {
        return None;
    }
    phrase_actors(s, noun + 2, s.n()).first().copied()
}

/// The antecedent of an object relative clause opened by `whom` before the verb group
/// starting at `start` (`refugees, whom authorities blame`): the mention just before `whom`.
fn object_relative_antecedent(s: &Sentence<'_>, start: usize) -> Option<usize> {
    let whom = (start.saturating_sub(8)..start)
        .rev()
        .take_while(|&k| s.vg_at[k].is_none())
        .find(|&k| s.norm(k) == "whom")?;
    let before = match whom.checked_sub(1)? {
        k if s.norm(k) == "," => k.checked_sub(1)?,
        k => k,
    };
    s.mention_at.get(before).copied().flatten()
}

/// Whether an `unless` clause follows the verb group in its sentence (before a semicolon).
fn unless_follows(s: &Sentence<'_>, vg: &VerbGroup) -> bool {
    (vg.tokens.end..s.n())
        .map(|k| s.norm(k))
        .take_while(|w| *w != ";")
        .any(|w| w == "unless")
}

/// Whether the action at verb group `g` is said not to have happened.
fn negated(res: &Resources<'_>, s: &Sentence<'_>, g: usize) -> bool {
    let Some(vg) = s.verbs.get(g) else {
        return false;
    };
    if vg.negated {
        return true;
    }
    // `Iran never met ...`: an adverb just before the group.
    let before = vg.tokens.start;
    if (before.saturating_sub(2)..before).any(|k| matches!(s.norm(k), "never" | "not" | "n't")) {
        return true;
    }
    match control(res, s, g) {
        Some((Control::Negator, _)) => return true,
        // `did not continue to send`
        Some((Control::Aspect, Some(h))) if h != g && negated(res, s, h) => return true,
        _ => {}
    }
    let start = vg.tokens.start;
    let window: Vec<&str> = (start.saturating_sub(4)..(start + 1).min(s.n()))
        .map(|k| s.norm(k))
        .collect();
    let text = window.join(" ");
    if res.lexicon.cues("negphrase").any(|p| text.contains(p)) {
        return true;
    }
    // `denied that X attacked Y`, `stopped short of confirming reports that X met Y`:
    // the complement of a denial or of a negated verb did not happen (as far as the text says).
    (0..g).any(|h| {
        let that = (s.verbs[h].tokens.end..start).any(|k| s.norm(k) == "that");
        that && (s.verbs[h].lemma == "deny" || (h + 1 < g + 1 && h != g && negated(res, s, h)))
    })
}

fn actor(doc: &Document, s: &Sentence<'_>, m: usize) -> Option<EventActor> {
    let mention = s.mentions.get(m)?;
    Some(EventActor {
        range: s.doc_range(doc, mention.start, mention.end),
        name: mention.name.clone(),
        code: mention.code.clone(),
        entity: mention.entity,
    })
}

#[allow(clippy::too_many_arguments)]
fn build_events(
    res: &Resources<'_>,
    doc: &Document,
    s: &Sentence<'_>,
    sources: &[usize],
    targets: &[usize],
    code: &str,
    pattern: &str,
    evidence: TextRange,
    negated: bool,
    modality: (Modality, Option<Speaker>),
    specificity: u32,
) -> Vec<Event> {
    let mut out = Vec::new();
    let target_list: Vec<Option<usize>> = if targets.is_empty() {
        vec![None]
    } else {
        targets.iter().copied().map(Some).collect()
    };
    for &source in sources {
        for &target in &target_list {
            let Some(mut source_actor) = actor(doc, s, source) else {
                continue;
            };
            let mut target_actor = target.and_then(|t| actor(doc, s, t));
            let (sm, tm) = (&s.mentions[source], target.and_then(|t| s.mentions.get(t)));
            // `de Mistura implored them`: a pronoun object is not the subject's own side; of
            // its referents, take the first another actor could be.
            if let (Some(tm), Some(ta)) = (tm, target_actor.as_mut())
                && tm.resolved
                && tm.code == sm.code
                && tm.name != sm.name
                && let Some((code, name, entity)) =
                    tm.alternatives.iter().find(|(code, _, _)| code != &sm.code)
            {
                ta.code = code.clone();
                ta.name = name.clone();
                ta.entity = *entity;
            }
            if let Some(tm) = tm
                && (tm.code == sm.code && tm.name == sm.name)
            {
                // An actor does not act on itself: a pronoun then means another referent.
                let other = sm
                    .alternatives
                    .iter()
                    .find(|(code, name, _)| code != &tm.code && name != &tm.name);
                match other {
                    Some((code, name, entity)) if sm.resolved => {
                        source_actor.code = code.clone();
                        source_actor.name = name.clone();
                        source_actor.entity = *entity;
                    }
                    _ => continue,
                }
            }
            if sm.code.is_empty() {
                continue;
            }
            let mut confidence = 0.5 + 0.1 * specificity.min(3) as f32;
            if sm.resolved {
                confidence -= 0.1;
            }
            if !sm.anchored {
                confidence -= 0.15;
            }
            match tm {
                Some(tm) if !tm.anchored => confidence -= 0.1,
                Some(_) => confidence += 0.05,
                None => confidence -= 0.1,
            }
            out.push(Event {
                sentence: s.index as u32,
                source: source_actor,
                target: target_actor,
                cameo: code.to_string(),
                plover: res.kb.plover_for(code),
                quad_class: res.kb.quad_class(code),
                goldstein: res.kb.goldstein(code).unwrap_or(0.0),
                negated,
                modality: modality.0,
                confidence: confidence.clamp(0.05, 0.95),
                evidence,
                pattern: pattern.to_string(),
                speaker: modality.1.clone(),
                date: None,
                place: None,
                source_place: None,
                target_place: None,
            });
        }
    }
    out
}

fn code_sentence(res: &Resources<'_>, doc: &Document, s: &Sentence<'_>) -> Vec<Event> {
    let mut candidates: Vec<Candidate> = Vec::new();
    for (g, vg) in s.verbs.iter().enumerate() {
        // Bare participles and gerunds (`insisting`, `holed up`) are not coded on their own,
        // nor is `could` / `would` (`Russia would attack`) — except reported speech's `will`
        // (`Russia said it would impose sanctions`).
        // A participle with its agent (`talks brokered by Russia and Turkey`) reports a
        // done deed, as a passive clause would.
        let reduced_agent = (vg.tense == Tense::Nonfinite
            && !vg.infinitive
            && s.words.tag(vg.main) == PosTag::VBN
            && s.norm(vg.tokens.end) == "by")
            .then(|| phrase_actors(s, vg.tokens.end + 1, (vg.tokens.end + 6).min(s.n())))
            .filter(|agent| !agent.is_empty());
        let reduced = reduced_agent.is_some();
        if vg.tense == Tense::Nonfinite && !vg.infinitive && !backshifted(res, s, g) && !reduced {
            continue;
        }
        let control = control(res, s, g);
        if vg.infinitive && control.is_none() {
            continue;
        }
        // `agreed to be interviewed by the senators`: who acts is not who intends.
        if vg.infinitive && vg.passive && matches!(control, Some((Control::Intent, _))) {
            continue;
        }
        let Some(coding) = code_verb(res, s, vg) else {
            continue;
        };
        // `the government led by X`, `a parliament dominated by the PSD`, `BYD, backed by
        // Buffett`: most participles with an agent describe a standing relation; only deeds
        // (`brokered`, `arrested`, `attacked`, `condemned by`) are events.
        let deed = |len: usize| res.lexicon.lists_code("participle_root", &coding.code, len);
        if reduced && (!(deed(2) || deed(3)) || res.lexicon.is("stative_participle", &vg.lemma)) {
            continue;
        }
        if in_protasis(res, s, vg.main) {
            continue;
        }
        if res.lexicon.is("skip_code", &coding.code)
            || (coding.specificity == 0 && res.lexicon.is("speech", &vg.lemma))
        {
            continue;
        }
        let limit = s.clause_end(res, coding.after).max(coding.after);
        let tree = s.tree();
        if tree.is_some_and(|t| roles::under_directive(res, s, t, vg.main))
            || after_directive_noun(res, s, vg.tokens.start)
        {
            continue;
        }
        let subject = tree
            .map(|t| roles::subject(s, t, vg.main))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| match control {
                Some((_, Some(h))) => subject_of(res, s, h, 0),
                _ => subject_of(res, s, g, 0),
            });
        let (mut sources, mut targets) = if vg.passive {
            let agent = tree
                .map(|t| roles::passive_agent(s, t, vg.main))
                .filter(|x| !x.is_empty())
                .unwrap_or_else(|| passive_agent(s, coding.after, limit));
            (agent, subject)
        } else {
            let objects = tree
                .map(|t| roles::objects(res, s, t, vg.main, &coding.code))
                .filter(|x| !x.is_empty())
                .map(|group| s.with_including(group))
                .unwrap_or_else(|| objects_after(res, s, coding.after, limit, &coding.code));
            (subject, objects)
        };
        // `launched artillery against the camps`: the weapon the pattern named is no target;
        // the actor after it is.
        if let Some((from, to)) = coding.theme
            && targets
                .iter()
                .any(|&t| s.mentions[t].start < to && from < s.mentions[t].end)
        {
            let last = targets
                .iter()
                .map(|&t| s.mentions[t].end)
                .max()
                .unwrap_or(to);
            targets.retain(|&t| !(s.mentions[t].start < to && from < s.mentions[t].end));
            if targets.is_empty() {
                targets = objects_after(res, s, to.max(last), limit, &coding.code);
            }
        }
        if let Some(agent) = reduced_agent {
            // The participle's agent acts on the actor it describes, if it describes one
            // (`the rebels, backed by Russia`).
            sources = agent;
            targets = tree
                .and_then(|t| roles::described(s, t, vg.main))
                .filter(|m| !sources.contains(m))
                .into_iter()
                .collect();
        }
        // A participle without an actor it describes states a condition (`a channel
        // disputed by Argentina and Chile`), except for codes that never need a target.
        if reduced
            && targets.is_empty()
            && !res.lexicon.lists_code("one_actor_root", &coding.code, 3)
        {
            continue;
        }
        // `rejected a US offer`, `dismissed an appeal from President Gbagbo`: a response to
        // a request answers whoever made it.
        if targets.is_empty()
            && !vg.passive
            && res
                .lexicon
                .lists_code("author_target_root", &coding.code, 2)
            && let Some(author) = request_author(res, s, coding.after, limit)
            && !sources.contains(&author)
        {
            targets = vec![author];
        }
        // `withdraw their peacekeeping force from Chad`: a withdrawal leaves whom its `from`
        // phrase names.
        if targets.is_empty()
            && !vg.passive
            && res.lexicon.lists_code("from_target_code", &coding.code, 3)
            && let Some(from) = (coding.after..limit).find(|&k| s.norm(k) == "from")
        {
            targets = phrase_actors(s, from + 1, limit);
            targets.retain(|x| !sources.contains(x));
        }
        // The topic of a refusal to comment is not its target.
        if res.lexicon.is("targetless_code", &coding.code) {
            targets.clear();
        }
        // `refugees, whom the government blames for the conflict`: an object relative
        // clause acts on its antecedent; it is never the subject.
        if !vg.passive
            && let Some(antecedent) = object_relative_antecedent(s, vg.tokens.start)
        {
            let group = s.coordinated_left(antecedent);
            sources.retain(|x| !group.contains(x));
            if targets.is_empty() {
                targets = group;
            }
        }
        // `North Korea fired artillery at Seoul`: the source's own weapons and forces (an
        // agent given the source's country, not named with one) are what it uses, not its
        // target; the `at` phrase is.
        if !vg.passive
            && res.lexicon.lists_code("aimed_root", &coding.code, 2)
            && let Some(t) = tree
        {
            let country = |m: usize| s.mentions.get(m).and_then(|x| x.code.get(..3));
            let own = |t: usize| {
                s.mentions
                    .get(t)
                    .is_some_and(|x| !x.anchored && x.entity.is_none() && x.code.ends_with("MIL"))
                    && sources.iter().any(|&src| country(src) == country(t))
            };
            if !targets.is_empty() && targets.iter().all(|&x| own(x)) {
                let mut aimed = roles::aimed_objects(s, t, vg.main);
                aimed.retain(|x| !sources.contains(x) && !targets.contains(x));
                if !aimed.is_empty() {
                    targets = aimed;
                }
            }
        }
        // `demanded that the US cancel ...`: a demand, appeal, accusation or threat worded
        // as a clause is addressed to the clause's subject.
        if targets.is_empty()
            && !vg.passive
            && res
                .lexicon
                .lists_code("clausal_target_root", &coding.code, 2)
            && let Some(t) = tree
        {
            targets = roles::complement_subject(s, t, vg.main);
            targets.retain(|x| !sources.contains(x));
        }
        // `staged rallies in Gaza against the party's leader`, `began a hunger strike to
        // protest Sweden's decision`: a protest is aimed at whom it is against.
        if !vg.passive
            && res.lexicon.lists_code("protest_root", &coding.code, 2)
            && let Some(m) = protested(res, s, coding.after)
            && !sources.contains(&m)
        {
            targets = vec![m];
        }
        if let Some(src) = coding.pattern_source {
            sources = vec![src];
        }
        if let Some(t) = coding.pattern_target {
            targets = s.coordinated_right(t, limit);
        }
        // A pattern's object phrase names its target (`clashed over the efforts of Eriador`,
        // `criticized the closure of Israeli schools`): the first actor of an `of` phrase
        // after the verb, when nothing else was found.
        if targets.is_empty() && coding.specificity > 0 && !vg.passive {
            targets = of_phrase_actor(s, coding.after, limit)
                .into_iter()
                .filter(|m| !sources.contains(m))
                .collect();
        }
        if sources.is_empty() {
            continue;
        }
        // Symmetric actions between coordinated subjects (`Belarus and Russia negotiated`):
        // one event, first to second (the annotation guide's rule).
        if targets.is_empty() && sources.len() >= 2 && !vg.passive && !reduced {
            targets = sources.split_off(1);
            targets.truncate(1);
        }
        // A verb coded only by its default code needs a target to be an interaction.
        if targets.is_empty()
            && coding.specificity == 0
            && !res.lexicon.lists_code("one_actor_root", &coding.code, 2)
            && !res.lexicon.lists_code("one_actor_root", &coding.code, 3)
        {
            continue;
        }
        let evidence = s.doc_range(doc, vg.tokens.start, coding.after.max(vg.main + 1));
        if let Some(c) = composition(res, s, g, &coding.code) {
            let composed = compose_events(res, doc, s, g, &c, &coding, &sources, &targets);
            // The statement of intent or threat replaces the action; a refusal keeps it too,
            // as a negated event.
            let replaces = c.frame != "refusal" && !composed.is_empty();
            candidates.extend(composed.into_iter().map(|event| Candidate {
                event,
                verb: Some(g),
                governor: c.group,
                nominal: false,
                specificity: coding.specificity,
            }));
            if replaces {
                continue;
            }
        }
        let events = build_events(
            res,
            doc,
            s,
            &sources,
            &targets,
            &coding.code,
            &coding.pattern,
            evidence,
            negated(res, s, g),
            modality(res, doc, s, vg.main, Some(g)),
            coding.specificity,
        );
        candidates.extend(events.into_iter().map(|event| Candidate {
            event,
            governor: None,
            verb: Some(g),
            nominal: false,
            specificity: coding.specificity,
        }));
    }
    candidates.extend(nominal_events(res, doc, s));
    candidates.extend(directive_statements(res, doc, s));
    conditional_threat_targets(res, doc, s, &mut candidates);
    resolve_conflicts(candidates)
}

/// `threatened to stop negotiations if the United States goes ahead`: a threat with no target
/// is aimed at whoever its condition is about, the subject of the `if` / `unless` clause after
/// it (within four words, before that clause's verb).
fn conditional_threat_targets(
    res: &Resources<'_>,
    doc: &Document,
    s: &Sentence<'_>,
    candidates: &mut [Candidate],
) {
    for c in candidates.iter_mut() {
        if c.event.target.is_some() || !c.event.cameo.starts_with("13") {
            continue;
        }
        let end = c.event.evidence.end();
        let Some(after) = (0..s.n()).find(|&k| s.doc_range(doc, k, k + 1).start() >= end) else {
            continue;
        };
        let Some(cue) = (after..s.n()).find(|&k| res.lexicon.is("condition", s.norm(k))) else {
            continue;
        };
        let subject = (cue + 1..(cue + 5).min(s.n()))
            .take_while(|&k| s.vg_at[k].is_none())
            .find_map(|k| s.mention_at[k]);
        if let Some(m) = subject
            && let Some(target) = actor(doc, s, m)
            && target.code != c.event.source.code
        {
            c.event.target = Some(target);
        }
    }
}

/// True when the verb group starting at `start` opens the `that` clause of a directive noun
/// (`reiterated its demand today that Israel ease restrictions`): the clause is asked for,
/// not reported as done. A time word may stand between the noun and `that`.
fn after_directive_noun(res: &Resources<'_>, s: &Sentence<'_>, start: usize) -> bool {
    let Some(that) = (0..start)
        .rev()
        .take_while(|&k| !s.words.tag(k).is_verb() && s.words.tag(k) != PosTag::MD)
        .find(|&k| s.norm(k) == "that")
    else {
        return false;
    };
    (that.saturating_sub(2)..that).any(|k| {
        s.words.tag(k).is_noun()
            && !s.words.tag(k).is_proper_noun()
            && s.words
                .lemma
                .get(k)
                .is_some_and(|l| res.lexicon.is("directive", l))
    })
}

/// The events of a [`Composition`]: the governor's subject acts, with the governor's
/// negation and modality. A speaker's `will` counts only when the source is the speaker
/// (`Hungary said it will support`, not `officials said the rebels will attack`), and a
/// speaker stating his own intent asserts it.
#[allow(clippy::too_many_arguments)]
fn compose_events(
    res: &Resources<'_>,
    doc: &Document,
    s: &Sentence<'_>,
    g: usize,
    c: &Composition,
    coding: &Coding,
    sources: &[usize],
    targets: &[usize],
) -> Vec<Event> {
    let vg = &s.verbs[g];
    let mut sources = sources.to_vec();
    let speaker_codes: Vec<&str> = match c.group {
        Some(h) if !vg.infinitive => {
            let speakers = s
                .tree()
                .map(|t| roles::subject(s, t, s.verbs[h].main))
                .unwrap_or_default();
            let speakers = if speakers.is_empty() {
                subject_of(res, s, h, 0)
            } else {
                speakers
            };
            speakers
                .iter()
                .filter_map(|&m| s.mentions.get(m).map(|x| x.code.as_str()))
                .collect()
        }
        _ => Vec::new(),
    };
    if !vg.infinitive {
        // A spokesman for the Israeli prime minister speaks for Israel: the same country
        // (or organization) prefix is the same speaker.
        let country = |code: &str| code.get(..3).unwrap_or(code).to_string();
        sources.retain(|&m| {
            s.mentions.get(m).is_some_and(|x| {
                speaker_codes.is_empty()
                    || speaker_codes.iter().any(|c| country(c) == country(&x.code))
            })
        });
    }
    if sources.is_empty() {
        return Vec::new();
    }
    let (negated, mut mood) = match c.group {
        Some(h) => (
            negated(res, s, h),
            modality(res, doc, s, s.verbs[h].main, Some(h)),
        ),
        None => (false, modality(res, doc, s, c.token, None)),
    };
    if !vg.infinitive {
        mood = (Modality::Asserted, None);
    }
    let start = if vg.infinitive {
        c.token.min(vg.tokens.start)
    } else {
        vg.tokens.start
    };
    let evidence = s.doc_range(doc, start, coding.after.max(vg.main + 1));
    let pattern = format!(
        "composition.tsv {} + {} [{}]; {}",
        c.frame, coding.code, c.code, coding.pattern
    );
    let mut events = build_events(
        res,
        doc,
        s,
        &sources,
        targets,
        &c.code,
        &pattern,
        evidence,
        negated,
        mood,
        coding.specificity,
    );
    // A speaker stating his own intent asserts it.
    for event in &mut events {
        let own = event.speaker.as_ref().is_some_and(|sp| {
            sp.entity.is_some() && sp.entity == event.source.entity || sp.name == event.source.name
        });
        if own && matches!(event.modality, Modality::Reported | Modality::Claimed) {
            event.modality = Modality::Asserted;
            event.speaker = None;
        }
    }
    events
}

/// `Russia said that Sudan must return the helicopter`: a statement that another actor must
/// (or should) act is a demand (`100`) or an appeal (`020`) to that actor (CAMEO manual,
/// 02 and 10). The complement's own event, if coded, stays `reported`.
fn directive_statements(res: &Resources<'_>, doc: &Document, s: &Sentence<'_>) -> Vec<Candidate> {
    // Parse only when a directive can be found: a speech verb and a `must` / `should` /
    // `ought` (what `roles::modal_of` looks for) in the sentence.
    let speech_verb =
        |vg: &VerbGroup| res.lexicon.is("speech", &vg.lemma) && !vg.negated && !vg.passive;
    if !s.verbs.iter().any(speech_verb)
        || !(0..s.n()).any(|k| matches!(s.norm(k), "must" | "should" | "ought"))
    {
        return Vec::new();
    }
    let Some(tree) = s.tree() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (g, vg) in s.verbs.iter().enumerate() {
        if !speech_verb(vg) {
            continue;
        }
        let speech = s.first + vg.main;
        for clause in tree.children_with(speech, dyad_syntax::DepLabel::Ccomp) {
            let Some(modal) = roles::modal_of(s, tree, clause) else {
                continue;
            };
            let code = if modal == "must" { "100" } else { "020" };
            let mut sources = roles::subject(s, tree, vg.main);
            if sources.is_empty() {
                sources = subject_of(res, s, g, 0);
            }
            let mut targets = roles::subject(s, tree, clause - s.first);
            targets.retain(|t| !sources.contains(t));
            if sources.is_empty() || targets.is_empty() {
                continue;
            }
            let Some(modal_at) = tree
                .children_with(clause, dyad_syntax::DepLabel::Aux)
                .find(|&a| a.checked_sub(s.first).is_some_and(|k| s.norm(k) == modal))
            else {
                continue;
            };
            let (from, to) = (modal_at - s.first, clause - s.first);
            let evidence = s.doc_range(doc, from.min(to), from.max(to) + 1);
            let pattern = format!("cues.tsv speech verb + `{modal}` clause [{code}]");
            let events = build_events(
                res,
                doc,
                s,
                &sources,
                &targets,
                code,
                &pattern,
                evidence,
                false,
                (Modality::Asserted, None),
                1,
            );
            out.extend(events.into_iter().map(|event| Candidate {
                event,
                governor: None,
                verb: None,
                nominal: false,
                specificity: 1,
            }));
        }
    }
    out
}

/// A nominal trigger matched at `k`: (trigger, end, source, target).
fn match_trigger(
    s: &Sentence<'_>,
    trigger: &NominalTrigger,
    k: usize,
) -> Option<(usize, Vec<usize>, Vec<usize>)> {
    let mut at = k;
    let mut sources = Vec::new();
    let mut targets = Vec::new();
    for part in &trigger.parts {
        match part {
            TriggerPart::Word(w) => {
                if !s.words.is(at, w) {
                    return None;
                }
                at += 1;
            }
            TriggerPart::Source | TriggerPart::Target => {
                if s.words.tag(at) == PosTag::DT
                    && s.mention_at.get(at).copied().flatten().is_none()
                {
                    at += 1;
                }
                let m = s.mention_at.get(at).copied().flatten()?;
                if s.mentions[m].start != at {
                    return None;
                }
                at = s.mentions[m].end;
                if matches!(part, TriggerPart::Source) {
                    sources.push(m);
                } else {
                    targets = s.coordinated_right(m, s.n());
                    at = targets.last().map_or(at, |&t| s.mentions[t].end);
                }
            }
        }
    }
    Some((at, sources, targets))
}

fn nominal_events(res: &Resources<'_>, doc: &Document, s: &Sentence<'_>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < s.n() {
        let list = res
            .lexicon
            .triggers
            .get(s.norm(k))
            .or_else(|| res.lexicon.triggers.get(s.words.lemma[k].as_str()));
        let Some(list) = list else {
            k += 1;
            continue;
        };
        if !s.words.tag(k).is_noun() || in_protasis(res, s, k) {
            k += 1;
            continue;
        }
        let Some((trigger, (end, mut sources, targets))) = list
            .iter()
            .find_map(|t| match_trigger(s, t, k).map(|m| (t, m)))
        else {
            k += 1;
            continue;
        };
        // The governing verb: the nearest verb group before the trigger in its clause.
        let governing = (0..k)
            .rev()
            .take_while(|&j| !s.is_boundary_word(res, j) && s.norm(j) != ",")
            .find_map(|j| s.vg_at[j]);
        if sources.is_empty() {
            // `U.S. airstrikes on ...`, `Russia's attack on ...`
            let mut j = k;
            while j > 0
                && s.mention_at[j - 1].is_none()
                && (s.words.tag(j - 1).is_adjective()
                    || s.words.tag(j - 1) == PosTag::POS
                    || s.norm(j - 1) == "'s")
            {
                j -= 1;
            }
            if j > 0
                && let Some(m) = s.mention_at[j - 1]
            {
                sources = s.coordinated_left(m);
            } else if trigger.source_before {
                k = end.max(k + 1);
                continue;
            } else if let Some(h) = governing {
                sources = match control(res, s, h) {
                    Some((_, Some(gov))) => subject_of(res, s, gov, 0),
                    _ => subject_of(res, s, h, 0),
                };
                if s.verbs[h].passive {
                    sources.clear();
                }
            }
        }
        // `urged Israel to stop the bombing of Gaza`: the noun is inside an uncoded
        // infinitive (what is asked for, not what happened).
        if let Some(h) = governing
            && s.verbs[h].infinitive
            && control(res, s, h).is_none()
        {
            k = end.max(k + 1);
            continue;
        }
        // `might lift the sanctions against Russia`: the object of a verb that undoes it is
        // no such event (the verb is coded on its own).
        // `pushed into the city after fierce clashes with ISIL`: a trigger in a time phrase
        // is an event beside the verb's, not a reading of its object.
        let in_time_phrase = governing.is_some_and(|h| {
            (s.verbs[h].tokens.end..k).any(|j| res.lexicon.is("time_preposition", s.norm(j)))
        });
        if let Some(h) = governing
            && res.lexicon.is("reversal", &s.verbs[h].lemma)
            && !in_time_phrase
        {
            k = end.max(k + 1);
            continue;
        }
        let negated_here =
            k > 0 && s.norm(k - 1) == "no" || governing.is_some_and(|h| negated(res, s, h));
        if !sources.is_empty() {
            let evidence = s.doc_range(doc, k, end);
            let modality = modality(res, doc, s, k, governing);
            let pattern = format!(
                "nominal_triggers.tsv:{} {} [{}]",
                trigger.line, trigger.text, trigger.code
            );
            let events = build_events(
                res,
                doc,
                s,
                &sources,
                &targets,
                &trigger.code,
                &pattern,
                evidence,
                negated_here,
                modality,
                2,
            );
            // `Russian airstrikes` are the Russian military's.
            let mut events = events;
            if trigger.source_before && trigger.code.starts_with("19") {
                for event in &mut events {
                    if event.source.code.len() == 3 {
                        event.source.code.push_str("MIL");
                    }
                }
            }
            // `rejected a United Nations appeal`: the appeal is what the rejection answers,
            // and both are events.
            let beside = in_time_phrase
                || governing.is_some_and(|h| {
                    code_verb(res, s, &s.verbs[h])
                        .is_some_and(|c| res.lexicon.lists_code("author_target_root", &c.code, 2))
                });
            out.extend(events.into_iter().map(|event| Candidate {
                event,
                governor: None,
                verb: if beside { None } else { governing },
                nominal: true,
                specificity: 2,
            }));
        }
        k = end.max(k + 1);
    }
    out
}

/// A specific verb pattern beats a nominal trigger in its object; a nominal trigger beats a
/// verb coded only by its default code. Duplicates are dropped.
fn resolve_conflicts(candidates: Vec<Candidate>) -> Vec<Event> {
    let mut keep = vec![true; candidates.len()];
    for (i, a) in candidates.iter().enumerate() {
        if !a.nominal {
            continue;
        }
        for (j, b) in candidates.iter().enumerate() {
            // `Russian airstrikes killed ...` is coded by the verb's pattern already.
            if !b.nominal
                && a.event.target.is_none()
                && b.event.root() == a.event.root()
                && b.event.source.range == a.event.source.range
            {
                keep[i] = false;
            }
            if b.nominal || b.verb != a.verb || a.verb.is_none() {
                continue;
            }
            if b.specificity > 0 {
                keep[i] = false;
            } else {
                keep[j] = false;
            }
        }
    }
    // A composed event and its governor's own reading (`agreed to attend` → 036 from the
    // pattern of `agree`, and `attend` composed to 036): the pattern reading wins, a bare
    // default code loses.
    for (i, a) in candidates.iter().enumerate() {
        let Some(h) = a.governor else {
            continue;
        };
        for (j, b) in candidates.iter().enumerate() {
            if b.governor.is_some()
                || b.verb != Some(h)
                || b.event.source.range != a.event.source.range
            {
                continue;
            }
            if b.specificity > 0 {
                keep[i] = false;
            } else {
                keep[j] = false;
            }
        }
    }
    let mut out: Vec<Event> = Vec::new();
    for (c, k) in candidates.into_iter().zip(keep) {
        if !k {
            continue;
        }
        let duplicate = out.iter().any(|e| {
            e.cameo == c.event.cameo
                && e.source.range == c.event.source.range
                && e.target.as_ref().map(|t| t.range) == c.event.target.as_ref().map(|t| t.range)
        });
        if !duplicate {
            out.push(c.event);
        }
    }
    out
}
