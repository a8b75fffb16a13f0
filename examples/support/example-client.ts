/**
 * The client every example uses: the real gateway when PIXAZO_API_KEY is set, otherwise a fake
 * gateway started in this process, so each example runs anywhere, free.
 */
import { type JobStatus, Pixazo } from "pixazo-ltx";
import { type FakeJobScript, startFakeGateway } from "pixazo-ltx/testing";

export interface ExampleClient {
  readonly client: Pixazo;
  /** Whether the real gateway is used (and credits are spent). */
  readonly live: boolean;
  /** Closes the client and, if one was started, the fake gateway. */
  close(): Promise<void>;
}

export async function exampleClient(fakeJob: FakeJobScript = {}): Promise<ExampleClient> {
  if (process.env.PIXAZO_API_KEY) {
    const client = new Pixazo();
    console.error(`Using the Pixazo gateway at ${client.baseUrl} (credits will be spent)`);
    return { client, live: true, close: () => client.close() };
  }
  const gateway = await startFakeGateway({ job: fakeJob });
  // Against the fake gateway the polls are quick; against the real one the SDK's defaults apply.
  const client = new Pixazo({
    apiKey: "example-key",
    baseUrl: gateway.url,
    pollIntervalMs: 200,
    maxPollIntervalMs: 400,
  });
  console.error(`No PIXAZO_API_KEY set: using the fake gateway at ${gateway.url}`);
  return {
    client,
    live: false,
    close: async () => {
      await client.close();
      await gateway.close();
    },
  };
}

/** Prints each status as it is read, with the time since the start. */
export function logStatus(): (status: JobStatus) => void {
  const started = Date.now();
  return ({ status }) => console.error(`status     ${status} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
