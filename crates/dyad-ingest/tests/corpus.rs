//! Reads the whole real corpus in `../shared/corpus/news2017.jsonl.gz` (skipped, with a
//! message, when `../shared` is not beside the repository).

mod common;

use dyad_ingest::{ReadOptions, read_inputs};

#[test]
fn news2017_corpus_reads_completely() {
    let Some(shared) = common::shared() else {
        eprintln!("skipped: ../shared is not beside the repository");
        return;
    };
    let path = shared.join("corpus/news2017.jsonl.gz");
    if !path.is_file() {
        eprintln!("skipped: {} is missing", path.display());
        return;
    }
    let mut documents = 0;
    let mut errors = Vec::new();
    let mut dated = 0;
    for item in read_inputs(&[path], &ReadOptions::default()) {
        match item {
            Ok(doc) => {
                documents += 1;
                dated += usize::from(doc.meta.published.is_some());
                doc.validate().unwrap();
                assert!(doc.meta.external_id.is_some());
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    assert_eq!(documents, 3788);
    assert_eq!(dated, 3788);
}
