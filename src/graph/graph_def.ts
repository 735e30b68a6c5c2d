/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The JSON GraphDef of a tfjs-converter graph model (`modelTopology.node`): its nodes, their attributes, and the
// order they run in, checked as far as wrapping needs it.
import {assertArg} from '../util/errors';

/** One attribute value of a node, as the JSON GraphDef writes it (strings base64, integers as decimal strings). */
export interface AttrValue {
  s?: string;
  i?: string|number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: {dim?: Array<{size?: string|number}>, unknownRank?: boolean};
  list?: {s?: string[], i?: Array<string|number>, f?: number[]};
  tensor?: unknown;
}

/** One node of a GraphDef. */
export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
  device?: string;
}

/** The most nodes a graph may have. */
const MAX_NODES = 100_000;

const decode = (s: string) => typeof atob === 'function' ? atob(s) : Buffer.from(s, 'base64').toString('latin1');
const encode = (s: string) => typeof btoa === 'function' ? btoa(s) : Buffer.from(s, 'latin1').toString('base64');

/** A string attribute (decoded), or `fallback`. */
export function stringAttr(node: GraphNode, key: string, fallback?: string): string|undefined {
  const s = node.attr?.[key]?.s;
  return s == null ? fallback : decode(s);
}

/** A list-of-strings attribute (decoded; `[]` when absent). */
export function stringsAttr(node: GraphNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map(decode);
}

/** A list-of-integers attribute (`[]` when absent). */
export function intsAttr(node: GraphNode, key: string): number[] {
  return (node.attr?.[key]?.list?.i ?? []).map(Number);
}

/** A number attribute (`f` or `i`), or `fallback`. */
export function numberAttr(node: GraphNode, key: string, fallback: number): number {
  const a = node.attr?.[key];
  return a?.f != null ? Number(a.f) : a?.i != null ? Number(a.i) : fallback;
}

/** A boolean attribute, or `fallback`. */
export function boolAttr(node: GraphNode, key: string, fallback: boolean): boolean {
  return node.attr?.[key]?.b ?? fallback;
}

/** A list-of-strings attribute value (encoded as the JSON GraphDef writes it). */
export const stringsValue = (values: string[]): AttrValue => ({list: {s: values.map(encode)}});

/** A string attribute value (encoded). */
export const stringValue = (value: string): AttrValue => ({s: encode(value)});

/** The GraphDef dtype of each tfjs dtype a graph's constants and placeholders take here. */
export const TF_DTYPES: Record<string, string> = {float32: 'DT_FLOAT', int32: 'DT_INT32'};

/** The node name and output index of an input reference (`name`, `name:1`); control inputs (`^name`) are null. */
export function parseInput(ref: string): {node: string, output: number}|null {
  if (ref.startsWith('^')) return null;
  const m = /^(.*?)(?::(\d+))?$/.exec(ref)!;
  return {node: m[1], output: m[2] == null ? 0 : Number(m[2])};
}

/** The data inputs of a node (control inputs dropped). */
export function dataInputs(node: GraphNode): Array<{node: string, output: number}> {
  return (node.input ?? []).map(parseInput).filter((r): r is {node: string, output: number} => r != null);
}

/**
 * The nodes of `raw` (a `modelTopology`) checked (an array of nodes with unique names, every input naming a node)
 * and in an order where every node follows its inputs; a cycle is an Error naming a node on it.
 */
export function sortedNodes(raw: unknown, op: string): GraphNode[] {
  const nodes = (raw as {node?: unknown} | null)?.node;
  assertArg(Array.isArray(nodes) && nodes.length > 0 && nodes.length <= MAX_NODES, op, 'modelTopology.node',
            `a list of 1 to ${MAX_NODES} nodes`, Array.isArray(nodes) ? `${nodes.length} nodes` : nodes);
  const byName = new Map<string, GraphNode>();
  for (const [i, n] of (nodes as unknown[]).entries()) {
    const node = n as GraphNode;
    assertArg(node != null && typeof node.name === 'string' && typeof node.op === 'string' && !byName.has(node.name) &&
                  (node.input == null || (Array.isArray(node.input) && node.input.every(x => typeof x === 'string'))),
              op, `modelTopology.node[${i}]`, 'a node with a unique name, an op and a list of inputs', n);
    byName.set(node.name, node);
  }
  for (const node of byName.values()) {
    for (const ref of dataInputs(node)) {
      assertArg(byName.has(ref.node), op, `node '${node.name}'.input`, 'names of nodes of the graph', ref.node);
    }
  }
  const order: GraphNode[] = [];
  const state = new Map<string, 'open'|'done'>();
  for (const start of byName.values()) {
    // Depth first without recursion: a stack of (node, inputs visited so far).
    const stack: Array<[GraphNode, number]> = [[start, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, next] = top;
      if (next === 0) {
        if (state.get(node.name) === 'done') {
          stack.pop();
          continue;
        }
        state.set(node.name, 'open');
      }
      const inputs = dataInputs(node);
      if (next < inputs.length) {
        top[1]++;
        const input = byName.get(inputs[next].node)!;
        assertArg(state.get(input.name) !== 'open', op, 'modelTopology', 'a graph without cycles',
                  `a cycle through node '${input.name}'`);
        if (state.get(input.name) !== 'done') stack.push([input, 0]);
      } else {
        state.set(node.name, 'done');
        order.push(node);
        stack.pop();
      }
    }
  }
  return order;
}
