/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

import {cubicFn} from '../shared/cubic';
import {CUBIC_GLSL} from './cubic_glsl';
import {CustomUniform, GPGPUProgramLike, SIZE_UNIFORMS} from './webgl_types';

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
    const outKernel = cubicFn(outDerivative);
    this.userCode = `
      ${CUBIC_GLSL}
      void main() {
        ivec3 c = getOutputCoords();
        float t = getInCoords(c.y);
        float s = getOutCoords(c.z);
        int baseIn = int(floor(t)) - 1;
        int baseOut = int(floor(s)) - 1;
        vec4 wOut = vec4(${outKernel}(s - float(baseOut)), ${outKernel}(s - float(baseOut + 1)),
                         ${outKernel}(s - float(baseOut + 2)), ${outKernel}(s - float(baseOut + 3)));
        ivec4 l = clamp(ivec4(baseOut) + ivec4(0, 1, 2, 3), 0, lastOut);
        float acc = 0.0;
        for (int r = 0; r < 4; r++) {
          float wIn = ${cubicFn(inDerivative)}(t - float(baseIn + r));
          if (wIn != 0.0) {
            int k = clamp(baseIn + r, 0, lastIn);
            acc += wIn * dot(wOut, vec4(getControls(c.x, k, l.x), getControls(c.x, k, l.y), getControls(c.x, k, l.z),
                                        getControls(c.x, k, l.w)));
          }
        }
        setOutput(getQuadWeights(c.y) * acc);
      }
    `;
  }
}

/** GLSL twin of `SampleRangeProgram` (webgpu): `[first, end)` of the samples reaching each node, `[nodes, 2]`. */
export class SampleRangeProgram implements GPGPUProgramLike {
  variableNames = ['positions'];
  outputShape: number[];
  customUniforms: CustomUniform[] = [{name: 'count', type: 'int'}];
  userCode = `
    void main() {
      ivec2 c = getOutputCoords();
      float v = float(c.x) + (c.y == 1 ? 2.0 : -2.0);
      int lo = 0;
      int hi = count;
      while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (getPositions(mid) > v) { hi = mid; } else { lo = mid + 1; }
      }
      setOutput(float(lo));
    }
  `;

  constructor(nodes: number) {
    this.outputShape = [nodes, 2];
  }
}

/** GLSL twin of `AxisGatherProgram` (webgpu): one separable pass of the adjoint along `axis`. */
export class AxisGatherProgram implements GPGPUProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms: CustomUniform[] = [{name: 'cubicA', type: 'float'}, {name: 'last', type: 'int'}];

  /** Uniform values `[cubicA, nodes - 1]`. */
  static uniforms(cubicA: number, nodes: number): number[][] {
    return [[cubicA], [nodes - 1]];
  }

  constructor(xShape: number[], nodes: number, axis: 1|2, quadrature: boolean) {
    this.outputShape = axis === 1 ? [xShape[0], nodes, xShape[2]] : [xShape[0], xShape[1], nodes];
    this.variableNames = ['x', 'positions', 'ranges', ...(quadrature ? ['quadWeights'] : [])];
    const [k, read] = axis === 1 ? ['c.y', 'getX(c.x, j, c.z)'] : ['c.z', 'getX(c.x, c.y, j)'];
    this.userCode = `
      ${CUBIC_GLSL}
      void main() {
        ivec3 c = getOutputCoords();
        int node = ${k};
        int end = int(getRanges(node, 1));
        float acc = 0.0;
        for (int j = int(getRanges(node, 0)); j < end; j++) {
          float t = getPositions(j);
          int base = int(floor(t)) - 1;
          float w = 0.0;
          for (int r = 0; r < 4; r++) {
            if (clamp(base + r, 0, last) == node) w += cubicValue(t - float(base + r));
          }
          acc += ${quadrature ? 'w * getQuadWeights(j)' : 'w'} * ${read};
        }
        setOutput(acc);
      }
    `;
  }
}

/** Values of `SIZE_UNIFORMS`, in order. */
export function sizeUniforms(cIn: number, cOut: number, cubicA: number) {
  return [[cIn - 1], [cOut - 1], [cubicA]];
}
