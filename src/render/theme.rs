//! The theme: Tera templates and static assets.
//!
//! The default theme is embedded in the binary at compile time, so `handbook` is one file to
//! install. A handbook's `themes/<name>/` overrides it file by file: a theme that only changes
//! `templates/page.html` or adds `static/logo.svg` needs only that file.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::content::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The merged theme: the default's files with the handbook's overrides applied.
#[derive(Debug, Default, Clone)]
pub struct Theme {
    /// Template name (path under `templates/`) -> (where it came from, text).
    pub templates: BTreeMap<String, (String, String)>,
    /// Path under `static/` -> bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme> {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT_THEME, &mut theme)?;
        let dir = config.root.join("themes").join(&config.theme);
        if dir.is_dir() {
            add_folder(&dir, &format!("themes/{}", config.theme), &mut theme)?;
        } else if config.theme != "default" {
            return Err(Error::config(
                Diagnostic::new(
                    "book.toml",
                    format!(
                        "theme `{}` not found: no folder themes/{}/",
                        config.theme, config.theme
                    ),
                )
                .help("create the folder, or set `theme = \"default\"` under [build]"),
            ));
        }
        Ok(theme)
    }

    fn add(&mut self, rel: &str, origin: String, bytes: Vec<u8>) -> Result<()> {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::config(Diagnostic::new(&origin, "template is not valid UTF-8"))
            })?;
            self.templates.insert(name.to_string(), (origin, text));
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_string(), bytes);
        }
        Ok(())
    }
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) -> Result<()> {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            add_embedded(sub, theme)?;
        } else if let Some(file) = entry.as_file() {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            theme.add(
                &rel,
                format!("themes/default/{rel} (built in)"),
                file.contents().to_vec(),
            )?;
        }
    }
    Ok(())
}

fn add_folder(dir: &Path, shown: &str, theme: &mut Theme) -> Result<()> {
    for (rel, path) in crate::content::load::files_under(dir)? {
        let bytes = std::fs::read(&path)?;
        theme.add(&rel, format!("{shown}/{rel}"), bytes)?;
    }
    Ok(())
}

/// A short content hash for cache-busting file names.
pub fn fingerprint(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..10].to_string()
}

/// A stylesheet or script without its comments and indentation: the theme's files are written
/// to be read, and every page loads them, so their comments would count against every page's
/// weight. Only what cannot change meaning is removed: CSS comments and line indentation (when
/// no string in the file could contain `/*`), and JavaScript lines that are whole `//`
/// comments and indentation (only in files without template literals, whose text spans lines).
/// Anything else is returned as it is.
pub fn compact(name: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let out = if name.ends_with(".css") && !text.contains("\"/*") && !text.contains("'/*") {
        let mut without = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("/*") {
            without.push_str(&rest[..start]);
            match rest[start..].find("*/") {
                Some(end) => rest = &rest[start + end + 2..],
                None => return bytes.to_vec(),
            }
        }
        without.push_str(rest);
        join_trimmed(without.lines())
    } else if name.ends_with(".js") && !text.contains('`') {
        join_trimmed(text.lines().filter(|l| !l.trim_start().starts_with("//")))
    } else {
        return bytes.to_vec();
    };
    out.into_bytes()
}

fn join_trimmed<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `style.css` + hash -> `style.0123456789.css`.
pub fn fingerprinted_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting_keeps_the_code() {
        let css = "/* a\n comment */\n.a {\n  color: red; /* why */\n}\n";
        assert_eq!(compact("x.css", css.as_bytes()), b".a {\ncolor: red;\n}\n");
        let quoted = ".a::before { content: \"/*\"; }\n";
        assert_eq!(compact("x.css", quoted.as_bytes()), quoted.as_bytes());
        let js = "// header\n(function () {\n  var a = \"http://x\"; // keep\n})();\n";
        assert_eq!(
            compact("x.js", js.as_bytes()),
            b"(function () {\nvar a = \"http://x\"; // keep\n})();\n"
        );
        let template = "var a = `\n  // text\n`;\n";
        assert_eq!(compact("x.js", template.as_bytes()), template.as_bytes());
        assert_eq!(compact("x.svg", b"  <svg/>"), b"  <svg/>");
    }

    #[test]
    fn embedded_theme_has_the_templates() {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT_THEME, &mut theme).unwrap();
        for name in [
            "base.html",
            "index.html",
            "page.html",
            "framework.html",
            "dimension.html",
            "404.html",
        ] {
            assert!(theme.templates.contains_key(name), "{name}");
        }
        assert!(theme.statics.contains_key("style.css"));
    }

    #[test]
    fn names() {
        assert_eq!(fingerprinted_name("a/style.css", "abc"), "a/style.abc.css");
        assert_eq!(fingerprint(b"x").len(), 10);
    }
}
