//! How a kind's checked options hold their lists and strings: owned when
//! perf-record's checks build them, borrowed from the `static` that the
//! macro writes into a test binary, one type for both.

use std::borrow::Cow;

/// A list of a kind's options.
pub type List<T> = Cow<'static, [T]>;

/// A string of a kind's options.
pub type Text = Cow<'static, str>;

/// Think time between a user's iterations, (min ns, max ns); `None`: none.
pub type Think = Option<(u64, u64)>;
