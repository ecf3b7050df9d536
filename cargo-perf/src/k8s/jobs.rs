//! The two Jobs of a split load: an Indexed Job of N pods, each running
//! `cargo perf --split N --start-at T` (its share from
//! `JOB_COMPLETION_INDEX`) against one target and writing its record to a
//! shared volume; and a Job that waits for the N records and merges them
//! with `cargo perf merge`, whose exit code is the gate.

use perf_record::target::TargetUrl;

use super::manifest::{
    ClaimSource, Container, Job, JobSpec, Labels, Metadata, PodSpec, PodTemplate, Volume,
    VolumeMount,
};
use crate::cli::{K8sArgs, StartAt};
use crate::error::CliError;
use crate::shell;

/// Where the records volume is mounted in every pod.
const RECORDS: &str = "/records";
/// The volume's name in the pod specs.
const VOLUME: &str = "records";

/// The manifests, as YAML documents, with a comment that says how to use
/// them.
pub(crate) fn manifests(args: &K8sArgs) -> Result<String, CliError> {
    check_target(&args.target_url, args.allow_remote)?;
    let start = args.start_at.unwrap_or_else(|| StartAt::after(args.lead));
    let jobs = jobs(args, start);
    let mut text = format!(
        "# cargo perf k8s: {n} pods load {target}, each a share of every selected load test,\n\
         # all starting at {at}. Apply before then:\n\
         #   cargo perf k8s ... | kubectl apply -f -\n\
         #   kubectl wait --for=condition=complete --timeout={deadline}s job/{name}-merge\n\
         # The merge Job's exit code is the gate (see its log, and the merged record in the volume).\n",
        n = args.split,
        target = args.target_url,
        at = start.to_rfc3339(),
        deadline = jobs[1].spec.active_deadline_seconds,
        name = args.name,
    );
    for job in &jobs {
        text.push_str("---\n");
        let yaml = serde_norway::to_string(job).map_err(|e| CliError::Io {
            message: "failed to write the manifest as YAML".to_owned(),
            source: std::io::Error::other(e),
        })?;
        text.push_str(&yaml);
    }
    Ok(text)
}

/// A cluster's pods load a Service, never their own loopback (each pod's
/// is its own: N servers, not one); a remote target needs the user's
/// explicit `--allow-remote`, as a run does.
fn check_target(url: &str, allow_remote: bool) -> Result<(), CliError> {
    let target =
        TargetUrl::parse(url).map_err(|e| CliError::Usage(format!("--target-url: {e}")))?;
    let host = target
        .authority
        .rsplit_once(':')
        .filter(|(_, port)| port.parse::<u16>().is_ok())
        .map_or(target.authority.as_str(), |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        return Err(CliError::Usage(format!(
            "--target-url {url} is each pod's own loopback: the pods would load N servers, not \
             split one load; give the server's Service, e.g. http://shop.default.svc:8080"
        )));
    }
    if !allow_remote {
        return Err(CliError::Usage(format!(
            "--target-url {url} is not a loopback address: pass --allow-remote to let every pod \
             load it"
        )));
    }
    Ok(())
}

/// The Indexed Job of the shares and the merge Job.
fn jobs(args: &K8sArgs, start: StartAt) -> [Job; 2] {
    let n = args.split;
    // Each run's records in a folder of their own: an earlier run's never
    // mix with this one's.
    let dir = format!("{RECORDS}/{}-{}", args.name, start.0);
    // Bounded: the lead before the start, then the tests' time (each
    // test's own process is bounded by cargo perf's time limit too).
    let deadline = args.lead.as_secs() + args.deadline.as_secs();
    let labels = |component| Labels {
        name: "cargo-perf",
        instance: args.name.clone(),
        component,
    };
    let mut run = vec![
        "cargo".to_owned(),
        "perf".to_owned(),
        "--split".to_owned(),
        n.to_string(),
        "--start-at".to_owned(),
        start.to_rfc3339(),
        "--target-url".to_owned(),
        args.target_url.clone(),
        "--allow-remote".to_owned(),
    ];
    run.extend(args.run_args.iter().cloned());
    let share = format!(
        "{run}\n\
         code=$?\n\
         mkdir -p {dir}\n\
         cp target/perf/latest.json {dir}/share-$((JOB_COMPLETION_INDEX + 1)).json || exit 1\n\
         # A missed threshold (11) or a regression (12) is the merged run's to judge.\n\
         case $code in 0|11|12) exit 0 ;; *) exit $code ;; esac\n",
        run = shell::join(&run),
        dir = shell::quote(&dir),
    );
    let wait = format!(
        "until [ \"$(ls {dir}/share-*.json 2>/dev/null | wc -l)\" -ge {n} ]; do sleep 5; done\n",
        dir = shell::quote(&dir),
    );
    let merge = format!(
        "cargo perf merge {dir} -o {out}\n",
        dir = shell::quote(&dir),
        out = shell::quote(&format!("{dir}.json")),
    );
    let container = |name, script: String| Container {
        name,
        image: args.image.clone(),
        working_dir: args.workdir.clone(),
        command: vec!["sh".to_owned(), "-c".to_owned(), script],
        volume_mounts: vec![VolumeMount {
            name: VOLUME,
            mount_path: RECORDS,
        }],
    };
    let volumes = || {
        vec![Volume {
            name: VOLUME,
            persistent_volume_claim: ClaimSource {
                claim_name: args.records_claim.clone(),
            },
        }]
    };
    let shares = Job {
        api_version: "batch/v1",
        kind: "Job",
        metadata: Metadata {
            name: Some(args.name.clone()),
            labels: labels("share"),
        },
        spec: JobSpec {
            completion_mode: Some("Indexed"),
            completions: n,
            parallelism: n,
            // A share run again would start late, past the others: a
            // failed share fails the merge instead.
            backoff_limit: 0,
            active_deadline_seconds: deadline,
            template: PodTemplate {
                metadata: Metadata {
                    name: None,
                    labels: labels("share"),
                },
                spec: PodSpec {
                    restart_policy: "Never",
                    init_containers: Vec::new(),
                    containers: vec![container("share", share)],
                    volumes: volumes(),
                },
            },
        },
    };
    let merged = Job {
        api_version: "batch/v1",
        kind: "Job",
        metadata: Metadata {
            name: Some(format!("{}-merge", args.name)),
            labels: labels("merge"),
        },
        spec: JobSpec {
            completion_mode: None,
            completions: 1,
            parallelism: 1,
            backoff_limit: 0,
            active_deadline_seconds: deadline,
            template: PodTemplate {
                metadata: Metadata {
                    name: None,
                    labels: labels("merge"),
                },
                spec: PodSpec {
                    restart_policy: "Never",
                    init_containers: vec![container("wait-for-shares", wait)],
                    containers: vec![container("merge", merge)],
                    volumes: volumes(),
                },
            },
        },
    };
    [shares, merged]
}

#[cfg(test)]
mod tests;
