/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Label-free distillation at fixed widths (docs/api.md §6): the narrow network, as stock layers, trained to
// reproduce its teacher's outputs on unlabeled inputs.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {copyWeightsByName, disposeModel, layersByName} from '../converter/topology';
import {shuffledOrder} from '../util/random';
import {CheckedDistillOptions, distillLoss} from './distill_options';
import {checkInputData, forEachBatch, InputData, InputSpec} from './input_data';
import {logitsModel} from './logits';
import {Refit} from './refit';

/** A learning-rate schedule: the rate for step `step` of `steps` (null: unknown), epoch `epoch` of `epochs`. */
export function learningRateAt(o: CheckedDistillOptions, step: number, steps: number|null, epoch: number): number {
  if (o.schedule === 'constant') return o.learningRate;
  const progress = steps != null ? step / steps : epoch / o.epochs;
  return 0.5 * o.learningRate * (1 + Math.cos(Math.PI * progress));
}

/** Sets Adam's learning rate for the next step (tfjs reads the field at every step). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number) {
  (optimizer as unknown as {learningRate: number}).learningRate = rate;
}

/** The input spec of a single-input model. */
export const inputSpecOf = (model: tfl.LayersModel): InputSpec =>
    ({shape: model.inputs[0].shape.slice(1), dtype: model.inputs[0].dtype});

/** The teacher's outputs on all of `x`, predicted in batches of 256. */
function predictAll(teacher: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < x.shape[0]; start += 256) {
      parts.push(tf.tidy(() => teacher.predict(tf.slice(x, start, Math.min(256, x.shape[0] - start))) as tf.Tensor));
    }
    return tf.concat(parts);
  } finally {
    tf.dispose(parts);
  }
}

/** The model distillation imitates, and, for the reference network, where its outputs on a training set are kept. */
export interface Teacher {
  /** The teacher's logits (or outputs) model. */
  model: tfl.LayersModel;
  /** Keeps `compute()`'s outputs for `x` beyond this distillation (the reference network's cache); else none. */
  keep?: (x: tf.Tensor, compute: () => tf.Tensor) => tf.Tensor;
}

/** One step's data: inputs and the teacher's outputs for them (the caller disposes both). */
export type DistillBatch = {x: tf.Tensor, targets: tf.Tensor};

/** Inputs held out of a distillation on a tensor, to check that the training helped: at most this many. */
const MAX_HELD_OUT = 512;

/**
 * The data of one distillation: the inputs and the teacher's outputs on them (for a tensor within
 * `o.teacherCacheBytes`, predicted once for all epochs, and kept by the reference network for later distillations
 * on the same tensor), and for a tensor with `o.validation`, a held-out sixteenth of its inputs (at most 512, fixed
 * by the seed) that training does not see.
 */
export class DistillData {
  /** Inputs of a tensor that training does not see (null: none). */
  readonly heldOut: Int32Array|null;
  private readonly training: Int32Array|null;

  private constructor(private readonly data: InputData, private readonly input: InputSpec,
                      private readonly teacher: tfl.LayersModel, private readonly cache: tf.Tensor|null,
                      private readonly ownsCache: boolean, private readonly o: CheckedDistillOptions) {
    if (!(data instanceof tf.Tensor)) {
      [this.heldOut, this.training] = [null, null];
      return;
    }
    const n = data.shape[0];
    const held = o.validation ? Math.min(MAX_HELD_OUT, Math.floor(n / 16)) : 0;
    const order = shuffledOrder(n, o.seed * 7919);
    this.heldOut = held > 0 ? order.slice(0, held).sort() : null;
    this.training = held > 0 ? order.slice(held).sort() : Int32Array.from({length: n}, (_, i) => i);
  }

  /** Opens `data` for distillation toward `source` (which may keep its outputs on a tensor). */
  static open(data: InputData, input: InputSpec, source: Teacher, o: CheckedDistillOptions): DistillData {
    const teacher = source.model;
    const outputSize = teacher.outputs[0].shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
    const fits = data instanceof tf.Tensor && data.shape[0] * outputSize * 4 <= o.teacherCacheBytes;
    const cache = !fits ? null : source.keep != null ?
        source.keep(data as tf.Tensor, () => predictAll(teacher, data as tf.Tensor)) : predictAll(teacher, data as tf.Tensor);
    return new DistillData(data, input, teacher, cache, fits && source.keep == null, o);
  }

  /** The inputs at `indices` of a tensor and the teacher's outputs on them (the caller disposes both). */
  batchAt(indices: Int32Array): DistillBatch {
    return tf.tidy(() => {
      const at = tf.tensor1d(indices, 'int32');
      const x = tf.gather(this.data as tf.Tensor, at);
      return {x, targets: this.cache != null ? tf.gather(this.cache, at) : this.teacher.predict(x) as tf.Tensor};
    });
  }

  /**
   * Calls `step` on every batch of every epoch, a tensor's training inputs reshuffled each epoch (seeded), a
   * dataset's streamed in its order; stops after a batch when `o.signal` is aborted. `step` resolves to the batch's
   * loss; progress and callbacks are reported.
   */
  async forEach(step: (batch: DistillBatch, rate: number) => Promise<number>) {
    const o = this.o;
    const n = this.training?.length ?? null;
    const batches = n == null ? null : Math.ceil(n / o.batchSize);
    let seen = 0, stepIndex = 0;
    const yieldEvery = new EventLoopYield(YIELD_MS);
    for (let epoch = 0; epoch < o.epochs && !o.signal?.aborted; epoch++) {
      let batch = 0, lossSum = 0;
      const run = async (b: DistillBatch) => {
        const rate = learningRateAt(o, stepIndex++, batches == null ? null : batches * o.epochs, epoch);
        const loss = await step(b, rate);
        lossSum += loss;
        seen += b.x.shape[0];
        const progress = {epoch, batch: batch++, batches, loss, seen};
        o.onProgress?.(progress);
        await o.callbacks?.onBatchEnd?.(progress);
        await yieldEvery.next();
      };
      if (this.training != null) {
        const shuffle = o.shuffle ? shuffledOrder(n!, o.seed * 1000 + epoch) : null;
        const order = shuffle == null ? this.training : shuffle.map(i => this.training![i]);
        for (let start = 0; start < n! && !o.signal?.aborted; start += o.batchSize) {
          const b = this.batchAt(order.subarray(start, Math.min(n!, start + o.batchSize)));
          try {
            await run(b);
          } finally {
            tf.dispose([b.x, b.targets]);
          }
        }
      } else {
        await forEachBatch(this.data, this.input, o.batchSize, 'distill', async x => {
          if (o.signal?.aborted) return;
          const targets = tf.tidy(() => this.teacher.predict(x) as tf.Tensor);
          try {
            await run({x, targets});
          } finally {
            targets.dispose();
          }
        });
      }
      await o.callbacks?.onEpochEnd?.(epoch, {loss: lossSum / Math.max(batch, 1)});
    }
  }

  /** Frees the teacher's outputs unless the reference keeps them. */
  dispose() {
    if (this.ownsCache) this.cache?.dispose();
  }
}

/**
 * Milliseconds of training between two returns to the event loop: on backends whose reads resolve at once (cpu, wasm)
 * a training loop would otherwise hold a page's clicks (an abort) and paints until it ends, as tfjs's `fit` avoids
 * with `yieldEvery`.
 */
const YIELD_MS = 100;

/** Returns to the event loop (a macrotask) when `interval` milliseconds have passed since it last did. */
class EventLoopYield {
  private last = performance.now();

  constructor(private readonly interval: number) {}

  async next(): Promise<void> {
    if (performance.now() - this.last < this.interval) return;
    await new Promise(resolve => setTimeout(resolve, 0));
    this.last = performance.now();
  }
}

/** The student against its teacher on held-out inputs: its loss, and (a classifier) 1 where their top-1 agree. */
interface HeldOutGap {
  loss: number;
  agrees: Int32Array|null;
}

/** Held-out inputs below which top-1 flips cannot be significant: the loss decides among them too. */
const FEW_HELD_OUT = 64;

/**
 * Whether training took the student farther from its teacher on the held-out inputs. A classifier: significantly more
 * top-1 disagreements (McNemar's test at two standard deviations on the inputs where the two differ: a few flips
 * are noise, and its loss may rise while its accuracy does too); on fewer than {@link FEW_HELD_OUT} inputs, where
 * that test has little power, also a net loss of agreement on more than a quarter of them. Otherwise a higher loss.
 */
function fartherFromTeacher(after: HeldOutGap, before: HeldOutGap): boolean {
  if (after.agrees == null || before.agrees == null) return after.loss > before.loss;
  let lost = 0, won = 0;
  after.agrees.forEach((a, i) => {
    if (a < before.agrees![i]) lost++;
    if (a > before.agrees![i]) won++;
  });
  const few = after.agrees.length < FEW_HELD_OUT;
  return lost - won > 2 * Math.sqrt(lost + won) || (few && lost - won > after.agrees.length / 4);
}

/**
 * Trains the stock model `student` in place (every trainable weight, Adam) to reproduce `teacher`'s outputs on the
 * unlabeled `data`: their logits compared by softmax cross-entropy at `temperature` for classifiers, their outputs by
 * mean squared difference otherwise (`o.loss`).
 */
export async function distillStock(student: tfl.LayersModel, teacher: tfl.LayersModel, data: InputData,
                                   o: CheckedDistillOptions, keep?: Teacher['keep']): Promise<void> {
  const input = inputSpecOf(student);
  await checkInputData(data, input, 'distill');
  const s = logitsModel(student), t = logitsModel(teacher);
  const kind = o.loss !== 'auto' ? o.loss : s.classifier && t.classifier ? 'kl' : 'mse';
  const optimizer = tf.train.adam(o.learningRate);
  const distillData = DistillData.open(data, input, {model: t.model, keep}, o);
  // How the student stands against its teacher on the held-out inputs: whether it agrees on each one's top class
  // (a classifier), and its loss.
  const heldOutGap = async (): Promise<HeldOutGap> => {
    const b = distillData.batchAt(distillData.heldOut!);
    const [loss, agrees] = tf.tidy(() => {
      const y = s.model.predict(b.x) as tf.Tensor;
      return [distillLoss(y, b.targets, kind, o.temperature),
              kind === 'kl' ? tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(b.targets, -1)), 'int32') : null];
    });
    const gap = {loss: (await loss.data())[0], agrees: agrees != null ? await agrees.data() as Int32Array : null};
    tf.dispose([loss, b.x, b.targets, ...(agrees != null ? [agrees] : [])]);
    return gap;
  };
  try {
    const before = distillData.heldOut != null ? await heldOutGap() : null;
    const variables = s.model.trainableWeights.map(w => w.read() as tf.Variable);
    await distillData.forEach(async ({x, targets}, rate) => {
      setLearningRate(optimizer, rate);
      const cost = optimizer.minimize(
          () => distillLoss(s.model.apply(x, {training: true}) as tf.Tensor, targets, kind, o.temperature), true,
          variables)!;
      const loss = (await cost.data())[0];
      cost.dispose();
      return loss;
    });
    // Kept only where it helps: the held-out inputs judge (the student keeps its weights otherwise).
    if (before == null || !fartherFromTeacher(await heldOutGap(), before)) copyWeightsByName(s.model, student);
  } finally {
    distillData.dispose();
    optimizer.dispose();
    disposeModel(s.model);
    disposeModel(t.model);
  }
}

/** The stock model of a teacher option (an IntegralModel is exported at its widths; the caller disposes it). */
export function teacherModel(teacher: CheckedDistillOptions['teacher'], reference: tfl.LayersModel):
    {model: tfl.LayersModel, owned: boolean} {
  if (teacher == null) return {model: reference, owned: false};
  if (teacher instanceof tfl.LayersModel) return {model: teacher, owned: false};
  return {model: teacher.toLayersModel(), owned: true};
}

/** Distillation at the model's widths as a re-fit: every layer with trainable weights changes. */
export function distillRefit(x: InputData, o: CheckedDistillOptions): Refit {
  return {
    async run(context) {
      const teacher = teacherModel(o.teacher, context.reference);
      const keep = teacher.model === context.reference ?
          (t: tf.Tensor, compute: () => tf.Tensor) => context.referenceNetwork.outputsFor(t, compute) : undefined;
      try {
        await distillStock(context.narrow, teacher.model, x, o, keep);
      } finally {
        if (teacher.owned) disposeModel(teacher.model);
      }
      return {changed: new Set([...layersByName(context.narrow).values()].filter(l => l.trainableWeights.length > 0)
                                   .map(l => l.name))};
    },
  };
}
