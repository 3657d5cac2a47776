//! SVG charts from the frameworks' `facts`, drawn at build time.
//!
//! A chart is plain SVG in the page: no JavaScript, nothing to download, it prints, and it
//! follows the colour scheme through CSS classes. Each carries a `<title>` and a `<desc>` that
//! lists every value, so a screen reader gets the numbers, not a picture. (Labels are plain
//! text, not links: an image may not hold interactive content.) Templates draw them
//! with the `chart` function: `{{ chart(fact="throughput_rps", title="...", unit="req/s") }}`.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::content::frontmatter::Fact;
use crate::util::html::escape as escape_html;

/// One framework's value of one fact.
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub url: String,
    pub fact: Fact,
}

/// What the `chart` function draws from: every framework's facts, in framework order.
#[derive(Debug, Default)]
pub struct ChartData {
    /// Framework title, URL, and its facts.
    pub frameworks: Vec<(String, String, std::collections::BTreeMap<String, Fact>)>,
}

impl ChartData {
    fn points(&self, fact: &str) -> Vec<Point> {
        self.frameworks
            .iter()
            .filter_map(|(label, url, facts)| {
                facts
                    .get(fact)
                    .filter(|f| !matches!(f, Fact::Text(_)))
                    .map(|f| Point {
                        label: label.clone(),
                        url: url.clone(),
                        fact: f.clone(),
                    })
            })
            .collect()
    }
}

/// How a chart is asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub fact: String,
    pub title: String,
    pub unit: String,
    /// `"bars"` (default: ranges and values as horizontal bars) or `"spectrum"` (positions on
    /// a 1-10 line, for `structure`).
    pub kind: String,
    /// `"log"` for data spanning orders of magnitude.
    pub log: bool,
}

const WIDTH: f64 = 640.0;
const LABEL: f64 = 170.0;
const ROW: f64 = 26.0;
const TOP: f64 = 10.0;
const AXIS: f64 = 34.0;

/// Draws the chart, or an empty string when no framework has the fact.
pub fn draw(data: &ChartData, request: &Request, id: &str) -> String {
    let points = data.points(&request.fact);
    if points.is_empty() {
        return String::new();
    }
    match request.kind.as_str() {
        "spectrum" => spectrum(&points, request, id),
        _ => bars(&points, request, id),
    }
}

fn range(fact: &Fact) -> (f64, f64) {
    match fact {
        Fact::Number(n) => (*n, *n),
        Fact::Range([a, b]) => (a.min(*b), a.max(*b)),
        Fact::Text(_) => (0.0, 0.0),
    }
}

fn format_number(n: f64) -> String {
    if n >= 1000.0 && (n / 1000.0).fract() == 0.0 {
        format!("{}k", n / 1000.0)
    } else if n >= 1000.0 {
        format!("{:.1}k", n / 1000.0)
    } else if n.fract() == 0.0 {
        format!("{n}")
    } else {
        format!("{n:.1}")
    }
}

fn describe(points: &[Point], unit: &str) -> String {
    points
        .iter()
        .map(|p| {
            let (lo, hi) = range(&p.fact);
            let value = if lo == hi {
                format_number(lo)
            } else {
                format!("{} to {}", format_number(lo), format_number(hi))
            };
            format!("{}: {value} {unit}", p.label)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn open_svg(out: &mut String, id: &str, height: f64, request: &Request, points: &[Point]) {
    let _ = write!(
        out,
        "<figure class=\"chart\"><svg class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_html(&request.title),
        escape_html(&describe(points, &request.unit)),
    );
}

fn bars(points: &[Point], request: &Request, id: &str) -> String {
    let max = points
        .iter()
        .map(|p| range(&p.fact).1)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let min_log = points
        .iter()
        .map(|p| range(&p.fact).0)
        .filter(|v| *v > 0.0)
        .fold(f64::MAX, f64::min)
        .max(1.0);
    let (lo_axis, hi_axis) = if request.log {
        (
            10f64.powf(min_log.log10().floor()),
            10f64.powf(max.log10().ceil()),
        )
    } else {
        (0.0, nice_ceiling(max))
    };
    // Room on the right for the value printed after the longest bar.
    let plot = WIDTH - LABEL - 90.0;
    let x = |v: f64| -> f64 {
        let t = if request.log {
            (v.max(lo_axis).log10() - lo_axis.log10()) / (hi_axis.log10() - lo_axis.log10())
        } else {
            (v - lo_axis) / (hi_axis - lo_axis)
        };
        LABEL + t.clamp(0.0, 1.0) * plot
    };
    let height = TOP + ROW * points.len() as f64 + AXIS;
    let mut svg = String::new();
    open_svg(&mut svg, id, height, request, points);
    for tick in ticks(lo_axis, hi_axis, request.log) {
        let tx = x(tick);
        let _ = write!(
            svg,
            "<line class=\"chart-grid\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{TOP}\" y2=\"{:.1}\"/><text class=\"chart-tick\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            height - AXIS + 4.0,
            height - AXIS + 18.0,
            format_number(tick)
        );
    }
    for (i, p) in points.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let (lo, hi) = range(&p.fact);
        let (x0, x1) = (x(lo), x(hi).max(x(lo) + 3.0));
        let value = if lo == hi {
            format_number(lo)
        } else {
            format!("{}–{}", format_number(lo), format_number(hi))
        };
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" rx=\"3\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{value}</text>",
            LABEL - 8.0,
            y + 15.0,
            escape_html(&p.label),
            y + 4.0,
            x1 - x0,
            x1 + 6.0,
            y + 15.0,
        );
    }
    let _ = write!(
        svg,
        "<text class=\"chart-unit\" x=\"{WIDTH}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        height - 2.0,
        escape_html(&request.unit)
    );
    svg.push_str("</svg>");
    let _ = write!(
        svg,
        "<figcaption>{}</figcaption></figure>",
        escape_html(&request.title)
    );
    svg
}

/// A label's estimated width in the chart's units: 12px text averages under 7 units a
/// character in common sans-serif faces; the estimate errs wide.
const LABEL_CHAR: f64 = 7.0;
/// The vertical distance between two lanes of labels.
const LANE: f64 = 18.0;
/// The least horizontal gap between two labels in one lane.
const LABEL_GAP: f64 = 8.0;

/// Where a spectrum label goes: its anchor point, its lane (0 is the first above the line, 1
/// the first below, 2 the second above, ...) and the horizontal extent it covers.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    x: f64,
    anchor: &'static str,
    lane: usize,
    left: f64,
    right: f64,
}

/// Places labels (dot position, text) in lanes above and below the line, each in the first lane
/// where it overlaps no label already there: neighbours alternate sides, and frameworks that
/// share a value stack up instead of printing over each other.
fn place_labels(labels: &[(f64, &str)]) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::with_capacity(labels.len());
    for &(px, text) in labels {
        let width = text.chars().count() as f64 * LABEL_CHAR;
        let (anchor, left) = if px - width / 2.0 < 4.0 {
            ("start", px)
        } else if px + width / 2.0 > WIDTH - 4.0 {
            ("end", px - width)
        } else {
            ("middle", px - width / 2.0)
        };
        let right = left + width;
        // Start on the side opposite the previous label, so close neighbours alternate.
        let first = placed.last().map_or(0, |p: &Placed| 1 - p.lane % 2);
        let lane = (0..)
            .map(|k| if first == 0 { k } else { k ^ 1 })
            .find(|&lane| {
                placed
                    .iter()
                    .filter(|p| p.lane == lane)
                    .all(|p| right + LABEL_GAP <= p.left || p.right + LABEL_GAP <= left)
            })
            .expect("a free lane always exists");
        placed.push(Placed {
            x: px,
            anchor,
            lane,
            left,
            right,
        });
    }
    placed
}

fn spectrum(points: &[Point], request: &Request, id: &str) -> String {
    let mut sorted: Vec<&Point> = points.iter().collect();
    sorted.sort_by(|a, b| range(&a.fact).0.total_cmp(&range(&b.fact).0));
    let x = |v: f64| 30.0 + (v.clamp(1.0, 10.0) - 1.0) / 9.0 * (WIDTH - 60.0);
    let labels: Vec<(f64, &str)> = sorted
        .iter()
        .map(|p| (x(range(&p.fact).0), p.label.as_str()))
        .collect();
    let placed = place_labels(&labels);
    let above = placed
        .iter()
        .filter(|p| p.lane % 2 == 0)
        .map(|p| p.lane / 2 + 1)
        .max()
        .unwrap_or(0);
    let below = placed
        .iter()
        .filter(|p| p.lane % 2 == 1)
        .map(|p| p.lane / 2 + 1)
        .max()
        .unwrap_or(0);
    // The line sits below the lanes above it; the end labels sit under the lanes below.
    let mid = 14.0 + above as f64 * LANE + 12.0;
    let height = mid + 16.0 + below as f64 * LANE + 22.0;
    let baseline = |lane: usize| {
        let level = (lane / 2) as f64;
        if lane % 2 == 0 {
            mid - 16.0 - level * LANE
        } else {
            mid + 28.0 + level * LANE
        }
    };
    let mut svg = String::new();
    open_svg(&mut svg, id, height, request, points);
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"30\" x2=\"{:.1}\" y1=\"{mid}\" y2=\"{mid}\"/><text class=\"chart-tick\" x=\"30\" y=\"{}\">more freedom</text><text class=\"chart-tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"end\">more structure</text>",
        WIDTH - 30.0,
        height - 4.0,
        WIDTH - 30.0,
        height - 4.0
    );
    for (p, place) in sorted.iter().zip(&placed) {
        let px = place.x;
        let ty = baseline(place.lane);
        // The leader runs from the dot to the label's near edge.
        let (from, to) = if place.lane % 2 == 0 {
            (mid - 8.0, ty + 4.0)
        } else {
            (mid + 8.0, ty - 12.0)
        };
        let _ = write!(
            svg,
            "<circle class=\"chart-dot\" cx=\"{px:.1}\" cy=\"{mid}\" r=\"6\"/><line class=\"chart-grid\" x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{from}\" y2=\"{to:.1}\"/><text class=\"chart-label\" x=\"{px:.1}\" y=\"{ty:.1}\" text-anchor=\"{}\">{}</text>",
            place.anchor,
            escape_html(&p.label)
        );
    }
    svg.push_str("</svg>");
    let _ = write!(
        svg,
        "<figcaption>{}</figcaption></figure>",
        escape_html(&request.title)
    );
    svg
}

fn nice_ceiling(max: f64) -> f64 {
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

fn ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    if log {
        let mut v = lo;
        let mut out = Vec::new();
        while v <= hi * 1.0001 {
            out.push(v);
            v *= 10.0;
        }
        out
    } else {
        let raw = (hi - lo) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|s| s * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(raw);
        (0..)
            .map(|i| lo + step * i as f64)
            .take_while(|v| *v <= hi * 1.0001)
            .collect()
    }
}

/// The Tera function `chart(fact, title, unit="", kind="bars", scale="linear")`.
pub struct ChartFunction {
    pub data: Arc<ChartData>,
}

impl tera::Function<tera::TeraResult<String>> for ChartFunction {
    fn call(&self, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
        let fact: String = kwargs.must_get("fact")?;
        let request = Request {
            title: kwargs
                .get::<String>("title")?
                .unwrap_or_else(|| fact.replace('_', " ")),
            unit: kwargs.get("unit")?.unwrap_or_default(),
            kind: kwargs.get("kind")?.unwrap_or_default(),
            log: kwargs.get::<String>("scale")?.is_some_and(|s| s == "log"),
            fact,
        };
        let id = format!(
            "hb-chart-{}",
            request
                .fact
                .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        Ok(draw(&self.data, &request, &id))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> ChartData {
        let mut a = std::collections::BTreeMap::new();
        a.insert("rps".to_string(), Fact::Range([1000.0, 2000.0]));
        a.insert("structure".to_string(), Fact::Number(3.0));
        let mut b = std::collections::BTreeMap::new();
        b.insert("rps".to_string(), Fact::Number(40000.0));
        ChartData {
            frameworks: vec![
                ("A <b>".into(), "/a/".into(), a),
                ("B".into(), "/b/".into(), b),
            ],
        }
    }

    #[test]
    fn bars_have_accessible_text_and_escape_labels() {
        let svg = draw(
            &data(),
            &Request {
                fact: "rps".into(),
                title: "Throughput".into(),
                unit: "req/s".into(),
                ..Default::default()
            },
            "c",
        );
        assert!(svg.contains("<title id=\"c-title\">Throughput</title>"));
        assert!(
            svg.contains("A &lt;b&gt;: 1k to 2k req/s; B: 40k req/s"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"));
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 2);
    }

    #[test]
    fn missing_fact_draws_nothing() {
        assert_eq!(
            draw(
                &data(),
                &Request {
                    fact: "nope".into(),
                    ..Default::default()
                },
                "c"
            ),
            ""
        );
    }

    #[test]
    fn spectrum_places_each_framework() {
        let svg = draw(
            &data(),
            &Request {
                fact: "structure".into(),
                kind: "spectrum".into(),
                ..Default::default()
            },
            "s",
        );
        assert_eq!(svg.matches("class=\"chart-dot\"").count(), 1);
    }

    /// No two labels in one lane share any horizontal extent (plus the gap), for spread values,
    /// crowded ones and frameworks that all share one value.
    #[test]
    fn spectrum_labels_never_overlap() {
        let names = [
            "Express",
            "Fastify",
            "NestJS",
            "FastAPI",
            "Flask",
            "Django",
            "Ruby on Rails",
            "Go (net/http, Chi, Gin)",
            "ASP.NET Core",
        ];
        let layouts: [[f64; 9]; 3] = [
            [2.0, 3.0, 8.0, 5.0, 3.0, 9.0, 9.0, 1.0, 8.0],
            [5.0; 9],
            [1.0, 1.0, 1.5, 2.0, 10.0, 10.0, 9.5, 9.0, 9.0],
        ];
        for values in layouts {
            let mut labels: Vec<(f64, &str)> = values
                .iter()
                .zip(names)
                .map(|(v, n)| (30.0 + (v - 1.0) / 9.0 * (WIDTH - 60.0), n))
                .collect();
            labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            let placed = place_labels(&labels);
            for (i, a) in placed.iter().enumerate() {
                assert!(a.left >= 0.0 && a.right <= WIDTH, "{a:?} inside the chart");
                for b in &placed[i + 1..] {
                    assert!(
                        a.lane != b.lane
                            || a.right + LABEL_GAP <= b.left
                            || b.right + LABEL_GAP <= a.left,
                        "{a:?} and {b:?} overlap ({values:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn scales() {
        assert_eq!(nice_ceiling(42000.0), 50000.0);
        assert_eq!(
            ticks(1000.0, 100000.0, true),
            vec![1000.0, 10000.0, 100000.0]
        );
        assert_eq!(
            ticks(0.0, 5000.0, false),
            vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
        );
    }
}
