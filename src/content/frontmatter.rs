//! Splitting an article into YAML front matter and Markdown body.
//!
//! This is the only module that names the YAML crate, so it can be swapped in one place.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The keys an article may set. Unknown keys are errors: a misspelled `dimenson:` must not
/// silently turn a cell into a free article.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub framework: Option<String>,
    pub dimension: Option<String>,
    /// Framework declarations: the default code language of its samples.
    pub language: Option<String>,
    /// Framework declarations: the project's home page.
    pub website: Option<String>,
    /// Framework declarations: numbers for tables and charts.
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
    /// Dimension declarations: the ordered level labels of its cells, lowest first (2 to 5).
    #[serde(default)]
    pub scale: Vec<String>,
    /// Cells: the answer in a phrase of at most 40 characters, shown in the matrix.
    pub verdict: Option<String>,
    /// Cells: one of the dimension's `scale` labels.
    pub level: Option<String>,
    /// Any page: when its facts were last checked, `YYYY-MM-DD`.
    pub reviewed: Option<String>,
    /// Anything else, passed to templates untouched.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A figure about a framework: a number, a reported range, or a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Number(f64),
    Range([f64; 2]),
    Text(String),
}

/// Read through a generic value, so that a wrong shape gets a message that says what a fact may
/// be and what was written instead (serde's own for an untagged enum names no shape at all).
impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        use serde_json::Value;
        let value = Value::deserialize(deserializer)?;
        let expected = "a fact is a number, a [low, high] pair of numbers, or a word";
        match value {
            Value::Number(n) => n.as_f64().map(Fact::Number).ok_or_else(|| {
                D::Error::custom(format!("{expected}; this number is out of range"))
            }),
            Value::String(text) => Ok(Fact::Text(text)),
            Value::Array(items) => match items.as_slice() {
                [Value::Number(low), Value::Number(high)] => match (low.as_f64(), high.as_f64()) {
                    (Some(low), Some(high)) => Ok(Fact::Range([low, high])),
                    _ => Err(D::Error::custom(format!(
                        "{expected}; a number is out of range"
                    ))),
                },
                [_, _] => Err(D::Error::custom(format!(
                    "{expected}; both ends of a pair must be numbers"
                ))),
                _ => Err(D::Error::custom(format!(
                    "{expected}; this is a list of {} items",
                    items.len()
                ))),
            },
            Value::Bool(_) => Err(D::Error::custom(format!(
                "{expected}; this is true or false"
            ))),
            Value::Null => Err(D::Error::custom(format!("{expected}; this is empty"))),
            Value::Object(_) => Err(D::Error::custom(format!(
                "{expected}; this is a map of keys"
            ))),
        }
    }
}

/// Whole numbers are written without a fraction (`2005`, not `2005.0`) for templates.
impl Serialize for Fact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        fn number<S: serde::Serializer>(n: f64, s: S) -> Result<S::Ok, S::Error> {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                s.serialize_i64(n as i64)
            } else {
                s.serialize_f64(n)
            }
        }
        struct Num(f64);
        impl Serialize for Num {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                number(self.0, s)
            }
        }
        match self {
            Fact::Number(n) => number(*n, serializer),
            Fact::Range([a, b]) => {
                let mut seq = serializer.serialize_seq(Some(2))?;
                seq.serialize_element(&Num(*a))?;
                seq.serialize_element(&Num(*b))?;
                seq.end()
            }
            Fact::Text(t) => serializer.serialize_str(t),
        }
    }
}

/// An article split into its parts. Line numbers are 1-based lines of the original file.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when the file has none).
    pub yaml: &'a str,
    /// The line of the file on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

/// Where and why splitting or parsing failed.
#[derive(Debug, PartialEq)]
pub struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Splits `text` (BOM already removed) at its `---` fences. A file without an opening fence has
/// no front matter; an opening fence without a closing one is an error.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok(Split {
            yaml: &text[..0],
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(FrontMatterError {
        line: 1,
        column: 1,
        message: "front matter is never closed".into(),
        help: Some("add a line `---` after the last front-matter key".into()),
    })
}

/// Parses the YAML of a split article. Positions in errors are positions in the file.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, FrontMatterError> {
    if split.yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_yaml::from_str::<FrontMatter>(split.yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((split.yaml_line, 1), |l| (split.yaml_line + l.line() - 1, l.column()));
        let message = strip_position(&e.to_string());
        let help = if message.contains("unknown field") {
            Some("front-matter keys are: title, summary, weight, draft, tags, slug, framework, dimension, language, website, facts, scale, verdict, level, reviewed, extra (put your own keys under `extra:`)".into())
        } else {
            None
        };
        FrontMatterError { line, column, message, help }
    })
}

/// The YAML crate appends "at line L column C" to its messages; the diagnostic carries that.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Finds the line and column of `key:`'s value in the front matter, for errors about a value.
pub fn locate_key(split: &Split<'_>, key: &str) -> Option<(usize, usize, usize)> {
    split.yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest.trim();
        let value_col = line.len() - rest.len() + (rest.len() - rest.trim_start().len());
        let len = value.trim_matches(['"', '\'']).chars().count().max(1);
        let quote = usize::from(value.starts_with(['"', '\'']));
        Some((split.yaml_line + i, value_col + 1 + quote, len))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn crlf_and_trailing_spaces() {
        let s = split("---\r\ntitle: A\r\n--- \r\nbody").unwrap();
        assert_eq!(parse(&s).unwrap().title.as_deref(), Some("A"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Hello\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(parse(&s).unwrap(), FrontMatter::default());
    }

    #[test]
    fn unclosed() {
        let e = split("---\ntitle: A\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let s = split("---\ntitle: A\nweight: heavy\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(!e.message.contains(" at line "), "{}", e.message);
    }

    #[test]
    fn unknown_key() {
        let s = split("---\ntitle: A\ndimenson: routing\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("dimenson"));
    }

    #[test]
    fn facts() {
        let s = split("---\nfacts:\n  rps: [1, 2]\n  structure: 3\n  kind: micro\n---\n").unwrap();
        let f = parse(&s).unwrap().facts;
        assert_eq!(f["rps"], Fact::Range([1.0, 2.0]));
        assert_eq!(f["structure"], Fact::Number(3.0));
        assert_eq!(f["kind"], Fact::Text("micro".into()));
    }

    #[test]
    fn wrong_facts_say_what_a_fact_is() {
        for (yaml, says) in [
            ("[1, 2, 3]", "a list of 3 items"),
            ("[1, x]", "both ends of a pair must be numbers"),
            ("{a: 1}", "a map of keys"),
            ("true", "true or false"),
        ] {
            let text = format!("---\nfacts:\n  rps: {yaml}\n---\n");
            let e = parse(&split(&text).unwrap()).unwrap_err();
            assert!(
                e.message.contains("a fact is a number, a [low, high] pair"),
                "{}",
                e.message
            );
            assert!(e.message.contains(says), "{yaml}: {}", e.message);
        }
    }

    #[test]
    fn locates_values() {
        let s = split("---\ntitle: A\nframework: \"djang\"\n---\n").unwrap();
        assert_eq!(locate_key(&s, "framework"), Some((3, 13, 5)));
    }
}
