/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {existsSync} from 'node:fs';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {DEBIAN_FASHION_MNIST_DIR, loadFashionMnist} from '../demo/fashion_mnist';
import {accuracy} from '../demo/pipeline';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';

/** One calibrated model: which widths, on how many images, with which ridge, and its test accuracy. */
export interface CalibrationLimitRow {
  /** `all` (every continuous group) or the one group narrowed, the others at full width. */
  narrowed: string;
  width: number;
  images: number;
  ridge: number;
  resampledAccuracy: number;
  calibratedAccuracy: number;
}

/**
 * What limits calibration on the demo's trained model (`demo/output/trained`, from `npm run demo`; wrapped with the
 * demo's permutation): each continuous group narrowed alone to a quarter of its width, then every group at 50 and
 * 25 %, calibrated on the first 512 or 4,096 training images, with ridges of 1e-3 (the default), 1e-2 and 1e-1;
 * test accuracy on 10,000 images.
 */
export async function benchCalibrationLimits(trained = 'demo/output/trained'): Promise<CalibrationLimitRow[]> {
  if (!existsSync(`${trained}/model.json`)) throw new Error(`bench: ${trained} is missing; run npm run demo first`);
  const {train, test} = loadFashionMnist(DEBIAN_FASHION_MNIST_DIR, 4096, 10000);
  const model = await tfl.loadLayersModel(tfi.fileSystem(trained));
  const inn = await tfi.wrapModel(model, {permute: true, seed: 1});
  const continuous = inn.groups.filter(g => g.continuous);
  const runs: Array<{narrowed: string, width: number, images: number, ridge: number}> = [];
  for (const g of continuous) {
    for (const [images, ridge] of [[512, 1e-3], [512, 1e-2], [512, 1e-1], [4096, 1e-3]]) {
      runs.push({narrowed: g.name, width: 0.25, images, ridge});
    }
  }
  for (const width of [0.5, 0.25]) {
    for (const [images, ridge] of [[512, 1e-3], [512, 1e-2], [4096, 1e-3]]) runs.push({narrowed: 'all', width, images, ridge});
  }
  const rows: CalibrationLimitRow[] = [];
  for (const run of runs) {
    const resampled = inn.resample(run.narrowed === 'all' ? run.width : {
      [run.narrowed]: Math.max(1, Math.round(run.width * continuous.find(g => g.name === run.narrowed)!.size)),
    });
    const x = tf.slice(train.images, 0, run.images);
    const calibrated = await resampled.calibrate(x, {ridge: run.ridge});
    const [resampledStock, calibratedStock] = [resampled.toLayersModel(), calibrated.toLayersModel()];
    rows.push({...run, resampledAccuracy: await accuracy(resampledStock, test, 1000),
               calibratedAccuracy: await accuracy(calibratedStock, test, 1000)});
    x.dispose();
    [resampled, calibrated].forEach(m => m.dispose());
    [resampledStock, calibratedStock].forEach(disposeModel);
  }
  inn.dispose();
  disposeModel(model);
  tf.dispose([train.images, train.labels, test.images, test.labels]);
  return rows;
}
