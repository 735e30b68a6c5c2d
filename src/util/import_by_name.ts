/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

let dynamicImport: ((specifier: string) => Promise<unknown>)|null = null;

/**
 * `import(specifier)` hidden from bundlers and TypeScript's CommonJS output: for Node-only or optional modules that
 * browser bundles must neither include nor fail on, and for ES modules that cannot be required. The function is made
 * at the first call (only Node paths call it), so loading the package never evaluates code from a string: pages
 * with a strict Content-Security-Policy load it.
 */
export function importByName<T = unknown>(specifier: string): Promise<T> {
  dynamicImport ??= new Function('m', 'return import(m)') as (specifier: string) => Promise<unknown>;
  return dynamicImport(specifier) as Promise<T>;
}
