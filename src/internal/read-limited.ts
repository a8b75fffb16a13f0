/**
 * Reads a web stream whole, unless it is longer than `limit` bytes: then it stops reading,
 * cancels the stream and returns `undefined`, so an endless body costs at most `limit` bytes.
 * With `deadline`, a promise that rejects when time is up, a body that stops coming is
 * cancelled too, and the read rejects with the deadline's reason.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  deadline?: Promise<never>,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await (deadline ? Promise.race([reader.read(), deadline]) : reader.read());
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  return joined(chunks, size);
}

/** Chunks of `size` bytes in all as one array (`Buffer.concat` without `Buffer`, for every runtime). */
export function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
