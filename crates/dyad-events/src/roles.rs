//! Sources and targets from the dependency tree (`dyad_syntax::Parser`): the subject, the
//! objects and the passive agent of a verb, expanded over coordination. The chunk-based
//! search in `coder` is the fallback when the tree gives nothing.

use crate::coder::{Resources, Sentence};
use dyad_syntax::{DepLabel, DependencyTree};

/// How deep a noun phrase is searched for an actor below its head.
const NP_DEPTH: usize = 3;

/// The actor mention a noun phrase headed by document token `head` names: the mention
/// covering the head, else the nearest one reached through its modifiers (`compound`,
/// `amod`, `poss`, `appos`, or an `of` / `from` / `by` / `for` / `against` / `on` phrase, else
/// an `in` phrase:
/// `the representatives of Assad's government`, `gunmen from South Sudan`, `an attack by
/// Osgiliath soldiers in south Ithilen`).
fn mention_of_head(s: &Sentence<'_>, tree: &DependencyTree, head: usize) -> Option<usize> {
    let local = |t: usize| t.checked_sub(s.first);
    if let Some(m) = local(head).and_then(|k| s.mention_at.get(k).copied().flatten()) {
        return Some(m);
    }
    // `an attack by Osgiliath soldiers in south Ithilen`: who did it before where.
    const PREPS: &[&str] = &["of", "from", "by", "for", "against", "on"];
    mention_below(s, tree, head, PREPS).or_else(|| {
        let with_in: Vec<&str> = PREPS.iter().copied().chain(["in"]).collect();
        mention_below(s, tree, head, &with_in)
    })
}

/// The nearest mention below `head` through noun-phrase modifiers and the prepositions
/// `preps`, breadth first.
fn mention_below(
    s: &Sentence<'_>,
    tree: &DependencyTree,
    head: usize,
    preps: &[&str],
) -> Option<usize> {
    let local = |t: usize| t.checked_sub(s.first);
    let mut frontier = vec![head];
    for _ in 0..NP_DEPTH {
        let mut next = Vec::new();
        for &t in &frontier {
            for c in tree.children(t) {
                let label = tree.label(c).unwrap_or(DepLabel::Other);
                let follow = match label {
                    DepLabel::Compound
                    | DepLabel::Amod
                    | DepLabel::Poss
                    | DepLabel::Nmod
                    | DepLabel::Appos
                    | DepLabel::Pobj => true,
                    DepLabel::Prep => local(c).is_some_and(|k| preps.contains(&s.norm(k))),
                    _ => false,
                };
                if !follow {
                    continue;
                }
                if let Some(m) = local(c).and_then(|k| s.mention_at.get(k).copied().flatten()) {
                    return Some(m);
                }
                next.push(c);
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    None
}

/// The mentions of a noun phrase and of the phrases coordinated with it, in text order.
pub(crate) fn group_of(s: &Sentence<'_>, tree: &DependencyTree, head: usize) -> Vec<usize> {
    let mut out = Vec::new();
    // A group is headed by an actor: in `hit by gunfire and a staff member went missing` the
    // parser's conjunct of a non-actor is no agent.
    if mention_of_head(s, tree, head).is_none() {
        return out;
    }
    for t in std::iter::once(head).chain(tree.conjuncts(head)) {
        if let Some(m) = mention_of_head(s, tree, t)
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    // Lists the parser attached as appositions (`Mordor, Rohan, Fornost and Bree`): the
    // word-order rule (which needs an `and` / `or`) completes them.
    if let Some(&first) = out.first() {
        for m in s.coordinated_right(first, s.n()) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out.sort_by_key(|&m| s.mentions.get(m).map_or(0, |x| x.start));
    out
}

/// The subject of the verb at local token `verb` (through relative clauses, coordination and
/// control, as [`DependencyTree::effective_subject_of`] resolves them).
pub(crate) fn subject(s: &Sentence<'_>, tree: &DependencyTree, verb: usize) -> Vec<usize> {
    let mut token = s.first + verb;
    let mut found = tree.effective_subject_of(token);
    // `Iran is about to restore ties`: up through adjective complements to the clause's subject.
    for _ in 0..3 {
        if found.is_some() {
            break;
        }
        let (Some(head), Some(label)) = (tree.head(token), tree.label(token)) else {
            break;
        };
        if !matches!(label, DepLabel::Xcomp | DepLabel::Acomp | DepLabel::Conj) {
            break;
        }
        token = head;
        found = tree.subject_of(token);
    }
    found.map(|h| group_of(s, tree, h)).unwrap_or_default()
}

/// The actor a participle at local token `verb` describes (`the rebels, backed by Russia`):
/// the mention covering the participle's head, if the head is one.
pub(crate) fn described(s: &Sentence<'_>, tree: &DependencyTree, verb: usize) -> Option<usize> {
    let head = tree.head(s.first + verb)?.checked_sub(s.first)?;
    s.mention_at.get(head).copied().flatten()
}

/// The agent of a passive verb (`assassinated by al-Qaeda`).
pub(crate) fn passive_agent(s: &Sentence<'_>, tree: &DependencyTree, verb: usize) -> Vec<usize> {
    tree.passive_agent_of(s.first + verb)
        .map(|h| group_of(s, tree, h))
        .unwrap_or_default()
}

/// The targets of the verb at local token `verb` coded `code`: its direct or indirect object,
/// else the object of a non-locative preposition (`met with`, `appealed to`, `fired on`, and
/// for force `fired at`), else an
/// actor in a non-locative phrase of its object (`imposed sanctions on Iran`).
pub(crate) fn objects(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    tree: &DependencyTree,
    verb: usize,
    code: &str,
) -> Vec<usize> {
    let verb = s.first + verb;
    let non_locative = |p: usize| {
        p.checked_sub(s.first).is_some_and(|k| {
            let w = s.norm(k);
            !res.lexicon.is("locative", w)
                || matches!(w, "against" | "into")
                || crate::coder::aimed_at(res, w, code)
        })
    };
    // `sent its troops`: an actor's own forces are not its target.
    let own = |m: &usize| {
        s.mentions
            .get(*m)
            .and_then(|x| x.start.checked_sub(1))
            .is_some_and(|k| s.words.tag(k) == dyad_document::PosTag::PRPS)
    };
    let group_of = |s: &Sentence<'_>, tree: &DependencyTree, head: usize| {
        let mut group = group_of(s, tree, head);
        group.retain(|m| !own(m));
        group
    };
    let objects = tree.objects_of(verb);
    for &o in &objects {
        let group = group_of(s, tree, o);
        if !group.is_empty() {
            return group;
        }
    }
    for (p, object) in tree.prepositional_objects(verb) {
        if let Some(o) = object
            && non_locative(p)
        {
            let group = group_of(s, tree, o);
            if !group.is_empty() {
                return group;
            }
        }
    }
    for &o in &objects {
        for (p, object) in tree.prepositional_objects(o) {
            if let Some(x) = object
                && non_locative(p)
                && p.checked_sub(s.first).is_some_and(|k| s.norm(k) != "of")
            {
                let group = group_of(s, tree, x);
                if !group.is_empty() {
                    return group;
                }
            }
        }
    }
    Vec::new()
}

/// The actors of the verb's `at` / `on` / `against` phrases (`fired artillery at Seoul`).
pub(crate) fn aimed_objects(s: &Sentence<'_>, tree: &DependencyTree, verb: usize) -> Vec<usize> {
    let verb = s.first + verb;
    let objects = tree.objects_of(verb);
    std::iter::once(verb)
        .chain(objects)
        .flat_map(|h| tree.prepositional_objects(h))
        .find_map(|(p, object)| {
            let aimed = p
                .checked_sub(s.first)
                .is_some_and(|k| matches!(s.norm(k), "at" | "on" | "against"));
            let group = group_of(s, tree, object?);
            (aimed && !group.is_empty()).then_some(group)
        })
        .unwrap_or_default()
}

/// The subject of a clausal complement of the verb (`demanded that the US cancel ...` → the
/// US): the addressee of a demand, appeal, accusation or threat worded as a clause.
pub(crate) fn complement_subject(
    s: &Sentence<'_>,
    tree: &DependencyTree,
    verb: usize,
) -> Vec<usize> {
    tree.children_with(s.first + verb, DepLabel::Ccomp)
        .find_map(|c| {
            let group = subject(s, tree, c - s.first);
            (!group.is_empty()).then_some(group)
        })
        .unwrap_or_default()
}

/// True when the clause of the verb at local token `verb` is what a directive verb asks for
/// (`demanded that Turkey withdraw`, `urged Israel to stop`): not an assertion.
pub(crate) fn under_directive(
    res: &Resources<'_>,
    s: &Sentence<'_>,
    tree: &DependencyTree,
    verb: usize,
) -> bool {
    let token = s.first + verb;
    let (Some(head), Some(label)) = (tree.head(token), tree.label(token)) else {
        return false;
    };
    // `its demand that Israel ease restrictions`: a directive noun's clause is asked for too.
    matches!(
        label,
        DepLabel::Ccomp | DepLabel::Xcomp | DepLabel::Advcl | DepLabel::Acl
    ) && head
        .checked_sub(s.first)
        .and_then(|k| s.words.lemma.get(k))
        .is_some_and(|lemma| res.lexicon.is("directive", lemma))
}

/// The modal of a clause headed by document token `verb` (`must`, `should`), if any.
pub(crate) fn modal_of(s: &Sentence<'_>, tree: &DependencyTree, verb: usize) -> Option<String> {
    tree.children_with(verb, DepLabel::Aux)
        .filter_map(|a| a.checked_sub(s.first))
        .map(|k| s.norm(k).to_string())
        .find(|w| matches!(w.as_str(), "must" | "should" | "ought"))
}
