//! The table scores exactly what the stored weights say, for any keys.

use dyad_perceptron::{Scores, SparseWeights, WeightTable};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn stored(features: &BTreeMap<u64, BTreeMap<u8, i16>>) -> SparseWeights {
    let mut w = SparseWeights {
        scale: 1.0,
        ..Default::default()
    };
    let mut last = None;
    for (key, entries) in features {
        w.key_deltas.push(match last {
            Some(k) => key - k,
            None => *key,
        });
        last = Some(*key);
        w.entry_counts.push(entries.len() as u8);
        for (class, weight) in entries {
            w.entry_classes.push(*class);
            w.entry_weights.push(*weight);
        }
    }
    w
}

fn features(small_keys: bool) -> impl Strategy<Value = BTreeMap<u64, BTreeMap<u8, i16>>> {
    let key = if small_keys {
        (1u64..1 << 32).boxed()
    } else {
        any::<u64>().boxed()
    };
    prop::collection::btree_map(
        key,
        prop::collection::btree_map(
            0u8..40,
            any::<i16>().prop_filter("nonzero", |w| *w != 0),
            1..12,
        ),
        0..300,
    )
}

fn check(features: &BTreeMap<u64, BTreeMap<u8, i16>>, extra: &[u64]) {
    let table = WeightTable::from_sparse(&stored(features), 40).unwrap();
    let mut keys: Vec<u64> = features.keys().copied().collect();
    keys.extend(extra.iter().filter(|k| !features.contains_key(k)));
    let mut expected = [0i32; 40];
    for key in &keys {
        for (class, weight) in features.get(key).into_iter().flatten() {
            expected[*class as usize] += *weight as i32;
        }
    }
    let mut scores: Scores = [0; 256];
    table.scores(&keys, &mut scores);
    assert_eq!(&scores[..40], &expected);
    for (key, entries) in features {
        let got: BTreeMap<u8, i16> = table.entries(*key).into_iter().collect();
        assert_eq!(&got, entries);
    }
}

proptest! {
    #[test]
    fn scores_equal_the_stored_sums(features in features(false), extra in prop::collection::vec(any::<u64>(), 0..100)) {
        check(&features, &extra);
    }

    #[test]
    fn small_keys_are_exact(features in features(true), extra in prop::collection::vec(1u64..1 << 32, 0..100)) {
        check(&features, &extra);
    }
}
