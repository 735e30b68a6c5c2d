/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Loaded with `node --import` before any Node test, bench or example: tfjs with the cpu, wasm and webgpu backends.
import './webgpu_node';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';

import * as tf from '@tensorflow/tfjs-core';

tf.env().set('IS_TEST', true);  // silences tfjs's "install tfjs-node" banner
(globalThis as {TEST_BACKENDS?: string[]}).TEST_BACKENDS = ['cpu', 'wasm', 'webgpu', 'composite'];
