import { fail, fmtShape } from "../core/errors";
import type { Tensor } from "../tensor";
import { BatchNorm1d, InstanceNorm1d } from "./normalization";

/**
 * Normalization of image batches [N, C, H, W] (Lesson: notebooks/src/11-convolutional-networks.ts §3 (which axes each one averages over)).
 * The statistics differ only in the axes they average over:
 *   BatchNorm2d     per channel over (N, H, W)  — depends on the batch;
 *   InstanceNorm2d  per (sample, channel) over (H, W);
 *   GroupNorm       per (sample, group of channels) over (C/groups, H, W);
 *   LayerNorm       per sample over the normalizedShape axes, e.g. [C, H, W].
 * GroupNorm and LayerNorm (nn/normalization.ts) take NCHW inputs as they are.
 */

/**
 * Batch normalization of [N, C, H, W], like torch.nn.BatchNorm2d: each channel
 * is normalized with the mean and biased variance of its N·H·W values while
 * training, and with the running statistics in evaluation (same options and
 * buffers as BatchNorm1d; runningVar takes the unbiased variance).
 */
export class BatchNorm2d extends BatchNorm1d {
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 4) fail("BatchNorm2d", `expected 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) fail("BatchNorm2d", `expected ${this.numFeatures} channels on axis 1, got input ${fmtShape(x.shape)}`);
    // BatchNorm1d's statistics already run over every axis but 1: view H·W as its L.
    const [n, c, h, w] = x.shape;
    return super.forward(x.reshape([n, c, h * w])).reshape([n, c, h, w]);
  }
}

/** Instance normalization of [N, C, H, W], like torch.nn.InstanceNorm2d: each sample's channel over its H·W positions (no running statistics; affine off by default). */
export class InstanceNorm2d extends InstanceNorm1d {
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 4) fail("InstanceNorm2d", `expected 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
    const [n, c, h, w] = x.shape;
    return super.forward(x.reshape([n, c, h * w])).reshape([n, c, h, w]);
  }
}
