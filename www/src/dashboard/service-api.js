// The rules service's operator API, on the page's own origin (the service serves this site):
// `/status` and what the dashboard asks of it besides. Every call to it goes through here.

/**
 * `fetch` of `path` (relative to the page: `status`, `deliveries`) on the service, as JSON.
 * Resolves to the Response, or null when the service could not be reached at all.
 */
export async function serviceFetch(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  try {
    return await fetch(new URL(path, document.baseURI), { cache: 'no-store', ...init, headers });
  } catch {
    return null;
  }
}
