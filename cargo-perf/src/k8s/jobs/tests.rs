//! The manifests read back through the Kubernetes API's own types
//! (k8s-openapi): every field we write must be a field of the API, spelt
//! as the API spells it. k8s-openapi's types ignore unknown fields, so
//! strictness comes from a round trip: a document read into `Job` and
//! written back must be the document itself; a misspelt or invented field
//! would be dropped and the two would differ.

use k8s_openapi::api::batch::v1::Job as ApiJob;
use serde::Deserialize as _;

use super::*;
use crate::cli::{K8sArgs, StartAt};

fn args(split: u32) -> K8sArgs {
    K8sArgs {
        split,
        image: "registry.example/shop-perf:1".to_owned(),
        target_url: "http://shop.default.svc:8080".to_owned(),
        allow_remote: true,
        start_at: Some(StartAt(1_767_225_600_000)),
        lead: std::time::Duration::from_secs(180),
        deadline: std::time::Duration::from_secs(3600),
        name: "shop-load".to_owned(),
        records_claim: "perf-records".to_owned(),
        workdir: "/src".to_owned(),
        run_args: vec![
            "browse".to_owned(),
            "--duration-scale".to_owned(),
            "0.5".to_owned(),
        ],
    }
}

/// The YAML documents of `text`, as JSON values.
fn documents(text: &str) -> Vec<serde_json::Value> {
    serde_norway::Deserializer::from_str(text)
        .map(|document| serde_json::Value::deserialize(document).expect("valid YAML"))
        .collect()
}

/// `document` read strictly as a `Job` (the path of a bad field named),
/// and written back.
fn round_trip(document: &serde_json::Value) -> (ApiJob, serde_json::Value) {
    let job: ApiJob = serde_path_to_error::deserialize(document)
        .unwrap_or_else(|e| panic!("not a Job at {}: {}", e.path(), e.inner()));
    let back = serde_json::to_value(&job).unwrap();
    (job, back)
}

#[test]
fn the_manifests_are_jobs_in_the_api_s_own_types() {
    let text = manifests(&args(4)).unwrap();
    let documents = documents(&text);
    assert_eq!(documents.len(), 2, "{text}");
    for document in &documents {
        let (_, back) = round_trip(document);
        assert_eq!(&back, document, "a field the API does not know:\n{text}");
    }
    let (shares, _) = round_trip(&documents[0]);
    let spec = shares.spec.unwrap();
    assert_eq!(spec.completion_mode.as_deref(), Some("Indexed"));
    assert_eq!((spec.completions, spec.parallelism), (Some(4), Some(4)));
    assert_eq!(spec.backoff_limit, Some(0));
    let pod = spec.template.spec.unwrap();
    assert_eq!(pod.restart_policy.as_deref(), Some("Never"));
    let script = &pod.containers[0].command.as_ref().unwrap()[2];
    assert!(
        script.starts_with(
            "cargo perf --split 4 --start-at 2026-01-01T00:00:00.000Z \
             --target-url http://shop.default.svc:8080 --allow-remote browse --duration-scale 0.5\n"
        ),
        "{script}"
    );
    assert!(
        script
            .contains("/records/shop-load-1767225600000/share-$((JOB_COMPLETION_INDEX + 1)).json"),
        "{script}"
    );
    let (merge, _) = round_trip(&documents[1]);
    assert_eq!(merge.metadata.name.as_deref(), Some("shop-load-merge"));
    let pod = merge.spec.unwrap().template.spec.unwrap();
    let init = pod.init_containers.unwrap();
    let wait = &init[0].command.as_ref().unwrap()[2];
    assert!(wait.contains("-ge 4 ]"), "{wait}");
    let merge = &pod.containers[0].command.as_ref().unwrap()[2];
    assert!(
        merge.starts_with("cargo perf merge /records/shop-load-1767225600000 -o "),
        "{merge}"
    );
}

#[test]
fn the_round_trip_catches_a_misspelt_field() {
    let text = manifests(&args(2)).unwrap();
    let mut document = documents(&text).remove(0);
    document["spec"]["completionsMode"] = document["spec"]["completionMode"].take();
    let (_, back) = round_trip(&document);
    assert_ne!(back, document, "a misspelt field went unnoticed");
}

#[test]
fn a_target_is_a_service_and_remote_only_when_allowed() {
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:80",
        "http://[::1]:80",
    ] {
        let error = manifests(&K8sArgs {
            target_url: url.to_owned(),
            ..args(2)
        })
        .unwrap_err();
        assert!(error.to_string().contains("own loopback"), "{url}: {error}");
    }
    let error = manifests(&K8sArgs {
        allow_remote: false,
        ..args(2)
    })
    .unwrap_err();
    assert!(error.to_string().contains("--allow-remote"), "{error}");
    let error = manifests(&K8sArgs {
        target_url: "ftp://shop:443".to_owned(),
        ..args(2)
    })
    .unwrap_err();
    assert!(error.to_string().contains("http://"), "{error}");
}
