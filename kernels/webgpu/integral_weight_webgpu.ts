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
 * weight, flat dispatch over `[P, n_in, n_out]`. `shaderKey` encodes the derivative flags (which function
 * is compiled in for each axis); sizes travel as the backend's shape uniforms, `a` as a uniform.
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
          var acc = 0.0;
          for (var r = 0; r < 4; r++) {
            let wIn = ${this.inKernel}(t - f32(baseIn + r));
            if (wIn != 0.0) {
              let k = clamp(baseIn + r, 0, lastIn);
              var row = 0.0;
              for (var u = 0; u < 4; u++) {
                row += ${this.outKernel}(s - f32(baseOut + u)) * getControls(c.x, k, clamp(baseOut + u, 0, lastOut));
              }
              acc += wIn * row;
            }
          }
          setOutputAtIndex(index, getQuadWeights(c.y) * acc);
        }
      }
    `;
  }
}

/**
 * `dControls[p, k, l] = Σ_i Σ_o B_in[i, k] q_i dy[p, i, o] B_out[o, l]` as a gather: one thread per control,
 * looping only over the samples whose taps reach node `k` (resp. `l`), i.e. `t ∈ (k-2, k+2)`, found by binary
 * search in the increasing coordinates. `B[j, k]` sums the taps of sample `j` that clamp onto `k`, exactly
 * the forward's taps.
 */
export class IntegralWeightBackpropProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'integralWeightBackprop';
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  variableNames = ['dy', 'inCoords', 'outCoords', 'quadWeights'];
  uniforms = 'cubicA : f32,';
  workgroupSize = FLAT_WORKGROUP;
  size = true;

  constructor(controlsShape: [number, number, number]) {
    this.outputShape = controlsShape;
    ({dispatchLayout: this.dispatchLayout, dispatch: this.dispatch} = flatDispatch(controlsShape));
  }

  getUserCode(): string {
    const search = (name: string, coords: string) => `
      fn ${name}(v : f32) -> i32 {
        var lo = 0;
        var hi = uniforms.${coords}Shape;
        while (lo < hi) {
          let mid = (lo + hi) / 2;
          if (get${coords[0].toUpperCase()}${coords.slice(1)}(mid) > v) { hi = mid; } else { lo = mid + 1; }
        }
        return lo;
      }`;
    return `
      ${CUBIC_WGSL}
      fn tapWeight(t : f32, node : i32, last : i32) -> f32 {
        let base = i32(floor(t)) - 1;
        var w = 0.0;
        for (var r = 0; r < 4; r++) {
          if (clamp(base + r, 0, last) == node) { w += cubicValue(t - f32(base + r)); }
        }
        return w;
      }
      ${search('firstInAbove', 'inCoords')}
      ${search('firstOutAbove', 'outCoords')}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = getCoordsFromIndex(index);
          let lastIn = uniforms.outShape.y - 1;
          let lastOut = uniforms.outShape.z - 1;
          let iBegin = firstInAbove(f32(c.y) - 2.0);
          let iEnd = firstInAbove(f32(c.y) + 2.0);
          let oBegin = firstOutAbove(f32(c.z) - 2.0);
          let oEnd = firstOutAbove(f32(c.z) + 2.0);
          var acc = 0.0;
          for (var i = iBegin; i < iEnd; i++) {
            let wIn = tapWeight(getInCoords(i), c.y, lastIn) * getQuadWeights(i);
            if (wIn != 0.0) {
              var row = 0.0;
              for (var o = oBegin; o < oEnd; o++) {
                row += tapWeight(getOutCoords(o), c.z, lastOut) * getDy(c.x, i, o);
              }
              acc += wIn * row;
            }
          }
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}
