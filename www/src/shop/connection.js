// The page's one connection to a shop: a platform's adapter (platforms.js) over the package's
// client, and what the page may show about it.
//
// The API key or token lives in the client's private field and nowhere else in the page, unless
// the user ticks "remember in this tab" (../tab-memory.js: sessionStorage, never localStorage).
//
// The package's web entry fetches and compiles its WebAssembly (about 1 MB) before it resolves:
// the adapters load it on the first connect, so the page (and the playground's editor) shows at
// once.
import { tabMemory } from '../tab-memory.js';
import { platformNamed } from './platforms.js';

const memory = tabMemory('shopflow.connection');

/** Loopback shops (the sandbox, the rules service's demo shop) need the client's allowLocal. */
export function isLoopback(baseUrl) {
  try {
    const host = new URL(baseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export class Connection extends EventTarget {
  /** The connected shop (the platform's adapter, see platforms.js), or null. */
  shop = null;
  /** `{ platform, label, baseUrl, who, source: 'demo' | 'form' | 'session' }`, or null. */
  info = null;

  /**
   * Connects to a shop of `platform` ('upgates' or 'retailys'; `login` is Upgates' only, and
   * `apiKey` is Retailys' token) and checks the credentials with one request. Throws the
   * package's error (UnauthorizedError, NetworkError, ValidationError for a base URL that is not
   * a shop's, …) and stays as it was.
   */
  async connect({ platform, baseUrl = '', login = '', apiKey }, { source = 'form', remember = false } = {}) {
    const kind = platformNamed(platform);
    const shop = await kind.connect({
      baseUrl: baseUrl.trim(),
      login: login.trim(),
      apiKey,
      allowLocal: isLoopback(baseUrl.trim()),
      fetch: (request, init) => this.#fetch(request, init),
    });
    this.shop = shop;
    this.info = { platform: kind.id, label: kind.label, baseUrl: shop.baseUrl, who: shop.who, source };
    if (remember) memory.save({ platform: kind.id, baseUrl: shop.baseUrl, login, apiKey });
    else memory.forget();
    this.dispatchEvent(new Event('change'));
    this.activity();
  }

  disconnect() {
    this.shop = null;
    this.info = null;
    memory.forget();
    this.dispatchEvent(new Event('change'));
  }

  /** What the user asked this tab to remember, if anything. */
  remembered() {
    const saved = memory.load();
    return saved && typeof saved.apiKey === 'string' ? saved : null;
  }

  /**
   * Connects on its own when it can: the tab's remembered shop, else the demo shop the rules
   * service offers at ./demo.json when it runs the embedded sandbox. Returns whether it did;
   * throws only when a shop was offered and refused the credentials.
   */
  async autoConnect() {
    const saved = this.remembered();
    if (saved) {
      await this.connect(saved, { source: 'session', remember: true });
      return true;
    }
    const demo = await demoShop();
    if (!demo) return false;
    await this.connect(demo, { source: 'demo' });
    return true;
  }

  /** Tells listeners (the budget panel) that requests went out or came back. */
  activity() {
    this.dispatchEvent(new Event('activity'));
  }

  async #fetch(request, init) {
    try {
      return await fetch(request, init);
    } finally {
      // The client reads the budget headers after this resolves; look once it has.
      setTimeout(() => this.activity(), 0);
    }
  }
}

/** The rules service's demo shop (`GET ./demo.json`), or null when this origin offers none. */
async function demoShop() {
  let res;
  try {
    res = await fetch(new URL('demo.json', document.baseURI), { headers: { accept: 'application/json' } });
  } catch {
    return null;
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const shop = (await res.json())?.shop;
  if (!shop || typeof shop.baseUrl !== 'string' || typeof shop.apiKey !== 'string') return null;
  // Before Retailys the document named no platform: it was always Upgates.
  const platform = typeof shop.platform === 'string' ? shop.platform : 'upgates';
  return { platform, baseUrl: shop.baseUrl, login: typeof shop.login === 'string' ? shop.login : '', apiKey: shop.apiKey };
}
