/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The calibration inputs held out to judge a fit, and the whole network judged on them against the reference.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../converter/topology';
import {fromHost, HostBatch} from './activation_cache';
import {distillLoss} from './distill_options';
import {logitsModel} from './logits';

/** Whether batch `b` of `batches` is held out: every fourth, from 4 batches on (none below). */
export const isHeldOut = (b: number, batches: number) => batches >= 4 && b % 4 === 3;

/**
 * The reference's outputs on the held-out calibration inputs, against which a whole narrow network is scored by the
 * distillation loss ({@link distillLoss}: a classifier's logits by softmax cross-entropy, other outputs by mean
 * squared difference).
 */
export class HeldOutOutputs {
  private constructor(private readonly inputs: HostBatch[], private readonly targets: tf.Tensor[],
                      private readonly kind: 'kl'|'mse') {}

  /** The held-out batches of `inputs` and `reference`'s outputs on them (null when nothing is held out). */
  static of(reference: tfl.LayersModel, inputs: HostBatch[]): HeldOutOutputs|null {
    const held = inputs.filter((_, b) => isHeldOut(b, inputs.length));
    if (held.length === 0) return null;
    const teacher = logitsModel(reference);
    try {
      const targets = held.map(batch => tf.tidy(() => teacher.model.predict(fromHost(batch)) as tf.Tensor));
      return new HeldOutOutputs(held, targets, teacher.classifier ? 'kl' : 'mse');
    } finally {
      disposeModel(teacher.model);
    }
  }

  /** The mean distillation loss of `network` (same inputs and outputs as the reference) on the held-out inputs. */
  async lossOf(network: tfl.LayersModel): Promise<number> {
    const student = logitsModel(network);
    try {
      let sum = 0, rows = 0;
      for (const [b, batch] of this.inputs.entries()) {
        const loss = tf.tidy(() => distillLoss(student.model.predict(fromHost(batch)) as tf.Tensor, this.targets[b],
                                               this.kind, 1));
        sum += (await loss.data())[0] * batch.shape[0];
        rows += batch.shape[0];
        loss.dispose();
      }
      return sum / rows;
    } finally {
      disposeModel(student.model);
    }
  }

  /** Frees the reference's outputs. */
  dispose() {
    tf.dispose(this.targets);
  }
}
