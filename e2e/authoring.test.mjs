// What a reader sees of the authoring features: the footer's "Updates" link leads to the
// recently updated pages, their links go where they say, "Edit this page" points at the
// source file, a definition list reads as one, nothing overflows on a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, copyFixture, launch, open, repo, serve } from "./lib.mjs";

let site, server, browser;
const shots = join(repo, "e2e", "screenshots");

before(async () => {
  const root = copyFixture("good");
  const toml = readFileSync(join(root, "book.toml"), "utf8").replace(
    "[book]",
    '[book]\nedit-url-template = "https://github.com/o/r/edit/main/{path}"',
  );
  writeFileSync(join(root, "book.toml"), toml);
  writeFileSync(
    join(root, "content", "guide", "terms.md"),
    "---\ntitle: Terms\nreviewed: 2026-12-01\n---\n\nRouter\n: Maps a request to a handler.\n\nMiddleware\n: Runs around a handler.\n",
  );
  writeFileSync(
    join(root, "content", "guide", "older.md"),
    "---\ntitle: Older notes\nreviewed: 2026-11-01\n---\n\nWritten before the terms.\n",
  );
  site = build(root, ["--base-url", "/handbook/"]);
  server = await serve(site, "/handbook/");
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the footer's Updates link lists recent pages, and their links work", async () => {
  const page = await open(browser, server.url);
  await page.getByRole("contentinfo").getByRole("link", { name: "Updates" }).click();
  await page.waitForURL(/\/handbook\/updates\/$/);
  assert.equal(await page.locator("h1").textContent(), "Recently updated");
  const items = page.locator("ul.updates li");
  assert.ok((await items.count()) >= 2, "pages with a review date are listed");
  // Newest first: the first item's date is not older than the last one's.
  const dates = await items.locator("time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")));
  assert.deepEqual([...dates].sort().reverse(), dates);
  const first = items.first().locator("a");
  const title = await first.textContent();
  await first.click();
  assert.equal(await page.locator("h1").first().textContent(), title);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Edit this page points at the article's source file", async () => {
  const page = await open(browser, `${server.url}compare/routing/alpha/`);
  const edit = page.getByRole("link", { name: "Edit this page" });
  assert.equal(
    await edit.getAttribute("href"),
    "https://github.com/o/r/edit/main/content/compare/routing/alpha.md",
  );
  await page.close();
});

test("a definition list reads as terms and definitions, on a phone too", async () => {
  for (const [width, scheme] of [[1280, "light"], [390, "dark"]]) {
    const page = await open(browser, `${server.url}guide/terms/`, {
      viewport: { width, height: 800 },
      colorScheme: scheme,
    });
    assert.equal(await page.locator("article dl dt").count(), 2);
    const term = await page.locator("article dl dt").first().evaluate((e) => getComputedStyle(e).fontWeight);
    assert.ok(Number(term) >= 600, `terms stand out (${term})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 1, `no horizontal scroll at ${width} px (${overflow})`);
    await page.screenshot({ path: join(shots, `terms-${width}-${scheme}.png`), fullPage: true });
    const updates = await open(browser, `${server.url}updates/`, { viewport: { width, height: 800 }, colorScheme: scheme });
    await updates.screenshot({ path: join(shots, `updates-${width}-${scheme}.png`), fullPage: true });
    assert.deepEqual([...page.problems, ...updates.problems], []);
    await updates.close();
    await page.close();
  }
});
