//! The checks a model runs on its pages before anyone renders them: slugs that stay inside the
//! output folder, URLs that neither clash with each other nor with generated files, front
//! matter keys on the kind of page they belong to, verdicts and levels that fit their scale,
//! websites and review dates.

use super::*;

/// A `slug` is one or more plain URL segments: it must never lead out of the output folder.
pub(super) fn check_slug(source: &Source, errors: &mut Vec<Diagnostic>) {
    let Some(slug) = source.front.slug.as_deref() else {
        return;
    };
    let trimmed = slug.trim();
    let problem = if trimmed.starts_with('/') {
        Some("starts with `/`")
    } else if trimmed.contains('\\') {
        Some("contains a backslash")
    } else if trimmed.chars().any(char::is_control) {
        Some("contains a control character")
    } else if trimmed.split('/').any(|s| s == "..") {
        Some("contains a `..` segment")
    } else if trimmed.split('/').any(|s| s == ".") {
        Some("contains a `.` segment")
    } else if !trimmed.is_empty() && trimmed.split('/').any(str::is_empty) {
        Some("has an empty segment (`//` or a trailing `/`)")
    } else {
        None
    };
    if let Some(problem) = problem {
        let suggestion: Vec<String> = trimmed
            .split(['/', '\\'])
            .map(plain_segment)
            .filter(|s| !s.is_empty())
            .collect();
        let help = if suggestion.is_empty() {
            "a slug is the page's last URL segment, e.g. `slug: routing-in-depth`".to_string()
        } else {
            format!(
                "a slug is made of plain URL segments; did you mean `{}`?",
                suggestion.join("/")
            )
        };
        errors.push(
            source
                .error_at_key("slug", format!("slug `{slug}` {problem}"))
                .help(help),
        );
    }
}

/// `Routing In Depth!` -> `routing-in-depth`: a suggestion for a slug segment.
fn plain_segment(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A page whose URL would be a file or folder the build generates (`search/`, `print.html`...).
pub(super) fn check_reserved_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    for page in pages {
        let first = page.path.split('/').next().unwrap_or("");
        if let Some(name) = RESERVED_TOP_LEVEL.iter().find(|r| **r == first) {
            errors.push(
                page.source
                    .error_at_key(
                        "slug",
                        format!("the URL `/{}` of this article clashes with `{name}`, which the build generates", page.path),
                    )
                    .help("rename the file or folder, or give the article another `slug`"),
            );
        }
    }
}

pub(super) fn check_unique_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        if let Some(first) = seen.insert(&page.path, page) {
            errors.push(
                crate::diagnostic::Diagnostic::new(
                    &page.source.file,
                    format!(
                        "URL `/{}` is already taken by {}",
                        page.path,
                        first.source.file.display()
                    ),
                )
                .at(1, 1)
                .help("rename one of the files, or give one a different `slug`"),
            );
        }
    }
}

/// Keys that belong to one kind of page are almost always a mistake on another.
pub(super) fn check_front_matter_fits_kind(page: &Page, errors: &mut Vec<Diagnostic>) {
    let front = &page.source.front;
    if !matches!(page.kind, Kind::Framework(_)) {
        for (key, set) in [
            ("language", front.language.is_some()),
            ("website", front.website.is_some()),
            ("facts", !front.facts.is_empty()),
        ] {
            if set {
                errors.push(
                    page.source
                        .error_at_key(key, format!("`{key}` only applies to a page that declares a framework"))
                        .help("declare a framework with `framework:` and no `dimension:`, or move the value under `extra:`"),
                );
            }
        }
    }
    if !matches!(page.kind, Kind::Dimension(_)) && !front.scale.is_empty() {
        errors.push(
            page.source
                .error_at_key("scale", "`scale` only applies to a page that declares a dimension")
                .help("declare the scale once, on the dimension's page (only `dimension:` in its front matter)"),
        );
    }
    if !matches!(page.kind, Kind::Cell { .. }) {
        for (key, set) in [
            ("verdict", front.verdict.is_some()),
            ("level", front.level.is_some()),
        ] {
            if set {
                errors.push(
                    page.source
                        .error_at_key(key, format!("`{key}` only applies to a cell (a page with both `framework:` and `dimension:`)"))
                        .help("give the framework and the dimension this page compares, or remove the key"),
                );
            }
        }
    }
}

/// The longest verdict the matrix shows in a cell without wrapping it into a paragraph.
pub const MAX_VERDICT_CHARS: usize = 40;
/// Level scales are short ordered lists: fewer than two levels says nothing, more than five
/// cannot be told apart at a glance.
pub const SCALE_LEN: std::ops::RangeInclusive<usize> = 2..=5;

/// Scales on dimension pages, then each cell's verdict length and level label.
pub(super) fn check_verdicts_and_levels(
    pages: &[Page],
    dimensions: &[Axis],
    errors: &mut Vec<Diagnostic>,
) {
    for dim in dimensions {
        let source = &pages[dim.page].source;
        let scale = &source.front.scale;
        if scale.is_empty() {
            continue;
        }
        if !SCALE_LEN.contains(&scale.len()) {
            errors.push(
                source
                    .error_at_key("scale", format!("a scale has 2 to 5 levels; this one has {}", scale.len()))
                    .help("list the levels lowest first, e.g. `scale: [\"do it yourself\", \"package\", \"built in\"]`"),
            );
        }
        for (i, label) in scale.iter().enumerate() {
            if label.trim().is_empty() {
                errors.push(
                    source
                        .error_at_key("scale", "a scale level has an empty label")
                        .help("give every level a short label"),
                );
            } else if scale[..i].contains(label) {
                errors.push(
                    source
                        .error_at_key("scale", format!("the level `{label}` is listed twice"))
                        .help("every level of a scale needs its own label"),
                );
            }
        }
    }
    for page in pages {
        let Kind::Cell { dimension, .. } = page.kind else {
            continue;
        };
        let front = &page.source.front;
        if let Some(verdict) = &front.verdict {
            let chars = verdict.trim().chars().count();
            if chars == 0 || chars > MAX_VERDICT_CHARS {
                errors.push(
                    page.source
                        .error_at_key("verdict", format!("a verdict is 1 to {MAX_VERDICT_CHARS} characters; this one has {chars}"))
                        .help("say the answer in a phrase (\"decorators + Pipes\") and leave the reasons to the article"),
                );
            }
        }
        let Some(level) = &front.level else { continue };
        let dim = &pages[dimensions[dimension].page];
        let scale = &dim.source.front.scale;
        if scale.is_empty() {
            errors.push(
                page.source
                    .error_at_key(
                        "level",
                        format!(
                            "dimension `{}` has no `scale`, so its cells have no level",
                            dimensions[dimension].slug
                        ),
                    )
                    .help(format!(
                        "add `scale:` to {} or remove `level:`",
                        dim.source.file.display()
                    )),
            );
        } else if !scale.contains(level) {
            let help = match did_you_mean(level, scale.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the levels of `{}` are: {}",
                    dimensions[dimension].slug,
                    scale.join(", ")
                ),
            };
            errors.push(
                page.source
                    .error_at_key("level", format!("unknown level `{level}`"))
                    .help(help),
            );
        }
    }
}

/// A framework's `website` becomes a link on its page: only web and mail addresses.
pub(super) fn check_website(page: &Page, errors: &mut Vec<Diagnostic>) {
    let Some(website) = &page.source.front.website else {
        return;
    };
    let scheme = crate::util::url::scheme(website);
    if !matches!(scheme.as_deref(), Some("https" | "http" | "mailto")) {
        errors.push(
            page.source
                .error_at_key(
                    "website",
                    format!("`{website}` is not an https:, http: or mailto: address"),
                )
                .help("write the full address, e.g. `website: https://www.djangoproject.com/`"),
        );
    }
}

/// `reviewed` is a calendar date, `YYYY-MM-DD`, so that it sorts and compares as text.
pub(super) fn check_reviewed(page: &Page, errors: &mut Vec<Diagnostic>) {
    let Some(date) = &page.source.front.reviewed else {
        return;
    };
    if parse_date(date).is_none() {
        errors.push(
            page.source
                .error_at_key("reviewed", format!("`{date}` is not a date"))
                .help("write the day the page was last checked as YYYY-MM-DD, e.g. `reviewed: 2026-12-05`"),
        );
    }
}

/// `YYYY-MM-DD` -> (year, month, day), for real calendar days only.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[r];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some((year as i32, month, day))
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
