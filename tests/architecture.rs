//! The direction of the pipeline, checked: ARCHITECTURE.md's rule, read off the source.
//!
//! Every file under `src/` belongs to a stage: the folder (or file) it sits in at the top of
//! `src/`. Stages sit on floors, in the order a page travels through them. A file may name
//! (`crate::stage::...`) its own stage and the stages on lower floors, never a stage on its own
//! floor or above. Within a stage, its modules (`content::config`, `content::model`, ...) must
//! not form a circle. A new file in a new top-level folder fails until it is given a floor here
//! and in ARCHITECTURE.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors, lowest first. Stages on one floor may not use each other.
const FLOORS: &[&[&str]] = &[
    &["diagnostic", "util"],
    &["content"],
    &["markdown"],
    &["render"],
    &["outputs"],
    &["write"],
    &["build"],
    &["export", "serve"],
];

/// Files that are not a stage: the crate root declares the stages, the binary uses them all.
const OUTSIDE: &[&str] = &["lib.rs", "main.rs"];

fn floor(stage: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&stage))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/content/model/checks.rs` -> ["content", "model", "checks"]; `mod.rs` names its folder.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every `crate::a::b` path a file names, as its first two segments, with the line.
/// Comments are skipped, so a doc link to a later stage is not an import of it.
fn crate_paths(text: &str) -> Vec<(usize, String, Option<String>)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `handbook_crate::`, not ours
            }
            let segment = |s: &str| -> String {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            };
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{content::model, util::html};`
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    let item = item.trim();
                    let first = segment(item);
                    let second = item[first.len()..].strip_prefix("::").map(segment);
                    found.push((n + 1, first, second.filter(|s| !s.is_empty())));
                }
                continue;
            }
            let first = segment(rest);
            let after = &rest[first.len()..];
            let second = after.strip_prefix("::").map(segment);
            found.push((n + 1, first, second.filter(|s| !s.is_empty())));
        }
    }
    found
}

struct Source {
    file: PathBuf,
    module: Vec<String>,
    text: String,
}

fn sources() -> (PathBuf, Vec<Source>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let sources = files
        .into_iter()
        .map(|file| Source {
            module: module_path(&src, &file),
            text: std::fs::read_to_string(&file).unwrap(),
            file,
        })
        .collect();
    (src, sources)
}

#[test]
fn a_stage_uses_only_the_stages_below_it() {
    let (src, sources) = sources();
    let mut wrong = Vec::new();
    for source in &sources {
        let rel = source
            .file
            .strip_prefix(&src)
            .unwrap()
            .display()
            .to_string();
        if OUTSIDE.contains(&rel.as_str()) {
            continue;
        }
        let stage = &source.module[0];
        let Some(own) = floor(stage) else {
            wrong.push(format!(
                "{rel}: stage `{stage}` has no floor; add it to FLOORS and ARCHITECTURE.md"
            ));
            continue;
        };
        for (line, used, _) in crate_paths(&source.text) {
            if &used == stage {
                continue;
            }
            match floor(&used) {
                Some(f) if f < own => {}
                Some(f) => wrong.push(format!(
                    "src/{rel}:{line}: `{stage}` (floor {own}) uses `{used}` (floor {f}): a stage may use only the stages below it"
                )),
                None => {} // a re-export of the crate root, such as `crate::Result`
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}\n", wrong.join("\n"));
}

#[test]
fn the_modules_of_a_stage_form_no_circle() {
    let (_, sources) = sources();
    let modules: BTreeSet<(String, String)> = sources
        .iter()
        .filter(|s| s.module.len() >= 2)
        .map(|s| (s.module[0].clone(), s.module[1].clone()))
        .collect();
    // The module a file belongs to: its stage and the module under it (the stage's own root
    // file is the module "").
    let unit = |m: &[String]| -> String {
        match m {
            [stage] => format!("{stage}::"),
            [stage, module, ..] => format!("{stage}::{module}"),
            [] => String::new(),
        }
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources.iter().filter(|s| !s.module.is_empty()) {
        let from = unit(&source.module);
        let stage = &source.module[0];
        for (_, used, second) in crate_paths(&source.text) {
            if &used != stage {
                continue;
            }
            let to = match second {
                Some(m) if modules.contains(&(used.clone(), m.clone())) => format!("{used}::{m}"),
                _ => format!("{used}::"),
            };
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let circle = find_circle(&edges);
    assert!(
        circle.is_none(),
        "modules use each other in a circle: {}",
        circle.unwrap_or_default().join(" -> ")
    );
}

/// A circle in the graph, as the modules along it, if there is one.
fn find_circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_checker_sees_a_back_arrow_and_a_circle() {
    // The checks above must be able to fail: they see what they look for.
    let paths = crate_paths(
        "use crate::serve::http; // crate::build\nlet x = crate::util::url::decode(y);\nuse crate::{write, outputs::files};",
    );
    assert_eq!(
        paths,
        [
            (1, "serve".into(), Some("http".into())),
            (2, "util".into(), Some("url".into())),
            (3, "write".into(), None),
            (3, "outputs".into(), Some("files".into())),
        ]
    );
    let mut edges = BTreeMap::new();
    edges.insert("a::x".to_string(), BTreeSet::from(["a::y".to_string()]));
    edges.insert("a::y".to_string(), BTreeSet::from(["a::x".to_string()]));
    assert!(find_circle(&edges).is_some());
    edges.remove("a::y");
    assert!(find_circle(&edges).is_none());
    assert!(floor("serve") > floor("build") && floor("content") < floor("markdown"));
}
