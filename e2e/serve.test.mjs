// The authoring loop in a browser: `handbook serve --watch` under a base path; editing the open
// article reloads it with the new text at the same scroll position; a broken link shows the error
// overlay over the last good page, and fixing it removes the overlay.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { copyFixture, handbookBin, launch, open } from "./lib.mjs";

let root, server, url, browser;
const article = () => join(root, "content", "guide", "index.md");

before(async () => {
  root = copyFixture("good");
  // A long article, so that there is a scroll position to keep.
  const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of a long guide.`).join("\n\n");
  writeFileSync(article(), `${readFileSync(article(), "utf8")}\n${paragraphs}\n\nThe last line is old.\n`);
  server = spawn(handbookBin(), ["serve", "--watch", "--port", "0", "--base-url", "/handbook/", "--root", root], {
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const lines = createInterface({ input: server.stdout });
  url = await new Promise((resolve, reject) => {
    lines.once("line", (line) => {
      const found = line.split(/\s+/).find((w) => w.startsWith("http://"));
      found ? resolve(found.replace(/,$/, "")) : reject(new Error(`no URL in ${line}`));
    });
    server.once("exit", (code) => reject(new Error(`handbook serve exited with ${code}`)));
  });
  lines.on("line", () => {}); // keep reading, so the server never blocks on a full pipe
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGINT");
});

function edit(from, to) {
  const text = readFileSync(article(), "utf8");
  assert.ok(text.includes(from), `the article has ${from}`);
  writeFileSync(article(), text.replace(from, to));
}

test("an edit reloads the page with the new text at the same scroll position", async () => {
  const page = await open(browser, `${url}guide/`);
  await page.evaluate(() => window.scrollTo({ top: 900, behavior: "instant" }));
  await page.waitForFunction(() => Math.abs(window.scrollY - 900) < 1);
  const reloaded = page.waitForEvent("load");
  edit("The last line is old.", "The last line is new.");
  await reloaded;
  await page.waitForFunction(() => document.body.textContent.includes("The last line is new."));
  await page.waitForFunction(() => Math.abs(window.scrollY - 900) < 2, null, { timeout: 5000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a broken link shows the overlay over the last good page until it is fixed", async () => {
  const page = await open(browser, `${url}guide/`);
  edit("Paragraph 3 of", "Paragraph 3 [with <b>a broken</b> link](nowhere.md) of");
  const overlay = page.locator("#handbook-serve-overlay");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  const text = await overlay.textContent();
  assert.match(text, /1 problem/);
  assert.match(text, /content\/guide\/index\.md:\d+:\d+/);
  assert.match(text, /broken link `nowhere\.md`/);
  // The message is text, not markup.
  assert.equal(await overlay.locator("b").count(), 0);
  assert.ok((await page.textContent("main")).includes("Paragraph 3 of a long guide."), "the last good page");
  const errors = await (await fetch(`${new URL(url).origin}/__handbook/errors`)).json();
  assert.equal(errors.length, 1);

  const reloaded = page.waitForEvent("load");
  edit("Paragraph 3 [with <b>a broken</b> link](nowhere.md) of", "Paragraph 3 [with a working link](../_index.md) of");
  await reloaded;
  await page.waitForFunction(() => document.body.textContent.includes("with a working link"));
  assert.equal(await page.locator("#handbook-serve-overlay").count(), 0);
  await page.close();
});
