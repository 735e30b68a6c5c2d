/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/** GLSL of the Keys kernel `K` and its derivative `K'` (same formulas as `kernels/shared/cubic.ts`). */
export const CUBIC_GLSL = `
  float cubicValue(float x) {
    float s = abs(x);
    if (s <= 1.0) return ((cubicA + 2.0) * s - (cubicA + 3.0)) * s * s + 1.0;
    if (s < 2.0) return ((cubicA * s - 5.0 * cubicA) * s + 8.0 * cubicA) * s - 4.0 * cubicA;
    return 0.0;
  }
  float cubicSlope(float x) {
    float s = abs(x);
    float d = 0.0;
    if (s <= 1.0) d = (3.0 * (cubicA + 2.0) * s - 2.0 * (cubicA + 3.0)) * s;
    else if (s < 2.0) d = (3.0 * cubicA * s - 10.0 * cubicA) * s + 8.0 * cubicA;
    return x < 0.0 ? -d : d;
  }
`;
