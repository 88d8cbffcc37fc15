/**
 * The graders' own max-pool argmax, so maxPool2dBackward is graded on right
 * positions whatever the student's maxPool2dForward does (a forward bug costs
 * only the forward's points). Ties go to the first position in row-major
 * order, as the exercise's doc and PyTorch say. Plain arrays, no padding.
 */
import type { Images, Positions } from "@exercise/11-convolutional-networks";

/** Where each window's maximum is, as [row, column] of the input: [N][C][outH][outW]. */
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
