/**
 * The Jupyter messaging protocol's wire format (protocol version 5.3), and
 * nothing else: building, signing, encoding and verifying messages.
 *
 * Why a module of its own: everything that touches raw ZeroMQ frames lives
 * here, so the kernel client above it only ever sees typed, verified messages.
 * Spec: https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 *
 * A message on the wire is a list of frames:
 *   [...routing identities, "<IDS|MSG>", hmac, header, parent_header, metadata, content, ...buffers]
 * where hmac is HMAC-SHA256 (hex) over the four JSON frames, keyed by the
 * connection file's key.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** Protocol version we speak; tslab 1.0.22 answers with 5.3 too. */
export const PROTOCOL_VERSION = "5.3";

/** Separates ZeroMQ routing identities from the message proper. */
export const DELIMITER = Buffer.from("<IDS|MSG>");

/** A JSON value as it travels inside message frames. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/**
 * One decoded message. `parent_header` is `{}` for messages with no parent
 * (e.g. our own requests), hence the Partial.
 */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  content: JsonObject;
  buffers: Buffer[];
}

/** Thrown for frames that are not a well-formed, correctly signed message. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/** A fresh request message (no parent) of the given type. */
export function createMessage(msgType: string, content: JsonObject, session: string): JupyterMessage {
  return {
    identities: [],
    header: {
      msg_id: randomUUID(),
      session,
      username: "notebook-runner",
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** HMAC-SHA256 hex digest over the JSON frames, as the spec defines it. */
export function sign(key: string, jsonFrames: readonly (string | Buffer)[]): string {
  const hmac = createHmac("sha256", key);
  for (const frame of jsonFrames) hmac.update(frame);
  return hmac.digest("hex");
}

/** Serialises and signs a message into ZeroMQ frames. */
export function encodeMessage(msg: JupyterMessage, key: string): Buffer[] {
  const json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) =>
    Buffer.from(JSON.stringify(part)),
  );
  return [...msg.identities, DELIMITER, Buffer.from(sign(key, json)), ...json, ...msg.buffers];
}

function parseJsonObject(frame: Buffer, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch (err) {
    throw new ProtocolError(`${what} frame is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what} frame is not a JSON object`);
  }
  return value as JsonObject;
}

function isHeader(value: JsonObject): boolean {
  return typeof value.msg_id === "string" && typeof value.msg_type === "string";
}

/**
 * Splits frames into a message and checks its signature before trusting any
 * of it (a message with a wrong signature is rejected, as the spec requires).
 */
export function decodeMessage(frames: readonly Buffer[], key: string): JupyterMessage {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0) throw new ProtocolError("message has no <IDS|MSG> delimiter");
  if (frames.length < delimiterAt + 6) throw new ProtocolError("message has fewer than 4 JSON frames");
  const signature = frames[delimiterAt + 1].toString("ascii");
  const json = frames.slice(delimiterAt + 2, delimiterAt + 6);
  const expected = Buffer.from(sign(key, json), "ascii");
  const actual = Buffer.from(signature, "ascii");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new ProtocolError("message signature does not verify");
  }
  const header = parseJsonObject(json[0], "header");
  if (!isHeader(header)) throw new ProtocolError("header lacks msg_id or msg_type");
  return {
    identities: frames.slice(0, delimiterAt),
    header: header as unknown as MessageHeader,
    parent_header: parseJsonObject(json[1], "parent_header") as Partial<MessageHeader>,
    metadata: parseJsonObject(json[2], "metadata"),
    content: parseJsonObject(json[3], "content"),
    buffers: frames.slice(delimiterAt + 6),
  };
}
