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
export interface Measurement {
  params: number;
  /** Bytes of the saved model: model.json and weights, with the chosen quantization. */
  bytes: number;
  /** Multiply-adds per input. */
  flops: number;
  /** Top-1 accuracy on the scored inputs, or agreement with the full model's top-1 when they have no labels. */
  accuracy: number;
  /** Milliseconds per input: the median over the scoring's batches of {@link BATCH}, the first one not counted. */
  latencyMs: number;
}

/** Inputs per prediction when scoring and timing (one shape: the backend compiles its programs once per width). */
export const BATCH = 64;

/** A wrapped model and the current resampled model derived from it. */
export class ShrinkSession {
  /** The model at full width (never calibrated): every width is resampled from it. */
  readonly full: tfi.IntegralModel;
  /** The model at the chosen widths. */
  current: tfi.IntegralModel;
  /** Whether `current` was calibrated on the sample since its widths last changed. */
  calibrated = false;
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

  /** Wraps `model` (left untouched) and prepares scoring on `sample` (by its labels, if it has them). */
  static async open(model: tf.LayersModel, sample: Sample): Promise<ShrinkSession> {
    const full = await tfi.wrapModel(model);
    try {
      const labels = sample.scoredLabels;
      return new ShrinkSession(full, sample, labels ?? (await predictTimed(full, sample.scored)).classes, labels != null);
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

  /** Calibrates the current model on the sample's calibration inputs (api.md §5). */
  async calibrate(onProgress?: (fraction: number) => void) {
    const calibrated = await this.current.calibrate(this.sample.calibration, {
      onProgress: p => onProgress?.((p.index + 1) / p.total),
    });
    this.replace(calibrated, true);
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
   * Measures the stock model exported at the current widths: its cost, its score on the scored inputs, and the
   * latency of those predictions (batches of {@link BATCH}; the first one, which compiles the backend's programs for
   * the new shapes, is not timed).
   */
  async measure(quantization: ExportQuantization): Promise<Measurement> {
    const stock = this.exported();
    try {
      const {classes, msPerInput} = await predictTimed(stock, this.sample.scored);
      const hits = classes.reduce((n, c, i) => n + (c === this.reference[i] ? 1 : 0), 0);
      return {
        ...tfi.modelCost(stock), bytes: await savedBytes(stock, quantization), accuracy: hits / classes.length,
        latencyMs: msPerInput,
      };
    } finally {
      stock.dispose();
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
  }
}

/**
 * Top-1 classes of `model` on `x`, predicted in batches of {@link BATCH}, and the median milliseconds per input of
 * the full batches after the first (that of the first when it is the only one).
 */
async function predictTimed(model: {predict: tfi.IntegralModel['predict']}, x: tf.Tensor) {
  const classes = new Int32Array(x.shape[0]);
  const times: number[] = [];
  for (let start = 0; start < x.shape[0]; start += BATCH) {
    const size = Math.min(BATCH, x.shape[0] - start);
    const batch = tf.slice(x, start, size);
    const began = performance.now();
    const top = tf.tidy(() => tf.argMax(model.predict(batch) as tf.Tensor, -1));
    classes.set(await top.data() as Int32Array, start);
    if (size === BATCH) times.push((performance.now() - began) / size);
    tf.dispose([batch, top]);
  }
  const timed = times.length > 1 ? times.slice(1).sort((a, b) => a - b) : times;
  return {classes, msPerInput: timed[timed.length >> 1] ?? NaN};
}

/** Bytes `model` saves to: model.json (topology and weight manifest) and the weights, quantized as asked. */
async function savedBytes(model: tf.LayersModel, quantization: ExportQuantization): Promise<number> {
  let bytes = 0;
  const sink = tf.io.withSaveHandler(async artifacts => {
    const info = tf.io.getModelArtifactsInfoForJSON(artifacts);
    bytes = info.modelTopologyBytes! + info.weightSpecsBytes! + info.weightDataBytes!;
    return {modelArtifactsInfo: info};
  });
  await model.save(quantization === 'none' ? sink : tfi.quantized(sink, quantization));
  return bytes;
}
