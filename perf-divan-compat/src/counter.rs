//! divan's counters (`counter = BytesCount::new(n)`, `Bencher::counter`).
//! cargo perf gates the time per iteration; with a fixed count per
//! iteration a throughput is its reciprocal, so a slower throughput is
//! caught as a slower time. The throughput itself is not shown: the
//! benchmark says so in one line (see [`crate::options`]).

use std::fmt;

/// Bytes processed per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BytesCount {
    count: u64,
}

impl BytesCount {
    /// `count` bytes.
    pub fn new<N: CountInt>(count: N) -> Self {
        Self {
            count: count.into_u64(),
        }
    }

    /// The bytes of `value`'s type.
    pub fn of<T>() -> Self {
        Self::of_many::<T>(1)
    }

    /// The bytes of `count` values of `T`.
    pub fn of_many<T>(count: usize) -> Self {
        Self::new(std::mem::size_of::<T>().saturating_mul(count))
    }

    /// The bytes of a string.
    pub fn of_str<S: AsRef<str> + ?Sized>(text: &S) -> Self {
        Self::new(text.as_ref().len())
    }

    /// The bytes of a slice's elements.
    pub fn of_slice<T, S: AsRef<[T]> + ?Sized>(slice: &S) -> Self {
        Self::of_many::<T>(slice.as_ref().len())
    }

    /// `count` bytes (divan's `u8` helper).
    pub fn u8<N: CountInt>(count: N) -> Self {
        Self::new(count)
    }
}

/// Chars processed per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharsCount {
    count: u64,
}

impl CharsCount {
    /// `count` chars.
    pub fn new<N: CountInt>(count: N) -> Self {
        Self {
            count: count.into_u64(),
        }
    }

    /// The chars of a string.
    pub fn of_str<S: AsRef<str> + ?Sized>(text: &S) -> Self {
        Self::new(text.as_ref().chars().count())
    }
}

/// Cycles (of any kind the benchmark defines) per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CyclesCount {
    count: u64,
}

impl CyclesCount {
    /// `count` cycles.
    pub fn new<N: CountInt>(count: N) -> Self {
        Self {
            count: count.into_u64(),
        }
    }
}

/// Items processed per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemsCount {
    count: u64,
}

impl ItemsCount {
    /// `count` items.
    pub fn new<N: CountInt>(count: N) -> Self {
        Self {
            count: count.into_u64(),
        }
    }
}

/// A whole number a count is made from.
pub trait CountInt: Copy {
    /// As `u64`, saturating.
    fn into_u64(self) -> u64;
}

macro_rules! count_int {
    ($($int:ty),*) => {$(
        impl CountInt for $int {
            fn into_u64(self) -> u64 {
                u64::try_from(self).unwrap_or(u64::MAX)
            }
        }
    )*};
}
count_int!(u8, u16, u32, u64, u128, usize);

/// Any of the counters, as the benchmark gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Counter {
    /// [`BytesCount`].
    Bytes(u64),
    /// [`CharsCount`].
    Chars(u64),
    /// [`CyclesCount`].
    Cycles(u64),
    /// [`ItemsCount`].
    Items(u64),
}

impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(n) => write!(f, "BytesCount({n})"),
            Self::Chars(n) => write!(f, "CharsCount({n})"),
            Self::Cycles(n) => write!(f, "CyclesCount({n})"),
            Self::Items(n) => write!(f, "ItemsCount({n})"),
        }
    }
}

/// What `counter = ...` and `Bencher::counter` accept.
pub trait IntoCounter {
    /// The counter.
    fn into_counter(self) -> Counter;
}

impl IntoCounter for BytesCount {
    fn into_counter(self) -> Counter {
        Counter::Bytes(self.count)
    }
}

impl IntoCounter for CharsCount {
    fn into_counter(self) -> Counter {
        Counter::Chars(self.count)
    }
}

impl IntoCounter for CyclesCount {
    fn into_counter(self) -> Counter {
        Counter::Cycles(self.count)
    }
}

impl IntoCounter for ItemsCount {
    fn into_counter(self) -> Counter {
        Counter::Items(self.count)
    }
}

impl IntoCounter for Counter {
    fn into_counter(self) -> Counter {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_keep_their_kind_and_count() {
        assert_eq!(
            BytesCount::of_str("héllo").into_counter(),
            Counter::Bytes(6)
        );
        assert_eq!(
            CharsCount::of_str("héllo").into_counter(),
            Counter::Chars(5)
        );
        assert_eq!(
            BytesCount::of_slice(&[0_u32; 4]).into_counter(),
            Counter::Bytes(16)
        );
        assert_eq!(
            ItemsCount::new(3_usize).into_counter().to_string(),
            "ItemsCount(3)"
        );
    }
}
