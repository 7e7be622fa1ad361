//! The one trait every pipeline stage implements, and the [`Pipeline`] that runs them.

use crate::{Document, PipelineError};
use std::fmt;

/// A layer of a [`Document`] that a stage can require or produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// `Document::sentences`.
    Sentences,
    /// `Document::tokens` (ranges and kinds).
    Tokens,
    /// Part-of-speech tags and lemmas on the tokens.
    Tags,
    /// `Document::entities`.
    Entities,
    /// `Document::quotes`.
    Quotes,
    /// `Document::dates`.
    Dates,
    /// `Document::places`.
    Places,
    /// `Document::events`.
    Events,
    /// Places and dates attached to `Document::events`.
    EventContext,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A pipeline stage: reads some layers of a document, writes others.
///
/// Stages are built once from their configuration and then shared across threads, so
/// `process` takes `&self`. A stage must not panic on any document; it reports what it
/// could not do as a [`crate::StageError`].
pub trait Stage: Send + Sync {
    /// A short name for messages (`sentences`, `events`).
    fn name(&self) -> &'static str;
    /// Layers that must be filled before this stage runs.
    fn requires(&self) -> &'static [Layer];
    /// Layers this stage fills.
    fn produces(&self) -> &'static [Layer];
    /// Runs the stage on one document.
    fn process(&self, doc: &mut Document) -> Result<(), crate::StageError>;
}

/// An ordered list of stages, checked once when built.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.stages.iter().map(|s| s.name()))
            .finish()
    }
}

impl Pipeline {
    /// Builds a pipeline, refusing an order in which a stage runs before the layers it needs.
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Result<Pipeline, PipelineError> {
        let mut available: Vec<Layer> = Vec::new();
        for stage in &stages {
            for needed in stage.requires() {
                if !available.contains(needed) {
                    let producer = stages
                        .iter()
                        .find(|s| s.produces().contains(needed))
                        .map(|s| s.name());
                    return Err(PipelineError::MissingLayer {
                        stage: stage.name(),
                        layer: *needed,
                        hint: match producer {
                            Some(p) => format!("put the `{p}` stage before `{}`", stage.name()),
                            None => format!("add a stage that produces {needed:?}"),
                        },
                    });
                }
            }
            available.extend_from_slice(stage.produces());
        }
        Ok(Pipeline { stages })
    }

    /// Runs every stage in order. A failing stage stops the document and names itself.
    pub fn run(&self, doc: &mut Document) -> Result<(), crate::StageError> {
        for stage in &self.stages {
            stage.process(doc)?;
        }
        Ok(())
    }

    /// Like [`Pipeline::run`], adding the time each stage took to `timings` (one slot per
    /// stage, in order; the vector grows to fit). For benchmarks.
    pub fn run_timed(
        &self,
        doc: &mut Document,
        timings: &mut Vec<std::time::Duration>,
    ) -> Result<(), crate::StageError> {
        timings.resize(
            self.stages.len().max(timings.len()),
            std::time::Duration::ZERO,
        );
        for (stage, slot) in self.stages.iter().zip(timings.iter_mut()) {
            let start = std::time::Instant::now();
            let result = stage.process(doc);
            *slot += start.elapsed();
            result?;
        }
        Ok(())
    }

    /// The stage names in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Metadata, Sentence, TextRange};

    struct Splitter;
    impl Stage for Splitter {
        fn name(&self) -> &'static str {
            "sentences"
        }
        fn requires(&self) -> &'static [Layer] {
            &[]
        }
        fn produces(&self) -> &'static [Layer] {
            &[Layer::Sentences]
        }
        fn process(&self, doc: &mut Document) -> Result<(), crate::StageError> {
            doc.sentences.push(Sentence {
                range: TextRange::new(0, doc.text().len()),
            });
            Ok(())
        }
    }

    struct NeedsSentences;
    impl Stage for NeedsSentences {
        fn name(&self) -> &'static str {
            "counter"
        }
        fn requires(&self) -> &'static [Layer] {
            &[Layer::Sentences]
        }
        fn produces(&self) -> &'static [Layer] {
            &[]
        }
        fn process(&self, _doc: &mut Document) -> Result<(), crate::StageError> {
            Ok(())
        }
    }

    #[test]
    fn refuses_wrong_order_with_a_hint() {
        let err = Pipeline::new(vec![Box::new(NeedsSentences), Box::new(Splitter)]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("counter"), "{msg}");
        assert!(
            msg.contains("put the `sentences` stage before `counter`"),
            "{msg}"
        );
    }

    #[test]
    fn runs_in_order() {
        let p = Pipeline::new(vec![Box::new(Splitter), Box::new(NeedsSentences)]).unwrap();
        let mut d = Document::new("Kabul fell.".into(), Metadata::default());
        p.run(&mut d).unwrap();
        assert_eq!(d.sentences.len(), 1);
        assert_eq!(p.stage_names(), ["sentences", "counter"]);
    }
}
