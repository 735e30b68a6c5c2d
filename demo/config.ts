/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The demo's configuration and results (no tfjs import: demo/main.ts picks a backend before loading the package).

/** Everything that decides the demo's numbers. */
export interface DemoConfig {
  /** Directory of the Fashion-MNIST idx `.gz` files. */
  dataDir: string;
  /** Where results.json, the plot and the exported models go. */
  outDir: string;
  /** Training images used (the first ones of the 60k training split). */
  trainImages: number;
  /** Test images evaluated (the first ones of the 10k test split). */
  testImages: number;
  /** Epochs of the discrete model before the comparison. */
  epochs: number;
  /** Training images of the extra epoch of methods (c), (d) and (g) (the first ones of a reshuffle). */
  tuneImages: number;
  /** Unlabeled training images the calibrated methods fit on (the same for all). */
  calibrationImages: number;
  /**
   * Unlabeled training images each distilled method (i), (j), (k) and the train-once method (l) sees per epoch: the
   * first of a seeded reshuffle, one images-seen budget for all.
   */
  distillImages: number;
  /** Epochs of distillation over `distillImages`. */
  distillEpochs: number;
  /** Adam's starting rate of the distillations (cosine decay to 0). */
  distillLearningRate: number;
  /** Unlabeled images of method (m)'s short distillation at each width: the first of `distillImages`, one epoch. */
  shortDistillImages: number;
  /** Adam's starting rate of method (m)'s short distillation (cosine decay to 0). */
  shortDistillLearningRate: number;
  /** A directory with the model an earlier run trained, loaded instead of training (null: train). */
  trained: string|null;
  batchSize: number;
  learningRate: number;
  /** Seeds the initializers, the epochs' shuffles, the permutation and the random widths. */
  seed: number;
  /** Widths compared, as fractions of every hidden group's width. */
  widths: number[];
  /** Smallest width drawn in method (c)'s random-width epoch. */
  randomWidthMin: number;
  /** Whether wrapModel permutes channels (smoothness) before the conversion. */
  permute: boolean;
  /** Images in the batch timed for inference. */
  inferenceBatch: number;
}

/** The configuration of `npm run demo`: about 15 minutes on 2 cores with the wasm backend. */
export const DEFAULT_DEMO_CONFIG: Omit<DemoConfig, 'dataDir'|'outDir'> = {
  trainImages: 60000,
  testImages: 10000,
  epochs: 3,
  tuneImages: 20000,
  calibrationImages: 512,
  distillImages: 10000,
  distillEpochs: 1,
  distillLearningRate: 5e-3,
  shortDistillImages: 2500,
  shortDistillLearningRate: 2e-3,
  trained: null,
  batchSize: 128,
  learningRate: 1e-3,
  seed: 1,
  widths: [1, 0.75, 0.5, 0.35, 0.25],
  randomWidthMin: 0.25,
  permute: true,
  inferenceBatch: 1000,
};

/** The methods compared, by key. */
export const DEMO_METHODS = {
  l1: '(a) L1 pruning',
  resample: '(b) wrapModel + resample',
  randomWidth: '(c) wrap + random-width epoch + resample',
  l1Tuned: '(d) 1 more epoch + L1 pruning',
  calibrated: '(e) wrap + resample + calibrate',
  l1Reconstructed: '(f) L1 pruning + least squares',
  randomWidthCalibrated: '(g) wrap + random-width epoch + resample + calibrate',
  fitted: '(h) wrap + resample + calibrate on a fitted grid',
  fittedDistilled: '(i) (h) + distill: the package path',
  l1ReconstructedDistilled: '(j) (f) + the same distillation',
  l1Distilled: '(k) (a) + the same distillation',
  trainOnce: '(l) wrap + train once (distill 25-100 %) + resample + calibrate',
  trainOnceDistilled: '(m) (l) + a short distill at each width',
} as const;

/** A method's key. */
export type DemoMethod = keyof typeof DEMO_METHODS;

/** The method whose exported models are also saved quantized (`tfi.quantized`) and scored. */
export const QUANTIZED_METHOD: DemoMethod = 'fittedDistilled';

/** One exported stock model: a method at a width. */
export interface DemoRow {
  method: DemoMethod;
  width: number;
  /** Channels of each hidden group (conv1, conv2, dense1). */
  channels: number[];
  params: number;
  /** Size of the exported model.json + weights.bin. */
  bytes: number;
  /** Top-1 accuracy on the test images. */
  accuracy: number;
  /** For {@link QUANTIZED_METHOD}: the model saved with uint8 and float16 weights, reloaded by stock tfjs, scored. */
  quantized: Array<{dtype: 'uint8'|'float16', bytes: number, accuracy: number}>|null;
  /** Median time of `predict` on `inferenceBatch` test images (after a warm-up call), or null when not timed. */
  inferenceMs: number|null;
  /** Where the stock model was exported. */
  path: string;
}

/** What `runDemo` measured; written to `results.json`. */
export interface DemoResults {
  config: DemoConfig;
  backend: string;
  /** Seconds of each phase. */
  seconds: {training: number, wrap: number, randomWidthEpoch: number, discreteEpoch: number, calibration: number,
            distillation: number, trainOnce: number, evaluation: number, total: number};
  /** Seconds of calibration and of distillation of each distilled method at each width (below 100 %). */
  perWidth: Array<{method: DemoMethod, width: number, calibration: number, distillation: number}>;
  /** Total-variation change of the permutation per group (negative: smoother). */
  permutation: Array<{group: string, relativeChange: number}>;
  rows: DemoRow[];
}
