// Chat: agent and session pickers, the transcript with streamed replies and tool cards, approvals inline.
//
// What is shown is the session's transcript (chat.history, the gateway's durable record) followed by what is
// still live (messages being sent, runs streaming, tools running). Every item has one key (message id, tool call
// id, run id, idempotency key), and a live item disappears as soon as the transcript holds it; so a reconnect,
// which reloads the transcript, never shows a message twice.
import { h, clear, renderKeyed, uuid, messageText, errorText, confirmDialog } from './dom.js';
import { approvalCard } from './approvals.js';
import { historyItems, toolItem, bubble, canonical } from './transcript.js';
import { voiceInput } from './voice.js';

const SESSION_KEY = 'clawbot.ui.session';

export function chatView(app) {
  const { gw, approvals } = app;
  let agents = [];
  let defaultAgent = 'default';
  let sessionKey = sessionStorage.getItem(SESSION_KEY);
  let history = [];
  let historyKey = null;
  let historyError = null;
  let order = 0;
  const live = { runs: new Map(), tools: new Map(), sends: new Map() };
  const cache = new Map();

  const agentSel = h('select', { id: 'chat-agent', 'aria-label': 'Agent', onchange: () => pickAgent(agentSel.value) });
  const sessionSel = h('select', { id: 'chat-session', 'aria-label': 'Session', onchange: () => pickSession(sessionSel.value) });
  const list = h('div', { class: 'messages', id: 'chat-messages', role: 'log', 'aria-live': 'polite' });
  const empty = h('p', { class: 'muted empty', id: 'chat-empty' });
  const input = h('textarea', { id: 'chat-input', rows: 3, placeholder: 'Message the agent… (Enter sends, Shift+Enter new line)', 'aria-label': 'Message' });
  const sendBtn = h('button', { class: 'primary', id: 'chat-send', onclick: () => send() }, 'Send');
  const stopBtn = h('button', { class: 'danger', id: 'chat-stop', disabled: true, onclick: () => stop() }, 'Stop');
  const info = h('p', { class: 'muted small', id: 'chat-info' });
  const voice = voiceInput({ gw, sessionKey: () => sessionKey, onText: text => {
    input.value = input.value.trim() ? `${input.value.trimEnd()} ${text}` : text;
    input.focus();
  } });
  const el = h('section', { class: 'view chat', id: 'view-chat' },
    h('div', { class: 'toolbar row wrap' },
      h('label', { class: 'field' }, h('span', { class: 'muted small', text: 'Agent' }), agentSel),
      h('label', { class: 'field grow' }, h('span', { class: 'muted small', text: 'Session' }), sessionSel),
      h('button', { id: 'chat-new-session', onclick: () => newSession() }, 'New session')),
    list, empty,
    h('div', { class: 'composer' }, input, h('div', { class: 'composer-actions' }, sendBtn, voice.button, stopBtn)),
    voice.status, info);

  input.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  approvals.addEventListener('change', () => render());

  const agentOf = key => (key && key.startsWith('agent:') ? key.split(':')[1] : defaultAgent);

  async function loadAgents() {
    const r = await gw.request('agents.list');
    agents = r.agents || [];
    defaultAgent = r.defaultId || 'default';
    app.agents = r;
    if (!sessionKey || !agents.some(a => a.id === agentOf(sessionKey))) {
      sessionKey = (agents.find(a => a.id === defaultAgent) || agents[0] || {}).mainSessionKey || 'agent:default:main';
    }
    clear(agentSel, agents.map(a => h('option', { value: a.id, text: `${a.name} (${a.id})` })));
    agentSel.value = agentOf(sessionKey);
  }

  async function loadSessions() {
    const agentId = agentOf(sessionKey);
    let keys = [];
    try {
      const r = await gw.request('sessions.list', { agentId });
      keys = (r.sessions || []).map(s => s.key);
    } catch {
      // the picker still offers the current session
    }
    const main = `agent:${agentId}:main`;
    for (const k of [main, sessionKey]) if (!keys.includes(k)) keys.push(k);
    clear(sessionSel, keys.map(k => h('option', { value: k, text: k.split(':').slice(2).join(':') || k })));
    sessionSel.value = sessionKey;
  }

  function pickAgent(id) {
    const a = agents.find(x => x.id === id);
    pickSession(a ? a.mainSessionKey : `agent:${id}:main`);
  }

  function pickSession(key) {
    if (!key || key === sessionKey) return;
    sessionKey = key;
    sessionStorage.setItem(SESSION_KEY, key);
    agentSel.value = agentOf(key);
    history = [];
    historyKey = null;
    render();
    loadSessions();
    loadHistory();
  }

  async function newSession() {
    const name = await confirmDialog('Name of the new session', { ok: 'Create', input: { placeholder: 'e.g. research-2', label: 'Session name' } });
    if (!name) return;
    pickSession(`agent:${agentOf(sessionKey)}:${name.replace(/\s+/g, '-')}`);
  }

  let historySeq = 0;
  let historyTimer = null;
  async function loadHistory() {
    const key = sessionKey;
    const mine = ++historySeq;
    try {
      const r = await gw.request('chat.history', { sessionKey: key, limit: 200 });
      if (mine !== historySeq || key !== sessionKey) return;
      history = r.messages || [];
      historyKey = key;
      historyError = null;
    } catch (err) {
      if (mine !== historySeq) return;
      historyError = errorText(err);
    }
    render();
  }

  function scheduleHistory() {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(loadHistory, 100);
  }

  function run(runId, key) {
    let r = live.runs.get(runId);
    if (!r) {
      r = { runId, sessionKey: key, text: '', segments: [], state: 'running', t: ++order };
      live.runs.set(runId, r);
    }
    if (key) r.sessionKey = key;
    return r;
  }

  function onChat(p) {
    const r = run(p.runId, p.sessionKey);
    const full = p.message ? messageText(p.message) : null;
    if (p.state === 'delta') {
      const before = r.text.length;
      r.text = full ?? r.text + (p.deltaText || '');
      const open = r.segments[r.segments.length - 1];
      if ((!open || open.to !== undefined) && r.text.length > before) r.segments.push({ from: before, t: ++order });
      if (r.state !== 'running') r.state = 'running';
    } else {
      r.state = p.state;
      if (full !== null && full !== '') r.text = full;
      if (p.message && p.message.id) r.messageId = p.message.id;
      if (p.errorMessage) r.error = p.errorMessage;
      if (!r.segments.length && r.text) r.segments.push({ from: 0, t: ++order });
      if (p.sessionKey === sessionKey) scheduleHistory();
    }
  }

  function onTool(p) {
    const d = p.data || {};
    if (d.phase === 'compaction' || !d.toolCallId) return;
    const r = run(p.runId, p.sessionKey);
    const open = r.segments[r.segments.length - 1];
    if (open && open.to === undefined) open.to = r.text.length; // text after this tool goes below its card
    const prev = live.tools.get(d.toolCallId);
    live.tools.set(d.toolCallId, { ...(prev || { t: ++order }), ...d, sessionKey: p.sessionKey, runId: p.runId });
  }

  /** A reset or deleted session's live items would otherwise come back, no longer covered by its transcript. */
  function forget(key) {
    for (const m of [live.sends, live.tools, live.runs]) {
      for (const [k, v] of m) if (v.sessionKey === key && v.state !== 'running' && v.status !== 'sending') m.delete(k);
    }
  }

  function liveItems(represented) {
    const out = [];
    for (const s of live.sends.values()) {
      if (s.sessionKey !== sessionKey || represented.userKeys.has(s.key) || represented.ids.has(s.messageId)) continue;
      const note = { queued: 'queued: sends when the gateway is back', sending: 'sending…', failed: `not sent: ${s.error}` }[s.status];
      const actions = s.status === 'failed' || s.status === 'queued'
        ? h('button', { class: 'link', onclick: () => trySend(s.key) }, 'retry') : null;
      out.push({ t: s.t, key: `send:${s.key}`, sig: `${s.status}|${s.error}`, build: () => bubble('user', s.text, { state: s.status === 'sent' ? '' : s.status, note, actions }) });
    }
    for (const d of live.tools.values()) {
      if (d.sessionKey !== sessionKey || represented.tools.has(d.toolCallId)) continue;
      out.push({ t: d.t, ...toolItem(d, itemOpts()) });
    }
    for (const r of live.runs.values()) {
      if (r.sessionKey !== sessionKey || represented.runs.has(r.runId) || represented.ids.has(r.messageId)) continue;
      r.segments.forEach((s, i) => {
        const text = r.text.slice(s.from, s.to);
        if (!text) return;
        const last = i === r.segments.length - 1;
        const state = last && r.state !== 'final' ? r.state : '';
        const note = { running: 'streaming…', aborted: 'stopped', error: `failed: ${r.error || ''}`, lost: 'connection lost during this reply' }[state];
        out.push({ t: s.t, key: `run:${r.runId}:${i}`, sig: `${text}|${state}`, build: () => bubble('assistant', text, { runId: r.runId, state, note }) });
      });
      if (r.state === 'error' && !r.text) {
        out.push({ t: r.t, key: `run:${r.runId}:error`, sig: r.error, build: () => bubble('assistant', '', { runId: r.runId, state: 'error', note: `failed: ${r.error || ''}` }) });
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }

  /** Approvals attach to the tool card they hold up: same session, skill, tool and arguments. */
  let approvalMatch = new Map();
  function matchApprovals(cards) {
    approvalMatch = new Map();
    const used = new Set();
    for (const req of approvals.forSession(sessionKey)) {
      const c = cards.find(d => !used.has(d.toolCallId) && d.skill === req.skill && d.tool === req.tool
        && canonical(d.args ?? {}) === canonical(req.args ?? {}) && (d.phase !== 'end' || approvals.resolved.has(req.id)));
      if (c) {
        used.add(c.toolCallId);
        approvalMatch.set(c.toolCallId, req);
      }
    }
    return approvals.forSession(sessionKey).filter(r => ![...approvalMatch.values()].includes(r));
  }

  function itemOpts() {
    return {
      liveTools: live.tools,
      approvals,
      approvalFor: d => approvalMatch.get(d.toolCallId) || null,
      approvalState: id => (approvals.resolved.get(id) || {}).decision || 'pending',
    };
  }

  function render() {
    const msgs = historyKey === sessionKey ? history : [];
    const represented = { userKeys: new Set(), ids: new Set(), runs: new Set(), tools: new Set() };
    const cards = [];
    for (const m of msgs) {
      represented.ids.add(m.id);
      if (m.role === 'user' && m.idempotencyKey) represented.userKeys.add(m.idempotencyKey);
      if (m.role === 'assistant' && m.runId && m.stopReason !== 'toolUse') represented.runs.add(m.runId);
      for (const p of Array.isArray(m.content) ? m.content : []) {
        if (p && p.type === 'toolCall') {
          represented.tools.add(p.id);
          const [skill, ...rest] = String(p.name || '').split('.');
          cards.push({ toolCallId: p.id, skill, tool: rest.join('.'), args: p.arguments, phase: msgs.some(x => x.toolCallId === p.id) ? 'end' : 'start' });
        }
      }
      if (m.role === 'toolResult') represented.tools.add(m.toolCallId);
    }
    for (const d of live.tools.values()) if (d.sessionKey === sessionKey && !represented.tools.has(d.toolCallId)) cards.push(d);
    for (const r of live.runs.values()) {
      if (r.sessionKey === sessionKey && r.state === 'running' && (represented.runs.has(r.runId) || represented.ids.has(r.messageId))) r.state = 'final';
    }
    const loose = matchApprovals(cards);
    const items = [...historyItems(msgs, itemOpts()), ...liveItems(represented)];
    for (const req of loose) {
      const state = itemOpts().approvalState(req.id);
      items.push({ key: `approval:${req.id}`, sig: state, build: () => approvalCard(req, approvals) });
    }
    const active = [...live.runs.values()].some(r => r.sessionKey === sessionKey && r.state === 'running');
    if (active) items.push({ key: 'typing', sig: '', build: () => h('p', { class: 'muted small typing', text: 'the agent is working…' }) });
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    renderKeyed(list, items, cache);
    if (stick) list.scrollTop = list.scrollHeight;
    stopBtn.disabled = !active;
    empty.hidden = items.length > 0 && !historyError;
    empty.textContent = historyError ? `Could not load this session: ${historyError}`
      : historyKey !== sessionKey ? 'Loading…' : 'No messages in this session yet.';
    info.textContent = `Session ${sessionKey || ''}`;
  }

  async function send() {
    const text = input.value;
    if (!text.trim() || !sessionKey) return;
    const key = uuid();
    live.sends.set(key, { key, sessionKey, text, status: 'queued', t: ++order });
    input.value = '';
    render();
    await trySend(key);
  }

  /** The same idempotencyKey on every retry: the gateway stores a message once however often it is sent. */
  async function trySend(key) {
    const s = live.sends.get(key);
    if (!s || s.status === 'sending' || s.status === 'sent') return;
    if (gw.state !== 'connected') {
      s.status = 'queued';
      render();
      return;
    }
    s.status = 'sending';
    render();
    try {
      const ack = await gw.request('chat.send', { sessionKey: s.sessionKey, message: s.text, idempotencyKey: key });
      s.status = 'sent';
      s.messageId = ack.messageId;
      if (ack.runId && (ack.status === 'started' || ack.status === 'in_flight')) run(ack.runId, ack.sessionKey || s.sessionKey);
      else scheduleHistory();
    } catch (err) {
      const transient = err.detailCode === 'DISCONNECTED' || err.detailCode === 'TIMEOUT' || err.retryable;
      s.status = transient ? 'queued' : 'failed';
      s.error = errorText(err);
    }
    render();
  }

  async function stop() {
    const r = [...live.runs.values()].reverse().find(x => x.sessionKey === sessionKey && x.state === 'running');
    try {
      await gw.request('chat.abort', r ? { sessionKey, runId: r.runId } : { sessionKey });
    } catch (err) {
      info.textContent = `Stop failed: ${errorText(err)}`;
    }
  }

  return {
    el,
    show(opts) {
      if (opts.sessionKey) pickSession(opts.sessionKey);
      render();
      input.focus();
    },
    async connected(detail) {
      // After a reconnect the socket's events restarted: runs we saw streaming may have ended meanwhile.
      if (detail.reconnect) for (const r of live.runs.values()) if (r.state === 'running') r.state = 'lost';
      try {
        await loadAgents();
      } catch {
        return;
      }
      loadSessions();
      await loadHistory();
      for (const s of live.sends.values()) if (s.status === 'queued') trySend(s.key);
    },
    onEvent({ event, payload }) {
      if (event === 'chat') onChat(payload);
      else if (event === 'agent' && payload.stream === 'tool') onTool(payload);
      else if (event === 'agent' && payload.stream === 'lifecycle' && payload.data && payload.data.phase === 'start') run(payload.runId, payload.sessionKey);
      else if (event === 'sessions.changed') {
        if (payload.reason === 'reset' || payload.reason === 'deleted') forget(payload.sessionKey);
        if (payload.sessionKey === sessionKey) scheduleHistory();
        loadSessions();
        return;
      } else return;
      render();
    },
  };
}
