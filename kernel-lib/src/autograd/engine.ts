import { fail, fmtShape } from "../core/errors";
import { sameShape } from "../core/shape";
import { Tensor } from "../tensor";
import { detectAnomaly, isAnomalyEnabled, noGrad } from "./grad-mode";
import { checkFinite } from "./record";
import { beginFresh, endFresh, ownsFreshBuffer } from "./fresh-buffers";
import { add } from "../ops/elementwise";
import { clone, onesLike } from "../ops/convert";

/**
 * Reverse-mode differentiation. Walks the recorded graph from `root` back to
 * the leaves in reverse topological order, so each tensor's gradient is
 * complete (all its uses summed) before it is passed on to its inputs.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) {
    fail(
      "backward",
      "this tensor does not require grad: none of the tensors it was computed from has requiresGrad=true " +
        "(create parameters with requiresGrad: true, and do not compute the loss inside noGrad)",
    );
  }
  let seed: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      fail("backward", `called without a gradient on a tensor of shape ${fmtShape(root.shape)}; pass one of the same shape, or reduce to a scalar first (e.g. loss.mean())`);
    }
    seed = onesLike(root);
  } else {
    if (!sameShape(grad.shape, root.shape)) {
      fail("backward", `gradient of shape ${fmtShape(grad.shape)} does not match the tensor's shape ${fmtShape(root.shape)}`);
    }
    seed = grad;
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // How many inputs each gradient tensor was handed to (a leaf may keep one handed out once).
  const handouts = new Map<Tensor, number>();
  // Anomaly mode checks each op's gradients here, under the op's name; the ops a
  // backward rule calls (a div inside sqrt's rule) must not report themselves first.
  const anomaly = isAnomalyEnabled();
  detectAnomaly(false);
  beginFresh();
  try {
    noGrad(() => {
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i];
        const g = grads.get(t);
        if (g === undefined) continue;
        grads.delete(t); // free intermediate gradients as soon as they are passed on
        const mayKeep = t.gradFn === null && handouts.get(g) === 1 && ownsFreshBuffer(g);
        if (t.gradFn === null || t.retainsGrad) accumulate(t, g, mayKeep);
        if (t.gradFn !== null) propagate(t, g, grads, handouts, anomaly);
      }
    });
  } finally {
    endFresh();
    detectAnomaly(anomaly);
  }
}

function propagate(t: Tensor, g: Tensor, grads: Map<Tensor, Tensor>, handouts: Map<Tensor, number>, anomaly: boolean): void {
  const fn = t.gradFn!;
  const inputGrads = fn.backward(g);
  fn.inputs.forEach((input, j) => {
    const gi = inputGrads[j];
    if (!input.requiresGrad || gi === null || gi === undefined) return;
    if (!sameShape(gi.shape, input.shape)) {
      fail("backward", `internal error: ${fn.op} returned a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(input.shape)}`);
    }
    if (anomaly) checkFinite(fn.op, "backward", gi, fn.inputs);
    const previous = grads.get(input);
    handouts.set(gi, (handouts.get(gi) ?? 0) + 1);
    const total = previous === undefined ? gi : add(previous, gi);
    if (total !== gi) handouts.set(total, 1);
    grads.set(input, total);
  });
}

/**
 * Adds into `.grad`, which the tensor owns (so later in-place accumulation is
 * safe): a first gradient is copied, unless `mayKeep` says nothing else can
 * reach its storage (see fresh-buffers.ts); a dtype conversion is a copy already.
 */
function accumulate(t: Tensor, g: Tensor, mayKeep: boolean): void {
  const cast = g.dtype === t.dtype ? g : g.to(t.dtype);
  if (t.grad === null) {
    t.grad = cast !== g || mayKeep ? cast : clone(cast);
    return;
  }
  const acc = t.grad.data;
  const add = cast.data;
  for (let i = 0; i < acc.length; i++) acc[i] += add[i];
}

/** Tensors reachable from `root` through recorded ops, inputs before the tensors computed from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first search: deep networks must not overflow the call stack.
  const stack: { t: Tensor; expanded: boolean }[] = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.t);
      continue;
    }
    if (visited.has(top.t)) continue;
    visited.add(top.t);
    stack.push({ t: top.t, expanded: true });
    for (const input of top.t.gradFn?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
    }
  }
  return order;
}
