import assert from "node:assert/strict";
import { ready } from "../../kernels/runtime/runtime.ts";
import { readAll, upload } from "../../kernels/runtime/tensor.ts";
import {
  type GreedyOptimizer,
  sampleRanks,
  type SubmodularFunction,
  submodularGreedy,
  type SubmodularGreedyOptions,
} from "../../kernels/submodular.ts";
import { greedyMaximize } from "../../selectors/reference/greedy.ts";
import { CounterRng, partialShuffle } from "../../selectors/reference/rng.ts";
import {
  CosineSimilarity,
  FacilityLocation,
  GraphCut,
  LogDeterminant,
  type Similarity,
} from "../../selectors/reference/submodular_functions.ts";
import { randomArray } from "./util.ts";

await ready();

const FNS: SubmodularFunction[] = ["FacilityLocation", "GraphCut", "LogDeterminant"];
const GREEDIES: GreedyOptimizer[] = [
  "NaiveGreedy",
  "LazyGreedy",
  "StochasticGreedy",
  "ApproximateLazyGreedy",
];

/**
 * The reference's cosine similarity with the diagonal exactly 1 (0.5 for a zero row), as on the GPU: in
 * float64, s(i, i) comes out as 1 − 2⁻⁵³ for ~9 % of rows, which decides LogDeterminant's all-tied first
 * step by rounding noise.
 */
function cosine(x: Float32Array, m: number, d: number): Similarity {
  const s = new CosineSimilarity({ data: x, rows: m, cols: d });
  const zero = Array.from({ length: m }, (_, i) => x.subarray(i * d, (i + 1) * d).every((v) => v === 0));
  return { size: m, sim: (i, j) => (i === j ? (zero[i] ? 0.5 : 1) : s.sim(i, j)) };
}

/** The sparse similarity of `{knn: K}`: s'(i, j) = s(i, j) if i is among the K rows most similar to j. */
function knnSimilarity(s: Similarity, K: number): Similarity {
  const m = s.size;
  const members = Array.from({ length: m }, (_, j) => {
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => s.sim(b, j) - s.sim(a, j) || a - b);
    return new Set(order.slice(0, K));
  });
  return { size: m, sim: (i, j) => (members[j]!.has(i) ? s.sim(i, j) : 0) };
}

/** What the reference selectors pick with the same options. */
function reference(x: Float32Array, m: number, d: number, k: number, o: SubmodularGreedyOptions): number[] {
  let s = cosine(x, m, d);
  if (typeof o.similarity === "object") s = knnSimilarity(s, o.similarity.knn);
  const f = o.fn === "FacilityLocation"
    ? new FacilityLocation(s)
    : o.fn === "LogDeterminant"
    ? new LogDeterminant(s, o.ridge)
    : new GraphCut(s, o.lambda);
  const rng = new CounterRng(o.seed ?? 0, o.stream ?? 0);
  return [...greedyMaximize(o.greedy!, f, k, { rng, epsilon: o.epsilon, beta: o.beta })];
}

async function gpu(x: Float32Array, m: number, d: number, k: number, o: SubmodularGreedyOptions) {
  const t = upload(x, [m, d]);
  const [picks] = await readAll([submodularGreedy(t, k, o)]);
  t.dispose();
  return [...picks!];
}

/** Every function × optimiser × similarity on one input (LogDeterminant: budget within the rank d + 1). */
async function checkAll(
  m: number,
  d: number,
  budgets: number[],
  extra: SubmodularGreedyOptions = {},
  sims: ("dense" | "onthefly")[] = ["dense", "onthefly"],
  seed = m + d,
) {
  const x = randomArray(m * d, seed);
  for (const fn of FNS) {
    for (const greedy of GREEDIES) {
      for (const k of budgets) {
        const o: SubmodularGreedyOptions = { fn, greedy, ...extra };
        const want = reference(x, m, d, k, o);
        for (const similarity of sims) {
          const got = await gpu(x, m, d, k, { ...o, similarity });
          assert.deepEqual(
            got,
            want,
            `${fn} ${greedy} ${similarity} m=${m} d=${d} k=${k} ${JSON.stringify(extra)}`,
          );
        }
      }
    }
  }
}

Deno.test("every function × optimiser, dense and on the fly, picks what the reference picks", async () => {
  await checkAll(300, 16, [1, 6, 15]);
});

Deno.test("budget m: every candidate, gains turning negative (GraphCut) and LogDeterminant past its rank", async () => {
  // LogDeterminant beyond the rank d + 1 needs a ridge large enough for float32 (see the module comment).
  await checkAll(64, 8, [64], { ridge: 0.3 });
});

Deno.test("tiny ground sets: one, two and three rows", async () => {
  await checkAll(1, 3, [1]);
  await checkAll(2, 1, [2], { ridge: 0.3 });
  await checkAll(3, 5, [3], { ridge: 0.3 });
});

Deno.test("windows: similarity rows, feature rows and Cholesky rows split over small bindings", async () => {
  // 4 KiB bindings: 8-row windows of the dense matrix (scalar loads: d = 7, 8-row chunks); 1 KiB: 16-row
  // feature windows and 21-row windows of Cholesky rows.
  await checkAll(80, 7, [1, 9], { maxBindingBytes: 4096 }, ["dense"]);
  await checkAll(80, 7, [9], { maxBindingBytes: 1024 }, ["onthefly"]);
  await checkAll(200, 12, [12], { maxBindingBytes: 4096 }, ["onthefly"]); // 64-row windows, vec4 loads
});

Deno.test("dense facility location past one fill tile (512 rows): vec4 and scalar rows, every optimiser", async () => {
  // m = 1100 fills three row tiles, each mirrored into the rows below it; m = 601 reads rows as scalars.
  for (const [m, d, seed] of [[1100, 8, 3], [601, 6, 4]] as const) {
    const x = randomArray(m * d, seed);
    for (const greedy of GREEDIES) {
      const o: SubmodularGreedyOptions = { fn: "FacilityLocation", greedy, similarity: "dense" };
      assert.deepEqual(await gpu(x, m, d, 6, o), reference(x, m, d, 6, o), `${greedy} m=${m}`);
    }
  }
});

Deno.test("facility location on the fly past 8 raised rows a block, and dense, pick what the reference picks", async () => {
  const [m, d, k] = [700, 16, 40];
  const x = randomArray(m * d, 5);
  for (const greedy of ["LazyGreedy", "ApproximateLazyGreedy"] as const) {
    const o: SubmodularGreedyOptions = { fn: "FacilityLocation", greedy };
    const want = reference(x, m, d, k, o);
    for (const similarity of ["onthefly", "dense"] as const) {
      assert.deepEqual(await gpu(x, m, d, k, { ...o, similarity }), want, `${greedy} ${similarity}`);
    }
  }
});

Deno.test("GraphCut's λ, ApproximateLazyGreedy's β and StochasticGreedy's ε, seed and stream", async () => {
  const [m, d] = [150, 10];
  const x = randomArray(m * d, 11);
  const cases: SubmodularGreedyOptions[] = [
    { fn: "GraphCut", greedy: "LazyGreedy", lambda: 3 },
    { fn: "GraphCut", greedy: "ApproximateLazyGreedy", beta: 0.5 },
    { fn: "FacilityLocation", greedy: "ApproximateLazyGreedy", beta: 0.6 },
    { fn: "FacilityLocation", greedy: "StochasticGreedy", epsilon: 0.3, seed: 7, stream: 3 },
    { fn: "LogDeterminant", greedy: "StochasticGreedy", epsilon: 0.05, seed: 2 ** 32 - 1, ridge: 1e-3 },
  ];
  for (const o of cases) {
    assert.deepEqual(await gpu(x, m, d, 10, o), reference(x, m, d, 10, o), JSON.stringify(o));
  }
  const a = await gpu(x, m, d, 10, { fn: "GraphCut", greedy: "StochasticGreedy", seed: 1 });
  const b = await gpu(x, m, d, 10, { fn: "GraphCut", greedy: "StochasticGreedy", seed: 2 });
  assert.notDeepEqual(a, b);
});

Deno.test("zero rows have similarity 0.5 with everything, themselves included", async () => {
  const [m, d] = [60, 6];
  const x = randomArray(m * d, 3);
  for (const row of [0, 17, 41]) x.fill(0, row * d, (row + 1) * d);
  for (const fn of FNS) {
    const o: SubmodularGreedyOptions = { fn, greedy: "LazyGreedy" };
    for (const similarity of ["dense", "onthefly"] as const) {
      assert.deepEqual(
        await gpu(x, m, d, 6, { ...o, similarity }),
        reference(x, m, d, 6, o),
        `${fn} ${similarity}`,
      );
    }
  }
});

Deno.test("kNN facility location picks what the reference picks on the same sparse objective", async () => {
  const [m, d] = [180, 9];
  const x = randomArray(m * d, 21);
  for (const K of [1, 6, 180]) {
    for (const greedy of GREEDIES) {
      const o: SubmodularGreedyOptions = { fn: "FacilityLocation", greedy, similarity: { knn: K } };
      assert.deepEqual(await gpu(x, m, d, 20, o), reference(x, m, d, 20, o), `K=${K} ${greedy}`);
    }
  }
  // Tiles of 5 rows (4 KiB bindings) instead of one.
  const o: SubmodularGreedyOptions = { fn: "FacilityLocation", greedy: "LazyGreedy", similarity: { knn: 6 } };
  assert.deepEqual(await gpu(x, m, d, 20, { ...o, maxBindingBytes: 4096 }), reference(x, m, d, 20, o));
});

Deno.test("the sample ranks are the reference's partial Fisher–Yates draws", () => {
  const [m, k, epsilon] = [40, 6, 0.2];
  const { size, ranks } = sampleRanks(m, k, epsilon, 5, 1);
  assert.equal(size, Math.ceil((m / k) * Math.log(1 / epsilon)));
  const rng = new CounterRng(5, 1);
  for (let t = 0; t < k; t++) {
    const pool = Int32Array.from({ length: m - t }, (_, i) => i); // ranks: positions among the unpicked
    partialShuffle(rng, pool, Math.min(size, m - t));
    assert.deepEqual([...ranks.subarray(t * size, (t + 1) * size)], [...pool.subarray(0, size)]);
  }
});

Deno.test("budget 0 gives nothing; bad options are refused with what to do", async () => {
  const x = upload(randomArray(40, 1), [10, 4]);
  assert.equal((await readAll([submodularGreedy(x, 0, { fn: "FacilityLocation" })]))[0]!.length, 0);
  assert.throws(() => submodularGreedy(x, 11), /budget 11 not in 0\.\.10/);
  assert.throws(
    () => submodularGreedy(x, 2, { fn: "Entropy" as SubmodularFunction }),
    /unknown fn "Entropy"/,
  );
  assert.throws(() => submodularGreedy(x, 2, { greedy: "Greedy" as GreedyOptimizer }), /unknown greedy/);
  assert.throws(
    () => submodularGreedy(x, 2, { fn: "GraphCut", similarity: { knn: 3 } }),
    /FacilityLocation only/,
  );
  assert.throws(
    () => submodularGreedy(x, 2, { similarity: { knn: 11 } }),
    /knn must be an integer in 1\.\.10/,
  );
  assert.throws(() => submodularGreedy(x, 2, { epsilon: 1 }), /epsilon must be in \(0, 1\)/);
  assert.throws(
    () => submodularGreedy(x, 2, { similarity: "dense", memoryBudgetBytes: 100 }),
    /400 bytes, over memoryBudgetBytes = 100; use similarity "onthefly" or \{knn: K\}/,
  );
  // Past the budget, the default is on the fly, with the same picks.
  const o: SubmodularGreedyOptions = { fn: "FacilityLocation", greedy: "NaiveGreedy" };
  const [dense, small] = await readAll([
    submodularGreedy(x, 4, o),
    submodularGreedy(x, 4, { ...o, memoryBudgetBytes: 100 }),
  ]);
  assert.deepEqual([...small!], [...dense!]);
  x.dispose();
});
