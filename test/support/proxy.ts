import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { createProxy } from "proxy";
import { afterEach } from "vitest";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Host names of the tests' https gateway and media host. They never reach a resolver: the proxy
 * below and the client in `proxied-client.ts` both map every `.test` name to 127.0.0.1.
 */
export const GATEWAY_HOST = "pixazo-gateway.test";
export const CDN_HOST = "pixazo-cdn.test";

/** The test certificate (for both names above) and its key, valid until 2126. */
export const TEST_CERT_FILE = new URL("../fixtures/tls/cert.pem", import.meta.url);
const TEST_KEY_FILE = new URL("../fixtures/tls/key.pem", import.meta.url);

/** What a forward proxy was asked and what it carried. */
export interface ProxyLog {
  readonly url: string;
  /** Each CONNECT tunnel: the target as asked, and the request's headers. */
  readonly tunnels: { target: string; headers: IncomingHttpHeaders }[];
  /** Each plain proxied request (no tunnel). */
  readonly forwarded: { url: string; headers: IncomingHttpHeaders }[];
  /** Every byte the clients sent into the tunnels. */
  readonly carried: () => Buffer;
}

function closeWith(server: { close(callback: () => void): unknown }, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * A real forward proxy (the `proxy` package from npm) on loopback, logging what it is asked;
 * closed after the test. A tunnel to a `.test` name goes to the same port on 127.0.0.1, so no
 * other address is ever a target. With `refuse: true` it answers every request 407 Proxy
 * Authentication Required, as a proxy does when credentials are missing.
 */
export async function startProxy(options: { refuse?: boolean } = {}): Promise<ProxyLog> {
  const server = createProxy(createServer());
  if (options.refuse) server.authenticate = () => false;
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  const log: ProxyLog = {
    url: "",
    tunnels: [],
    forwarded: [],
    carried: () => Buffer.concat(chunks),
  };
  server.prependListener("connect", (req, socket: Socket) => {
    log.tunnels.push({ target: req.url ?? "", headers: req.headers });
    req.url = (req.url ?? "").replace(/^[a-z0-9.-]+\.test:/, "127.0.0.1:");
    sockets.add(socket);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  });
  server.prependListener("request", (req) => log.forwarded.push({ url: req.url ?? "", headers: req.headers }));
  server.on("connection", (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(closeWith(server, sockets));
  return Object.assign(log, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/**
 * An https front for a loopback http server (the fake gateway, its media host), with the test
 * certificate; closed after the test. Returns its port.
 */
export async function httpsFront(httpUrl: string): Promise<number> {
  const target = new URL(httpUrl);
  const sockets = new Set<Socket>();
  const server = createTlsServer(
    { cert: readFileSync(TEST_CERT_FILE), key: readFileSync(TEST_KEY_FILE) },
    (tlsSocket) => {
      const upstream = connect(Number(target.port), "127.0.0.1");
      sockets.add(tlsSocket);
      sockets.add(upstream);
      tlsSocket.on("error", () => upstream.destroy());
      upstream.on("error", () => tlsSocket.destroy());
      tlsSocket.pipe(upstream).pipe(tlsSocket);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(closeWith(server, sockets));
  return (server.address() as AddressInfo).port;
}
