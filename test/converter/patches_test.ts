/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The unfoldings calibration sums its moments over: the whole unfolding is im2col read pixel by pixel, and a lattice
// of output positions reads exactly its rows at those positions (from the backend's tensors, or from host values).
import * as tf from '@tensorflow/tfjs-core';

import {batchRows} from '../../src/calibration/row_sample';
import {OutputLattice, unfold} from '../../src/converter/patches';
import {tensorOfHostValues} from '../../src/util/host_backend';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {readAndDispose} from '../test_util';

/** im2col written for the test: the patch of each output position, read pixel by pixel (zeros outside `x`). */
function referenceUnfold(values: ArrayLike<number>, [b, h, w, c]: number[], [kh, kw]: number[], strides: number[],
                         dilations: number[], [top, bottom, left, right]: number[]): number[] {
  const oh = Math.floor((h + top + bottom - (kh - 1) * dilations[0] - 1) / strides[0]) + 1;
  const ow = Math.floor((w + left + right - (kw - 1) * dilations[1] - 1) / strides[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < b; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const [y, x] = [oy * strides[0] + i * dilations[0] - top, ox * strides[1] + j * dilations[1] - left];
            for (let k = 0; k < c; k++) {
              out.push(y < 0 || y >= h || x < 0 || x >= w ? 0 : values[((n * h + y) * w + x) * c + k]);
            }
          }
        }
      }
    }
  }
  return out;
}

describeWithBackends('unfold on a lattice of output positions', () => {
  it('returns the rows of the whole unfolding at the lattice positions, for strides, dilations and paddings', async () => {
    const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 31) as tf.Tensor4D;
    const cases: Array<{kernel: number[], strides: number[], dilations: number[], pads: number[], lattice: OutputLattice}> = [
      {kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], lattice: {steps: [2, 3], offset: [1, 2]}},
      {kernel: [3, 2], strides: [2, 1], dilations: [1, 1], pads: [0, 1, 1, 0], lattice: {steps: [3, 2], offset: [2, 0]}},
      {kernel: [3, 3], strides: [1, 2], dilations: [2, 1], pads: [2, 2, 0, 0], lattice: {steps: [4, 1], offset: [3, 0]}},
      {kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], lattice: {steps: [5, 5], offset: [4, 4]}},
      {kernel: [2, 2], strides: [2, 2], dilations: [1, 1], pads: [-1, 0, 0, -1], lattice: {steps: [2, 2], offset: [0, 1]}},
      // Rows read from a band in the middle of the lattice step (phases 1 and 2 of 5).
      {kernel: [2, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], lattice: {steps: [5, 3], offset: [1, 2]}},
      // Every position of a 1 × 1 window: the input itself.
      {kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], lattice: {steps: [1, 1], offset: [0, 0]}},
      {kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [1, 0, 0, 1], lattice: {steps: [1, 2], offset: [0, 1]}},
    ];
    const values = await x.data();
    for (const {kernel, strides, dilations, pads: [top, bottom, left, right], lattice} of cases) {
      const pads = {top, bottom, left, right};
      const before = tf.memory().numTensors;
      const all = unfold(x, kernel, strides, dilations, pads);
      const reference = referenceUnfold(values, x.shape, kernel, strides, dilations, [top, bottom, left, right]);
      expect(Array.from(await all.data())).toEqual(reference);
      // The same input made from host values: unfolded there, on every backend.
      const fromHost = tensorOfHostValues(values, x.shape, 'float32') as tf.Tensor4D;
      expect(Array.from(await readAndDispose(unfold(fromHost, kernel, strides, dilations, pads)))).toEqual(reference);
      fromHost.dispose();
      let grid: [number, number, number]|null = null;
      const some = unfold(x, kernel, strides, dilations, pads, g => {
        grid = g;
        return lattice;
      });
      const [b, oh, ow] = grid!;
      expect(b * oh * ow).toBe(all.shape[0]);
      const rows: number[] = [];
      for (let n = 0; n < b; n++) {
        for (let y = lattice.offset[0]; y < oh; y += lattice.steps[0]) {
          for (let x0 = lattice.offset[1]; x0 < ow; x0 += lattice.steps[1]) rows.push((n * oh + y) * ow + x0);
        }
      }
      const expected = tf.tidy(() => tf.gather(all, tf.tensor1d(rows, 'int32')));
      expect(some.shape).toEqual(expected.shape);
      expect(Array.from(await readAndDispose(some))).toEqual(Array.from(await readAndDispose(expected)));
      all.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
  });
}, testBackends().filter(b => b !== 'composite'));

describe('batchRows', () => {
  it('keeps all positions while a batch\'s share holds them, else about that share, the same for the same batch', () => {
    expect(batchRows(0, 4, 400)([2, 7, 7])).toBeNull();  // 98 ≤ 100
    for (const grid of [[4, 112, 112], [64, 1, 1], [1, 500, 1], [3, 1, 77], [8, 14, 14], [200, 1, 1]] as Array<[number, number, number]>) {
      for (let batch = 0; batch < 6; batch++) {
        const [b, oh, ow] = grid;
        const lattice = batchRows(batch, 6, 600)(grid);
        if (b * oh * ow <= 100) {
          expect(lattice).toBeNull();
          continue;
        }
        if (lattice == null) throw new Error(`no lattice for ${grid}`);
        const kept = b * Math.ceil((oh - lattice.offset[0]) / lattice.steps[0]) *
                     Math.ceil((ow - lattice.offset[1]) / lattice.steps[1]);
        expect(lattice.offset[0]).toBeLessThan(Math.min(lattice.steps[0], oh));
        expect(lattice.offset[1]).toBeLessThan(Math.min(lattice.steps[1], ow));
        // At least one position per image; otherwise within a factor 2.5 of the share of 100 rows.
        expect(kept).toBeLessThanOrEqual(Math.max(b, 250));
        expect(kept).toBeGreaterThanOrEqual(Math.min(b * oh * ow, 40));
        expect(batchRows(batch, 6, 600)(grid)).toEqual(lattice);
      }
    }
    // Different batches draw different offsets.
    const offsets = new Set(Array.from({length: 8}, (_, batch) => JSON.stringify(batchRows(batch, 8, 800)([4, 112, 112])!.offset)));
    expect(offsets.size).toBeGreaterThan(1);
  });
});
