/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {cubicFn} from '../shared/cubic';
import {CUBIC_WGSL} from './cubic_wgsl';
import {FLAT_WORKGROUP, flatDispatch} from './webgpu_types';

/**
 * `W[p, i, o] = q_i Σ_r Σ_u K(t_i - k_r) K(s_o - l_u) controls[p, clamp(k_r), clamp(l_u)]`: one thread per
 * weight, flat dispatch over `[P, n_in, n_out]`, the 4 output taps evaluated once (8 kernel evaluations and at most
 * 16 reads per weight; two separable passes measured slower on SwiftShader: twice the threads). `shaderKey`
 * encodes the derivative flags (which function is compiled in for each axis); sizes travel as the backend's shape
 * uniforms, `a` as a uniform.
 */
export class IntegralWeightProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  variableNames = ['controls', 'inCoords', 'outCoords', 'quadWeights'];
  uniforms = 'cubicA : f32,';
  workgroupSize = FLAT_WORKGROUP;
  size = true;
  private readonly inKernel: string;
  private readonly outKernel: string;

  constructor(outputShape: [number, number, number], inDerivative: boolean, outDerivative: boolean) {
    this.outputShape = outputShape;
    ({dispatchLayout: this.dispatchLayout, dispatch: this.dispatch} = flatDispatch(outputShape));
    this.inKernel = cubicFn(inDerivative);
    this.outKernel = cubicFn(outDerivative);
    this.shaderKey = `integralWeight_${this.inKernel}_${this.outKernel}`;
  }

  getUserCode(): string {
    return `
      ${CUBIC_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = getCoordsFromIndex(index);
          let lastIn = uniforms.controlsShape.y - 1;
          let lastOut = uniforms.controlsShape.z - 1;
          let t = getInCoords(c.y);
          let s = getOutCoords(c.z);
          let baseIn = i32(floor(t)) - 1;
          let baseOut = i32(floor(s)) - 1;
          var wOut : array<f32, 4>;
          var l : array<i32, 4>;
          for (var u = 0; u < 4; u++) {
            wOut[u] = ${this.outKernel}(s - f32(baseOut + u));
            l[u] = clamp(baseOut + u, 0, lastOut);
          }
          var acc = 0.0;
          for (var r = 0; r < 4; r++) {
            let wIn = ${this.inKernel}(t - f32(baseIn + r));
            if (wIn != 0.0) {
              let k = clamp(baseIn + r, 0, lastIn);
              acc += wIn * (wOut[0] * getControls(c.x, k, l[0]) + wOut[1] * getControls(c.x, k, l[1]) +
                            wOut[2] * getControls(c.x, k, l[2]) + wOut[3] * getControls(c.x, k, l[3]));
            }
          }
          setOutputAtIndex(index, getQuadWeights(c.y) * acc);
        }
      }
    `;
  }
}

/**
 * For each node `k` of an axis of `nodes` control nodes, the samples whose taps reach it: `[first, end)` with
 * `t ∈ (k - 2, k + 2)`, found by binary search in the increasing coordinates; `[nodes, 2]` (float32, exact below
 * 2^24). Computed once per axis, so the backprop threads do not each search.
 */
export class SampleRangeProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'integralSampleRange';
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  variableNames = ['positions'];
  workgroupSize = FLAT_WORKGROUP;
  size = true;

  constructor(nodes: number) {
    this.outputShape = [nodes, 2];
    ({dispatchLayout: this.dispatchLayout, dispatch: this.dispatch} = flatDispatch(this.outputShape));
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = getCoordsFromIndex(index);
          let v = f32(c.x) + select(-2.0, 2.0, c.y == 1);
          var lo = 0;
          var hi = uniforms.positionsShape;
          while (lo < hi) {
            let mid = (lo + hi) / 2;
            if (getPositions(mid) > v) { hi = mid; } else { lo = mid + 1; }
          }
          setOutputAtIndex(index, f32(lo));
        }
      }
    `;
  }
}

/**
 * One separable pass of the adjoint: `y[p, k, ·] = Σ_j B[j, k] (q_j) x[p, j, ·]` along `axis` (1 or 2), a gather over
 * the samples `j` whose taps reach node `k` (the ranges of {@link SampleRangeProgram}). `B[j, k]` sums the taps of
 * sample `j` that clamp onto `k`, exactly the forward's taps; `q_j` multiplies when `quadrature`. Two passes make
 * `dControls = B_inᵀ (q ⊙ dW) B_out`.
 */
export class AxisGatherProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'cubicA : f32,';
  workgroupSize = FLAT_WORKGROUP;
  size = true;

  constructor(xShape: number[], nodes: number, private readonly axis: 1|2, private readonly quadrature: boolean) {
    this.outputShape = axis === 1 ? [xShape[0], nodes, xShape[2]] : [xShape[0], xShape[1], nodes];
    ({dispatchLayout: this.dispatchLayout, dispatch: this.dispatch} = flatDispatch(this.outputShape));
    this.variableNames = ['x', 'positions', 'ranges', ...(quadrature ? ['quadWeights'] : [])];
    this.shaderKey = `integralWeightGather_${axis}_${quadrature}`;
  }

  getUserCode(): string {
    const [k, read] = this.axis === 1 ? ['c.y', 'getX(c.x, j, c.z)'] : ['c.z', 'getX(c.x, c.y, j)'];
    return `
      ${CUBIC_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = getCoordsFromIndex(index);
          let node = ${k};
          let last = uniforms.outShape.${this.axis === 1 ? 'y' : 'z'} - 1;
          let end = i32(getRanges(node, 1));
          var acc = 0.0;
          for (var j = i32(getRanges(node, 0)); j < end; j++) {
            let t = getPositions(j);
            let base = i32(floor(t)) - 1;
            var w = 0.0;
            for (var r = 0; r < 4; r++) {
              if (clamp(base + r, 0, last) == node) { w += cubicValue(t - f32(base + r)); }
            }
            acc += ${this.quadrature ? 'w * getQuadWeights(j)' : 'w'} * ${read};
          }
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}
