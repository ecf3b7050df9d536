use super::*;

#[test]
fn a_stage_reads_as_k6_writes_it() {
    assert_eq!(parse_stage("30s:100"), Ok((30_000_000_000, 100.0)));
    assert_eq!(parse_stage("1m:0"), Ok((60_000_000_000, 0.0)));
    assert_eq!(parse_stage("500ms:2.5"), Ok((500_000_000, 2.5)));
    for bad in [
        "30s",
        "30:100",
        "30s:-1",
        "30s:abc",
        "30s:1e400",
        ":5",
        "30s:2000000",
    ] {
        let error = parse_stage(bad).unwrap_err();
        assert!(error.contains(bad), "{bad}: {error}");
    }
}

#[test]
fn each_shape_takes_its_own_flags_and_names_the_others() {
    let users = LoadOverrides {
        users: Some(50),
        spawn_rate: Some(10.0),
        run_time_ns: Some(20_000_000_000),
        ..LoadOverrides::default()
    };
    assert_eq!(users.check(LoadShape::Closed), Ok(()));
    let error = users.check(LoadShape::Open).unwrap_err();
    assert!(error.contains("-u/--users, -r/--spawn-rate"), "{error}");
    assert!(error.contains("an open workload"), "{error}");
    assert!(
        error.contains("it takes --rate, -t/--run-time, --stage"),
        "{error}"
    );
    let rate = LoadOverrides {
        rate: Some(200.0),
        ..LoadOverrides::default()
    };
    assert_eq!(rate.check(LoadShape::Open), Ok(()));
    assert!(
        rate.check(LoadShape::Closed)
            .unwrap_err()
            .contains("--rate does not fit a closed workload")
    );
    let error = rate.check(LoadShape::Catalogue(Kind::Stress)).unwrap_err();
    assert!(error.contains("a stress test"), "{error}");
    assert!(error.contains("takes none"), "{error}");
    let soak = LoadOverrides {
        users: Some(20),
        run_time_ns: Some(60_000_000_000),
        ..LoadOverrides::default()
    };
    assert_eq!(soak.check(LoadShape::Catalogue(Kind::Soak)), Ok(()));
    assert_eq!(
        LoadOverrides::default().check(LoadShape::Catalogue(Kind::Spike)),
        Ok(())
    );
}

#[test]
fn the_flags_read_back_as_typed_and_survive_json() {
    let given = LoadOverrides {
        users: Some(50),
        spawn_rate: Some(10.0),
        run_time_ns: Some(20_000_000_000),
        stages: vec![(1_500_000_000, 5.0)],
        ..LoadOverrides::default()
    };
    assert_eq!(given.command_line(), "-u 50 -r 10 -t 20s --stage 1.5s:5");
    let json = serde_json::to_string(&given).unwrap();
    assert_eq!(serde_json::from_str::<LoadOverrides>(&json).unwrap(), given);
    assert_eq!(
        serde_json::from_str::<LoadOverrides>("{}").unwrap(),
        LoadOverrides::default()
    );
    assert!(LoadOverrides::default().is_empty());
    assert_eq!(
        serde_json::to_string(&LoadShape::Catalogue(Kind::Soak)).unwrap(),
        r#"{"catalogue":"soak"}"#
    );
}
