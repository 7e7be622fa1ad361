//! Load time of the default knowledge base: compiling the dictionaries vs reading the cache,
//! and actor matching throughput on the seed article.
//!
//! `cargo bench -p dyad-kb --bench load`

use criterion::{Criterion, criterion_group, criterion_main};
use dyad_kb::{KbConfig, KnowledgeBase};
use std::hint::black_box;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("compile_from_dictionaries", |b| {
        b.iter(|| KnowledgeBase::load(black_box(&KbConfig::embedded().with_cache_dir(None))))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let cached = KbConfig::embedded().with_cache_dir(Some(dir.path().to_path_buf()));
    KnowledgeBase::load(&cached).expect("cache written");
    group.bench_function("from_cache", |b| {
        b.iter(|| KnowledgeBase::load(black_box(&cached)))
    });
    group.finish();

    let kb = KnowledgeBase::load(&cached).expect("cached");
    let text = "Taliban spokesman Zabihullah Mujahid said the Taliban had met with all embassies still present in Kabul including the U.S. but stopped short of confirming reports that a commander met with the CIA";
    let tokens: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    c.bench_function("match_actors_35_tokens", |b| {
        b.iter(|| kb.match_actors(black_box(&refs), None))
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
