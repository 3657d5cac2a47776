//! Syntax highlighting of fenced code at build time, into CSS classes.
//!
//! Highlighting emits classes (`hl-keyword`, ...) rather than inline colours, so one page works
//! in light and dark mode: the theme links one generated stylesheet per mode. The syntax set
//! (syntect's own plus bat's grammars through two-face, for TypeScript, TOML, Dockerfile, ...)
//! is loaded once from its binary dump, the first time a code block needs it.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every class the highlighter emits starts with this, so it never clashes with the theme's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

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

/// Highlights `code` as `lang`; `None` when the language is unknown (the caller escapes it).
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = find_syntax(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // A grammar failing on odd input is not the writer's fault: fall back to plain text.
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheets for the light and the dark code colours.
pub fn stylesheets() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        css_for_theme_with_class_style(&themes.themes[name], CLASS_STYLE)
            .expect("the bundled syntect themes produce CSS")
    };
    (css(LIGHT_THEME), css(DARK_THEME))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let html = highlight("def f():\n    return 1\n", "python").unwrap();
        assert!(html.contains("hl-keyword"), "{html}");
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn escapes_code() {
        let html = highlight("let a = \"<b>\";\n", "javascript").unwrap();
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
    }

    #[test]
    fn css_uses_prefixed_classes() {
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-code") && dark.contains(".hl-code"));
        assert_ne!(light, dark);
    }
}
