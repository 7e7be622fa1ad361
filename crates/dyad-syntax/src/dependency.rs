//! Dependency labels and trees: what the [`crate::Parser`] returns and the questions the event
//! coder asks of it (who is the subject, the object, the passive agent of a verb).

use std::ops::Range;

/// A dependency label, as spaCy's English pipelines spell them (ClearNLP style).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DepLabel {
    Root,
    Acl,
    Acomp,
    Advcl,
    Advmod,
    Agent,
    Amod,
    Appos,
    Attr,
    Aux,
    Auxpass,
    Case,
    Cc,
    Ccomp,
    Compound,
    Conj,
    Csubj,
    Csubjpass,
    Dative,
    Dep,
    Det,
    Dobj,
    Expl,
    Intj,
    Mark,
    Meta,
    Neg,
    Nmod,
    Npadvmod,
    Nsubj,
    Nsubjpass,
    Nummod,
    Oprd,
    Parataxis,
    Pcomp,
    Pobj,
    Poss,
    Preconj,
    Predet,
    Prep,
    Prt,
    Punct,
    Quantmod,
    Relcl,
    Xcomp,
    /// A label this build does not know (a model trained on another label set).
    Other,
}

impl DepLabel {
    /// Every label, [`DepLabel::Other`] last.
    pub const ALL: [DepLabel; 46] = {
        use DepLabel::*;
        [
            Root, Acl, Acomp, Advcl, Advmod, Agent, Amod, Appos, Attr, Aux, Auxpass, Case, Cc,
            Ccomp, Compound, Conj, Csubj, Csubjpass, Dative, Dep, Det, Dobj, Expl, Intj, Mark,
            Meta, Neg, Nmod, Npadvmod, Nsubj, Nsubjpass, Nummod, Oprd, Parataxis, Pcomp, Pobj,
            Poss, Preconj, Predet, Prep, Prt, Punct, Quantmod, Relcl, Xcomp, Other,
        ]
    };

    /// spaCy's spelling (`nsubj`, `ROOT`, `dobj` ...).
    pub fn as_str(self) -> &'static str {
        use DepLabel::*;
        match self {
            Root => "ROOT",
            Acl => "acl",
            Acomp => "acomp",
            Advcl => "advcl",
            Advmod => "advmod",
            Agent => "agent",
            Amod => "amod",
            Appos => "appos",
            Attr => "attr",
            Aux => "aux",
            Auxpass => "auxpass",
            Case => "case",
            Cc => "cc",
            Ccomp => "ccomp",
            Compound => "compound",
            Conj => "conj",
            Csubj => "csubj",
            Csubjpass => "csubjpass",
            Dative => "dative",
            Dep => "dep",
            Det => "det",
            Dobj => "dobj",
            Expl => "expl",
            Intj => "intj",
            Mark => "mark",
            Meta => "meta",
            Neg => "neg",
            Nmod => "nmod",
            Npadvmod => "npadvmod",
            Nsubj => "nsubj",
            Nsubjpass => "nsubjpass",
            Nummod => "nummod",
            Oprd => "oprd",
            Parataxis => "parataxis",
            Pcomp => "pcomp",
            Pobj => "pobj",
            Poss => "poss",
            Preconj => "preconj",
            Predet => "predet",
            Prep => "prep",
            Prt => "prt",
            Punct => "punct",
            Quantmod => "quantmod",
            Relcl => "relcl",
            Xcomp => "xcomp",
            Other => "other",
        }
    }

    /// Parses spaCy's spelling; unknown labels become [`DepLabel::Other`].
    pub fn parse(label: &str) -> DepLabel {
        DepLabel::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == label)
            .unwrap_or(DepLabel::Other)
    }

    /// Subject labels: `nsubj`, `nsubjpass`, `csubj`, `csubjpass`.
    pub fn is_subject(self) -> bool {
        matches!(
            self,
            DepLabel::Nsubj | DepLabel::Nsubjpass | DepLabel::Csubj | DepLabel::Csubjpass
        )
    }

    /// Object labels: `dobj` and `dative` (the indirect object, `told him`).
    pub fn is_object(self) -> bool {
        matches!(self, DepLabel::Dobj | DepLabel::Dative)
    }
}

impl std::fmt::Display for DepLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dependency tree of one sentence. Every index, in and out, is a **document token
/// index** (an index into `Document::tokens`); indices outside [`DependencyTree::tokens`]
/// are answered with `None` or nothing.
///
/// Invariants (for trees the parser makes): exactly one root (head `None`, label `ROOT`)
/// when the sentence has tokens; no cycles; every head lies inside `tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyTree {
    /// The sentence's tokens.
    pub tokens: Range<usize>,
    /// Head of each token (`heads[i - tokens.start]`); `None` for the root.
    pub heads: Vec<Option<usize>>,
    /// Label of the arc from each token to its head (`ROOT` for the root).
    pub labels: Vec<DepLabel>,
}

impl DependencyTree {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// True for a sentence without tokens.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    fn local(&self, token: usize) -> Option<usize> {
        token
            .checked_sub(self.tokens.start)
            .filter(|&i| i < self.heads.len())
    }

    /// The head of `token` (`None` for the root and for tokens outside the sentence).
    pub fn head(&self, token: usize) -> Option<usize> {
        self.local(token)
            .and_then(|i| self.heads.get(i).copied().flatten())
    }

    /// The label of the arc from `token` to its head.
    pub fn label(&self, token: usize) -> Option<DepLabel> {
        self.local(token).and_then(|i| self.labels.get(i).copied())
    }

    /// The root token (the main verb, usually).
    pub fn root(&self) -> Option<usize> {
        self.heads
            .iter()
            .position(Option::is_none)
            .map(|i| i + self.tokens.start)
    }

    /// The tokens `token` governs, in text order.
    pub fn children(&self, token: usize) -> impl Iterator<Item = usize> + '_ {
        let start = self.tokens.start;
        self.heads
            .iter()
            .enumerate()
            .filter(move |(_, h)| **h == Some(token))
            .map(move |(i, _)| i + start)
    }

    /// The children of `token` attached with `label`.
    pub fn children_with(&self, token: usize, label: DepLabel) -> impl Iterator<Item = usize> + '_ {
        self.children(token)
            .filter(move |&c| self.label(c) == Some(label))
    }

    /// The grammatical subject of `verb` as the parser attached it: its `nsubj`, `nsubjpass`,
    /// `csubj` or `csubjpass` child. See [`DependencyTree::effective_subject_of`] for subjects
    /// shared through coordination, control and relative clauses.
    pub fn subject_of(&self, verb: usize) -> Option<usize> {
        self.children(verb)
            .find(|&c| self.label(c).is_some_and(DepLabel::is_subject))
    }

    /// The subject of `verb`, also when it is not attached to `verb` itself:
    /// - a relative pronoun subject (`The Taliban, which has sent ...`) resolves to the noun
    ///   the relative clause modifies (`Taliban`);
    /// - a verb without a subject of its own takes it from the verb it is coordinated with
    ///   (`conj`: `attacked and killed`), or from the verb it complements (`xcomp`:
    ///   `vowed to defend`; with an object, the object: `urged the U.S. to help`).
    pub fn effective_subject_of(&self, verb: usize) -> Option<usize> {
        let mut verb = verb;
        for _ in 0..self.len().min(64) {
            if let Some(subject) = self.subject_of(verb) {
                let relative = self.label(verb) == Some(DepLabel::Relcl);
                return match (relative, self.head(verb)) {
                    (true, Some(noun)) if subject < verb && is_relative_marker(self, subject) => {
                        Some(noun)
                    }
                    _ => Some(subject),
                };
            }
            let head = self.head(verb)?;
            match self.label(verb)? {
                DepLabel::Conj => verb = head,
                DepLabel::Xcomp => {
                    if let Some(object) = self.objects_of(head).first() {
                        return Some(*object);
                    }
                    verb = head;
                }
                DepLabel::Relcl => return Some(head),
                _ => return None,
            }
        }
        None
    }

    /// Direct and indirect objects of `verb` (`dobj`, `dative`), in text order. Conjoined
    /// objects (`the U.S. and retreating troops`) are reached with
    /// [`DependencyTree::conjuncts`].
    pub fn objects_of(&self, verb: usize) -> Vec<usize> {
        self.children(verb)
            .filter(|&c| self.label(c).is_some_and(DepLabel::is_object))
            .collect()
    }

    /// The agent of a passive verb: the object of its `agent` child (`assassinated by
    /// al-Qaeda` → `al-Qaeda`).
    pub fn passive_agent_of(&self, verb: usize) -> Option<usize> {
        self.children_with(verb, DepLabel::Agent)
            .find_map(|by| self.children_with(by, DepLabel::Pobj).next())
    }

    /// `(preposition, object)` pairs of `token`'s `prep` children (`met with embassies`,
    /// `appealed to the U.S.`); the object is `None` when the preposition has none
    /// (`pcomp` clauses are not objects).
    pub fn prepositional_objects(&self, token: usize) -> Vec<(usize, Option<usize>)> {
        self.children_with(token, DepLabel::Prep)
            .map(|p| (p, self.children_with(p, DepLabel::Pobj).next()))
            .collect()
    }

    /// Tokens coordinated with `token` (its `conj` children, theirs, and so on), in text
    /// order, `token` itself excluded.
    pub fn conjuncts(&self, token: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut todo = vec![token];
        while let Some(t) = todo.pop() {
            for c in self.children_with(t, DepLabel::Conj) {
                if c != token && !out.contains(&c) && out.len() < self.len() {
                    out.push(c);
                    todo.push(c);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// True when `verb` has a `neg` child (`has not attacked`).
    pub fn is_negated(&self, verb: usize) -> bool {
        self.children_with(verb, DepLabel::Neg).next().is_some()
    }

    /// True when `verb` has a passive subject or a passive auxiliary.
    pub fn is_passive(&self, verb: usize) -> bool {
        self.children(verb).any(|c| {
            matches!(
                self.label(c),
                Some(DepLabel::Nsubjpass | DepLabel::Auxpass | DepLabel::Csubjpass)
            )
        })
    }

    /// The tokens from the leftmost to the rightmost token `token` dominates, itself included
    /// (`the U.S. and retreating troops` for `U.S.`). Empty for tokens outside the sentence.
    pub fn subtree_range(&self, token: usize) -> Range<usize> {
        let Some(local) = self.local(token) else {
            return token..token;
        };
        let (mut first, mut last) = (local, local);
        for i in 0..self.len() {
            if (i < first || i > last) && self.dominates(local, i) {
                first = first.min(i);
                last = last.max(i);
            }
        }
        self.tokens.start + first..self.tokens.start + last + 1
    }

    /// True when the local token `ancestor` is `node` or one of its ancestors.
    fn dominates(&self, ancestor: usize, node: usize) -> bool {
        let mut x = node;
        for _ in 0..=self.len() {
            if x == ancestor {
                return true;
            }
            match self
                .heads
                .get(x)
                .copied()
                .flatten()
                .and_then(|h| h.checked_sub(self.tokens.start))
            {
                Some(h) => x = h,
                None => return false,
            }
        }
        false
    }

    /// True when the tree has exactly one root (or no tokens), no cycles, heads inside the
    /// sentence and one label per token.
    pub fn is_well_formed(&self) -> bool {
        if self.labels.len() != self.heads.len() {
            return false;
        }
        if self.is_empty() {
            return true;
        }
        let roots = self.heads.iter().filter(|h| h.is_none()).count();
        if roots != 1 {
            return false;
        }
        let in_range = self.heads.iter().flatten().all(|h| self.tokens.contains(h));
        let Some(root) = self.heads.iter().position(Option::is_none) else {
            return false;
        };
        in_range && (0..self.len()).all(|i| self.dominates(root, i))
    }

    /// One line per token, CoNLL-like: `index word tag head label` with 1-based sentence
    /// positions and head 0 for the root. `words` and `tags` give each token's text and tag.
    pub fn to_conll<'a>(
        &self,
        word: impl Fn(usize) -> &'a str,
        tag: impl Fn(usize) -> &'a str,
    ) -> String {
        let mut out = String::new();
        for (i, (head, label)) in self.heads.iter().zip(&self.labels).enumerate() {
            let token = self.tokens.start + i;
            let head = head.map_or(0, |h| h + 1 - self.tokens.start);
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                i + 1,
                word(token),
                tag(token),
                head,
                label
            ));
        }
        out
    }
}

fn is_relative_marker(tree: &DependencyTree, token: usize) -> bool {
    // Relative pronouns take no children of their own; a full noun subject (`whose leader`)
    // does, and stays the subject.
    tree.children(token).next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `The Taliban , which has sent fighters , has not attacked the fighters .` at offset 10.
    fn taliban() -> DependencyTree {
        use DepLabel::*;
        let rows: [(Option<usize>, DepLabel); 14] = [
            (Some(1), Det),    // 0 The
            (Some(10), Nsubj), // 1 Taliban
            (Some(1), Punct),  // 2 ,
            (Some(5), Nsubj),  // 3 which
            (Some(5), Aux),    // 4 has
            (Some(1), Relcl),  // 5 sent
            (Some(5), Dobj),   // 6 fighters
            (Some(1), Punct),  // 7 ,
            (Some(10), Aux),   // 8 has
            (Some(10), Neg),   // 9 not
            (None, Root),      // 10 attacked
            (Some(12), Det),   // 11 the
            (Some(10), Dobj),  // 12 fighters
            (Some(10), Punct), // 13 .
        ];
        DependencyTree {
            tokens: 10..24,
            heads: rows.iter().map(|(h, _)| h.map(|h| h + 10)).collect(),
            labels: rows.iter().map(|(_, l)| *l).collect(),
        }
    }

    #[test]
    fn labels_round_trip() {
        for l in DepLabel::ALL {
            if l != DepLabel::Other {
                assert_eq!(DepLabel::parse(l.as_str()), l);
            }
        }
        assert_eq!(DepLabel::parse("nonsense"), DepLabel::Other);
    }

    #[test]
    fn questions_on_a_small_tree() {
        let t = taliban();
        assert!(t.is_well_formed());
        assert_eq!(t.root(), Some(20));
        assert_eq!(t.subject_of(20), Some(11));
        assert_eq!(t.objects_of(20), vec![22]);
        assert!(t.is_negated(20));
        assert!(!t.is_passive(20));
        assert_eq!(t.subject_of(15), Some(13));
        assert_eq!(t.effective_subject_of(15), Some(11));
        assert_eq!(t.subtree_range(11), 10..18);
        assert_eq!(t.subtree_range(20), 10..24);
        assert_eq!(t.subtree_range(99), 99..99);
        assert_eq!(t.head(99), None);
        assert_eq!(t.children(11).collect::<Vec<_>>(), vec![10, 12, 15, 17]);
        assert!(t.conjuncts(20).is_empty());
    }

    #[test]
    fn detects_cycles_and_double_roots() {
        let mut t = taliban();
        t.heads[10] = Some(11); // attacked -> Taliban -> attacked
        assert!(!t.is_well_formed());
        let mut t = taliban();
        t.heads[0] = None;
        assert!(!t.is_well_formed());
    }
}
