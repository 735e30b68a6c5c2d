/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {cubicFn} from '../shared/cubic';
import {CUBIC_GLSL} from './cubic_glsl';
import {GPGPUProgramLike, SIZE_UNIFORMS} from './webgl_types';

/**
 * GLSL twin of `IntegralWeightProgram` (webgpu): one fragment per weight `[P, n_in, n_out]`. The cache key is the
 * class name plus `userCode`, which only varies with the derivative flags; sizes and `a` are uniforms.
 */
export class IntegralWeightProgram implements GPGPUProgramLike {
  variableNames = ['controls', 'inCoords', 'outCoords', 'quadWeights'];
  outputShape: number[];
  userCode: string;
  customUniforms = SIZE_UNIFORMS;

  constructor(outputShape: [number, number, number], inDerivative: boolean, outDerivative: boolean) {
    this.outputShape = outputShape;
    this.userCode = `
      ${CUBIC_GLSL}
      void main() {
        ivec3 c = getOutputCoords();
        float t = getInCoords(c.y);
        float s = getOutCoords(c.z);
        int baseIn = int(floor(t)) - 1;
        int baseOut = int(floor(s)) - 1;
        float acc = 0.0;
        for (int r = 0; r < 4; r++) {
          float wIn = ${cubicFn(inDerivative)}(t - float(baseIn + r));
          if (wIn != 0.0) {
            int k = clamp(baseIn + r, 0, lastIn);
            float row = 0.0;
            for (int u = 0; u < 4; u++) {
              row += ${cubicFn(outDerivative)}(s - float(baseOut + u)) *
                     getControls(c.x, k, clamp(baseOut + u, 0, lastOut));
            }
            acc += wIn * row;
          }
        }
        setOutput(getQuadWeights(c.y) * acc);
      }
    `;
  }
}

/** GLSL twin of `IntegralWeightBackpropProgram` (webgpu): a gather over the samples each control reaches. */
export class IntegralWeightBackpropProgram implements GPGPUProgramLike {
  variableNames = ['dy', 'inCoords', 'outCoords', 'quadWeights'];
  outputShape: number[];
  userCode: string;
  customUniforms = SIZE_UNIFORMS;

  constructor(controlsShape: [number, number, number]) {
    this.outputShape = controlsShape;
    const search = (name: string, getter: string, size: string) => `
      int ${name}(float v) {
        int lo = 0;
        int hi = ${size};
        while (lo < hi) {
          int mid = (lo + hi) / 2;
          if (${getter}(mid) > v) { hi = mid; } else { lo = mid + 1; }
        }
        return lo;
      }`;
    this.userCode = `
      ${CUBIC_GLSL}
      ${search('firstInAbove', 'getInCoords', 'nIn')}
      ${search('firstOutAbove', 'getOutCoords', 'nOut')}
      float tapWeight(float t, int node, int last) {
        int base = int(floor(t)) - 1;
        float w = 0.0;
        for (int r = 0; r < 4; r++) {
          if (clamp(base + r, 0, last) == node) w += cubicValue(t - float(base + r));
        }
        return w;
      }
      void main() {
        ivec3 c = getOutputCoords();
        int iEnd = firstInAbove(float(c.y) + 2.0);
        int oBegin = firstOutAbove(float(c.z) - 2.0);
        int oEnd = firstOutAbove(float(c.z) + 2.0);
        float acc = 0.0;
        for (int i = firstInAbove(float(c.y) - 2.0); i < iEnd; i++) {
          float wIn = tapWeight(getInCoords(i), c.y, lastIn) * getQuadWeights(i);
          if (wIn != 0.0) {
            float row = 0.0;
            for (int o = oBegin; o < oEnd; o++) {
              row += tapWeight(getOutCoords(o), c.z, lastOut) * getDy(c.x, i, o);
            }
            acc += wIn * row;
          }
        }
        setOutput(acc);
      }
    `;
  }
}

/** Values of `SIZE_UNIFORMS`, in order. */
export function sizeUniforms(cIn: number, cOut: number, inCoords: TensorInfo, outCoords: TensorInfo, cubicA: number) {
  return [[cIn - 1], [cOut - 1], [inCoords.shape[0]], [outCoords.shape[0]], [cubicA]];
}
