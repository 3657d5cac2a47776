//! `handbook init`: a small handbook that builds and passes `check` at once, to edit from.

use std::path::Path;

use anyhow::Context as _;

use crate::diagnostic::{Diagnostic, Error, Result};

const FILES: &[(&str, &str)] = &[
    ("book.toml", "[book]\ntitle = \"My Handbook\"\ndescription = \"Two web frameworks compared on two dimensions.\"\nauthors = []\nlanguage = \"en\"\n# edit-url-template = \"https://github.com/owner/repo/edit/main/{path}\"   # \"Edit this page\"\n\n[build]\n# git-dates = true   # \"Updated\" dates from git log (false: none)\n# base-url = \"/my-handbook/\"   # for a GitHub Pages project site\n# site-url = \"https://example.github.io/my-handbook/\"\n# link-check = \"warn\"   # broken links as warnings while a docs tree is brought in\n\n# [markdown]\n# definition-lists = true\n# smart-punctuation = false\n"),
    (".gitignore", "public/\n.public.*\n.handbook-cache/\n"),
    ("content/_index.md", "---\ntitle: My Handbook\nsummary: Two web frameworks compared on two dimensions.\n---\n\nEach framework has a page, each dimension has a page, and every pair has an article: the\nmatrix below links them all. Start with [routing](dimensions/routing.md).\n"),
    ("content/frameworks/express.md", "---\ntitle: Express\nframework: express\nweight: 1\nlanguage: javascript\nwebsite: https://expressjs.com/\nsummary: The minimal web framework for Node.js.\n---\n\nExpress gives you routing and middleware; everything else is your choice.\n"),
    ("content/frameworks/flask.md", "---\ntitle: Flask\nframework: flask\nweight: 2\nlanguage: python\nwebsite: https://flask.palletsprojects.com/\nsummary: The Python micro-framework.\n---\n\nFlask provides routing, requests and responses, and leaves the rest to extensions.\n"),
    ("content/dimensions/routing.md", "---\ntitle: Routing\ndimension: routing\nweight: 1\nsummary: How URLs map to handlers.\nscale: [\"strings, by hand\", \"typed\"]\nreviewed: 2026-12-05\n---\n\nThe task: answer `GET /hello/{name}` with a greeting.\n"),
    ("content/dimensions/testing.md", "---\ntitle: Testing\ndimension: testing\nweight: 2\nsummary: How an endpoint is tested.\n---\n\nThe task: test `GET /hello/{name}` over HTTP without starting a server.\n"),
    ("content/compare/routing/express.md", "---\ntitle: Routing in Express\nframework: express\ndimension: routing\nsummary: Routes are registered on the app, one function each.\nverdict: app.get(), string params\nlevel: strings, by hand\nreviewed: 2026-12-05\n---\n\n```javascript\nimport express from \"express\";\n\nconst app = express();\napp.get(\"/hello/:name\", (req, res) => {\n  res.json({ greeting: `Hello, ${req.params.name}` });\n});\napp.listen(3000);\n```\n\nSee also [testing in Express](../testing/express.md).\n"),
    ("content/compare/routing/flask.md", "---\ntitle: Routing in Flask\nframework: flask\ndimension: routing\nsummary: Decorators bind URL rules to view functions.\nverdict: decorators, converters\nlevel: typed\nreviewed: 2026-12-05\n---\n\n```python\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/hello/<name>\")\ndef hello(name: str):\n    return {\"greeting\": f\"Hello, {name}\"}\n```\n\nSee also [testing in Flask](../testing/flask.md).\n"),
    ("content/compare/testing/express.md", "---\ntitle: Testing in Express\nframework: express\ndimension: testing\nsummary: supertest drives the app in memory.\nverdict: supertest\n---\n\n```javascript\nimport assert from \"node:assert/strict\";\nimport { test } from \"node:test\";\nimport request from \"supertest\";\nimport { app } from \"./app.js\";\n\ntest(\"greets by name\", async () => {\n  const res = await request(app).get(\"/hello/Ada\");\n  assert.equal(res.status, 200);\n  assert.equal(res.body.greeting, \"Hello, Ada\");\n});\n```\n"),
    ("content/compare/testing/flask.md", "---\ntitle: Testing in Flask\nframework: flask\ndimension: testing\nsummary: The test client calls views without a server.\nverdict: built-in test client\n---\n\n```python\nfrom app import app\n\n\ndef test_greets_by_name():\n    response = app.test_client().get(\"/hello/Ada\")\n    assert response.status_code == 200\n    assert response.json == {\"greeting\": \"Hello, Ada\"}\n```\n"),
];

/// Writes the starter handbook into `dir`; refuses to overwrite an existing handbook.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("book.toml").exists() {
        return Err(Error::config(
            Diagnostic::new(dir.join("book.toml"), "a handbook already exists here")
                .help("choose an empty folder, e.g. `handbook init my-handbook`"),
        ));
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if target.exists() {
            return Err(Error::config(
                Diagnostic::new(&target, "file already exists").help("choose an empty folder"),
            ));
        }
        std::fs::create_dir_all(target.parent().expect("files have a parent"))
            .with_context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}
