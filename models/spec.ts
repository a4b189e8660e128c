/**
 * What a model is built for: the input it takes, the classes it predicts, the seed of its initial weights.
 *
 * @module
 */

/** The input and output a model is built for. */
export interface ModelSpec {
  /** Input channels (1 or 3). */
  channels: number;
  /** Input height and width. */
  imageSize: [number, number];
  /** Number of classes C. */
  numClasses: number;
  /** Seed of the initial weights (each parameter draws its own stream of it). */
  seed: number;
}
