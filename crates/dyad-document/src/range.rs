//! Byte ranges into a document's text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range `start..end` into a [`crate::Document`]'s text.
///
/// Invariant: `start <= end`. Both ends lie on UTF-8 character boundaries of the
/// text the range was made for; [`crate::Document::slice`] checks that and never panics.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    /// Makes a range; the ends are swapped if given in the wrong order, so the invariant holds.
    pub fn new(start: usize, end: usize) -> Self {
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        TextRange {
            start: start as u32,
            end: end as u32,
        }
    }

    /// An empty range at `offset`.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// First byte of the range.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// One past the last byte of the range.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True when the range covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies inside `self` (ends included).
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two ranges share at least one byte.
    pub fn overlaps(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The range shifted right by `delta` bytes (used when a sub-slice was analysed on its own).
    pub fn shifted(self, delta: usize) -> TextRange {
        Self::new(self.start() + delta, self.end() + delta)
    }

    /// As a `std` range, for slicing.
    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_orders_its_ends() {
        let r = TextRange::new(9, 3);
        assert_eq!((r.start(), r.end()), (3, 9));
        assert_eq!(r.len(), 6);
    }

    #[test]
    fn overlap_and_containment() {
        let a = TextRange::new(0, 10);
        let b = TextRange::new(5, 12);
        assert!(a.overlaps(b));
        assert!(!a.contains_range(b));
        assert!(a.contains_range(TextRange::new(2, 10)));
        assert!(!TextRange::new(0, 5).overlaps(TextRange::new(5, 6)));
        assert_eq!(a.cover(b), TextRange::new(0, 12));
    }
}
