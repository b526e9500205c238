// Security: runs security.audit (admin) and lists the findings worst first, each with what it means and its fix.
import { h, clear, errorText } from './dom.js';

const ORDER = ['critical', 'warn', 'info'];
const BADGE = { critical: 'bad', warn: 'warn', info: 'ok' };

export function securityView(app) {
  const { gw } = app;
  const deep = h('input', { type: 'checkbox', id: 'security-deep' });
  const run = h('button', { id: 'security-run', text: 'Run audit' });
  const summary = h('p', { class: 'muted', id: 'security-summary', text: 'Not run yet.' });
  const list = h('div', { class: 'stack', id: 'security-findings' });
  const el = h('section', { class: 'view', id: 'view-security' },
    h('div', { class: 'panel' },
      h('div', { class: 'row wrap' },
        h('h2', { class: 'grow', text: 'Security audit' }),
        h('label', { class: 'switch', title: 'Also inspect live sandbox containers' }, deep, h('span', { text: 'deep' })),
        run),
      summary, list));
  let busy = false;

  async function audit() {
    if (busy || gw.state !== 'connected') return;
    busy = true;
    run.disabled = true;
    summary.textContent = 'Running…';
    try {
      const r = await gw.request('security.audit', { deep: deep.checked });
      render(r);
    } catch (err) {
      summary.textContent = errorText(err);
      clear(list);
    } finally {
      busy = false;
      run.disabled = false;
    }
  }

  function render(r) {
    const s = r.summary || {};
    summary.textContent = `${s.critical || 0} critical, ${s.warn || 0} warn, ${s.info || 0} info`
      + (r.deep ? ' (deep)' : '') + (r.ok ? ' — nothing to fix' : '');
    summary.dataset.ok = String(!!r.ok);
    const groups = ORDER.map(sev => {
      const items = (r.findings || []).filter(f => f.severity === sev);
      if (!items.length) return null;
      return h('div', { class: 'stack', id: `security-${sev}` },
        h('h3', { text: `${sev} (${items.length})` }),
        items.map(f => h('div', { class: `card finding ${sev}`, dataset: { checkId: f.checkId, severity: sev } },
          h('div', { class: 'row' },
            h('span', { class: `badge ${BADGE[sev]}`, text: sev }), ' ',
            h('strong', { class: 'grow title', text: f.title }), ' ',
            h('code', { class: 'muted small', text: f.checkId })),
          f.detail ? h('p', { class: 'detail', text: f.detail }) : null,
          f.fix ? h('p', { class: 'fix' }, h('span', { class: 'muted', text: 'fix: ' }), h('code', { text: f.fix })) : null)));
    }).filter(Boolean);
    clear(list, groups);
  }

  run.addEventListener('click', audit);
  return {
    el,
    show() { if (summary.textContent === 'Not run yet.') audit(); },
    connected() { if (!el.hidden) audit(); },
  };
}
