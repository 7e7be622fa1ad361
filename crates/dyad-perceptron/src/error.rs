//! The one error type of dyad-perceptron.

/// What can go wrong when building an inference table from stored weights. The crates that
/// embed a model wrap it with the model's name and tell how to retrain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PerceptronError {
    /// The weight arrays disagree in length.
    #[error(
        "inconsistent weight arrays: {features} keys, {counts} entry counts, {classes} entry classes, {weights} weights (the counts sum to {expected})"
    )]
    Inconsistent {
        /// Number of keys.
        features: usize,
        /// Number of per-feature entry counts.
        counts: usize,
        /// Number of entry class ids.
        classes: usize,
        /// Number of entry weights.
        weights: usize,
        /// Sum of the entry counts: what `classes` and `weights` should be.
        expected: usize,
    },
    /// The model has no classes or more than [`crate::MAX_CLASSES`].
    #[error("{classes} classes, but a model has 1 to 255 classes")]
    ClassCount {
        /// The number of classes asked for.
        classes: usize,
    },
    /// An entry names a class the model does not have.
    #[error(
        "feature #{feature} has a weight for class {class}, but the model has {classes} classes"
    )]
    ClassOutOfRange {
        /// Position of the feature in the stored order.
        feature: usize,
        /// The class id found.
        class: u8,
        /// The number of classes.
        classes: usize,
    },
    /// Keys are not strictly increasing (a key repeats).
    #[error("feature #{feature} repeats the key of the feature before it")]
    DuplicateKey {
        /// Position of the feature in the stored order.
        feature: usize,
    },
    /// The table would exceed its 32-bit offsets.
    #[error("too many weights for one table ({weights})")]
    TooLarge {
        /// Number of weights.
        weights: usize,
    },
}
