import assert from "node:assert/strict";
import { accuracyPlot } from "../../experiment/plot_svg.ts";
import type { ResultsFile, RunRecord } from "../../experiment/results.ts";
import { results, run } from "./fixture.ts";

interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
  parents: Element[];
}

const ATTR = /\s+([A-Za-z_:][\w:.-]*)="([^"<]*)"/y;
const TEXT_OK = /^(?:[^&<]|&(?:amp|lt|gt|quot|#\d+);)*$/;

/** A small XML well-formedness check (Deno has no DOMParser): balanced tags, quoted attributes, entities. */
function parseXml(xml: string): Element[] {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), "XML declaration first");
  const body = xml.slice(xml.indexOf("?>") + 2);
  const stack: Element[] = [];
  const all: Element[] = [];
  let roots = 0;
  for (const [token] of body.matchAll(/<[^>]*>|[^<]+/g)) {
    if (!token.startsWith("<")) {
      assert.match(token, TEXT_OK, `bad text ${token}`);
      if (stack.length === 0) assert.equal(token.trim(), "", "text outside the root");
      else stack[stack.length - 1].text += token;
      continue;
    }
    const close = token.match(/^<\/([\w:-]+)\s*>$/);
    if (close) {
      assert.equal(stack.pop()?.name, close[1], `unbalanced </${close[1]}>`);
      continue;
    }
    const open = token.match(/^<([A-Za-z][\w:-]*)(.*?)(\/?)>$/s);
    assert.ok(open, `bad tag ${token}`);
    const attrs: Record<string, string> = {};
    const rest = open[2];
    ATTR.lastIndex = 0;
    let at = 0;
    for (let m; (m = ATTR.exec(rest));) {
      assert.ok(!(m[1] in attrs), `duplicate attribute ${m[1]} in ${token}`);
      assert.match(m[2], TEXT_OK, `bad attribute value in ${token}`);
      attrs[m[1]] = m[2];
      at = ATTR.lastIndex;
    }
    assert.equal(rest.slice(at).trim(), "", `bad attributes in ${token}`);
    if (stack.length === 0) roots++;
    const el = { name: open[1], attrs, text: "", parents: [...stack] };
    all.push(el);
    if (open[3] !== "/") stack.push(el);
  }
  assert.equal(stack.length, 0, `unclosed <${stack.map((e) => e.name).join("> <")}>`);
  assert.equal(roots, 1, "one root element");
  return all;
}

const unescape = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e as string]!,
  );

/** Parses and checks an SVG: the root, then every coordinate finite and inside the viewBox. */
function checkSvg(svg: string, width: number, height: number): Element[] {
  const elements = parseXml(svg);
  const root = elements[0];
  assert.equal(root.name, "svg");
  assert.equal(root.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.equal(root.attrs.version, "1.1");
  assert.equal(root.attrs.viewBox, `0 0 ${width} ${height}`);
  assert.deepEqual([root.attrs.width, root.attrs.height], [String(width), String(height)]);
  const inX = (v: number, what: string) =>
    assert.ok(Number.isFinite(v) && v >= 0 && v <= width, `${what} = ${v}`);
  const inY = (v: number, what: string) =>
    assert.ok(Number.isFinite(v) && v >= 0 && v <= height, `${what} = ${v}`);
  const pairs = (s: string, what: string) => {
    const nums = s.trim().split(/[\s,]+/).map(Number);
    assert.equal(nums.length % 2, 0, what);
    for (let i = 0; i < nums.length; i += 2) inX(nums[i], what), inY(nums[i + 1], what);
  };
  for (const { name, attrs } of elements) {
    const what = (a: string) => `<${name}> ${a}`;
    for (const a of ["x", "x1", "x2", "cx"]) if (a in attrs) inX(Number(attrs[a]), what(a));
    for (const a of ["y", "y1", "y2", "cy"]) if (a in attrs) inY(Number(attrs[a]), what(a));
    if ("width" in attrs && name !== "svg") inX(Number(attrs.x) + Number(attrs.width), what("x + width"));
    if ("height" in attrs && name !== "svg") inY(Number(attrs.y) + Number(attrs.height), what("y + height"));
    if ("r" in attrs) assert.ok(Number(attrs.r) > 0, what("r"));
    if ("points" in attrs) pairs(attrs.points, what("points"));
    if ("d" in attrs) {
      assert.match(attrs.d, /^(?:[ML][\d.-]+ [\d.-]+ ?)+$/, what("d"));
      pairs(attrs.d.replace(/[ML]/g, " "), what("d"));
    }
    if ("transform" in attrs) {
      const m = attrs.transform.match(/^translate\(([\d.-]+) ([\d.-]+)\)/);
      assert.ok(m, what("transform"));
      inX(Number(m[1]), what("translate")), inY(Number(m[2]), what("translate"));
    }
  }
  return elements;
}

const series = (els: Element[]) => els.filter((e) => e.attrs.class === "series");
const inside = (els: Element[], parent: Element) => els.filter((e) => e.parents.includes(parent));
const legendNames = (els: Element[]) =>
  els.filter((e) => e.name === "text" && e.parents.some((p) => p.attrs.class === "legend")).map((e) =>
    unescape(e.text)
  );

Deno.test("accuracyPlot: one line with a marker and an error bar per cell per method, a legend, titles", () => {
  const svg = accuracyPlot(results());
  const els = checkSvg(svg, 640, 420);
  const groups = series(els);
  assert.deepEqual(groups.map((g) => g.attrs["data-method"]), ["Uniform", "Herding", "GraNd"]);
  assert.deepEqual(legendNames(els), ["Uniform", "Herding", "GraNd"]);
  assert.equal(new Set(groups.map((g) => g.attrs.stroke)).size, 3, "distinct colours");
  const shapes = groups.map((g) => inside(els, g).find((e) => e.attrs.class === "marker")!.name);
  assert.deepEqual(shapes, ["circle", "rect", "polygon"], "distinct markers");
  assert.equal(els.filter((e) => e.name === "polyline").length, 3);
  assert.equal(els.filter((e) => e.attrs.class === "marker").length, 9);
  assert.equal(els.filter((e) => e.attrs.class === "errorbar").length, 9);

  const line = (g: Element) => {
    const nums = inside(els, g).find((e) => e.name === "polyline")!.attrs.points.split(/[\s,]+/).map(Number);
    return [0, 2, 4].map((i) => ({ x: nums[i], y: nums[i + 1] }));
  };
  const [uniform, herding, grand] = groups.map(line);
  assert.ok(uniform[0].x < uniform[1].x && uniform[1].x < uniform[2].x, "fractions ascending left to right");
  // Log axis: 0.1 % → 1 % and 1 % → 10 % are equally wide.
  assert.ok(Math.abs((uniform[1].x - uniform[0].x) - (uniform[2].x - uniform[1].x)) < 0.02);
  assert.deepEqual(herding.map((p) => p.x), uniform.map((p) => p.x));
  // Higher accuracy is higher up, and y is linear in accuracy: 75 − 64 = 11 points, 64 − 52 = 12.
  assert.ok(uniform[2].y < herding[2].y && herding[2].y < grand[2].y);
  const perPoint = (grand[2].y - herding[2].y) / 12;
  assert.ok(Math.abs((herding[2].y - uniform[2].y) / 11 - perPoint) < 0.01);
  // Error bars span mean ± std: GraNd's (std 2) twice as tall as Uniform's (std 1), centred on the mean.
  const bar = (g: Element, i: number) => {
    const ys = inside(els, g).filter((e) => e.attrs.class === "errorbar")[i].attrs.d.split(/[ML ]+/).filter(
      Boolean,
    )
      .map(Number).filter((_, j) => j % 2 === 1);
    return { lo: Math.max(...ys), hi: Math.min(...ys) };
  };
  const [u, g] = [bar(groups[0], 2), bar(groups[2], 2)];
  assert.ok(Math.abs((u.lo - u.hi) - 2 * perPoint) < 0.02, `${u.lo - u.hi} vs ${2 * perPoint}`);
  assert.ok(Math.abs((g.lo - g.hi) - 4 * perPoint) < 0.02);
  assert.ok(Math.abs((u.lo + u.hi) / 2 - uniform[2].y) < 0.01);

  const texts = els.filter((e) => e.name === "text").map((e) => unescape(e.text));
  for (const t of ["CIFAR10, ResNet18", "0.1%", "1%", "10%", "Best test accuracy (%)"]) {
    assert.ok(texts.includes(t), t);
  }
  assert.ok(texts.some((t) => t.includes("log scale")));
});

Deno.test("accuracyPlot stacks one panel per dataset and trained model", () => {
  const file = results();
  const cross = file.runs.slice(0, 9).map((r) => ({ ...r, id: `${r.id}/cross-VGG16`, crossModel: "VGG16" }));
  const els = checkSvg(
    accuracyPlot({ ...file, runs: [...file.runs, ...cross] }, { metric: "final" }),
    640,
    840,
  );
  const titles = els.filter((e) => e.name === "text" && e.attrs["font-weight"] === "bold").map((e) => e.text);
  assert.deepEqual(titles, ["CIFAR10, ResNet18", "CIFAR10, VGG16 on coresets selected with ResNet18"]);
  assert.equal(els.filter((e) => e.name === "polyline").length, 4);
  assert.equal(els.filter((e) => e.attrs.class === "marker").length, 12);
  const second = els.filter((e) =>
    e.attrs.class === "marker" && e.parents.some((p) => p.attrs["data-method"])
  )
    .slice(9).map((e) => Number(e.attrs.y ?? e.attrs.cy ?? e.attrs.points?.split(/[ ,]/)[1]));
  assert.ok(second.every((y) => y > 420), "the second panel's markers lie in the second panel");
  assert.ok(els.some((e) => e.name === "text" && e.text === "Final test accuracy (%)"));
});

Deno.test("accuracyPlot escapes text, tells many methods apart, and copes with degenerate inputs", () => {
  const names = Array.from({ length: 20 }, (_, i) => i === 3 ? `<b>"A&B's"</b>` : `Method${i}`);
  const runs: RunRecord[] = names.flatMap((m, i) =>
    [0.01, 0.1].map((f) => run(m, f, 0, { id: `${m}/${f}`, bestAccuracy: 0.3 + i / 100 + f }))
  );
  const svg = accuracyPlot({ ...results(), runs }, { width: 800, panelHeight: 500 });
  const els = checkSvg(svg, 800, 500);
  assert.deepEqual(legendNames(els), names);
  assert.equal(els.filter((e) => e.attrs.class === "errorbar").length, 0, "no error bar for one experiment");
  const styles = series(els).map((g) => {
    const kids = inside(els, g);
    return `${g.attrs.stroke} ${shapeOf(kids)} ${
      kids.find((e) => e.name === "polyline")!.attrs["stroke-dasharray"] ?? "solid"
    }`;
  });
  assert.equal(new Set(styles).size, 20, styles.join("\n"));

  const one = (bestAccuracy: number): ResultsFile => ({
    ...results(),
    runs: [run("Uniform", 0.1, 0, { bestAccuracy })],
  });
  for (const acc of [0, 0.5, 1]) checkSvg(accuracyPlot(one(acc)), 640, 420);
  const empty = checkSvg(accuracyPlot({ ...results(), runs: [] }), 640, 420);
  assert.ok(empty.some((e) => e.text === "No runs yet."));
});

/** A marker's shape: its element name and, for polygons and paths, its geometry relative to its centre. */
function shapeOf(kids: Element[]): string {
  const m = kids.find((e) => e.attrs.class === "marker")!;
  if (m.name === "polygon" || m.name === "path") {
    const nums = (m.attrs.points ?? m.attrs.d).split(/[\s,ML]+/).filter(Boolean).map(Number);
    const x0 = nums[0], y0 = nums[1];
    return `${m.name}:${nums.map((v, i) => (v - (i % 2 ? y0 : x0)).toFixed(1)).join(",")}`;
  }
  return m.name;
}
