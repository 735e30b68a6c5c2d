/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {mkdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {buildWithNestedShapes, disposeModel, modelConfig} from '../src/converter/topology';
import * as tfi from '../src/index';
import {shuffledOrder} from '../src/util/random';
import {DEMO_METHODS, DemoConfig, DemoMethod, DemoResults, DemoRow, QUANTIZED_METHOD} from './config';
import {ImageSplit, loadFashionMnist} from './fashion_mnist';
import {l1Prune, reconstructL1} from './l1_pruning';
import {demoCnn} from './model';
import {renderAccuracyPlot} from './plot';
import {batchProgressCallbacks, ProgressFactory, silentProgress} from './progress';

const seconds = (start: number) => (performance.now() - start) / 1000;

/** A seeded shuffle of the training split, as one-hot targets. */
function shuffled(train: ImageSplit, seed: number): {x: tf.Tensor4D, y: tf.Tensor2D} {
  return tf.tidy(() => {
    const indices = tf.tensor1d(shuffledOrder(train.labels.shape[0], seed), 'int32');
    const y = tf.cast(tf.oneHot(tf.gather(train.labels, indices), 10), 'float32') as tf.Tensor2D;
    return {x: tf.gather(train.images, indices), y};
  });
}

/** One epoch over a seeded shuffle of `train`. */
async function trainEpoch(fit: (x: tf.Tensor, y: tf.Tensor, args: tfl.ModelFitArgs) => Promise<tfl.History>,
                          train: ImageSplit, config: DemoConfig, epoch: number, label: string,
                          progress: ProgressFactory) {
  const {x, y} = shuffled(train, config.seed * 1000 + epoch);
  const bar = progress(label, Math.ceil(x.shape[0] / config.batchSize));
  try {
    await fit(x, y, {batchSize: config.batchSize, epochs: 1, shuffle: false, verbose: 0,
                     callbacks: batchProgressCallbacks(bar)});
  } finally {
    bar.stop();
    tf.dispose([x, y]);
  }
}

function compileAdam(model: {compile(args: tfl.ModelCompileArgs): void}, learningRate: number) {
  model.compile({optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
}

/** A stock copy of `model` with the same weights. */
function cloneModel(model: tfl.LayersModel): tfl.LayersModel {
  const copy = buildWithNestedShapes(modelConfig(model));
  copy.setWeights(model.getWeights());
  return copy;
}

/** Top-1 accuracy of `model` on `split`, predicted in batches of `batch`. */
export async function accuracy(model: tfl.LayersModel, split: ImageSplit, batch: number): Promise<number> {
  const n = split.labels.shape[0];
  let correct = 0;
  for (let start = 0; start < n; start += batch) {
    const size = Math.min(batch, n - start);
    const hits = tf.tidy(() => {
      const predicted = tf.argMax(model.predict(tf.slice(split.images, start, size)) as tf.Tensor, 1);
      return tf.sum(tf.cast(tf.equal(predicted, tf.slice(split.labels, start, size)), 'int32'));
    });
    correct += (await hits.data())[0];
    hits.dispose();
  }
  return correct / n;
}

/** Median milliseconds of `predict` on `images` (3 timed calls after a warm-up call), results read back. */
async function inferenceMs(model: tfl.LayersModel, images: tf.Tensor4D): Promise<number> {
  const run = async () => {
    const y = model.predict(images) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1];
}

/** The output channels of each hidden Conv2D / Dense of a stock demo CNN. */
function hiddenChannels(model: tfl.LayersModel): number[] {
  const mixing = model.layers.filter(l => ['Conv2D', 'Dense'].includes(l.getClassName()));
  return mixing.slice(0, -1).map(l => l.getWeights()[0].shape.at(-1)!);
}

/** A stock copy of the trained CNN with every BatchNormalization folded into its convolution: the same function. */
async function foldedCopy(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const inn = await tfi.wrapModel(model, {permute: false});
  try {
    return inn.toLayersModel();
  } finally {
    inn.dispose();
  }
}

/**
 * Runs the comparison of README's demo: trains the demo CNN on Fashion-MNIST, then at every width measures (a) L1
 * pruning, (b) wrapModel + resample, (c) wrapModel + one epoch of random-width training + resample, (d) one more
 * discrete epoch + L1 pruning, (e) (b) calibrated, (f) (a) with the same least squares, (g) (c) calibrated, (h) (b)
 * calibrated on a fitted grid, (i) (h) distilled, (j) (f) distilled, (k) (a) distilled, (l) train once for every
 * width by distillation, then resample + calibrate, (m) (l) with a short distillation at each width. The calibrated
 * methods fit on the same unlabeled images, the distilled ones see the same unlabeled images. Saves the trained
 * model (`trained/`) and every stock model (`models/`), writes `results.json` and `accuracy-vs-width.png`.
 */
export async function runDemo(config: DemoConfig, progress: ProgressFactory = silentProgress,
                              log: (line: string) => void = () => {}): Promise<DemoResults> {
  const started = performance.now();
  const {train, test} = loadFashionMnist(config.dataDir, config.trainImages, config.testImages);
  const tune = {images: tf.slice(train.images, 0, Math.min(config.tuneImages, config.trainImages)),
                labels: tf.slice(train.labels, 0, Math.min(config.tuneImages, config.trainImages))};
  const toDispose: tfl.LayersModel[] = [];
  const integral: tfi.IntegralModel[] = [];
  const inferenceImages = tf.slice(test.images, 0, Math.min(config.inferenceBatch, config.testImages));
  let calibrationImages: tf.Tensor|null = null, distillImages: tf.Tensor|null = null;
  let shortDistillImages: tf.Tensor|null = null;
  try {
    mkdirSync(config.outDir, {recursive: true});
    let start = performance.now();
    const discrete = config.trained != null ? await tfl.loadLayersModel(tfi.fileSystem(config.trained)) :
                                              demoCnn({seed: config.seed});
    toDispose.push(discrete);
    compileAdam(discrete, config.learningRate);
    for (let e = 0; e < config.epochs && config.trained == null; e++) {
      await trainEpoch((x, y, a) => discrete.fit(x, y, a), train, config, e, `discrete epoch ${e + 1}/${config.epochs}`,
                       progress);
    }
    const training = seconds(start);
    const trainedDir = join(config.outDir, 'trained');
    if (config.trained == null) {
      await discrete.save(tfi.fileSystem(trainedDir));
      log(`trained the discrete CNN for ${config.epochs} epochs in ${training.toFixed(0)} s; saved it to ${trainedDir}`);
    } else {
      log(`loaded the discrete CNN trained before from ${config.trained}`);
    }

    start = performance.now();
    const wrapped = await tfi.wrapModel(discrete, {permute: config.permute, seed: config.seed});
    const wrap = seconds(start);
    integral.push(wrapped);
    const groups = wrapped.groups.filter(g => g.continuous).map(g => `${g.name} (${g.size})`);
    log(`wrapModel in ${wrap.toFixed(1)} s: continuous groups ${groups.join(', ')}`);

    start = performance.now();
    const tuned = wrapped.resample(1);
    integral.push(tuned);
    compileAdam(tuned, config.learningRate);
    const randomWidth = {min: config.randomWidthMin, seed: config.seed};
    await trainEpoch((x, y, a) => tuned.fit(x, y, {...a, randomWidth}), tune, config, config.epochs,
                     '(c) random-width epoch', progress);
    const randomWidthEpoch = seconds(start);

    start = performance.now();
    const discreteTuned = cloneModel(discrete);
    toDispose.push(discreteTuned);
    compileAdam(discreteTuned, config.learningRate);
    await trainEpoch((x, y, a) => discreteTuned.fit(x, y, a), tune, config, config.epochs, '(d) discrete epoch',
                     progress);
    const discreteEpoch = seconds(start);
    const [folded, foldedTuned] = [await foldedCopy(discrete), await foldedCopy(discreteTuned)];
    toDispose.push(folded, foldedTuned);

    // The calibrated methods: the same unlabeled images (the first of a seeded shuffle of the training split); the
    // distilled ones: the first images of another reshuffle, the same for all of them.
    const calibration = shuffled(train, config.seed * 1000 + 999);
    calibrationImages = tf.slice(calibration.x, 0, Math.min(config.calibrationImages, config.trainImages));
    tf.dispose([calibration.x, calibration.y]);
    const distillation = shuffled(train, config.seed * 1000 + 998);
    distillImages = tf.slice(distillation.x, 0, Math.min(config.distillImages, config.trainImages));
    shortDistillImages = tf.slice(distillImages, 0, Math.min(config.shortDistillImages, distillImages.shape[0]));
    tf.dispose([distillation.x, distillation.y]);
    const timing = {calibration: 0, distillation: 0};
    const perWidth: DemoResults['perWidth'] = [];
    const timed = async <T>(phase: 'calibration'|'distillation', work: () => Promise<T>) => {
      const t = performance.now();
      const result = await work();
      timing[phase] += seconds(t);
      return result;
    };
    const distillOptions = {epochs: config.distillEpochs, learningRate: config.distillLearningRate, seed: config.seed};
    /** `inn` resampled to `width` and calibrated (on the fitted grid for `grid: 'fit'`), as an IntegralModel. */
    const calibrated = (inn: tfi.IntegralModel, w: number, grid: 'uniform'|'fit') => timed('calibration', async () => {
      const resampled = inn.resample(w);
      try {
        return await resampled.calibrate(calibrationImages!, {grid});
      } finally {
        resampled.dispose();
      }
    });
    /** A stock model distilled from `folded` (the full network), through a wrapped copy; at 100 % it stays. */
    const distilledStock = async (stock: tfl.LayersModel, w: number, method: DemoMethod) => {
      if (w === 1) return stock;
      const t = performance.now();
      const inn = await tfi.wrapModel(stock, {permute: false});
      const distilled = await timed('distillation', () => inn.distill(distillImages!, {...distillOptions, teacher: folded}));
      perWidth.push({method, width: w, calibration: 0, distillation: seconds(t)});
      try {
        return distilled.toLayersModel();
      } finally {
        [inn, distilled].forEach(m => m.dispose());
        disposeModel(stock);
      }
    };
    /** `inn` resampled and calibrated on the fitted grid at each width, computed once and shared between methods. */
    const calibratedOnFittedGrid = (inn: tfi.IntegralModel) => {
      const at = new Map<number, {model: tfi.IntegralModel, seconds: number}>();
      const get = async (w: number) => {
        if (!at.has(w)) {
          const t = performance.now();
          const model = await calibrated(inn, w, 'fit');
          at.set(w, {model, seconds: seconds(t)});
        }
        return at.get(w)!;
      };
      return {get, models: () => [...at.values()].map(c => c.model)};
    };
    /** The stock model of a calibration distilled on `images` (at 100 % the calibration itself). */
    const distilledCalibration = async (start: {model: tfi.IntegralModel, seconds: number}, w: number,
                                        method: DemoMethod, images: tf.Tensor, options: tfi.DistillOptions) => {
      if (w === 1) return start.model.toLayersModel();
      const t = performance.now();
      const distilled = await timed('distillation', () => start.model.distill(images, options));
      perWidth.push({method, width: w, calibration: start.seconds, distillation: seconds(t)});
      return exported(distilled);
    };
    // Shared between methods: the fitted-grid calibration (h, i) and L1 + least squares (f, j) at each width.
    const fitted = calibratedOnFittedGrid(wrapped);
    const l1ReconstructedAt = new Map<number, tfl.LayersModel>();
    /** A copy of L1 pruning + least squares at `w` (computed once per width). */
    const l1Reconstructed = async (w: number) => {
      if (!l1ReconstructedAt.has(w)) {
        l1ReconstructedAt.set(w, await timed('calibration', async () => {
          const pruned = await l1Prune(folded, w);
          await reconstructL1(pruned, folded, calibrationImages!);
          return pruned.model;
        }));
      }
      return cloneModel(l1ReconstructedAt.get(w)!);
    };
    start = performance.now();
    const once = await wrapped.distill(distillImages, {...distillOptions, widths: {min: config.randomWidthMin}});
    integral.push(once);
    const trainOnce = seconds(start);
    log(`trained once for widths ${config.randomWidthMin}-1 in ${trainOnce.toFixed(0)} s`);
    const trainedOnce = calibratedOnFittedGrid(once);  // shared between (l) and (m)
    const models: Record<DemoMethod, (width: number) => Promise<tfl.LayersModel>> = {
      l1: async w => (await l1Prune(folded, w)).model,
      resample: async w => stockAt(wrapped, w),
      randomWidth: async w => stockAt(tuned, w),
      l1Tuned: async w => (await l1Prune(foldedTuned, w)).model,
      calibrated: async w => exported(await calibrated(wrapped, w, 'uniform')),
      l1Reconstructed,
      randomWidthCalibrated: async w => exported(await calibrated(tuned, w, 'uniform')),
      fitted: async w => (await fitted.get(w)).model.toLayersModel(),
      fittedDistilled: async w => distilledCalibration(await fitted.get(w), w, 'fittedDistilled', distillImages!,
                                                       distillOptions),
      l1ReconstructedDistilled: async w => distilledStock(await l1Reconstructed(w), w, 'l1ReconstructedDistilled'),
      l1Distilled: async w => distilledStock((await l1Prune(folded, w)).model, w, 'l1Distilled'),
      trainOnce: async w => (await trainedOnce.get(w)).model.toLayersModel(),
      trainOnceDistilled: async w => distilledCalibration(
          await trainedOnce.get(w), w, 'trainOnceDistilled', shortDistillImages!,
          {epochs: 1, learningRate: config.shortDistillLearningRate, seed: config.seed}),
    };

    start = performance.now();
    const rows: DemoRow[] = [];
    const methods = Object.keys(DEMO_METHODS) as DemoMethod[];
    const bar = progress('evaluating exported models', methods.length * config.widths.length);
    try {
      for (const method of methods) {
        for (const width of config.widths) {
          rows.push(await measure(method, width, await models[method](width), test, inferenceImages, config));
          bar.tick();
        }
      }
    } finally {
      bar.stop();
    }
    const evaluation = seconds(start) - timing.calibration - timing.distillation;
    for (const m of [...fitted.models(), ...trainedOnce.models()]) m.dispose();
    for (const m of l1ReconstructedAt.values()) disposeModel(m);
    const permutation = wrapped.permutation.map(p => ({group: p.group, relativeChange: p.tvAfter / p.tvBefore - 1}));
    const results: DemoResults = {
      config,
      backend: tf.getBackend(),
      seconds: {training, wrap, randomWidthEpoch, discreteEpoch, calibration: timing.calibration,
                distillation: timing.distillation, trainOnce, evaluation, total: seconds(started)},
      perWidth,
      permutation,
      rows,
    };
    writeFileSync(join(config.outDir, 'results.json'), JSON.stringify(results, null, 2));
    await renderAccuracyPlot(results, join(config.outDir, 'accuracy-vs-width.png'));
    return results;
  } finally {
    for (const inn of integral) {
      inn.model.optimizer?.dispose();
      inn.dispose();
    }
    for (const m of toDispose) {
      m.optimizer?.dispose();
      disposeModel(m);
    }
    tf.dispose([train.images, train.labels, test.images, test.labels, tune.images, tune.labels, inferenceImages,
                ...[calibrationImages, distillImages, shortDistillImages].filter(t => t != null)]);
  }
}

/** The stock model of `inn` (which is disposed). */
function exported(inn: tfi.IntegralModel): tfl.LayersModel {
  try {
    return inn.toLayersModel();
  } finally {
    inn.dispose();
  }
}

/** The stock model of `inn` resampled to `width`. */
function stockAt(inn: tfi.IntegralModel, width: number): tfl.LayersModel {
  const resampled = inn.resample(width);
  try {
    return resampled.toLayersModel();
  } finally {
    resampled.dispose();
  }
}

/** Bytes of the model.json and weights.bin saved in `path`. */
function savedBytes(path: string): number {
  return statSync(join(path, 'model.json')).size + statSync(join(path, 'weights.bin')).size;
}

/** The method whose exported models are timed (every method exports the same architecture at a width). */
const TIMED_METHOD: DemoMethod = 'randomWidth';

/** Exports, evaluates and (for {@link TIMED_METHOD}) times one stock model, then disposes it. */
async function measure(method: DemoMethod, width: number, model: tfl.LayersModel, test: ImageSplit,
                       inferenceImages: tf.Tensor4D, config: DemoConfig): Promise<DemoRow> {
  try {
    const path = join(config.outDir, 'models', `${method}-${Math.round(width * 100)}`);
    mkdirSync(path, {recursive: true});
    await model.save(tfi.fileSystem(path));
    const bytes = savedBytes(path);
    const quantized = [];
    for (const dtype of method === QUANTIZED_METHOD ? ['uint8', 'float16'] as const : []) {
      const saved = `${path}-${dtype}`;
      mkdirSync(saved, {recursive: true});
      await model.save(tfi.quantized(tfi.fileSystem(saved), dtype));
      const reloaded = await tfl.loadLayersModel(tfi.fileSystem(saved));
      try {
        quantized.push({dtype, bytes: savedBytes(saved), accuracy: await accuracy(reloaded, test, config.inferenceBatch)});
      } finally {
        disposeModel(reloaded);
      }
    }
    return {
      method,
      width,
      channels: hiddenChannels(model),
      params: model.countParams(),
      bytes,
      accuracy: await accuracy(model, test, config.inferenceBatch),
      quantized: quantized.length > 0 ? quantized : null,
      inferenceMs: method === TIMED_METHOD ? await inferenceMs(model, inferenceImages) : null,
      path,
    };
  } finally {
    disposeModel(model);
  }
}
