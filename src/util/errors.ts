/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/** Formats a value for an error message: arrays and shapes in brackets, strings quoted. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) {
    const head = value.slice(0, 16).map(describeValue).join(', ');
    return `[${head}${value.length > 16 ? `, … (${value.length} entries)` : ''}]`;
  }
  if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}…` : value}'`;
  if (value != null && typeof value === 'object' && 'shape' in value) {
    const t = value as {shape: number[], dtype?: string};
    return `a ${t.dtype ?? ''} tensor of shape [${t.shape.join(', ')}]`.replace('a  ', 'a ');
  }
  if (value != null && typeof value === 'object') {
    let json: string|undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      // circular: named by its class below
    }
    const name = value.constructor?.name ?? 'Object';
    return json == null ? `a ${name}` : `${name === 'Object' ? '' : `a ${name} `}${json.length > 120 ? `${json.slice(0, 120)}…` : json}`;
  }
  return String(value);
}

/**
 * Throws `Error in <op>: '<arg>' must be <expectation>, but got <value>.` unless `condition` holds.
 * The one place that formats argument errors, so every op and layer words them alike.
 */
export function assertArg(
    condition: boolean, op: string, arg: string, expectation: string, value: unknown): asserts condition {
  if (!condition) {
    throw new Error(`Error in ${op}: '${arg}' must be ${expectation}, but got ${describeValue(value)}.`);
  }
}

/** True for an integer ≥ 1. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Throws `Error in <cls>: 'args' must be an object ...` unless a layer's constructor got an object of arguments. */
export function assertLayerArgs<T>(cls: string, args: T): T {
  assertArg(args != null && typeof args === 'object' && !Array.isArray(args), cls, 'args',
            'an object of layer arguments', args);
  return args;
}
