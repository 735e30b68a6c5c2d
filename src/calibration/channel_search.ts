/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The fitted grid's local search (docs/calibration.md): which `n` of a group's channels let the layer that reads the
// group reproduce its whole output best, by least squares on the calibration rows, refined by swapping channels.
import {chosenRidge, NormalEquations} from './normal_equations';

/**
 * A consumer's least squares with every channel of the group it reads as regressors: sums on the rows it is fitted
 * on and on held-out rows (`split` false: none held out), and the ridge's prior in the solution's layout.
 */
export interface SelectionSums {
  fitted: NormalEquations;
  heldOut: NormalEquations;
  split: boolean;
  prior: Float64Array;
}

/** Removals and additions a swap step tries, each way: the pairs of the first few of each ranking. */
const RANKED = 3;

/**
 * Fits the search may try when they solve for at most {@link SEARCH_REGRESSORS} regressors; a fit's cost grows with
 * their cube, and the tries shrink with it (to the weakest channel's swaps for the three most promising others at
 * least).
 */
const SEARCH_TRIES = 24, SEARCH_REGRESSORS = 512;

/** The fits a search from `starts` start sets of `regressors` regressors each may try. */
export function searchTries(starts: number, regressors: number): number {
  const scale = Math.min(1, (SEARCH_REGRESSORS / regressors) ** 3);
  return Math.max(starts + RANKED, Math.round(SEARCH_TRIES * scale));
}

/** The scoring of channel sets on one consumer's sums. */
class SelectionScore {
  /** The regressors of each channel. */
  private readonly regressors: number[][];
  ridge = 1e-3;
  tries = 0;

  constructor(private readonly sums: SelectionSums, channelOf: Int32Array, channels: number) {
    this.regressors = Array.from({length: channels}, () => []);
    channelOf.forEach((c, i) => this.regressors[c].push(i));
  }

  /** The regressors of a set of channels, increasing. */
  columns(set: number[]): number[] {
    return set.flatMap(c => this.regressors[c]).sort((a, b) => a - b);
  }

  /** The fit of the consumer on the channels `set` at the current ridge, and its (held-out) error. */
  fit(set: number[]): {error: number, solution: Float64Array, columns: number[]} {
    this.tries++;
    const columns = this.columns(set);
    const fitted = this.sums.fitted.restricted(columns);
    const solution = fitted.solve(this.ridge, this.priorOf(columns));
    const error = (this.sums.split ? this.sums.heldOut.restricted(columns) : fitted).error(solution);
    return {error, solution, columns};
  }

  /** Chooses the ridge on the held-out rows for the channels `set` (kept for every later fit). */
  chooseRidge(set: number[]) {
    if (!this.sums.split) return;
    const columns = this.columns(set);
    this.ridge = chosenRidge(this.sums.fitted.restricted(columns), this.sums.heldOut.restricted(columns),
                             this.priorOf(columns)).ridge;
  }

  /** The prior's rows of `columns` (and the bias row). */
  private priorOf(columns: number[]): Float64Array {
    const {d, k, bias} = this.sums.fitted;
    const rows = bias ? [...columns, d] : columns;
    const out = new Float64Array(rows.length * k);
    rows.forEach((r, i) => out.set(this.sums.prior.subarray(r * k, (r + 1) * k), i * k));
    return out;
  }

  /**
   * The selected channels ranked for removal (the least of the fit's prediction energy `Σ βᵢᵀGᵢⱼβⱼ` over their
   * regressors first) and the others ranked for addition (the largest normalized correlation of their regressors
   * with the fit's residual, `Σ ‖Cᵢ − Gᵢ,·β‖² / Gᵢᵢ`, first).
   */
  ranked(set: number[], fit: {solution: Float64Array, columns: number[]}): {removals: number[], additions: number[]} {
    const {gram, cross, size, k, d, bias} = this.sums.fitted;
    const rows = bias ? [...fit.columns, d] : fit.columns;
    const beta = fit.solution;
    const at = new Map(fit.columns.map((c, i) => [c, i]));
    const energy = (c: number) => {
      let total = 0;
      for (const i of this.regressors[c]) {
        const bi = at.get(i)! * k;
        for (const j of this.regressors[c]) {
          const [g, bj] = [gram[i * size + j], at.get(j)! * k];
          for (let o = 0; o < k; o++) total += beta[bi + o] * g * beta[bj + o];
        }
      }
      return total;
    };
    const correlation = (c: number) => {
      let total = 0;
      for (const i of this.regressors[c]) {
        const residual = Float64Array.from(cross.subarray(i * k, (i + 1) * k));
        rows.forEach((r, p) => {
          const g = gram[i * size + r];
          if (g !== 0) for (let o = 0; o < k; o++) residual[o] -= g * beta[p * k + o];
        });
        const scale = gram[i * size + i] || 1;
        for (let o = 0; o < k; o++) total += residual[o] * residual[o] / scale;
      }
      return total;
    };
    const inSet = new Set(set);
    const others = this.regressors.map((_, c) => c).filter(c => !inSet.has(c));
    const byEnergy = set.map(c => ({c, v: energy(c)})).sort((a, b) => a.v - b.v);
    const byCorrelation = others.map(c => ({c, v: correlation(c)})).sort((a, b) => b.v - a.v);
    return {removals: byEnergy.map(e => e.c), additions: byCorrelation.map(e => e.c)};
  }
}

/**
 * The `n`-channel set (of `channels`; `channelOf[i]`: the channel of regressor `i`) from which the consumer
 * reproduces its output with the lowest held-out error: the best of `starts` (sets of `n` channels), then swaps of
 * one selected channel for one other while one lowers the error, at most `maxTries` fits in all. Each step tries
 * the pairs of the {@link RANKED} weakest selected channels and the most promising others, and takes the best.
 * The ridge is chosen once, on the best start.
 */
export function searchedChannels(sums: SelectionSums, channelOf: Int32Array, channels: number, starts: number[][],
                                 maxTries: number): number[] {
  const score = new SelectionScore(sums, channelOf, channels);
  const sorted = starts.map(s => [...s].sort((a, b) => a - b));
  score.chooseRidge(sorted[0]);
  let best = sorted.map(set => ({set, fit: score.fit(set)})).reduce((a, b) => b.fit.error < a.fit.error ? b : a);
  while (score.tries < maxTries) {
    const {removals, additions} = score.ranked(best.set, best.fit);
    let step: typeof best|null = null;
    for (const out of removals.slice(0, RANKED)) {
      for (const add of additions.slice(0, RANKED)) {
        if (score.tries >= maxTries) break;
        const set = best.set.map(c => c === out ? add : c).sort((a, b) => a - b);
        const fit = score.fit(set);
        if (fit.error < (step ?? best).fit.error) step = {set, fit};
      }
    }
    if (step == null) break;
    best = step;
  }
  return best.set;
}
