// A skill's settings form, built from the settings schema its manifest declares (skills.list / plugins.list carry
// it): strings, numbers, booleans, enums as selects, arrays of strings one per line, nested objects as fieldsets,
// anything else as JSON. Saved with config.patch (baseHash from config.get) into plugins.entries.<id>.config; the
// gateway checks it against the schema and each problem comes back with its JSON path, shown next to its field.
import { h, clear, errorText, toast } from './dom.js';

export function settingsForm(gw, plugin) {
  const base = `$.plugins.entries.${plugin.id}.config`;
  const fields = [];
  const status = h('p', { class: 'small form-status', role: 'status' });
  const body = h('div', { class: 'settings-fields' });
  const form = h('form', { class: 'settings-form', dataset: { pluginId: plugin.id }, novalidate: true },
    h('h3', { text: 'Settings' }), body,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary save-settings' }, 'Save settings'), status));
  form.addEventListener('submit', e => {
    e.preventDefault();
    save();
  });

  async function fill() {
    try {
      const r = await gw.request('config.get');
      const entry = (((r.config || {}).plugins || {}).entries || {})[plugin.id] || {};
      fields.length = 0;
      clear(body, build(plugin.settings, entry.config || {}, base, []));
    } catch (err) {
      clear(body, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  function build(schema, value, path, keys) {
    const props = (schema && schema.properties) || {};
    return Object.entries(props).map(([name, s]) => {
      const p = `${path}.${name}`;
      const v = value ? value[name] : undefined;
      if (s.type === 'object' && s.properties) {
        return h('fieldset', { class: 'settings-group' }, h('legend', { text: name }),
          s.description ? h('p', { class: 'muted small', text: s.description }) : null,
          build(s, v || {}, p, [...keys, name]));
      }
      return field(name, s, v, p, [...keys, name]);
    });
  }

  function field(name, s, v, path, keys) {
    const id = `setting-${plugin.id}-${keys.join('-')}`;
    let input;
    let read;
    if (Array.isArray(s.enum)) {
      input = h('select', { id }, h('option', { value: '', text: s.default !== undefined ? `(default: ${s.default})` : '(unset)' }),
        s.enum.map(x => h('option', { value: JSON.stringify(x), text: String(x) })));
      input.value = v === undefined ? '' : JSON.stringify(v);
      read = () => (input.value === '' ? null : JSON.parse(input.value));
    } else if (s.type === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: v === undefined ? s.default === true : v === true });
      read = () => input.checked;
    } else if (s.type === 'integer' || s.type === 'number') {
      input = h('input', { id, type: 'text', inputmode: 'decimal', value: v === undefined ? '' : String(v),
        placeholder: s.default !== undefined ? String(s.default) : '' });
      // Not a number: sent as typed, so the gateway's answer (a type error at this path) is what the operator sees.
      read = () => (input.value.trim() === '' ? null : (Number.isFinite(Number(input.value)) ? Number(input.value) : input.value));
    } else if (s.type === 'array' && s.items && s.items.type === 'string') {
      input = h('textarea', { id, rows: 3, placeholder: 'one per line' });
      input.value = Array.isArray(v) ? v.join('\n') : '';
      read = () => input.value.split('\n').map(x => x.trim()).filter(x => x);
    } else if (s.type === 'string') {
      input = h('input', { id, type: 'text', value: v === undefined ? '' : v,
        placeholder: s.default !== undefined ? String(s.default) : (s.format || '') });
      read = () => (input.value === '' ? null : input.value);
    } else {
      input = h('textarea', { id, rows: 4, class: 'mono', placeholder: 'JSON' });
      input.value = v === undefined ? '' : JSON.stringify(v, null, 2);
      read = () => {
        if (input.value.trim() === '') return null;
        try {
          return JSON.parse(input.value);
        } catch {
          return input.value; // the gateway names the path and the expected type
        }
      };
    }
    const error = h('span', { class: 'error small field-error', hidden: true, dataset: { path } });
    input.dataset.path = path;
    fields.push({ keys, read, error, path, input });
    return h('div', { class: 'settings-field' },
      h('label', { for: id, text: name }),
      input,
      s.description ? h('span', { class: 'muted small', text: s.description }) : null,
      error);
  }

  async function save() {
    const config = {};
    for (const f of fields) {
      let o = config;
      f.keys.slice(0, -1).forEach(k => { o = o[k] = o[k] || {}; });
      o[f.keys[f.keys.length - 1]] = f.read();
      f.error.hidden = true;
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
    status.textContent = 'Saving…';
    try {
      const { hash } = await gw.request('config.get');
      await gw.request('config.patch', { baseHash: hash, patch: { plugins: { entries: { [plugin.id]: { config } } } } });
      status.textContent = 'Saved.';
      toast(`${plugin.id} settings saved`);
    } catch (err) {
      const problems = (err.details && Array.isArray(err.details.problems)) ? err.details.problems : [];
      let shown = 0;
      for (const pr of problems) {
        // The deepest field whose path is the problem's path or a prefix of it ($.x.sites[1] → the sites field).
        const f = fields.filter(x => pr.path === x.path || pr.path.startsWith(`${x.path}[`) || pr.path.startsWith(`${x.path}.`))
          .sort((a, b) => b.path.length - a.path.length)[0];
        if (f) {
          f.error.hidden = false;
          f.error.textContent = (f.error.textContent ? `${f.error.textContent}; ` : '') + pr.message;
          f.input.setAttribute('aria-invalid', 'true');
          shown++;
        }
      }
      const rest = problems.filter(pr => !fields.some(x => pr.path === x.path || pr.path.startsWith(`${x.path}[`) || pr.path.startsWith(`${x.path}.`)));
      status.textContent = `Not saved: ${shown ? 'see the marked fields' : errorText(err)}`
        + (rest.length ? `; ${rest.map(p => `${p.path}: ${p.message}`).join('; ')}` : '');
    }
  }

  fill();
  return form;
}

/** What the operator granted a skill, and what its manifest lets them grant. */
export function grantsText(p) {
  const declared = ((p.network && p.network.grants) || []).map(g => `${g.setting} (${g.description})`);
  const granted = (p.granted || []).map(g => `${g.endpoint} via ${g.grant}${g.allowPrivate ? ' (private allowed)' : ''}`);
  return { declared: declared.join('; '), granted: granted.join(', ') };
}
