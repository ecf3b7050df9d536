use super::*;

#[test]
fn threads_are_merged() {
    let session = Session::new();
    let now = Instant::now();
    let request = |ms: u64, error: Option<(RequestErrorKind, String)>| RequestRecord {
        name: "GET /items",
        latency: Duration::from_millis(ms),
        corrected: None,
        status: Some(if error.is_some() { 500 } else { 200 }),
        error,
        at: now,
        sent: 100,
        received: if ms == 10 { 1_000 } else { 3_000 },
        setup: crate::load::http::client::Setup::default(),
    };
    session.record(request(10, None));
    std::thread::scope(|scope| {
        scope.spawn(|| {
            session.record(request(
                30,
                Some((RequestErrorKind::Status, "500 Internal Server Error".into())),
            ))
        });
    });
    session.record_failure(
        Some("GET /items"),
        RequestErrorKind::Check,
        "expected 200".into(),
    );
    let totals = session.finish(Duration::from_secs(2), &[1, 0]);
    assert_eq!(totals.requests, 2);
    assert_eq!(totals.failed, 2);
    assert_eq!(totals.status_codes[&200], 1);
    assert_eq!(totals.status_codes[&500], 1);
    assert_eq!(totals.errors[&RequestErrorKind::Status].count, 1);
    assert_eq!(
        totals.errors[&RequestErrorKind::Check].first_messages,
        ["expected 200"]
    );
    assert_eq!(totals.endpoints[0].errors, 2);
    assert_eq!(totals.latency.count, 2);
    assert!((29_000..=31_000).contains(&totals.latency.max_us));
    assert!(!totals.latency.histogram.is_empty());
    assert_eq!(totals.timeline[0].requests, 2);
    // Both threads' bytes, over the test's two seconds.
    let total = (totals.transfer.received_bytes, totals.transfer.sent_bytes);
    assert_eq!(total, (4_000, 200));
    assert_eq!(totals.transfer.received_per_s, 2_000.0);
    assert_eq!(totals.endpoints[0].transfer, totals.transfer);
}

#[test]
fn distinct_names_past_the_cap_are_one_row_across_threads() {
    let session = Session::new();
    let now = Instant::now();
    let record = |i: usize| {
        let name = format!("GET /search/{i}x");
        session.record(RequestRecord {
            name: &name,
            latency: Duration::from_millis(1),
            corrected: None,
            status: Some(200),
            error: None,
            at: now,
            sent: 10,
            received: 10,
            setup: crate::load::http::client::Setup::default(),
        });
    };
    std::thread::scope(|scope| {
        scope.spawn(|| (0..400).for_each(record));
        scope.spawn(|| (400..800).for_each(record));
    });
    (0..800).for_each(record);
    let totals = session.finish(Duration::from_secs(1), &[1]);
    assert_eq!(
        totals.endpoints.len(),
        crate::load::endpoint::MAX_ENDPOINTS + 1
    );
    let other = totals
        .endpoints
        .iter()
        .find(|e| e.name == OTHER_ENDPOINTS)
        .expect("an other row");
    assert_eq!(other.latency.count, 2 * 300);
    assert_eq!(totals.requests, 1_600);
    assert!(matches!(
        totals.overflow,
        Some(Warning::TooManyEndpoints { requests: 600, .. })
    ));
}

#[test]
fn the_last_partial_second_keeps_its_users_and_each_second_its_histogram() {
    let session = Session::new();
    let start = session.start();
    for (second, ms) in [(0, 5), (1, 7), (2, 9)] {
        session.record(RequestRecord {
            name: "GET /",
            latency: Duration::from_millis(ms),
            corrected: None,
            status: Some(200),
            error: None,
            at: start + Duration::from_millis(second * 1_000 + 100),
            sent: 10,
            received: 10,
            setup: crate::load::http::client::Setup::default(),
        });
    }
    // 2.4 s: samples of the users at 0.5 s and 1.5 s, none for the
    // last, cut-short second, whose users are still the last sample's.
    let totals = session.finish(Duration::from_millis(2_400), &[8, 8]);
    let active: Vec<u64> = totals.timeline.iter().map(|s| s.active).collect();
    assert_eq!(active, [8, 8, 8]);
    for (second, ms) in totals.timeline.iter().zip([5_000, 7_000, 9_000]) {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&second.histogram)
            .unwrap();
        let h: Histogram<u64> = hdrhistogram::serialization::Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .unwrap();
        assert_eq!(h.len(), 1);
        assert!(h.equivalent(h.max(), ms), "{} against {ms}", h.max());
    }
    assert!(session.started_unix_ms().is_some());
}
