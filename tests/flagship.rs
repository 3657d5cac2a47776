//! The repository's own handbook builds, and nothing written goes missing from the output.

mod common;
use common::*;

use std::path::Path;

#[test]
fn flagship_builds_with_every_framework_dimension_and_cell() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--base-url", "/handbook/", "--root"])
        .arg(repo)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));

    let count_md = |dir: &str| {
        std::fs::read_dir(repo.join(dir)).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "md")
            })
            .count()
        })
    };
    let frameworks = count_md("content/frameworks");
    let dimensions = count_md("content/dimensions");
    assert_eq!(frameworks, 9, "the flagship compares nine frameworks");
    assert_eq!(dimensions, 22, "on twenty-two dimensions");

    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    let matrix = &home[home
        .find("<table class=\"matrix\">")
        .expect("home has the matrix")..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    let written_cells: usize = std::fs::read_dir(repo.join("content/compare"))
        .unwrap()
        .map(|d| {
            count_md(&format!(
                "content/compare/{}",
                d.unwrap().file_name().to_string_lossy()
            ))
        })
        .sum();
    assert_eq!(
        written_cells, 198,
        "every framework x dimension cell is written"
    );
    assert_eq!(
        matrix.matches("href=\"/handbook/compare/").count(),
        written_cells,
        "every cell is linked from the matrix"
    );
    assert!(
        !matrix.contains("class=\"empty\""),
        "no empty cell in the matrix"
    );
    assert_eq!(matrix.matches("<th scope=\"row\">").count(), dimensions);
    assert_eq!(matrix.matches("<th scope=\"col\"><a").count(), frameworks);

    assert_eq!(
        std::fs::read_dir(site.join("vs")).unwrap().count(),
        frameworks * (frameworks - 1) / 2,
        "one \"X vs Y\" page per pair of frameworks"
    );

    // Every dimension page shows nine tabs and nine cells; every framework page its twenty-two.
    for dim in std::fs::read_dir(site.join("dimensions")).unwrap() {
        let path = dim.unwrap().path();
        let html = std::fs::read_to_string(path.join("index.html")).unwrap();
        assert_eq!(
            html.matches("<button type=\"button\" role=\"tab\"").count(),
            9,
            "{}",
            path.display()
        );
        assert_eq!(
            html.matches("<section class=\"cell\"").count(),
            9,
            "{}",
            path.display()
        );
    }
    for fw in std::fs::read_dir(site.join("frameworks")).unwrap() {
        let path = fw.unwrap().path();
        let html = std::fs::read_to_string(path.join("index.html")).unwrap();
        assert_eq!(
            html.matches("<section class=\"cell\"").count(),
            22,
            "{}",
            path.display()
        );
    }

    assert_every_page_is_light(&site);
}

/// The theme's budget: a page's own HTML plus every stylesheet and script it loads (any `href`
/// or `src` of the site ending in `.css` or `.js`) stays under 100 KB. What loads only on
/// demand (the search client and its index) is aside, as is the print page, which is the whole
/// handbook by design.
fn assert_every_page_is_light(site: &Path) {
    const BUDGET: u64 = 100 * 1024;
    for page in html_files(site) {
        if page.file_name().is_some_and(|n| n == "print.html") {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        let urls = urls(&html);
        let mut assets: Vec<&str> = urls
            .iter()
            .filter_map(|s| s.strip_prefix("/handbook/"))
            .map(|s| s.split(['?', '#']).next().unwrap())
            .filter(|s| s.ends_with(".css") || s.ends_with(".js"))
            .collect();
        assets.sort_unstable();
        assets.dedup();
        let weight: u64 = html.len() as u64
            + assets
                .iter()
                .map(|a| std::fs::metadata(site.join(a)).unwrap().len())
                .sum::<u64>();
        assert!(
            weight < BUDGET,
            "{} weighs {} KB with {assets:?}",
            page.display(),
            weight / 1024
        );
    }
}
