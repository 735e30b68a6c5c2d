/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import {freshCopy} from '../util/fresh_copy';

/**
 * The weights a layer sampled from its controls, kept between inference calls (predict, evaluate): sampling costs
 * about as much as the matMul or convolution it feeds, and a weight tensor that stays the same lets a backend reuse
 * what it derived from it (wasm's XNNPACK keeps its packing per weight tensor).
 *
 * An entry is valid while every source variable holds the data it held (an optimizer step, `setWeights` and
 * `assign` give a variable new data, so they invalidate it) and the sampling key (the widths) is the same. While
 * gradients are recorded nothing is cached: training samples afresh, so gradients reach the controls.
 */
export class SampledWeightCache {
  private sources: object[] = [];
  private key = '';
  private weights: tf.Tensor[] = [];

  /**
   * The weights sampled from `sources` under `key`: the kept ones when still valid, else `sample()`'s, kept for the
   * next call (the previous ones are disposed). Returns null while gradients are recorded.
   */
  get(sources: tf.Variable[], key: string, sample: () => tf.Tensor[]): tf.Tensor[]|null {
    if (tf.engine().isTapeOn()) return null;
    const ids = sources.map(v => v.dataId);
    const valid = this.key === key && ids.length === this.sources.length && ids.every((id, i) => id === this.sources[i]) &&
        this.weights.every(w => !w.isDisposed);
    if (!valid) {
      this.dispose();
      this.weights = tf.tidy(() => sample().map(freshCopy)).map(w => tf.keep(w));
      this.sources = ids;
      this.key = key;
    }
    return this.weights;
  }

  /** Frees the kept weights once the layer that owns them is freed (`result` is its `Layer.dispose()`'s). */
  releaseWith<T extends {refCountAfterDispose: number}>(result: T): T {
    if (result.refCountAfterDispose === 0) this.dispose();
    return result;
  }

  /** Frees the kept weights. */
  dispose() {
    tf.dispose(this.weights);
    this.weights = [];
    this.sources = [];
    this.key = '';
  }
}
