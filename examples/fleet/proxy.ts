/**
 * A small loopback load balancer: each request goes to the next receiver in turn. It stands in
 * for the one in front of a real fleet, so a callback the gateway delivers twice may land on two
 * different receivers.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function roundRobinProxy(ports: readonly number[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const port = ports[next++ % ports.length];
    const forwarded = request(
      { host: "127.0.0.1", port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}
