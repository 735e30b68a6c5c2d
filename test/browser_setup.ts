/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// First file of the karma bundle: tfjs with the webgl and webgpu backends, gradients and chained ops.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';

(globalThis as {TEST_BACKENDS?: string[]}).TEST_BACKENDS = ['webgl', 'webgpu'];
