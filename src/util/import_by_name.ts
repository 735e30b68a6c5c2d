/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * `import(specifier)` hidden from bundlers and TypeScript's CommonJS output: for Node-only or optional modules that
 * browser bundles must neither include nor fail on, and for ES modules that cannot be required.
 */
export const importByName = new Function('m', 'return import(m)') as <T = unknown>(specifier: string) => Promise<T>;
