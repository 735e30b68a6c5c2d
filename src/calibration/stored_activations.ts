/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {kindOfClass} from '../converter/kinds/registry';

/** Re-fitted layers a chain of calls between two stored activations runs at most (each read recomputes the chain). */
const MAX_CHAIN_FITS = 2;
/**
 * Multiply-adds per value a chain may take to recompute an activation: about what copying a value out of the
 * backend to the host and back costs on wasm.
 */
const MAX_RECOMPUTE_MACS = 128;

/** A layer call: the layer, the tensors it reads. */
interface Call {
  layer: tfl.layers.Layer;
  inputs: tfl.SymbolicTensor[];
}

/** True for a layer calibration re-fits. */
const fitted = (layer: tfl.layers.Layer) => kindOfClass(layer.getClassName())?.calibration != null;

/** The tensors of `model` a calibration may read as a fitted layer's input (an ActivationCache's `unchanging`). */
export function fittedInputs(model: tfl.LayersModel): (t: tfl.SymbolicTensor) => boolean {
  const read = new Set(model.layers.filter(fitted).flatMap(layer => layer.inboundNodes.flatMap(n => n.inputTensors)));
  return t => read.has(t);
}

/** Values per example of a tensor (NaN when a dimension is unknown). */
const valuesOf = (t: tfl.SymbolicTensor) => t.shape.slice(1).reduce((a: number, b) => a * (b ?? NaN), 1);

/**
 * The activations of `model` a cache of them stores on the host (an ActivationCache's `keep`), besides its input
 * and the tensors read by several calls: the input of a re-fitted layer that widens it (it holds fewer values per
 * example than the layer's output, as at the start of an inverted residual block), or whose chain of calls from the
 * last stored tensor would run more than {@link MAX_CHAIN_FITS} re-fitted layers or cost more than
 * {@link MAX_RECOMPUTE_MACS} multiply-adds per value. The activations in between (an expansion's output, a depthwise
 * convolution's) are recomputed from the chain's start when read: the host holds the narrow ones, and a chain of
 * cheap layers runs more than once; a 3×3 convolution over many channels is stored instead.
 */
export function storedActivations(model: tfl.LayersModel): (t: tfl.SymbolicTensor) => boolean {
  const producer = new Map<tfl.SymbolicTensor, Call>();
  const fittedReaders = new Map<tfl.SymbolicTensor, tfl.SymbolicTensor[]>();
  const readers = new Map<tfl.SymbolicTensor, number>();
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes) {
      for (const t of node.outputTensors) producer.set(t, {layer, inputs: node.inputTensors});
      for (const t of node.inputTensors) {
        readers.set(t, (readers.get(t) ?? 0) + 1);
        if (fitted(layer)) fittedReaders.set(t, [...fittedReaders.get(t) ?? [], ...node.outputTensors]);
      }
    }
  }
  /** Multiply-adds per example of a re-fitted layer making `t`: its parameters per output channel, per output value. */
  const macsOf = (call: Call, t: tfl.SymbolicTensor) =>
      fitted(call.layer) ? call.layer.countParams() / (t.shape[t.rank - 1] ?? NaN) * valuesOf(t) : 0;
  // The chain from the last stored tensors to each tensor: the re-fitted layers it runs, and their multiply-adds per
  // example (nothing for a stored tensor).
  const chains = new Map<tfl.SymbolicTensor, {fits: number, macs: number}>();
  const stored = new Set<tfl.SymbolicTensor>();
  const chainTo = (t: tfl.SymbolicTensor): {fits: number, macs: number} => {
    if (chains.has(t)) return chains.get(t)!;
    // The model's input (an input layer's node reads and makes it) starts every chain.
    const call = producer.get(t);
    const source = call == null || call.inputs.includes(t);
    const before = source ? [] : call.inputs.map(chainTo);
    const fits = Math.max(0, ...before.map(c => c.fits)) + (!source && fitted(call.layer) ? 1 : 0);
    const macs = before.reduce((sum, c) => sum + c.macs, 0) + (source ? 0 : macsOf(call, t));
    const outputs = fittedReaders.get(t) ?? [];
    const costly = fits > MAX_CHAIN_FITS || !(macs / valuesOf(t) <= MAX_RECOMPUTE_MACS);
    const store = source || (readers.get(t) ?? 0) !== 1 ||
                  (outputs.length > 0 && (outputs.every(o => valuesOf(t) < valuesOf(o)) || costly));
    if (store) stored.add(t);
    chains.set(t, store ? {fits: 0, macs: 0} : {fits, macs});
    return chains.get(t)!;
  };
  return t => {
    chainTo(t);
    return stored.has(t);
  };
}
