//! A spawned server speaking HTTPS (`tls = true`): Python's http.server
//! wrapped with ssl (scripts/tls-server.py), with a certificate made here
//! by rcgen, is probed over TLS and loaded over TLS, its handshakes
//! counted; a certificate nobody trusts fails the start at once, with the
//! reason.

use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

use crate::support::{TempProject, repo_root};

/// The demo, its server replaced by scripts/tls-server.py serving a
/// certificate for 127.0.0.1 signed by an authority written to `ca.pem`,
/// its load tests built with perf-runtime's `tls` feature.
fn https_project() -> TempProject {
    let project = TempProject::new("demo");
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let root = project.root();
    std::fs::write(root.join("ca.pem"), ca_pem).unwrap();
    std::fs::write(root.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(root.join("key.pem"), key.serialize_pem()).unwrap();
    let script = repo_root().join("scripts/tls-server.py");
    project.edit(
        "Cargo.toml",
        r#"bin = "demo-server"
args = ["--port", "{port}", "--workers", "1"]"#,
        &format!(
            r#"command = ["python3", "{}", "{{port}}", "cert.pem", "key.pem"]
tls = true"#,
            script.display()
        ),
    );
    project.edit(
        "Cargo.toml",
        r#"features = ["websocket"]"#,
        r#"features = ["websocket", "tls"]"#,
    );
    project
}

#[test]
fn a_spawned_server_speaking_https_is_probed_and_loaded_over_tls() {
    let project = https_project();
    let ca = project.root().join("ca.pem");
    let output = project
        .cargo_perf()
        .args(&[
            "demo/load::fast_endpoint",
            "--duration-scale",
            "0.25",
            "--ca-cert",
            ca.to_str().unwrap(),
            "--message-format",
            "json",
        ])
        .run_within(Duration::from_secs(600));
    assert_ne!(output.code, 5, "{}", output.stderr);
    let record = output.record();
    let load = record.tests[0].load.as_ref().unwrap();
    let connections = load.connections.unwrap();
    assert!(
        load.requests > 0 && connections.tls_handshakes > 0,
        "{load:?}"
    );
    assert!(
        !load
            .errors
            .contains_key(&perf_record::load::RequestErrorKind::Tls),
        "{:?}",
        load.errors
    );
    // Nobody trusts the authority without --ca-cert: the start fails at
    // once, with the reason.
    let refused = project
        .cargo_perf()
        .args(&["demo/load::fast_endpoint", "--duration-scale", "0.25"])
        .run_within(Duration::from_secs(600));
    refused.assert_code(5);
    assert!(
        refused.stderr.contains("does not trust") && refused.stderr.contains("--ca-cert"),
        "{}",
        refused.stderr
    );
}
