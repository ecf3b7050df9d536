//! Merging measurements exactly, whoever made them: the processes of one
//! test on one machine (laid end to end), the shards of one load test on
//! several generators (aligned on the wall clock and added), and the run
//! records of a run's shards (`cargo perf merge`). Latency is always
//! added through the HDR histograms, never averaged as percentiles.

pub(crate) mod environment;
pub(crate) mod latency;
pub(crate) mod load;
pub mod record;
pub(crate) mod server;
pub(crate) mod timeline;
