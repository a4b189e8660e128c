/**
 * Flatten [B, …] → [B, ∏…] and back: a reshape, sharing the buffer.
 *
 * @module
 */

import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
import type { Layer, Mode, Param } from "./layer.ts";

/** See the module comment. */
export class Flatten implements Layer {
  /** None. */
  readonly params: Param[] = [];
  #shape: number[] = [];

  /** [B, …] → [B, ∏…]. */
  forward(x: tf.Tensor, _mode: Mode): tf.Tensor {
    this.#shape = x.shape;
    return tf.reshape(x, [x.shape[0]!, -1]);
  }

  /** dy [B, ∏…] → [B, …] in the shape of the last input. */
  backward(dy: tf.Tensor): tf.Tensor {
    return tf.reshape(dy, this.#shape);
  }
}
