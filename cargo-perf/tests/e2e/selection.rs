//! Package, feature and test selection, forwarded as cargo takes them.

use crate::support::{TempProject, names};

fn listed(project: &TempProject, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--list", "--message-format", "json"];
    all.extend_from_slice(args);
    let output = project.cargo_perf().args(&all).run();
    output.assert_code(0);
    output.message("test-list")["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}::{}",
                t["id"]["package"].as_str().unwrap(),
                t["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn packages_are_selected_as_cargo_selects_them() {
    let project = TempProject::new("workspace");
    // The default member is alpha.
    assert_eq!(
        listed(&project, &[]),
        ["alpha::alpha_sum", "alpha::fragile", "alpha::zeta_product"]
    );
    assert_eq!(listed(&project, &["-p", "beta"]), ["beta::beta_reverse"]);
    assert_eq!(listed(&project, &["--workspace"]).len(), 4);
    assert_eq!(
        listed(&project, &["--workspace", "--exclude", "alpha"]),
        ["beta::beta_reverse"]
    );
    assert!(
        listed(&project, &["-p", "alpha", "-F", "extra"])
            .contains(&"alpha::alpha_extra".to_owned())
    );
    assert!(
        listed(&project, &["-p", "alpha", "--all-features"])
            .contains(&"alpha::alpha_extra".to_owned())
    );
    assert!(
        !listed(&project, &["-p", "alpha", "--no-default-features"])
            .contains(&"alpha::alpha_extra".to_owned())
    );
}

#[test]
fn unknown_packages_list_the_real_ones() {
    let project = TempProject::new("workspace");
    let output = project.cargo_perf().args(&["-p", "delta"]).run();
    output.assert_code(2);
    assert!(
        output.stderr.contains("package `delta` is not a member"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("alpha, beta, gamma"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_package_without_perf_targets_is_explained() {
    let project = TempProject::new("workspace");
    let output = project.cargo_perf().args(&["-p", "gamma"]).run();
    output.assert_code(4);
    assert!(
        output.stderr.contains("no perf targets in gamma"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("harness = false"),
        "{}",
        output.stderr
    );
}

#[test]
fn filters_select_tests_and_no_match_lists_what_exists() {
    let project = TempProject::new("workspace");
    assert_eq!(listed(&project, &["zeta"]), ["alpha::zeta_product"]);
    assert_eq!(
        listed(&project, &["--exact", "alpha_sum"]),
        ["alpha::alpha_sum"]
    );
    let output = project
        .cargo_perf()
        .args(&["--quick", "nothing_like_this"])
        .run();
    output.assert_code(4);
    assert!(
        output
            .stderr
            .contains("no perf test matched nothing_like_this"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("alpha/alpha_perf::zeta_product"),
        "{}",
        output.stderr
    );
}

#[test]
fn profile_target_dir_and_thresholds_follow_the_flags_and_config() {
    let project = TempProject::new("workspace");
    let target = project.root().join("elsewhere");
    let output = project
        .cargo_perf()
        .args(&[
            "--quick",
            "--workspace",
            "--profile",
            "release",
            "--message-format",
            "json",
        ])
        .args(&["--target-dir", target.to_str().unwrap()])
        .run();
    output.assert_code(0);
    let record = output.record();
    assert_eq!(record.environment.profile, "release");
    assert!(target.join("release").is_dir(), "built into --target-dir");
    assert!(
        target.join("perf/latest.json").is_file(),
        "latest.json in --target-dir"
    );
    // alpha's own 20% over the workspace's 25% (beta).
    for test in &record.tests {
        let expected = if test.id.package == "alpha" {
            20.0
        } else {
            25.0
        };
        assert_eq!(
            test.config.regression_threshold_pct,
            Some(expected),
            "{}",
            test.id
        );
    }
    let output = project
        .cargo_perf()
        .args(&[
            "--quick",
            "-p",
            "beta",
            "--threshold",
            "7%",
            "--message-format",
            "json",
        ])
        .run();
    output.assert_code(0);
    assert_eq!(
        output.record().tests[0].config.regression_threshold_pct,
        Some(7.0)
    );
    assert_eq!(names(&output.record()), ["beta_reverse"]);
}

#[test]
fn a_panicking_test_fails_the_run_and_the_others_still_run() {
    let project = TempProject::new("workspace");
    let output = project
        .cargo_perf()
        .args(&["--quick", "--message-format", "json"])
        .env("ALPHA_PANIC", "1")
        .run();
    output.assert_code(10);
    let record = output.record();
    assert_eq!(names(&record), ["alpha_sum", "fragile", "zeta_product"]);
    let fragile = &record.tests[1];
    let perf_record::TestOutcome::Failed { message } = &fragile.outcome else {
        panic!("fragile passed: {fragile:?}");
    };
    assert!(message.contains("broke on purpose"), "{message}");
    assert!(
        message.contains("alpha_perf.rs"),
        "the panic's location: {message}"
    );
    assert!(record.tests[0].stats.is_some() && record.tests[2].stats.is_some());
    assert_eq!(output.summary_names("failed"), ["fragile"]);
    // The human report names it too.
    let human = project
        .cargo_perf()
        .args(&["--quick", "fragile"])
        .env("ALPHA_PANIC", "1")
        .run();
    human.assert_code(10);
    assert!(
        human
            .stdout
            .contains("fragile failed: panicked: the fragile test broke"),
        "{}",
        human.stdout
    );
    assert!(
        human.stderr.contains("1 perf test(s) failed"),
        "{}",
        human.stderr
    );
}

#[test]
fn targets_whose_required_features_are_off_are_skipped_as_cargo_bench_skips_them() {
    let project = TempProject::new("demo");
    let catalog = |tests: &[String]| {
        tests
            .iter()
            .filter(|t| t.contains("::stress_") || t.contains("::soak_"))
            .count()
    };
    let plain = listed(&project, &[]);
    assert!(!plain.is_empty());
    assert_eq!(catalog(&plain), 0, "{plain:?}");
    let with_feature = listed(&project, &["-F", "catalog"]);
    // The 29 tests of benches/catalog.rs (two per kind, and caching's
    // static files).
    assert_eq!(with_feature.len() - plain.len(), 29, "{with_feature:?}");
    assert_eq!(catalog(&with_feature), 4);
    assert_eq!(
        catalog(&listed(&project, &["--features", "demo/catalog"])),
        4
    );
    assert_eq!(catalog(&listed(&project, &["--all-features"])), 4);

    // Asked for by name without its feature: the error says which flag.
    let output = project
        .cargo_perf()
        .args(&["--list", "demo/catalog::"])
        .run();
    output.assert_code(4);
    assert!(
        output
            .stderr
            .contains("demo's bench `catalog` (-F catalog)"),
        "{}",
        output.stderr
    );
}
