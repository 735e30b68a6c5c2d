/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../converter/topology';

/** A LayersModel held by several owners, disposed when the last one lets it go. */
class Shared {
  private holders = 1;

  constructor(readonly model: tfl.LayersModel) {}

  /** True until the last holder released it. */
  get alive(): boolean {
    return this.holders > 0;
  }

  /** One more holder. */
  retain(): this {
    if (!this.alive) throw new Error('Error in IntegralModel: a network was used after it was disposed.');
    this.holders++;
    return this;
  }

  /** One holder fewer; the model is disposed with the last. */
  release() {
    if (!this.alive) return;
    if (--this.holders === 0) this.freed();
  }

  protected freed() {
    disposeModel(this.model);
  }
}

/**
 * The reference network (docs/calibration.md): the full-width function an IntegralModel was wrapped from or loaded
 * with, as a stock LayersModel. Every model derived from it (`resample`, `calibrate`, `distill`, `save` and load)
 * holds the same one; calibration and distillation aim at it.
 */
export class ReferenceNetwork extends Shared {
  /** The teacher outputs of the last tensor distilled on (see {@link outputsFor}). */
  private cached: {x: tf.Tensor, outputs: tf.Tensor}|null = null;

  /**
   * `compute()`'s outputs for the inputs `x`, kept for the next call with the same (undisposed) tensor: the
   * reference's outputs on a training set are computed once for every width distilled on it. One set is kept at a
   * time (the caller must not dispose it); it goes with the reference.
   */
  outputsFor(x: tf.Tensor, compute: () => tf.Tensor): tf.Tensor {
    if (this.cached?.x === x && !x.isDisposed && !this.cached.outputs.isDisposed) return this.cached.outputs;
    this.cached?.outputs.dispose();
    this.cached = {x, outputs: tf.keep(compute())};
    return this.cached.outputs;
  }

  protected override freed() {
    this.cached?.outputs.dispose();
    this.cached = null;
    super.freed();
  }
}

/**
 * The live network of integral layers of an IntegralModel, shared with the models resampled from it until they are
 * used on their own (see `IntegralModel.resample`). It holds its reference network.
 */
export class SharedNetwork extends Shared {
  /** Counts in-place changes of the weights (training): a view made before a change knows it is stale. */
  version = 0;
  /** Views that still count on these weights: they get copies before the weights change in place. */
  readonly views = new Set<{detach(): void}>();

  /**
   * `model` (owned from now on) with its reference network (retained). `pristine`: its controls are the reference's
   * function itself (a wrapped model, its resamples), not re-fitted or trained.
   */
  constructor(model: tfl.LayersModel, readonly reference: ReferenceNetwork, public pristine = false) {
    super(model);
    reference.retain();
  }

  /** Before the weights change in place: the views still counting on them take copies; later ones see the version. */
  beforeChange() {
    for (const view of [...this.views]) view.detach();
    this.version++;
    this.pristine = false;
  }

  protected override freed() {
    super.freed();
    this.reference.release();
  }
}
