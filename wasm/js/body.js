// The bodies the package's functions take: a string, a Uint8Array or an ArrayBuffer. Shared
// by both entries, so they accept and refuse the same things with the same words.

const encoder = new TextEncoder();

/** Bytes of a body given as string, Uint8Array or ArrayBuffer. */
export function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'string') return encoder.encode(body);
  throw new TypeError('a body must be a string, Uint8Array or ArrayBuffer');
}
