//! A baseline's history: every `--save-baseline` keeps its run, `--keep`
//! prunes the oldest, `--compare` takes the runs' spread as the drift
//! between runs, and `cargo perf history` names the commit where a
//! benchmark stepped; a missing history is exit code 6.

use std::io::Write as _;

use crate::support::TempProject;

#[test]
fn history_names_the_commit_where_a_benchmark_stepped() {
    let project = TempProject::new("demo");
    project.git_init();
    let dir = project.root().join("baselines");
    let dir_arg = dir.to_str().unwrap();
    let save = [
        "checksum_64k",
        "--quick",
        "--baseline-dir",
        dir_arg,
        "--save-baseline",
        "main",
        "--keep",
        "5",
        "--message-format",
        "json",
    ];
    // Six runs, each of its own commit; the last two twice as slow.
    let mut commits = Vec::new();
    for i in 0..6 {
        let mut lib = std::fs::OpenOptions::new()
            .append(true)
            .open(project.root().join("src/lib.rs"))
            .unwrap();
        writeln!(lib, "// change {i}").unwrap();
        project.git(&["commit", "-qam", &format!("change {i}")]);
        commits.push(project.git(&["rev-parse", "HEAD"]));
        let mut run = project.cargo_perf().args(&save);
        if i >= 4 {
            run = run.env("DEMO_SLOWDOWN", "100");
        }
        if i == 5 {
            run = run.args(&["--compare", "main"]);
        }
        let output = run.run();
        output.assert_code(0);
        if i == 5 {
            // Five saved runs before this one: their spread is the drift
            // the comparison's interval allows for (one process a side
            // gives none of its own).
            let comparison = output.message("comparison");
            let median = &comparison["comparison"]["tests"][0];
            assert_eq!(median["metric"], "median_ns");
            assert_eq!(median["estimate"]["history_runs"], 5, "{median}");
        }
    }
    // --keep 5: the first run was pruned, the latest is NAME.json.
    let mut files: Vec<String> = std::fs::read_dir(dir.join("main"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let expected: Vec<String> = commits[1..]
        .iter()
        .map(|c| format!("-{}.json", &c[..10]))
        .collect();
    assert_eq!(files.len(), 5, "{files:?}");
    for (file, ending) in files.iter().zip(&expected) {
        assert!(file.ends_with(ending.as_str()), "{files:?} vs {expected:?}");
        assert_eq!(file.as_bytes()[8], b'T', "{file}");
    }
    assert!(dir.join("main.json").is_file());

    let history = project
        .cargo_perf()
        .args(&["history", "main", "--baseline-dir", dir_arg])
        .args(&["--message-format", "json"])
        .run();
    history.assert_code(0);
    let message = history.message("history")["history"].clone();
    let runs = message["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 5);
    let test = &message["tests"][0];
    assert_eq!(test["id"]["name"], "checksum_64k");
    let median = &test["series"][0];
    assert_eq!(median["metric"], "median_ns");
    assert_eq!(median["points"].as_array().unwrap().len(), 5);
    let steps = median["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{median}");
    let step = &steps[0];
    let at = step["run"].as_u64().unwrap() as usize;
    assert_eq!(runs[at]["git_commit"], commits[4].as_str(), "{message}");
    assert_eq!(step["worse"], true);
    assert!(step["change"].as_f64().unwrap() > 50.0, "{step}");

    let human = project
        .cargo_perf()
        .args(&["history", "main", "checksum", "--baseline-dir", dir_arg])
        .run();
    human.assert_code(0);
    let named = format!("at {} (", &commits[4][..10]);
    let after = format!("after {}: worse", &commits[3][..10]);
    assert!(
        human.stdout.contains(&named) && human.stdout.contains(&after),
        "{}",
        human.stdout
    );

    let missing = project
        .cargo_perf()
        .args(&["history", "nope", "--baseline-dir", dir_arg])
        .run();
    missing.assert_code(6);
    assert!(
        missing
            .stderr
            .contains(&dir.join("nope").display().to_string())
            && missing.stderr.contains("--save-baseline nope")
            && missing.stderr.contains("histories beside it: main"),
        "{}",
        missing.stderr
    );
}
