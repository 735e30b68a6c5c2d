/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {demoCnn} from '../demo/model';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';
import {mobileNetV2} from './converter_bench';

/** A calibration measurement. */
export interface CalibrationRow {
  model: string;
  grid: 'uniform'|'fit';
  /** Parameters of the model at full width. */
  params: number;
  images: number;
  width: number;
  /** Layers re-fitted. */
  layers: number;
  seconds: number;
  /** Peak resident memory of the process during the call, and peak bytes held by tfjs tensors. */
  peakRssMB: number;
  peakTensorMB: number;
}

/** Times `inn.resample(width).calibrate(x, {grid})` and samples the memory every 20 ms meanwhile. */
async function timeCalibration(name: string, model: tfl.LayersModel, images: number, width: number,
                               batchSize: number, grid: 'uniform'|'fit'): Promise<CalibrationRow> {
  const params = model.countParams();
  const inn = await tfi.wrapModel(model, {permuteBudgetMs: 100});
  const narrow = inn.resample(width);
  const x = tf.randomNormal([images, ...model.inputs[0].shape.slice(1) as number[]], 0, 1, 'float32', 1);
  let peakRss = process.memoryUsage().rss, peakTensors = tf.memory().numBytes, layers = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    peakTensors = Math.max(peakTensors, tf.memory().numBytes);
  };
  const timer = setInterval(sample, 20);
  const start = performance.now();
  const calibrated = await narrow.calibrate(x, {batchSize, grid, onProgress: () => {
    layers++;
    sample();
  }});
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  tf.dispose(x);
  disposeModel(model); inn.dispose(); narrow.dispose(); calibrated.dispose();
  return {model: name, grid, params, images, width, layers, seconds, peakRssMB: peakRss / 2 ** 20,
          peakTensorMB: peakTensors / 2 ** 20};
}

/**
 * Calibration of the demo CNN (512 images, half and quarter width; both grids) and of MobileNetV2 (96×96 inputs,
 * 256 images, uniform grid; 224×224 inputs, 1000 classes, `mobileNetImages` images, both grids).
 */
export async function benchCalibration(quick: boolean, mobileNetImages = 512): Promise<CalibrationRow[]> {
  const rows: CalibrationRow[] = [];
  for (const grid of ['uniform', 'fit'] as const) {
    for (const width of [0.5, 0.25]) rows.push(await timeCalibration('demo CNN', demoCnn(), 512, width, 64, grid));
  }
  if (!quick) {
    rows.push(await timeCalibration('MobileNetV2 (96x96)', mobileNetV2(), 256, 0.5, 32, 'uniform'));
    for (const grid of ['uniform', 'fit'] as const) {
      rows.push(await timeCalibration('MobileNetV2 (224x224, 1000 classes)', mobileNetV2(224, 1000), mobileNetImages,
                                      0.5, 16, grid));
    }
  }
  return rows;
}
