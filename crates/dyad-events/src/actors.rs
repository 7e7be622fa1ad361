//! Actor mentions in a sentence: knowledge-base actors composed with agents, entities with
//! actor codes, and pronouns / short names / "the group" resolved to earlier actors.

use crate::lexicon::Lexicon;
use dyad_document::{Date, Document, EntityLabel, PosTag, QuoteKind};
use dyad_kb::{ActorMatch, EntryId, KnowledgeBase, MatchKind, combine_codes};
use std::collections::HashMap;

/// What kind of referent an actor is, for pronoun agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActorClass {
    /// A person (`he`, `she`).
    Person,
    /// An organization or group (`it`, `they`, `the group`).
    Group,
    /// A country (`it`, `the country`).
    Country,
    /// A plural agent (`officials`, `troops`: `they`).
    Plural,
}

/// One actor mention, token indices local to the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub code: String,
    pub name: String,
    pub class: ActorClass,
    pub entity: Option<u32>,
    /// A pronoun, short name or definite description resolved from context.
    pub resolved: bool,
    /// True when the code names a country or actor, not only an agent role.
    pub anchored: bool,
    /// Other compatible referents of a resolved mention, best first.
    pub alternatives: Vec<(String, String, Option<u32>)>,
    /// The code is only the document's focus country, guessed for a named person or group
    /// the knowledge base does not know.
    pub guessed: bool,
}

#[derive(Debug, Clone)]
struct Referent {
    name: String,
    code: String,
    class: ActorClass,
    entity: Option<u32>,
    last_word: String,
    /// The lowercase words of its mentions (`ambassador` of `Russian Ambassador Sergey
    /// Kislyak`), for `the ambassador` later.
    words: Vec<String>,
    count: u32,
    last_seen: usize,
    /// Sentence number (1-based) in which it last was the subject; 0 never.
    last_subject: usize,
}

/// What earlier sentences said about who is who.
#[derive(Debug, Default)]
pub(crate) struct Discourse {
    referents: Vec<Referent>,
    clock: usize,
    sentence: usize,
    /// Codes given to entity referents so far (`Geng` inherits `Geng Shuang`'s code).
    referent_codes: HashMap<u32, String>,
    /// The country the document is mostly about (most frequent coded place or nationality).
    pub focus: Option<String>,
}

impl Discourse {
    /// A discourse whose focus country comes from the document's coded GPE / NORP entities.
    pub fn of(doc: &Document) -> Discourse {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for e in &doc.entities {
            let Some(code) = e.actor.as_deref() else {
                continue;
            };
            if !matches!(e.label, EntityLabel::Gpe | EntityLabel::Norp) || code.len() != 3 {
                continue;
            }
            match counts.iter_mut().find(|(c, _)| *c == code) {
                Some(entry) => entry.1 += 1,
                None => counts.push((code, 1)),
            }
        }
        let best = counts.iter().map(|&(_, n)| n).max();
        let focus = counts
            .iter()
            .find(|&&(_, n)| Some(n) == best)
            .map(|(c, _)| c.to_string());
        Discourse {
            focus,
            ..Default::default()
        }
    }
}

impl Discourse {
    fn note(&mut self, mention: &Mention, subject: bool, words: &Words) {
        self.clock += 1;
        let clock = self.clock;
        let sentence = self.sentence;
        let said: Vec<String> = if mention.resolved {
            Vec::new()
        } else {
            (mention.start..mention.end.min(words.len()))
                .map(|j| words.norm[j].clone())
                .collect()
        };
        if let Some(r) = self
            .referents
            .iter_mut()
            .find(|r| r.name == mention.name && r.code == mention.code)
        {
            for w in said {
                if !r.words.contains(&w) {
                    r.words.push(w);
                }
            }
            r.count += 1;
            r.last_seen = clock;
            if subject {
                r.last_subject = sentence;
            }
            return;
        }
        let last_word = mention.name.rsplit(' ').next().unwrap_or("").to_lowercase();
        self.referents.push(Referent {
            name: mention.name.clone(),
            code: mention.code.clone(),
            class: mention.class,
            entity: mention.entity,
            last_word,
            words: said,
            count: 1,
            last_seen: clock,
            last_subject: if subject { sentence } else { 0 },
        });
    }

    /// Compatible referents, best first: a subject pronoun prefers the latest subject.
    fn ranked(&self, subject: bool, accept: impl Fn(&Referent) -> bool) -> Vec<&Referent> {
        let mut list: Vec<&Referent> = self
            .referents
            .iter()
            .filter(|r| accept(r) && !r.code.ends_with("MED"))
            .collect();
        if subject {
            list.sort_by_key(|r| std::cmp::Reverse((r.last_subject, r.last_seen)));
        } else {
            list.sort_by_key(|r| std::cmp::Reverse(r.last_seen));
        }
        list
    }

    fn by_short_name(&self, word: &str) -> Option<&Referent> {
        self.referents
            .iter()
            .filter(|r| {
                r.class == ActorClass::Person && r.last_word == word && r.name.contains(' ')
            })
            .max_by_key(|r| (r.count, r.last_seen))
    }
}

/// The sentence's tokens as the coder sees them (local indices).
pub(crate) struct Words {
    pub norm: Vec<String>,
    pub lemma: Vec<String>,
    pub tag: Vec<PosTag>,
    pub text: Vec<String>,
    /// The word ended in an `actor_suffix` (`rebel-held`) that was cut off its `norm`.
    pub suffixed: Vec<bool>,
}

impl Words {
    /// The words of tokens `range`. A word that ends in an `actor_suffix` cue reads as its
    /// stem (`Saudi-led coalition` as `Saudi coalition`, `rebel-held town` as `rebel town`):
    /// whoever leads or holds the thing is named by it.
    pub fn of(doc: &Document, range: std::ops::Range<usize>, lexicon: &Lexicon) -> Words {
        let n = range.len();
        let mut words = Words {
            norm: Vec::with_capacity(n),
            lemma: Vec::with_capacity(n),
            tag: Vec::with_capacity(n),
            text: Vec::with_capacity(n),
            suffixed: Vec::with_capacity(n),
        };
        for i in range {
            let Some(token) = doc.tokens.get(i) else {
                break;
            };
            let text = doc.slice(token.range);
            let suffix_at = text
                .rfind('-')
                .filter(|&h| h > 0 && lexicon.is("actor_suffix", &text[h..].to_lowercase()));
            let stem = suffix_at.map_or(text, |h| &text[..h]);
            words.suffixed.push(suffix_at.is_some());
            let mut norm = dyad_kb::normalize_token(stem);
            if norm.contains(['“', '”']) {
                norm = norm.replace(['“', '”'], "\"");
            }
            let lemma = token
                .lemma
                .as_deref()
                .map(str::to_string)
                .unwrap_or_else(|| norm.clone());
            words.norm.push(norm);
            words.lemma.push(lemma);
            // `rebel-held`, `US-led` are adjectives, whatever the tagger said.
            words.tag.push(if suffix_at.is_some() {
                PosTag::JJ
            } else {
                token.tag.unwrap_or(PosTag::Other)
            });
            words.text.push(text.to_string());
        }
        words
    }

    pub fn len(&self) -> usize {
        self.norm.len()
    }

    /// Form or lemma equals `word`.
    pub fn is(&self, i: usize, word: &str) -> bool {
        self.norm.get(i).is_some_and(|w| w == word) || self.lemma.get(i).is_some_and(|w| w == word)
    }

    pub fn tag(&self, i: usize) -> PosTag {
        self.tag.get(i).copied().unwrap_or(PosTag::Other)
    }

    /// True when word `i` starts with a lowercase letter (a role noun, not a name).
    pub fn lowercase(&self, i: usize) -> bool {
        self.text
            .get(i)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_lowercase)
    }
}

fn agent_entry<'k>(kb: &'k KnowledgeBase, m: &ActorMatch) -> Option<&'k dyad_kb::AgentEntry> {
    match m.entry {
        EntryId::Agent(a) => kb.agents().get(a as usize),
        EntryId::Actor(_) => None,
    }
}

/// Finds the actor mentions of one sentence and records them in the discourse.
#[allow(clippy::too_many_arguments)]
pub(crate) fn find_mentions(
    kb: &KnowledgeBase,
    lexicon: &Lexicon,
    doc: &Document,
    first_token: usize,
    words: &Words,
    date: Option<Date>,
    discourse: &mut Discourse,
) -> Vec<Mention> {
    discourse.sentence += 1;
    let refs: Vec<&str> = words.norm.iter().map(String::as_str).collect();
    let matches = kb.match_actors(&refs, date);
    let composed = kb.compose(&matches);
    let mut mentions: Vec<Mention> = Vec::new();
    for c in &composed {
        let actor = c.actor.and_then(|i| matches.get(i));
        let agents: Vec<&ActorMatch> = c.agents.iter().filter_map(|&i| matches.get(i)).collect();
        // A spokesman speaks for the group: `Taliban spokesman` is the Taliban.
        let voice = agents.iter().any(|a| {
            (a.start_token..a.end_token).any(|k| lexicon.is("voice_agent", &words.norm[k]))
        });
        let code = match actor {
            // The spokesman's own role (`MED`) is dropped; other roles stay (`Chinese Foreign
            // Ministry spokesman` → `CHNGOV`).
            Some(a) if voice => agents
                .iter()
                .filter(|g| {
                    !(g.start_token..g.end_token).any(|k| lexicon.is("voice_agent", &words.norm[k]))
                })
                .filter_map(|g| agent_entry(kb, g))
                .fold(a.code.clone(), |code, agent| {
                    combine_codes(&code, &agent.code, agent.placement)
                }),
            _ => c.code.clone(),
        };
        let (name, anchored) = match actor {
            Some(a) => (a.name.clone(), true),
            None => (
                agents.first().map(|a| a.name.clone()).unwrap_or_default(),
                false,
            ),
        };
        let plural_agent = agents
            .iter()
            .filter_map(|a| agent_entry(kb, a))
            .any(|e| e.plural)
            || agents.iter().any(|a| {
                words
                    .norm
                    .get(a.end_token.saturating_sub(1))
                    .is_some_and(|w| w.ends_with('s') && !w.ends_with("ss"))
            });
        let class = classify(
            actor,
            &agents,
            plural_agent,
            words,
            lexicon,
            c.start_token,
            c.end_token,
        );
        // `a leftist militant group`, `rebel factions`: a role word before a collective head
        // names the group, not a person holding the role.
        let (end, class) = match words.norm.get(c.end_token).map(String::as_str) {
            Some(head)
                if lexicon.is("collective_head", head)
                    && !composed.iter().any(|d| d.start_token == c.end_token) =>
            {
                (
                    c.end_token + 1,
                    if head.ends_with('s') {
                        ActorClass::Plural
                    } else {
                        ActorClass::Group
                    },
                )
            }
            _ => (c.end_token, class),
        };
        mentions.push(Mention {
            start: c.start_token,
            end,
            code: code.trim_matches('~').to_string(),
            name,
            class,
            entity: None,
            resolved: false,
            anchored,
            alternatives: Vec::new(),
            guessed: false,
        });
    }
    // `a new military offensive`, `an official protest`: a lone role word before a common
    // noun is an adjective, not an actor.
    mentions.retain(|m| {
        // `the rebel-held town` names the rebels.
        let lone_role = !m.anchored
            && m.end == m.start + 1
            && words.lowercase(m.start)
            && !words.suffixed.get(m.start).copied().unwrap_or(false);
        let next = words.norm.get(m.end).map_or("", String::as_str);
        let before_noun = matches!(words.tag(m.end), PosTag::NN | PosTag::NNS)
            && words.lowercase(m.end)
            // `the intelligence agency`, `a militant group`: the noun names an organization.
            && !lexicon.is("org_word", next)
            && !lexicon.is("collective_head", next)
            // `struck rebel positions`: what the role's holders hold stands for them.
            && !lexicon.is("holding_noun", next)
            && !composed.iter().any(|c| c.start_token <= m.end && m.end < c.end_token);
        !(lone_role && before_noun)
    });
    plural_demonyms(kb, words, date, &mut mentions);
    crowds(words, &mut mentions);
    distribute_coordinated_agents(kb, &matches, &composed, &mut mentions, words);
    merge_titles(&mut mentions, words);
    attach_entities(doc, first_token, words, &mut mentions, discourse);
    drop_venue_modifiers(lexicon, words, &mut mentions);
    appositive_roles(lexicon, &mut mentions, words, discourse);
    preposed_roles(&mut mentions, words);
    localize_agents(&mut mentions, words, discourse);
    resolve_references(lexicon, words, &mut mentions, discourse);
    resolve_quoted_we(doc, first_token, words, &mut mentions, discourse);
    mentions.sort_by_key(|m| m.start);
    tracing::trace!(
        sentence = discourse.sentence,
        words = ?words.text.iter().zip(&words.tag).enumerate().map(|(k, (w, t))| format!("{k}:{w}/{}", t.as_str())).collect::<Vec<_>>(),
        mentions = ?mentions.iter().map(|m| format!("{}..{} {:?} {} {:?} anchored={} resolved={}", m.start, m.end, words.text[m.start..m.end.min(words.len())].join(" "), m.code, m.class, m.anchored, m.resolved)).collect::<Vec<_>>(),
        "actor mentions"
    );
    mentions
}

/// `A member of the Syrian parliament, Mohammed Mamoun, ...`, `A Russian lawmaker, Ivan
/// Petrov, ...`: a role set before a named person between commas is that person's role. The
/// role is a country's agent (`Russian lawmaker`) or membership of a group (`a member of the
/// ruling party`).
fn preposed_roles(mentions: &mut [Mention], words: &Words) {
    for p in 0..mentions.len() {
        let person = &mentions[p];
        if person.class != ActorClass::Person
            || person.entity.is_none()
            || person.resolved
            || person.start < 2
            || !(person.guessed || !person.anchored || person.code.len() == 3)
            || words.norm[person.start - 1] != ","
            || words.norm.get(person.end).is_none_or(|w| w != ",")
        {
            continue;
        }
        let Some(role) = mentions
            .iter()
            .find(|m| m.end + 1 == person.start && m.code.len() >= 6 && !m.resolved)
        else {
            continue;
        };
        let mut j = role.start;
        while j > 0 && words.tag(j - 1) == PosTag::DT {
            j -= 1;
        }
        let member = j >= 2 && words.norm[j - 1] == "of" && words.is(j - 2, "member");
        let agent = role.class == ActorClass::Person && words.lowercase(role.end - 1);
        if !(member || agent) {
            continue;
        }
        let code = role.code.clone();
        let person = &mut mentions[p];
        person.code = code;
        person.anchored = true;
        person.guessed = false;
    }
}

/// `fresh Geneva talks`, `the Syrian peace talks`, `Brexit negotiations`: a one-word name
/// before a meeting or agreement noun (`venue_noun`, after up to two lowercase modifiers)
/// says where or what about, not who. `US talks with Iran` and `UN peace talks` keep their
/// actors.
fn drop_venue_modifiers(lexicon: &Lexicon, words: &Words, mentions: &mut Vec<Mention>) {
    mentions.retain(|m| {
        // An organization before the noun hosts or holds it (`UN peace talks`); a bare
        // country code marks a place, whatever the tagger's label.
        if m.end != m.start + 1
            || !m.anchored
            || (matches!(m.class, ActorClass::Group | ActorClass::Plural) && m.code.len() != 3)
        {
            return true;
        }
        let mut j = m.end;
        while j < (m.end + 2).min(words.len())
            && words.lowercase(j)
            && (words.tag(j).is_adjective() || words.tag(j) == PosTag::NN)
            && !lexicon.is("venue_noun", &words.norm[j])
        {
            j += 1;
        }
        let venue = matches!(words.tag(j), PosTag::NN | PosTag::NNS)
            && lexicon.is("venue_noun", &words.norm[j])
            && words.norm.get(j + 1).is_none_or(|w| w != "with");
        !venue
    });
}

/// `Hundreds of thousands welcomed Barrow`, `Thousands marched`: a bare number of people as a
/// clause's subject is a crowd of civilians (`CVL`, localized like any agent). Not when `of`
/// names what is counted (`thousands of dollars`, `dozens of protesters`: the noun is the
/// actor, if any).
fn crowds(words: &Words, mentions: &mut Vec<Mention>) {
    let mut k = 0;
    while k < words.len() {
        let crowd_word = |j: usize| {
            matches!(
                words.norm.get(j).map(String::as_str),
                Some("hundreds" | "thousands" | "millions" | "dozens" | "tens")
            )
        };
        if !crowd_word(k) || covered(mentions, k) || (k > 0 && words.tag(k - 1) == PosTag::IN) {
            k += 1;
            continue;
        }
        // `tens of thousands`, `hundreds of thousands`
        let mut end = k + 1;
        while words.norm.get(end).is_some_and(|w| w == "of") && crowd_word(end + 1) {
            end += 2;
        }
        let counted = words.norm.get(end).is_some_and(|w| w == "of");
        let verb_next = matches!(
            words.tag(end),
            PosTag::VBD | PosTag::VBZ | PosTag::VBP | PosTag::MD
        );
        if !counted && verb_next {
            mentions.push(Mention {
                start: k,
                end,
                code: "CVL".to_string(),
                name: words.text[k..end].join(" "),
                class: ActorClass::Plural,
                entity: None,
                resolved: false,
                anchored: false,
                alternatives: Vec::new(),
                guessed: false,
            });
        }
        k = end;
    }
}

/// `Iraqis`, `three ethnic Albanians`: a capitalised plural whose singular the dictionaries
/// list as a country's name or adjective (`IRAQI_` under Iraq) names that country's people.
/// The code is the country's, as the dictionaries code `PALESTINIANS`.
fn plural_demonyms(
    kb: &KnowledgeBase,
    words: &Words,
    date: Option<Date>,
    mentions: &mut Vec<Mention>,
) {
    for k in 0..words.len() {
        let text = words.text[k].as_str();
        let Some(singular) = words.norm[k].strip_suffix('s') else {
            continue;
        };
        if singular.len() < 4
            || !text.starts_with(|c: char| c.is_uppercase())
            || !words.tag(k).is_noun()
            || covered(mentions, k)
        {
            continue;
        }
        let Some(country) = kb
            .match_actors(&[singular], date)
            .into_iter()
            .find(|a| a.kind == MatchKind::Actor && a.code.len() == 3)
        else {
            continue;
        };
        mentions.push(Mention {
            start: k,
            end: k + 1,
            code: country.code,
            name: country.name,
            class: ActorClass::Plural,
            entity: None,
            resolved: false,
            anchored: true,
            alternatives: Vec::new(),
            guessed: false,
        });
    }
}

/// Whether token `k` lies inside one of `mentions`.
fn covered(mentions: &[Mention], k: usize) -> bool {
    mentions.iter().any(|m| m.start <= k && k < m.end)
}

/// Removes the mentions at `indices` (in any order, repeats allowed): they were absorbed
/// into a longer mention.
fn remove_absorbed(mentions: &mut Vec<Mention>, mut indices: Vec<usize>) {
    indices.sort_unstable();
    indices.dedup();
    for i in indices.into_iter().rev() {
        if i < mentions.len() {
            mentions.remove(i);
        }
    }
}

fn classify(
    actor: Option<&ActorMatch>,
    agents: &[&ActorMatch],
    plural_agent: bool,
    words: &Words,
    lexicon: &Lexicon,
    start: usize,
    end: usize,
) -> ActorClass {
    if !agents.is_empty() {
        return if plural_agent {
            ActorClass::Plural
        } else if actor.is_none() || agents.iter().any(|a| a.kind == MatchKind::Agent) {
            // `Afghan president`, `the foreign minister`: a person holding a role.
            if actor.is_some() && plural_agent {
                ActorClass::Plural
            } else {
                ActorClass::Person
            }
        } else {
            ActorClass::Group
        };
    }
    let Some(actor) = actor else {
        return ActorClass::Group;
    };
    let proper = (start..end).all(|k| words.tag(k).is_proper_noun());
    let org = (start..end).any(|k| lexicon.is("org_word", &words.norm[k]))
        || actor
            .name
            .split(' ')
            .any(|w| lexicon.is("org_word", &w.to_lowercase()));
    if actor.code.len() == 3 && !actor.name.contains(' ')
        || actor.code.len() == 3 && end - start == 1 && !proper
    {
        ActorClass::Country
    } else if proper && end - start >= 2 && !org && actor.name.contains(' ') {
        ActorClass::Person
    } else if actor.code.len() == 3 {
        ActorClass::Country
    } else {
        ActorClass::Group
    }
}

/// `Hungarian and Romanian officials`: the agent after the last conjunct applies to all.
fn distribute_coordinated_agents(
    kb: &KnowledgeBase,
    matches: &[ActorMatch],
    composed: &[dyad_kb::ComposedActor],
    mentions: &mut [Mention],
    words: &Words,
) {
    for i in 0..composed.len().saturating_sub(1) {
        let (a, b) = (&composed[i], &composed[i + 1]);
        if !a.agents.is_empty() || a.actor.is_none() || b.actor.is_none() || b.agents.is_empty() {
            continue;
        }
        let between = a.end_token..b.start_token;
        if between.len() != 1 || !matches!(words.norm[a.end_token].as_str(), "and" | "," | "or") {
            continue;
        }
        let agents_after: Vec<&dyad_kb::AgentEntry> = b
            .agents
            .iter()
            .filter_map(|&k| matches.get(k))
            .filter(|m| {
                m.start_token >= b.start_token
                    && Some(m.start_token)
                        >= b.actor.and_then(|x| matches.get(x)).map(|x| x.end_token)
            })
            .filter_map(|m| agent_entry(kb, m))
            .collect();
        if agents_after.is_empty() {
            continue;
        }
        if let Some(m) = mentions.get_mut(i) {
            let mut code = m.code.clone();
            for agent in agents_after {
                code = combine_codes(&code, &agent.code, agent.placement);
            }
            m.code = code;
            m.class = ActorClass::Plural;
        }
    }
}

/// `Taliban spokesman Zabihullah Mujahid`, `Afghan President Ashraf Ghani`: one mention.
fn merge_titles(mentions: &mut Vec<Mention>, words: &Words) {
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions.drain(..) {
        // `U.N. mediator Diego Cordovez`, `Iraqi spokesman Ali`: an organization or country
        // and one role noun before a name; the person acts for the organization.
        let titled = |last: &Mention| {
            last.end < m.start
                && m.start - last.end == 1
                && last.anchored
                && matches!(last.class, ActorClass::Group | ActorClass::Country)
                && words.tag(last.end) == PosTag::NN
                && words.lowercase(last.end)
        };
        if let Some(last) = out.last_mut()
            && (last.end == m.start || titled(last))
            && m.anchored
            && (m.start..m.end).all(|k| words.tag(k).is_proper_noun())
            && m.class == ActorClass::Person
        {
            let gap = last.end < m.start;
            last.end = m.end;
            last.code = if !gap && (m.code.len() > last.code.len() || !last.anchored) {
                m.code
            } else {
                last.code.clone()
            };
            last.name = m.name;
            last.class = ActorClass::Person;
            last.anchored = true;
            continue;
        }
        // `Afghanistan's former vice president`: the agent takes the country.
        if let Some(last) = out.last_mut()
            && !m.anchored
            && last.anchored
            && last.class == ActorClass::Country
            && words.norm.get(last.end).is_some_and(|w| w == "'s")
            && (last.end + 1..m.start)
                .all(|k| words.tag(k).is_adjective() || words.tag(k) == PosTag::NN)
            && m.start - last.end <= 4
        {
            let role = m.code.trim_matches('~').to_string();
            last.code = format!("{}{}", last.code, role);
            last.end = m.end;
            last.name = format!("{} {}", last.name, m.name);
            last.class = m.class;
            continue;
        }
        out.push(m);
    }
    *mentions = out;
}

/// True for descriptive entity mentions (`the rebel commander`): their KB reading is more
/// reliable than the referent the entity layer linked them to.
fn descriptive(doc: &Document, entity: &dyad_document::Entity) -> bool {
    doc.slice(entity.range)
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Entities become actor mentions. An entity overlapping a KB mention gives it its index and
/// canonical name; a named entity right after a role (`Chinese Foreign Ministry spokesman
/// Geng Shuang`) joins it and takes its code; other PERSON / ORG / GPE / NORP entities take
/// their KB code, the code an earlier mention of the same referent got, or — for people and
/// organizations — the document's focus country.
fn attach_entities(
    doc: &Document,
    first_token: usize,
    words: &Words,
    mentions: &mut Vec<Mention>,
    discourse: &mut Discourse,
) {
    if doc.entities.is_empty() {
        return;
    }
    let n = words.len();
    let Some(first) = doc.tokens.get(first_token) else {
        return;
    };
    let Some(last) = doc.tokens.get(first_token + n.saturating_sub(1)) else {
        return;
    };
    let span = first.range.cover(last.range);
    for (index, entity) in doc.entities.iter().enumerate() {
        if !span.contains_range(entity.range) {
            continue;
        }
        let tokens = doc.tokens_in(entity.range);
        if tokens.is_empty() {
            continue;
        }
        let (start, end) = (tokens.start - first_token, tokens.end - first_token);
        let class = match entity.label {
            EntityLabel::Person => ActorClass::Person,
            EntityLabel::Gpe => ActorClass::Country,
            _ => ActorClass::Group,
        };
        let political = matches!(
            entity.label,
            EntityLabel::Person | EntityLabel::Org | EntityLabel::Gpe | EntityLabel::Norp
        );
        let described = descriptive(doc, entity);
        let remembered = (!described)
            .then(|| discourse.referent_codes.get(&entity.referent).cloned())
            .flatten();
        let overlapping = mentions
            .iter()
            .filter(|m| m.start < end && start < m.end)
            .count();
        if let Some(m) = mentions.iter_mut().find(|m| m.start < end && start < m.end) {
            m.entity = Some(index as u32);
            if described {
                continue;
            }
            // `the Kurdistan Workers' Party`: a role word (`workers`) inside the name of a
            // group or person is the whole name.
            if overlapping == 1
                && start <= m.start
                && m.end <= end
                && entity.actor.is_some()
                && matches!(entity.label, EntityLabel::Org | EntityLabel::Person)
            {
                (m.start, m.end) = (start, end);
            }
            if let Some(code) = entity.actor.clone().or(remembered)
                && (!m.anchored || m.resolved)
            {
                m.code = code;
                m.anchored = true;
            }
            m.name = entity.canonical.clone();
            // The tagger's ORG on a two-word personal name loses to the KB's reading.
            if !(entity.label == EntityLabel::Org && m.class == ActorClass::Person) {
                m.class = class;
            }
            if m.anchored {
                discourse
                    .referent_codes
                    .insert(entity.referent, m.code.clone());
            }
            continue;
        }
        if !political || described {
            continue;
        }
        // `Chinese Foreign Ministry spokesman Geng Shuang`, `President Trump`: role + name.
        if entity.label == EntityLabel::Person
            && let Some(role) = mentions
                .iter_mut()
                .find(|m| m.end == start && !m.resolved && m.class != ActorClass::Country)
        {
            role.end = end;
            role.entity = Some(index as u32);
            role.name = entity.canonical.clone();
            role.class = ActorClass::Person;
            if let Some(code) = entity.actor.clone().or(remembered)
                && !role.anchored
            {
                role.code = code;
                role.anchored = true;
            }
            if role.anchored {
                discourse
                    .referent_codes
                    .insert(entity.referent, role.code.clone());
            }
            continue;
        }
        // A surname alone (`Massoud`) is the person named in full before.
        let short = (end - start == 1)
            .then(|| discourse.by_short_name(&words.norm[start]))
            .flatten()
            .map(|r| (r.code.clone(), r.name.clone()));
        let mut name = entity.canonical.clone();
        let (code, anchored, guessed) = match (entity.actor.clone().or(remembered), short) {
            (Some(code), _) => (code, true, false),
            (None, Some((code, full))) => {
                name = full;
                (code, true, false)
            }
            (None, None) if matches!(entity.label, EntityLabel::Person | EntityLabel::Org) => {
                match &discourse.focus {
                    Some(focus) => (focus.clone(), false, true),
                    None => continue,
                }
            }
            (None, None) => continue,
        };
        if anchored {
            discourse
                .referent_codes
                .insert(entity.referent, code.clone());
        }
        mentions.push(Mention {
            start,
            end,
            code,
            name,
            class,
            entity: Some(index as u32),
            resolved: false,
            anchored: true,
            alternatives: Vec::new(),
            guessed,
        });
    }
}

/// A named person the knowledge base does not know, followed by an appositive role
/// (`Richard Arnold, mayor of the small southern German town of X, condemned`, `Riek Machar,
/// the former vice president,`, `Zatulin, a lawmaker from United Russia,`), takes the role's
/// code composed with the role's country: the role's own country, else a country named inside
/// the appositive, else the document's focus country. The appositive's mentions describe the
/// person and are no actors of their own.
fn appositive_roles(
    lexicon: &Lexicon,
    mentions: &mut Vec<Mention>,
    words: &Words,
    discourse: &Discourse,
) {
    mentions.sort_by_key(|m| m.start);
    let mut absorbed: Vec<usize> = Vec::new();
    for p in 0..mentions.len() {
        let person = &mentions[p];
        if person.class != ActorClass::Person
            || person.entity.is_none()
            || person.resolved
            || absorbed.contains(&p)
            || words.norm.get(person.end).is_none_or(|w| w != ",")
        {
            continue;
        }
        // `, Algeria's leading activist`: a country's possessive before the role.
        let mut k = person.end + 1;
        let mut owner: Option<String> = None;
        if let Some(c) = mentions.iter().find(|m| {
            m.start == k && m.class == ActorClass::Country && m.anchored && m.code.len() == 3
        }) && words.norm.get(c.end).is_some_and(|w| w == "'s")
        {
            owner = Some(c.code.clone());
            k = c.end + 1;
        }
        // `, the former`, `, a`, `, mayor`: determiners and modifiers before the role.
        while k < words.len()
            && k <= person.end + 4
            && (matches!(
                words.tag(k),
                PosTag::DT | PosTag::RB | PosTag::NN | PosTag::NNS | PosTag::VBG
            ) || words.tag(k).is_adjective())
            && !mentions.iter().any(|m| m.start == k)
        {
            k += 1;
        }
        // A role the entity layer read as a descriptive entity (`the former vice president`).
        let Some(r) = mentions.iter().position(|m| {
            m.start == k && !m.resolved && (m.entity.is_none() || words.lowercase(m.start))
        }) else {
            continue;
        };
        let role = &mentions[r];
        // A role is an agent (`mayor`, `GOV`) or a country plus an agent (`Russian lawmaker`).
        let role_only = !role.anchored && role.code.len() == 3;
        let country_role =
            role.anchored && role.code.len() == 6 && role.class != ActorClass::Country;
        if !(role_only || country_role) {
            continue;
        }
        // The appositive runs to the next comma or the end of the sentence, with no verb.
        let close = (role.end..words.len().min(role.end + 16))
            .find(|&j| matches!(words.norm[j].as_str(), "," | "." | ";" | ")" | "--"))
            .or((words.len() <= role.end + 16).then_some(words.len()));
        let Some(close) = close else {
            continue;
        };
        if (role.end..close).any(|j| {
            matches!(
                words.tag(j),
                PosTag::VBD | PosTag::VBZ | PosTag::VBP | PosTag::MD
            )
        }) {
            continue;
        }
        let inside: Vec<usize> = (0..mentions.len())
            .filter(|&i| i != p && mentions[i].start > person.end && mentions[i].end <= close)
            .collect();
        // `spokesman for South Sudan's foreign ministry` speaks for the ministry.
        let voice = (role.start..role.end).any(|j| lexicon.is("voice_agent", &words.norm[j]));
        let after_role = || {
            inside
                .iter()
                .map(|&i| &mentions[i])
                .filter(|m| m.start >= role.end)
        };
        // `mayor of the ... German town`, `lawmaker from United Russia`.
        let country = owner
            .clone()
            .or_else(|| {
                after_role()
                    .find(|m| m.anchored && m.code.len() == 3)
                    .map(|m| m.code.clone())
            })
            .or_else(|| person.guessed.then(|| discourse.focus.clone()).flatten());
        let localized = |agent: &str| {
            country
                .as_ref()
                .map(|c| combine_codes(c, agent, dyad_kb::AgentPlacement::After))
        };
        let spoken_for = after_role().rfind(|m| !(m.anchored && m.code.len() == 3));
        let code = match spoken_for {
            Some(m) if voice && m.anchored => Some(m.code.clone()),
            Some(m) if voice && m.code.len() == 3 => localized(&m.code),
            _ if voice => country.clone(),
            _ if country_role => Some(role.code.clone()),
            _ => localized(&role.code),
        };
        let Some(code) = code else {
            continue;
        };
        let person = &mut mentions[p];
        if person.guessed || !person.anchored {
            person.code = code;
            person.anchored = true;
            person.guessed = false;
        }
        absorbed.extend(inside);
    }
    remove_absorbed(mentions, absorbed);
}

/// Roles without a country (`police`, `officials`, `protesters`) take the country or group
/// named right after them (`protesters in Moscow` → `RUSOPP`, `activists from the defeated
/// Fatah Party`) or else the document's focus country. The phrase is part of the mention
/// (`Demonstrators in Baghdad`), and the place or group in it is no actor of its own.
fn localize_agents(mentions: &mut Vec<Mention>, words: &Words, discourse: &Discourse) {
    let mut absorbed = Vec::new();
    for i in 0..mentions.len() {
        let m = &mentions[i];
        // Named people with a role but no country count too (`Prime Minister Jacinda Ardern
        // of New Zealand`).
        if m.anchored || m.resolved || m.code.len() != 3 {
            continue;
        }
        let prep = words.norm.get(m.end).map_or("", String::as_str);
        let named = m.entity.is_some();
        // `workers from Iraq` after a verb is where they come from (`withdraw inspectors
        // and workers from Iraq`), not whom they belong to.
        let origin = prep == "from" && (0..m.start).any(|k| words.tag(k).is_verb());
        let local = if matches!(prep, "in" | "from" | "of") && !origin {
            // Up to two determiners or adjectives may stand before the place or group
            // (`from the defeated Fatah Party`); a named person takes only a place.
            mentions.iter().position(|c| {
                let gap = c.start.saturating_sub(m.end + 1);
                c.start > m.end
                    && c.anchored
                    && !c.resolved
                    && (c.class == ActorClass::Country || (!named && c.class == ActorClass::Group))
                    && (gap == 0
                        || (m.end + 1..c.start)
                            .all(|k| matches!(words.tag(k), PosTag::DT | PosTag::JJ | PosTag::VBN)))
                    && gap <= 2
            })
        } else {
            None
        };
        // The document's focus country is a guess for `police`, not for a named person.
        if local.is_none() && named {
            continue;
        }
        let country = match local {
            Some(c) => mentions[c].code.clone(),
            None => match discourse.focus.clone() {
                Some(focus) => focus,
                None => continue,
            },
        };
        let agent = mentions[i].code.clone();
        let code = combine_codes(&country, &agent, dyad_kb::AgentPlacement::After);
        mentions[i].code = code;
        mentions[i].anchored = local.is_some();
        if let Some(c) = local
            && !named
        {
            mentions[i].end = mentions[c].end;
            absorbed.push(c);
            // `ambassadors of Arnor, Osgiliath and Gondor`, `lawmakers in Fornost and
            // Gondor`: the role applies to every conjunct.
            let mut last = mentions[c].end;
            while let Some(d) = mentions.iter().position(|d| {
                d.start > last
                    && d.anchored
                    && d.class == mentions[c].class
                    && (last..d.start).all(|k| matches!(words.norm[k].as_str(), "," | "and" | "or"))
            }) {
                last = mentions[d].end;
                mentions[d].code =
                    combine_codes(&mentions[d].code, &agent, dyad_kb::AgentPlacement::After);
            }
        }
    }
    remove_absorbed(mentions, absorbed);
}

/// Pronouns, short names and `the group` resolved to the most recent compatible actor.
fn resolve_references(
    lexicon: &Lexicon,
    words: &Words,
    mentions: &mut Vec<Mention>,
    discourse: &mut Discourse,
) {
    // The subject position: before the first verb of the sentence.
    let first_verb = (0..words.len())
        .find(|&k| words.tag(k).is_verb() || words.tag(k) == PosTag::MD)
        .unwrap_or(words.len());
    let mut k = 0;
    let mut found: Vec<Mention> = Vec::new();
    // A pronoun opening a clause of its own (`and said they also opposed`) is a subject too.
    let clause_subject = |k: usize| {
        (k + 1..words.len().min(k + 3))
            .find(|&j| !matches!(words.tag(j), PosTag::RB))
            .is_some_and(|j| words.tag(j).is_verb() || words.tag(j) == PosTag::MD)
    };
    while k < words.len() {
        // Not the object of a preposition before the verb (`a group in Athens sent ...`).
        let in_phrase = k > 0 && matches!(words.tag(k - 1), PosTag::IN);
        let subject =
            (k < first_verb && !in_phrase) || (words.tag(k) == PosTag::PRP && clause_subject(k));
        // `the ambassador`, `the president`: a lone role word after `the` is the person last
        // named with that role (`Russian Ambassador Sergey Kislyak`), if there is one.
        if words.norm[k] == "the"
            && let Some(i) = mentions.iter().position(|m| {
                m.start == k + 1
                    && m.end == k + 2
                    && !m.anchored
                    && !m.resolved
                    && m.class == ActorClass::Person
                    && words.lowercase(m.start)
            })
            && words.norm.get(k + 2).is_none_or(|w| w != "of")
            && !words.tag(k + 2).is_noun()
            && let Some(r) = discourse
                .ranked(subject, |r| {
                    r.class == ActorClass::Person
                        && r.code.len() > 3
                        && r.words.iter().any(|w| *w == words.norm[k + 1])
                })
                .first()
        {
            let m = &mut mentions[i];
            m.code = r.code.clone();
            m.name = r.name.clone();
            m.entity = r.entity;
            m.resolved = true;
            m.anchored = true;
        }
        if covered(mentions, k) {
            // Earlier mentions of this sentence count as context for later pronouns.
            // A nationality adjective before a singular common noun (`a Senegalese peace
            // plan`) describes a thing; no later pronoun refers to it (`Palestinian leaders`
            // are people and stay).
            if let Some(m) = mentions.iter().find(|m| m.start == k)
                && !(words.tag(m.start).is_adjective()
                    && m.end == m.start + 1
                    && words.tag(m.end) == PosTag::NN
                    && words.lowercase(m.end))
            {
                discourse.note(m, subject, words);
            }
            k += 1;
            continue;
        }
        let word = words.norm[k].as_str();
        let tag = words.tag(k);
        let mut candidates: Vec<Referent> = Vec::new();
        let mut len = 1;
        if tag == PosTag::PRP {
            if lexicon.is("person_pron", word) {
                candidates = discourse
                    .ranked(subject, |r| r.class == ActorClass::Person)
                    .into_iter()
                    .cloned()
                    .collect();
            } else if matches!(word, "they" | "them") {
                candidates = discourse
                    .ranked(subject, |r| {
                        matches!(r.class, ActorClass::Group | ActorClass::Plural)
                    })
                    .into_iter()
                    .cloned()
                    .collect();
            } else if lexicon.is("group_pron", word) && !pleonastic(words, k) {
                candidates = discourse
                    .ranked(subject, |r| {
                        matches!(r.class, ActorClass::Group | ActorClass::Country)
                    })
                    .into_iter()
                    .cloned()
                    .collect();
            }
        } else if word == "the" && k + 1 < words.len() && !covered(mentions, k + 1) {
            let mut phrase = format!("the {}", words.norm[k + 1]);
            let mut place = lexicon.is("place_noun", &phrase);
            let mut head = k + 1;
            // `the port city`, `the besieged town`: one lowercase modifier before the place.
            if k + 2 < words.len()
                && words.lowercase(k + 1)
                && (words.tag(k + 1).is_adjective() || words.tag(k + 1) == PosTag::NN)
                && !covered(mentions, k + 2)
            {
                let modified = format!("the {}", words.norm[k + 2]);
                if lexicon.is("place_noun", &modified) {
                    (phrase, place, head) = (modified, true, k + 2);
                }
            }
            if (place || lexicon.is("group_noun", &phrase)) && !words.tag(head + 1).is_noun() {
                // `the city`, `the town` refer back to a place: its country is the actor.
                let want_country = place || phrase == "the country";
                len = head + 1 - k;
                candidates = discourse
                    .ranked(subject, |r| {
                        if want_country {
                            r.class == ActorClass::Country
                        } else {
                            matches!(r.class, ActorClass::Group | ActorClass::Plural)
                        }
                    })
                    .into_iter()
                    .cloned()
                    .collect();
            }
        } else if tag.is_proper_noun()
            && !(k + 1 < words.len() && words.tag(k + 1).is_proper_noun())
            && !(k > 0 && words.tag(k - 1).is_proper_noun())
        {
            candidates = discourse.by_short_name(word).into_iter().cloned().collect();
        } else if short_name_as_common_noun(words, k) {
            // The tagger reads a sentence-initial surname as a common noun (`Sessions/NNS met
            // with Kislyak`): the person named in full before, or by the same name later in
            // this sentence.
            candidates = discourse
                .by_short_name(word)
                .cloned()
                .or_else(|| {
                    mentions
                        .iter()
                        .find(|m| {
                            m.class == ActorClass::Person
                                && m.entity.is_some()
                                && m.end == m.start + 1
                                && m.anchored
                                && words.norm.get(m.start).is_some_and(|w| w == word)
                        })
                        .map(|m| Referent {
                            name: m.name.clone(),
                            code: m.code.clone(),
                            class: m.class,
                            entity: m.entity,
                            last_word: word.to_string(),
                            words: Vec::new(),
                            count: 1,
                            last_seen: 0,
                            last_subject: 0,
                        })
                })
                .into_iter()
                .collect();
        }
        if let Some(r) = candidates.first() {
            let m = Mention {
                start: k,
                end: k + len,
                code: r.code.clone(),
                name: r.name.clone(),
                class: r.class,
                entity: r.entity,
                resolved: true,
                anchored: true,
                guessed: false,
                alternatives: candidates
                    .iter()
                    .skip(1)
                    .take(3)
                    .map(|r| (r.code.clone(), r.name.clone(), r.entity))
                    .collect(),
            };
            discourse.note(&m, subject, words);
            found.push(m);
            k += len;
            continue;
        }
        k += 1;
    }
    mentions.extend(found);
}

/// `we` / `us` / `our` inside a quote are the speaker's group (`"We attacked the Taliban,"
/// the Afghan army said` → the Afghan army).
fn resolve_quoted_we(
    doc: &Document,
    first_token: usize,
    words: &Words,
    mentions: &mut Vec<Mention>,
    discourse: &Discourse,
) {
    let mut found = Vec::new();
    for k in 0..words.len() {
        if !matches!(words.norm[k].as_str(), "we" | "us" | "our") || covered(mentions, k) {
            continue;
        }
        let Some(token) = doc.tokens.get(first_token + k) else {
            continue;
        };
        let Some(speaker) = doc
            .quotes
            .iter()
            .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Partial))
            .find(|q| q.range.contains_range(token.range))
            .and_then(|q| q.speaker.as_ref())
        else {
            continue;
        };
        let here = speaker.range.and_then(|r| {
            mentions.iter().find(|m| {
                let (Some(a), Some(b)) = (
                    doc.tokens.get(first_token + m.start),
                    doc.tokens.get(first_token + m.end.saturating_sub(1)),
                ) else {
                    return false;
                };
                a.range.cover(b.range).overlaps(r)
            })
        });
        let (code, name) = match here {
            Some(m) => (m.code.clone(), m.name.clone()),
            None => {
                let by_entity = speaker
                    .entity
                    .and_then(|e| doc.entities.get(e as usize))
                    .and_then(|e| discourse.referent_codes.get(&e.referent));
                let by_name = discourse
                    .referents
                    .iter()
                    .find(|r| r.name == speaker.name)
                    .map(|r| &r.code);
                match by_entity.or(by_name) {
                    Some(code) => (code.clone(), speaker.name.clone()),
                    None => continue,
                }
            }
        };
        if code.is_empty() {
            continue;
        }
        found.push(Mention {
            start: k,
            end: k + 1,
            code,
            name,
            class: ActorClass::Group,
            entity: speaker.entity,
            resolved: true,
            anchored: true,
            alternatives: Vec::new(),
            guessed: false,
        });
    }
    mentions.extend(found);
}

/// A capitalised word the tagger read as a common noun at the start of a sentence, where it
/// may be a surname: not when a noun or `of` follows, which makes it a common noun
/// (`Sessions of the parliament`, `Talks began`).
fn short_name_as_common_noun(words: &Words, k: usize) -> bool {
    let opens = k == 0
        || words
            .norm
            .get(k - 1)
            .is_some_and(|w| matches!(w.as_str(), "\"" | "'" | ":" | "--" | "-" | "("));
    let capitalised = words
        .text
        .get(k)
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    let next = words.norm.get(k + 1).map_or("", String::as_str);
    opens
        && capitalised
        && matches!(words.tag(k), PosTag::NN | PosTag::NNS)
        && !words.tag(k + 1).is_noun()
        && !matches!(next, "of" | "'s" | "'" | "and" | "or")
}

/// `it` that refers to nothing: `it takes`, `it is`, `what it`.
fn pleonastic(words: &Words, k: usize) -> bool {
    let next = words.norm.get(k + 1).map_or("", String::as_str);
    let previous = if k > 0 {
        words.norm[k - 1].as_str()
    } else {
        ""
    };
    // `it is willing to withdraw`: an adjective only a doer can be makes `it` an actor.
    let doer = words
        .norm
        .get(k + 2)
        .is_some_and(|w| DOER_ADJECTIVES.contains(&w.as_str()));
    (matches!(
        next,
        "is" | "was" | "'s" | "takes" | "took" | "seems" | "seemed" | "appears" | "remains"
    ) && !doer)
        || matches!(previous, "what" | "make" | "made" | "makes")
}

/// Adjectives after `it is` that say what `it` will or will not do (`it is willing to`),
/// so `it` refers to an actor and is no dummy subject (`it is important to`).
const DOER_ADJECTIVES: &[&str] = &[
    "willing",
    "unwilling",
    "ready",
    "prepared",
    "determined",
    "eager",
    "keen",
    "reluctant",
    "committed",
    "able",
    "unable",
    "set",
    "poised",
    "about",
];
