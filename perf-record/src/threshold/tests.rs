//! Unit tests of thresholds.

use super::*;

#[test]
fn thresholds_parse_with_their_units() {
    let p95 = Threshold::parse("p95", "200ms").unwrap();
    assert_eq!((p95.limit, p95.at_least), (200_000.0, false));
    let p99 = Threshold::parse("p99", "<= 1s").unwrap();
    assert_eq!(p99.limit, 1e6);
    let errors = Threshold::parse("error_rate", "1%").unwrap();
    assert_eq!(errors.limit, 1.0);
    let rps = Threshold::parse("rps", ">= 100").unwrap();
    assert_eq!((rps.limit, rps.at_least), (100.0, true));
    assert!(Threshold::parse("rps", "50").unwrap().at_least);
}

#[test]
fn a_threshold_names_the_requirement_it_checks() {
    let named = Threshold::declared("p95", "5s", Some(" Requirement 9.3 ")).unwrap();
    assert_eq!(named.label(), "Requirement 9.3: p95 <= 5s");
    let json = serde_json::to_string(&named).unwrap();
    assert!(json.contains(r#""name":"Requirement 9.3""#), "{json}");
    let plain = Threshold::declared("p95", "5s", None).unwrap();
    assert_eq!(plain.label(), "p95 <= 5s");
    // Records saved before names existed still load.
    assert!(!serde_json::to_string(&plain).unwrap().contains("name"));
    assert!(check_requirement_name("").is_err());
    assert!(check_requirement_name("a\nb").is_err());
    assert!(check_requirement_name(&"x".repeat(121)).is_err());
    assert!(check_requirement_name("SLA-4: checkout").is_ok());
}

#[test]
fn transfer_thresholds_are_rates_with_a_unit() {
    let received = Threshold::parse("received", ">= 100MiB/s").unwrap();
    assert_eq!(
        (received.limit, received.at_least),
        (100.0 * 1_048_576.0, true)
    );
    assert_eq!(received.text, "received >= 100MiB/s");
    let sent = Threshold::parse("sent", "1.5 GiB/s").unwrap();
    assert_eq!((sent.limit, sent.at_least), (1.5 * 1_073_741_824.0, true));
    let capped = Threshold::parse("sent", "<= 16KB/s").unwrap();
    assert_eq!((capped.limit, capped.at_least), (16_384.0, false));
    let error = Threshold::parse("received", ">= 100").unwrap_err();
    assert!(matches!(error, ThresholdError::Value { .. }));
    let message = error.to_string();
    assert!(
        message.starts_with("invalid `received` threshold: `100` has no unit")
            && message.contains("\"100MiB/s\""),
        "{message}"
    );
    let message = Threshold::parse("sent", "10Mbps").unwrap_err().to_string();
    assert!(
        message.contains("`sent`") && message.contains("unknown unit `Mbps`"),
        "{message}"
    );
    let stats = LoadStats {
        requests: 10,
        transfer: crate::load::Transfer::over(300 << 20, 1 << 20, 2.0),
        ..LoadStats::default()
    };
    let result = received.check(&stats);
    assert!(
        result.passed && result.value == 150.0 * 1_048_576.0,
        "{result:?}"
    );
    assert!(!capped.check(&stats).passed);
    let nothing = received.check(&LoadStats::default());
    assert!(!nothing.passed && nothing.unmeasured, "{nothing:?}");
}

#[test]
fn bad_thresholds_say_why() {
    assert!(matches!(
        Threshold::parse("p42", "1s"),
        Err(ThresholdError::UnknownMetric(_))
    ));
    assert!(matches!(
        Threshold::parse("p95", "200"),
        Err(ThresholdError::Value { .. })
    ));
    assert!(matches!(
        Threshold::parse("p95", ">= 1s"),
        Err(ThresholdError::WrongDirection { .. })
    ));
    assert!(matches!(
        Threshold::parse("rps", "many"),
        Err(ThresholdError::Rate(_))
    ));
    assert!(matches!(
        Threshold::parse("error_rate", "1"),
        Err(ThresholdError::Value { .. })
    ));
    assert!(matches!(
        Threshold::parse("error_rate", "150%"),
        Err(ThresholdError::ErrorRateOver100(_))
    ));
    assert!(Threshold::parse("error_rate", "100%").is_ok());
    assert!(matches!(
        Threshold::parse("growth", ">= 1"),
        Err(ThresholdError::WrongDirection { .. })
    ));
    assert!(matches!(
        Threshold::parse("breaking_point", "lots"),
        Err(ThresholdError::Number { .. })
    ));
}

#[test]
fn a_threshold_on_nothing_measured_is_never_met() {
    let nothing = LoadStats::default();
    for (metric, limit) in [("p95", "50ms"), ("max", "1s"), ("error_rate", "1%")] {
        let result = Threshold::parse(metric, limit).unwrap().check(&nothing);
        assert!(!result.passed && result.unmeasured, "{metric}: {result:?}");
    }
    let mut unanswered = LoadStats {
        requests: 8,
        error_rate_pct: 100.0,
        ..LoadStats::default()
    };
    let p95 = Threshold::parse("p95", "50ms").unwrap();
    assert!(p95.check(&unanswered).unmeasured);
    let errors = Threshold::parse("error_rate", "100%").unwrap();
    let result = errors.check(&unanswered);
    assert!(result.passed && !result.unmeasured, "{result:?}");
    unanswered.latency.count = 1;
    let result = p95.check(&unanswered);
    assert!(result.passed && !result.unmeasured, "{result:?}");
}

#[test]
fn a_figure_the_kind_could_not_measure_is_missed_with_why() {
    let mut metrics = std::collections::BTreeMap::new();
    metrics.insert("cache_headers_pct".to_owned(), 100.0);
    let mut sweep = crate::load::SweepStats::of(Kind::Caching, Vec::new(), metrics, Vec::new());
    let why = "too few requests for an interval (3 cold, 3 warm)";
    sweep
        .unmeasured
        .insert("warm_speedup".to_owned(), why.to_owned());
    let stats = LoadStats {
        requests: 10,
        sweep: Some(sweep),
        ..LoadStats::default()
    };
    let speedup = Threshold::parse("speedup", ">= 2").unwrap().check(&stats);
    assert!(!speedup.passed && speedup.unmeasured, "{speedup:?}");
    assert_eq!(speedup.unmeasured_why.as_deref(), Some(why));
    assert_eq!(speedup.value, 0.0, "not NaN, which JSON cannot hold");
    let json = serde_json::to_string(&speedup).unwrap();
    assert_eq!(
        serde_json::from_str::<ThresholdResult>(&json).unwrap(),
        speedup
    );
    // Absent without a reason: NaN, which the caller leaves out.
    let revalidated = Threshold::parse("revalidated", ">= 100%")
        .unwrap()
        .check(&stats);
    assert!(revalidated.value.is_nan() && !revalidated.unmeasured);
    assert_eq!(revalidated.unmeasured_why, None);
    let headers = Threshold::parse("cache_headers", ">= 100%")
        .unwrap()
        .check(&stats);
    assert!(headers.passed && !headers.unmeasured, "{headers:?}");
}

#[test]
fn sweep_metrics_have_their_directions() {
    let point = Threshold::parse("breaking_point", "16").unwrap();
    assert_eq!((point.limit, point.at_least), (16.0, true));
    let efficiency = Threshold::parse("efficiency", ">= 50%").unwrap();
    assert_eq!((efficiency.limit, efficiency.at_least), (50.0, true));
    let growth = Threshold::parse("growth", "1.2").unwrap();
    assert_eq!((growth.limit, growth.at_least), (1.2, false));
    assert_eq!(growth.text, "growth <= 1.2");
    let leak = Threshold::parse("rss_growth", "<= 16KB/s").unwrap();
    assert_eq!((leak.limit, leak.at_least), (16_384.0, false));
    assert!(Threshold::parse("rss_growth", "16KB").is_err());
}

/// A caching test's stats whose speedup is `estimate` with its interval.
fn speedup_of(estimate: f64, low: f64, high: f64) -> LoadStats {
    let metrics = [
        ("warm_speedup", estimate),
        ("warm_speedup_ci_low", low),
        ("warm_speedup_ci_high", high),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    LoadStats {
        requests: 300_000,
        sweep: Some(crate::load::SweepStats::of(
            Kind::Caching,
            Vec::new(),
            metrics,
            Vec::new(),
        )),
        ..LoadStats::default()
    }
}

#[test]
fn a_speedup_is_judged_by_its_interval() {
    // A server that caches nothing: about 1, known closely.
    let none = speedup_of(1.0, 0.98, 1.02);
    let check = |text: &str, stats: &LoadStats| {
        let (metric, value) = text.split_once(' ').unwrap();
        Threshold::parse(metric, value).unwrap().check(stats)
    };
    for met in [
        "speedup >= 0",
        "speedup >= 0.5",
        "speedup >= 0.98",
        "speedup <= 1.5",
    ] {
        let result = check(met, &none);
        assert!(result.passed && !result.unmeasured, "{met}: {result:?}");
        assert_eq!(result.interval, Some([0.98, 1.02]), "{met}");
        assert_eq!(result.value, 1.0);
    }
    for missed in ["speedup >= 2", "speedup >= 1.03", "speedup <= 0.9"] {
        let result = check(missed, &none);
        assert!(!result.passed && !result.unmeasured, "{missed}: {result:?}");
        assert_eq!(result.unmeasured_why, None, "{missed}");
    }
    // The interval holds the limit: neither met nor missed, so not
    // measurable (and so not met), with the interval in the why.
    for straddled in ["speedup >= 1", "speedup <= 1"] {
        let result = check(straddled, &none);
        assert!(
            !result.passed && result.unmeasured,
            "{straddled}: {result:?}"
        );
        assert_eq!(
            result.unmeasured_why.as_deref(),
            Some(
                "its 95% interval, 0.98 .. 1.02, holds the limit, so the run cannot tell whether the warm \
                 speedup meets it (more requests narrow the interval)"
            ),
            "{straddled}"
        );
        assert_eq!(result.value, 1.0, "the estimate stays, with its interval");
    }
    // A cache: met by its whole interval, or not at all.
    let cache = speedup_of(80.0, 72.0, 88.0);
    assert!(check("speedup >= 2", &cache).passed);
    assert!(!check("speedup >= 100", &cache).passed);
    assert!(check("speedup >= 75", &cache).unmeasured);
    // The threshold's line shows the interval beside the value.
    assert_eq!(
        check("speedup >= 0.5", &speedup_of(1.003, 0.98, 1.02)).value_text(),
        "1.00 (95% interval 0.98 .. 1.02)"
    );
    // A metric kept without an interval is judged by its value alone.
    let mut headers = none.clone();
    if let Some(sweep) = headers.sweep.as_mut() {
        sweep.metrics.insert("cache_headers_pct".to_owned(), 100.0);
    }
    let result = check("cache_headers >= 100%", &headers);
    assert!(result.passed && result.interval.is_none(), "{result:?}");
    assert_eq!(result.value_text(), "100.00%");
}

#[test]
fn a_threshold_result_without_an_interval_still_loads() {
    // As records before thresholds had intervals wrote it.
    let old = r#"{"threshold":{"metric":"speedup","limit":2.0,"at_least":true,"text":"speedup >= 2"},
        "value":0.0,"passed":false,"unmeasured":true,
        "unmeasured_why":"cold and warm latencies overlap: a cold request is the slower of a cold/warm pair in 53% of the pairs"}"#;
    let result: ThresholdResult = serde_json::from_str(old).unwrap();
    assert_eq!(result.interval, None);
    assert!(result.unmeasured && !result.passed);
    let json = serde_json::to_string(&result).unwrap();
    assert!(!json.contains("interval\":"), "{json}");
    let judged = Threshold::parse("speedup", ">= 0.5")
        .unwrap()
        .check(&speedup_of(1.0, 0.98, 1.02));
    let json = serde_json::to_string(&judged).unwrap();
    assert!(json.contains(r#""interval":[0.98,1.02]"#), "{json}");
    assert_eq!(
        serde_json::from_str::<ThresholdResult>(&json).unwrap(),
        judged
    );
}
