/**
 * The kernel connection file: which loopback ports the kernel binds and the
 * key that signs every message.
 *
 * Why: the kernel binds, we connect, so we must choose the ports. We ask the
 * OS for free ones (bind port 0) and hold all five open at once so they are
 * distinct; there is a small window before the kernel binds them, which is the
 * same race jupyter_client accepts. The key is fresh random bytes per kernel,
 * and the file is private (0600) in a private temporary folder. The folder is
 * registered with the process guard, so an exit or a signal removes it too;
 * the client removes it as soon as the kernel has read it (after the
 * handshake), so even a SIGKILLed runner leaves it behind only during start-up.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { trackPath, untrackPath } from "./process-guard";
import { KERNEL_NAME } from "../course/kernelspec";

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** A connection file on disk; `remove()` deletes it together with its folder. */
export interface ConnectionFile {
  path: string;
  info: ConnectionInfo;
  remove(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `count` distinct currently free loopback TCP ports. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnFreePort());
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** Fresh connection parameters: five free ports and a random signing key. */
export async function createConnectionInfo(): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freeLoopbackPorts(5);
  return {
    transport: "tcp",
    ip: LOOPBACK,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: KERNEL_NAME,
  };
}

/** Writes `info` to a private temporary file for `--config-path`. */
export async function writeConnectionFile(info: ConnectionInfo): Promise<ConnectionFile> {
  const dir = await mkdtemp(path.join(tmpdir(), "notebook-kernel-"));
  trackPath(dir);
  const file = path.join(dir, "connection.json");
  await writeFile(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return {
    path: file,
    info,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      untrackPath(dir);
    },
  };
}

/** The ZeroMQ endpoint for one of the kernel's ports. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
