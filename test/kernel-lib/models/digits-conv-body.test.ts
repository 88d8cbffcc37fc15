/**
 * models.digitsConvBody: the shipped pretrained conv body loads with the
 * right shapes and the file's exact values, its metadata is the file's, and
 * its features are good enough for a linear head on held-out digits 0–4.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { F, Generator, Tensor, data, evaluate, fit, models, nn, noGrad, optim, randn } from "kernel-lib";
import { TORCH_DIGITS_CONV_BODY as TORCH } from "../../helpers/torch-digits-conv-body";

const { digitsConvBody, digitsConvBodyMeta: meta, readDigitsConvBodyWeights } = models;

const bits = (t: Tensor) => Array.from(t.data);

describe("digitsConvBody", () => {
  const shipped = readDigitsConvBodyWeights();

  it("maps [N, 1, 28, 28] images to [N, 1568] features, with the parameters the metadata counts", () => {
    const body = digitsConvBody({ pretrained: true });
    const out = noGrad(() => body.eval().call(randn([3, ...meta.inputShape], { generator: new Generator(0) })));
    expect(out.shape).toEqual([3, meta.outFeatures]);
    expect(meta.outFeatures).toBe(1568);
    expect(body.numParameters()).toBe(meta.numParameters);
    expect(Object.fromEntries(body.namedParameters().map(([name, p]) => [name, p.shape]))).toEqual({
      "0.weight": [16, 1, 3, 3], "1.weight": [16], "1.bias": [16],
      "4.weight": [32, 16, 3, 3], "5.weight": [32], "5.bias": [32],
    });
  });

  it("loads the file's values exactly, batch-norm running statistics included", () => {
    const state = digitsConvBody({ pretrained: true }).stateDict();
    expect(Object.keys(state).sort()).toEqual(Object.keys(shipped.state).sort());
    for (const [name, t] of Object.entries(shipped.state)) {
      expect(state[name].shape, name).toEqual(t.shape);
      expect(state[name].dtype, name).toBe(t.dtype);
      expect(bits(state[name]), name).toEqual(bits(t));
    }
    // The running statistics were trained, not left at 0 and 1.
    expect(bits(state["1.runningMean"]).some((v) => v !== 0)).toBe(true);
    expect(bits(state["5.runningVar"]).some((v) => v !== 1)).toBe(true);
    expect(state["1.numBatchesTracked"].data[0]).toBe(Math.ceil(meta.trainImages / meta.recipe.batchSize) * meta.recipe.epochs);
  });

  it("builds a new, independent body on each call; without pretrained, random weights from the generator", () => {
    const a = digitsConvBody({ pretrained: true });
    const b = digitsConvBody({ pretrained: true });
    noGrad(() => a.parameters()[0].data.fill(0));
    expect(bits(b.parameters()[0])).toEqual(bits(shipped.state["0.weight"]));
    const fresh = digitsConvBody({ generator: new Generator(5) });
    expect(bits(fresh.parameters()[0])).not.toEqual(bits(shipped.state["0.weight"]));
    expect(bits(fresh.parameters()[0])).toEqual(bits(digitsConvBody({ generator: new Generator(5) }).parameters()[0]));
    expect(bits(fresh.buffers()[0])).toEqual(new Array(16).fill(0));
  });

  it("computes what PyTorch computes with the same file, read by the safetensors layout alone", () => {
    const file = readFileSync(models.digitsConvBodyWeightsPath());
    expect(createHash("sha256").update(file).digest("hex"), "the file changed: regenerate test/helpers/torch-digits-conv-body.ts").toBe(TORCH.sha256);
    const x = new Tensor(Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 37) % 101) / 100), [3, 1, 28, 28]);
    const y = noGrad(() => digitsConvBody({ pretrained: true }).eval().call(x));
    for (let n = 0; n < 3; n++) {
      const row = Array.from(y.data.subarray(n * 1568, (n + 1) * 1568));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(TORCH.sums[n], 2);
      expect(row.reduce((a, b) => a + b * b, 0)).toBeCloseTo(TORCH.squares[n], 2);
      row.slice(0, 4).forEach((v, j) => expect(v).toBeCloseTo(TORCH.first[n][j], 5));
    }
  });

  it("quotes the metadata the script wrote into the file", () => {
    expect(JSON.parse(JSON.stringify(meta))).toEqual(shipped.meta);
    expect(meta.digits).toEqual([0, 1, 2, 3, 4]);
    expect(meta.trainAccuracy).toBeGreaterThan(0.95);
    expect(meta.testAccuracy).toBeGreaterThan(0.95);
    expect(digitsConvBody().toString().replace(/\s+/g, " ")).toContain("Conv2d(16, 32");
  });

  it("with a new linear head on its frozen features, scores far above chance (20%) on held-out digits 0–4", () => {
    // The recipe's held-out images, never trained on; a head trained on 300 of its training images.
    const digits = data.loadDigits(meta.recipe.data);
    const features = (body: nn.Module, x: Tensor) => noGrad(() => body.eval().call(x));
    const probe = (body: nn.Module) => {
      const train = { x: features(body, digits.xTrain.slice(0, 0, 300)), y: digits.yTrain.slice(0, 0, 300) };
      const test = { x: features(body, digits.xTest), y: digits.yTest };
      const head = new nn.Linear(meta.outFeatures, 5, { generator: new Generator(1) });
      fit(head, train, { optimizer: new optim.Adam(head.parameters(), { lr: 1e-3 }), loss: F.crossEntropy, epochs: 10, batchSize: 30, seed: 0, progress: "none" });
      return evaluate(head, test, { metrics: ["accuracy"] }).accuracy;
    };
    const pretrained = probe(digitsConvBody({ pretrained: true }));
    const random = probe(digitsConvBody({ generator: new Generator(3) }));
    expect(pretrained).toBeGreaterThan(0.95); // measured 0.977 (a random body: 0.913)
    expect(pretrained).toBeGreaterThan(random + 0.03);
  });

  it("refuses a misspelt option instead of silently returning a random body", () => {
    const typo = { pretrain: true } as unknown as models.DigitsConvBodyOptions;
    expect(() => digitsConvBody(typo)).toThrow('[digitsConvBody] Invalid option: "pretrain" (must be one of pretrained, generator, weightsFile)');
    const yes = { pretrained: "yes" } as unknown as models.DigitsConvBodyOptions;
    expect(() => digitsConvBody(yes)).toThrow('[digitsConvBody] Invalid pretrained: "yes" (must be true or false)');
  });

  it("says so when the file is missing, corrupt or of another shape", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "digits-conv-body-"));
    expect(() => digitsConvBody({ pretrained: true, weightsFile: path.join(dir, "none.bin") })).toThrow(
      /\[digitsConvBody\] the pretrained weights are missing: no file .*none\.bin\. Restore the shipped kernel-lib\/weights\/digits-conv-body\.safetensors .*npm run pretrain/,
    );
    const truncated = path.join(dir, "truncated.bin");
    const bytes = readFileSync(models.digitsConvBodyWeightsPath());
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 400));
    expect(() => digitsConvBody({ pretrained: true, weightsFile: truncated })).toThrow(
      /^\[digitsConvBody\] .*truncated\.bin is not a safetensors file this engine reads \("[^"]+" runs past the end of the file\); restore it/,
    );
    const wider = path.join(dir, "wider.bin");
    const other = new nn.Sequential(new nn.Conv2d(1, 8, 3, { bias: false }));
    writeFileSync(wider, models.encodeSafetensors(other.stateDict(), { meta: JSON.stringify(meta) }));
    expect(() => digitsConvBody({ pretrained: true, weightsFile: wider })).toThrow(
      /\[digitsConvBody\] .*wider\.bin does not fit the body this kernel-lib builds: .*size mismatch for "0\.weight": the state dict has \[8,1,3,3\], the model \[16,1,3,3\].*npm run pretrain/,
    );
  });
});
