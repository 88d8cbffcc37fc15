/**
 * A zip reader for untrusted submissions: it reads the central directory,
 * refuses what only a crafted zip contains, and inflates only the entries
 * the caller asks for, each stopped at its declared size.
 *
 * Refused outright (the whole zip):
 *   - entries whose data ranges overlap, or run past the end of the file
 *     (the "overlapping entries" zip bomb: one compressed stream listed many
 *     times);
 *   - ZIP64, multi-disk and encrypted entries (`npm run submit` never makes them);
 *   - more entries than the cap.
 * Each inflated entry stops at its declared size (zlib's maxOutputLength)
 * and the total inflated under a cap, so the work is bounded by what the
 * caller accepts, never by what the zip claims.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  /** Declared sizes, from the central directory. */
  compressedSize: number;
  size: number;
  method: number;
  /** A symbolic link (Unix mode in the external attributes, as `zip --symlinks` stores it): its data is the target's path, not a file. */
  symlink: boolean;
  /** Where the entry's local header starts, and its compressed data starts and ends, in the file. */
  header: number;
  start: number;
  end: number;
}

export class ZipRefused extends Error {
  constructor(detail: string) {
    super(`the zip was refused: ${detail}`);
    this.name = "ZipRefused";
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip, checked (see the module comment); throws ZipRefused. */
export function listZip(buf: Buffer, maxEntries: number): ZipEntry[] {
  // The end-of-central-directory record is within the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipRefused("it is not a zip file (no end-of-central-directory record)");
  const disk = buf.readUInt16LE(eocd + 4);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0) throw new ZipRefused("multi-disk zips are not accepted");
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipRefused("ZIP64 zips are not accepted (make the zip with `npm run submit`)");
  if (count > maxEntries) throw new ZipRefused(`it holds ${count} entries, more than the ${maxEntries} accepted`);
  if (cdOffset + cdSize > eocd) throw new ZipRefused("its central directory runs past its end");
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw new ZipRefused(`central directory entry ${k + 1} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const madeBy = buf.readUInt8(p + 5); // 3: Unix, whose file mode is the high half of the external attributes
    const symlink = madeBy === 3 && ((buf.readUInt32LE(p + 38) >>> 16) & 0o170000) === 0o120000;
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new ZipRefused(`${name} is encrypted`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) throw new ZipRefused("ZIP64 entries are not accepted");
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw new ZipRefused(`${name} has no local header where the directory says`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const end = start + compressedSize;
    if (end > buf.length) throw new ZipRefused(`${name}'s data runs past the end of the file`);
    entries.push({ name, compressedSize, size, method, symlink, header: local, start, end });
  }
  // Each entry owns [local header, end of data): no two may share a byte.
  const sorted = [...entries].sort((a, b) => a.header - b.header);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].header < sorted[i - 1].end) {
      throw new ZipRefused(`the entries ${sorted[i - 1].name} and ${sorted[i].name} share their data (overlapping entries: a zip bomb)`);
    }
  }
  return entries;
}

/** The bytes of one entry, never more than its declared size; throws ZipRefused for what cannot be read. */
export function readEntry(buf: Buffer, entry: ZipEntry): Buffer {
  const raw = buf.subarray(entry.start, entry.end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new ZipRefused(`${entry.name}: a stored entry whose sizes disagree`);
    return Buffer.from(raw);
  }
  if (entry.method !== 8) throw new ZipRefused(`${entry.name} uses compression method ${entry.method} (only deflate and stored are accepted)`);
  let out: Buffer;
  try {
    // One byte more than declared: a stream longer than it says is caught, and inflation stops right there.
    out = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
  } catch (e) {
    if (e instanceof RangeError) throw new ZipRefused(`${entry.name} inflates to more than its declared ${entry.size} bytes`);
    throw new ZipRefused(`${entry.name} could not be inflated: ${(e as Error).message}`);
  }
  if (out.length !== entry.size) throw new ZipRefused(`${entry.name} inflates to ${out.length} bytes, not its declared ${entry.size}`);
  return out;
}
