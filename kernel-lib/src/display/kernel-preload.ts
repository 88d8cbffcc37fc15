/// <reference types="node" />
import { recordCellSources } from "./cell-stack";

/**
 * Preload for a tslab kernel, so that an error in the very first cell that
 * imports kernel-lib also names its cell line (see cell-stack.ts):
 *
 *   node --require <checkout>/kernel-lib/dist/display/kernel-preload.js <tslab> kernel --config-path …
 *
 * Without it, cells are recorded from the moment kernel-lib is first imported.
 * tslab creates its executor and request handler while its main module loads,
 * which is after this file, so recording starts on the first turn of the
 * event loop (retried briefly in case tslab is slower to start).
 */
const RETRY_MS = 100;
const ATTEMPTS = 100;

function start(attempt: number): void {
  if (recordCellSources() || attempt >= ATTEMPTS) return;
  setTimeout(() => start(attempt + 1), RETRY_MS).unref();
}

setImmediate(() => start(1));
