import { describe, expect, it } from "vitest";
import { F, nn, tensor } from "kernel-lib";

/** Values and gradients from PyTorch 1.13 (float64) for the same inputs. */
const x = () => tensor([[0.2, -1.5, 3.0], [0.9, 0.0, -0.3]], { dtype: "float64", requiresGrad: true });
const y = () => tensor([[0.0, -1.0, 0.5], [1.0, 2.5, -0.25]], { dtype: "float64" });
const TORCH = {"smoothl1": {"mean": 0.691875, "sum": 4.15125, "none": [[0.020000000000000004, 0.125, 2.0], [0.0049999999999999975, 2.0, 0.0012499999999999994]]}, "smoothl1_beta": 0.8004166666666667, "kl": {"mean": 0.2064471089092901, "sum": 1.2386826534557407, "none": [[0.5852017282241933, 0.3006498413684887, -0.29222905373850994], [-0.2110147822518817, 0.9190151551063164, -0.06294023525286575]], "batchmean": 0.6193413267278703}, "kl_log_target": 0.6193413267278707, "kl_grad": [[-0.1373844361793951, -0.05579399995106882, 0.19317843613046398], [0.20609827725151922, -0.2694471969344679, 0.06334891968294866]], "smoothl1_grad": [[0.06666666666666667, -0.16666666666666666, 0.16666666666666666], [-0.033333333333333326, -0.16666666666666666, -0.016666666666666663]], "hardtanh_grad": [0.0, 1.0, 1.0, 0.0, 0.0]};

const flat = (v: number | number[] | number[][]): number[] => (Array.isArray(v) ? (v as (number | number[])[]).flat() : [v]);
function expectClose(got: ArrayLike<number>, want: number | number[] | number[][]): void {
  const w = flat(want);
  expect(got.length).toBe(w.length);
  Array.from(got).forEach((g, i) => expect(g, `element ${i}`).toBeCloseTo(w[i], 12));
}

describe("SmoothL1Loss and KL divergence match PyTorch", () => {
  it("nn.SmoothL1Loss in every reduction, and with beta 0.5", () => {
    for (const reduction of ["mean", "sum", "none"] as const) expectClose(new nn.SmoothL1Loss({ reduction }).call(x(), y()).data, TORCH.smoothl1[reduction]);
    expectClose(new nn.SmoothL1Loss({ beta: 0.5 }).call(x(), y()).data, TORCH.smoothl1_beta);
    const input = x();
    new nn.SmoothL1Loss({ beta: 0.5 }).call(input, y()).backward();
    expectClose(input.grad!.data, TORCH.smoothl1_grad);
    expect(() => new nn.SmoothL1Loss({ beta: -1 })).toThrow(/Invalid beta: -1/);
  });

  it("F.klDiv / nn.KLDivLoss of logSoftmax against softmax, in every reduction", () => {
    const logQ = () => F.logSoftmax(x(), 1);
    const p = F.softmax(y(), 1);
    for (const reduction of ["mean", "sum", "none", "batchmean"] as const) expectClose(F.klDiv(logQ(), p, { reduction }).data, TORCH.kl[reduction]);
    expectClose(new nn.KLDivLoss({ reduction: "batchmean", logTarget: true }).call(logQ(), F.logSoftmax(y(), 1)).data, TORCH.kl_log_target);
    const input = x();
    F.klDiv(F.logSoftmax(input, 1), p, { reduction: "batchmean" }).backward();
    expectClose(input.grad!.data, TORCH.kl_grad);
  });

  it("KL divergence takes 0·log 0 as 0, with a finite gradient", () => {
    const logQ = tensor([[-0.5, -1.2, -2.0]], { dtype: "float64", requiresGrad: true });
    const p = tensor([[0.7, 0.3, 0]], { dtype: "float64" });
    const loss = F.klDiv(logQ, p, { reduction: "sum" });
    expect(loss.item()).toBeCloseTo(0.7 * (Math.log(0.7) + 0.5) + 0.3 * (Math.log(0.3) + 1.2), 12);
    loss.backward();
    expect(Array.from(logQ.grad!.data).map((g) => g + 0)).toEqual([-0.7, -0.3, 0]); // + 0 turns −0 into 0
  });

  it("refuses mismatched shapes and unknown reductions", () => {
    expect(() => F.klDiv(x(), tensor([1, 2, 3]))).toThrow(/klDiv.*\[2,3\].*\[3\]/);
    expect(() => F.klDiv(x(), y(), { reduction: "avg" as never })).toThrow(/\[klDiv\] Invalid reduction: "avg" \(must be one of "mean", "batchmean", "sum", "none"\)/);
  });
});

describe("hardtanh's gradient is 0 at minVal and maxVal, as in PyTorch", () => {
  it("F.hardtanh and nn.Hardtanh", () => {
    const h = tensor([-1, -0.5, 0, 1, 1.5], { dtype: "float64", requiresGrad: true });
    F.hardtanh(h).sum().backward();
    expect(Array.from(h.grad!.data)).toEqual(TORCH.hardtanh_grad);
    const k = tensor([-0.5, -0.25, 0.5, 0.75], { requiresGrad: true });
    new nn.Hardtanh(-0.5, 0.5).call(k).sum().backward();
    expect(Array.from(k.grad!.data)).toEqual([0, 1, 0, 0]);
  });
});
