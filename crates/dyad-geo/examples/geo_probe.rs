//! Prints the places found in each line of standard input (a debugging aid).
//!
//! `echo "Fighting flared in Kunduz province." | cargo run -p dyad-geo --example geo_probe`

use dyad_document::{Document, Metadata};
use dyad_geo::{Gazetteer, Geocoder, naive_sentences};
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let geocoder = Geocoder::new(Gazetteer::shared()?);
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut doc = Document::new(line, Metadata::default());
        doc.sentences = naive_sentences(doc.text());
        println!("{}", doc.text());
        for p in geocoder.places(&doc) {
            println!(
                "  [{}] -> {} {} {:?} {:?} ({:.2}, {:.2}) conf {:.2}",
                doc.slice(p.range),
                p.name,
                p.feature,
                p.country_code,
                p.admin1,
                p.lat,
                p.lon,
                p.confidence
            );
        }
    }
    Ok(())
}
