//! `dyad ingest`, `query`, `export`, `dead-letter`: idempotency, crash safety, read-back.

use dyad_store::{EventQuery, ExportFormat, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .output()
        .expect("the dyad binary runs")
}

/// A JSONL corpus of `n` articles: the real corpus when `../shared` is beside the repo,
/// otherwise generated articles.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("corpus.jsonl");
    let mut out = std::fs::File::create(&path).unwrap();
    let real = repo().join("../shared/corpus/news2017.jsonl.gz");
    if real.exists() {
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(
            std::fs::File::open(real).unwrap(),
        ));
        use std::io::BufRead;
        for line in reader.lines().take(n) {
            writeln!(out, "{}", line.unwrap()).unwrap();
        }
    } else {
        for i in 0..n {
            let record = serde_json::json!({
                "id": format!("gen-{i}"),
                "date": "2021-08-25",
                "source": format!("outlet{}", i % 7),
                "text": format!(
                    "Report {i}. The Taliban met with envoys in Kabul on Tuesday, officials said. \
                     Fighters massed near the valley {i} as talks stalled. The resistance appealed \
                     to the United Nations for help on day {i}."
                ),
            });
            writeln!(out, "{record}").unwrap();
        }
    }
    path
}

/// Everything in a database that must not depend on how the ingest was interrupted.
fn dump(db: &Path) -> (Vec<String>, String, String, usize) {
    let store = Store::open_read_only(db).unwrap();
    let all = EventQuery {
        limit: Some(usize::MAX >> 1),
        ..EventQuery::default()
    };
    let mut csv = Vec::new();
    store.export(&all, ExportFormat::Csv, &mut csv).unwrap();
    let mut mentions = Vec::new();
    store
        .export(&all, ExportFormat::GdeltMentions, &mut mentions)
        .unwrap();
    let stats = store.stats().unwrap();
    let mut ids = Vec::new();
    let out = dyad(&[
        "query",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
        "--limit",
        "1000000",
    ]);
    assert!(out.status.success());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        ids.push(line.to_string());
    }
    (
        ids,
        String::from_utf8(csv).unwrap(),
        String::from_utf8(mentions).unwrap(),
        stats.documents as usize,
    )
}

#[test]
fn ingest_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 60);
    let db = dir.path().join("dyad.db");
    let db_arg = db.to_str().unwrap();
    let first = dyad(&["ingest", input.to_str().unwrap(), "--db", db_arg]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = dump(&db);
    assert_eq!(before.3, 60);
    let second = dyad(&["ingest", input.to_str().unwrap(), "--db", db_arg]);
    assert!(second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("0 stored") && stderr.contains("60 already present"),
        "{stderr}"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn kill_9_mid_ingest_then_rerun_equals_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 1200);
    let input_arg = input.to_str().unwrap();

    let reference = dir.path().join("reference.db");
    let out = dyad(&[
        "ingest",
        input_arg,
        "--db",
        reference.to_str().unwrap(),
        "--batch-size",
        "16",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = dump(&reference);

    let crashed = dir.path().join("crashed.db");
    let mut killed_mid_run = false;
    for attempt in 0..5 {
        let _ = std::fs::remove_file(&crashed);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
            .args([
                "ingest",
                input_arg,
                "--db",
                crashed.to_str().unwrap(),
                "--batch-size",
                "16",
                "--threads",
                "1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill once some batches are committed; later attempts wait longer.
        let wanted = 60 + 200 * attempt;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let stored = Store::open_read_only(&crashed)
                .ok()
                .and_then(|s| s.stats().ok())
                .map(|s| s.documents as usize)
                .unwrap_or(0);
            if stored >= wanted || Instant::now() > deadline {
                child.kill().unwrap(); // SIGKILL
                killed_mid_run = child.wait().unwrap().code().is_none();
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if killed_mid_run {
            break;
        }
    }
    assert!(
        killed_mid_run,
        "the ingest always finished before it could be killed"
    );
    let partial = Store::open_read_only(&crashed)
        .unwrap()
        .stats()
        .unwrap()
        .documents;
    assert!(partial < 1200, "killed after {partial} documents");

    let rerun = dyad(&[
        "ingest",
        input_arg,
        "--db",
        crashed.to_str().unwrap(),
        "--batch-size",
        "16",
    ]);
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    assert_eq!(
        dump(&crashed),
        expected,
        "the re-run database differs from an uninterrupted run"
    );
}

#[test]
fn query_and_export_read_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 40);
    let db = dir.path().join("dyad.db");
    let db_arg = db.to_str().unwrap();
    assert!(
        dyad(&["ingest", input.to_str().unwrap(), "--db", db_arg])
            .status
            .success()
    );
    let table = dyad(&["query", "--db", db_arg]);
    assert!(
        table.status.success(),
        "{}",
        String::from_utf8_lossy(&table.stderr)
    );
    assert!(String::from_utf8_lossy(&table.stdout).contains("events"));
    let counts = dyad(&[
        "query",
        "--db",
        db_arg,
        "--count-by",
        "day",
        "--format",
        "json",
    ]);
    assert!(counts.status.success());
    for format in ["gdelt-events", "gdelt-mentions", "plover", "csv"] {
        let out = dyad(&["export", format, "--db", db_arg]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let parquet = dir.path().join("events.parquet");
    let out = dyad(&[
        "export",
        "parquet",
        "--db",
        db_arg,
        "--output",
        parquet.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&parquet).unwrap().starts_with(b"PAR1"));
    // Usage errors.
    assert_eq!(
        dyad(&["export", "nonsense", "--db", db_arg]).status.code(),
        Some(2)
    );
    assert_eq!(
        dyad(&[
            "query",
            "--db",
            dir.path().join("missing.db").to_str().unwrap()
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn failures_go_to_the_dead_letter_table_and_can_be_retried() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("batch.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"The Taliban met envoys in Kabul.\"}\n{not json\n{\"id\": \"b\", \"text\": \"Protesters rallied in Moscow.\"}\n",
    )
    .unwrap();
    let db = dir.path().join("dyad.db");
    let db_arg = db.to_str().unwrap();
    let out = dyad(&["ingest", input.to_str().unwrap(), "--db", db_arg]);
    assert_eq!(out.status.code(), Some(1));
    let list = dyad(&["dead-letter", "list", "--db", db_arg, "--json"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("line 2"), "{text}");
    assert_eq!(
        Store::open_read_only(&db)
            .unwrap()
            .stats()
            .unwrap()
            .documents,
        2
    );
    // Fix the input, retry: the letter leaves the list and nothing is doubled.
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"The Taliban met envoys in Kabul.\"}\n{\"id\": \"c\", \"text\": \"Kabul airport reopened.\"}\n{\"id\": \"b\", \"text\": \"Protesters rallied in Moscow.\"}\n",
    )
    .unwrap();
    let retry = dyad(&["dead-letter", "retry", "--db", db_arg]);
    assert!(
        retry.status.success(),
        "{}",
        String::from_utf8_lossy(&retry.stderr)
    );
    let list = dyad(&["dead-letter", "list", "--db", db_arg, "--json"]);
    assert!(String::from_utf8_lossy(&list.stdout).trim().is_empty());
    assert_eq!(
        Store::open_read_only(&db)
            .unwrap()
            .stats()
            .unwrap()
            .documents,
        3
    );
}
