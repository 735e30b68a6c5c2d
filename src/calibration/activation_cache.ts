/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {tensorOfHostValues, valuesMadeFrom} from '../util/host_backend';

type SymbolicTensor = tfl.SymbolicTensor;

/** One batch of a tensor's values, held on the host. */
export interface HostBatch {
  values: tf.TypedArray;
  shape: number[];
  dtype: tf.DataType;
}

/** A layer call of the graph: a layer with the symbolic inputs and outputs of one of its inbound nodes. */
interface LayerCall {
  layer: tfl.layers.Layer;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

/** One batch of a tensor on the host: the values it was made from, or a copy (the tensor is left to the caller). */
export async function toHost(t: tf.Tensor): Promise<HostBatch> {
  return {values: valuesMadeFrom(t) ?? await t.data(), shape: t.shape, dtype: t.dtype};
}

/**
 * The inputs of `batches` cut into at least `count` batches (rows split evenly; the batches are views of the same
 * values), when they hold at least `count` rows; else as they are.
 */
export function atLeastBatches(batches: HostBatch[], count: number): HostBatch[] {
  const rows = batches.reduce((n, b) => n + b.shape[0], 0);
  if (batches.length >= count || rows < count) return batches;
  const per = Math.ceil(rows / count);
  return batches.flatMap(b => {
    const size = b.values.length / b.shape[0];
    const parts: HostBatch[] = [];
    for (let start = 0; start < b.shape[0]; start += per) {
      const n = Math.min(per, b.shape[0] - start);
      parts.push({values: b.values.subarray(start * size, (start + n) * size) as tf.TypedArray,
                  shape: [n, ...b.shape.slice(1)], dtype: b.dtype});
    }
    return parts;
  });
}

/** A tensor of one host batch (the inverse of {@link toHost}; unfoldings read its values back without a copy). */
export function fromHost(host: HostBatch): tf.Tensor {
  return tensorOfHostValues(host.values, host.shape, host.dtype);
}

/**
 * The activations of a single-input network on a set of inputs, batch by batch, kept on the host: each layer call
 * runs once per batch when a stored tensor that depends on it is first asked for, and its inputs are dropped once
 * every call that reads them has run. Calibration fits one layer after another in graph order; with this cache the
 * network runs about once in all, instead of once up to each fitted layer. Backend memory stays bounded by one
 * batch; the host holds the stored tensors between the layers already run and those still to run.
 *
 * Only the tensors `keep` accepts, and those read by more than one call, are stored on the host: a chain of calls
 * between them runs on the backend within a batch, its intermediate tensors never copied; a tensor inside a chain is
 * recomputed from the chain's start each time it is read ({@link prepare}). Asking for a tensor that `keep` refused
 * is an Error once the call that reads it has run as part of a stored tensor's chain.
 *
 * A layer's weights may change between calls (calibration re-fits them): a call runs with the weights its layer has
 * when a tensor after it is computed. A network whose weights never change (calibration's reference) is opened
 * with `unchanging`: then the read of a recomputed tensor that no later read needs the chain for also computes the
 * stored tensors the chain leads to, batch by batch, so that computing them later runs nothing (in an inverted
 * residual block, the projection's input is recomputed once for its fit and the block's output comes with it).
 */
export class ActivationCache {
  private readonly values = new Map<SymbolicTensor, HostBatch[]>();
  private readonly masks = new Map<SymbolicTensor, Array<HostBatch|null>>();
  /** Calls still to run that read each tensor. */
  private readonly readers = new Map<SymbolicTensor, number>();
  /** The calls that read each tensor. */
  private readonly consumers = new Map<SymbolicTensor, LayerCall[]>();
  private readonly calls = new Map<SymbolicTensor, LayerCall>();
  /** Calls that have run. */
  private readonly done = new Set<LayerCall>();
  /** Number of batches. */
  readonly batches: number;
  /** Stored tensors computed ahead by a chain's reads (`unchanging` only): their batches as they arrive. */
  private readonly ahead = new Map<SymbolicTensor, Array<Promise<HostBatch|null>|undefined>>();
  /** The position of each call in the graph's order. */
  private readonly order = new Map<LayerCall, number>();

  /**
   * `inputs`: the network's input, batch by batch (shared, not copied; never modified); `known`: values of other
   * tensors to start from (a branch of another cache: what is computed downstream of them uses them); `keep`: the
   * tensors that will be asked for (all, by default); `unchanging`, for a network whose weights never change: the
   * tensors a later read may ask for (the inputs of the layers calibration fits), which a read does not carry past.
   */
  constructor(model: tfl.LayersModel, inputs: HostBatch[], known = new Map<SymbolicTensor, HostBatch[]>(),
              private readonly keep: (t: SymbolicTensor) => boolean = () => true,
              private readonly unchanging: ((t: SymbolicTensor) => boolean)|null = null) {
    this.batches = inputs.length;
    this.values.set(model.inputs[0], inputs);
    for (const [t, v] of known) this.values.set(t, v);
    for (const layer of model.layers) {
      for (const node of layer.inboundNodes) {
        const call = {layer, inputs: node.inputTensors, outputs: node.outputTensors};
        this.order.set(call, this.order.size);
        for (const t of call.outputs) this.calls.set(t, call);
        for (const t of call.inputs) {
          this.readers.set(t, (this.readers.get(t) ?? 0) + 1);
          this.consumers.set(t, [...this.consumers.get(t) ?? [], call]);
        }
      }
    }
  }

  /** The values of `t`, batch by batch, making them available first (shared with the cache; never modified). */
  async valuesOf(t: SymbolicTensor): Promise<HostBatch[]> {
    await this.compute(t);
    return this.values.get(t)!;
  }

  /**
   * A batch reader of `t`'s values. A tensor the cache stores is computed first (running the calls it depends on);
   * any other is recomputed batch by batch, when read, from the stored tensors it depends on, by the calls between
   * them with the weights their layers have then (read it before the cache moves past it).
   */
  async prepare(t: SymbolicTensor): Promise<(batch: number) => tf.Tensor> {
    if (!this.values.has(t) && !this.stored(t)) {
      const {plan} = await this.planTo(t);
      const read = (b: number) => tf.tidy(() => this.runPlan(plan, [t], b).results[0]);
      const onward = this.unchanging != null ? this.onwardFrom(t, plan) : null;
      if (onward == null) return read;
      const whole = [...plan, ...onward.calls];
      return b => {
        // Once a batch of the ends is under way (or the cache has moved past them), a read runs the chain to `t` only.
        const lists = onward.ends.map(end => this.ahead.get(end));
        if (lists.some(list => list == null || list[b] != null)) return read(b);
        let masked: boolean[] = [];
        const results = tf.tidy(() => {
          const run = this.runPlan(whole, [t, ...onward.ends], b);
          masked = run.resultMasks.map(m => m != null);
          return run.results;
        });
        // A batch that cannot be kept (a masked tensor, a failed read) is null: the end is computed as usual then.
        lists.forEach((list, k) => {
          const batch = masked[k + 1] ? Promise.resolve(null) : toHost(results[k + 1]).catch(() => null);
          list![b] = batch.finally(() => results[k + 1].dispose());
        });
        return results[0];
      };
    }
    await this.compute(t);
    const batches = this.values.get(t)!;
    return b => fromHost(batches[b]);
  }

  /** True when `t` goes to the host once computed: `keep` accepts it, or not exactly one call reads it. */
  private stored(t: SymbolicTensor): boolean {
    return this.keep(t) || (this.consumers.get(t)?.length ?? 0) !== 1;
  }

  /** The calls from the stored tensors to `t`, in the order they run; the stored tensors they read are computed. */
  private async planTo(t: SymbolicTensor): Promise<{plan: LayerCall[], planned: Set<LayerCall>}> {
    const plan: LayerCall[] = [];
    const planned = new Set<LayerCall>();
    const visit = async (u: SymbolicTensor, wanted: boolean) => {
      if (this.values.has(u)) return;
      if (!wanted && this.stored(u)) return this.compute(u);
      const call = this.calls.get(u);
      if (call == null || this.done.has(call)) {
        throw new Error(`Error in calibrate: no layer of the model computes '${u.name}' any more.`);
      }
      if (planned.has(call)) return;
      planned.add(call);
      for (const input of call.inputs) await visit(input, false);
      plan.push(call);
    };
    await visit(t, true);
    return {plan, planned};
  }

  /**
   * In an unchanging network, the calls from the recomputed tensor `t` (made by `plan`) on to the stored tensors
   * they lead to, in graph order, when none of the tensors on the way may be read later, every input of those calls
   * is at hand, and no stored tensor they make is computed or under way yet; else null.
   */
  private onwardFrom(t: SymbolicTensor, plan: LayerCall[]): {calls: LayerCall[], ends: SymbolicTensor[]}|null {
    const known = new Set(plan.flatMap(call => call.outputs));
    const calls = new Set<LayerCall>(), ends: SymbolicTensor[] = [];
    for (let frontier = [t]; frontier.length > 0;) {
      const next: SymbolicTensor[] = [];
      for (const call of frontier.flatMap(u => this.consumers.get(u) ?? [])) {
        if (calls.has(call)) continue;
        if (this.done.has(call) || !call.inputs.every(i => known.has(i) || this.values.has(i))) return null;
        calls.add(call);
        for (const o of call.outputs) {
          known.add(o);
          if (this.stored(o)) {
            if (this.values.has(o) || this.ahead.has(o)) return null;
            ends.push(o);
          } else if (this.unchanging!(o)) {
            return null;
          } else {
            next.push(o);
          }
        }
      }
      frontier = next;
    }
    if (ends.length === 0) return null;
    for (const end of ends) this.ahead.set(end, new Array(this.batches).fill(undefined));
    return {calls: [...calls].sort((a, b) => this.order.get(a)! - this.order.get(b)!), ends};
  }

  /** Every batch of `outputs` computed ahead ({@link onwardFrom}), or null when some are not. */
  private async computedAhead(outputs: SymbolicTensor[]): Promise<HostBatch[][]|null> {
    const lists = outputs.map(o => this.ahead.get(o));
    for (const o of outputs) this.ahead.delete(o);
    if (lists.some(list => list == null || list.some(b => b == null))) return null;
    const values = await Promise.all(lists.map(list => Promise.all(list!)));
    return values.some(list => list.some(b => b == null)) ? null : values as HostBatch[][];
  }

  private async compute(t: SymbolicTensor) {
    if (this.values.has(t)) return;
    const {plan, planned} = await this.planTo(t);
    // Stored: `t`, the outputs the cache keeps, and those a call outside the plan reads.
    const outputs = plan.flatMap(call => call.outputs).filter(
        o => o === t || this.stored(o) || (this.consumers.get(o) ?? []).some(c => !planned.has(c)));
    const ahead = await this.computedAhead(outputs);
    const values: HostBatch[][] = ahead ?? outputs.map(() => []);
    const masks: Array<HostBatch|null>[] = outputs.map(() => []);
    for (let b = 0; ahead == null && b < this.batches; b++) {
      const {results, resultMasks} = tf.tidy(() => this.runPlan(plan, outputs, b));
      for (const [k, result] of results.entries()) {
        values[k].push(await toHost(result));
        masks[k].push(resultMasks[k] == null ? null : await toHost(resultMasks[k]!));
      }
      tf.dispose([...results, ...resultMasks.filter(m => m != null) as tf.Tensor[]]);
    }
    outputs.forEach((output, k) => {
      this.values.set(output, values[k]);
      if (masks[k].some(m => m != null)) this.masks.set(output, masks[k]);
    });
    for (const call of plan) {
      this.done.add(call);
      for (const input of call.inputs) this.release(input);
    }
  }

  /**
   * One batch through the calls of `plan`, as tfjs-layers' executor runs them in `predict` (masks included): the
   * values and masks of `outputs`.
   */
  private runPlan(plan: LayerCall[], outputs: SymbolicTensor[], b: number):
      {results: tf.Tensor[], resultMasks: Array<tf.Tensor|undefined>} {
    const local = new Map<SymbolicTensor, {value: tf.Tensor, mask: tf.Tensor|null}>();
    const read = (t: SymbolicTensor) => {
      if (!local.has(t)) {
        const mask = this.masks.get(t)?.[b];
        local.set(t, {value: fromHost(this.values.get(t)![b]), mask: mask == null ? null : fromHost(mask)});
      }
      return local.get(t)!;
    };
    for (const call of plan) {
      const inputs = call.inputs.map(t => read(t).value);
      const inputMasks = call.inputs.map(t => read(t).mask);
      const kwargs = inputMasks.some(m => m != null) ? {mask: inputMasks[0]!} : undefined;
      const applied = call.layer.apply(inputs, kwargs) as tf.Tensor|tf.Tensor[];
      const results = Array.isArray(applied) ? applied : [applied];
      const mask = call.layer.supportsMasking ? call.layer.computeMask(inputs, inputMasks as tf.Tensor[]) : null;
      results.forEach((value, k) => local.set(call.outputs[k], {value, mask: (Array.isArray(mask) ? mask[k] : mask) ?? null}));
    }
    return {results: outputs.map(o => local.get(o)!.value), resultMasks: outputs.map(o => local.get(o)!.mask ?? undefined)};
  }

  private release(t: SymbolicTensor) {
    const left = this.readers.get(t)! - 1;
    this.readers.set(t, left);
    if (left === 0) {
      this.values.delete(t);
      this.masks.delete(t);
    }
  }
}
