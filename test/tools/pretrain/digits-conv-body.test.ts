/**
 * tools/pretrain/digits-conv-body.ts (`npm run pretrain`): its training is
 * deterministic, it saw only the digits 0–4, and the shipped file says it was
 * made with the script's settings. The full run (about a minute) is not repeated
 * here; `npm run pretrain -- --check` repeats it and compares the bytes.
 */
import { describe, expect, it } from "vitest";
import { data, models } from "kernel-lib";
import { pretrainDigitsConvBody } from "../../../tools/pretrain/digits-conv-body";
import { DIGITS_CONV_BODY_RECIPE } from "../../../kernel-lib/src/models/digits-conv-body";

const SHORT = { trainImages: 128, epochs: 1 };

describe("npm run pretrain (digits conv body)", () => {
  it("a short run gives the same bytes twice, and they differ from another seed's", () => {
    const a = pretrainDigitsConvBody(DIGITS_CONV_BODY_RECIPE, SHORT);
    const b = pretrainDigitsConvBody(DIGITS_CONV_BODY_RECIPE, SHORT);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(a.meta.trainImages).toBe(SHORT.trainImages);
    const other = pretrainDigitsConvBody({ ...DIGITS_CONV_BODY_RECIPE, seed: DIGITS_CONV_BODY_RECIPE.seed + 1 }, SHORT);
    expect(Buffer.from(other.bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });

  it("the shipped file was made with the script's recipe, on all its training images", () => {
    const { meta } = models.readDigitsConvBodyWeights();
    expect(meta.recipe).toEqual(DIGITS_CONV_BODY_RECIPE);
    expect(meta.trainImages).toBe(DIGITS_CONV_BODY_RECIPE.data.train);
    expect(meta.testImages).toBe(DIGITS_CONV_BODY_RECIPE.data.test);
    expect(meta.command).toBe("npm run pretrain");
  });

  it("pretrains on digits 0–4 only, so no image of 5–9 was ever seen", () => {
    const pretraining = data.loadDigits(DIGITS_CONV_BODY_RECIPE.data);
    expect(pretraining.classes).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(pretraining.yTrain.data)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(pretraining.xTrain.shape).toEqual([DIGITS_CONV_BODY_RECIPE.data.train, 1, 28, 28]);
    // The counts its doc comment quotes: 131 images of 0–4 left over, 4,869 of 5–9 never used.
    const counts = data.digitCounts();
    const sum = (ds: number[]) => ds.reduce((n, d) => n + counts[d], 0);
    expect(sum([0, 1, 2, 3, 4]) - DIGITS_CONV_BODY_RECIPE.data.train - DIGITS_CONV_BODY_RECIPE.data.test).toBe(131);
    expect(sum([5, 6, 7, 8, 9])).toBe(4869);
  });
});
