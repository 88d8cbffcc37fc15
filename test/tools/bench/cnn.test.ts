// The convolutional bench cases (tools/bench/cnn.ts): kernel-lib and tfjs-wasm
// train the same network from the same weights. tfjs-wasm's convolution
// gradient is written out in cnn.ts (the backend lacks Conv2DBackpropFilter),
// so the losses along a few Adam steps check that gradient too. No timing.
import { describe, expect, it } from "vitest";
import { REFERENCE } from "../../../tools/bench/config";
import { cnnWeights, ourCnnTrainer, tfjsCnnTrainer } from "../../../tools/bench/cnn";
import { useTfjsBackend } from "../../../tools/bench/tfjs-setup";

describe("bench: cnn-step", () => {
  it("kernel-lib and tfjs-wasm give the same losses along three Adam steps", async () => {
    const w = cnnWeights(REFERENCE);
    const ours = ourCnnTrainer(w, 1e-3);
    await useTfjsBackend("wasm");
    const theirs = tfjsCnnTrainer(w, 1e-3);
    try {
      const a = [ours(), ours(), ours()];
      const b = [theirs.step(), theirs.step(), theirs.step()];
      // The loss must move (lr 1e-3), so that equal losses after the steps say the gradients agreed.
      expect(Math.abs(a[2] - a[0])).toBeGreaterThan(1e-3);
      a.forEach((loss, i) => expect(Math.abs(loss - b[i])).toBeLessThan(2e-4 * Math.max(1, Math.abs(b[i]))));
    } finally {
      theirs.dispose();
    }
  });
});
