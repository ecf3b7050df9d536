//! The HTML report of a real run, opened in headless Chromium: it loads
//! offline with no script error, every chart draws, and it screenshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TempProject, shared_target_dir};

/// How long Chromium may take to load, lay out and dump one page.
const BROWSER_LIMIT: Duration = Duration::from_secs(90);

/// The browser: `$CHROME`, else the first of the usual names on PATH.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROME") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the HTML report test needs a headless Chromium: `apt-get install chromium` \
         (or set CHROME to a Chromium or Chrome binary)"
    );
}

/// Runs the browser headless on `page` with `args`, in a fresh profile
/// under `scratch` named `run` (a profile another instance still holds
/// would hand the page to that one); returns its stdout.
fn browse(browser: &Path, scratch: &Path, run: &str, page: &Path, args: &[String]) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", scratch.join(run).display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", browser.display()));
    // Read as it comes: a DOM larger than the pipe would block it.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BROWSER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} took over {BROWSER_LIMIT:?} on {}",
                browser.display(),
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{}: {status:?}", browser.display());
    reader.join().unwrap().unwrap()
}

/// The value of `<body name="...">` in a dumped DOM.
fn body_attribute(dom: &str, name: &str) -> Option<u64> {
    let body = &dom[dom.find("<body")?..];
    let body = &body[..body.find('>')?];
    let at = body.find(&format!("{name}=\""))? + name.len() + 2;
    body[at..].split('"').next()?.parse().ok()
}

#[test]
fn the_html_report_opens_offline_and_every_chart_draws() {
    let browser = chromium();
    let project = TempProject::new("demo");
    let scratch = tempfile::tempdir().unwrap();
    let page = scratch.path().join("report.html");
    let output = project
        .cargo_perf()
        .args(&[
            "checksum_64k",
            "parse_orders_1k",
            "browse_items",
            "fast_endpoint",
            "--quick",
            "--duration-scale",
            "0.5",
            "--html",
            page.to_str().unwrap(),
        ])
        .run();
    output.assert_code(0);
    // Written where --html says and, always, under target/perf.
    let html = std::fs::read_to_string(&page).unwrap();
    let default = shared_target_dir().join("perf/report/index.html");
    assert_eq!(std::fs::read_to_string(&default).unwrap(), html);
    assert!(
        output.stdout.contains(&format!("Wrote {}", page.display())),
        "{}",
        output.stdout
    );
    for id in [
        "demo/perf::checksum_64k",
        "demo/perf::parse_orders_1k",
        "demo/load::browse_items",
        "demo/load::fast_endpoint",
    ] {
        assert!(
            html.contains(&format!("{id}</a>")),
            "{id} is not in the contents"
        );
    }
    let charts = html.matches(r#"<svg class="chart""#).count() as u64;
    // Two per benchmark, and at least the timeline, server and
    // distribution charts of each load test.
    assert!(charts >= 2 * 2 + 2 * 5, "{charts} charts");

    let dom = browse(
        &browser,
        scratch.path(),
        "dom",
        &page,
        &["--dump-dom".to_owned()],
    );
    assert_eq!(
        body_attribute(&dom, "data-script-errors"),
        Some(0),
        "script errors:\n{dom}"
    );
    assert_eq!(
        body_attribute(&dom, "data-charts"),
        Some(charts),
        "the check did not run:\n{dom}"
    );
    assert_eq!(
        body_attribute(&dom, "data-charts-drawn"),
        Some(charts),
        "a chart did not draw"
    );

    let png = scratch.path().join("report.png");
    browse(
        &browser,
        scratch.path(),
        "screenshot",
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1400,3000".to_owned(),
        ],
    );
    let image = std::fs::read(&png).unwrap();
    assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1400x3000 page compresses to a few KiB; charts and text
    // take far more.
    assert!(
        image.len() > 50_000,
        "a {}-byte screenshot is blank",
        image.len()
    );
}
