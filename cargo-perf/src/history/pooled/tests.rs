//! The pooled drift, on made-up histories.

use super::*;

/// A column of `values` (log scale) in one segment.
fn column(values: &[f64]) -> Vec<Option<(f64, usize)>> {
    values.iter().map(|v| Some((*v, 0))).collect()
}

#[test]
fn the_runs_levels_are_taken_out_and_the_tests_spread_is_left() {
    // Three runs whose machine moved by 0, +30% and −20%: every test moved
    // with it, give or take 1%.
    let machine = [0.0, 0.3f64.ln_1p(), (-0.2f64).ln_1p()];
    let wobble = [[0.01, -0.01, 0.0], [-0.01, 0.0, 0.01], [0.0, 0.01, -0.01]];
    let columns: Vec<_> = (0..3)
        .map(|c| {
            column(
                &(0..3)
                    .map(|r| c as f64 + machine[r] + wobble[c][r])
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let drift = fit(&columns, 3).unwrap();
    // 9 cells − 3 runs − 3 series + 1.
    assert_eq!((drift.df, drift.runs, drift.series), (4, 3, 3));
    // The machine's ±30% is gone; the 1% is left.
    assert!(drift.sd_log > 0.005 && drift.sd_log < 0.02, "{drift:?}");
}

#[test]
fn a_step_in_one_test_is_its_own_level_not_noise() {
    // Test 1 got 50% slower from the fourth run on.
    let columns = vec![
        column(&[0.0, 0.01, -0.01, 0.0, 0.01, -0.01]),
        column(&[1.0, 1.01, 0.99, 1.5, 1.49, 1.51]),
        column(&[2.0, 1.99, 2.01, 2.0, 2.01, 1.99]),
    ];
    let mut stepped = columns.clone();
    for cell in stepped[1].iter_mut().skip(3) {
        *cell = cell.map(|(v, _)| (v, 1));
    }
    let drift = fit(&stepped, 6).unwrap();
    assert!(drift.sd_log < 0.02, "{drift:?}");
    // Unsplit, the step would read as a noise of about 20%.
    let blurred = fit(&columns, 6).unwrap();
    assert!(blurred.sd_log > 0.1, "{blurred:?}");
    assert_eq!(drift.df + 1, blurred.df);
}

#[test]
fn one_run_or_one_series_pools_nothing() {
    assert!(fit(&[column(&[0.0]), column(&[1.0])], 1).is_none());
    assert!(fit(&[column(&[0.0, 0.1, 0.2])], 3).is_none());
    assert!(fit(&[], 0).is_none());
}
