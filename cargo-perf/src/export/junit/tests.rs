//! The JUnit export read back with a conforming XML parser, checked for
//! the structure GitLab and Jenkins read.

use roxmltree::{Document, Node};

use super::*;
use crate::sample;

fn attribute<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()))
}

fn number(node: Node<'_, '_>, name: &str) -> f64 {
    attribute(node, name).parse().unwrap()
}

fn elements<'a, 'i>(node: Node<'a, 'i>, tag: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == tag)
}

#[test]
fn suites_cases_and_failures_have_the_structure_ci_systems_read() {
    let (record, comparison) = (sample::record(), sample::comparison());
    let xml = render(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<Node<'_, '_>> = elements(root, "testsuite").collect();
    assert_eq!(
        suites
            .iter()
            .map(|s| attribute(*s, "name"))
            .collect::<Vec<_>>(),
        ["demo/perf", "demo/load"]
    );
    let mut failed = Vec::new();
    for suite in &suites {
        let cases: Vec<Node<'_, '_>> = elements(*suite, "testcase").collect();
        assert_eq!(number(*suite, "tests"), cases.len() as f64);
        let failures = cases
            .iter()
            .filter(|c| elements(**c, "failure").count() == 1)
            .count();
        assert_eq!(number(*suite, "failures"), failures as f64);
        assert_eq!(number(*suite, "errors"), 0.0);
        assert!(number(*suite, "time") >= 0.0);
        let properties = elements(*suite, "properties").next().unwrap();
        let verdict = elements(properties, "property")
            .find(|p| attribute(*p, "name") == "verdict")
            .unwrap();
        assert_eq!(
            attribute(verdict, "value"),
            "3 of 4 perf test(s) failed the gate: 1 regressed, 1 failed, 1 missed a threshold"
        );
        for case in cases {
            assert_eq!(attribute(case, "classname"), attribute(*suite, "name"));
            if let Some(failure) = elements(case, "failure").next() {
                failed.push((
                    attribute(case, "name").to_owned(),
                    attribute(failure, "type").to_owned(),
                    attribute(failure, "message").to_owned(),
                    failure.text().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    assert_eq!(number(root, "tests"), 5.0);
    assert_eq!(number(root, "failures"), 3.0);
    assert_eq!(number(root, "skipped"), 1.0);

    let names: Vec<(&str, &str)> = failed
        .iter()
        .map(|(name, kind, ..)| (name.as_str(), kind.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("checksum_64k", "regression"),
            ("explodes", "failure"),
            ("browse_catalog", "threshold")
        ]
    );
    let regression = &failed[0].2;
    for part in [
        "median regressed +95.0%",
        "95% CI +90.1% .. +101.2%",
        "threshold 10%",
    ] {
        assert!(regression.contains(part), "{regression}");
    }
    // The panic message comes back whole, less its colour escapes; the
    // attribute has it on one line, the body with its line break.
    let expected = "failed: panicked at benches/perf.rs:42:9: index <7> & len 3|oops\nsecond line";
    assert_eq!(failed[1].2, expected.replace('\n', " "));
    assert_eq!(failed[1].3, expected);
    assert_eq!(
        failed[2].2,
        "threshold Requirement 9.3: p95 <= 50ms missed: measured 95.04 ms, limit 50.00 ms"
    );
    // The threshold met is not a failure, but is shown with the figures.
    let load_case = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("browse_catalog"))
        .unwrap();
    assert_eq!(number(load_case, "time"), 2.0);
    let out = elements(load_case, "system-out")
        .next()
        .unwrap()
        .text()
        .unwrap();
    assert!(out.contains("threshold rps >= 10 met"), "{out}");
    assert!(out.contains("100 requests at 50.0 req/s"), "{out}");
}

#[test]
fn names_that_need_escaping_come_back_as_they_were() {
    let (record, comparison) = (sample::record(), sample::comparison());
    let xml = render(&Source {
        record: &record,
        comparison: Some(&comparison),
        history: None,
    });
    let doc = Document::parse(&xml).unwrap();
    let odd = doc
        .descendants()
        .find(|n| n.attribute("name") == Some(sample::ODD_NAME))
        .expect("the odd name, unescaped");
    // Unchanged: passes, with its figures and comparison shown.
    assert_eq!(elements(odd, "failure").count(), 0);
    let out = elements(odd, "system-out").next().unwrap().text().unwrap();
    assert!(out.contains("median unchanged +0.8%"), "{out}");
    let skipped = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("retired"))
        .unwrap();
    assert_eq!(
        attribute(elements(skipped, "skipped").next().unwrap(), "message"),
        "in the baseline target/perf/baselines/main.json but not run now"
    );
}

#[test]
fn a_run_without_comparison_fails_only_its_failed_tests() {
    let record = sample::record();
    let xml = render(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    let doc = Document::parse(&xml).unwrap();
    let failed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| attribute(n.parent().unwrap(), "name"))
        .collect();
    assert_eq!(failed, ["explodes", "browse_catalog"]);
    assert_eq!(number(doc.root_element(), "skipped"), 0.0);
}

#[test]
fn text_keeps_what_xml_allows() {
    let mut record = sample::record();
    let test = &mut record.tests[0];
    let raw = "a<b>&c\u{1}\u{FFFF}\u{1b}[1mbold\u{1b}[0m \"x\"\n'y'";
    test.id.name = raw.to_owned();
    let xml = render(&Source {
        record: &record,
        comparison: None,
        history: None,
    });
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap();
    // Markup and quotes come back as they were; control characters,
    // noncharacters and colour escapes are gone; the line break in an
    // attribute reads as a space, as XML reads it.
    assert_eq!(attribute(case, "name"), "a<b>&cbold \"x\" 'y'");
    assert_eq!(one_line("x\r\ny\nz"), "x y z");
}
