/**
 * The bump allocator under tidy() and the optimizers' state
 * (kernel-lib/src/backend/wasm/arena.ts), and staging's use of what it holds
 * (staging.ts): an array that lives in the instance's memory is used where it
 * is, without a copy in or out; any other array is copied as before.
 */
import { describe, expect, it } from "vitest";
import { Arena } from "../../../../kernel-lib/src/backend/wasm/arena";
import { instantiate, wasmRuntime, type WasmInstance } from "../../../../kernel-lib/src/backend/wasm/runtime";
import { copyOut, into, stage } from "../../../../kernel-lib/src/backend/wasm/staging";

const rt = wasmRuntime();

/** A fresh instance on a shared memory of its own, so the runtime's is left alone. */
function freshArena(): Arena {
  return new Arena(instantiate(rt!.sharedModule, true));
}

describe.runIf(rt !== null)("Arena", () => {
  it("lays arrays out one after another, zero-filled, on 64-byte boundaries, and moves scratch above them", () => {
    const arena = freshArena();
    const start = arena.mark();
    const a = arena.allocate("float32", 10)!;
    const b = arena.allocate("float64", 3)!;
    const c = arena.allocate("int32", 1)!;
    expect([a, b, c].map((v) => v.constructor.name)).toEqual(["Float32Array", "Float64Array", "Int32Array"]);
    expect([a.byteOffset - start, b.byteOffset - start, c.byteOffset - start]).toEqual([0, 64, 128]);
    expect(arena.inst.scratchBase).toBe(start + 192);
    expect([...a, ...b, ...c].every((v) => v === 0)).toBe(true);
    expect(arena.owns(a) && arena.owns(b.subarray(1))).toBe(true);
    expect(arena.owns(new Float32Array(10))).toBe(false);
  });

  it("zeroes reused space, and frees everything above a mark", () => {
    const arena = freshArena();
    const mark = arena.mark();
    arena.allocate("float32", 100)!.fill(5);
    arena.release(mark);
    const again = arena.allocate("float32", 100)!;
    expect(again.byteOffset).toBe(mark);
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it("keeps earlier views valid when the memory grows", () => {
    const arena = freshArena();
    const first = arena.allocate("float32", 4)!;
    first.set([1, 2, 3, 4]);
    const before = arena.inst.memory.buffer.byteLength;
    const big = arena.allocate("float32", 4 << 20)!; // 16 MiB: forces a grow
    expect(arena.inst.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(first)).toEqual([1, 2, 3, 4]);
    expect(arena.owns(first) && arena.owns(big)).toBe(true);
  });

  it("returns null, leaving the arena as it was, when the memory cannot grow that far", () => {
    const arena = freshArena();
    const mark = arena.mark();
    expect(arena.allocate("float64", 200 << 20)).toBeNull(); // 1.6 GB, over the 1 GiB maximum
    expect(arena.mark()).toBe(mark);
  });
});

describe.runIf(rt !== null)("stage and copyOut with arrays the instance holds", () => {
  function setup(): { inst: WasmInstance; held: Float32Array; outHeld: Float32Array } {
    const arena = freshArena();
    const held = arena.allocate("float32", 8) as Float32Array;
    held.set([1, 2, 3, 4, 5, 6, 7, 8]);
    return { inst: arena.inst, held, outHeld: arena.allocate("float32", 8) as Float32Array };
  }

  it("gives a held array its own address and copies only the others into scratch above it", () => {
    const { inst, held, outHeld } = setup();
    const plain = Float32Array.from([9, 9]);
    const [heldAt, plainAt, outAt, scratchAt] = stage(inst, [held, plain, into(outHeld), 16]);
    expect(heldAt).toBe(held.byteOffset);
    expect(outAt).toBe(outHeld.byteOffset);
    expect(plainAt).toBe(inst.scratchBase);
    expect(scratchAt).toBe(plainAt + 64);
    expect(Array.from(inst.f32().subarray(plainAt / 4, plainAt / 4 + 2))).toEqual([9, 9]);
  });

  it("copies an ordinary output out of scratch, and leaves a held one where the kernel wrote it", () => {
    const { inst, held, outHeld } = setup();
    const ordinary = new Float32Array(8);
    const [outAt, ordinaryAt] = stage(inst, [into(outHeld), into(ordinary)]);
    inst.exports.binaryF32(0, held.byteOffset, held.byteOffset, outAt, 8); // out = held + held
    inst.exports.binaryF32(2, held.byteOffset, held.byteOffset, ordinaryAt, 8); // ordinary = held · held
    copyOut(inst, outAt, outHeld);
    copyOut(inst, ordinaryAt, ordinary);
    expect(Array.from(outHeld)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(Array.from(ordinary)).toEqual([1, 4, 9, 16, 25, 36, 49, 64]);
  });
});
