// The shop panel: who the page is connected to, or a form to connect, and the warning about
// holding an API key in a browser.
import { fill, h } from '../dom.js';
import { PLATFORMS, platformNamed } from './platforms.js';

const KEY_WARNING = [
  'A browser that holds an API key or token exposes it: anything running in this page (extensions, ' +
    'developer tools, injected scripts) can read it, and it gives full access to the shop. ',
  'For a real shop, run the rules service (',
  h('code', {}, 'shopflow run'),
  ') or a proxy of your own that keeps the key, and use this page through it. ',
  'Here it is kept in this tab\u2019s memory only and is gone on reload, unless you tick ' +
    '\u201cremember in this tab\u201d (sessionStorage, cleared when the tab closes). It is never ' +
    'saved in localStorage.',
];

export function connectPanel(root, connection) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });

  const render = () => {
    const info = connection.info;
    if (info) {
      const source = { demo: 'the local demo shop', session: 'remembered in this tab', form: 'key in memory' }[info.source];
      fill(
        root,
        h(
          'div',
          { class: 'connected', 'data-testid': 'connected', 'data-platform': info.platform },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          `Connected to ${info.label} at `,
          h('code', {}, info.baseUrl),
          info.who ? [' as ', h('code', {}, info.who)] : null,
          ` (${source}) `,
          h('button', { type: 'button', onclick: () => connection.disconnect() }, 'Disconnect'),
        ),
        info.source === 'demo'
          ? h('p', { class: 'muted' }, 'The demo shop\u2019s key is a local one the rules service made for this page. A real shop\u2019s key does not belong in a browser: keep it in the rules service or a proxy.')
          : h('p', { class: 'warning' }, KEY_WARNING),
      );
      return;
    }
    fill(root, form(), error, h('p', { class: 'warning' }, KEY_WARNING));
  };

  // One form for every platform: the platform picked decides the fields (platforms.js).
  const form = () => {
    const platform = h('select', { name: 'platform' }, PLATFORMS.map((p) => h('option', { value: p.id }, p.label)));
    const baseUrl = h('input', { name: 'baseUrl', type: 'url', size: 44 });
    const login = h('input', { name: 'login', autocomplete: 'username', size: 14 });
    const loginLabel = h('label', {}, 'Login ', login);
    const apiKey = h('input', { name: 'apiKey', type: 'password', required: true, autocomplete: 'off', size: 20 });
    const keyLabel = h('span');
    const remember = h('input', { name: 'remember', type: 'checkbox' });
    const submit = h('button', { type: 'submit' }, 'Connect');
    const fit = () => {
      const { form: f } = platformNamed(platform.value);
      baseUrl.placeholder = f.baseUrlPlaceholder;
      baseUrl.required = f.baseUrlRequired;
      login.required = f.login;
      loginLabel.hidden = !f.login;
      fill(keyLabel, `${f.keyLabel} `);
    };
    platform.addEventListener('change', fit);
    fit();
    return h(
      'form',
      {
        class: 'connect',
        'data-testid': 'connect-form',
        onsubmit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          error.hidden = true;
          try {
            await connection.connect(
              { platform: platform.value, baseUrl: baseUrl.value, login: loginLabel.hidden ? '' : login.value, apiKey: apiKey.value },
              { source: 'form', remember: remember.checked },
            );
          } catch (err) {
            // The package's messages never contain the key or token.
            fill(error, `Could not connect: ${err.message}`);
            error.hidden = false;
            submit.disabled = false;
          }
        },
      },
      h('label', {}, 'Platform ', platform),
      h('label', {}, 'API base URL ', baseUrl),
      loginLabel,
      h('label', {}, keyLabel, apiKey),
      h('label', { class: 'inline' }, remember, ' remember in this tab'),
      submit,
    );
  };

  connection.addEventListener('change', render);
  render();
  return {
    /** Shows why connecting on its own failed, above the form. */
    showError(message) {
      fill(error, message);
      error.hidden = false;
    },
  };
}
