// Logs: a live tail (logs.tail polled with its cursor) with a text filter and a minimum level.
import { h, clear, errorText } from './dom.js';

const POLL_MS = 2000;
const MAX_LINES = 2000;

export function logsView(app) {
  const { gw } = app;
  const filter = h('input', { type: 'search', id: 'logs-filter', placeholder: 'filter (text or logger)', 'aria-label': 'Filter' });
  const level = h('select', { id: 'logs-level', 'aria-label': 'Minimum level' },
    ['', 'info', 'warn', 'error'].map(l => h('option', { value: l, text: l || 'all levels' })));
  const pause = h('input', { type: 'checkbox', id: 'logs-pause' });
  const out = h('div', { class: 'log', id: 'logs-lines', role: 'log' });
  const state = h('span', { class: 'muted small', id: 'logs-state' });
  const el = h('section', { class: 'view', id: 'view-logs' },
    h('div', { class: 'panel' },
      h('div', { class: 'row wrap' },
        h('h2', { class: 'grow', text: 'Logs' }), filter, level,
        h('label', { class: 'switch' }, pause, h('span', { text: 'pause' })), state),
      out));
  let cursor = null;
  let timer = null;
  let busy = false;

  function restart() {
    cursor = null;
    clear(out);
    poll();
  }
  let debounce = null;
  filter.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(restart, 250);
  });
  level.addEventListener('change', restart);

  async function poll() {
    clearTimeout(timer);
    if (el.hidden) return;
    timer = setTimeout(poll, POLL_MS);
    if (busy || pause.checked || gw.state !== 'connected') return;
    busy = true;
    try {
      const params = { limit: 200 };
      if (cursor !== null) params.cursor = cursor;
      if (filter.value.trim()) params.filter = filter.value.trim();
      if (level.value) params.level = level.value;
      const r = await gw.request('logs.tail', params);
      if (r.reset && cursor !== null) out.append(h('div', { class: 'logline muted', text: '— lines were skipped (the gateway restarted, or the log moved on) —' }));
      cursor = r.cursor;
      const stick = out.scrollHeight - out.scrollTop - out.clientHeight < 40;
      for (const l of r.lines || []) {
        out.append(h('div', { class: `logline ${String(l.level).toLowerCase()}`, dataset: { cursor: l.cursor } },
          h('time', { class: 'muted', text: new Date(l.ts).toLocaleTimeString() }), ' ',
          h('span', { class: 'lvl', text: l.level }), ' ',
          h('span', { class: 'muted logger', text: String(l.logger).split('.').pop() }), ' ',
          h('span', { class: 'message', text: l.message })));
      }
      while (out.childElementCount > MAX_LINES) out.firstElementChild.remove();
      if (stick) out.scrollTop = out.scrollHeight;
      state.textContent = r.truncated ? 'more lines waiting…' : 'live';
    } catch (err) {
      state.textContent = errorText(err);
    } finally {
      busy = false;
    }
  }

  return {
    el,
    show: poll,
    hide() {
      clearTimeout(timer);
    },
    connected() { if (!el.hidden) poll(); },
  };
}
