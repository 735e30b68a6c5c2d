/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {mulberry32} from '../util/random';

/** What the permutation did to one group. */
export interface PermutationReport {
  /** The group's name. */
  group: string;
  /** Its channels. */
  size: number;
  /** Total variation along the channel axis in the identity order. */
  tvBefore: number;
  /** Total variation along the channel axis in the order kept. */
  tvAfter: number;
  /** Time of the search, distances included. */
  milliseconds: number;
}

/**
 * A channel axis of a weight tensor that belongs to a group: the tensor `weights[index]` seen as
 * `[before, total, after]` (a flattened dense kernel's input axis is `[taps, n, out]`), of which the group holds
 * `[offset, offset + n)` (a segment of a concatenated axis; the whole axis otherwise).
 */
export interface ChannelAxisRef {
  group: string;
  weights: tf.Tensor[];
  index: number;
  before: number;
  after: number;
  total: number;
  offset: number;
}

/** `[before, total, after]` view of the referenced tensor. */
const view = (r: ChannelAxisRef) => tf.reshape(r.weights[r.index], [r.before, r.total, r.after]);

/** Entries per block of the host-side distance computation (rows of `n` channels × columns). */
const BLOCK_ENTRIES = 1 << 22;
/** Above this many absolute differences per member, the distances use an evenly strided subset of its columns. */
const MAX_DIFFERENCES = 4e8;

/**
 * `d[i][j] = Σ_members mean_k |M[i, k] - M[j, k]|` (docs/inn-math.md §4), `M` the member's `[n, before·after]` matrix of
 * the group's channels. Computed on the host from one read of each member, in blocks of columns that bound the
 * memory by {@link BLOCK_ENTRIES} whatever the layer size; a member so large that its differences would pass
 * {@link MAX_DIFFERENCES} contributes the mean over an evenly strided subset of its columns (deterministic).
 */
async function distances(refs: ChannelAxisRef[], n: number): Promise<Float64Array> {
  const d = new Float64Array(n * n);
  for (const r of refs) {
    const values = await r.weights[r.index].data() as Float32Array;
    const columns = r.before * r.after;
    const stride = Math.max(1, Math.ceil(columns * n * (n - 1) / 2 / MAX_DIFFERENCES));
    const sampled = Math.ceil(columns / stride);
    const blockColumns = Math.max(1, Math.floor(BLOCK_ENTRIES / n));
    const rows = new Float32Array(n * Math.min(blockColumns, sampled));
    for (let start = 0; start < sampled; start += blockColumns) {
      const width = Math.min(blockColumns, sampled - start);
      // rows[i·width + c] = M[i, (start + c)·stride], column k of M being (b, a) = (⌊k / after⌋, k mod after).
      for (let c = 0; c < width; c++) {
        const k = (start + c) * stride;
        const base = (Math.floor(k / r.after) * r.total + r.offset) * r.after + k % r.after;
        for (let i = 0; i < n; i++) rows[i * width + c] = values[base + i * r.after];
      }
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let sum = 0;
          for (let c = 0, a = i * width, b = j * width; c < width; c++) sum += Math.abs(rows[a + c] - rows[b + c]);
          d[i * n + j] += sum / sampled;
          d[j * n + i] += sum / sampled;
        }
      }
    }
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
 * Orders each group's channels along a short open path of total variation (a travelling-salesman path over
 * channel distances) and applies the same order to every referenced axis, in place. The network function is
 * unchanged; the identity order is kept unless a shorter path is found.
 */
export async function permuteGroups(groups: Array<{name: string, size: number}>, refs: ChannelAxisRef[],
                                    {seed, budgetMs}: {seed: number, budgetMs: number}): Promise<PermutationReport[]> {
  const reports: PermutationReport[] = [];
  for (const g of groups) {
    const members = refs.filter(r => r.group === g.name);
    const n = g.size;
    if (n < 3 || members.length === 0) continue;
    const start = performance.now();
    const d = await distances(members, n);
    const order = shortestOpenPath(d, n, seed, budgetMs);
    const tvBefore = pathLength(d, n, Int32Array.from({length: n}, (_, i) => i)), tvAfter = pathLength(d, n, order);
    if (tvAfter < tvBefore) {
      for (const r of members) {
        const full = Int32Array.from({length: r.total}, (_, i) => i);
        order.forEach((o, i) => full[r.offset + i] = r.offset + o);
        const permuted = tf.tidy(() => tf.reshape(tf.gather(view(r), full, 1), r.weights[r.index].shape));
        r.weights[r.index].dispose();
        r.weights[r.index] = permuted;
      }
    }
    reports.push({group: g.name, size: n, tvBefore, tvAfter: Math.min(tvAfter, tvBefore),
                  milliseconds: performance.now() - start});
  }
  return reports;
}
