import assert from "node:assert/strict";
import { inflateZlib, isGzip, maybeGunzip, readMaybeGzipped } from "../../../datasets/formats/gzip.ts";
import { compress, rejectsFormat } from "./fixtures.ts";

const plain = Uint8Array.from({ length: 5000 }, (_, i) => (i * i) & 255);

Deno.test("maybeGunzip: decompresses gzip and passes anything else through", async () => {
  const gz = await compress(plain, "gzip");
  assert.ok(isGzip(gz));
  assert.deepEqual(await maybeGunzip(gz, "a.gz"), plain);
  assert.equal(await maybeGunzip(plain, "a"), plain);
  const empty = new Uint8Array(0);
  assert.equal(await maybeGunzip(empty, "a"), empty);
});

Deno.test("maybeGunzip: truncated, corrupt and concatenated files are FormatErrors", async () => {
  const gz = await compress(plain, "gzip");
  await rejectsFormat(
    () => maybeGunzip(gz.subarray(0, gz.length - 10), "t.gz"),
    /^t\.gz at byte 0 \(gzip data\): .*truncated or corrupt/,
  );
  await rejectsFormat(() => maybeGunzip(gz.subarray(0, 2), "t.gz"), /t\.gz/);
  const flipped = gz.slice();
  flipped[gz.length - 6] ^= 0x40; // inside the CRC32 / size trailer
  await rejectsFormat(() => maybeGunzip(flipped, "f.gz"), /f\.gz.*gzip/);
  const twice = new Uint8Array(gz.length * 2);
  twice.set(gz);
  twice.set(gz, gz.length);
  await rejectsFormat(() => maybeGunzip(twice, "two.gz"), /single-member gzip/);
});

Deno.test("inflateZlib: round trip and corrupt data", async () => {
  const z = await compress(plain, "deflate");
  assert.deepEqual(await inflateZlib(z, "x.mat"), plain);
  const bad = z.slice();
  bad[0] = 0x00; // not a zlib header
  const e = await rejectsFormat(
    () => inflateZlib(bad, "x.mat", { offset: 136, context: "zlib data of the element at byte 128" }),
    /^x\.mat at byte 136 \(zlib data of the element at byte 128\): expected a complete zlib stream/,
  );
  assert.equal(e.offset, 136);
});

Deno.test("readMaybeGzipped: reads plain and gzipped files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a`, plain);
    await Deno.writeFile(`${dir}/a.gz`, await compress(plain, "gzip"));
    assert.deepEqual(await readMaybeGzipped(`${dir}/a`), plain);
    assert.deepEqual(await readMaybeGzipped(`${dir}/a.gz`), plain);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
