//! [`EventStage`]: the coder as a pipeline stage.

use crate::EventsError;
use crate::coder::{Resources, code_document};
use crate::lexicon::{FxHashMap, Lexicon, NeededWords, SynsetMembers};
use dyad_document::{Document, Event, Layer, Stage, StageError};
use dyad_kb::{FileKind, KnowledgeBase, PatternElement};
use std::sync::Arc;

/// Codes CAMEO and PLOVER events in every sentence of a document.
///
/// Requires sentences, tokens and tags; uses entities and quotes when an earlier stage filled
/// them. Produces [`Layer::Events`]. Built once from a knowledge base and shared by threads.
pub struct EventStage {
    kb: Arc<KnowledgeBase>,
    lexicon: &'static Lexicon,
    synsets: FxHashMap<String, SynsetMembers>,
    needed_words: NeededWords,
    verb_file: String,
    parser: Option<&'static dyad_syntax::Parser>,
}

impl std::fmt::Debug for EventStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStage")
            .field("verb_file", &self.verb_file)
            .field("synsets", &self.synsets.len())
            .finish()
    }
}

fn collect_synsets(elements: &[PatternElement], names: &mut Vec<String>) {
    for e in elements {
        match e {
            PatternElement::Synset(name) => names.push(name.clone()),
            PatternElement::NounPhrase(inner) | PatternElement::PrepPhrase(inner) => {
                collect_synsets(inner, names)
            }
            _ => {}
        }
    }
}

impl EventStage {
    /// The stage over `kb`; fails only when the crate's embedded data is broken.
    pub fn new(kb: Arc<KnowledgeBase>) -> Result<EventStage, EventsError> {
        let lexicon = Lexicon::embedded()?;
        let mut names = Vec::new();
        let supplement_patterns = lexicon.supplement.blocks.iter().flat_map(|b| &b.patterns);
        for pattern in kb
            .verb_blocks()
            .iter()
            .flat_map(|b| &b.patterns)
            .chain(supplement_patterns)
        {
            collect_synsets(&pattern.before, &mut names);
            collect_synsets(&pattern.after, &mut names);
        }
        names.sort();
        names.dedup();
        let mut synsets = FxHashMap::default();
        for name in names {
            let members: Option<Vec<String>> = lexicon
                .supplement_synset(&name)
                .map(<[String]>::to_vec)
                .or_else(|| kb.synset(&name).map(|s| s.members.clone()));
            if let Some(members) = members {
                synsets.insert(name, SynsetMembers::new(&members));
            }
        }
        let verb_file = kb
            .files()
            .iter()
            .find(|f| f.kind == FileKind::Verbs)
            .map_or_else(|| "verbs".to_string(), |f| f.name.clone());
        let needed_words = NeededWords::new(kb.verb_blocks(), &lexicon.supplement);
        Ok(EventStage {
            kb,
            lexicon,
            synsets,
            needed_words,
            verb_file,
            parser: Some(dyad_syntax::Parser::embedded()?),
        })
    }

    /// The stage without the dependency parser: roles come from the chunk rules only. About
    /// twice as fast and markedly less accurate (see `EVAL.md`); for bulk runs where speed
    /// matters more than recall.
    pub fn without_parser(mut self) -> EventStage {
        self.parser = None;
        self
    }

    /// The knowledge base the stage codes with.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// Codes `doc` and returns its events without storing them.
    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let resources = Resources {
            kb: &self.kb,
            lexicon: self.lexicon,
            synsets: &self.synsets,
            needed_words: &self.needed_words,
            verb_file: &self.verb_file,
            parser: self.parser,
        };
        code_document(&resources, doc)
    }
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Tags]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Events]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        doc.events = self.code(doc);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_document::Metadata;
    use std::sync::OnceLock;

    fn stage() -> &'static (crate::Preparation, EventStage) {
        static STAGE: OnceLock<(crate::Preparation, EventStage)> = OnceLock::new();
        STAGE.get_or_init(|| {
            let kb = Arc::new(KnowledgeBase::load_default().expect("the embedded knowledge base"));
            (
                crate::Preparation::new(kb.clone()).expect("the embedded models"),
                EventStage::new(kb).expect("the embedded data"),
            )
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn coding_never_panics_and_keeps_spans_inside_sentences(
            text in "(The Taliban|he|they|Russia|attacked|met with|was|by|not|said|,|\\.|“|”|if|who|and|talks with|\\PC{1,6}| ){0,30}"
        ) {
            let (preparation, stage) = stage();
            let doc = preparation.document(&text, Metadata::default()).expect("prepare");
            for e in stage.code(&doc) {
                let sentence = doc.sentences[e.sentence as usize].range;
                proptest::prop_assert!(sentence.contains_range(e.evidence));
                proptest::prop_assert!(sentence.contains_range(e.source.range));
                proptest::prop_assert!(!e.source.code.is_empty());
            }
        }
    }
}
