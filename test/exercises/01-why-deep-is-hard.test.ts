import { describe } from "vitest";
import * as ex from "@exercise/01-why-deep-is-hard";
import { expectClose, graded } from "./grading";

describe("01 why deep is hard", () => {
  graded("sigmoidDerivative peaks at 0.25 at z = 0", 1, () => {
    expectClose(ex.sigmoidDerivative(0), 0.25, { what: "σ'(0)", input: { z: 0 }, hint: "σ'(z) = σ(z)(1 − σ(z))" });
  });

  graded("sigmoidDerivative on both sides and far out", 2, () => {
    for (const z of [-30, -3, -0.5, 0.7, 4, 30]) {
      const s = 1 / (1 + Math.exp(-z));
      expectClose(ex.sigmoidDerivative(z), s * (1 - s), { what: `σ'(${z})`, input: { z }, rtol: 1e-9, atol: 1e-15, hint: "use σ(z)(1 − σ(z)); for large |z| it is tiny but not negative" });
    }
  });

  graded("ten layers at z = 0 leave 0.25^10 ≈ 9.5e-7 of the gradient", 2, () => {
    expectClose(ex.gradientThroughSigmoids(new Array(10).fill(0)), 0.25 ** 10, { what: "gradient after 10 layers", input: { z: "ten zeros" }, rtol: 1e-12 });
  });

  graded("a product of per-layer factors for mixed pre-activations", 2, () => {
    const zs = [0.3, -1.2, 2.5, 0, -0.1];
    const expected = zs.reduce((g, z) => g * (1 / (1 + Math.exp(-z))) * (1 - 1 / (1 + Math.exp(-z))), 1);
    expectClose(ex.gradientThroughSigmoids(zs), expected, { what: "gradient after 5 layers", input: { zs }, rtol: 1e-12 });
    expectClose(ex.gradientThroughSigmoids([]), 1, { what: "no layers", input: { zs: [] }, hint: "with no layer the gradient passes unchanged: 1" });
  });

  graded("countParameters: the 50→100→100→10 MLP has 16,210 parameters", 2, () => {
    expectClose(ex.countParameters([50, 100, 100, 10]), 16210, { what: "parameters of 50→100→100→10", rtol: 0, hint: "(5000+100) + (10000+100) + (1000+10)" });
    expectClose(ex.countParameters([784, 256, 256, 10]), 784 * 256 + 256 + 256 * 256 + 256 + 2570, { what: "parameters of 784→256→256→10", rtol: 0 });
  });
});
