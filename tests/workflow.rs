//! The GitHub Pages workflow does what the README promises: the site's absolute URL reaches
//! the build (sitemap, canonical links), git dates see the whole history, and the handbook's
//! cache survives between runs. (actionlint checks the syntax: scripts/test.sh runs it.)

use serde_yaml::Value;

fn workflow() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.github/workflows/pages.yml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn build_steps() -> Vec<Value> {
    workflow()["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("the build job has steps")
        .clone()
}

fn step_using<'a>(steps: &'a [Value], action: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap_or_else(|| panic!("a step uses {action}"))
}

#[test]
fn checkout_fetches_the_whole_history() {
    let steps = build_steps();
    let checkout = step_using(&steps, "actions/checkout@");
    assert_eq!(checkout["with"]["fetch-depth"].as_u64(), Some(0));
}

#[test]
fn the_build_gets_the_base_path_and_the_site_url_from_configure_pages() {
    let steps = build_steps();
    let pages = step_using(&steps, "actions/configure-pages@");
    let id = pages["id"].as_str().expect("configure-pages has an id");
    let build = steps
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains(" build ")))
        .expect("a step runs handbook build");
    let run = build["run"].as_str().unwrap();
    assert!(
        run.contains("--base-url") && run.contains("--site-url"),
        "{run}"
    );
    let env = &build["env"];
    assert_eq!(
        env["SITE_URL"].as_str(),
        Some(format!("${{{{ steps.{id}.outputs.base_url }}}}").as_str())
    );
    assert_eq!(
        env["BASE_PATH"].as_str(),
        Some(format!("${{{{ steps.{id}.outputs.base_path }}}}").as_str())
    );
}

#[test]
fn the_handbook_cache_is_restored_and_saved() {
    let steps = build_steps();
    let cache = step_using(&steps, "actions/cache@");
    assert_eq!(cache["with"]["path"].as_str(), Some(".handbook-cache"));
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains("github.sha"), "a new entry per commit: {key}");
    let position = |s: &Value| steps.iter().position(|x| x == s).unwrap();
    let build = steps
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains(" build ")))
        .unwrap();
    assert!(
        position(cache) < position(build),
        "restored before the build"
    );
}
