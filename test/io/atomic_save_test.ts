/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {readAndDispose} from '../test_util';

/** A small dense model whose weights are all `value`. */
function filled(value: number): tfl.LayersModel {
  const model = tfl.sequential({layers: [tfl.layers.dense({units: 3, inputShape: [4], kernelInitializer: 'zeros'})]});
  const weights = model.getWeights().map(w => tf.fill(w.shape, value));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** The value every weight of the model saved in `dir` holds (or NaN when they differ). */
async function savedValue(dir: string): Promise<number> {
  const model = await tfl.loadLayersModel(tfi.fileSystem(dir));
  const values = (await Promise.all(model.getWeights().map(w => w.data()))).flatMap(v => Array.from(v));
  disposeModel(model);
  return values.every(v => v === values[0]) ? values[0] : NaN;
}

describeWithBackends('atomic saves (file system)', () => {
  let root: string;
  beforeEach(() => root = mkdtempSync(join(tmpdir(), 'atomic-save-')));
  afterEach(() => rmSync(root, {recursive: true, force: true}));

  it('gives concurrent saves to one directory one whole model or an error, never a mix', async () => {
    const models = [1, 2].map(filled);
    const dir = join(root, 'model');
    for (let round = 0; round < 40; round++) {
      const results = await Promise.allSettled(models.map(m => m.save(tfi.fileSystem(dir))));
      const done = results.filter(r => r.status === 'fulfilled').length;
      expect(done).toBeGreaterThanOrEqual(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(String(r.reason)).toMatch(/another save to this directory is running/);
      }
      expect([1, 2]).toContain(await savedValue(dir));
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    }
    models.forEach(disposeModel);
  });

  it('puts the old weights back when the second rename fails', async () => {
    const dir = join(root, 'model');
    const old = filled(1), next = filled(2);
    await old.save(tfi.fileSystem(dir));
    const weights = readFileSync(join(dir, 'weights.bin'));
    // model.json becomes a directory that a rename cannot replace: weights.bin is renamed first, then put back.
    rmSync(join(dir, 'model.json'));
    mkdirSync(join(dir, 'model.json'));
    writeFileSync(join(dir, 'model.json', 'keep'), 'x');
    await expectAsync(next.save(tfi.fileSystem(dir))).toBeRejectedWithError(/Error in fileSystem\('.*'\): cannot write the model/);
    expect(readFileSync(join(dir, 'weights.bin')).equals(weights)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    [old, next].forEach(disposeModel);
  });

  it('takes over the lock of a save whose process is gone, and refuses one that runs', async () => {
    const dir = join(root, 'model');
    mkdirSync(dir);
    const model = filled(3);
    writeFileSync(join(dir, '.tfjs-integral-save.lock'), '2147483646');  // no such process
    await model.save(tfi.fileSystem(dir));
    expect(await savedValue(dir)).toBe(3);
    writeFileSync(join(dir, '.tfjs-integral-save.lock'), String(process.ppid));  // a live process
    await expectAsync(model.save(tfi.fileSystem(dir))).toBeRejectedWithError(/another save to this directory is running/);
    disposeModel(model);
  });

  it('refuses special file systems before writing (no hang), for the API and the IntegralModel', async () => {
    const model = filled(4);
    const inn = await tfi.wrapModel(model);
    for (const dir of ['/proc/self/tfjs-model', '/sys/kernel/tfjs-model', '/dev/shm/../tfjs-model']) {
      await expectAsync(model.save(tfi.fileSystem(dir))).toBeRejectedWithError(/special file system/);
      await expectAsync(inn.save(`file://${dir}`)).toBeRejectedWithError(/special file system/);
    }
    const x = tf.ones([1, 4]);
    expect((await readAndDispose(inn.predict(x) as tf.Tensor)).length).toBe(3);
    x.dispose();
    inn.dispose();
    disposeModel(model);
  });
}, ['cpu']);
