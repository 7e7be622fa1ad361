//! [`Preparation`]: the stages the coder reads from, run the way the default pipeline runs
//! them, so that the evaluation, the tests and the examples code exactly what `dyad code`
//! codes: sentences and tokens (`dyad-text`), tags and lemmas (`dyad-syntax`), entities with
//! actor codes from the same knowledge base (`dyad-entities`) and quotes (`dyad-quotes`).

use crate::EventsError;
use dyad_document::{Document, Metadata, Pipeline, Stage};
use dyad_kb::KnowledgeBase;
use std::sync::Arc;

/// The stages before [`crate::EventStage`] in `dyad_pipeline::default_pipeline`.
#[derive(Debug)]
pub struct Preparation {
    pipeline: Pipeline,
}

impl Preparation {
    /// Text, syntax, entity (with `kb`) and quote stages. Fails only when embedded data of
    /// one of those crates is broken (a build problem).
    pub fn new(kb: Arc<KnowledgeBase>) -> Result<Preparation, EventsError> {
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(dyad_text::TextStage::new()),
            Box::new(dyad_syntax::SyntaxStage::new()?),
            Box::new(dyad_entities::EntityStage::new(Some(kb))?),
            Box::new(dyad_quotes::QuotesStage::new()?),
        ];
        let pipeline = Pipeline::new(stages).map_err(|e| EventsError::Prepare {
            document: String::new(),
            reason: e.to_string(),
        })?;
        Ok(Preparation { pipeline })
    }

    /// Runs the stages over `doc` (replacing its sentences, tokens, entities and quotes).
    pub fn run(&self, doc: &mut Document) -> Result<(), EventsError> {
        self.pipeline.run(doc).map_err(|e| EventsError::Prepare {
            document: doc.id().to_string(),
            reason: e.to_string(),
        })
    }

    /// A prepared document of `text`.
    pub fn document(&self, text: &str, meta: Metadata) -> Result<Document, EventsError> {
        let mut doc = Document::new(text.to_string(), meta);
        self.run(&mut doc)?;
        Ok(doc)
    }

    /// A prepared document of `context` sentences followed by `text`, and the byte offset
    /// where `text` starts (events of the context are those whose evidence starts before it).
    pub fn with_context(
        &self,
        context: Option<&str>,
        text: &str,
        meta: Metadata,
    ) -> Result<(Document, usize), EventsError> {
        let context = context.map(str::trim).filter(|c| !c.is_empty());
        let text = text.trim();
        let (joined, offset) = match context {
            Some(c) => (format!("{c} {text}"), c.len() + 1),
            None => (text.to_string(), 0),
        };
        Ok((self.document(&joined, meta)?, offset))
    }
}
