//! The pipeline stage.

use crate::Geocoder;
use dyad_document::{Document, Layer, Stage, StageError};

/// Fills [`Document::places`] with resolved toponyms.
///
/// Built with [`GeoStage::new`] it requires sentences and entities and resolves the GPE,
/// LOC, FAC and NORP mentions; built with [`GeoStage::without_entities`] it requires only
/// sentences and finds toponyms itself. Either way, when the entity layer is empty the
/// toponym finder runs.
#[derive(Debug, Clone)]
pub struct GeoStage {
    geocoder: Geocoder,
    needs_entities: bool,
}

impl GeoStage {
    /// A stage that runs after the entity stage.
    pub fn new(geocoder: Geocoder) -> GeoStage {
        GeoStage {
            geocoder,
            needs_entities: true,
        }
    }

    /// A stage for pipelines without an entity stage.
    pub fn without_entities(geocoder: Geocoder) -> GeoStage {
        GeoStage {
            geocoder,
            needs_entities: false,
        }
    }
}

impl Stage for GeoStage {
    fn name(&self) -> &'static str {
        "places"
    }

    fn requires(&self) -> &'static [Layer] {
        if self.needs_entities {
            &[Layer::Sentences, Layer::Entities]
        } else {
            &[Layer::Sentences]
        }
    }

    fn produces(&self) -> &'static [Layer] {
        &[Layer::Places]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let mut places = self.geocoder.places(doc);
        places.sort_by_key(|p| p.range);
        doc.places = places;
        Ok(())
    }
}
