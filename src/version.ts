/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/** The version of this package (package.json's; a test keeps them equal). */
export const version = '0.1.0';
