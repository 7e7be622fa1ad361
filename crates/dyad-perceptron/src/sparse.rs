//! The stored form of a model's weights.

use crate::PerceptronError;
use serde::{Deserialize, Serialize};

/// Averaged weights as a model file stores them: features sorted by key, keys delta-encoded
/// (small numbers compress well), weights quantized to `i16` with one global scale.
///
/// Serialized (postcard) it is the five fields in order, so a model file can embed it in
/// place of the same five fields without changing a byte.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SparseWeights {
    /// Quantization step: a stored weight `w` means `w * scale`.
    pub scale: f32,
    /// Feature keys, sorted, delta-encoded (the first absolute).
    pub key_deltas: Vec<u64>,
    /// Number of (class, weight) entries of each feature.
    pub entry_counts: Vec<u8>,
    /// Class ids of all entries, feature after feature (ascending within a feature).
    pub entry_classes: Vec<u8>,
    /// Quantized weights of all entries.
    pub entry_weights: Vec<i16>,
}

/// One stored feature: its key and its (class, weight) entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredFeature<'a> {
    /// The feature key.
    pub key: u64,
    /// Class ids of the entries.
    pub classes: &'a [u8],
    /// Quantized weights of the entries.
    pub weights: &'a [i16],
}

impl SparseWeights {
    /// Packs averaged weights (`(key, [(class, weight)])`, any order): weights whose magnitude
    /// is below `prune_below` or that quantize to 0 are dropped, then features left without
    /// weights. Deterministic for a given input.
    pub fn from_averaged(averaged: &[(u64, Vec<(u8, f32)>)], prune_below: f32) -> SparseWeights {
        let max = averaged
            .iter()
            .flat_map(|(_, ws)| ws.iter().map(|(_, w)| w.abs()))
            .fold(0f32, f32::max);
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let mut sorted: Vec<&(u64, Vec<(u8, f32)>)> = averaged.iter().collect();
        sorted.sort_by_key(|(key, _)| *key);
        let mut out = SparseWeights {
            scale,
            ..SparseWeights::default()
        };
        let mut last_key = None;
        for (key, weights) in sorted {
            let mut weights = weights.clone();
            weights.retain(|(_, w)| w.abs() >= prune_below && (w / scale).round() != 0.0);
            weights.truncate(255);
            if weights.is_empty() || last_key == Some(*key) {
                continue;
            }
            weights.sort_by_key(|(c, _)| *c);
            out.key_deltas.push(match last_key {
                Some(k) => key.wrapping_sub(k),
                None => *key,
            });
            last_key = Some(*key);
            out.entry_counts.push(weights.len() as u8);
            for (c, w) in weights {
                out.entry_classes.push(c);
                out.entry_weights.push((w / scale).round() as i16);
            }
        }
        out
    }

    /// Number of features.
    pub fn feature_count(&self) -> usize {
        self.key_deltas.len()
    }

    /// Number of stored weights.
    pub fn weight_count(&self) -> usize {
        self.entry_weights.len()
    }

    /// Checks the arrays against each other and `classes`: consistent lengths, class ids in
    /// range, strictly increasing keys.
    pub fn validate(&self, classes: usize) -> Result<(), PerceptronError> {
        if classes == 0 || classes > crate::MAX_CLASSES {
            return Err(PerceptronError::ClassCount { classes });
        }
        let expected: usize = self.entry_counts.iter().map(|&c| c as usize).sum();
        if self.entry_counts.len() != self.key_deltas.len()
            || self.entry_classes.len() != expected
            || self.entry_weights.len() != expected
        {
            return Err(PerceptronError::Inconsistent {
                features: self.key_deltas.len(),
                counts: self.entry_counts.len(),
                classes: self.entry_classes.len(),
                weights: self.entry_weights.len(),
                expected,
            });
        }
        for (feature, delta) in self.key_deltas.iter().enumerate().skip(1) {
            if *delta == 0 {
                return Err(PerceptronError::DuplicateKey { feature });
            }
        }
        let mut start = 0usize;
        for (feature, &count) in self.entry_counts.iter().enumerate() {
            let end = start + count as usize;
            for &class in self.entry_classes.get(start..end).unwrap_or(&[]) {
                if class as usize >= classes {
                    return Err(PerceptronError::ClassOutOfRange {
                        feature,
                        class,
                        classes,
                    });
                }
            }
            start = end;
        }
        Ok(())
    }

    /// The stored features in key order (stops early on inconsistent arrays: call
    /// [`SparseWeights::validate`] first).
    pub fn features(&self) -> impl Iterator<Item = StoredFeature<'_>> + '_ {
        let mut key = 0u64;
        let mut start = 0usize;
        self.key_deltas
            .iter()
            .zip(&self.entry_counts)
            .enumerate()
            .map_while(move |(i, (&delta, &count))| {
                key = if i == 0 {
                    delta
                } else {
                    key.wrapping_add(delta)
                };
                let end = start + count as usize;
                let feature = StoredFeature {
                    key,
                    classes: self.entry_classes.get(start..end)?,
                    weights: self.entry_weights.get(start..end)?,
                };
                start = end;
                Some(feature)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_prunes_and_round_trips() {
        let averaged = vec![
            (30u64, vec![(2u8, 0.25f32), (0, -4.0)]),
            (10, vec![(1, 2.0)]),
            (20, vec![(1, 0.1)]),
        ];
        let w = SparseWeights::from_averaged(&averaged, 0.2);
        assert_eq!(w.key_deltas, [10, 20]);
        assert_eq!(w.entry_counts, [1, 2]);
        assert_eq!(w.entry_classes, [1, 0, 2]);
        assert_eq!(w.entry_weights, [16384, -32767, 2048]);
        w.validate(3).unwrap();
        assert!(w.validate(2).is_err());
        let keys: Vec<u64> = w.features().map(|f| f.key).collect();
        assert_eq!(keys, [10, 30]);
    }

    #[test]
    fn encodes_like_five_flat_fields() {
        // Model files written before this crate had the fields inline, keys as u32 or u64.
        #[derive(serde::Serialize)]
        struct Flat {
            scale: f32,
            key_deltas: Vec<u32>,
            entry_counts: Vec<u8>,
            entry_classes: Vec<u8>,
            entry_weights: Vec<i16>,
        }
        let flat = Flat {
            scale: 0.5,
            key_deltas: vec![u32::MAX - 5, 3],
            entry_counts: vec![1, 1],
            entry_classes: vec![0, 4],
            entry_weights: vec![-3, 300],
        };
        let nested = SparseWeights {
            scale: 0.5,
            key_deltas: vec![u32::MAX as u64 - 5, 3],
            entry_counts: vec![1, 1],
            entry_classes: vec![0, 4],
            entry_weights: vec![-3, 300],
        };
        assert_eq!(
            postcard::to_stdvec(&flat).unwrap(),
            postcard::to_stdvec(&nested).unwrap()
        );
    }

    #[test]
    fn rejects_inconsistent_arrays() {
        let mut w = SparseWeights::from_averaged(&[(1, vec![(0, 1.0)])], 0.0);
        w.entry_weights.push(1);
        assert!(matches!(
            w.validate(1),
            Err(PerceptronError::Inconsistent { .. })
        ));
        assert!(matches!(
            SparseWeights::default().validate(0),
            Err(PerceptronError::ClassCount { .. })
        ));
    }
}
