/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {mulberry32} from '../util/random';
import {ChannelAnalysis, LayerCall} from './channel_groups';
import type {ProducerWeights} from './convert';

/** What the permutation did to one group. */
export interface PermutationReport {
  group: string;
  size: number;
  /** Total variation along the channel axis before (identity order) and after. */
  tvBefore: number;
  tvAfter: number;
  milliseconds: number;
}

/** A tensor of a group seen channel-first: `[n, k]` with the group's channel axis first. */
interface Member {
  /** `[n, k]` view for distances. */
  rows: () => tf.Tensor2D;
  /** Applies a channel order (new channel `i` = old channel `order[i]`). */
  apply: (order: Int32Array) => void;
}

/** Members of a group: producers' output channels (kernel and bias) and consumers' input channels. */
function members(group: string, analysis: ChannelAnalysis, producers: Map<string, LayerCall>,
                 weights: Map<string, ProducerWeights>): Member[] {
  const out: Member[] = [];
  for (const [name, call] of producers) {
    const w = weights.get(name)!;
    if (analysis.groupOf(call.outputs[0]).name === group) {
      const last = w.kernel.rank - 1;
      out.push({
        rows: () => tf.transpose(tf.reshape(w.kernel, [-1, w.kernel.shape[last]])) as tf.Tensor2D,
        apply: order => replace(w, 'kernel', tf.tidy(() => tf.gather(w.kernel, order, last))),
      });
      out.push({
        rows: () => tf.reshape(w.bias, [-1, 1]) as tf.Tensor2D,
        apply: order => replace(w, 'bias', tf.tidy(() => tf.gather(w.bias, order))),
      });
    }
    if (analysis.groupOf(call.inputs[0]).name === group) {
      // The input axis, per spatial tap: [..., taps·n, out] seen as [taps_total, n, out].
      const n = analysis.groupOf(call.inputs[0]).originalSize;
      const asTaps = () => tf.reshape(w.kernel, [-1, n, w.kernel.shape[w.kernel.rank - 1]]);
      out.push({
        rows: () => tf.reshape(tf.transpose(asTaps(), [1, 0, 2]), [n, -1]) as tf.Tensor2D,
        apply: order => replace(w, 'kernel', tf.tidy(() => tf.reshape(tf.gather(asTaps(), order, 1), w.kernel.shape))),
      });
    }
  }
  return out;
}

function replace(w: ProducerWeights, key: 'kernel'|'bias', value: tf.Tensor) {
  w[key].dispose();
  if (key === 'kernel') w.kernel = value; else w.bias = value as tf.Tensor1D;
}

/**
 * `d[i][j] = Σ_members mean_k |M[i, k] - M[j, k]|` (inn-math.md §4), computed with tf ops in row blocks that keep
 * the `[rows, n, k]` difference under a few million entries.
 */
async function distances(ms: Member[], n: number): Promise<Float64Array> {
  const d = new Float64Array(n * n);
  for (const m of ms) {
    const block = tf.tidy(() => {
      const rows = m.rows();
      const k = rows.shape[1];
      const step = Math.max(1, Math.floor(4e6 / (n * k)));
      const parts: tf.Tensor[] = [];
      for (let i = 0; i < n; i += step) {
        const a = tf.expandDims(tf.slice(rows, [i, 0], [Math.min(step, n - i), k]), 1);
        parts.push(tf.mean(tf.abs(tf.sub(a, tf.expandDims(rows, 0))), 2));
      }
      return tf.concat(parts);
    });
    const values = await block.data();
    block.dispose();
    for (let i = 0; i < n * n; i++) d[i] += values[i];
  }
  return d;
}

/** Length of the open path `order` under distances `d`. */
export function pathLength(d: ArrayLike<number>, n: number, order: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i + 1 < order.length; i++) total += d[order[i] * n + order[i + 1]];
  return total;
}

function nearestNeighbour(d: Float64Array, n: number, start: number): Int32Array {
  const order = new Int32Array(n), used = new Uint8Array(n);
  order[0] = start;
  used[start] = 1;
  for (let i = 1; i < n; i++) {
    let best = -1;
    for (let j = 0; j < n; j++) {
      if (!used[j] && (best < 0 || d[order[i - 1] * n + j] < d[order[i - 1] * n + best])) best = j;
    }
    order[i] = best;
    used[best] = 1;
  }
  return order;
}

/**
 * 2-opt on an open path: reversing `order[i+1..j]` changes the length by
 * `d(a, c) + d(b, e) - d(a, b) - d(c, e)` with `a, b = order[i], order[i+1]`, `c, e = order[j], order[j+1]`
 * (terms with a missing end vanish, so prefixes and suffixes can be reversed too). Repeats until no move improves
 * or the deadline passes.
 */
function twoOpt(d: Float64Array, n: number, order: Int32Array, deadline: number): Int32Array {
  const at = (i: number) => (i < 0 || i >= n ? -1 : order[i]);
  const dist = (a: number, b: number) => (a < 0 || b < 0 ? 0 : d[a * n + b]);
  let improved = true;
  while (improved && performance.now() < deadline) {
    improved = false;
    for (let i = -1; i < n - 1; i++) {
      for (let j = i + 2; j < n; j++) {
        const [a, b, c, e] = [at(i), at(i + 1), at(j), at(j + 1)];
        if (dist(a, c) + dist(b, e) < dist(a, b) + dist(c, e) - 1e-12) {
          order.subarray(i + 1, j + 1).reverse();
          improved = true;
        }
      }
    }
  }
  return order;
}

/** The best open path found from the identity, nearest-neighbour starts (seeded) and 2-opt on each. */
export function shortestOpenPath(d: Float64Array, n: number, seed: number, budgetMs: number): Int32Array {
  const deadline = performance.now() + budgetMs;
  const random = mulberry32(seed);
  const starts = [0, ...Array.from({length: 4}, () => Math.floor(random() * n))];
  let best: Int32Array = Int32Array.from({length: n}, (_, i) => i);
  let bestLength = pathLength(d, n, best);
  const candidates = [Int32Array.from(best), ...starts.map(s => nearestNeighbour(d, n, s))];
  for (const c of candidates) {
    const path = twoOpt(d, n, c, deadline);
    const length = pathLength(d, n, path);
    if (length < bestLength - 1e-12) [best, bestLength] = [path, length];
  }
  return best;
}

/**
 * Orders each continuous group's channels along a short open path of total variation (a travelling-salesman
 * path over channel distances), applying the same order to every member. The network function is unchanged; the
 * identity order is kept unless a shorter path is found.
 */
export async function permuteGroups(
    analysis: ChannelAnalysis, producers: Map<string, LayerCall>, weights: Map<string, ProducerWeights>,
    {seed, budgetMs}: {seed: number, budgetMs: number}): Promise<PermutationReport[]> {
  const reports: PermutationReport[] = [];
  for (const g of analysis.groups) {
    if (!g.continuous || g.originalSize < 3) continue;
    const ms = members(g.name, analysis, producers, weights);
    if (ms.length === 0) continue;
    const start = performance.now();
    const n = g.originalSize;
    const d = await distances(ms, n);
    const identity = Int32Array.from({length: n}, (_, i) => i);
    const order = shortestOpenPath(d, n, seed, budgetMs);
    const tvBefore = pathLength(d, n, identity), tvAfter = pathLength(d, n, order);
    if (tvAfter < tvBefore) for (const m of ms) m.apply(order);
    reports.push({group: g.name, size: n, tvBefore, tvAfter: Math.min(tvAfter, tvBefore),
                  milliseconds: performance.now() - start});
  }
  return reports;
}
