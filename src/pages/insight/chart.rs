//! The charts, drawn by plotters' SVG backend into a string that the page puts in a
//! `<figure>` (see docs/ARCHITECTURE.md, "Insight's charts", for the choice and what it
//! costs). plotters lays out axes, ticks and series; this module then makes its SVG fit
//! the page:
//!
//! - colours: plotters writes fixed colours, so each part is drawn in a marker colour
//!   ([`Ink`]) that [`finish`] turns into a class; `style/insight.css` colours the
//!   classes from the light and dark tokens (and dashes the second and third series,
//!   so lines differ by more than colour);
//! - size: the fixed `width`/`height` go, the `viewBox` stays and the CSS makes it
//!   100 % wide, so a chart drawn for the screen's width still shrinks with it;
//! - screen readers: `role="img"`, a `<title>` and a `<desc>` (escaped: they may name
//!   categories people typed), and the numbers are in a real table beside each chart.
//!
//! Text in the drawing (axis labels) is escaped by plotters itself; on wasm32 plotters
//! measures it with the browser's own layout. Axis labels arrive already written in
//! the reader's language (dates, numbers), as the formatters given here produce them.

use plotters::prelude::*;

/// The parts of a chart, each drawn in a colour no real chart uses and renamed to a
/// class by [`finish`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Text,
    Grid,
    Axis,
    /// The n-th series (0 to 3).
    Series(u8),
}

impl Ink {
    const fn color(self) -> RGBColor {
        match self {
            Ink::Text => RGBColor(1, 2, 3),
            Ink::Grid => RGBColor(1, 2, 4),
            Ink::Axis => RGBColor(1, 2, 5),
            Ink::Series(n) => RGBColor(1, 3, n),
        }
    }

    fn class(self) -> String {
        match self {
            Ink::Text => "ink-text".into(),
            Ink::Grid => "ink-grid".into(),
            Ink::Axis => "ink-axis".into(),
            Ink::Series(n) => format!("ink-s{n}"),
        }
    }

    fn hex(self) -> String {
        let RGBColor(r, g, b) = self.color();
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

const INKS: [Ink; 7] = [
    Ink::Text,
    Ink::Grid,
    Ink::Axis,
    Ink::Series(0),
    Ink::Series(1),
    Ink::Series(2),
    Ink::Series(3),
];

/// The label font: the page's own system font; plotters writes `size / 1.24` as the
/// SVG font size, so 16 gives 13 px text.
const FONT: (&str, u32) = ("sans-serif", 16);

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Lines over time, one point per day or week: the trend of tickets created,
/// resolved and open. `x_labels[i]` names point `i` (a date in the reader's
/// language); `number` writes a value for the y axis.
pub fn lines(
    size: (u32, u32),
    x_labels: &[String],
    series: &[&[i64]],
    number: &dyn Fn(i64) -> String,
) -> String {
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let last = (x_labels.len() as i32 - 1).max(1);
        let top = series
            .iter()
            .flat_map(|s| s.iter().copied())
            .max()
            .unwrap_or(0)
            .max(4);
        // A little headroom, so the highest point does not touch the frame.
        let top = top + top / 10 + 1;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(12)
            .margin_right(18)
            .margin_left(4)
            .x_label_area_size(30)
            .y_label_area_size(48)
            .build_cartesian_2d(0..last, 0..top)?;
        let text = FONT.into_font().color(&Ink::Text.color());
        // About one label per 90 px, never more than there are points.
        let x_count = ((size.0 / 90) as usize).clamp(2, x_labels.len().max(2));
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(x_count)
            .x_label_formatter(&|i| x_labels.get(*i as usize).cloned().unwrap_or_default())
            .y_labels((size.1 / 40).max(6) as usize)
            .y_label_formatter(&|v| number(*v))
            .label_style(text)
            .axis_style(Ink::Axis.color())
            .bold_line_style(Ink::Grid.color())
            .light_line_style(TRANSPARENT)
            .draw()?;
        for (n, values) in series.iter().enumerate() {
            let ink = Ink::Series(n as u8).color();
            let points = values.iter().enumerate().map(|(x, y)| (x as i32, *y));
            chart.draw_series(LineSeries::new(points, ink.stroke_width(2)))?;
            if values.len() == 1 {
                // One day: a line of one point is invisible; a dot is not.
                chart.draw_series(values.iter().map(|y| Circle::new((0, *y), 4, ink.filled())))?;
            }
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// A small line without axes: a category's tickets per day, in its table row.
pub fn sparkline(size: (u32, u32), values: &[i64]) -> String {
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let last = (values.len() as i32 - 1).max(1);
        let top = values.iter().copied().max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(3)
            .build_cartesian_2d(0..last, 0..top)?;
        let points = values.iter().enumerate().map(|(x, y)| (x as i32, *y));
        chart.draw_series(LineSeries::new(
            points,
            Ink::Series(0).color().stroke_width(2),
        ))?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// Horizontal bars, one per step, each labelled above with its name and at its end
/// with its value: the self-service funnel (sessions, engaged, helped, filed).
pub fn bars(width: u32, steps: &[(String, i64)], number: &dyn Fn(i64) -> String) -> String {
    const ROW: i32 = 50;
    let height = (steps.len() as i32 * ROW + 8).max(ROW) as u32;
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let top = steps.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
        // Room at the end of the longest bar for its value.
        let span = (width as i32 - 80).max(40);
        let text = FONT.into_font().color(&Ink::Text.color());
        for (i, (label, value)) in steps.iter().enumerate() {
            let y = i as i32 * ROW + 4;
            let length = ((*value as f64 / top as f64) * span as f64).round() as i32;
            root.draw(&Text::new(label.clone(), (2, y), text.clone()))?;
            root.draw(&Rectangle::new(
                [(2, y + 18), (2 + length.max(2), y + 38)],
                Ink::Series(i.min(2) as u8).color().filled(),
            ))?;
            root.draw(&Text::new(
                number(*value),
                (length + 8, y + 20),
                text.clone(),
            ))?;
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() { String::new() } else { svg }
}

/// `svg` as the page shows it: marker colours become classes, the fixed size goes
/// (the `viewBox` scales it), and it is an image named by `title` and described by
/// `desc` for screen readers. `id` must be unique on the page.
pub fn finish(svg: &str, id: &str, title: &str, desc: &str) -> String {
    if svg.is_empty() {
        return String::new();
    }
    let mut out = svg.to_owned();
    for ink in INKS {
        let hex = ink.hex();
        let class = ink.class();
        out = out
            .replace(&format!("stroke=\"{hex}\""), &format!("class=\"{class}\""))
            .replace(
                &format!("fill=\"{hex}\""),
                &format!("class=\"{class}-fill\""),
            );
    }
    let Some(start) = out.find("<svg ") else {
        return String::new();
    };
    let Some(end) = out[start..].find('>').map(|e| start + e) else {
        return String::new();
    };
    let view_box = out[start..end]
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("0 0 100 100")
        .to_owned();
    let id = escape(id);
    let head = format!(
        "<svg viewBox=\"{view_box}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" class=\"chart-svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    );
    out.replace_range(start..=end, &head);
    out
}

/// Text for an SVG element or attribute: nothing in it can open a tag, an entity or
/// leave an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (1..=n).map(|d| format!("{d} Nov")).collect()
    }

    #[test]
    fn a_trend_is_an_accessible_svg_that_scales() {
        let created = [3, 5, 2, 8, 4, 6, 7];
        let resolved = [1, 4, 3, 6, 5, 5, 8];
        let raw = lines((600, 260), &labels(7), &[&created, &resolved], &|v| {
            v.to_string()
        });
        assert!(raw.starts_with("<svg"), "{raw}");
        let svg = finish(&raw, "trend", "Tickets per day", "Created and resolved");
        assert!(svg.starts_with("<svg viewBox=\"0 0 600 260\""), "{svg}");
        assert!(!svg.contains("width=\"600\""), "the fixed size is gone");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"trend-title\">Tickets per day</title>"));
        assert!(svg.contains("<desc id=\"trend-desc\">Created and resolved</desc>"));
        assert!(svg.contains("class=\"ink-s0\"") && svg.contains("class=\"ink-s1\""));
        assert!(
            svg.contains("class=\"ink-text-fill\""),
            "labels are coloured by CSS"
        );
        assert!(!svg.contains("#0103"), "no marker colour is left: {svg}");
        assert!(
            svg.contains(">\n4 Nov\n</text>"),
            "dates label the x axis: {svg}"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn one_day_and_no_tickets_still_draw() {
        let one = finish(
            &lines((400, 200), &labels(1), &[&[0]], &|v| v.to_string()),
            "a",
            "t",
            "d",
        );
        assert!(one.contains("<circle"), "{one}");
        let empty = lines((400, 200), &[], &[&[]], &|v| v.to_string());
        assert!(empty.starts_with("<svg"));
    }

    #[test]
    fn titles_descriptions_and_labels_are_text_not_markup() {
        let hostile = "<script>alert(1)</script> & \"quoted\"";
        let svg = finish(
            &sparkline((100, 24), &[1, 2, 3]),
            "x\"><script>",
            hostile,
            hostile,
        );
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"));
        // Labels drawn by plotters (category or step names) are escaped by it.
        let bars = bars(300, &[(hostile.to_owned(), 3)], &|v| v.to_string());
        assert!(!bars.contains("<script>"), "{bars}");
        assert!(bars.contains("&lt;script&gt;"), "{bars}");
    }

    #[test]
    fn funnel_bars_are_as_long_as_their_share() {
        let steps = vec![("Sessions".to_owned(), 100), ("Helped".to_owned(), 50)];
        let svg = finish(&bars(300, &steps, &|v| v.to_string()), "f", "Funnel", "");
        assert!(svg.contains(">\nSessions\n</text>"), "{svg}");
        assert!(svg.contains(">\n100\n</text>"));
        assert!(svg.contains("class=\"ink-s0-fill\""));
        assert!(svg.contains("class=\"ink-s1-fill\""));
    }
}
