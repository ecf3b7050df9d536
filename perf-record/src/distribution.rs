//! Student's t distribution: its CDF and quantiles, for the intervals of
//! a comparison's change and of a soak test's memory slope; and the F
//! distribution's upper tail, for telling two variances apart.

/// P(T <= t) for Student's t with `df` degrees of freedom.
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x);
    if t > 0.0 { 1.0 - tail } else { tail }
}

/// The `p` quantile of Student's t, by bisection on the distribution.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let (mut low, mut high) = (-1e4, 1e4);
    for _ in 0..200 {
        let mid = f64::midpoint(low, high);
        if student_t_cdf(mid, df) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    f64::midpoint(low, high)
}

/// P(F > f) for Fisher's F with `d1` and `d2` degrees of freedom: how
/// likely a ratio of two variance estimates this large is when both
/// estimate the same variance.
pub fn f_upper_tail(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() || d1 <= 0.0 || d2 <= 0.0 {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    // P(F > f) = I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2).
    incomplete_beta(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}

/// The regularised incomplete beta function I_x(a, b), by its continued
/// fraction (modified Lentz).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..500 {
        let m = f64::from(m);
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn the_t_distribution_matches_its_tables() {
        assert!(close(t_quantile(0.975, 9.0), 2.262, 0.001));
        assert!(close(t_quantile(0.975, 1.0), 12.706, 0.01));
        assert!(close(t_quantile(0.975, 1e6), 1.960, 0.001));
        assert!(close(student_t_cdf(0.0, 5.0), 0.5, 1e-12));
        assert!(close(student_t_cdf(2.015, 5.0), 0.95, 0.001));
        assert!(close(student_t_cdf(-2.015, 5.0), 0.05, 0.001));
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-10));
    }

    #[test]
    fn the_f_distribution_matches_its_tables() {
        // Upper 5% and 1% points of F(d1, d2).
        assert!(close(f_upper_tail(3.326, 5.0, 10.0), 0.05, 0.001));
        assert!(close(f_upper_tail(3.885, 2.0, 12.0), 0.05, 0.001));
        assert!(close(f_upper_tail(4.938, 3.0, 20.0), 0.01, 0.0005));
        assert!(close(f_upper_tail(0.0, 3.0, 20.0), 1.0, 1e-12));
        // F(2, d2) has the closed form (1 + 2f/d2)^(-d2/2).
        assert!(close(
            f_upper_tail(1.5, 2.0, 8.0),
            1.375f64.powf(-4.0),
            1e-9
        ));
    }
}
