// Skills: installed plugins (version, signer, trust, tools, permissions, network, enabled), refused plugins with
// their reason, and installing a plugin file: preview what it may do, then confirm.
import { h, clear, badge, errorText, confirmDialog, toast } from './dom.js';
import { settingsForm, grantsText } from './settings-form.js';
import { registryPanel } from './registry.js';

export function skillsView(app) {
  const { gw } = app;
  const installed = h('div', { class: 'grid', id: 'plugins-list' });
  const refused = h('div', { class: 'list', id: 'plugins-refused' });
  const error = h('p', { class: 'error', hidden: true });
  const source = h('input', { type: 'text', id: 'install-source', placeholder: '/path/to/plugin.jar (its .sig beside it), a folder, or an https URL',
    'aria-label': 'Plugin to install' });
  const preview = h('div', { id: 'install-preview' });
  const registry = registryPanel(app);
  const el = h('section', { class: 'view', id: 'view-skills' },
    h('div', { class: 'panel' }, h('h2', { text: 'Installed' }), error, installed),
    h('div', { class: 'panel' }, h('h2', { text: 'Refused' }),
      h('p', { class: 'muted small', text: 'Plugin files the gateway would not load. They stay on disk and never run.' }),
      refused),
    h('div', { class: 'panel' },
      h('h2', { text: 'Install a plugin' }),
      h('p', { class: 'muted small', text: 'The gateway checks the signature against its trust store and shows what the '
        + 'plugin may do. Nothing is installed until you confirm.' }),
      h('div', { class: 'row wrap' }, source, h('button', { id: 'install-preview-btn', onclick: () => previewInstall() }, 'Preview')),
      preview),
    registry.el);

  source.addEventListener('keydown', e => {
    if (e.key === 'Enter') previewInstall();
  });

  async function load() {
    try {
      const r = await gw.request('plugins.list');
      error.hidden = true;
      const plugins = r.plugins || [];
      clear(installed, plugins.length ? plugins.map(pluginCard) : h('p', { class: 'muted', text: 'No plugins installed.' }));
      clear(refused, (r.refused || []).length ? r.refused.map(x => h('div', { class: 'line refused', dataset: { file: x.file } },
        h('span', { class: 'mono', text: x.file }),
        badge(x.reason, 'bad'),
        h('span', { class: 'small grow reason', text: x.message }))) : h('p', { class: 'muted', text: 'None.' }));
    } catch (err) {
      error.hidden = false;
      error.textContent = errorText(err);
    }
  }

  function pluginCard(p) {
    const toggle = h('input', { type: 'checkbox', role: 'switch', class: 'enabled', checked: p.enabled,
      'aria-label': `${p.id} enabled` });
    toggle.addEventListener('change', async () => {
      toggle.disabled = true;
      try {
        await gw.request(toggle.checked ? 'plugins.enable' : 'plugins.disable', { id: p.id });
        toast(`${p.id} ${toggle.checked ? 'enabled' : 'disabled'}`);
      } catch (err) {
        toggle.checked = !toggle.checked;
        toast(`Could not change ${p.id}: ${errorText(err)}`, 'error');
      }
      toggle.disabled = false;
      load();
    });
    return h('article', { class: `card plugin${p.enabled ? '' : ' disabled'}`, dataset: { pluginId: p.id } },
      h('header', { class: 'row wrap' },
        h('strong', { text: p.id }), h('span', { class: 'mono muted', text: p.version }),
        p.signer && p.signer.trusted ? badge('signature trusted', 'ok') : badge('untrusted', 'bad'),
        h('label', { class: 'switch grow end' }, toggle, h('span', { text: p.enabled ? 'enabled' : 'disabled' }))),
      describe(p),
      p.settings && p.enabled ? settingsForm(gw, p) : null,
      h('div', { class: 'row wrap' },
        h('span', { class: 'muted small grow', text: `${p.file || ''} · sha256 ${String(p.jarSha256 || '').slice(0, 16)}…` }),
        h('button', { class: 'danger remove', onclick: () => remove(p.id) }, 'Remove')));
  }

  async function previewInstall() {
    const src = source.value.trim();
    if (!src) return;
    clear(preview, h('p', { class: 'muted', text: 'Checking…' }));
    try {
      const r = await gw.request('plugins.install', { source: src });
      const results = r.results || [];
      const ready = results.filter(x => x.status === 'preview');
      clear(preview, results.map(x => x.status === 'refused'
        ? h('article', { class: 'card refused' }, h('header', { class: 'row wrap' }, h('strong', { text: x.source || src }), badge(x.reason, 'bad')),
          h('p', { class: 'reason', text: x.message }))
        : h('article', { class: 'card preview', dataset: { pluginId: x.id } },
          h('header', { class: 'row wrap' }, h('strong', { text: x.id }), h('span', { class: 'mono muted', text: x.version }), badge('may do', 'warn')),
          h('p', { class: 'summary', text: x.summary || '' }),
          describe(x))),
        ready.length ? h('div', { class: 'row' },
          h('button', { class: 'primary', id: 'install-confirm', onclick: () => confirmInstall(src) }, `Install ${ready.map(x => x.id).join(', ')}`),
          h('button', { onclick: () => clear(preview) }, 'Cancel')) : null);
    } catch (err) {
      clear(preview, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function confirmInstall(src) {
    try {
      const r = await gw.request('plugins.install', { source: src, confirm: true });
      const lines = (r.results || []).map(x => `${x.id || x.source}: ${x.status}${x.message ? ` (${x.message})` : ''}`);
      clear(preview, h('p', { class: 'ok', id: 'install-result', text: lines.join('; ') }));
      source.value = '';
      load();
    } catch (err) {
      clear(preview, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  async function remove(id) {
    if (!await confirmDialog(`Remove the plugin ${id}? Its tools stop being offered at once.`, { ok: 'Remove', danger: true })) return;
    try {
      await gw.request('plugins.remove', { id });
      toast(`${id} removed`);
    } catch (err) {
      toast(`Remove failed: ${errorText(err)}`, 'error');
    }
    load();
  }

  return {
    el,
    show() { load(); registry.load(); },
    connected() { if (!el.hidden) load(); },
    onEvent({ event }) { if (event === 'plugins.changed' && !el.hidden) load(); },
  };
}

/** Signer, tools, permissions and network of a plugin (installed or previewed). */
function describe(p) {
  const perms = p.permissions || {};
  const net = p.network === 'none' || !p.network ? 'none' : (p.network.allow || []).join(', ') || 'no fixed host';
  const grants = grantsText(p);
  return h('div', { class: 'kv' },
    h('span', { class: 'muted', text: 'signer' }),
    h('span', { class: 'mono signer', text: `${(p.signer && p.signer.name) || '?'} · key ${(p.signer && p.signer.keyId) || '?'}` }),
    h('span', { class: 'muted', text: 'tools' }),
    h('ul', { class: 'tools' }, (p.tools || []).map(t => h('li', {},
      h('span', { class: 'mono', text: t.name }), ' ', badge(t.effect, t.effect === 'read' ? '' : 'warn'),
      t.description ? h('span', { class: 'muted small', text: ` ${t.description}` }) : null))),
    h('span', { class: 'muted', text: 'permissions' }),
    h('span', { class: 'perms', text: `workspace ${perms.workspace || 'none'}; secrets ${(perms.secrets || []).join(', ') || 'none'}`
      + (perms.resources ? `; ${Object.entries(perms.resources).map(([k, v]) => `${k} ${v}`).join(', ')}` : '') }),
    h('span', { class: 'muted', text: 'network' }),
    h('span', { class: 'mono network', text: net }),
    grants.declared ? h('span', { class: 'muted', text: 'operator may grant' }) : null,
    grants.declared ? h('span', { class: 'grants-declared', text: grants.declared }) : null,
    grants.declared || grants.granted ? h('span', { class: 'muted', text: 'granted' }) : null,
    grants.declared || grants.granted ? h('span', { class: 'mono granted', text: grants.granted || 'nothing yet' }) : null,
    p.description ? h('span', { class: 'muted', text: 'about' }) : null,
    p.description ? h('span', { text: p.description }) : null);
}
