// The registry tab of the skills view: search a configured registry, read a plugin's tools, permissions, network and
// signer from its signed index entry, preview an install or update with the permission diff against the installed
// version, install on confirm; and the install requests agents made (clawhub skill), waiting for an operator.
import { h, clear, badge, errorText } from './dom.js';

export function registryPanel(app) {
  const { gw } = app;
  const select = h('select', { id: 'registry-select', 'aria-label': 'Registry' });
  const query = h('input', { type: 'search', id: 'registry-query', placeholder: 'Search plugins', 'aria-label': 'Search plugins' });
  const results = h('div', { class: 'list', id: 'registry-results' });
  const details = h('div', { id: 'registry-details' });
  const requests = h('div', { class: 'list', id: 'registry-requests' });
  const el = h('div', { class: 'panel', id: 'registry-panel' },
    h('h2', { text: 'Registry' }),
    h('p', { class: 'muted small', text: 'Plugins from a configured registry (claw registry add). The index is verified '
      + 'against the registry key, the jar against the index and the trust store; nothing is installed until you confirm.' }),
    h('div', { class: 'row wrap' }, select, query, h('button', { id: 'registry-search', onclick: () => search() }, 'Search')),
    results, details,
    h('h3', { text: 'Install requests from agents' }),
    requests);
  query.addEventListener('keydown', e => {
    if (e.key === 'Enter') search();
  });

  async function load() {
    try {
      const r = await gw.request('plugins.registries');
      const names = (r.registries || []).map(x => x.name);
      const current = select.value;
      clear(select, names.map(n => h('option', { value: n, text: n })));
      if (names.includes(current)) select.value = current;
      if (!names.length) clear(results, h('p', { class: 'muted', text: 'No registry configured.' }));
    } catch (err) {
      clear(results, h('p', { class: 'error', text: errorText(err) }));
    }
    renderRequests();
  }

  async function search() {
    clear(details);
    clear(results, h('p', { class: 'muted', text: 'Searching…' }));
    try {
      const r = await gw.request('plugins.search', { registry: select.value, query: query.value.trim() });
      const list = r.results || [];
      clear(results, list.length ? list.map(x => h('div', { class: 'line registry-result', dataset: { pluginId: x.id } },
        h('strong', { text: x.id }), h('span', { class: 'mono muted', text: x.version }),
        x.installedVersion ? badge(`installed ${x.installedVersion}`, x.installedVersion === x.version ? 'ok' : 'warn') : null,
        h('span', { class: 'small grow', text: x.description || '' }),
        h('button', { class: 'registry-details', onclick: () => info(x.id) }, 'Details'))) : h('p', { class: 'muted', text: 'No plugins match.' }));
    } catch (err) {
      clear(results, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function info(id) {
    clear(details, h('p', { class: 'muted', text: 'Reading…' }));
    try {
      const x = await gw.request('plugins.info', { registry: select.value, id });
      const perms = x.permissions || {};
      const net = x.network || {};
      clear(details, h('article', { class: 'card registry-info', dataset: { pluginId: x.id } },
        h('header', { class: 'row wrap' }, h('strong', { text: x.id }), h('span', { class: 'mono muted', text: x.version }),
          x.installedVersion ? badge(`installed ${x.installedVersion}`) : null),
        h('div', { class: 'kv' },
          h('span', { class: 'muted', text: 'about' }), h('span', { text: x.description || '' }),
          h('span', { class: 'muted', text: 'signer' }), h('span', { class: 'mono signer', text: `key ${x.keyId}` }),
          h('span', { class: 'muted', text: 'tools' }),
          h('ul', { class: 'tools' }, (x.tools || []).map(t => h('li', {}, h('span', { class: 'mono', text: t.name }), ' ',
            badge(t.effect, t.effect === 'read' ? '' : 'warn')))),
          h('span', { class: 'muted', text: 'permissions' }),
          h('span', { class: 'perms', text: `workspace ${perms.workspace || 'none'}; secrets ${(perms.secrets || []).join(', ') || 'none'}` }),
          h('span', { class: 'muted', text: 'network' }),
          h('span', { class: 'mono network', text: (net.allow || []).join(', ') || 'none' }),
          (net.grants || []).length ? h('span', { class: 'muted', text: 'operator may grant' }) : null,
          (net.grants || []).length ? h('span', { text: net.grants.map(g => g.setting).join(', ') }) : null,
          h('span', { class: 'muted', text: 'versions' }), h('span', { class: 'mono', text: (x.versions || []).join(', ') })),
        h('div', { class: 'row' }, h('button', { id: 'registry-preview', onclick: () => preview(x.id) },
          x.installedVersion ? 'Preview update' : 'Preview install'))));
    } catch (err) {
      clear(details, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function preview(id) {
    const box = h('div', { id: 'registry-offer' }, h('p', { class: 'muted', text: 'Fetching and verifying…' }));
    details.append(box);
    try {
      const r = await gw.request('plugins.install', { registry: select.value, id });
      const x = (r.results || [])[0] || {};
      if (x.status === 'refused') {
        clear(box, h('p', { class: 'error refused', text: `${x.reason}: ${x.message}` }));
        return;
      }
      const diff = x.diff || { changes: [] };
      clear(box, h('article', { class: 'card preview' },
        h('pre', { class: 'summary', text: x.summary || '' }),
        h('ul', { class: 'diff', id: 'registry-diff' }, diff.fromVersion
          ? (diff.changes.length ? diff.changes.map(c => h('li', { class: c.widens ? 'widens' : 'narrows',
            text: `${c.widens ? '+' : '-'} ${c.what}: ${c.from || '(none)'} → ${c.to || '(none)'}` }))
            : h('li', { text: `no change against installed ${diff.fromVersion}` }))
          : h('li', { text: 'not installed yet: everything above is new' })),
        diff.widens ? badge('widens permissions', 'bad') : null,
        h('div', { class: 'row' },
          h('button', { class: 'primary', id: 'registry-confirm', onclick: () => confirm(id, x.version, box) },
            `${diff.fromVersion ? 'Update to' : 'Install'} ${x.id} ${x.version}`),
          h('button', { onclick: () => box.remove() }, 'Cancel'))));
    } catch (err) {
      clear(box, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function confirm(id, version, box) {
    try {
      const r = await gw.request('plugins.install', { registry: select.value, id, version, confirm: true });
      const x = (r.results || [])[0] || {};
      clear(box, h('p', { class: x.status === 'refused' ? 'error' : 'ok', id: 'registry-result',
        text: x.status === 'refused' ? `${x.reason}: ${x.message}` : `${x.id} ${x.version}: ${x.status}` }));
    } catch (err) {
      clear(box, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  function renderRequests() {
    const pending = [...app.approvals.pending.values()].filter(p => p.skill === 'clawhub' && (p.tool === 'install' || p.tool === 'update'));
    clear(requests, pending.length ? pending.map(p => h('article', { class: 'card install-request', dataset: { approvalId: p.id } },
      h('header', { class: 'row wrap' }, h('strong', { text: `${p.tool} ${p.args && p.args.id}` }),
        h('span', { class: 'muted small', text: `agent ${p.agentId}` })),
      h('pre', { class: 'summary', text: p.permissions || '' }),
      h('div', { class: 'row' },
        h('button', { class: 'primary', onclick: () => app.approvals.resolve(p.id, 'approve') }, 'Approve install'),
        h('button', { class: 'danger', onclick: () => app.approvals.resolve(p.id, 'deny') }, 'Deny'))))
      : h('p', { class: 'muted', text: 'None waiting.' }));
  }
  app.approvals.addEventListener('change', renderRequests);

  return { el, load };
}
