/**
 * The graders' own lesson-11 arithmetic, shared by the public graders and the
 * hidden cases, so each function is graded on its own:
 *
 * - `referenceArgmax`: max pooling's argmax, so maxPool2dBackward gets right
 *   positions whatever the student's maxPool2dForward does (a forward bug
 *   costs only the forward's points). Ties go to the first position in
 *   row-major order, as the exercise's doc and PyTorch say.
 * - `stackShapes`: a conv stack's [C, H, W] after each layer for a given
 *   output-size rule, so convStackSummary can be checked against the sizes of
 *   the student's own convOutputSize as well as the right ones.
 */
import type { Images, Positions, StackLayer } from "@exercise/11-convolutional-networks";

/** Where each window's maximum is, as [row, column] of the input: [N][C][outH][outW]. No padding. */
export function referenceArgmax(x: Images, kernel: number, stride = kernel): Positions {
  const starts = (size: number): number[] => Array.from({ length: Math.floor((size - kernel) / stride) + 1 }, (_, o) => o * stride);
  return x.map((image) => image.map((plane) => {
    const rowStarts = starts(plane.length);
    const colStarts = starts(plane[0].length);
    return rowStarts.map((r0) => colStarts.map((c0) => {
      // Cell k of the window is row ⌊k / kernel⌋, column k mod kernel: row-major order.
      let winner: [number, number] = [r0, c0];
      for (let k = 1; k < kernel * kernel; k++) {
        const cell: [number, number] = [r0 + Math.floor(k / kernel), c0 + (k % kernel)];
        if (plane[cell[0]][cell[1]] > plane[winner[0]][winner[1]]) winner = cell;
      }
      return winner;
    }));
  }));
}

/** An output-size rule with convOutputSize's arguments. */
export type OutputSize = (size: number, kernel: number, stride: number, padding: number) => number;

/** The window arithmetic written out: ⌊(size + 2·padding − kernel) / stride⌋ + 1 (the right sizes). */
export const rightOutputSize: OutputSize = (size, kernel, stride, padding) => Math.floor((size + 2 * padding - kernel) / stride) + 1;

/** [C, H, W] after each layer with the stack's defaults (conv: stride 1, padding 0; pool: stride = kernel) and the sizes `outputSize` gives. */
export function stackShapes(input: readonly [number, number, number], layers: readonly StackLayer[], outputSize: OutputSize = rightOutputSize): number[][] {
  const shapes: number[][] = [];
  let shape = [...input];
  for (const layer of layers) {
    const isConv = layer.kind === "conv";
    const step = layer.stride ?? (isConv ? 1 : layer.kernel);
    const pad = isConv ? layer.padding ?? 0 : 0;
    shape = [isConv ? layer.outChannels : shape[0], ...shape.slice(1).map((n) => outputSize(n, layer.kernel, step, pad))];
    shapes.push(shape);
  }
  return shapes;
}

/** stackShapes with the student's own convOutputSize, or null when it throws (or is missing). */
export function stackShapesOrNull(input: readonly [number, number, number], layers: readonly StackLayer[], outputSize: OutputSize): number[][] | null {
  try {
    return stackShapes(input, layers, outputSize);
  } catch {
    return null;
  }
}
