//! Charts as inline SVG, written by hand: a radar of scores per dimension, a line chart of
//! scores across cycles, and horizontal bars. Each has a title and a text alternative, and
//! colours are paired with dash patterns so that they do not rely on colour alone.

use std::fmt::Write as _;

use crate::escape::push_escaped;

/// Colour-blind-safe colours (Okabe-Ito), darkened for contrast on white.
const COLOURS: [&str; 6] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#7a6200", "#56b4e9"];
const DASHES: [&str; 6] = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

/// Text safe inside SVG.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    push_escaped(&mut escaped, text);
    escaped
}

/// A coordinate with one decimal. The float formatter's fixed precision is slow, and a
/// person's page writes a few hundred coordinates.
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::with_capacity(8);
        push_tenths(&mut text, self.0);
        formatter.write_str(&text)
    }
}

/// Appends a coordinate with one decimal without the formatting machinery: polygons are most of
/// a chart's numbers.
fn push_tenths(svg: &mut String, value: f64) {
    let tenths = (value * 10.0).round() as i64;
    if tenths < 0 {
        svg.push('-');
    }
    let magnitude = tenths.unsigned_abs();
    svg.push_str(itoa::Buffer::new().format(magnitude / 10));
    svg.push('.');
    svg.push(char::from(b'0' + (magnitude % 10) as u8));
}

/// Appends the points of a polygon or a polyline: `x,y x,y …`.
fn push_points(svg: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    for (index, (x, y)) in points.enumerate() {
        if index > 0 {
            svg.push(' ');
        }
        push_tenths(svg, x);
        svg.push(',');
        push_tenths(svg, y);
    }
}

/// Appends a coordinate rounded to a whole number.
fn push_whole(svg: &mut String, value: f64) {
    svg.push_str(itoa::Buffer::new().format(value.round() as i64));
}

/// Appends a legend's sample line at height `y`.
fn push_legend_line(svg: &mut String, y: f64, colour: &str, width: &str, dash: &str) {
    svg.push_str(r#"<line x1="8" y1=""#);
    push_whole(svg, y);
    svg.push_str(r#"" x2="30" y2=""#);
    push_whole(svg, y);
    for part in [r#"" stroke=""#, colour, "\"", width, r#" stroke-dasharray=""#, dash, r#""/>"#] {
        svg.push_str(part);
    }
}

/// Appends a legend's label beside the line at height `y`.
fn push_legend_text(svg: &mut String, y: f64, label: &str) {
    svg.push_str(r#"<text x="36" y=""#);
    push_whole(svg, y + 4.0);
    svg.push_str(r#"" font-size="12">"#);
    push_escaped(svg, label);
    svg.push_str("</text>");
}

/// A coordinate rounded to a whole number.
struct Whole(f64);

impl std::fmt::Display for Whole {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.0.round() as i64)
    }
}

/// One series of a radar: a name and a score from 0 to 1 per axis (none when not rated).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

const RADAR_SIZE: f64 = 360.0;
const RADAR_CENTRE: f64 = 180.0;
const RADAR_RADIUS: f64 = 120.0;
/// The room left and right of the radar's square for the axis labels, which stand outside the
/// rim: a label line is at most [`LABEL_CHARS`] characters.
const RADAR_PAD: f64 = 110.0;
/// An axis label's longest line, in characters; longer names wrap onto a second line.
const LABEL_CHARS: usize = 16;

/// An axis label in at most two lines of at most [`LABEL_CHARS`] characters, broken between
/// words; what does not fit ends the second line with an ellipsis.
fn label_lines(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LABEL_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    let mut kept: Vec<String> = lines
        .iter()
        .take(2)
        .map(|line| match line.char_indices().nth(LABEL_CHARS - 1) {
            Some((end, _)) if line.chars().count() > LABEL_CHARS => format!("{}…", &line[..end]),
            _ => line.clone(),
        })
        .collect();
    if lines.len() > 2
        && let Some(last) = kept.last_mut()
    {
        if last.chars().count() >= LABEL_CHARS {
            last.pop();
        }
        if !last.ends_with('…') {
            last.push('…');
        }
    }
    kept
}

/// Where `value` (0 at the centre, 1 at the rim) lies on the axis pointing `direction`.
fn radar_point((cos, sin): (f64, f64), value: f64) -> (f64, f64) {
    (RADAR_CENTRE + RADAR_RADIUS * value * cos, RADAR_CENTRE + RADAR_RADIUS * value * sin)
}

/// The direction of each of `axes` axes, the first pointing up, clockwise.
fn radar_directions(axes: usize) -> Vec<(f64, f64)> {
    (0..axes).map(|axis| radar_direction(axis, axes)).collect()
}

/// The direction of axis `axis` of `axes`: the first points up, the others follow clockwise.
fn radar_direction(axis: usize, axes: usize) -> (f64, f64) {
    let angle =
        std::f64::consts::TAU * axis as f64 / axes.max(3) as f64 - std::f64::consts::FRAC_PI_2;
    (angle.cos(), angle.sin())
}

/// Appends a radar's opening, rings, "meets" ring, axes and axis labels.
fn push_radar_frame(svg: &mut String, title: &str, axes: &[String], meets: f64) {
    let (size, centre) = (RADAR_SIZE, RADAR_CENTRE);
    let directions = radar_directions(axes.len());
    // Written piece by piece rather than with `write!`: a person's page draws a radar on every
    // request, and the formatting machinery was most of its cost.
    svg.push_str(r#"<svg viewBox=""#);
    push_whole(svg, -RADAR_PAD);
    svg.push_str(" 0 ");
    push_whole(svg, size + 2.0 * RADAR_PAD);
    svg.push(' ');
    push_whole(svg, size);
    svg.push_str(r#"" width="100%" style="max-width:"#);
    push_whole(svg, size + 2.0 * RADAR_PAD);
    svg.push_str(r#"px" role="img" aria-labelledby="radar-title"><title id="radar-title">"#);
    push_escaped(svg, title);
    svg.push_str("</title>");
    for ring in [0.25, 0.5, 0.75, 1.0] {
        svg.push_str(r#"<polygon points=""#);
        push_points(svg, directions.iter().map(|&direction| radar_point(direction, ring)));
        svg.push_str(r##"" fill="none" stroke="#d0d7de"/>"##);
    }
    svg.push_str(r#"<polygon points=""#);
    push_points(svg, directions.iter().map(|&direction| radar_point(direction, meets)));
    svg.push_str(r##"" fill="none" stroke="#57606a" stroke-dasharray="4 4"/>"##);
    for (name, &direction) in axes.iter().zip(&directions) {
        let (x, y) = radar_point(direction, 1.0);
        svg.push_str(r#"<line x1=""#);
        push_whole(svg, centre);
        svg.push_str(r#"" y1=""#);
        push_whole(svg, centre);
        svg.push_str(r#"" x2=""#);
        push_tenths(svg, x);
        svg.push_str(r#"" y2=""#);
        push_tenths(svg, y);
        svg.push_str(r##"" stroke="#d0d7de"/>"##);
        let (lx, ly) = radar_point(direction, 1.22);
        let anchor = if (lx - centre).abs() < 10.0 {
            "middle"
        } else if lx > centre {
            "start"
        } else {
            "end"
        };
        let lines = label_lines(name);
        // A label above the centre grows upwards, away from the rim.
        let first_y = if ly < centre { ly - 14.0 * (lines.len() as f64 - 1.0) } else { ly };
        svg.push_str(r#"<text y=""#);
        push_tenths(svg, first_y);
        svg.push_str(r#"" font-size="12" text-anchor=""#);
        svg.push_str(anchor);
        svg.push_str(r##"" fill="#1b1f24">"##);
        for (number, line) in lines.iter().enumerate() {
            svg.push_str(r#"<tspan x=""#);
            push_tenths(svg, lx);
            svg.push_str(if number == 0 { r#"" dy="0">"# } else { r#"" dy="14">"# });
            push_escaped(svg, line);
            svg.push_str("</tspan>");
        }
        svg.push_str("</text>");
    }
}

/// A radar chart: one axis per dimension, 0 at the centre and 1 at the rim, with a dashed
/// ring where "meets" is.
pub fn radar(title: &str, axes: &[String], series: &[Series], meets: f64) -> String {
    let mut svg = String::with_capacity(4096);
    push_radar_frame(&mut svg, title, axes, meets);
    let directions = radar_directions(axes.len());
    let direction = |axis: usize| {
        directions.get(axis).copied().unwrap_or_else(|| radar_direction(axis, axes.len()))
    };
    for (index, series) in series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let dash = DASHES[index % DASHES.len()];
        svg.push_str(r#"<polygon points=""#);
        push_points(
            &mut svg,
            series.values.iter().enumerate().map(|(axis, value)| {
                radar_point(direction(axis), value.unwrap_or(0.0).clamp(0.0, 1.0))
            }),
        );
        for part in [r#"" fill=""#, colour, r#"" fill-opacity="0.12" stroke=""#, colour] {
            svg.push_str(part);
        }
        for part in [r#"" stroke-width="2" stroke-dasharray=""#, dash, r#""/>"#] {
            svg.push_str(part);
        }
    }
    let size = RADAR_SIZE;
    let legend_y = size - 14.0 * (series.len() as f64 + 1.0);
    for (index, series) in series.iter().enumerate() {
        let y = legend_y + 14.0 * index as f64;
        push_legend_line(
            &mut svg,
            y,
            COLOURS[index % COLOURS.len()],
            r#" stroke-width="3""#,
            DASHES[index % DASHES.len()],
        );
        push_legend_text(&mut svg, y, &series.name);
    }
    let meets_y = legend_y + 14.0 * series.len() as f64;
    push_legend_line(&mut svg, meets_y, "#57606a", "", "4 4");
    push_legend_text(&mut svg, meets_y, "meets");
    svg.push_str("</svg>");
    svg
}

/// A line chart of scores (0 to 1) across cycles, one line per series.
pub fn lines(title: &str, cycles: &[String], series: &[Series]) -> String {
    // The legend, right of the plot, has room for names of about 30 characters.
    let (width, height, left, right, top, bottom) = (660.0, 260.0, 40.0, 230.0, 16.0, 36.0);
    let plot_width = width - left - right;
    let plot_height = height - top - bottom;
    let x = |index: usize| {
        if cycles.len() <= 1 {
            left + plot_width / 2.0
        } else {
            left + plot_width * index as f64 / (cycles.len() - 1) as f64
        }
    };
    let y = |value: f64| top + plot_height * (1.0 - value.clamp(0.0, 1.0));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" role="img" aria-labelledby="lines-title"><title id="lines-title">{}</title>"#,
        escape(title)
    );
    for (value, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let (line_y, right_x, label_x) = (y(value), left + plot_width, left - 4.0);
        let label_y = line_y + 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{0}" y1="{1}" y2="{1}" stroke="#d0d7de"/><text x="{2}" y="{3}" font-size="11" text-anchor="end" fill="#57606a">{label}</text>"##,
            Whole(right_x),
            Tenths(line_y),
            Whole(label_x),
            Tenths(label_y)
        );
    }
    for (index, cycle) in cycles.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1b1f24">{}</text>"##,
            Tenths(x(index)),
            Whole(height - 12.0),
            escape(cycle)
        );
    }
    for (number, series) in series.iter().enumerate() {
        let colour = COLOURS[number % COLOURS.len()];
        let dash = DASHES[number % DASHES.len()];
        let points: Vec<(f64, f64)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(index, value)| value.map(|value| (x(index), y(value))))
            .collect();
        if points.len() > 1 {
            svg.push_str(r#"<polyline points=""#);
            push_points(&mut svg, points.iter().copied());
            let _ = write!(
                svg,
                r#"" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#
            );
        }
        for (px, py) in &points {
            let _ = write!(
                svg,
                r#"<circle cx="{}" cy="{}" r="3.5" fill="{colour}"/>"#,
                Tenths(*px),
                Tenths(*py)
            );
        }
        let ly = top + 16.0 * number as f64 + 6.0;
        let _ = write!(
            svg,
            r#"<line x1="{0}" x2="{1}" y1="{5}" y2="{5}" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/><text x="{2}" y="{3}" font-size="11">{4}</text>"#,
            Whole(width - right + 10.0),
            Whole(width - right + 30.0),
            Whole(width - right + 34.0),
            Whole(ly + 4.0),
            escape(&series.name),
            Whole(ly)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars with their counts written out.
pub fn bars(title: &str, items: &[(String, u64)]) -> String {
    let (width, label_width, row) = (620.0, 270.0, 22.0);
    let height = row * items.len() as f64 + 10.0;
    let max = items.iter().map(|(_, count)| *count).max().unwrap_or(1).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {width} {}" width="100%" style="max-width:{width}px" role="img" aria-labelledby="bars-title"><title id="bars-title">{}</title>"#,
        Whole(height),
        escape(title)
    );
    for (index, (label, count)) in items.iter().enumerate() {
        let y = 5.0 + row * index as f64;
        let bar = (width - label_width - 60.0) * *count as f64 / max;
        let _ = write!(
            svg,
            r##"<text x="{0}" y="{1}" font-size="12" text-anchor="end">{2}</text><rect x="{3}" y="{4}" width="{7}" height="{5}" fill="#0072b2"/><text x="{6}" y="{1}" font-size="12">{count}</text>"##,
            Whole(label_width - 6.0),
            Whole(y + 14.0),
            escape(label),
            Whole(label_width),
            Whole(y + 3.0),
            Whole(row - 8.0),
            Tenths(label_width + bar + 4.0),
            Tenths(bar)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_round_to_their_precision() {
        let written: Vec<String> = [12.345, -1.25, -0.04, 0.0, 359.96]
            .into_iter()
            .map(|value| Tenths(value).to_string())
            .collect();
        assert_eq!(written, ["12.3", "-1.3", "0.0", "0.0", "360.0"]);
        assert_eq!(Whole(345.5).to_string(), "346");
        let mut pushed = String::new();
        push_points(&mut pushed, [(12.345, -1.25), (-0.04, 359.96)].into_iter());
        assert_eq!(pushed, "12.3,-1.3 0.0,360.0", "the same digits as `Tenths`");
    }

    #[test]
    fn charts_escape_text_and_draw_every_series() {
        let axes = vec!["Leadership <Skills>".to_owned(), "Scope".to_owned(), "Impact".to_owned()];
        let series = vec![
            Series { name: "Current level".into(), values: vec![Some(0.7), None, Some(1.0)] },
            Series { name: "Next & beyond".into(), values: vec![Some(0.3), Some(0.5), None] },
        ];
        let svg = radar("Scores", &axes, &series, 0.66);
        assert!(svg.contains("Leadership") && !svg.contains("<Skills>"));
        assert!(svg.contains("Next &#38; beyond"));
        assert_eq!(svg.matches("<polygon").count(), 4 + 1 + 2, "rings, meets, two series");
        let two_cycles = vec![
            Series { name: "Scope".into(), values: vec![Some(0.7), None] },
            Series { name: "Impact".into(), values: vec![Some(0.3), Some(0.5)] },
        ];
        let history = lines("History", &["2026-H1".into(), "2026-H2".into()], &two_cycles);
        assert_eq!(history.matches("<polyline").count(), 1, "a series needs two points for a line");
        assert!(bars("Levels", &[("ic1".into(), 3), ("ic2".into(), 0)]).contains(">3</text>"));
    }

    /// The width of `text` at `font_size`, generously: 0.62 of the size per character is
    /// wider than the average of the sans-serif faces browsers pick.
    fn text_width(text: &str, font_size: f64) -> f64 {
        text.chars().count() as f64 * font_size * 0.62
    }

    /// Every dimension name of the built-in ladder fits inside the radar's and the line chart's
    /// boxes: no label is clipped ("rowth" for Growth, "Autonomy and Decisi").
    #[test]
    fn chart_labels_fit_inside_the_chart() {
        let framework = rungs_format::builtin();
        let names: Vec<String> =
            framework.dimensions().iter().map(|dimension| dimension.name.clone()).collect();
        assert!(names.iter().any(|name| name == "Autonomy and Decision-Making"), "{names:?}");
        let directions = radar_directions(names.len());
        for (name, &direction) in names.iter().zip(&directions) {
            let lines = label_lines(name);
            assert!(lines.len() <= 2 && !lines.is_empty(), "{name}: {lines:?}");
            assert_eq!(lines.join(" "), *name, "the built-in names fit in two lines");
            let (x, _) = radar_point(direction, 1.22);
            for line in &lines {
                let width = text_width(line, 12.0);
                let (from, to) = if (x - RADAR_CENTRE).abs() < 10.0 {
                    (x - width / 2.0, x + width / 2.0)
                } else if x > RADAR_CENTRE {
                    (x, x + width)
                } else {
                    (x - width, x)
                };
                assert!(
                    from >= -RADAR_PAD && to <= RADAR_SIZE + RADAR_PAD,
                    "{line:?} spans {from}..{to}"
                );
            }
            let svg = radar("Scores", &names, &[], 0.66);
            for line in &lines {
                assert!(svg.contains(&format!(">{}</tspan>", escape(line))), "{line}");
            }
        }
        let history = lines("History", &["2026-H1".into()], &[]);
        assert!(history.contains(r#"viewBox="0 0 660 260""#), "{history}");
        for name in &names {
            // The legend's text starts 34 units right of the plot, which ends 230 before the edge.
            assert!(text_width(name, 11.0) <= 230.0 - 34.0, "{name}");
        }
        assert_eq!(
            label_lines("Leadership, Organisation and Strategic Influence Across Teams"),
            ["Leadership,", "Organisation an…"].map(String::from),
            "more than two lines end in an ellipsis"
        );
        assert_eq!(label_lines("Überverantwortlichkeitsbereich"), ["Überverantwortl…"]);
    }

    /// A radar is drawn from its own title, axes, "meets" and series alone: drawing another
    /// between two of the same does not change it.
    #[test]
    fn a_radar_is_drawn_from_its_own_inputs() {
        let five: Vec<String> =
            ["Lead", "Scope", "Autonomy", "Impact", "Growth"].map(String::from).into();
        let three: Vec<String> = ["Craft", "Reach", "Voice"].map(String::from).into();
        let series = |values: Vec<Option<f64>>| vec![Series { name: "Current".into(), values }];
        let alone = radar("Scores", &five, &series(vec![Some(0.5); 5]), 0.66);
        let other = radar("Scores", &three, &series(vec![Some(0.2); 3]), 0.66);
        assert_eq!(radar("Scores", &five, &series(vec![Some(0.5); 5]), 0.66), alone);
        assert!(other.contains(">Craft<") && !other.contains(">Lead<"), "{other}");
        let other_meets = radar("Scores", &five, &series(vec![Some(0.5); 5]), 0.5);
        assert_ne!(other_meets, alone, "another \"meets\" draws another ring");
        let other_title = radar("Other", &five, &series(vec![Some(0.5); 5]), 0.66);
        assert!(other_title.contains(">Other</title>"), "{other_title}");
        let other_values = radar("Scores", &five, &series(vec![Some(0.9); 5]), 0.66);
        assert_ne!(other_values, alone, "the series is drawn for every radar");
    }
}
