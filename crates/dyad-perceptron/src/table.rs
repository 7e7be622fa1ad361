//! The inference table: feature key → (class, weight) entries, looked up in batches.

use crate::{PerceptronError, SparseWeights};

/// Most classes a model may have (class ids are `u8`).
pub const MAX_CLASSES: usize = 255;

/// Per-class scores, indexed by class id. 256 entries so that any `u8` class id indexes it
/// without a bounds check; entries at and above the model's class count are scratch.
pub type Scores = [i32; 256];

/// Fibonacci hashing: the high bits of `key * GOLDEN` choose the home slot.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
/// Keys looked up together: their cache misses overlap.
const BATCH: usize = 64;

/// One class weight of a feature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Entry {
    class: u8,
    weight: i16,
}

/// Features with at least this many weights are stored as a dense row of `i16`, one per
/// class, and added with vector instructions instead of one entry at a time.
const DENSE_MIN: usize = 12;

/// What a lookup found: a feature's sparse entries, or its dense row (one weight per class,
/// padded with zeros).
#[derive(Debug, Clone, Copy)]
enum Found<'a> {
    Sparse(&'a [Entry]),
    Dense(&'a [i16]),
}

impl Found<'_> {
    const NONE: Found<'static> = Found::Sparse(&[]);

    /// Adds the weights to `scores` (classes past its end are skipped).
    #[inline(always)]
    fn add_to(&self, scores: &mut [i32]) {
        match self {
            Found::Sparse(entries) => {
                for e in *entries {
                    if let Some(score) = scores.get_mut(e.class as usize) {
                        *score += e.weight as i32;
                    }
                }
            }
            Found::Dense(row) => {
                for (score, &w) in scores.iter_mut().zip(*row) {
                    *score += w as i32;
                }
            }
        }
    }
}

/// Entries kept in the slot itself: a feature with this many or fewer needs no second load.
const INLINE: usize = 2;

/// A slot: the key's 32-bit fingerprint (0 = empty), the number of entries in the low byte
/// of `packed`, and the entries: in `inline` when there are at most [`INLINE`], as dense row
/// `packed >> 8` when there are at least [`DENSE_MIN`], else at `packed >> 8` in the entry
/// array. Sixteen bytes: a cache line holds four slots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(16))]
struct Slot {
    fingerprint: u32,
    packed: u32,
    inline: [Entry; INLINE],
}

/// A loaded model's weights, ready to score. `&WeightTable` is `Sync`: share one across
/// threads.
///
/// Layout: open addressing with linear probing over 16-byte slots, at most half full, so a
/// lookup almost always reads one cache line for the slot and, for the features with more
/// than two weights (few, and mostly frequent, so usually cached), one for the entries. Slots
/// keep a 32-bit fingerprint of the key: keys below 2^32 (the parser's) are their own
/// fingerprint, so lookups are exact; for 64-bit keys, an absent key matches a fingerprint on
/// its probe path with a probability of about 2^-31, and the table is built so that no two
/// stored keys can be mistaken for each other.
#[derive(Debug)]
pub struct WeightTable {
    slots: Vec<Slot>,
    mask: usize,
    shift: u32,
    /// 0 when every key is below 2^32 (fingerprint = key); else the salt of the fingerprint.
    salt: u64,
    entries: Vec<Entry>,
    /// Dense rows of `stride` weights (the frequent features with many weights).
    dense: Vec<i16>,
    stride: usize,
    features: usize,
    classes: usize,
}

impl Clone for WeightTable {
    fn clone(&self) -> WeightTable {
        WeightTable {
            slots: huge_copy(&self.slots),
            entries: huge_copy(&self.entries),
            dense: huge_copy(&self.dense),
            ..*self
        }
    }
}

/// A vector of `len` copies of `value` in memory the kernel is asked to back with 2 MiB
/// pages (see [`advise_huge_pages`]).
fn huge_vec<T: Copy>(len: usize, value: T) -> Vec<T> {
    let mut v = Vec::with_capacity(len);
    advise_huge_pages(v.as_ptr() as usize, len * std::mem::size_of::<T>());
    v.resize(len, value);
    v
}

/// A copy of `items` in memory the kernel is asked to back with 2 MiB pages.
fn huge_copy<T: Copy>(items: &[T]) -> Vec<T> {
    let mut v = Vec::with_capacity(items.len());
    advise_huge_pages(v.as_ptr() as usize, std::mem::size_of_val(items));
    v.extend_from_slice(items);
    v
}

/// Asks the kernel to back the 2 MiB-aligned part of `bytes` bytes at `address` with huge
/// pages, before they are first written. A large table is looked up at random: with 4 KiB
/// pages nearly every lookup also misses the TLB, and the page walk adds to the cache miss.
/// Advice only: where the kernel declines (transparent huge pages off), nothing changes.
#[cfg(target_os = "linux")]
fn advise_huge_pages(address: usize, bytes: usize) {
    const HUGE_PAGE: usize = 2 << 20;
    let start = address.next_multiple_of(HUGE_PAGE);
    let end = address.saturating_add(bytes) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: the range lies inside an allocation this process owns (the caller's
        // vector capacity), and MADV_HUGEPAGE changes neither its contents nor its mapping's
        // permissions; a failure only leaves the advice unapplied.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_address: usize, _bytes: usize) {}

impl WeightTable {
    /// Builds the table from stored weights of a model with `classes` classes (at most
    /// [`MAX_CLASSES`]). Fails when the weights are inconsistent (see
    /// [`SparseWeights::validate`]).
    pub fn from_sparse(
        weights: &SparseWeights,
        classes: usize,
    ) -> Result<WeightTable, PerceptronError> {
        weights.validate(classes)?;
        let features = weights.feature_count();
        if weights.weight_count() >= 1 << 24 {
            return Err(PerceptronError::TooLarge {
                weights: weights.weight_count(),
            });
        }
        let bits = (features * 2).max(16).next_power_of_two().trailing_zeros();
        let small_keys = weights.features().all(|f| f.key > 0 && f.key < 1 << 32);
        let salts: &[u64] = if small_keys {
            &[0]
        } else {
            &[1, 2, 3, 4, 5, 6, 7, 8]
        };
        for &salt in salts {
            let mut table = WeightTable {
                slots: huge_vec(1usize << bits, Slot::default()),
                mask: (1usize << bits) - 1,
                shift: 64 - bits,
                salt,
                entries: Vec::new(),
                dense: Vec::new(),
                stride: classes.next_multiple_of(16),
                features,
                classes,
            };
            if table.insert_all(weights) {
                table.entries = huge_copy(&table.entries);
                table.dense = huge_copy(&table.dense);
                return Ok(table);
            }
        }
        Err(PerceptronError::TooLarge {
            weights: weights.weight_count(),
        })
    }

    /// Inserts every feature; false when two keys share a fingerprint on one probe path.
    fn insert_all(&mut self, weights: &SparseWeights) -> bool {
        for f in weights.features() {
            let fingerprint = self.fingerprint(f.key);
            let mut i = self.home(f.key);
            let entries = f
                .classes
                .iter()
                .zip(f.weights)
                .map(|(&class, &weight)| Entry { class, weight });
            loop {
                let Some(slot) = self.slots.get_mut(i) else {
                    return false;
                };
                if slot.fingerprint == fingerprint {
                    return false;
                }
                if slot.fingerprint == 0 {
                    let count = f.classes.len();
                    *slot = Slot {
                        fingerprint,
                        packed: count as u32,
                        inline: [Entry::default(); INLINE],
                    };
                    if count <= INLINE {
                        for (cell, entry) in slot.inline.iter_mut().zip(entries) {
                            *cell = entry;
                        }
                    } else if count >= DENSE_MIN {
                        let row = self.dense.len() / self.stride;
                        slot.packed |= (row as u32) << 8;
                        self.dense.resize(self.dense.len() + self.stride, 0);
                        let start = row * self.stride;
                        for entry in entries {
                            if let Some(w) = self.dense.get_mut(start + entry.class as usize) {
                                *w = entry.weight;
                            }
                        }
                    } else {
                        slot.packed |= (self.entries.len() as u32) << 8;
                        self.entries.extend(entries);
                    }
                    break;
                }
                i = (i + 1) & self.mask;
            }
        }
        true
    }

    /// Number of features.
    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        self.classes
    }

    /// Bytes of memory the table uses.
    pub fn memory_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
            + self.entries.len() * std::mem::size_of::<Entry>()
            + self.dense.len() * std::mem::size_of::<i16>()
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(GOLDEN) >> self.shift) as usize
    }

    #[inline]
    fn fingerprint(&self, key: u64) -> u32 {
        let f = if self.salt == 0 {
            key as u32
        } else {
            (crate::fmix64(key ^ self.salt.wrapping_mul(GOLDEN)) >> 32) as u32
        };
        f.max(1)
    }

    /// The entries of the key with `fingerprint`, probing from slot `i` (its home).
    #[inline]
    fn find(&self, fingerprint: u32, mut i: usize) -> Found<'_> {
        loop {
            let Some(slot) = self.slots.get(i) else {
                return Found::NONE;
            };
            if slot.fingerprint == fingerprint {
                let count = (slot.packed & 0xff) as usize;
                let start = (slot.packed >> 8) as usize;
                return if count <= INLINE {
                    Found::Sparse(slot.inline.get(..count).unwrap_or(&[]))
                } else if count >= DENSE_MIN {
                    let start = start * self.stride;
                    Found::Dense(self.dense.get(start..start + self.stride).unwrap_or(&[]))
                } else {
                    Found::Sparse(self.entries.get(start..start + count).unwrap_or(&[]))
                };
            }
            if slot.fingerprint == 0 {
                return Found::NONE;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Loads the home slots of every key of `chunk` without using them: their cache misses
    /// overlap, and the lookups that follow find the slots in cache.
    #[inline]
    fn touch_homes(&self, chunk: &[u64]) {
        let mut touched = 0u32;
        for &key in chunk {
            touched ^= self.slots.get(self.home(key)).map_or(0, |s| s.fingerprint);
        }
        std::hint::black_box(touched);
    }

    /// Adds the weights of every key in `keys` to `scores`; absent keys add nothing.
    ///
    /// The lookups of a large model are cache misses, so all home slots of a batch are loaded
    /// first (independent loads that the CPU overlaps), then each key is found and the first
    /// cache line of its weights loaded (again overlapping), then the weights are added.
    #[inline]
    pub fn add_scores(&self, keys: &[u64], scores: &mut Scores) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of a
            // `target_feature(enable = "avx2")` function.
            unsafe { self.add_scores_avx2(keys, scores) };
            return;
        }
        self.add_scores_inline(keys, scores);
    }

    /// [`WeightTable::add_scores`] compiled for AVX2: the dense rows are added 8 weights
    /// per instruction instead of 4 (the same integer sums).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn add_scores_avx2(&self, keys: &[u64], scores: &mut Scores) {
        self.add_scores_inline(keys, scores);
    }

    /// The body of [`WeightTable::add_scores`], inlined into each instruction-set version.
    #[inline(always)]
    fn add_scores_inline(&self, keys: &[u64], scores: &mut Scores) {
        let mut found = [Found::NONE; BATCH];
        for chunk in keys.chunks(BATCH) {
            self.touch_homes(chunk);
            let mut seen = 0i16;
            for (cell, &key) in found.iter_mut().zip(chunk) {
                *cell = self.find(self.fingerprint(key), self.home(key));
                seen ^= match cell {
                    Found::Sparse(entries) => entries.first().map_or(0, |e| e.weight),
                    Found::Dense(row) => row.first().copied().unwrap_or(0),
                };
            }
            std::hint::black_box(seen);
            for f in found.iter().take(chunk.len()) {
                match f {
                    Found::Sparse(entries) => {
                        for e in *entries {
                            scores[e.class as usize] += e.weight as i32;
                        }
                    }
                    Found::Dense(row) => {
                        for (score, &w) in scores.iter_mut().zip(*row) {
                            *score += w as i32;
                        }
                    }
                }
            }
        }
    }

    /// Adds the weights of groups of keys to the rows of a row-major matrix: the keys
    /// `keys[r * keys_per_row..(r + 1) * keys_per_row]` go to row `r`, that is to
    /// `rows[r * stride + class]`. For callers that score many positions at once (a parser
    /// scoring each word of a sentence in each role), batched as in
    /// [`WeightTable::add_scores`]. Weights that fall outside `rows` (a `stride` below the
    /// class count, too few rows) are skipped; `keys_per_row == 0` adds nothing.
    pub fn add_scores_rows(
        &self,
        keys: &[u64],
        keys_per_row: usize,
        rows: &mut [i32],
        stride: usize,
    ) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above), the only requirement of a
            // `target_feature(enable = "avx2")` function.
            unsafe { self.add_scores_rows_avx2(keys, keys_per_row, rows, stride) };
            return;
        }
        self.add_scores_rows_inline(keys, keys_per_row, rows, stride);
    }

    /// [`WeightTable::add_scores_rows`] compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn add_scores_rows_avx2(
        &self,
        keys: &[u64],
        keys_per_row: usize,
        rows: &mut [i32],
        stride: usize,
    ) {
        self.add_scores_rows_inline(keys, keys_per_row, rows, stride);
    }

    /// The body of [`WeightTable::add_scores_rows`], inlined into each instruction-set
    /// version.
    #[inline(always)]
    fn add_scores_rows_inline(
        &self,
        keys: &[u64],
        keys_per_row: usize,
        rows: &mut [i32],
        stride: usize,
    ) {
        if keys_per_row == 0 {
            return;
        }
        for (c, chunk) in keys.chunks(BATCH).enumerate() {
            self.touch_homes(chunk);
            for (i, &key) in chunk.iter().enumerate() {
                let row = (c * BATCH + i) / keys_per_row;
                if let Some(row) = rows.get_mut(row * stride..(row + 1) * stride) {
                    self.find(self.fingerprint(key), self.home(key)).add_to(row);
                }
            }
        }
    }

    /// Sets `scores` to the sum of the weights of `keys`.
    pub fn scores(&self, keys: &[u64], scores: &mut Scores) {
        scores.fill(0);
        self.add_scores(keys, scores);
    }

    /// Loads the home slots of `keys` without using them, so that their cache misses overlap
    /// with other work before [`WeightTable::add_scores`] needs them.
    #[inline]
    pub fn touch(&self, keys: &[u64]) {
        let mut seen = 0u32;
        for &key in keys {
            seen ^= self.slots.get(self.home(key)).map_or(0, |s| s.fingerprint);
        }
        std::hint::black_box(seen);
    }

    /// The (class, weight) entries of `key` (empty when absent), in class order.
    pub fn entries(&self, key: u64) -> Vec<(u8, i16)> {
        match self.find(self.fingerprint(key), self.home(key)) {
            Found::Sparse(entries) => entries.iter().map(|e| (e.class, e.weight)).collect(),
            Found::Dense(row) => (0u8..=u8::MAX)
                .zip(row)
                .filter(|(_, w)| **w != 0)
                .map(|(class, &w)| (class, w))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(features: &[(u64, &[(u8, i16)])]) -> SparseWeights {
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
            for (c, x) in *entries {
                w.entry_classes.push(*c);
                w.entry_weights.push(*x);
            }
        }
        w
    }

    #[test]
    fn scores_inline_overflow_and_zero_keys() {
        let many: Vec<(u8, i16)> = (0..20).map(|c| (c, c as i16 * 10 - 55)).collect();
        let w = weights(&[
            (0, &[(1, 7)]),
            (5, &[(0, 1), (2, -3)]),
            (9, &many),
            (u64::MAX, &[(19, 1000)]),
        ]);
        let table = WeightTable::from_sparse(&w, 20).unwrap();
        assert_eq!(table.feature_count(), 4);
        assert_eq!(table.entries(9), many);
        assert_eq!(table.entries(0), [(1, 7)]);
        assert_eq!(table.entries(6), []);
        let mut scores: Scores = [0; 256];
        table.scores(&[0, 5, 9, 6, u64::MAX, 5], &mut scores);
        let mut expected = [0i32; 20];
        expected[1] += 7;
        expected[0] += 2;
        expected[2] -= 6;
        for (c, x) in &many {
            expected[*c as usize] += *x as i32;
        }
        expected[19] += 1000;
        assert_eq!(&scores[..20], &expected);
    }

    #[test]
    fn finds_every_key_of_a_crowded_table() {
        // Keys with equal home slots make long runs; all must be found, no others.
        let keys: Vec<u64> = (1..5000u64).map(|k| k << 50).collect();
        let entries: Vec<(u64, Vec<(u8, i16)>)> = keys
            .iter()
            .map(|&k| (k, vec![((k >> 50) as u8 % 3, (k >> 50) as i16)]))
            .collect();
        let refs: Vec<(u64, &[(u8, i16)])> =
            entries.iter().map(|(k, e)| (*k, e.as_slice())).collect();
        let table = WeightTable::from_sparse(&weights(&refs), 3).unwrap();
        for (k, e) in &entries {
            assert_eq!(&table.entries(*k), e);
            assert_eq!(table.entries(k + 1), []);
        }
    }

    #[test]
    fn rows_get_their_own_keys_weights() {
        let many: Vec<(u8, i16)> = (0..14).map(|c| (c, c as i16 + 1)).collect();
        let w = weights(&[(3, &[(1, 5)]), (7, &many), (8, &[(0, 2), (2, 3), (4, -1)])]);
        let table = WeightTable::from_sparse(&w, 14).unwrap();
        // row 0 gets keys 3 and 8, row 1 keys 7 and 99 (absent)
        let mut rows = vec![0i32; 2 * 16];
        table.add_scores_rows(&[3, 8, 7, 99], 2, &mut rows, 16);
        assert_eq!(&rows[..5], &[2, 5, 3, 0, -1]);
        let expected: Vec<i32> = (1..=14).chain([0, 0]).collect();
        assert_eq!(&rows[16..], &expected[..]);
        assert_eq!(table.entries(7), many);
    }

    #[test]
    fn a_clone_scores_like_the_original() {
        // Cloning copies the arrays into fresh (huge-page advised) memory.
        let many: Vec<(u8, i16)> = (0..14).map(|c| (c, c as i16 - 3)).collect();
        let w = weights(&[(3, &[(1, 5)]), (7, &many), (8, &[(0, 2), (2, 3), (4, -1)])]);
        let table = WeightTable::from_sparse(&w, 14).unwrap();
        let copy = table.clone();
        assert_eq!(copy.memory_bytes(), table.memory_bytes());
        for key in [3, 7, 8, 9] {
            assert_eq!(copy.entries(key), table.entries(key));
        }
        let (mut a, mut b): (Scores, Scores) = ([0; 256], [0; 256]);
        table.scores(&[3, 7, 8, 9, 7], &mut a);
        copy.scores(&[3, 7, 8, 9, 7], &mut b);
        assert_eq!(a, b);
        assert!(huge_copy::<u64>(&[]).is_empty());
        assert_eq!(huge_vec(3, 7u8), [7, 7, 7]);
    }

    #[test]
    fn every_instruction_set_version_scores_alike() {
        // `add_scores` picks a version for this CPU; the portable body must agree with it.
        let many: Vec<(u8, i16)> = (0..40).map(|c| (c, c as i16 * 7 - 100)).collect();
        let w = weights(&[(3, &[(1, 5)]), (7, &many), (8, &[(0, 2), (2, 3), (4, -1)])]);
        let table = WeightTable::from_sparse(&w, 40).unwrap();
        let keys = [3, 7, 8, 9, 7];
        let (mut a, mut b): (Scores, Scores) = ([0; 256], [0; 256]);
        table.add_scores(&keys, &mut a);
        table.add_scores_inline(&keys, &mut b);
        assert_eq!(a, b);
        let (mut a, mut b) = (vec![0i32; 3 * 48], vec![0i32; 3 * 48]);
        table.add_scores_rows(&keys[..4], 1, &mut a, 48);
        table.add_scores_rows_inline(&keys[..4], 1, &mut b, 48);
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_bad_class_ids() {
        let w = weights(&[(3, &[(4, 1)])]);
        assert!(matches!(
            WeightTable::from_sparse(&w, 4),
            Err(PerceptronError::ClassOutOfRange { class: 4, .. })
        ));
        assert!(WeightTable::from_sparse(&w, 256).is_err());
    }
}
