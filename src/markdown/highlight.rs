//! Syntax highlighting of fenced code at build time, into a few compact CSS classes.
//!
//! One page must look right in light and dark mode, so colours cannot be inline. syntect's own
//! classed output wraps every token in nested spans naming its whole scope stack, which made
//! highlighted pages several times larger than their text. Instead each token is highlighted with
//! both themes at once, and the pair of styles it gets becomes one short class (`h-` + a hash of
//! the pair): adjacent tokens with the same pair share a span, and unstyled text gets none. The
//! build collects the classes pages use and writes one stylesheet per mode for exactly those.
//!
//! The syntax set (syntect's own plus bat's grammars through two-face, for TypeScript, TOML,
//! Dockerfile, ...) and the two themes are loaded once, the first time a code block needs them.

use crate::util::html::escape_text_into;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::LazyLock;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static THEMES: LazyLock<[Theme; 2]> = LazyLock::new(|| {
    let mut set = ThemeSet::load_defaults();
    let mut take = |name: &str| set.themes.remove(name).expect("bundled syntect theme");
    [take(LIGHT_THEME), take(DARK_THEME)]
});

/// How a token looks in light mode and in dark mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct StylePair {
    light: (u32, u8),
    dark: (u32, u8),
}

/// The classes a set of pages uses, name -> styles; merged across pages for the stylesheets.
pub type Classes = BTreeMap<String, StylePair>;

/// Names writers use that syntect knows under another token.
fn alias(lang: &str) -> &str {
    match lang {
        "csharp" | "c#" | "cs" => "C#",
        "typescript" | "ts" => "TypeScript",
        "javascript" | "js" | "mjs" | "cjs" | "node" => "JavaScript",
        "shell" | "sh" | "bash" | "zsh" | "console" => "Bourne Again Shell (bash)",
        "golang" => "go",
        "yml" => "yaml",
        "dockerfile" | "docker" => "Dockerfile",
        "python3" | "py" => "python",
        "rb" => "ruby",
        "html" | "erb" | "jinja" | "jinja2" => "html",
        other => other,
    }
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    let token = alias(&lower);
    SYNTAXES
        .find_syntax_by_name(token)
        .or_else(|| SYNTAXES.find_syntax_by_token(token))
}

/// Whether a code block in `lang` will be highlighted (otherwise it is printed as plain text).
pub fn is_known(lang: &str) -> bool {
    find_syntax(lang).is_some()
}

fn key(style: &Style, default: Color) -> (u32, u8) {
    let c = style.foreground;
    let rgb = if c == default {
        0
    } else {
        u32::from_be_bytes([1, c.r, c.g, c.b])
    };
    (rgb, style.font_style.bits())
}

fn class_name(pair: &StylePair) -> String {
    let mut bytes = Vec::with_capacity(10);
    for (rgb, font) in [pair.light, pair.dark] {
        bytes.extend_from_slice(&rgb.to_be_bytes());
        bytes.push(font);
    }
    format!("h-{}", &blake3::hash(&bytes).to_hex()[..6])
}

/// Whether [`highlight`] keeps what it highlighted (see [`remember`]).
static REMEMBER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Hash of (language, code) -> the block highlighted, with the classes it uses.
type Memory = std::collections::HashMap<blake3::Hash, Option<(String, Classes)>>;
static MEMORY: LazyLock<std::sync::Mutex<Memory>> = LazyLock::new(Default::default);

/// From now on, keep every highlighted block in memory and reuse it when the same code in the
/// same language comes again. For `serve`: after an edit of an article's prose, its code blocks
/// are highlighted again, and highlighting is most of the cost of rendering a page. A one-off
/// build does not call it (it would only hold memory).
pub fn remember() {
    REMEMBER.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Highlights `code` as `lang` into escaped HTML, adding the classes it uses to `classes`;
/// `None` when the language is unknown or its grammar fails (the caller prints plain text).
pub fn highlight(code: &str, lang: &str, classes: &mut Classes) -> Option<String> {
    if !REMEMBER.load(std::sync::atomic::Ordering::Relaxed) {
        return highlight_now(code, lang, classes);
    }
    let key = blake3::Hasher::new()
        .update(lang.as_bytes())
        .update(&[0])
        .update(code.as_bytes())
        .finalize();
    let known = MEMORY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    let block = match known {
        Some(block) => block,
        None => {
            let mut used = Classes::new();
            let block = highlight_now(code, lang, &mut used).map(|html| (html, used));
            MEMORY
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(key, block.clone());
            block
        }
    };
    let (html, used) = block?;
    for (name, pair) in used {
        classes.entry(name).or_insert(pair);
    }
    Some(html)
}

fn highlight_now(code: &str, lang: &str, classes: &mut Classes) -> Option<String> {
    let syntax = find_syntax(lang)?;
    let mut parser = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2);
    let mut open: Option<&'static str> = None;
    CACHES.with_borrow_mut(|caches| {
        let Caches { styles, lines } = caches;
        for line in LinesWithEndings::from(code) {
            let ops = lines.parse(&mut parser, line)?;
            let mut at = 0;
            for (position, op) in ops.iter() {
                if *position > at {
                    let (pair, class) = styles.for_stack(stack.as_slice());
                    emit(
                        &mut html,
                        &mut open,
                        classes,
                        &line[at..*position],
                        pair,
                        class,
                    );
                    at = *position;
                }
                stack.apply(op).ok()?;
            }
            if at < line.len() {
                let (pair, class) = styles.for_stack(stack.as_slice());
                emit(&mut html, &mut open, classes, &line[at..], pair, class);
            }
        }
        Some(())
    })?;
    if open.is_some() {
        html.push_str("</span>");
    }
    Some(html)
}

/// Appends one run of text that has one style pair, opening or closing a span when the class
/// changes.
fn emit(
    html: &mut String,
    open: &mut Option<&'static str>,
    classes: &mut Classes,
    text: &str,
    pair: StylePair,
    class: Option<&'static str>,
) {
    // Plain spaces look the same in any colour: let them join the span around them rather
    // than closing and reopening it (a third fewer spans in typical code).
    if open.is_some() && text.bytes().all(|b| b == b' ' || b == b'\t') {
        escape_text_into(html, text);
        return;
    }
    if class != *open {
        if open.is_some() {
            html.push_str("</span>");
        }
        if let Some(name) = class {
            let _ = write!(html, "<span class=\"{name}\">");
            classes.entry(name.to_string()).or_insert(pair);
        }
        *open = class;
    }
    escape_text_into(html, text);
}

/// The style pair (and class) of every scope stack met so far on this thread.
///
/// Resolving a stack against a theme's selectors was a sixth of a build when syntect's
/// `HighlightIterator` did it for every token and both themes; the same few hundred stacks come
/// back millions of times, so each is resolved once per thread. `Highlighter::style_for_stack`
/// is what the iterator computes incrementally, so the output is the same.
#[derive(Default)]
struct StyleCache {
    by_stack: std::collections::HashMap<Vec<Scope>, (StylePair, Option<&'static str>)>,
}

impl StyleCache {
    fn for_stack(&mut self, stack: &[Scope]) -> (StylePair, Option<&'static str>) {
        if let Some(found) = self.by_stack.get(stack) {
            return *found;
        }
        let [light, dark] = &*HIGHLIGHTERS;
        let themes = &*THEMES;
        let pair = StylePair {
            light: key(&light.style_for_stack(stack), foreground(&themes[0])),
            dark: key(&dark.style_for_stack(stack), foreground(&themes[1])),
        };
        let class = (pair.light != (0, 0) || pair.dark != (0, 0)).then(|| class_name_of(&pair));
        self.by_stack.insert(stack.to_vec(), (pair, class));
        (pair, class)
    }
}

/// A line's parse: the state before it, the scope operations it yields, the state after it.
type ParsedLine = (ParseState, Rc<[(usize, ScopeStackOp)]>, ParseState);

/// Lines already parsed on this thread, by text.
///
/// Code repeats itself line by line far more than block by block (imports, closing braces,
/// the same call in many samples), and parsing (the grammar's regexes) is most of what
/// highlighting costs. A line's operations depend only on its text and the parser's state at its
/// start, so a line met again in the same state reuses them; comparing states is cheap next to
/// running the regexes.
struct LineCache {
    by_text: std::collections::HashMap<Box<str>, Vec<ParsedLine>>,
    entries: usize,
    /// How many lines it keeps before it starts again (0: none, for tests).
    capacity: usize,
}

impl Default for LineCache {
    fn default() -> Self {
        LineCache {
            by_text: Default::default(),
            entries: 0,
            capacity: MAX_CACHED_LINES,
        }
    }
}

/// Bounds on the line cache, so that a handbook of unique code does not grow it without limit.
const MAX_CACHED_LINES: usize = 100_000;
const MAX_STATES_PER_LINE: usize = 8;

impl LineCache {
    fn parse(
        &mut self,
        parser: &mut ParseState,
        line: &str,
    ) -> Option<Rc<[(usize, ScopeStackOp)]>> {
        if let Some(seen) = self.by_text.get(line) {
            if let Some((_, ops, after)) = seen.iter().find(|(before, _, _)| before == parser) {
                *parser = after.clone();
                return Some(ops.clone());
            }
        }
        let before = parser.clone();
        let ops: Rc<[(usize, ScopeStackOp)]> = parser.parse_line(line, &SYNTAXES).ok()?.into();
        if self.capacity == 0 {
            return Some(ops);
        }
        if self.entries >= self.capacity {
            self.by_text.clear();
            self.entries = 0;
        }
        let seen = self.by_text.entry(line.into()).or_default();
        if seen.len() < MAX_STATES_PER_LINE {
            seen.push((before, ops.clone(), parser.clone()));
            self.entries += 1;
        }
        Some(ops)
    }
}

#[derive(Default)]
struct Caches {
    styles: StyleCache,
    lines: LineCache,
}

thread_local! {
    static CACHES: std::cell::RefCell<Caches> = std::cell::RefCell::default();
}

static HIGHLIGHTERS: LazyLock<[Highlighter<'static>; 2]> =
    LazyLock::new(|| [Highlighter::new(&THEMES[0]), Highlighter::new(&THEMES[1])]);

/// The class of a style pair, interned: there are a few dozen, named once per build.
fn class_name_of(pair: &StylePair) -> &'static str {
    static NAMES: LazyLock<std::sync::Mutex<std::collections::HashMap<StylePair, &'static str>>> =
        LazyLock::new(Default::default);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    names
        .entry(*pair)
        .or_insert_with(|| Box::leak(class_name(pair).into_boxed_str()))
}

fn foreground(theme: &Theme) -> Color {
    theme.settings.foreground.unwrap_or(Color::BLACK)
}

/// WCAG's minimum contrast for normal text (level AA).
const MIN_CONTRAST: f64 = 4.5;

/// The colour, moved towards black or white (away from the background) just enough to reach
/// [`MIN_CONTRAST`] against `bg`. Several bundled syntect themes colour comments and
/// punctuation below it, which fails accessibility checks and is hard to read.
fn readable(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut color = fg;
    for step in 1..=20 {
        if contrast(color, bg) >= MIN_CONTRAST {
            break;
        }
        let t = step as f64 / 20.0;
        color = fg.map(|c| (c as f64 + (target - c as f64) * t).round() as u8);
    }
    color
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Short names for the site's classes (`c0`, `c1`, ... in the order of their long names), so
/// that a page full of code carries three characters per span instead of eight.
pub fn short_names(classes: &Classes) -> (Classes, std::collections::HashMap<String, String>) {
    let mut short = Classes::new();
    let mut names = std::collections::HashMap::new();
    for (i, (long, pair)) in classes.iter().enumerate() {
        let name = format!("c{}", base36(i));
        short.insert(name.clone(), *pair);
        names.insert(long.clone(), name);
    }
    (short, names)
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// Gives the highlighted spans in `html` their short class names (`h-1a2b3c4d` -> `c0`). The
/// highlighter writes every span as `<span class="name">` and escapes `<` in code, so each
/// such opening in its output is one of its spans: a substring search finds them exactly, at
/// a tenth of the cost of tokenizing the 150 MB of a 10,000-page handbook's bodies.
pub fn rename(html: &str, names: &std::collections::HashMap<String, String>) -> String {
    const OPEN: &str = "<span class=\"";
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for start in memchr::memmem::find_iter(html.as_bytes(), OPEN) {
        let name_start = start + OPEN.len();
        if name_start < at {
            continue;
        }
        let Some(len) = html[name_start..].find('"') else {
            break;
        };
        let name = &html[name_start..name_start + len];
        if let Some(short) = names.get(name) {
            out.push_str(&html[at..name_start]);
            out.push_str(short);
            at = name_start + len;
        }
    }
    out.push_str(&html[at..]);
    out
}

/// The light and the dark stylesheet for the classes the site uses.
pub fn stylesheets(classes: &Classes) -> (String, String) {
    let themes = &*THEMES;
    let sheet = |theme: &Theme, pick: fn(&StylePair) -> (u32, u8)| {
        let mut css = format!(
            "/* {} (syntect), generated by handbook */\n",
            theme.name.as_deref().unwrap_or("theme")
        );
        let fg = foreground(theme);
        let bg = theme.settings.background.unwrap_or(Color::WHITE);
        let _ = writeln!(
            css,
            "pre.hl-code {{ color: #{:02x}{:02x}{:02x}; background-color: #{:02x}{:02x}{:02x}; }}",
            fg.r, fg.g, fg.b, bg.r, bg.g, bg.b
        );
        for (name, pair) in classes {
            let (rgb, font) = pick(pair);
            let mut rules = String::new();
            if rgb != 0 {
                let [_, r, g, b] = rgb.to_be_bytes();
                let [r, g, b] = readable([r, g, b], [bg.r, bg.g, bg.b]);
                let _ = write!(rules, "color: #{r:02x}{g:02x}{b:02x}; ");
            }
            let font = FontStyle::from_bits_truncate(font);
            if font.contains(FontStyle::BOLD) {
                rules.push_str("font-weight: bold; ");
            }
            if font.contains(FontStyle::ITALIC) {
                rules.push_str("font-style: italic; ");
            }
            if font.contains(FontStyle::UNDERLINE) {
                rules.push_str("text-decoration: underline; ");
            }
            if !rules.is_empty() {
                let _ = writeln!(css, ".{name} {{ {}}}", rules);
            }
        }
        css
    };
    (
        sheet(&themes[0], |p| p.light),
        sheet(&themes[1], |p| p.dark),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Highlights with a line cache that keeps nothing: every line parsed from scratch.
    fn highlight_fresh(code: &str, lang: &str) -> String {
        CACHES.with_borrow_mut(|c| c.lines.capacity = 0);
        let html = highlight_now(code, lang, &mut Classes::new()).unwrap();
        CACHES.with_borrow_mut(|c| *c = Caches::default());
        html
    }

    #[test]
    fn cached_lines_highlight_as_fresh_ones() {
        // The same lines inside and outside a block comment and a string: only the parser's
        // state tells them apart, so a cache keyed by text alone would colour them wrongly.
        let line = "x = call(1) # note\n";
        let code = format!("{line}'''\n{line}'''\n{line}\"\"\"\n{line}\"\"\"\n{line}");
        let expected = highlight_fresh(&code, "python");
        highlight_now(line, "python", &mut Classes::new());
        let mut classes = Classes::new();
        assert_eq!(
            highlight_now(&code, "python", &mut classes).unwrap(),
            expected
        );
        assert_eq!(
            highlight_now(&code, "python", &mut classes).unwrap(),
            expected
        );
        let js = "/*\nlet a = 1;\n*/\nlet a = 1;\n";
        let expected = highlight_fresh(js, "javascript");
        assert_eq!(
            highlight_now(js, "javascript", &mut classes).unwrap(),
            expected
        );
        assert_ne!(expected.matches("let").count(), 0);
    }

    #[test]
    fn highlights_the_handbook_languages() {
        for lang in [
            "python",
            "javascript",
            "typescript",
            "go",
            "ruby",
            "csharp",
            "toml",
            "dockerfile",
            "sh",
            "yaml",
            "json",
        ] {
            assert!(is_known(lang), "{lang} should be known");
        }
        let mut classes = Classes::new();
        let html = highlight("def f():\n    return 1\n", "python", &mut classes).unwrap();
        assert!(html.contains("<span class=\"h-"), "{html}");
        assert!(!classes.is_empty());
        let text: String = html
            .split('<')
            .map(|s| s.split_once('>').map_or(s, |(_, t)| t))
            .collect();
        assert_eq!(
            text, "def f():\n    return 1\n",
            "highlighting keeps the text"
        );
    }

    #[test]
    fn renaming_touches_only_known_span_classes() {
        let names: std::collections::HashMap<String, String> =
            [("h-1".to_string(), "c0".to_string())].into();
        let html = "<p>say <code>&lt;span class=\"h-1\"&gt;</code></p>\
                    <span class=\"h-1\">a</span><span class=\"h-2\">b</span>\
                    <span class=\"h-1\">c</span><span class=\"unclosed";
        assert_eq!(
            rename(html, &names),
            "<p>say <code>&lt;span class=\"h-1\"&gt;</code></p>\
             <span class=\"c0\">a</span><span class=\"h-2\">b</span>\
             <span class=\"c0\">c</span><span class=\"unclosed"
        );
    }

    #[test]
    fn short_names_replace_long_ones() {
        let mut classes = Classes::new();
        let html = highlight("def f():\n    return \"x\"\n", "python", &mut classes).unwrap();
        let (short, names) = short_names(&classes);
        let renamed = rename(&html, &names);
        assert!(
            !renamed.contains("h-") && renamed.contains("<span class=\"c0\">"),
            "{renamed}"
        );
        assert_eq!(short.len(), classes.len());
        assert!(
            !renamed.contains("&quot;"),
            "quotes in code are not escaped: {renamed}"
        );
        assert_eq!(base36(0), "0");
        assert_eq!(base36(37), "11");
    }

    #[test]
    fn colours_reach_aa_contrast() {
        let grey = [0x96, 0x98, 0x96];
        assert!(contrast(grey, [255, 255, 255]) < MIN_CONTRAST);
        assert!(contrast(readable(grey, [255, 255, 255]), [255, 255, 255]) >= MIN_CONTRAST);
        let dim = [0x65, 0x73, 0x7e];
        let dark_bg = [0x2b, 0x30, 0x3b];
        assert!(contrast(readable(dim, dark_bg), dark_bg) >= MIN_CONTRAST);
        assert_eq!(
            readable([0, 0, 0], [255, 255, 255]),
            [0, 0, 0],
            "good colours stay"
        );
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language", &mut Classes::new()).is_none());
    }

    #[test]
    fn escapes_code() {
        let html = highlight("let a = \"<b>\";\n", "javascript", &mut Classes::new()).unwrap();
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
    }

    #[test]
    fn css_covers_the_used_classes_in_both_modes() {
        let mut classes = Classes::new();
        highlight("fn main() { let x = 1; }\n", "rust", &mut classes).unwrap();
        let (light, dark) = stylesheets(&classes);
        for name in classes.keys() {
            assert!(
                light.contains(name.as_str()) || dark.contains(name.as_str()),
                "{name}"
            );
        }
        assert!(light.contains("pre.hl-code") && dark.contains("pre.hl-code"));
        assert_ne!(light, dark);
    }
}
