//! Near-duplicate detection with SimHash over word shingles.
//!
//! Two articles whose 64-bit SimHashes differ in at most [`NEAR_DUPLICATE_BITS`] bits are
//! near-duplicates (syndicated wire copies, the same story on two URLs). The hash is split
//! into four 16-bit bands; by the pigeonhole principle two hashes within 3 bits agree on at
//! least one band exactly, so candidates are found with four indexed lookups.
//!
//! The hash is FNV-1a, fixed here, so stored values stay comparable across builds.

/// Hamming distance at or under which two documents are near-duplicates.
pub const NEAR_DUPLICATE_BITS: u32 = 3;

/// Words per shingle.
const SHINGLE: usize = 4;

fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The 64-bit SimHash of a text's lowercased 4-word shingles.
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    if words.is_empty() {
        return 0;
    }
    let mut weights = [0i32; 64];
    let n = words.len().saturating_sub(SHINGLE - 1).max(1);
    for i in 0..n {
        let end = (i + SHINGLE).min(words.len());
        let h = fnv1a(
            words[i..end]
                .iter()
                .flat_map(|w| w.bytes().chain(std::iter::once(b' '))),
        );
        for (bit, weight) in weights.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *weight += 1;
            } else {
                *weight -= 1;
            }
        }
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// The four 16-bit bands of a SimHash.
pub fn bands(hash: u64) -> [u16; 4] {
    [0, 1, 2, 3].map(|i| (hash >> (16 * i)) as u16)
}

/// True when two hashes are within [`NEAR_DUPLICATE_BITS`].
pub fn is_near_duplicate(a: u64, b: u64) -> bool {
    (a ^ b).count_ones() <= NEAR_DUPLICATE_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    // A wire story of realistic length (syndicated copies are whole articles, not one sentence).
    const WIRE: &str = "KABUL, Aug 24 (Reuters) - The Taliban have sent hundreds of fighters towards the \
        Panjshir Valley, the last province holding out against the group, a spokesman said on Tuesday, \
        while the leader of the resistance said he hoped for talks but was ready to fight. Ahmad Massoud, \
        the son of a famed commander who fought the Soviets in the 1980s, told reporters that his forces \
        had stockpiled weapons and ammunition and that thousands of former soldiers had joined them. \
        Taliban spokesman Zabihullah Mujahid said the movement wanted to solve the problem peacefully and \
        that negotiations were under way with elders from the valley, but he warned that fighters had \
        surrounded the area from three sides. Residents said shops were closed and many families had fled \
        to the mountains, fearing an assault, while food and fuel prices had doubled in recent days. The \
        United Nations said it was concerned about reports of reprisals in several provinces and urged all \
        sides to respect international humanitarian law and protect civilians caught up in the fighting.";

    #[test]
    fn syndicated_copy_is_a_near_duplicate() {
        let copy = WIRE.replace("KABUL, Aug 24 (Reuters) - ", "");
        let copy = format!("{copy} Reporting by staff; editing by desk.");
        assert!(
            is_near_duplicate(simhash(WIRE), simhash(&copy)),
            "distance {}",
            (simhash(WIRE) ^ simhash(&copy)).count_ones()
        );
    }

    #[test]
    fn different_stories_are_not() {
        let other = "Russian and Ukrainian negotiators met in Minsk on Friday to discuss a ceasefire \
            in the Donbas region, where fighting has killed thousands since 2014, officials said.";
        assert!(!is_near_duplicate(simhash(WIRE), simhash(other)));
    }

    #[test]
    fn bands_reassemble() {
        let h = simhash(WIRE);
        let b = bands(h);
        let back = b
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, v)| acc | u64::from(*v) << (16 * i));
        assert_eq!(back, h);
    }
}
