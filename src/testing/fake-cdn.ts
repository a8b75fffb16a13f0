import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { flattenHeaders } from "../internal/headers.js";

/** What the fake media host does instead of serving a file normally. */
export type MediaFault =
  /**
   * Sends this many bytes of the body, then drops the connection. With `advertiseRanges: false`
   * the answer does not offer `Accept-Ranges`, so the client must start over.
   */
  | { kind: "drop"; afterBytes: number; advertiseRanges?: boolean }
  /** Ignores `Range` and does not advertise `Accept-Ranges` (the client must restart). */
  | { kind: "no-range" }
  /** Announces this `Content-Length`, then ends the body early at the real size. */
  | { kind: "short-body"; contentLength: number }
  /** Answers with this status code and no media. */
  | { kind: "status"; status: number };

/** One request the fake media host received. */
export interface RecordedMediaRequest {
  readonly path: string;
  /** Headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A loopback media host standing in for the gateway's CDN: a different origin from the gateway. */
export interface FakeCdn {
  /** Its base URL, e.g. `http://127.0.0.1:49153`. */
  readonly url: string;
  /** Every media request received, in order. */
  readonly requests: RecordedMediaRequest[];
  /** Arms a fault for the next `times` media requests (default 1). */
  inject(fault: MediaFault, times?: number): void;
  /** Stops serving and drops open connections. */
  close(): Promise<void>;
}

/** Parses `Range: bytes=START-` (the only form the SDK sends). */
function rangeStart(header: string | undefined, size: number): number | undefined {
  const match = /^bytes=(\d+)-$/.exec(header ?? "");
  if (!match) return undefined;
  const start = Number(match[1]);
  return start < size ? start : undefined;
}

/**
 * Starts the fake CDN on 127.0.0.1. Every `…/output.mp4` and `…/output.ext` path serves `media` with `ETag`,
 * `Accept-Ranges` and `206` answers to `Range`, in 64 KiB chunks so a large file really streams.
 */
export async function startFakeCdn(media: Uint8Array): Promise<FakeCdn> {
  const requests: RecordedMediaRequest[] = [];
  const faults: { fault: MediaFault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  const etag = `"${createHash("sha1").update(media).digest("hex")}"`;

  /** Streams `body` in 64 KiB chunks with backpressure; with `cutAt`, closes the connection there. */
  const send = (res: ServerResponse, body: Uint8Array, cutAt: number | undefined): void => {
    if (cutAt !== undefined) {
      // Flush what is sent, then close: the client sees a body that ends early.
      res.write(body.subarray(0, cutAt));
      res.socket?.destroySoon();
      return;
    }
    let offset = 0;
    const writeMore = (): void => {
      while (offset < body.length) {
        const end = Math.min(body.length, offset + 64 * 1024);
        const ok = res.write(body.subarray(offset, end));
        offset = end;
        if (!ok) {
          res.once("drain", writeMore);
          return;
        }
      }
      res.end();
    };
    writeMore();
  };

  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "/", headers: flattenHeaders(req.headers) });
    const fault = faults[0];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.shift();
    }
    const mp4 = req.url?.endsWith("/output.mp4") === true;
    if (!(mp4 || req.url?.endsWith("/output.ext")) || fault?.fault.kind === "status") {
      res.writeHead(fault?.fault.kind === "status" ? fault.fault.status : 404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const kind = fault?.fault.kind;
    const start = kind === "no-range" ? undefined : rangeStart(req.headers.range, media.length);
    const ifRange = req.headers["if-range"];
    const useRange = start !== undefined && (ifRange === undefined || ifRange === etag);
    const body = useRange ? media.subarray(start) : media;
    const headers: Record<string, string | number> = {
      // For the reference's generic `output.ext`, a generic type: what the real CDN sends is not documented.
      "content-type": mp4 ? "video/mp4" : "application/octet-stream",
      "content-length": body.length,
      etag,
    };
    const advertise = kind !== "no-range" && !(fault?.fault.kind === "drop" && fault.fault.advertiseRanges === false);
    if (advertise) headers["accept-ranges"] = "bytes";
    if (useRange) headers["content-range"] = `bytes ${start}-${media.length - 1}/${media.length}`;
    if (fault?.fault.kind === "short-body") headers["content-length"] = fault.fault.contentLength;
    res.writeHead(useRange ? 206 : 200, headers);
    const cutAt =
      fault?.fault.kind === "drop"
        ? fault.fault.afterBytes
        : fault?.fault.kind === "short-body"
          ? body.length
          : undefined;
    send(res, body, cutAt);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (fault, times = 1) => {
      faults.push({ fault, remaining: times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
