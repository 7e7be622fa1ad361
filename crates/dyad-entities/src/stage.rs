//! The pipeline stage.

use crate::EntityError;
use crate::coref::{PlacedMention, group};
use crate::features::{PreparedSentence, prepare_into};
use crate::gazetteer::Gazetteer;
use crate::model::{ModelFile, NerModel};
use crate::recognize::recognize;
use dyad_document::{Document, Entity, Layer, PosTag, Stage, StageError, TextRange};
use dyad_kb::KnowledgeBase;
use std::sync::{Arc, OnceLock};

/// The tagger trained from spaCy en_core_web_sm 3.8.0 labels (see `TRAINING.md`).
static EMBEDDED_MODEL: &[u8] = include_bytes!("../data/ner.postcard.gz");

/// The embedded tagger and lists, loaded once per process.
fn embedded() -> Result<&'static (NerModel, Gazetteer), EntityError> {
    static LOADED: OnceLock<Result<(NerModel, Gazetteer), EntityError>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let model = ModelFile::from_bytes(EMBEDDED_MODEL, "embedded data/ner.postcard.gz")
                .and_then(NerModel::from_model)?;
            Ok((model, Gazetteer::embedded()?))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Finds named entities, groups them into referents and codes them.
///
/// Requires [`Layer::Sentences`], [`Layer::Tokens`] and [`Layer::Tags`]; produces
/// [`Layer::Entities`] (replacing any entities already there).
#[derive(Clone)]
pub struct EntityStage {
    model: Arc<NerModel>,
    gazetteer: Arc<Gazetteer>,
    kb: Option<Arc<KnowledgeBase>>,
}

impl std::fmt::Debug for EntityStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityStage")
            .field("features", &self.model.feature_count())
            .field("kb", &self.kb.is_some())
            .finish()
    }
}

impl EntityStage {
    /// The stage with the embedded tagger and lists; `kb` adds dictionary names, actor codes
    /// and KB features (without it the stage still runs, with lower recall on rare names).
    ///
    /// Fails only when the embedded model or lists are corrupt (a build problem).
    pub fn new(kb: Option<Arc<KnowledgeBase>>) -> Result<EntityStage, EntityError> {
        let (model, gazetteer) = embedded()?;
        Ok(EntityStage {
            model: Arc::new(model.clone()),
            gazetteer: Arc::new(gazetteer.clone()),
            kb,
        })
    }

    /// The stage with another tagger model (e.g. one just trained).
    pub fn with_model(
        model: NerModel,
        kb: Option<Arc<KnowledgeBase>>,
    ) -> Result<EntityStage, EntityError> {
        Ok(EntityStage {
            model: Arc::new(model),
            gazetteer: Arc::new(Gazetteer::embedded()?),
            kb,
        })
    }

    /// Fills `doc.entities` from its sentences, tokens and tags. Never panics.
    pub fn annotate(&self, doc: &mut Document) {
        let date = doc.meta.published;
        let mut placed: Vec<PlacedMention> = Vec::new();
        // Buffers reused from sentence to sentence.
        let mut prepared = PreparedSentence::default();
        let mut words: Vec<&str> = Vec::new();
        let mut tags: Vec<Option<PosTag>> = Vec::new();
        for (sentence_index, sentence) in doc.sentences.iter().enumerate() {
            let range = doc.tokens_in(sentence.range);
            let Some(tokens) = doc.tokens.get(range.clone()) else {
                continue;
            };
            if tokens.is_empty() {
                continue;
            }
            words.clear();
            words.extend(tokens.iter().map(|t| doc.slice(t.range)));
            tags.clear();
            tags.extend(tokens.iter().map(|t| t.tag));
            prepare_into(
                &mut prepared,
                &words,
                &tags,
                &self.gazetteer,
                self.kb.as_deref(),
                date,
            );
            for mention in recognize(&self.model, &self.gazetteer, &prepared, &words, &tags) {
                let words_of: Vec<String> = words
                    .get(mention.start..mention.end)
                    .unwrap_or(&[])
                    .iter()
                    .map(|w| w.to_string())
                    .collect();
                let after_bracket = mention
                    .start
                    .checked_sub(1)
                    .and_then(|i| words.get(i))
                    .is_some_and(|w| *w == "(");
                placed.push(PlacedMention {
                    start: range.start + mention.start,
                    end: range.start + mention.end,
                    sentence: sentence_index,
                    words: words_of,
                    after_bracket,
                    mention,
                });
            }
        }
        let resolved = group(&placed, &self.gazetteer);
        let mut entities = Vec::with_capacity(placed.len());
        for (m, r) in placed.iter().zip(resolved) {
            let Some(r) = r else { continue };
            let (Some(first), Some(last)) = (
                doc.tokens.get(m.start),
                m.end.checked_sub(1).and_then(|e| doc.tokens.get(e)),
            ) else {
                continue;
            };
            entities.push(Entity {
                range: TextRange::new(first.range.start(), last.range.end()),
                label: r.label,
                canonical: r.canonical,
                referent: r.referent,
                actor: r.actor,
            });
        }
        doc.entities = entities;
        // Second readings: a country acting as its government (at most one per mention).
        let mut readings: Vec<dyad_document::EntityReading> =
            crate::readings::organization_readings(doc, &self.gazetteer)
                .into_iter()
                .map(|r| dyad_document::EntityReading {
                    entity: r.entity as u32,
                    label: dyad_document::EntityLabel::Org,
                    range: r.range,
                    cue: r.cue.as_str().to_string(),
                })
                .collect();
        // A stable sort: the first reading found for a mention is the one kept.
        readings.sort_by_key(|r| r.entity);
        readings.dedup_by_key(|r| r.entity);
        doc.readings = readings;
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Tags]
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.annotate(doc);
        Ok(())
    }
}

/// One line per entity, for snapshots and debugging:
/// `[ENT 12..17 ORG "Taliban" -> AFGINSTAL #3]` (byte range, label, text, code, referent),
/// followed by `= canonical` when the canonical name differs from the text.
pub fn format_entities(doc: &Document) -> String {
    let mut out = String::new();
    for e in &doc.entities {
        let text = doc.slice(e.range);
        out.push_str(&format!(
            "[ENT {}..{} {} {:?}",
            e.range.start(),
            e.range.end(),
            e.label.as_str(),
            text
        ));
        if let Some(code) = &e.actor {
            out.push_str(&format!(" -> {code}"));
        }
        out.push_str(&format!(" #{}]", e.referent));
        if e.canonical != text {
            out.push_str(&format!(" = {:?}", e.canonical));
        }
        out.push('\n');
    }
    out
}
