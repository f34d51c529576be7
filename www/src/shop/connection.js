// The page's one connection to a shop: a shopflow Client and what the page may show about it.
//
// The API key lives in the Client's private field and nowhere else in the page, unless the user
// ticks "remember in this tab", which puts it in sessionStorage (gone when the tab closes). It is
// never written to localStorage: that outlives the tab and any script on the origin can read it.

// The package's web entry fetches and compiles its WebAssembly (about 1 MB) before it resolves:
// load it on the first connect, so the page (and the playground's editor) shows at once.
const loadClient = () => import('shopflow').then((m) => m.Client);

const SESSION_KEY = 'shopflow.connection';

/** Loopback shops (the sandbox, the rules service's demo shop) need the Client's allowLocal. */
export function isLoopback(baseUrl) {
  try {
    const host = new URL(baseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export class Connection extends EventTarget {
  /** The connected Client, or null. */
  client = null;
  /** `{ baseUrl, login, source: 'demo' | 'form' | 'session' }` of the connected shop, or null. */
  info = null;
  /** Requests sent through the client since it connected. */
  requests = 0;

  /**
   * Connects and checks the credentials with `GET /status` (one request, which also reports the
   * budget). Throws the package's error (UnauthorizedError, NetworkError, ValidationError for a
   * base URL that is not a shop's, …) and stays disconnected.
   */
  async connect({ baseUrl, login, apiKey }, { source = 'form', remember = false } = {}) {
    const Client = await loadClient();
    const client = new Client({
      baseUrl: baseUrl.trim(),
      login: login.trim(),
      apiKey,
      allowLocal: isLoopback(baseUrl.trim()),
      // A page should say the budget is spent rather than hang for long.
      maxWait: 10_000,
      fetch: (url, init) => this.#fetch(url, init),
    });
    this.requests = 0;
    await client.status();
    this.client = client;
    this.info = { baseUrl: client.baseUrl, login: login.trim(), source };
    if (remember) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ baseUrl: client.baseUrl, login, apiKey }));
    else sessionStorage.removeItem(SESSION_KEY);
    this.dispatchEvent(new Event('change'));
    this.activity();
  }

  disconnect() {
    this.client = null;
    this.info = null;
    sessionStorage.removeItem(SESSION_KEY);
    this.dispatchEvent(new Event('change'));
  }

  /** What the user asked this tab to remember, if anything. */
  remembered() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
      return saved && typeof saved.apiKey === 'string' ? saved : null;
    } catch {
      return null;
    }
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

  /** The budget as the shop last reported it (X-Rate-Limit-*), adjusted by the client since. */
  get budget() {
    return this.client?.budget ?? {};
  }

  /** Tells listeners (the budget panel) that requests went out or came back. */
  activity() {
    this.dispatchEvent(new Event('activity'));
  }

  async #fetch(url, init) {
    this.requests += 1;
    try {
      return await fetch(url, init);
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
  if (!shop || typeof shop.baseUrl !== 'string' || typeof shop.login !== 'string' || typeof shop.apiKey !== 'string') return null;
  return { baseUrl: shop.baseUrl, login: shop.login, apiKey: shop.apiKey };
}
