// The Control UI's entry: sign-in from the #token= fragment, the connection, navigation between views.
import { GatewayClient, gatewayUrl } from './gateway.js';
import { h, clear, toast } from './dom.js';
import { ApprovalStore, approvalsView } from './approvals.js';
import { chatView } from './chat.js';
import { sessionsView } from './sessions.js';
import { agentsView } from './agents.js';
import { skillsView } from './skills.js';
import { logsView } from './logs.js';
import { configView } from './config.js';
import { securityView } from './security.js';

const TOKEN_KEY = 'clawbot.gateway.token';
const VIEW_KEY = 'clawbot.ui.view';

/**
 * The token arrives in the URL fragment (never sent to a server). It is moved to sessionStorage, which lives
 * as long as this tab, and removed from the address bar so it is not bookmarked, shared or kept in history.
 */
function takeToken() {
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (m) {
    let token = m[1];
    try {
      token = decodeURIComponent(token);
    } catch {
      // keep it as written
    }
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const statusEl = document.getElementById('status');

function signInView(title, explanation, error, retry) {
  const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'off', placeholder: 'gateway token',
    'aria-label': 'Gateway token' });
  const go = () => {
    if (!input.value.trim()) return;
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    location.reload();
  };
  input.addEventListener('keydown', e => {
    if (e.key === 'Enter') go();
  });
  nav.hidden = true;
  clear(main, h('section', { class: 'panel error-view', id: 'signin' },
    h('h1', { text: title }),
    h('p', { text: explanation }),
    error ? h('p', { class: 'error', id: 'signin-error', text: error }) : null,
    retry ? h('p', {}, h('button', { class: 'primary', onclick: () => location.reload() }, retry)) : null,
    h('h2', { text: 'What to do' }),
    h('ol', {},
      h('li', {}, 'On the gateway machine run ', h('code', { text: './claw gateway' }), '.'),
      h('li', {}, 'Open the address it prints, ', h('code', { text: 'http://127.0.0.1:18789/#token=…' }),
        ', in this browser. The token in it signs you in for this tab only.'),
      h('li', {}, 'Or paste the token here (the ', h('code', { text: 'gateway.auth.token' }),
        ' in its openclaw.json, or the ', h('code', { text: 'OPENCLAW_GATEWAY_TOKEN' }), ' it was started with):')),
    h('div', { class: 'row' }, input, h('button', { class: 'primary', onclick: go }, 'Sign in'))));
}

const token = takeToken();
if (!token) {
  statusEl.textContent = 'signed out';
  statusEl.dataset.state = 'signed-out';
  signInView('Sign in to the gateway', 'This page needs the gateway token, and the address had none.');
} else {
  start(token);
}

function start(token) {
  const gw = new GatewayClient(gatewayUrl(), token);
  const approvals = new ApprovalStore(gw);
  const app = { gw, approvals, agents: null, show: null };
  const views = {
    chat: { title: 'Chat', view: chatView(app) },
    sessions: { title: 'Sessions', view: sessionsView(app) },
    agents: { title: 'Agents', view: agentsView(app) },
    skills: { title: 'Skills', view: skillsView(app) },
    approvals: { title: 'Approvals', view: approvalsView(app) },
    logs: { title: 'Logs', view: logsView(app) },
    config: { title: 'Config', view: configView(app) },
    security: { title: 'Security', view: securityView(app) },
  };
  let current = null;
  const container = h('div', { class: 'views' });
  const buttons = {};
  for (const [id, v] of Object.entries(views)) {
    buttons[id] = h('button', { class: 'tab', id: `tab-${id}`, dataset: { view: id }, onclick: () => show(id) }, v.title);
    container.append(v.view.el);
    v.view.el.hidden = true;
  }
  // Until the first hello: say what is happening instead of showing an empty page.
  const waitingText = h('p', { id: 'connecting-detail', text: `Connecting to ${gatewayUrl()} …` });
  clear(main, h('section', { class: 'panel error-view', id: 'connecting' },
    h('h1', { text: 'Connecting to the gateway' }), waitingText,
    h('p', { class: 'muted', text: 'If this does not go away, check that `./claw gateway` is running on this machine '
      + 'and that this is the address it printed.' })));
  const pendingBadge = h('span', { class: 'count', id: 'pending-count', hidden: true });
  buttons.approvals.append(pendingBadge);
  clear(nav, Object.values(buttons));

  function show(id, opts) {
    if (!views[id]) id = 'chat';
    if (current && current !== id) views[current].view.hide?.();
    for (const [k, b] of Object.entries(buttons)) b.setAttribute('aria-current', k === id ? 'page' : 'false');
    for (const [k, v] of Object.entries(views)) v.view.el.hidden = k !== id;
    current = id;
    sessionStorage.setItem(VIEW_KEY, id);
    views[id].view.show(opts || {});
  }
  app.show = show;

  approvals.addEventListener('change', () => {
    const n = approvals.pending.size;
    pendingBadge.hidden = n === 0;
    pendingBadge.textContent = String(n);
  });

  let refusedShown = false;
  gw.addEventListener('status', e => {
    const { state, retryAt, error } = e.detail;
    statusEl.dataset.state = state;
    if (state === 'refused') {
      refused(error);
      return;
    }
    renderStatus(state, retryAt, error);
    if (state === 'waiting' && !container.isConnected) {
      waitingText.textContent = `The gateway at ${gatewayUrl()} does not answer${error && error.message ? ` (${error.message})` : ''}; `
        + 'retrying with a growing pause (up to 30 s).';
    }
  });
  gw.addEventListener('hello', e => {
    if (refusedShown) return;
    if (!container.isConnected) {
      nav.hidden = false;
      clear(main, container);
      show(sessionStorage.getItem(VIEW_KEY) || 'chat');
    }
    approvals.reload();
    for (const v of Object.values(views)) v.view.connected?.(e.detail);
  });
  gw.addEventListener('event', e => {
    approvals.onEvent(e.detail);
    for (const v of Object.values(views)) v.view.onEvent?.(e.detail);
  });
  gw.addEventListener('gap', () => {
    for (const v of Object.values(views)) v.view.connected?.({ reconnect: true, gap: true });
  });

  let countdown = null;
  function renderStatus(state, retryAt, error) {
    clearInterval(countdown);
    const text = {
      connecting: 'connecting…',
      connected: 'connected',
      stopped: 'disconnected',
    }[state];
    if (state !== 'waiting') {
      clear(statusEl, h('span', { class: 'dot' }), text || state);
      return;
    }
    const tick = () => {
      const s = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      clear(statusEl, h('span', { class: 'dot' }),
        h('span', { text: `reconnecting in ${s} s` }),
        error && error.message ? h('span', { class: 'muted small hide-narrow', text: ` (${error.message})` }) : null,
        h('button', { class: 'link', id: 'reconnect-now', onclick: () => gw.reconnectNow() }, 'retry now'));
    };
    tick();
    countdown = setInterval(tick, 1000);
  }

  function refused(err) {
    refusedShown = true;
    clearInterval(countdown);
    clear(statusEl, h('span', { class: 'dot' }), 'not signed in');
    const code = err && err.detailCode;
    if (code === 'AUTH_TOKEN_MISMATCH' || code === 'AUTH_TOKEN_MISSING') {
      sessionStorage.removeItem(TOKEN_KEY);
      signInView('The gateway refused this token',
        'The token this tab holds does not match the gateway\u2019s (it may have been restarted with a new one, or the link was cut short).',
        err.message);
    } else if (code === 'AUTH_RATE_LIMITED') {
      // The token may well be right: someone else's wrong attempts lock the address too. Keep it for the retry.
      signInView('Too many failed sign-ins', 'The gateway locked sign-in from this address for a while after wrong tokens.',
        err.message, 'Try again');
    } else if (code === 'ORIGIN_NOT_ALLOWED') {
      signInView('This address is not allowed', 'The gateway only accepts browsers on its own loopback address, or on '
        + 'origins listed in gateway.controlUi.allowedOrigins of openclaw.json.', err.message);
    } else {
      signInView('The gateway refused the connection', 'This page and the gateway do not agree on the protocol; reload '
        + 'the page, or update the gateway.', err ? err.message : '');
    }
  }

  window.addEventListener('error', e => toast(`UI error: ${e.message}`, 'error'));
  gw.start();
}
