/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The fitted grid's local search of a group's channels, on least squares with a planted answer.
import {searchedChannels, SelectionSums} from '../../src/calibration/channel_search';
import {mulberry32} from '../../src/util/random';
import {equationsOf} from '../test_util';

/** Channels, regressors per channel (interleaved: regressor `i` reads channel `i % C`) and targets. */
const [C, TAPS, K] = [8, 2, 3];
const channelOf = Int32Array.from({length: C * TAPS}, (_, i) => i % C);

/**
 * Sums of rows whose targets are a random linear map of the regressors of `planted` only, plus noise of scale
 * `noise`: fitted on `rows`, held out on half as many more.
 */
function plantedSums(planted: number[], rows: number, noise: number, seed: number): SelectionSums {
  const random = mulberry32(seed);
  const d = C * TAPS;
  const w = Float32Array.from({length: d * K}, (_, i) => planted.includes(Math.floor(i / K) % C) ? random() - 0.5 : 0);
  const sample = (n: number) => {
    const p = Float32Array.from({length: n * d}, () => random() - 0.5);
    const z = Float32Array.from({length: n * K}, (_, i) => {
      const [r, o] = [Math.floor(i / K), i % K];
      let v = (random() - 0.5) * noise;
      for (let j = 0; j < d; j++) v += p[r * d + j] * w[j * K + o];
      return v;
    });
    return equationsOf(p, z, d, K);
  };
  return {fitted: sample(rows), heldOut: sample(rows / 2), split: true, prior: new Float64Array((d + 1) * K)};
}

/** The held-out error of the least squares on a set of channels, as a plain fit on its regressors. */
function heldOutError(sums: SelectionSums, set: number[]): number {
  const columns = Array.from(channelOf.keys()).filter(i => set.includes(channelOf[i]));
  return sums.heldOut.restricted(columns).error(sums.fitted.restricted(columns).solve(1e-6));
}

describe('searchedChannels', () => {
  it('finds the planted channels from a start that holds none of them', () => {
    const sums = plantedSums([1, 4, 6], 200, 0.01, 1);
    expect(searchedChannels(sums, channelOf, C, [[0, 2, 3], [0, 3, 5]], 24)).toEqual([1, 4, 6]);
  });

  it('never ends above its best start, and with no fits to spare returns that start', () => {
    for (const seed of [2, 3, 4]) {
      // Noise as large as the signal: the local search has no clear answer.
      const sums = plantedSums([0, 2, 5, 7], 40, 1, seed);
      const starts = [[1, 3, 4, 6], [0, 1, 2, 3]];
      const best = starts.reduce((a, b) => heldOutError(sums, b) < heldOutError(sums, a) ? b : a);
      expect(searchedChannels(sums, channelOf, C, starts, starts.length)).toEqual(best);
      const searched = searchedChannels(sums, channelOf, C, starts, 24);
      expect(searched.length).toBe(4);
      expect(new Set(searched).size).toBe(4);
      expect(heldOutError(sums, searched)).toBeLessThanOrEqual(heldOutError(sums, best) + 1e-9);
    }
  });
});
