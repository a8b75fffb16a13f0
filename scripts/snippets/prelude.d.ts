// The names the README's and the guides' snippets leave to their reader, as a reader's program
// would have them. Each snippet is its own module: a name it declares itself shadows these.
import type { CompletedJob, Pixazo, WebhookReceiver } from "pixazo-ltx";

declare global {
  /** A client, made as the quickstart makes it. */
  const client: Pixazo;
  /** A finished job, as `generate` or `wait` returns it. */
  const job: CompletedJob;
  /** A receiver, made as the webhook guide makes it. */
  const receiver: WebhookReceiver;
  /** Deno's server, as far as the snippets use it (its handler gets the request and a connection info). */
  const Deno: { serve(handler: (request: Request, info: { remoteAddr: unknown }) => Promise<Response>): unknown };
  /** Bun's server, likewise (its `fetch` gets the request and the server). */
  const Bun: { serve(options: { fetch(request: Request, server: { port: number }): Promise<Response> }): unknown };
}
