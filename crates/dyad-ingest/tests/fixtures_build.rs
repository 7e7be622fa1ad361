//! The WARC fixtures are built by `common::crawl_warc_members`. This test keeps the
//! committed files equal to the builder's output; regenerate them with
//! `DYAD_WRITE_FIXTURES=1 cargo test -p dyad-ingest --test fixtures_build`.

mod common;

#[test]
fn warc_fixtures_match_their_builder() {
    let files = [
        ("crawl.warc.gz", common::crawl_warc_gz()),
        ("crawl-truncated.warc.gz", common::crawl_truncated_warc_gz()),
    ];
    for (name, bytes) in files {
        let path = common::fixture(name);
        if std::env::var_os("DYAD_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == bytes,
            "{name} differs from its builder: rerun with DYAD_WRITE_FIXTURES=1"
        );
    }
}
