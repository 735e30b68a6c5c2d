/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {demoCnn} from '../../demo/model';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {testBackends} from '../describe_with_backends';
import {writeFakeSplit} from './fake_fashion_mnist';

const EXAMPLE = 'examples/quick_start.ts';

/** The README's TypeScript code block that follows `heading`. */
function readmeBlockAfter(heading: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf(heading);
  expect(at).withContext(`README heading '${heading}'`).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  return match == null ? '' : match[1];
}

const describeIfWasm = testBackends().includes('wasm') ? describe : xdescribe;

describeIfWasm('README quick start', () => {
  it(`is ${EXAMPLE}, verbatim`, () => {
    expect(readmeBlockAfter('### From a trained model to a smaller stock model')).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  it('runs as written: load → wrap → train → resample → export a stock model at half width', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quick-start-'));
    try {
      writeFakeSplit(dir, 'train', 2048, 11);
      writeFakeSplit(dir, 't10k', 1000, 12);
      await tf.setBackend('wasm');
      const trained = demoCnn({seed: 5});
      await trained.save(tfi.fileSystem(join(dir, 'trained')));
      disposeModel(trained);
      const run = await promisify(execFile)(process.execPath, [
        '--import', 'tsx', EXAMPLE, `file://${join(dir, 'trained')}`, `file://${join(dir, 'half')}`, dir,
      ], {encoding: 'utf8'});
      expect(run.stdout).toMatch(/half width: 52138 of 207066 parameters, accuracy [01]\.\d{3} on 1000 test images/);
      const half = await tfl.loadLayersModel(tfi.fileSystem(join(dir, 'half')));
      expect(half.layers.map(l => l.getClassName())).toEqual(
          ['Conv2D', 'ReLU', 'MaxPooling2D', 'Conv2D', 'ReLU', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
      expect(half.countParams()).toBe(52138);
      disposeModel(half);
    } finally {
      rmSync(dir, {recursive: true, force: true});
      await tf.setBackend('cpu');
    }
  });
});
