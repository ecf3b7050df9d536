//! SVG charts drawn as text: a plot area with axes, grid and ticks, and
//! marks on it (lines, bands, dots, bars, whiskers, reference lines), each
//! with a `<title>` tooltip. Deterministic output, no fonts and no script
//! needed to draw.

use std::fmt::Write as _;

use super::axis::Axis;
use super::safe::{Html, html};

/// Room around the plot area, pixels: left for the y ticks, bottom for the
/// x ticks and the axis name, top for the title and legend.
const LEFT: f64 = 70.0;
const RIGHT: f64 = 34.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 46.0;

/// The series colours, in order (colour-blind safe, Okabe-Ito).
pub(super) const PALETTE: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];
/// Bad news: a regression, a miss, a breaking point.
pub(super) const RED: &str = "#c62828";
/// Good news: an improvement.
pub(super) const GREEN: &str = "#2e7d32";
/// Neutral reference lines.
pub(super) const GREY: &str = "#757575";

/// One chart: an SVG element of class `chart`.
pub(super) struct Chart {
    title: String,
    x: Axis,
    y: Axis,
    width: f64,
    height: f64,
    left: f64,
    body: Html,
    legend: Vec<(String, String)>,
}

impl Chart {
    /// An empty chart over the two axes.
    pub(super) fn new(title: &str, x: Axis, y: Axis) -> Self {
        Self {
            title: title.to_owned(),
            x,
            y,
            width: 660.0,
            height: 280.0,
            left: LEFT,
            body: Html::new(),
            legend: Vec::new(),
        }
    }

    /// Sets the size in pixels.
    pub(super) fn size(mut self, width: f64, height: f64) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Sets the room left of the plot area for the y axis' labels.
    pub(super) fn left_margin(mut self, left: f64) -> Self {
        self.left = left;
        self
    }

    /// The pixel column of `x`, kept inside the plot area.
    fn px(&self, x: f64) -> f64 {
        let f = self.x.fraction(x).clamp(-0.01, 1.01);
        self.left + f * (self.width - self.left - RIGHT)
    }

    /// The pixel row of `y`, kept inside the plot area.
    fn py(&self, y: f64) -> f64 {
        let f = self.y.fraction(y).clamp(-0.01, 1.01);
        self.height - BOTTOM - f * (self.height - TOP - BOTTOM)
    }

    fn points(&self, points: &[(f64, f64)]) -> String {
        let mut out = String::new();
        for &(x, y) in points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
        {
            let _ = write!(out, "{:.1},{:.1} ", self.px(x), self.py(y));
        }
        out.trim_end().to_owned()
    }

    fn legend_entry(&mut self, name: &str, color: &str) {
        if !name.is_empty() && !self.legend.iter().any(|(n, _)| n == name) {
            self.legend.push((name.to_owned(), color.to_owned()));
        }
    }

    /// A line through `points`, in order.
    pub(super) fn line(&mut self, name: &str, color: &str, points: &[(f64, f64)]) {
        self.stroke(name, color, points, "");
    }

    /// A dashed line through `points` (a fit, a limit).
    pub(super) fn dashed(&mut self, name: &str, color: &str, points: &[(f64, f64)]) {
        self.stroke(name, color, points, r#" stroke-dasharray="6 4""#);
    }

    fn stroke(&mut self, name: &str, color: &str, points: &[(f64, f64)], extra: &'static str) {
        if points.is_empty() {
            return;
        }
        let path = self.points(points);
        self.body.push(&html!(
            r#"<polyline class="mark" fill="none" stroke="{}" stroke-width="1.8"{} points="{}"><title>{}</title></polyline>"#,
            color,
            Html::markup(extra),
            path,
            name
        ));
        self.legend_entry(name, color);
    }

    /// A shaded band between `lower` and `upper` at each x (an interval).
    pub(super) fn band(&mut self, name: &str, color: &str, band: &[(f64, f64, f64)]) {
        if band.is_empty() {
            return;
        }
        let upper: Vec<(f64, f64)> = band.iter().map(|&(x, _, hi)| (x, hi)).collect();
        let lower: Vec<(f64, f64)> = band.iter().rev().map(|&(x, lo, _)| (x, lo)).collect();
        let path = format!("{} {}", self.points(&upper), self.points(&lower));
        self.body.push(&html!(
            r#"<polygon class="mark" fill="{}" fill-opacity="0.18" stroke="none" points="{}"><title>{}</title></polygon>"#,
            color,
            path,
            name
        ));
        self.legend_entry(name, color);
    }

    /// Dots, each with its own tooltip.
    pub(super) fn dots(&mut self, name: &str, color: &str, dots: &[(f64, f64, String)]) {
        let finite = dots.iter().filter(|d| d.0.is_finite() && d.1.is_finite());
        let mut group = Html::new();
        for (x, y, tip) in finite {
            group.push(&html!(
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.2"><title>{}</title></circle>"#,
                self.px(*x),
                self.py(*y),
                tip
            ));
        }
        if group.is_empty() {
            return;
        }
        // One group carries the colour: hundreds of samples stay light.
        self.body.push(&html!(
            r#"<g class="mark" fill="{}" fill-opacity="0.75">{}</g>"#,
            color,
            group
        ));
        self.legend_entry(name, color);
    }

    /// Bars from the x axis' base (zero, or the low end of a log axis) up
    /// to each `y`, centred on `x`, `width` wide in x's units.
    pub(super) fn bars(
        &mut self,
        name: &str,
        color: &str,
        width: f64,
        bars: &[(f64, f64, String)],
    ) {
        let base = self.py(if self.y.lo > 0.0 { self.y.lo } else { 0.0 });
        for (x, y, tip) in bars.iter().filter(|b| b.0.is_finite() && b.1.is_finite()) {
            let (left, right) = (self.px(x - width / 2.0), self.px(x + width / 2.0));
            let top = self.py(*y);
            self.body.push(&html!(
                r#"<rect class="mark" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" fill-opacity="0.8"><title>{}</title></rect>"#,
                left,
                top.min(base),
                (right - left).max(1.0),
                (base - top).abs().max(0.5),
                color,
                tip
            ));
        }
        if !bars.is_empty() {
            self.legend_entry(name, color);
        }
    }

    /// A horizontal interval from `lo` to `hi` at row `y`, with a dot at
    /// `mid` (a forest plot's row).
    pub(super) fn whisker(&mut self, y: f64, lo: f64, mid: f64, hi: f64, color: &str, tip: &str) {
        let row = self.py(y);
        if lo.is_finite() && hi.is_finite() {
            let (a, b) = (self.px(lo), self.px(hi));
            self.body.push(&html!(
                r#"<g class="mark" stroke="{}" stroke-width="2"><title>{}</title><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/></g>"#,
                color,
                tip,
                a,
                row,
                b,
                row,
                a,
                row - 5.0,
                a,
                row + 5.0,
                b,
                row - 5.0,
                b,
                row + 5.0
            ));
        }
        if mid.is_finite() {
            self.body.push(&html!(
                r#"<rect class="mark" x="{:.1}" y="{:.1}" width="9" height="9" fill="{}"><title>{}</title></rect>"#,
                self.px(mid) - 4.5,
                row - 4.5,
                color,
                tip
            ));
        }
    }

    /// A vertical reference line at `x`, labelled at its top.
    pub(super) fn vline(&mut self, x: f64, label: &str, color: &str) {
        if !x.is_finite() {
            return;
        }
        let col = self.px(x);
        self.body.push(&html!(
            r#"<g class="ref"><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" fill="{}" font-size="11">{}</text></g>"#,
            col,
            TOP,
            col,
            self.height - BOTTOM,
            color,
            col + 3.0,
            TOP + 11.0,
            color,
            label
        ));
    }

    /// A horizontal reference line at `y`, labelled at its left end.
    pub(super) fn hline(&mut self, y: f64, label: &str, color: &str) {
        if !y.is_finite() {
            return;
        }
        let row = self.py(y);
        self.body.push(&html!(
            r#"<g class="ref"><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" fill="{}" font-size="11">{}</text></g>"#,
            self.left,
            row,
            self.width - RIGHT,
            row,
            color,
            self.left + 4.0,
            row - 3.0,
            color,
            label
        ));
    }

    /// The finished `<svg>`.
    pub(super) fn render(&self) -> Html {
        let (w, h) = (self.width, self.height);
        let (left, right, top, bottom) = (self.left, w - RIGHT, TOP, h - BOTTOM);
        let mut out = html!(
            r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" font-family="system-ui, sans-serif" font-size="11"><title>{}</title>"#,
            w,
            h,
            w,
            h,
            self.title
        );
        out.push(&html!(
            r#"<text x="{}" y="16" font-size="13" font-weight="600">{}</text>"#,
            left,
            self.title
        ));
        let mut legend_x = left;
        for (name, color) in &self.legend {
            out.push(&html!(
                r#"<rect x="{:.1}" y="25" width="10" height="10" fill="{}"/><text x="{:.1}" y="34">{}</text>"#,
                legend_x,
                color,
                legend_x + 13.0,
                name
            ));
            legend_x += 24.0 + 6.2 * name.chars().count() as f64;
        }
        out.push(&html!(
            "<rect x=\"{}\" y=\"{}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fafafa\" stroke=\"#bbb\"/>",
            left,
            top,
            right - left,
            bottom - top
        ));
        for (value, text) in &self.y.ticks {
            let row = self.py(*value);
            out.push(&html!(
                "<line x1=\"{}\" y1=\"{:.1}\" x2=\"{}\" y2=\"{:.1}\" stroke=\"#e3e3e3\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left,
                row,
                right,
                row,
                left - 5.0,
                row + 4.0,
                text
            ));
        }
        for (value, text) in &self.x.ticks {
            let col = self.px(*value);
            out.push(&html!(
                "<line x1=\"{:.1}\" y1=\"{}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#e3e3e3\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                col,
                top,
                col,
                bottom,
                col,
                bottom + 15.0,
                text
            ));
        }
        out.push(&html!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{}">{}</text>"#,
            (left + right) / 2.0,
            h - 8.0,
            GREY,
            self.x.label
        ));
        out.push(&html!(
            r#"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle" fill="{}">{}</text>"#,
            (top + bottom) / 2.0,
            GREY,
            self.y.label
        ));
        out.push(&self.body);
        out.push_markup("</svg>");
        out
    }
}

/// At most about `max` points of a long series, for a page of sane
/// weight: each of `max / 2` runs of points keeps its lowest and its
/// highest point, in order, so that a spike or a dip survives.
pub(super) fn downsample(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    let buckets = (max / 2).max(1);
    if points.len() <= max {
        return points.to_vec();
    }
    let size = points.len().div_ceil(buckets);
    let mut out = Vec::with_capacity(buckets * 2);
    for run in points.chunks(size) {
        let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
        let (Some(low), Some(high)) = (run.iter().min_by(by_y), run.iter().max_by(by_y)) else {
            continue;
        };
        if low.0 <= high.0 {
            out.extend([*low, *high]);
        } else {
            out.extend([*high, *low]);
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::super::axis::number;
    use super::*;

    #[test]
    fn a_chart_is_one_svg_with_its_marks_and_escaped_text() {
        let x = Axis::linear("time (s)", [0.0, 10.0], true, number);
        let y = Axis::linear("req/s", [0.0, 50.0], true, number);
        let mut chart = Chart::new("<rps> & \"more\"", x, y);
        chart.line("rps", PALETTE[0], &[(0.0, 10.0), (10.0, 50.0)]);
        chart.dots("p95", PALETTE[1], &[(5.0, 20.0, "t=5 <b>".into())]);
        chart.vline(5.0, "spike", RED);
        let svg = chart.render().into_string();
        assert!(svg.starts_with(r#"<svg class="chart""#), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches(r#"class="mark""#).count(), 2, "{svg}");
        assert!(
            svg.contains(r#"<circle cx="348.0" cy="158.0" r="3.2">"#),
            "{svg}"
        );
        assert!(svg.contains("&lt;rps&gt; &amp; &quot;more&quot;"), "{svg}");
        assert!(
            svg.contains("t=5 &lt;b&gt;") && !svg.contains("<b>"),
            "{svg}"
        );
        // (0, 10) at the left edge, a fifth up; (10, 50) at the top right.
        let (bottom, top) = (280.0 - BOTTOM, TOP);
        let y10 = bottom - (bottom - top) / 5.0;
        assert!(
            svg.contains(&format!(
                r#"points="{LEFT:.1},{y10:.1} {:.1},{top:.1}""#,
                660.0 - RIGHT
            )),
            "{svg}"
        );
    }

    #[test]
    fn long_series_keep_their_peaks() {
        let mut points: Vec<(f64, f64)> = (0..10_000).map(|i| (f64::from(i), 1.0)).collect();
        points[4_321].1 = 99.0;
        let short = downsample(&points, 200);
        assert!(short.len() <= 200, "{}", short.len());
        assert!(short.contains(&(4_321.0, 99.0)));
        assert!(short.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(downsample(&points[..50], 200).len(), 50);
    }
}
