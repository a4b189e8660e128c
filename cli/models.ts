/**
 * `deepcore models`: every network with its trainable-parameter count for each input shape DeepCore
 * uses (1×28×28 and 3×32×32 with 10 classes, 3×32×32 with 100, 3×224×224 with 1000), one line each:
 * `MODEL  CxHxW  PARAMS`.
 *
 * @module
 */

import { ready } from "../kernels/runtime/runtime.ts";
import { MODELS } from "../models/registry.ts";

const SHAPES: [number, number, number][] = [[1, 28, 10], [3, 32, 10], [3, 32, 100], [3, 224, 1000]];

/** Runs `models`; returns the exit code. */
export async function modelsCommand(_args: string[]): Promise<number> {
  await ready();
  for (const model of MODELS) {
    for (const [channels, size, numClasses] of SHAPES) {
      let count: string;
      try {
        const net = model.build({ channels, imageSize: [size, size], numClasses, seed: 0 });
        count = String(net.parameterCount);
        for (const s of net.state) s.value.dispose();
      } catch (e) {
        count = `unsupported (${(e as Error).message})`;
      }
      console.log(
        `${model.name.padEnd(18)} ${`${channels}x${size}x${size}`.padEnd(10)} ${count}${
          numClasses === 10 ? "" : `  (C = ${numClasses})`
        }`,
      );
    }
  }
  return 0;
}
