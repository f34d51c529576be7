// The shop panel: who the page is connected to, or a form to connect, and the warning about
// holding an API key in a browser.
import { fill, h } from '../dom.js';

const KEY_WARNING = [
  'A browser that holds an API key exposes it: anything running in this page (extensions, ' +
    'developer tools, injected scripts) can read it, and it gives full access to the shop. ',
  'For a real shop, run the rules service (',
  h('code', {}, 'shopflow run'),
  ') or a proxy of your own that keeps the key, and use this page through it. ',
  'Here the key is kept in this tab\u2019s memory only and is gone on reload, unless you tick ' +
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
          { class: 'connected', 'data-testid': 'connected' },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          'Connected to ',
          h('code', {}, info.baseUrl),
          ' as ',
          h('code', {}, info.login),
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

  const form = () => {
    const baseUrl = h('input', { name: 'baseUrl', type: 'url', required: true, placeholder: 'https://myshop.admin.s10.upgates.com/api/v2', size: 44 });
    const login = h('input', { name: 'login', required: true, autocomplete: 'username', size: 14 });
    const apiKey = h('input', { name: 'apiKey', type: 'password', required: true, autocomplete: 'off', size: 20 });
    const remember = h('input', { name: 'remember', type: 'checkbox' });
    const submit = h('button', { type: 'submit' }, 'Connect');
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
              { baseUrl: baseUrl.value, login: login.value, apiKey: apiKey.value },
              { source: 'form', remember: remember.checked },
            );
          } catch (err) {
            // The package's messages never contain the key.
            fill(error, `Could not connect: ${err.message}`);
            error.hidden = false;
            submit.disabled = false;
          }
        },
      },
      h('label', {}, 'API base URL ', baseUrl),
      h('label', {}, 'Login ', login),
      h('label', {}, 'API key ', apiKey),
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
