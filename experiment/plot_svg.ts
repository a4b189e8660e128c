/**
 * The paper's Figure 1 as a standalone SVG: test accuracy against coreset fraction on a log axis, one
 * line per method with ± std error bars, one panel per dataset and trained model.
 *
 * @module
 */

import { type Group, type Metric, percentLabel, type ResultsFile, summarize } from "./results.ts";

/** Options of {@linkcode accuracyPlot}. */
export interface PlotOptions {
  /** Which accuracy of each run to plot; DeepCore reports the best one. Default "best". */
  metric?: Metric;
  /** Width in pixels. Default 640. */
  width?: number;
  /** Height of one panel in pixels. Default 420. */
  panelHeight?: number;
}

// Okabe & Ito's colour-blind-safe palette without its yellow, which is too pale on white. Seven colours
// and seven marker shapes, shifted against each other per round, tell 49 methods apart; the second
// round also dashes its lines.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const SHAPES = 7;
const FONT = 12;
const CHAR = 0.6 * FONT; // a generous average glyph width of sans-serif, to size the legend and labels

const n2 = (v: number) => String(Number(v.toFixed(2)));
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
// Legend labels longer than this would run past the right edge at 640 px.
const short = (s: string) => s.length > 30 ? `${s.slice(0, 29)}…` : s;
const textWidth = (s: string, size = FONT) => s.length * CHAR * size / FONT;

function style(i: number) {
  const round = Math.floor(i / PALETTE.length);
  return { color: PALETTE[i % PALETTE.length], shape: (i + round) % SHAPES, dashed: round % 2 === 1 };
}

/** A marker centred on (x, y): circle, square, triangle, diamond, inverted triangle, plus, cross. */
function marker(shape: number, x: number, y: number, cls: string): string {
  const r = 4;
  const pts = (p: number[][]) => p.map(([a, b]) => `${n2(x + a)},${n2(y + b)}`).join(" ");
  const path = (p: number[][][]) =>
    p.map(([[a, b], [c, d]]) => `M${n2(x + a)} ${n2(y + b)} L${n2(x + c)} ${n2(y + d)}`).join(" ");
  switch (shape) {
    case 0:
      return `<circle class="${cls}" cx="${n2(x)}" cy="${n2(y)}" r="${r}"/>`;
    case 1:
      return `<rect class="${cls}" x="${n2(x - r)}" y="${n2(y - r)}" width="${2 * r}" height="${2 * r}"/>`;
    case 2:
      return `<polygon class="${cls}" points="${pts([[0, -r - 1], [r + 1, r], [-r - 1, r]])}"/>`;
    case 3:
      return `<polygon class="${cls}" points="${pts([[0, -r - 1], [r + 1, 0], [0, r + 1], [-r - 1, 0]])}"/>`;
    case 4:
      return `<polygon class="${cls}" points="${pts([[0, r + 1], [r + 1, -r], [-r - 1, -r]])}"/>`;
    case 5:
      return `<path class="${cls}" stroke-width="2.5" d="${
        path([[[-r - 1, 0], [r + 1, 0]], [[0, -r - 1], [0, r + 1]]])
      }"/>`;
    default:
      return `<path class="${cls}" stroke-width="2.5" d="${
        path([[[-r, -r], [r, r]], [[-r, r], [r, -r]]])
      }"/>`;
  }
}

/** Round tick step of about (hi − lo) / 6: 1, 2 or 5 times a power of ten. */
function niceStep(span: number): number {
  const raw = span / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

function panel(group: Group, top: number, width: number, height: number, metric: Metric): string[] {
  const names = group.rows.map((r) => short(r.method));
  const legendWidth = Math.min(220, Math.max(110, 36 + Math.max(...names.map((s) => textWidth(s)))));
  const box = { left: 64, right: width - legendWidth - 20, top: top + 46, bottom: top + height - 58 };
  const out: string[] = [];

  // y: accuracy in percent, covering every error bar, on round ticks within [0, 100], at least 2 points
  // tall; the axis ends 8 px inside the frame so that markers at 0 % or 100 % are not cut by it.
  const cells = group.rows.flatMap((r) => r.cells.filter((c) => c !== undefined));
  let lo = Math.max(0, Math.min(...cells.map((c) => c.mean - c.std)));
  let hi = Math.min(100, Math.max(...cells.map((c) => c.mean + c.std)));
  if (hi - lo < 2) {
    const mid = Math.min(99, Math.max(1, (lo + hi) / 2));
    [lo, hi] = [mid - 1, mid + 1];
  }
  const step = niceStep(hi - lo);
  lo = Math.max(0, Math.floor(lo / step) * step);
  hi = Math.min(100, Math.ceil(hi / step) * step);
  const inset = 8;
  const y = (v: number) =>
    box.bottom - inset -
    (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo) * (box.bottom - box.top - 2 * inset);

  // x: log10 of the fraction, padded so that the outermost markers clear the frame.
  const logs = group.fractions.map(Math.log10);
  const span = logs[logs.length - 1] - logs[0];
  const pad = Math.max(0.15, 0.06 * span);
  const [xlo, xhi] = [logs[0] - pad, logs[logs.length - 1] + pad];
  const x = (f: number) => box.left + (Math.log10(f) - xlo) / (xhi - xlo) * (box.right - box.left);

  out.push(
    `<text x="${n2(width / 2)}" y="${top + 26}" text-anchor="middle" font-size="15" font-weight="bold">` +
      `${esc(group.title)}</text>`,
  );
  out.push(`<g class="grid" stroke="#e4e4e4" stroke-width="1">`);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (let v = lo; v <= hi + step / 1e6; v += step) {
    out.push(`<line x1="${box.left}" y1="${n2(y(v))}" x2="${n2(box.right)}" y2="${n2(y(v))}"/>`);
  }
  for (const f of group.fractions) {
    out.push(`<line x1="${n2(x(f))}" y1="${box.top}" x2="${n2(x(f))}" y2="${box.bottom}"/>`);
  }
  out.push(`</g>`);
  out.push(
    `<rect x="${box.left}" y="${box.top}" width="${n2(box.right - box.left)}" height="${
      box.bottom - box.top
    }" ` +
      `fill="none" stroke="#444"/>`,
  );
  out.push(`<g class="y-ticks" font-size="${FONT - 1}" text-anchor="end">`);
  for (let v = lo; v <= hi + step / 1e6; v += step) {
    out.push(`<text x="${box.left - 6}" y="${n2(y(v) + 4)}">${v.toFixed(decimals)}</text>`);
  }
  out.push(`</g>`, `<g class="x-ticks" font-size="${FONT - 1}" text-anchor="middle">`);
  let lastRight = -Infinity; // close fractions (50 %, 60 %) would print over each other: skip those labels
  for (const f of group.fractions) {
    const label = percentLabel(f);
    const half = textWidth(label, FONT - 1) / 2;
    out.push(
      `<line x1="${n2(x(f))}" y1="${box.bottom}" x2="${n2(x(f))}" y2="${box.bottom + 4}" stroke="#444"/>`,
    );
    if (x(f) - half < lastRight + 4) continue;
    out.push(`<text x="${n2(x(f))}" y="${box.bottom + 18}">${esc(label)}</text>`);
    lastRight = x(f) + half;
  }
  out.push(`</g>`);
  const midX = (box.left + box.right) / 2;
  const midY = (box.top + box.bottom) / 2;
  out.push(
    `<text x="${n2(midX)}" y="${box.bottom + 42}" text-anchor="middle">` +
      `Coreset size (fraction of the training set, log scale)</text>`,
    `<text transform="translate(18 ${n2(midY)}) rotate(-90)" text-anchor="middle">` +
      `${metric === "best" ? "Best" : "Final"} test accuracy (%)</text>`,
  );

  group.rows.forEach((row, i) => {
    const { color, shape, dashed } = style(i);
    const points = row.cells.flatMap((c, j) => c ? [{ c, f: group.fractions[j] }] : []);
    out.push(`<g class="series" stroke="${color}" fill="${color}" data-method="${esc(row.method)}">`);
    out.push(
      `<polyline fill="none" stroke-width="1.8"${dashed ? ` stroke-dasharray="6 3"` : ""} points="` +
        points.map(({ c, f }) => `${n2(x(f))},${n2(y(c.mean))}`).join(" ") + `"/>`,
    );
    for (const { c, f } of points) {
      if (c.values.length < 2) continue;
      const [px, y1, y2] = [x(f), y(c.mean - c.std), y(c.mean + c.std)];
      const seg = (a: number, b: number, cc: number, d: number) => `M${n2(a)} ${n2(b)} L${n2(cc)} ${n2(d)}`;
      out.push(
        `<path class="errorbar" stroke-width="1.2" d="${seg(px, y1, px, y2)} ` +
          `${seg(px - 3, y1, px + 3, y1)} ${seg(px - 3, y2, px + 3, y2)}"/>`,
      );
    }
    for (const { c, f } of points) out.push(marker(shape, x(f), y(c.mean), "marker"));
    out.push(`</g>`);
  });

  // Legend beside the plot, in table order; rows shrink when many methods share the height.
  const lx = box.right + 16;
  const rowH = Math.min(20, (box.bottom - box.top) / Math.max(1, names.length));
  out.push(`<g class="legend" font-size="${FONT}">`);
  names.forEach((name, i) => {
    const { color, shape, dashed } = style(i);
    const ly = box.top + rowH * (i + 0.5);
    out.push(
      `<g stroke="${color}" fill="${color}">` +
        `<line x1="${n2(lx)}" y1="${n2(ly)}" x2="${n2(lx + 22)}" y2="${n2(ly)}" stroke-width="1.8"` +
        `${dashed ? ` stroke-dasharray="6 3"` : ""}/>${marker(shape, lx + 11, ly, "legend-marker")}</g>`,
      `<text x="${n2(lx + 28)}" y="${n2(ly + 4)}">${esc(name)}</text>`,
    );
  });
  out.push(`</g>`);
  return out;
}

/**
 * An SVG (standalone, SVG 1.1) of test accuracy against coreset fraction, like the paper's Figure 1:
 * fraction on a log axis ticked at the fractions present, accuracy in percent, one line with markers per
 * method through the means over experiments, ± sample-std error bars where there are two or more, a
 * legend, and one `width` × `panelHeight` panel per dataset and trained model, stacked vertically.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accuracyPlot } from "./plot_svg.ts";
 * import type { RunRecord } from "./results.ts";
 * const run = (method: string, fraction: number, bestAccuracy: number) =>
 *   ({ dataset: "CIFAR10", model: "ResNet18", method, fraction, bestAccuracy, options: {},
 *     coreset: { selectionSeconds: 1 }, training: { seconds: 10 } }) as RunRecord;
 * const runs = [run("Uniform", 0.01, 0.37), run("Uniform", 0.1, 0.76), run("Herding", 0.01, 0.35)];
 * const svg = accuracyPlot({ version: 1, command: "", started: "", runs });
 * assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" version="1.1" width="640" height="420"/);
 * assert.equal(svg.match(/<polyline/g)?.length, 2);
 * ```
 */
export function accuracyPlot(file: ResultsFile, options: PlotOptions = {}): string {
  const metric = options.metric ?? "best";
  const width = options.width ?? 640;
  const height = options.panelHeight ?? 420;
  const groups = summarize(file, metric);
  const total = height * Math.max(1, groups.length);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${total}" ` +
    `viewBox="0 0 ${width} ${total}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT}">`,
    `<title>Test accuracy against coreset fraction</title>`,
    `<rect x="0" y="0" width="${width}" height="${total}" fill="#ffffff"/>`,
  ];
  if (groups.length === 0) {
    out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">No runs yet.</text>`);
  }
  groups.forEach((g, k) => out.push(...panel(g, k * height, width, height, metric)));
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
