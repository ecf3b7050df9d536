//! `cargo perf k8s`: the manifests that run a split load on Kubernetes,
//! an Indexed Job whose pods are the shares and a Job that merges them.

mod jobs;
mod manifest;

pub(crate) use jobs::manifests;
