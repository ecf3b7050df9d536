//! The families of kinds: the kinds each runner of perf-runtime runs, as
//! types of their own, so that a runner's matches name every kind it has
//! and no other (a kind added to a family is a compile error in its
//! runner, not a fall-through into another kind's branch). A test's
//! options carry its family already ([`KindOptions`](super::KindOptions)
//! mirrors [`Family`], and each family's options say their kind);
//! [`Kind::family`] is for where there are no options at hand.

use super::kind::Kind;

/// A kind, as the family that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// One short step per level or phase, then how the figures change.
    Sweep(SweepKind),
    /// One run.
    Single(SingleKind),
    /// Short steps, each watched for more than timing (headers, status
    /// codes, counters), then the kind's own analysis.
    Catalog(CatalogKind),
}

/// The kinds that run one closed-model step per level (users, bytes,
/// page) or phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SweepKind {
    /// [`Kind::Stress`].
    Stress,
    /// [`Kind::Scalability`].
    Scalability,
    /// [`Kind::Volume`].
    Volume,
    /// [`Kind::Pagination`].
    Pagination,
    /// [`Kind::Spike`].
    Spike,
}

/// The kinds that are one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SingleKind {
    /// [`Kind::ResponseTime`].
    ResponseTime,
    /// [`Kind::Soak`].
    Soak,
}

/// The kinds whose steps are watched by an observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CatalogKind {
    /// [`Kind::RateLimit`].
    RateLimit,
    /// [`Kind::Caching`].
    Caching,
    /// [`Kind::NPlusOne`].
    NPlusOne,
    /// [`Kind::Pool`].
    Pool,
    /// [`Kind::Timeout`].
    Timeout,
    /// [`Kind::Search`].
    Search,
    /// [`Kind::WebSocket`].
    WebSocket,
}

impl Kind {
    /// The family that runs it.
    pub fn family(self) -> Family {
        match self {
            Self::Stress => Family::Sweep(SweepKind::Stress),
            Self::Scalability => Family::Sweep(SweepKind::Scalability),
            Self::Volume => Family::Sweep(SweepKind::Volume),
            Self::Pagination => Family::Sweep(SweepKind::Pagination),
            Self::Spike => Family::Sweep(SweepKind::Spike),
            Self::ResponseTime => Family::Single(SingleKind::ResponseTime),
            Self::Soak => Family::Single(SingleKind::Soak),
            Self::RateLimit => Family::Catalog(CatalogKind::RateLimit),
            Self::Caching => Family::Catalog(CatalogKind::Caching),
            Self::NPlusOne => Family::Catalog(CatalogKind::NPlusOne),
            Self::Pool => Family::Catalog(CatalogKind::Pool),
            Self::Timeout => Family::Catalog(CatalogKind::Timeout),
            Self::Search => Family::Catalog(CatalogKind::Search),
            Self::WebSocket => Family::Catalog(CatalogKind::WebSocket),
        }
    }
}

impl From<SweepKind> for Kind {
    fn from(kind: SweepKind) -> Self {
        match kind {
            SweepKind::Stress => Self::Stress,
            SweepKind::Scalability => Self::Scalability,
            SweepKind::Volume => Self::Volume,
            SweepKind::Pagination => Self::Pagination,
            SweepKind::Spike => Self::Spike,
        }
    }
}

impl From<SingleKind> for Kind {
    fn from(kind: SingleKind) -> Self {
        match kind {
            SingleKind::ResponseTime => Self::ResponseTime,
            SingleKind::Soak => Self::Soak,
        }
    }
}

impl From<CatalogKind> for Kind {
    fn from(kind: CatalogKind) -> Self {
        match kind {
            CatalogKind::RateLimit => Self::RateLimit,
            CatalogKind::Caching => Self::Caching,
            CatalogKind::NPlusOne => Self::NPlusOne,
            CatalogKind::Pool => Self::Pool,
            CatalogKind::Timeout => Self::Timeout,
            CatalogKind::Search => Self::Search,
            CatalogKind::WebSocket => Self::WebSocket,
        }
    }
}

impl From<Family> for Kind {
    fn from(family: Family) -> Self {
        match family {
            Family::Sweep(kind) => kind.into(),
            Family::Single(kind) => kind.into(),
            Family::Catalog(kind) => kind.into(),
        }
    }
}

impl std::fmt::Display for SweepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Kind::from(*self).name())
    }
}

impl std::fmt::Display for SingleKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Kind::from(*self).name())
    }
}

impl std::fmt::Display for CatalogKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Kind::from(*self).name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every member of every family, listed by hand: a kind added to a
    /// family and not here fails `every_kind_is_one_family_member_and_back`.
    const MEMBERS: [Family; 14] = [
        Family::Sweep(SweepKind::Stress),
        Family::Sweep(SweepKind::Scalability),
        Family::Sweep(SweepKind::Volume),
        Family::Sweep(SweepKind::Pagination),
        Family::Sweep(SweepKind::Spike),
        Family::Single(SingleKind::ResponseTime),
        Family::Single(SingleKind::Soak),
        Family::Catalog(CatalogKind::RateLimit),
        Family::Catalog(CatalogKind::Caching),
        Family::Catalog(CatalogKind::NPlusOne),
        Family::Catalog(CatalogKind::Pool),
        Family::Catalog(CatalogKind::Timeout),
        Family::Catalog(CatalogKind::Search),
        Family::Catalog(CatalogKind::WebSocket),
    ];

    #[test]
    fn every_kind_is_one_family_member_and_back() {
        for kind in Kind::ALL {
            let family = kind.family();
            assert_eq!(Kind::from(family), kind, "{kind:?} -> {family:?}");
            let holding = MEMBERS.iter().filter(|m| **m == family).count();
            assert_eq!(holding, 1, "{kind:?} is {family:?}, listed {holding} times");
        }
    }

    #[test]
    fn members_are_the_kinds() {
        let mut kinds: Vec<Kind> = MEMBERS.iter().map(|m| Kind::from(*m)).collect();
        for member in MEMBERS {
            assert_eq!(Kind::from(member).family(), member, "{member:?}");
        }
        kinds.sort();
        kinds.dedup();
        let mut all = Kind::ALL.to_vec();
        all.sort();
        assert_eq!(kinds, all, "two members are one kind, or a kind has none");
    }

    #[test]
    fn a_member_writes_its_kinds_name() {
        assert_eq!(CatalogKind::RateLimit.to_string(), "rate_limit");
        assert_eq!(SweepKind::Pagination.to_string(), "pagination");
        assert_eq!(SingleKind::ResponseTime.to_string(), "response_time");
    }
}
