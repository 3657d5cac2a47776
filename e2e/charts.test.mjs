// The spectrum chart as the browser draws it: no two labels overlap, on the flagship and on a
// handbook whose frameworks all share one value.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, copyFixture, launch, open, repo, serve } from "./lib.mjs";

let flagship, shared, browser;

before(async () => {
  flagship = await serve(build(repo, ["--base-url", "/handbook/"]), "/handbook/");
  const root = copyFixture("good");
  const alpha = join(root, "content", "frameworks", "alpha.md");
  writeFileSync(alpha, readFileSync(alpha, "utf8").replace("structure: 3", "structure: 5"));
  const beta = join(root, "content", "frameworks", "beta.md");
  const text = readFileSync(beta, "utf8");
  writeFileSync(beta, text.includes("structure:") ? text.replace(/structure: \d+/, "structure: 5")
    : text.replace("framework: beta\n", "framework: beta\nfacts:\n  structure: 5\n"));
  for (const [slug, title] of [["gamma", "Gamma Framework"], ["delta", "Delta (with a long name)"], ["epsilon", "Epsilon"], ["zeta", "Zeta Web Toolkit"]]) {
    writeFileSync(join(root, "content", "frameworks", `${slug}.md`),
      `---\ntitle: ${title}\nframework: ${slug}\nweight: 9\nfacts:\n  structure: 5\n---\n\n${title}.\n`);
  }
  shared = await serve(build(root), "/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await flagship?.close();
  await shared?.close();
});

async function labelBoxes(url, width) {
  const page = await open(browser, url, { viewport: { width, height: 900 } });
  const boxes = await page.$$eval("svg.chart-svg .chart-label", (labels) => labels.map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }));
  const svg = await page.$eval("svg.chart-svg", (s) => s.getBoundingClientRect().toJSON());
  await page.close();
  return { boxes, svg };
}

function assertApart({ boxes, svg }, where) {
  assert.ok(boxes.length >= 2, `${where}: ${boxes.length} labels`);
  for (const [i, a] of boxes.entries()) {
    assert.ok(a.left >= svg.left - 0.5 && a.right <= svg.right + 0.5, `${where}: ${a.text} inside the chart`);
    for (const b of boxes.slice(i + 1)) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      assert.ok(apart, `${where}: "${a.text}" and "${b.text}" overlap`);
    }
  }
}

for (const width of [1280, 390]) {
  test(`the flagship's spectrum labels never overlap (${width} px)`, async () => {
    assertApart(await labelBoxes(flagship.url, width), `flagship at ${width}px`);
  });

  test(`frameworks that share one value get labels that do not overlap (${width} px)`, async () => {
    const result = await labelBoxes(shared.url, width);
    assert.equal(result.boxes.length, 6);
    assertApart(result, `shared value at ${width}px`);
  });
}
