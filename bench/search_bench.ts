/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {existsSync} from 'node:fs';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {DEBIAN_FASHION_MNIST_DIR, loadFashionMnist} from '../demo/fashion_mnist';
import {accuracy} from '../demo/pipeline';
import {costOf} from '../src/model/search_widths';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';

/** One row: uniform widths against searched widths under the same parameters, both calibrated. */
export interface SearchRow {
  width: number;
  uniformChannels: string;
  uniformParams: number;
  uniformAccuracy: number;
  searchedChannels: string;
  searchedParams: number;
  searchedAccuracy: number;
  searchSeconds: number;
}

/** Hidden channels of an IntegralModel's continuous groups, as `16-8-64`. */
const channels = (inn: tfi.IntegralModel) => inn.groups.filter(g => g.continuous).map(g => g.size).join('-');

/**
 * `searchWidths` on the demo's trained model (`demo/output/trained`, from `npm run demo`) at the parameters of each
 * uniform width, against that width, both calibrated on the first 512 training images; test accuracy on 10,000.
 */
export async function benchSearch(trained = 'demo/output/trained'): Promise<SearchRow[]> {
  if (!existsSync(`${trained}/model.json`)) throw new Error(`bench: ${trained} is missing; run npm run demo first`);
  const {train, test} = loadFashionMnist(DEBIAN_FASHION_MNIST_DIR, 512, 10000);
  const model = await tfl.loadLayersModel(tfi.fileSystem(trained));
  const inn = await tfi.wrapModel(model);
  const fullParams = costOf(inn).params;
  const rows: SearchRow[] = [];
  for (const width of [0.75, 0.5, 0.35, 0.25]) {
    const resampled = inn.resample(width);
    const uniform = await resampled.calibrate(train.images);
    const uniformStock = uniform.toLayersModel();
    const start = performance.now();
    const searched = await tfi.searchWidths(inn, {budget: {params: uniformStock.countParams() / fullParams},
                                                 calibration: train.images});
    const searchSeconds = (performance.now() - start) / 1000;
    const searchedStock = searched.model.toLayersModel();
    rows.push({width, uniformChannels: channels(uniform), uniformParams: uniformStock.countParams(),
               uniformAccuracy: await accuracy(uniformStock, test, 1000), searchedChannels: channels(searched.model),
               searchedParams: searchedStock.countParams(), searchedAccuracy: await accuracy(searchedStock, test, 1000),
               searchSeconds});
    resampled.dispose(); uniform.dispose(); searched.model.dispose();
    [uniformStock, searchedStock].forEach(disposeModel);
  }
  inn.dispose();
  disposeModel(model);
  tf.dispose([train.images, train.labels, test.images, test.labels]);
  return rows;
}
