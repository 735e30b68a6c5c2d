/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The app's model work, without the page: a wrapped model at full width, the current resampled (and maybe
// calibrated) one, and measurements of the stock model it exports.
import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';

import type {Sample} from './samples';

/** A channel group as the page shows it. */
export interface GroupView {
  name: string;
  size: number;
  originalSize: number;
  continuous: boolean;
  /** Why a discrete group keeps its channels, or which groups a concatenation's width follows. */
  reason?: string;
  /** True for a group the user can resample (continuous and not the concatenation of others). */
  adjustable: boolean;
}

/** Quantization of the exported weights ('none': float32). */
export type ExportQuantization = 'none'|tfi.WeightQuantization;

/** What the stock model exported at the current widths costs and scores. */
export interface Score {
  params: number;
  /** Bytes of the saved model: model.json and weights, with the chosen quantization. */
  bytes: number;
  /** Multiply-adds per input. */
  flops: number;
  /** Top-1 accuracy on the scored inputs, or agreement with the full model's top-1 when they have no labels. */
  accuracy: number;
  /** The saved model (what a download gets), for measuring its latency on another backend. */
  artifacts: tf.io.ModelArtifacts;
}

/** Inputs per step of the app's distillation. */
const DISTILL_BATCH = 64;
/** Adam's starting rate of the app's distillation (a cosine decay over the epochs). */
const DISTILL_LEARNING_RATE = 1e-3;

/** Inputs per prediction when scoring and timing (one shape: a backend compiles its programs once per width). */
export const BATCH = 64;
/** Batches {@link ShrinkSession.latencyOn} times after the first (which compiles the backend's programs for new shapes). */
const TIMED_BATCHES = 2;

/** A wrapped model and the current resampled model derived from it. */
export class ShrinkSession {
  /** The model the session started from (a wrapped model at full width): every width is resampled from it. */
  readonly full: tfi.IntegralModel;
  /** The model at the chosen widths. */
  current: tfi.IntegralModel;
  /** Whether `current` was calibrated on the sample since its widths last changed. */
  calibrated = false;
  /** Epochs `current` was distilled on the sample since its widths last changed. */
  distilledEpochs = 0;
  /** What accuracy means here: 'accuracy' with labels, 'agreement' with the full model without. */
  readonly metric: 'accuracy'|'agreement';
  /** The classes the scored inputs should get: their labels, or the full model's top-1. */
  private readonly reference: Int32Array;

  private constructor(full: tfi.IntegralModel, readonly sample: Sample, reference: Int32Array, labelled: boolean) {
    this.full = full;
    this.current = full;
    this.reference = reference;
    this.metric = labelled ? 'accuracy' : 'agreement';
  }

  /**
   * Starts from `model`: a LayersModel is wrapped (and left untouched, to its caller), an IntegralModel is taken
   * over (the session disposes it). Prepares scoring on `sample` (by its labels, if it has them).
   */
  static async open(model: tf.LayersModel|tfi.IntegralModel, sample: Sample): Promise<ShrinkSession> {
    const full = model instanceof tfi.IntegralModel ? model : await tfi.wrapModel(model);
    try {
      const labels = sample.scoredLabels;
      return new ShrinkSession(full, sample, labels ?? await predictClasses(full, sample.scored), labels != null);
    } catch (e) {
      full.dispose();
      throw e;
    }
  }

  /** The groups at the current widths. */
  groups(): GroupView[] {
    return this.current.groups.map(g => ({
      name: g.name, size: g.size, originalSize: g.originalSize, continuous: g.continuous,
      reason: g.segments != null ? `its width is the sum of ${g.segments.join(', ')}` : g.reason,
      adjustable: g.continuous && g.segments == null,
    }));
  }

  /** Mean width of the adjustable groups, as a fraction of their original widths. */
  widthFraction(): number {
    const groups = this.groups().filter(g => g.adjustable);
    return groups.reduce((s, g) => s + g.size, 0) / Math.max(1, groups.reduce((s, g) => s + g.originalSize, 0));
  }

  /** Resamples the full model: `widths` by group name (channels), or one fraction of every continuous group. */
  resample(widths: number|Record<string, number>) {
    this.replace(this.full.resample(widths), false);
  }

  /**
   * Calibrates the current model on the sample's calibration inputs (docs/api.md §5). Calibration aims at the
   * reference network, so calibrating a calibrated model again changes nothing that matters.
   */
  async calibrate(onProgress?: (fraction: number) => void) {
    const calibrated = await this.current.calibrate(this.sample.calibration, {
      onProgress: p => onProgress?.((p.index + 1) / p.total),
    });
    this.replace(calibrated, true);
  }

  /**
   * Distills the current model on the sample's calibration inputs (docs/api.md §6), no labels: `epochs` passes, the
   * learning rate decaying by a cosine over them, `onEpoch` told each pass's accuracy on the scored inputs as it
   * improves. Stops after the current batch when `signal` is aborted, keeping what was trained so far.
   */
  async distill(epochs: number, signal: AbortSignal, onEpoch: (epoch: number, accuracy: number) => void,
                onBatch?: (fraction: number) => void) {
    const batches = Math.ceil(this.sample.calibration.shape[0] / DISTILL_BATCH);
    for (let epoch = 0; epoch < epochs && !signal.aborted; epoch++) {
      const learningRate = 0.5 * DISTILL_LEARNING_RATE * (1 + Math.cos(Math.PI * epoch / epochs));
      const next = await this.current.distill(this.sample.calibration, {
        epochs: 1, batchSize: DISTILL_BATCH, learningRate, schedule: 'constant', seed: epoch + 1, signal,
        onProgress: p => onBatch?.((epoch + (p.batch + 1) / batches) / epochs),
      });
      const done = this.distilledEpochs + 1;
      this.replace(next, this.calibrated);
      this.distilledEpochs = done;
      const stock = this.exported();
      try {
        const classes = await predictClasses(stock, this.sample.scored);
        onEpoch(epoch, classes.reduce((n, c, i) => n + (c === this.reference[i] ? 1 : 0), 0) / classes.length);
      } finally {
        stock.dispose();
      }
    }
  }

  /**
   * Searches per-group widths within `budget` of the full model's cost (scored by labels if the sample has them),
   * calibrating each candidate or only the result.
   */
  async search(budget: tfi.WidthBudget, calibrateCandidates: boolean): Promise<Record<string, number>> {
    const {model, widths} = await tfi.searchWidths(this.full, {
      budget, calibration: this.sample.calibration, labels: this.sample.calibrationLabels ?? undefined,
      calibrateCandidates,
    });
    this.replace(model, true);
    return widths;
  }

  /** The current model as a stock LayersModel (the caller disposes it). */
  exported(): tf.LayersModel {
    return this.current.toLayersModel();
  }

  /**
   * Scores the stock model exported at the current widths on the current backend: its cost, its saved size and its
   * accuracy on the scored inputs.
   */
  async score(quantization: ExportQuantization): Promise<Score> {
    const stock = this.exported();
    try {
      const classes = await predictClasses(stock, this.sample.scored);
      const hits = classes.reduce((n, c, i) => n + (c === this.reference[i] ? 1 : 0), 0);
      const artifacts = await savedArtifacts(stock, quantization);
      const info = tf.io.getModelArtifactsInfoForJSON(artifacts);
      return {
        ...tfi.modelCost(stock), bytes: info.modelTopologyBytes! + info.weightSpecsBytes! + info.weightDataBytes!,
        accuracy: hits / classes.length, artifacts,
      };
    } finally {
      stock.dispose();
    }
  }

  /**
   * Milliseconds per input of the saved model `artifacts` on `backend`: loaded there as stock tfjs would load a
   * download, then the fastest of {@link TIMED_BATCHES} predictions of {@link BATCH} scored inputs after a first,
   * untimed one. The current backend is restored.
   */
  async latencyOn(backend: string, artifacts: tf.io.ModelArtifacts): Promise<number> {
    const x = this.sample.scored;
    const size = Math.min(BATCH, x.shape[0]);
    const head = tf.slice(x, 0, size);
    const values = await head.data() as Float32Array;
    head.dispose();
    const current = tf.getBackend();
    await tf.setBackend(backend);
    const owned: {dispose(): void}[] = [];
    try {
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const batch = tf.tensor(values, head.shape);
      owned.push(model, batch);
      const times: number[] = [];
      for (let i = 0; i <= TIMED_BATCHES; i++) {
        const began = performance.now();
        const top = tf.tidy(() => tf.argMax(model.predict(batch) as tf.Tensor, -1));
        await top.data();
        top.dispose();
        if (i > 0) times.push((performance.now() - began) / size);
      }
      return Math.min(...times);
    } finally {
      owned.forEach(o => o.dispose());
      await tf.setBackend(current);
    }
  }

  /** Frees the models (the sample belongs to the caller). */
  dispose() {
    if (this.current !== this.full) this.current.dispose();
    this.full.dispose();
  }

  private replace(next: tfi.IntegralModel, calibrated: boolean) {
    if (this.current !== this.full) this.current.dispose();
    this.current = next;
    this.calibrated = calibrated;
    this.distilledEpochs = 0;
  }
}

/** Top-1 classes of `model` on `x`, predicted in batches of {@link BATCH}. */
async function predictClasses(model: {predict: tfi.IntegralModel['predict']}, x: tf.Tensor): Promise<Int32Array> {
  const classes = new Int32Array(x.shape[0]);
  for (let start = 0; start < x.shape[0]; start += BATCH) {
    const batch = tf.slice(x, start, Math.min(BATCH, x.shape[0] - start));
    const top = tf.tidy(() => tf.argMax(model.predict(batch) as tf.Tensor, -1));
    classes.set(await top.data() as Int32Array, start);
    tf.dispose([batch, top]);
  }
  return classes;
}

/** What `model` saves: model.json's topology and weight manifest, and the weights, quantized as asked. */
async function savedArtifacts(model: tf.LayersModel, quantization: ExportQuantization): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts|null = null;
  const sink = tf.io.withSaveHandler(async artifacts => {
    saved = artifacts;
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
  });
  await model.save(quantization === 'none' ? sink : tfi.quantized(sink, quantization));
  return saved!;
}
