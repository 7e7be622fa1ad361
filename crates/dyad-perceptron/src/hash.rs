//! Feature hashing: a template id and byte parts to a `u64` key.

/// Hashes feature templates with byte parts: FxHash-style mixing (rotate, xor, multiply by
/// the seed) byte by byte, a separator after each part, then murmur3's `fmix64` so every bit
/// is usable. Part of each model's format: a model trained with one seed must be read with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureHasher {
    seed: u64,
}

impl FeatureHasher {
    /// A hasher multiplying by `seed` (an odd 64-bit constant).
    pub const fn new(seed: u64) -> FeatureHasher {
        FeatureHasher { seed }
    }

    /// The key of template `template` with `parts` (`["ab", "c"]` and `["a", "bc"]` differ).
    #[inline]
    pub fn hash(&self, template: u8, parts: &[&[u8]]) -> u64 {
        let mut h = self.start(template);
        for part in parts {
            h = self.part(h, part);
        }
        fmix64(h)
    }

    /// The state after the template id; continue with [`FeatureHasher::part`] and end with
    /// [`fmix64`] (the same key as [`FeatureHasher::hash`]).
    #[inline]
    pub fn start(&self, template: u8) -> u64 {
        (template as u64 + 1).wrapping_mul(self.seed)
    }

    /// Mixes one part, then its separator, into the state `h`.
    #[inline]
    pub fn part(&self, mut h: u64, part: &[u8]) -> u64 {
        for &b in part {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(self.seed);
        }
        (h.rotate_left(5) ^ 0xff).wrapping_mul(self.seed)
    }
}

/// murmur3's 64-bit finalizer: every input bit affects every output bit.
#[inline]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A fast `Hasher` for in-memory maps with short string or integer keys (word lists, tag
/// dictionaries): FxHash mixing, 8 bytes at a time, finished with [`fmix64`]. Not resistant to
/// adversarial keys (no HashDoS concern for model tables built at load time); not a format.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

const FAST_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        fmix64(self.0)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(FAST_SEED);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(FAST_SEED);
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(FAST_SEED);
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(FAST_SEED);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Builds [`FastHasher`]s: `HashMap<K, V, FastBuildHasher>`.
pub type FastBuildHasher = std::hash::BuildHasherDefault<FastHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_pinned() {
        // The dyad-syntax tagger's and dyad-entities' seeds: these values are model format.
        let syntax = FeatureHasher::new(0x51_7c_c1_b7_27_22_0a_95);
        assert_eq!(syntax.hash(1, &[b"taliban"]), 241_583_936_786_944_610);
        let entities = FeatureHasher::new(0x9e37_79b9_7f4a_7c15);
        assert_eq!(entities.hash(1, &[b"taliban"]), 8_439_884_720_865_160_530);
    }

    #[test]
    fn parts_are_separated_and_templates_differ() {
        let h = FeatureHasher::new(0x9e37_79b9_7f4a_7c15);
        assert_ne!(h.hash(1, &[b"ab", b"c"]), h.hash(1, &[b"a", b"bc"]));
        assert_ne!(h.hash(1, &[b"x"]), h.hash(2, &[b"x"]));
        assert_ne!(h.hash(1, &[]), h.hash(1, &[b""]));
        let streamed = fmix64(h.part(h.part(h.start(7), b"ab"), b"c"));
        assert_eq!(streamed, h.hash(7, &[b"ab", b"c"]));
    }

    #[test]
    fn fast_maps_work_with_strings() {
        let mut map: std::collections::HashMap<Box<str>, u8, FastBuildHasher> =
            std::collections::HashMap::default();
        for (i, w) in ["a", "ab", "abcdefgh", "abcdefghi", ""].iter().enumerate() {
            map.insert((*w).into(), i as u8);
        }
        assert_eq!(map.get("abcdefghi"), Some(&3));
        assert_eq!(map.get(""), Some(&4));
        assert_eq!(map.get("abcdefgh!"), None);
    }
}
