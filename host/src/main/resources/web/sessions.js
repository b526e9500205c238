// Sessions: every agent's sessions with their last activity; open a transcript; reset or delete (confirmed).
import { h, clear, time, ago, badge, confirmDialog, errorText, toast, renderKeyed } from './dom.js';
import { historyItems } from './transcript.js';

export function sessionsView(app) {
  const { gw } = app;
  const list = h('div', { class: 'list', id: 'sessions-list' });
  const detail = h('div', { class: 'panel', id: 'session-detail', hidden: true });
  const error = h('p', { class: 'error', hidden: true });
  const el = h('section', { class: 'view', id: 'view-sessions' },
    h('div', { class: 'panel' },
      h('div', { class: 'row wrap' }, h('h2', { class: 'grow', text: 'Sessions' }),
        h('button', { onclick: () => load() }, 'Refresh')),
      error, list),
    detail);
  let openKey = null;

  async function load() {
    try {
      const r = await gw.request('sessions.list', { limit: 500 });
      error.hidden = true;
      const rows = r.sessions || [];
      clear(list, rows.length ? rows.map(row) : h('p', { class: 'muted', text: 'No sessions yet: send a message in Chat.' }));
    } catch (err) {
      error.hidden = false;
      error.textContent = errorText(err);
    }
  }

  function row(s) {
    return h('div', { class: 'line session', dataset: { sessionKey: s.key } },
      h('div', { class: 'grow stack' },
        h('span', { class: 'mono', text: s.key }),
        h('span', { class: 'muted small' }, `${s.agentId} · last activity `,
          h('time', { title: time(s.updatedAt), text: ago(s.updatedAt) }),
          ` · created ${time(s.createdAt)}`),
        s.missingTranscript ? badge('transcript missing', 'bad') : null),
      h('div', { class: 'row wrap' },
        h('button', { class: 'open', onclick: () => open(s.key) }, 'Open'),
        h('button', { class: 'chat', onclick: () => app.show('chat', { sessionKey: s.key }) }, 'Chat'),
        h('button', { class: 'reset', onclick: () => reset(s.key) }, 'Reset'),
        h('button', { class: 'danger delete', onclick: () => remove(s.key) }, 'Delete')));
  }

  async function open(key) {
    openKey = key;
    detail.hidden = false;
    clear(detail, h('h2', { text: key }), h('p', { class: 'muted', text: 'Loading…' }));
    try {
      const r = await gw.request('sessions.get', { sessionKey: key, limit: 500 });
      if (openKey !== key) return;
      const messages = (r.entries || []).filter(e => e.type === 'message')
        .map(e => ({ ...e, timestamp: Date.parse(e.timestamp) }));
      const notes = (r.entries || []).filter(e => e.type === 'compaction').length;
      const transcript = h('div', { class: 'messages readonly', id: 'session-transcript' });
      renderKeyed(transcript, historyItems(messages, { approvals: app.approvals }), new Map());
      clear(detail,
        h('div', { class: 'row wrap' }, h('h2', { class: 'grow mono', text: key }),
          h('button', { onclick: () => app.show('chat', { sessionKey: key }) }, 'Continue in chat'),
          h('button', { onclick: () => { detail.hidden = true; openKey = null; } }, 'Close')),
        h('p', { class: 'muted small', text: `session ${r.session.sessionId} · ${messages.length} messages`
          + (notes ? ` · ${notes} compaction summaries` : '') }),
        messages.length ? transcript : h('p', { class: 'muted', text: 'This transcript is empty.' }));
    } catch (err) {
      clear(detail, h('h2', { text: key }), h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function reset(key) {
    if (!await confirmDialog(`Reset ${key}? Its transcript is archived and the session starts empty.`, { ok: 'Reset', danger: true })) return;
    try {
      await gw.request('sessions.reset', { sessionKey: key });
      toast(`${key} was reset`);
      if (openKey === key) open(key);
      load();
    } catch (err) {
      toast(`Reset failed: ${errorText(err)}`, 'error');
    }
  }

  async function remove(key) {
    if (!await confirmDialog(`Delete ${key}? Its transcript is archived and the session leaves the list.`, { ok: 'Delete', danger: true })) return;
    try {
      await gw.request('sessions.delete', { sessionKey: key });
      toast(`${key} was deleted`);
      if (openKey === key) {
        detail.hidden = true;
        openKey = null;
      }
      load();
    } catch (err) {
      toast(`Delete failed: ${errorText(err)}`, 'error');
    }
  }

  return {
    el,
    show: load,
    connected() {
      if (!el.hidden) load();
    },
    onEvent({ event }) {
      if (event === 'sessions.changed' && !el.hidden) load();
    },
  };
}
