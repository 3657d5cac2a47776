// The one-page handbook in a browser: print.html served under a base path, the dimension page's
// tab group when printed, and the exported file opened from disk with no network at all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, copyFixture, handbook, launch, open, serve } from "./lib.mjs";

let root, site, server, browser;

before(async () => {
  root = copyFixture("good");
  writeFileSync(join(root, "content", "guide", "links.md"),
    "---\ntitle: Links\n---\n\nRead [the docs](https://example.org/docs) or <https://example.org/bare>.\n");
  site = build(root, ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the header links to print.html, whose every in-page link has a target", async () => {
  const page = await open(browser, `${server.url}frameworks/alpha/`);
  await page.getByRole("link", { name: "Print" }).click();
  await page.waitForURL(`${server.url}print.html`);
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll("a[href]")]
      .map((a) => a.getAttribute("href"))
      .filter((href) => !/^https?:/.test(href))
      .filter((href) => !href.startsWith("#") || !document.getElementById(decodeURIComponent(href.slice(1)))),
  );
  assert.deepEqual(broken, []);
  assert.equal(await page.locator("article.print-article").count(), 10);
  assert.equal(await page.locator("img").evaluate((img) => img.naturalWidth > 0), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("printed, each article starts a page, code wraps and external links show their URL", async () => {
  const page = await open(browser, `${server.url}print.html`);
  await page.emulateMedia({ media: "print" });
  const styles = await page.evaluate(() => {
    const articles = [...document.querySelectorAll(".print-article")];
    const pre = document.querySelector("pre");
    const after = (selector) => getComputedStyle(document.querySelector(selector), "::after").content;
    return {
      breaks: articles.map((a) => getComputedStyle(a).breakBefore),
      headings: [...document.querySelectorAll(".print-article h2, .print-article h3")].map((h) => getComputedStyle(h).breakAfter),
      whiteSpace: getComputedStyle(pre).whiteSpace,
      after: after('a[href="https://example.org/docs"]'),
      bare: after('a[href="https://example.org/bare"]'),
      website: after('a[href="https://alpha.example.org/"]'),
      note: getComputedStyle(document.querySelector(".print-note")).display,
    };
  });
  assert.ok(styles.breaks.every((b) => b === "page"), styles.breaks.join());
  assert.ok(styles.headings.length > 0 && styles.headings.every((b) => b === "avoid"), styles.headings.join());
  assert.equal(styles.whiteSpace, "pre-wrap");
  assert.match(styles.after, /\(https:\/\/example\.org\/docs\)/);
  assert.equal(styles.bare, "none", "a link whose text is its URL does not repeat it");
  assert.equal(styles.website, "none");
  assert.equal(styles.note, "none");
  await page.close();
});

test("a printed dimension page shows every tab's sample under its label", async () => {
  const page = await open(browser, `${server.url}dimensions/routing/`);
  await page.getByRole("tab", { name: "Beta" }).click();
  await page.emulateMedia({ media: "print" });
  for (const slug of ["alpha", "beta"]) {
    assert.equal(await page.locator(`#hb-panel-${slug}`).isVisible(), true, slug);
    assert.equal(await page.locator(`#hb-panel-${slug} .tab-label`).isVisible(), true, slug);
  }
  assert.equal(await page.locator(".tablist").isVisible(), false);
  assert.equal(await page.locator(".site-header").isVisible(), false);
  assert.equal(await page.locator(".sidebar").isVisible(), false);
  await page.close();
});

test("the exported file opens from disk without loading anything else", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "hb-export-")), "handbook.html");
  const r = handbook(["export", "--root", root, "--out", file]);
  assert.equal(r.status, 0, r.stderr);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests = [];
  page.on("request", (req) => { if (!req.url().startsWith("data:")) requests.push(req.url()); });
  await page.goto(url);
  assert.deepEqual(requests, [url]);
  const looks = await page.evaluate(() => ({
    images: [...document.images].map((img) => img.complete && img.naturalWidth > 0),
    styled: getComputedStyle(document.querySelector("pre")).borderTopStyle,
    highlighted: [...document.querySelectorAll("pre span[class]")]
      .some((span) => getComputedStyle(span).color !== getComputedStyle(span.closest("pre")).color),
  }));
  assert.deepEqual(looks.images, [true]);
  assert.equal(looks.styled, "solid", "style.css is inlined");
  assert.equal(looks.highlighted, true, "the highlight stylesheet is inlined");
  await page.close();
});

test("print.html and the exported file are valid HTML", () => {
  const file = join(mkdtempSync(join(tmpdir(), "hb-export-")), "handbook.html");
  const r = handbook(["export", "--root", root, "--out", file]);
  assert.equal(r.status, 0, r.stderr);
  const vnu = createRequire(import.meta.url)("vnu-jar");
  // vnu exits non-zero and prints the errors when a file is invalid.
  try {
    execFileSync("java", ["-jar", String(vnu), "--errors-only", join(site, "print.html"), file], { stdio: "pipe" });
  } catch (e) {
    if (e.code === "ENOENT") throw new Error("this test needs Java for the Nu HTML checker (Debian: default-jre-headless; bash scripts/setup.sh installs it)");
    throw new Error(`the Nu HTML checker found errors:\n${e.stderr}`);
  }
});
