/**
 * A TCP proxy in front of a real media host, on 127.0.0.1, that breaks connections the way
 * networks do: it cuts the reply of a planned connection after a number of bytes, and may run
 * a step (replacing the file on the host) before it lets the next connection through.
 */
import { connect, createServer, type Socket } from "node:net";
import { afterThisTest } from "./gateway.js";

/** What happens to one connection through the proxy. */
export interface ConnectionFault {
  /** Bytes of the reply (head and body) passed on before both sides are cut. */
  readonly cutAfterBytes: number;
  /** Runs after the cut; the next connection waits until it is done. */
  readonly afterCut?: () => Promise<void> | void;
}

/** The head of one request that went through the proxy. */
export interface ProxiedRequest {
  readonly requestLine: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it in place of the host's URL. */
  readonly url: string;
  /** Every request head seen, in order. */
  readonly requests: ProxiedRequest[];
}

function heads(text: string): ProxiedRequest[] {
  return text
    .split("\r\n\r\n")
    .filter((block) => /^[A-Z]+ \S+ HTTP\/1\.[01]/.test(block))
    .map((block) => {
      const [requestLine = "", ...lines] = block.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      return { requestLine, headers };
    });
}

/**
 * Starts the proxy in front of `upstream` (`http://127.0.0.1:<port>`). The n-th connection
 * follows `plan[n]`; connections beyond the plan pass through untouched.
 */
export async function startFaultProxy(upstream: string, plan: readonly ConnectionFault[]): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let previousStep: Promise<void> = Promise.resolve();
  const server = createServer(async (client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.pause();
    const fault = plan[connections++];
    await previousStep;
    const host = connect(Number(target.port), "127.0.0.1");
    sockets.add(host);
    host.on("close", () => sockets.delete(host));
    let sent = "";
    client.on("data", (chunk: Buffer) => {
      sent += chunk.toString("latin1");
      const end = sent.lastIndexOf("\r\n\r\n");
      if (end >= 0) {
        requests.push(...heads(sent.slice(0, end + 4)));
        sent = sent.slice(end + 4);
      }
      host.write(chunk);
    });
    let passed = 0;
    host.on("data", (chunk: Buffer) => {
      if (!fault) {
        client.write(chunk);
        return;
      }
      const room = fault.cutAfterBytes - passed;
      passed += chunk.length;
      if (room > chunk.length) {
        client.write(chunk);
        return;
      }
      host.pause();
      let release: () => void = () => {};
      previousStep = new Promise<void>((resolve) => (release = resolve));
      client.end(chunk.subarray(0, Math.max(0, room)), () => {
        client.destroy();
        host.destroy();
        void Promise.resolve(fault.afterCut?.()).then(release, release);
      });
    });
    const closeBoth = () => {
      client.destroy();
      host.destroy();
    };
    client.on("error", closeBoth);
    host.on("error", closeBoth);
    client.on("end", () => host.end());
    host.on("end", () => client.end());
    client.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return { url: `http://127.0.0.1:${address.port}`, requests };
}
