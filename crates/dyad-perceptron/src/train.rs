//! Training: the averaged perceptron with lazy averaging, and the shuffle between passes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Feature keys are already well mixed hashes: the training map uses them as they are.
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Spread small keys (the parser's 32-bit ones) over the high bits too.
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ n;
    }
}

/// One class weight with the bookkeeping for lazy averaging.
#[derive(Debug, Clone, Copy)]
struct Param {
    class: u8,
    weight: f32,
    /// Sum of the weight over all instances up to `stamp`.
    total: f64,
    stamp: u64,
}

/// A perceptron being trained: float weights per (feature key, class) plus running totals,
/// so that [`AveragedPerceptron::averaged`] returns the weights averaged over every instance
/// seen (Collins 2002) without touching every weight at every step.
#[derive(Debug, Clone, Default)]
pub struct AveragedPerceptron {
    weights: HashMap<u64, Vec<Param>, BuildHasherDefault<KeyHasher>>,
    instances: u64,
}

impl AveragedPerceptron {
    /// An untrained perceptron (all weights 0).
    pub fn new() -> AveragedPerceptron {
        AveragedPerceptron::default()
    }

    /// Number of instances counted by [`AveragedPerceptron::update`].
    pub fn instances(&self) -> u64 {
        self.instances
    }

    /// Number of features with a weight.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    /// Sets `scores` (one per class) to the sum of the current weights of `features`.
    /// Classes past the end of `scores` are ignored.
    pub fn scores(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        for f in features {
            if let Some(params) = self.weights.get(f) {
                for p in params {
                    if let Some(s) = scores.get_mut(p.class as usize) {
                        *s += p.weight;
                    }
                }
            }
        }
    }

    /// Counts one instance and, when `guess` is not `truth`, moves the weights of
    /// `features` by +1 for `truth` and −1 for `guess`.
    pub fn update(&mut self, truth: u8, guess: u8, features: &[u64]) {
        self.instances += 1;
        if truth == guess {
            return;
        }
        let now = self.instances;
        for &f in features {
            let params = self.weights.entry(f).or_default();
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0)] {
                let index = match params.iter().position(|p| p.class == class) {
                    Some(i) => i,
                    None => {
                        params.push(Param {
                            class,
                            weight: 0.0,
                            total: 0.0,
                            stamp: now,
                        });
                        params.len() - 1
                    }
                };
                if let Some(p) = params.get_mut(index) {
                    p.total += (now - p.stamp) as f64 * p.weight as f64;
                    p.stamp = now;
                    p.weight += delta;
                }
            }
        }
    }

    /// The averaged weights, `(key, [(class, weight)])` sorted by key; pack them with
    /// [`crate::SparseWeights::from_averaged`].
    pub fn averaged(&self) -> Vec<(u64, Vec<(u8, f32)>)> {
        let now = self.instances.max(1);
        let mut out: Vec<(u64, Vec<(u8, f32)>)> = self
            .weights
            .iter()
            .map(|(&f, params)| {
                let avg = params
                    .iter()
                    .map(|p| {
                        let total = p.total + (now - p.stamp) as f64 * p.weight as f64;
                        (p.class, (total / now as f64) as f32)
                    })
                    .collect();
                (f, avg)
            })
            .collect();
        out.sort_unstable_by_key(|(f, _)| *f);
        out
    }
}

/// A small deterministic generator (xorshift64*) for the shuffle between passes.
#[derive(Debug, Clone)]
pub struct Shuffle(u64);

impl Shuffle {
    /// A generator from `seed` (made odd, so never the all-zero state).
    pub fn new(seed: u64) -> Shuffle {
        Shuffle(seed | 1)
    }

    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_lazily() {
        let mut p = AveragedPerceptron::new();
        p.update(1, 0, &[7]); // instance 1: w1 = 1, w0 = -1
        p.update(1, 1, &[7]); // instance 2: no change
        p.update(0, 1, &[7]); // instance 3: w1 = 0, w0 = 0
        p.update(0, 0, &[7]); // instance 4
        let avg = p.averaged();
        assert_eq!(avg.len(), 1);
        let (key, weights) = &avg[0];
        assert_eq!(*key, 7);
        // weight 1 during instances 1 and 2 → average 2/4 (class 1), -2/4 (class 0)
        assert_eq!(weights, &[(1, 0.5), (0, -0.5)]);
        let mut scores = [0f32; 2];
        p.scores(&[7, 8], &mut scores);
        assert_eq!(scores, [0.0, 0.0]);
        assert_eq!(p.instances(), 4);
    }

    #[test]
    fn shuffle_is_deterministic() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Shuffle::new(0x5eed).shuffle(&mut a);
        Shuffle::new(0x5eed).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..50).collect::<Vec<_>>());
    }
}
