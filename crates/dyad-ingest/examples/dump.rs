//! Prints what the readers make of some inputs: `cargo run -p dyad-ingest --example dump -- PATH...`.

use dyad_ingest::{ReadOptions, read_inputs};

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    for item in read_inputs(&paths, &ReadOptions::default()) {
        match item {
            Ok(doc) => {
                println!("== {} {:?}", doc.meta.origin, doc.meta.title);
                println!(
                    "   published={:?} url={:?} source={:?} lang={:?} id={:?} anchors={}",
                    doc.meta.published.map(|d| d.to_string()),
                    doc.meta.url,
                    doc.meta.source,
                    doc.meta.language,
                    doc.meta.external_id,
                    doc.alignment.len()
                );
                println!("{}", doc.text());
            }
            Err(e) => println!("!! {e}"),
        }
    }
}
