// The site's entry: the shop panel (shared by both views, so a key typed once serves both without
// being stored), and the two views switched by the URL's hash. Each view is built the first time
// it is shown; the playground's editor and engine are loaded only then.
import './style.css';
import { takeTokenFromAddress } from './dashboard/service-api.js';
import { connectPanel } from './shop/connect-panel.js';
import { Connection } from './shop/connection.js';

// Before the views read the fragment: it may carry the operator token (`#token=…`).
takeTokenFromAddress();

const VIEWS = {
  playground: () => import('./playground/view.js').then((m) => m.playgroundView),
  dashboard: () => import('./dashboard/view.js').then((m) => m.dashboardView),
};

const connection = new Connection();
const panel = connectPanel(document.getElementById('shop'), connection);
const built = new Set();

async function show() {
  const name = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : 'playground';
  for (const [view] of Object.entries(VIEWS)) {
    document.getElementById(view).hidden = view !== name;
    document.querySelector(`nav a[href="#${view}"]`)?.classList.toggle('current', view === name);
  }
  if (built.has(name)) return;
  built.add(name);
  const build = await VIEWS[name]();
  build(document.getElementById(name), connection);
}

window.addEventListener('hashchange', show);
show();

connection.autoConnect().then(
  (connected) => (document.body.dataset.shop = connected ? 'connected' : 'form'),
  (err) => {
    document.body.dataset.shop = 'failed';
    panel.showError(`Could not connect to the offered shop: ${err.message}`);
  },
);
