/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The MobileNetV2 graph model that nsfwjs ships (tfjs-converter 1.7.4, uint8 weights): wrapped exactly and
// written back narrower as a graph model that stock tfjs-converter runs.
import * as tfconv from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {memoryIO, readAndDispose, relativeError} from '../test_util';
import {mobileNetV2Artifacts} from './mobilenet_v2';

const opCounts = (artifacts: tf.io.ModelArtifacts) => {
  const counts: Record<string, number> = {};
  for (const n of (artifacts.modelTopology as {node: Array<{op: string}>}).node) counts[n.op] = (counts[n.op] ?? 0) + 1;
  return counts;
};

// One backend is enough for a 224×224 network: the small graphs run on all of them.
describeWithBackends('wrapGraphModel on a real MobileNetV2 graph model', () => {
  it('wraps it exactly and writes it back at half width', async () => {
    const artifacts = mobileNetV2Artifacts();
    if ('unavailable' in artifacts) {
      pending(artifacts.unavailable);
      return;
    }
    expect(opCounts(artifacts)).toEqual(jasmine.objectContaining(
        {_FusedConv2D: 35, FusedDepthwiseConv2dNative: 17, AddV2: 10, _FusedMatMul: 1}));
    const graph = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts));
    const inn = await tfi.wrapGraphModel(graph, {permute: false});
    const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 1);
    const expected = await readAndDispose(graph.predict(x) as tf.Tensor);
    expect(relativeError(await readAndDispose(inn.predict(x) as tf.Tensor), expected)).toBeLessThan(1e-5);
    expect(inn.groups.filter(g => g.continuous).length).toBeGreaterThan(20);

    const half = inn.resample(0.5);
    const io = memoryIO();
    await half.saveGraphModel(io.save);
    const saved = await io.load().load!();
    const narrow = await tfconv.loadGraphModel(tf.io.fromMemory(saved));
    expect(relativeError(await readAndDispose(narrow.predict(x) as tf.Tensor),
                         await readAndDispose(half.predict(x) as tf.Tensor))).toBeLessThan(1e-5);
    expect(artifacts.signature).toBeDefined();
    expect(saved.signature).withContext('the signature kept').toEqual(artifacts.signature!);
    expect(opCounts(saved)).toEqual(jasmine.objectContaining({_FusedConv2D: 35, AddV2: 10, _FusedMatMul: 1}));
    const elements = (a: tf.io.ModelArtifacts) => a.weightSpecs!.reduce((n, s) => n + s.shape.reduce((p, d) => p * d, 1), 0);
    expect(elements(saved)).toBeLessThan(0.4 * elements(artifacts));
    [narrow, graph].forEach(g => g.dispose());
    [half, inn].forEach(m => m.dispose());
    x.dispose();
  });
}, testBackends().filter(b => b === 'wasm' || b === 'webgl'));
