// The transcript as the page shows it: message bubbles, and a card per tool call carrying its result (and, in the
// chat, the approval that holds it up). Shared by Chat and by Sessions' read-only transcript.
import { h, pretty, messageText, badge, time } from './dom.js';
import { approvalCard } from './approvals.js';

/** How a stored reply ended, when it did not simply finish. */
const STOP_NOTES = { aborted: 'stopped', error: 'failed', max_iterations: 'stopped at the limit of model calls' };

/** Items (for renderKeyed) of a transcript; tool calls become cards carrying their results. */
export function historyItems(messages, opts = {}) {
  const results = new Map();
  for (const m of messages) if (m.role === 'toolResult' && m.toolCallId) results.set(m.toolCallId, m);
  const items = [];
  const cards = new Set();
  for (const m of messages) {
    if (m.role === 'toolResult') {
      if (!cards.has(m.toolCallId)) items.push(toolItem(fromResult(m), opts));
      continue;
    }
    const text = messageText(m);
    if (text || m.role !== 'assistant') {
      const stopped = STOP_NOTES[m.stopReason];
      items.push({ key: `msg:${m.id}`, sig: `${m.role}|${text}|${m.stopReason}`, build: () => bubble(m.role, text,
        { id: m.id, runId: m.runId, ts: m.timestamp, state: stopped ? m.stopReason : '', note: stopped }) });
    }
    for (const p of Array.isArray(m.content) ? m.content : []) {
      if (p && p.type === 'toolCall') {
        cards.add(p.id);
        const [skill, ...rest] = String(p.name || '').split('.');
        const r = results.get(p.id);
        const data = { toolCallId: p.id, skill, tool: rest.join('.') || p.name, args: p.arguments, phase: r ? 'end' : 'start' };
        if (r) Object.assign(data, { status: r.status || (r.isError ? 'error' : 'ok'), isError: r.isError, result: messageText(r) });
        items.push(toolItem(data, opts));
      }
    }
  }
  return items;
}

function fromResult(m) {
  const [skill, ...rest] = String(m.toolName || '').split('.');
  return { toolCallId: m.toolCallId, skill, tool: rest.join('.'), phase: 'end', status: m.status, isError: m.isError, result: messageText(m) };
}

export function toolItem(data, opts) {
  const live = opts.liveTools && opts.liveTools.get(data.toolCallId);
  // The live events know more (duration, the bounded result as it happened); the transcript is the record.
  const d = { ...data, durationMs: live ? live.durationMs : data.durationMs, args: data.args ?? (live && live.args) };
  const approval = opts.approvalFor ? opts.approvalFor(d) : null;
  const approvalSig = approval ? `${approval.id}:${opts.approvalState(approval.id)}` : '';
  return {
    key: `tool:${d.toolCallId}`,
    sig: JSON.stringify([d.phase, d.status, d.durationMs, d.result, d.args, approvalSig]),
    build: () => toolCard(d, approval, opts.approvals),
  };
}

export function bubble(role, text, { id, runId, ts, state, note, actions } = {}) {
  return h('article', { class: `msg ${role}${state ? ` ${state}` : ''}`, dataset: { id: id || '', runId: runId || '', role } },
    h('header', { class: 'msg-head' },
      h('span', { class: 'role', text: role === 'toolResult' ? 'tool' : role }),
      ts ? h('time', { class: 'muted small', text: time(ts) }) : null,
      note ? h('span', { class: `note small ${state || ''}`, text: note }) : null,
      actions || null),
    h('div', { class: 'text', text }));
}

function toolCard(d, approval, approvals) {
  const running = d.phase !== 'end';
  const waiting = approval && !approvals.resolved.has(approval.id);
  const status = waiting ? 'waiting for approval' : running ? 'running' : d.status || (d.isError ? 'error' : 'ok');
  const kind = running || waiting ? 'pending' : status === 'ok' ? 'ok' : 'bad';
  return h('article', { class: `card tool ${kind}`, dataset: { toolCallId: d.toolCallId, status } },
    h('header', { class: 'row wrap' },
      h('span', { class: 'muted small', text: 'tool' }),
      h('strong', { class: 'mono', text: d.skill ? `${d.skill}.${d.tool}` : d.tool || '?' }),
      badge(status, kind),
      typeof d.durationMs === 'number' ? h('span', { class: 'muted small duration', text: `${d.durationMs} ms` }) : null),
    h('details', { class: 'args', open: true },
      h('summary', { text: 'arguments' }), h('pre', { text: pretty(d.args ?? {}, 2000) })),
    running ? null : h('details', { class: 'result', open: true },
      h('summary', { text: 'result' }), h('pre', { text: pretty(d.result ?? '', 2000) })),
    approval ? approvalCard(approval, approvals, { nested: true }) : null);
}

/** A stable text of a JSON value (keys sorted), to match an approval request to its tool call. */
export function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
