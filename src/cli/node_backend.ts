/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {importByName} from '../util/import_by_name';

/** Node backends, fastest first, with the packages that provide each. */
export const NODE_BACKENDS: ReadonlyArray<{name: string, packages: string[]}> = [
  {name: 'tensorflow', packages: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']},
  {name: 'wasm', packages: ['@tensorflow/tfjs-backend-wasm']},
  {name: 'cpu', packages: ['@tensorflow/tfjs-backend-cpu']},
];

async function tryBackend(name: string, packages: string[]): Promise<boolean> {
  if (tf.findBackendFactory(name) == null) {
    for (const pkg of packages) {
      try {
        await importByName(pkg);
        break;
      } catch {
        // Not installed (or, for tfjs-node, without its native library): try the next package.
      }
    }
  }
  return tf.findBackendFactory(name) != null && tf.setBackend(name);
}

/**
 * Sets the fastest tfjs backend installed in Node (`tensorflow` from tfjs-node(-gpu), then `wasm`, then `cpu`), or
 * `requested` when given; returns its name. Throws an Error that names the packages to install when none works.
 */
export async function useFastestNodeBackend(requested?: string): Promise<string> {
  const candidates = requested == null ? NODE_BACKENDS : NODE_BACKENDS.filter(b => b.name === requested);
  if (candidates.length === 0) {
    throw new Error(`Error in useFastestNodeBackend: backend must be one of ${NODE_BACKENDS.map(b => b.name).join(', ')}, ` +
                    `got '${requested}'.`);
  }
  for (const {name, packages} of candidates) {
    if (await tryBackend(name, packages)) return name;
  }
  throw new Error(`Error in useFastestNodeBackend: no ${requested == null ? '' : `'${requested}' `}backend could ` +
                  `start; install one of ${candidates.flatMap(b => b.packages).join(', ')}.`);
}
