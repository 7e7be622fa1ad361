//! One averaged perceptron for dyad's part-of-speech tagger, dependency parser and entity
//! tagger.
//!
//! The three models share everything but their features:
//! 1. **Features** are hashed to `u64` keys by the caller ([`FeatureHasher`] hashes a
//!    template id with byte parts, with no allocation). The hash is part of each model's
//!    format.
//! 2. **Training** ([`AveragedPerceptron`]): perceptron updates with lazy averaging (Collins
//!    2002), deterministic given the order of the updates ([`Shuffle`] is the fixed-seed
//!    shuffle the trainers use between passes).
//! 3. **Storage** ([`SparseWeights`]): averaged weights pruned below a magnitude, quantized to
//!    `i16` with one global scale, keys sorted and delta-encoded; serde-serializable (the
//!    crates store it with postcard + gzip inside their versioned model files).
//! 4. **Inference** ([`WeightTable`]): open addressing over 16-byte slots (a 32-bit key
//!    fingerprint and the feature's (class, `i16` weight) entries: in the slot itself when
//!    there are at most two, as a dense row of one weight per class when there are at least
//!    twelve, else in an entry array), at most half full, in memory the kernel is asked to
//!    back with 2 MiB pages (fewer TLB misses on random lookups; Linux only, advice only). [`WeightTable::add_scores`] loads
//!    a batch's home slots first (independent loads that the CPU overlaps), then sums.
//!    Scores are integers in a reused [`Scores`] array, so
//!    decoding is deterministic and does not depend on the order of the features: callers
//!    may score a sentence's context features in one batch and the features that depend on
//!    earlier decisions afterwards.
//!
//! **Invariants**: at most [`MAX_CLASSES`] classes (class ids are `u8`); a table answers
//! every key (absent keys add nothing); keys below 2^32 are matched exactly, 64-bit keys by
//! a 32-bit fingerprint (a false match needs an absent key to share a stored key's
//! fingerprint on its probe path: about 2^-31 per lookup). **Failures**: only building a table
//! from inconsistent weights fails ([`PerceptronError`]); scoring never panics, on any key.
//!
//! ```
//! use dyad_perceptron::{AveragedPerceptron, FeatureHasher, Scores, SparseWeights, WeightTable, argmax};
//!
//! // Two classes: 0 = not a name, 1 = a name. Features of "Taliban" and "fighters".
//! let hasher = FeatureHasher::new(0x51_7c_c1_b7_27_22_0a_95);
//! let features = |word: &str| {
//!     let capitalized = [u8::from(word.starts_with(char::is_uppercase))];
//!     [hasher.hash(0, &[]), hasher.hash(1, &[word.as_bytes()]), hasher.hash(2, &[&capitalized])]
//! };
//! let mut trainer = AveragedPerceptron::new();
//! let mut float_scores = [0f32; 2];
//! for _ in 0..5 {
//!     for (word, truth) in [("Taliban", 1u8), ("fighters", 0), ("Kabul", 1), ("seized", 0)] {
//!         let keys = features(word);
//!         trainer.scores(&keys, &mut float_scores);
//!         let guess = argmax(&float_scores) as u8;
//!         trainer.update(truth, guess, &keys);
//!     }
//! }
//! let weights = SparseWeights::from_averaged(&trainer.averaged(), 0.0);
//! let table = WeightTable::from_sparse(&weights, 2)?;
//! let mut scores: Scores = [0; 256];
//! table.scores(&features("Panjshir"), &mut scores);
//! assert_eq!(argmax(&scores[..2]), 1);
//! # Ok::<(), dyad_perceptron::PerceptronError>(())
//! ```
#![deny(missing_docs)]

mod error;
mod hash;
mod sparse;
mod table;
mod train;

pub use error::PerceptronError;
pub use hash::{FastBuildHasher, FastHasher, FeatureHasher, fmix64};
pub use sparse::SparseWeights;
pub use table::{MAX_CLASSES, Scores, WeightTable};
pub use train::{AveragedPerceptron, Shuffle};

/// Index of the highest score; ties go to the lower index, so decoding is deterministic.
/// Returns 0 for an empty slice.
pub fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0usize;
    let mut best_score = match scores.first() {
        Some(&s) => s,
        None => return 0,
    };
    for (i, &s) in scores.iter().enumerate().skip(1) {
        if s > best_score {
            best = i;
            best_score = s;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_ties_go_to_the_lower_index() {
        assert_eq!(argmax(&[1, 3, 3, 2]), 1);
        assert_eq!(argmax::<i32>(&[]), 0);
        assert_eq!(argmax(&[-5.0f32, -7.0]), 0);
    }
}
