//! Parquet export with typed columns (feature `parquet`).

use crate::StoreError;
use crate::query::EventRow;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

/// Writes the events as one Parquet file with one typed column per [`EventRow`] field.
pub fn write<W: Write + Send>(events: &[EventRow], out: W) -> Result<(), StoreError> {
    let text = |f: fn(&EventRow) -> Option<&str>| -> ArrayRef {
        Arc::new(StringArray::from_iter(events.iter().map(f)))
    };
    let real = |f: fn(&EventRow) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(events.iter().map(f)))
    };
    let int = |f: fn(&EventRow) -> Option<i64>| -> ArrayRef {
        Arc::new(Int64Array::from_iter(events.iter().map(f)))
    };
    let columns: Vec<(&str, DataType, bool, ArrayRef)> = vec![
        ("id", DataType::Int64, false, int(|e| Some(e.id))),
        ("day", DataType::Utf8, false, text(|e| Some(&e.day))),
        (
            "source_code",
            DataType::Utf8,
            false,
            text(|e| Some(&e.source_code)),
        ),
        (
            "source_name",
            DataType::Utf8,
            false,
            text(|e| Some(&e.source_name)),
        ),
        (
            "target_code",
            DataType::Utf8,
            true,
            text(|e| e.target_code.as_deref()),
        ),
        (
            "target_name",
            DataType::Utf8,
            true,
            text(|e| e.target_name.as_deref()),
        ),
        ("cameo", DataType::Utf8, false, text(|e| Some(&e.cameo))),
        ("root", DataType::Utf8, false, text(|e| Some(&e.root))),
        (
            "plover_type",
            DataType::Utf8,
            true,
            text(|e| e.plover_type.as_deref()),
        ),
        (
            "plover_mode",
            DataType::Utf8,
            true,
            text(|e| e.plover_mode.as_deref()),
        ),
        (
            "quad_class",
            DataType::UInt8,
            false,
            Arc::new(UInt8Array::from_iter_values(
                events.iter().map(|e| e.quad_class),
            )),
        ),
        (
            "goldstein",
            DataType::Float64,
            false,
            real(|e| Some(e.goldstein)),
        ),
        (
            "negated",
            DataType::Boolean,
            false,
            Arc::new(BooleanArray::from_iter(
                events.iter().map(|e| Some(e.negated)),
            )),
        ),
        (
            "modality",
            DataType::Utf8,
            false,
            text(|e| Some(&e.modality)),
        ),
        (
            "place_name",
            DataType::Utf8,
            true,
            text(|e| e.place_name.as_deref()),
        ),
        ("geonameid", DataType::Int64, true, int(|e| e.geonameid)),
        (
            "country_code",
            DataType::Utf8,
            true,
            text(|e| e.country_code.as_deref()),
        ),
        (
            "admin1",
            DataType::Utf8,
            true,
            text(|e| e.admin1.as_deref()),
        ),
        ("lat", DataType::Float64, true, real(|e| e.lat)),
        ("lon", DataType::Float64, true, real(|e| e.lon)),
        (
            "feature",
            DataType::Utf8,
            true,
            text(|e| e.feature.as_deref()),
        ),
        (
            "num_mentions",
            DataType::Int64,
            false,
            int(|e| Some(e.num_mentions)),
        ),
        (
            "num_sources",
            DataType::Int64,
            false,
            int(|e| Some(e.num_sources)),
        ),
        (
            "num_articles",
            DataType::Int64,
            false,
            int(|e| Some(e.num_articles)),
        ),
        (
            "confidence",
            DataType::Float64,
            false,
            real(|e| Some(e.confidence)),
        ),
        (
            "first_seen",
            DataType::Utf8,
            false,
            text(|e| Some(&e.first_seen)),
        ),
        (
            "last_seen",
            DataType::Utf8,
            false,
            text(|e| Some(&e.last_seen)),
        ),
    ];
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, ty, nullable, _)| Field::new(*name, ty.clone(), *nullable))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, _, _, a)| a).collect(),
    )
    .map_err(|e| parquet::errors::ParquetError::ArrowError(e.to_string()))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(out, schema, Some(props))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}
