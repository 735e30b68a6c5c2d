/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * WGSL of the Keys kernel `K` and its derivative `K'` (same formulas as `kernels/shared/cubic.ts`),
 * reading the parameter from `uniforms.cubicA`.
 */
export const CUBIC_WGSL = `
  fn cubicValue(x : f32) -> f32 {
    let a = uniforms.cubicA;
    let s = abs(x);
    if (s <= 1.0) { return ((a + 2.0) * s - (a + 3.0)) * s * s + 1.0; }
    if (s < 2.0) { return ((a * s - 5.0 * a) * s + 8.0 * a) * s - 4.0 * a; }
    return 0.0;
  }
  fn cubicSlope(x : f32) -> f32 {
    let a = uniforms.cubicA;
    let s = abs(x);
    var d = 0.0;
    if (s <= 1.0) { d = (3.0 * (a + 2.0) * s - 2.0 * (a + 3.0)) * s; }
    else if (s < 2.0) { d = (3.0 * a * s - 10.0 * a) * s + 8.0 * a; }
    return select(d, -d, x < 0.0);
  }
`;
