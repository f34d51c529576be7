// The rules service's operator API, on the page's own origin (the service serves this site):
// `/status` and what the dashboard asks of it besides. Every call to it goes through here, with
// the operator token (`Authorization: Bearer`).
//
// The token comes from the address's fragment (`#token=…`, which `shopflow run` prints for the
// demo; a fragment never reaches a server or its logs), taken out of the address bar at once;
// else from the form the service panel shows when the service answers 401. It is kept as the
// shop's API key is (../tab-memory.js): in memory, or in this tab's sessionStorage if asked.
import { tabMemory } from '../tab-memory.js';

const memory = tabMemory('shopflow.operator-token');
let token = null;

/**
 * Takes the operator token out of the address (`#token=…`, alone or after a view: `#dashboard&token=…`)
 * and leaves the rest of the fragment; a token alone opens the dashboard, where it is used.
 * Call once, before the views read the fragment.
 */
export function takeTokenFromAddress() {
  const parts = location.hash.slice(1).split('&').filter(Boolean);
  const given = parts.find((p) => p.startsWith('token='));
  if (given) {
    token = decodeURIComponent(given.slice('token='.length)) || null;
    const rest = parts.filter((p) => p !== given);
    history.replaceState(null, '', `${location.pathname}${location.search}#${rest.length ? rest.join('&') : 'dashboard'}`);
  } else {
    const saved = memory.load();
    token = typeof saved === 'string' ? saved : null;
  }
}

/** Uses `value` as the operator token from now on; `remember` keeps it in this tab (sessionStorage). */
export function setToken(value, { remember = false } = {}) {
  token = value.trim() || null;
  if (remember && token) memory.save(token);
  else memory.forget();
}

/**
 * `fetch` of `path` (relative to the page: `status`, `deliveries`) on the service, as JSON, with
 * the operator token when the page has one. Resolves to the Response (a 401 means the token is
 * missing or wrong), or null when the service could not be reached at all.
 */
export async function serviceFetch(path, init = {}) {
  const auth = token ? { authorization: `Bearer ${token}` } : {};
  const headers = { accept: 'application/json', ...auth, ...(init.headers ?? {}) };
  try {
    return await fetch(new URL(path, document.baseURI), { cache: 'no-store', ...init, headers });
  } catch {
    return null;
  }
}
