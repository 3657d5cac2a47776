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
    assert!(dimensions >= 3);

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
        matrix.matches("href=\"/handbook/compare/").count(),
        written_cells,
        "every cell is linked from the matrix"
    );
    assert_eq!(matrix.matches("<th scope=\"row\">").count(), dimensions);
    assert_eq!(matrix.matches("<th scope=\"col\"><a").count(), frameworks);

    // At least three dimensions are complete: nine cells each, nine tabs on the page.
    let complete = std::fs::read_dir(site.join("dimensions"))
        .unwrap()
        .filter(|d| {
            let html =
                std::fs::read_to_string(d.as_ref().unwrap().path().join("index.html")).unwrap();
            html.matches("role=\"tab\"").count() == 9
        })
        .count();
    assert!(complete >= 3, "{complete} dimensions have nine tabs");
    for fw in std::fs::read_dir(site.join("frameworks")).unwrap() {
        let html = std::fs::read_to_string(fw.unwrap().path().join("index.html")).unwrap();
        assert!(html.matches("<section class=\"cell\"").count() >= 3);
    }
}
