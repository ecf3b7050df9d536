//! The Kubernetes objects of a split load, as the subset of the API's
//! types they use: serialized as they are, field names in the API's
//! spelling (a test reads them back through `k8s-openapi`'s types and
//! finds every field there).

use serde::Serialize;

/// A `batch/v1` Job.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Job {
    pub(crate) api_version: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) metadata: Metadata,
    pub(crate) spec: JobSpec,
}

#[derive(Debug, Serialize)]
pub(crate) struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    pub(crate) labels: Labels,
}

/// The labels every object carries, to find and delete them together.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Labels {
    #[serde(rename = "app.kubernetes.io/name")]
    pub(crate) name: &'static str,
    #[serde(rename = "app.kubernetes.io/instance")]
    pub(crate) instance: String,
    #[serde(rename = "app.kubernetes.io/component")]
    pub(crate) component: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JobSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) completion_mode: Option<&'static str>,
    pub(crate) completions: u32,
    pub(crate) parallelism: u32,
    pub(crate) backoff_limit: u32,
    pub(crate) active_deadline_seconds: u64,
    pub(crate) template: PodTemplate,
}

#[derive(Debug, Serialize)]
pub(crate) struct PodTemplate {
    pub(crate) metadata: Metadata,
    pub(crate) spec: PodSpec,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    pub(crate) restart_policy: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) init_containers: Vec<Container>,
    pub(crate) containers: Vec<Container>,
    pub(crate) volumes: Vec<Volume>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Container {
    pub(crate) name: &'static str,
    pub(crate) image: String,
    pub(crate) working_dir: String,
    pub(crate) command: Vec<String>,
    pub(crate) volume_mounts: Vec<VolumeMount>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VolumeMount {
    pub(crate) name: &'static str,
    pub(crate) mount_path: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Volume {
    pub(crate) name: &'static str,
    pub(crate) persistent_volume_claim: ClaimSource,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClaimSource {
    pub(crate) claim_name: String,
}
