import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy } from "proxy";
import { afterEach } from "vitest";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a forward proxy was asked: each CONNECT tunnel and each plain proxied request. */
export interface ProxyLog {
  readonly url: string;
  readonly tunnels: { target: string; headers: IncomingHttpHeaders }[];
  readonly forwarded: { url: string; headers: IncomingHttpHeaders }[];
}

/**
 * A real forward proxy (the `proxy` package from npm) on loopback, logging what it is asked;
 * closed after the test. With `refuse: true` it answers every request 407 Proxy Authentication
 * Required, as a proxy does when credentials are missing.
 */
export async function startProxy(options: { refuse?: boolean } = {}): Promise<ProxyLog> {
  const server = createProxy(createServer());
  if (options.refuse) server.authenticate = () => false;
  const log: ProxyLog = { url: "", tunnels: [], forwarded: [] };
  server.prependListener("connect", (req) => log.tunnels.push({ target: req.url ?? "", headers: req.headers }));
  server.prependListener("request", (req) => log.forwarded.push({ url: req.url ?? "", headers: req.headers }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return Object.assign(log, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
