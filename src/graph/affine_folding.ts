/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Per-channel affine ops of a graph (bias additions, scalings, batch normalizations) folded into the weights of
// the convolution or matmul they follow.
import {boolAttr, dataInputs, GraphNode, numberAttr} from './graph_def';
import type {GraphConstant} from './graph_source';

/** The ops that may apply a per-channel affine map. */
export const AFFINE_OPS = new Set(['BiasAdd', 'Add', 'AddV2', 'Sub', 'Mul', 'FusedBatchNorm', 'FusedBatchNormV3']);

/** A producer's weights while ops after it are folded in: the kernel (output channel fastest) and the bias. */
export interface Folding {
  kernel: Float32Array;
  kernelShape: number[];
  bias: Float32Array;
}

/** `x ↦ x·s` (`scale`), `x + v` (`shift`), `x − v` (`subtract`), or `(x − mean)·s + offset` (`batchNorm`). */
export interface AffineMap {
  op: 'scale'|'shift'|'subtract'|'batchNorm';
  /** `[v]`, `[s]`, or `[s, offset, mean]` for a batch normalization, one value per channel. */
  values: Float64Array[];
}

/**
 * The per-channel affine map that `node` applies to the tensor `chainInput` of `size` channels (its constant
 * operand a scalar, broadcast, or a vector along the channels), or null when it applies none.
 */
export function affineMap(node: GraphNode, size: number, chainInput: string,
                          constantOf: (ref: string) => GraphConstant|undefined): AffineMap|null {
  if (!AFFINE_OPS.has(node.op)) return null;
  const refs = dataInputs(node);
  const names = (node.input ?? []).filter(r => !r.startsWith('^'));
  if (node.op === 'FusedBatchNorm' || node.op === 'FusedBatchNormV3') {
    if (refs[0].node !== chainInput || boolAttr(node, 'is_training', false)) return null;
    const parts = names.slice(1, 5).map(r => constantOf(r));
    if (parts.length !== 4 || parts.some(p => p == null || p.values.length !== size)) return null;
    const eps = numberAttr(node, 'epsilon', 1e-3);
    const [scale, offset, mean, variance] = parts.map(p => Float64Array.from(p!.values));
    return {op: 'batchNorm', values: [scale.map((g, i) => g / Math.sqrt(variance[i] + eps)), offset, mean]};
  }
  if (names.length !== 2) return null;
  const which = refs[0].node === chainInput ? 1 : refs[1].node === chainInput ? 0 : -1;
  if (which < 0 || (which === 0 && (node.op === 'Sub' || node.op === 'BiasAdd'))) return null;
  const c = constantOf(names[which]);
  if (c == null || (c.values.length !== 1 && c.values.length !== size) ||
      (c.values.length === size && c.shape.some((d, i) => d !== 1 && i !== c.shape.length - 1))) {
    return null;
  }
  const values = Float64Array.from({length: size}, (_, i) => c.values[c.values.length === 1 ? 0 : i]);
  return {op: node.op === 'Mul' ? 'scale' : node.op === 'Sub' ? 'subtract' : 'shift', values: [values]};
}

/** Folds `map` into `f`: the producer then computes the map of what it computed. */
export function foldAffine(f: Folding, map: AffineMap) {
  const size = f.bias.length;
  const [v, offset, mean] = map.values;
  if (map.op === 'scale' || map.op === 'batchNorm') {
    for (let i = 0; i < f.kernel.length; i++) f.kernel[i] *= v[i % size];
    for (let i = 0; i < size; i++) {
      f.bias[i] = map.op === 'scale' ? f.bias[i] * v[i] : (f.bias[i] - mean[i]) * v[i] + offset[i];
    }
  } else {
    for (let i = 0; i < size; i++) f.bias[i] += map.op === 'shift' ? v[i] : -v[i];
  }
}
