/**
 * Elementwise float32 kernels, four lanes at a time: the ops a training step
 * runs on every activation (relu and its backward, dropout's product, the
 * gradient sums). Each computes exactly what the reference loop in
 * src/backend/cpu.ts computes: a float32 sum, product or quotient rounded
 * once is the same whether done in float32 or in float64 and then rounded.
 */

/** Operation codes, the same numbers as BINARY_CODES in src/backend/wasm/elementwise.ts. */
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, RELU_BACKWARD = 4;

/** out = a op b over n values (same shapes, no broadcasting). reluBackward is a · (b > 0 ? 1 : 0). */
export function binaryF32(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const end = <usize>(n & ~3) * 4;
  for (let i: usize = 0; i < end; i += 16) {
    const x = v128.load(a + i);
    const y = v128.load(b + i);
    let r: v128;
    if (op === ADD) r = f32x4.add(x, y);
    else if (op === SUB) r = f32x4.sub(x, y);
    else if (op === MUL) r = f32x4.mul(x, y);
    else if (op === DIV) r = f32x4.div(x, y);
    // a · step(b): the product keeps NaN·0 = NaN, as the reference does.
    else r = f32x4.mul(x, v128.and(f32x4.gt(y, zero), one));
    v128.store(out + i, r);
  }
  for (let i = end; i < <usize>n * 4; i += 4) {
    const x = load<f32>(a + i);
    const y = load<f32>(b + i);
    let r: f32;
    if (op === ADD) r = x + y;
    else if (op === SUB) r = x - y;
    else if (op === MUL) r = x * y;
    else if (op === DIV) r = x / y;
    else r = x * (y > 0 ? <f32>1 : <f32>0);
    store<f32>(out + i, r);
  }
}

/** Operation codes of unaryF32. */
const RELU = 0, STEP = 1;

/** relu: max(x, 0) (NaN stays NaN, −0 becomes +0, as the reference); step: x > 0 ? 1 : 0. */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const end = <usize>(n & ~3) * 4;
  for (let i: usize = 0; i < end; i += 16) {
    const v = v128.load(x + i);
    v128.store(out + i, op === RELU ? f32x4.max(v, zero) : v128.and(f32x4.gt(v, zero), one));
  }
  for (let i = end; i < <usize>n * 4; i += 4) {
    const v = load<f32>(x + i);
    store<f32>(out + i, op === RELU ? max(v, <f32>0) : v > 0 ? <f32>1 : <f32>0);
  }
}

/** Sets n bytes at `at` to zero (one memory.fill: tensor storage allocated inside tidy() starts at zero, as a new typed array does). */
export function zeroBytes(at: usize, n: usize): void {
  memory.fill(at, 0, n);
}
