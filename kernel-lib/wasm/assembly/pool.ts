/**
 * 2×2 max pooling with stride 2 over float32 planes [planes, H, W] (the
 * pooling of nearly every conv net), four outputs per step: the two rows of
 * eight inputs are split into even and odd columns by lane shuffles, giving
 * the four candidates of four windows in four registers. The rule is the
 * reference's (src/backend/pool.ts): a candidate replaces the best so far
 * when it is not ≤ it and the best is not NaN (so the first maximum, or the
 * first NaN, wins), and `arg` gets its flat position ih·W + iw in the plane.
 */
export function maxPool2x2F32(x: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32, out: usize, arg: usize): void {
  const w4 = i32x4.splat(width);
  const one = i32x4.splat(1);
  const w1 = i32x4.splat(width + 1);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + <usize>(p * height * width) * 4;
    for (let oh = 0; oh < outH; oh++) {
      const top = 2 * oh * width;
      const row0 = plane + <usize>top * 4;
      const row1 = row0 + <usize>width * 4;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 4) {
        const at = <usize>(2 * ow) * 4;
        const a0 = v128.load(row0 + at);
        const a1 = v128.load(row0 + at, 16);
        const b0 = v128.load(row1 + at);
        const b1 = v128.load(row1 + at, 16);
        // Candidates in the reference's order: (0, 0), (0, 1), (1, 0), (1, 1) of each window.
        let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        let off = i32x4.splat(0);
        let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        let take = v128.and(v128.not(f32x4.le(v, best)), f32x4.eq(best, best));
        best = v128.bitselect(v, best, take);
        off = v128.bitselect(one, off, take);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        take = v128.and(v128.not(f32x4.le(v, best)), f32x4.eq(best, best));
        best = v128.bitselect(v, best, take);
        off = v128.bitselect(w4, off, take);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        take = v128.and(v128.not(f32x4.le(v, best)), f32x4.eq(best, best));
        best = v128.bitselect(v, best, take);
        off = v128.bitselect(w1, off, take);
        const base = i32x4(top + 2 * ow, top + 2 * ow + 2, top + 2 * ow + 4, top + 2 * ow + 6);
        v128.store(out + o * 4, best);
        v128.store(arg + o * 4, i32x4.add(base, off));
      }
      for (; ow < outW; ow++, o++) {
        const j = top + 2 * ow;
        let best = load<f32>(plane + <usize>j * 4);
        let where = j;
        for (let k = 1; k < 4; k++) {
          const at = j + (k >> 1) * width + (k & 1);
          const v = load<f32>(plane + <usize>at * 4);
          if (!(v <= best) && best == best) {
            best = v;
            where = at;
          }
        }
        store<f32>(out + o * 4, best);
        store<i32>(arg + o * 4, where);
      }
    }
  }
}

/**
 * Max pooling's backward over float32 planes (any window shape: `arg` holds
 * each output's winning position in its input plane, as the forward wrote
 * it): dx starts at zero and dx[p, arg[o]] += g[o], in output order, so
 * overlapping windows add up in the reference's order (src/backend/pool.ts)
 * and the bits are the same. `per` outputs per plane, `size` inputs per plane.
 */
export function maxPoolBackwardF32(g: usize, arg: usize, planes: i32, per: i32, size: i32, dx: usize): void {
  memory.fill(dx, 0, <usize>(planes * size) * 4);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = dx + <usize>(p * size) * 4;
    for (let i = 0; i < per; i++, o++) {
      const at = plane + (<usize>load<i32>(arg + o * 4)) * 4;
      store<f32>(at, load<f32>(at) + load<f32>(g + o * 4));
    }
  }
}
