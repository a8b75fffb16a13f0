import type { HttpResponse, Transport } from "../http/transport.js";

/** GETs media from a CDN. Never sends the API key: it has no access to it. */
export type MediaGet = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpResponse>;

/**
 * Media GETs over the client's transport. They ask for the file as stored
 * (`Accept-Encoding: identity`), since a video does not compress and a decoded body cannot be
 * resumed, and follow redirects: a CDN may redirect, and these requests carry no key. Userinfo in
 * a media URL becomes Basic credentials (as curl does), sent to that origin only: `fetch` refuses
 * URLs that carry them, and a URL is no place for them.
 */
export function mediaGet(transport: () => Promise<Transport>): MediaGet {
  return async (url, headers, signal) => {
    const parsed = new URL(url);
    const sent: Record<string, string> = { ...headers, "accept-encoding": "identity" };
    if (parsed.username !== "" || parsed.password !== "") {
      const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      sent.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
      parsed.username = "";
      parsed.password = "";
    }
    return (await transport())({ method: "GET", url: parsed.href, headers: sent, signal, redirect: "follow" });
  };
}
