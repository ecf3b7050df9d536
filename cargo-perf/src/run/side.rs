//! The two builds a paired run compares.

/// Which build a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The working tree: the run being judged.
    Candidate,
    /// `--compare-ref`'s base revision.
    Base,
}

impl Side {
    /// Its index in the scheduler's sides.
    pub(crate) fn index(self) -> usize {
        match self {
            Self::Candidate => 0,
            Self::Base => 1,
        }
    }

    /// Its name in progress lines and file names.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Candidate => "candidate",
            Self::Base => "base",
        }
    }
}
