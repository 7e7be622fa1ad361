//! Shared helpers: the repo-relative shared data and a text → entities pipeline.
#![allow(dead_code)]

use dyad_document::{Document, Metadata, Pipeline};
use dyad_entities::EntityStage;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// `../shared` beside the repository.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

pub fn kb() -> Arc<dyad_kb::KnowledgeBase> {
    static KB: OnceLock<Arc<dyad_kb::KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| {
        let config = dyad_kb::KbConfig::embedded().with_cache_dir(None);
        Arc::new(dyad_kb::KnowledgeBase::load(&config).expect("embedded KB loads"))
    })
    .clone()
}

pub fn pipeline(with_kb: bool) -> Pipeline {
    Pipeline::new(vec![
        Box::new(dyad_text::TextStage::new()),
        Box::new(dyad_syntax::SyntaxStage::new().expect("tagger")),
        Box::new(EntityStage::new(with_kb.then(kb)).expect("entity model")),
    ])
    .expect("stage order")
}

pub fn seed() -> Document {
    let text = std::fs::read_to_string(shared().join("corpus/seed/panjshir.txt"))
        .expect("../shared/corpus/seed/panjshir.txt");
    let meta = Metadata {
        published: Some(dyad_document::Date::new(2021, 8, 25).expect("date")),
        ..Default::default()
    };
    let mut doc = Document::new(text, meta);
    pipeline(true).run(&mut doc).expect("pipeline runs");
    doc
}
