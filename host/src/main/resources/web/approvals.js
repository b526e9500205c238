// Operator approvals: the shared store (pending + recent), the approval card, and the Approvals view.
import { h, clear, pretty, time, ago, badge, uuid, errorText, renderKeyed } from './dom.js';

/** Pending requests and recent decisions, kept current from approvals.list and approval.* events. */
export class ApprovalStore extends EventTarget {
  constructor(gw) {
    super();
    this.gw = gw;
    this.pending = new Map();
    this.resolved = new Map(); // id -> {request, decision, description, resolvedAt}
    this.recent = [];
  }

  async reload() {
    try {
      const r = await this.gw.request('approvals.list', { limit: 50 });
      this.pending = new Map((r.pending || []).map(p => [p.id, p]));
      this.recent = r.recent || [];
      for (const x of this.recent) if (x.request) this.resolved.set(x.request.id, x);
      this.changed();
    } catch {
      // shown as a disconnected status already
    }
  }

  onEvent({ event, payload }) {
    if (event === 'approval.requested') {
      this.pending.set(payload.id, payload);
      this.changed();
    } else if (event === 'approval.resolved' && payload.request) {
      this.pending.delete(payload.request.id);
      this.resolved.set(payload.request.id, payload);
      this.recent = [payload, ...this.recent.filter(r => r.request && r.request.id !== payload.request.id)].slice(0, 50);
      this.changed();
    }
  }

  async resolve(id, decision) {
    const r = await this.gw.request('approvals.resolve', { id, decision, idempotencyKey: uuid() });
    this.pending.delete(id);
    if (r && r.request) this.resolved.set(id, r);
    this.changed();
    return r;
  }

  /** Requests (pending or decided) of one session, oldest first. */
  forSession(sessionKey) {
    const all = [...this.pending.values(), ...[...this.resolved.values()].map(r => r.request)];
    return all.filter(r => r && r.sessionKey === sessionKey).sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0));
  }

  changed() {
    this.dispatchEvent(new CustomEvent('change'));
  }
}

/**
 * A card for one request: what would run (tool, arguments, effect, permissions), and approve / deny. Nested in
 * its tool call's card (which shows the tool and arguments already) it leaves those out.
 */
export function approvalCard(req, store, { nested = false } = {}) {
  const done = store.resolved.get(req.id);
  const error = h('p', { class: 'error', hidden: true });
  const act = decision => async e => {
    const card = e.target.closest('.approval');
    card.querySelectorAll('button').forEach(b => { b.disabled = true; });
    try {
      await store.resolve(req.id, decision);
    } catch (err) {
      error.hidden = false;
      error.textContent = errorText(err);
      card.querySelectorAll('button').forEach(b => { b.disabled = false; });
      if (err.detailCode === 'ALREADY_RESOLVED' || err.detailCode === 'UNKNOWN_APPROVAL') store.reload();
    }
  };
  const state = done ? done.decision : 'pending';
  return h('article', { class: `card approval ${state}`, dataset: { approvalId: req.id, state } },
    h('header', { class: 'row wrap' },
      nested ? h('span', { class: 'muted small', text: 'approval' }) : h('strong', { class: 'mono', text: `${req.skill}.${req.tool}` }),
      badge(req.effect || 'external', 'warn'),
      badge(done ? decisionLabel(done.decision) : 'waiting for you', done ? decisionKind(done.decision) : 'pending'),
      nested ? null : h('span', { class: 'muted small', text: `${req.agentId || ''} · ${req.sessionKey || ''}` })),
    messagePreview(req),
    h('div', { class: 'kv' },
      nested ? null : h('span', { class: 'muted', text: 'arguments' }),
      nested ? null : h('pre', { class: 'args', text: pretty(req.args, 2000) }),
      h('span', { class: 'muted', text: 'permissions' }), h('span', { class: 'perms', text: req.permissions || 'none' })),
    done
      ? h('p', { class: 'muted small', text: `${done.description || decisionLabel(done.decision)} · ${time(done.resolvedAt)}` })
      : h('div', { class: 'row wrap' },
        h('button', { class: 'primary approve', onclick: act('approve') }, 'Approve'),
        h('button', { class: 'danger deny', onclick: act('deny') }, 'Deny'),
        req.expiresAt ? h('span', { class: 'muted small', text: `denied automatically ${until(req.expiresAt)}` }) : null),
    error);
}

const PREVIEW_LINES = 6;

/**
 * For a call that sends a message (arguments with to/cc/bcc, subject or body, as the himalaya skill's send, reply
 * and forward): who receives what, readably, so the operator need not read JSON to see an injected recipient. When
 * the tool declares an approval preview, the gateway ran it first (req.preview): its data (the real recipients and
 * subject, e.g. of a reply, which the arguments cannot name) is shown instead, or a note that none is available.
 */
export function messagePreview(req) {
  const p = req.preview;
  if (p && p.available && p.data && typeof p.data === 'object') return fieldsPreview(p.data, { source: p.tool });
  const a = req.args || {};
  const note = p && !p.available ? h('p', { class: 'preview-note warn small', text: p.note || 'no preview is available' }) : null;
  if (!['to', 'cc', 'bcc', 'subject', 'body'].some(k => k in a)) {
    if (p && p.available) return h('div', { class: 'message-preview' }, h('pre', { class: 'preview-body', text: p.text || '' }));
    return note ? h('div', { class: 'message-preview' }, note) : null;
  }
  const el = fieldsPreview(a, { fromArgs: true });
  if (note) el.prepend(note);
  return el;
}

function fieldsPreview(a, { fromArgs = false, source = null } = {}) {
  const list = v => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String).join(', ');
  const rows = [];
  const row = (label, value, cls) => {
    if (value) rows.push(h('span', { class: 'muted', text: label }), h('span', { class: cls, text: value }));
  };
  row('to', list(a.to), 'preview-to');
  row('cc', list(a.cc), 'preview-cc');
  row('bcc', list(a.bcc), 'preview-bcc');
  if (fromArgs && !('to' in a) && 'id' in a) {
    row('to', `the ${a.all ? 'sender and every recipient' : 'sender'} of message ${a.id}${a.folder ? ` in ${a.folder}` : ''}`, 'preview-to');
  }
  if (fromArgs && 'to' in a && !('subject' in a) && 'id' in a) row('forwards', `message ${a.id}${a.folder ? ` in ${a.folder}` : ''}`, 'preview-forward');
  row('subject', typeof a.subject === 'string' ? a.subject : '', 'preview-subject');
  if (Array.isArray(a.attachments) && a.attachments.length) row('attachments', list(a.attachments), 'preview-attachments');
  const body = typeof a.body === 'string' ? a.body : '';
  const lines = body.split(/\r?\n/);
  const total = Number.isInteger(a.body_lines) ? a.body_lines : lines.length;
  const shown = lines.slice(0, PREVIEW_LINES).join('\n') + (total > PREVIEW_LINES ? `\n… (${total - PREVIEW_LINES} more lines)` : '');
  return h('div', { class: 'message-preview', dataset: source ? { previewTool: source } : {} },
    source ? h('p', { class: 'muted small', text: `as the skill would send it (${source})` }) : null,
    h('div', { class: 'kv' }, rows),
    body ? h('pre', { class: 'preview-body', text: shown }) : null);
}

function until(ms) {
  const s = Math.round((ms - Date.now()) / 1000);
  return s > 0 ? `in ${s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`}` : 'soon';
}

function decisionLabel(d) {
  return { approve: 'approved', approved: 'approved', deny: 'denied', denied: 'denied', timed_out: 'timed out' }[d] || d;
}

function decisionKind(d) {
  return decisionLabel(d) === 'approved' ? 'ok' : 'bad';
}

export function approvalsView(app) {
  const { approvals } = app;
  const pendingList = h('div', { class: 'list', id: 'approvals-pending' });
  const none = h('p', { class: 'muted', text: 'Nothing is waiting.' });
  const recentList = h('div', { class: 'list', id: 'approvals-recent' });
  const cache = new Map();
  const el = h('section', { class: 'view', id: 'view-approvals' },
    h('div', { class: 'panel' },
      h('h2', { text: 'Waiting for a decision' }),
      h('p', { class: 'muted small', text: 'Tools whose effect is external or secret wait here before they run. '
        + 'No answer within the timeout counts as a denial.' }),
      pendingList, none),
    h('div', { class: 'panel' }, h('h2', { text: 'Recent decisions' }), recentList));

  function render() {
    if (el.hidden) return;
    const pending = [...approvals.pending.values()].sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0));
    renderKeyed(pendingList, pending.map(r => ({ key: r.id, sig: 'p', build: () => approvalCard(r, approvals) })), cache);
    none.hidden = pending.length > 0;
    clear(recentList, approvals.recent.length ? approvals.recent.map(r => h('div', { class: 'line recent', dataset: { approvalId: r.request.id } },
      badge(decisionLabel(r.decision), decisionKind(r.decision)),
      h('span', { class: 'mono', text: `${r.request.skill}.${r.request.tool}` }),
      h('span', { class: 'muted small grow', text: r.description || '' }),
      h('span', { class: 'muted small', title: time(r.resolvedAt), text: ago(r.resolvedAt) }))) : h('p', { class: 'muted', text: 'No decisions yet.' }));
  }

  approvals.addEventListener('change', render);
  return {
    el,
    show() {
      render();
      approvals.reload();
    },
    connected() {
      // the app reloads the store on every (re)connect
    },
  };
}
