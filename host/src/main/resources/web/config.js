// Config: view and edit openclaw.json. Saving sends a JSON merge patch of your edits with the hash you read
// (baseHash), so a change made meanwhile is never overwritten; validation problems are listed with their paths.
import { h, clear, errorText, toast } from './dom.js';

/** RFC 7386 merge patch turning a into b (null deletes a key; arrays are replaced whole). */
export function mergePatch(a, b) {
  const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return b;
  const out = {};
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const k of Object.keys(b)) {
    if (!(k in a)) out[k] = b[k];
    else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out[k] = mergePatch(a[k], b[k]);
  }
  return out;
}

export function configView(app) {
  const { gw } = app;
  const editor = h('textarea', { id: 'config-editor', spellcheck: 'false', rows: 24, 'aria-label': 'openclaw.json' });
  const meta = h('p', { class: 'muted small', id: 'config-meta' });
  const problems = h('div', { id: 'config-problems', role: 'alert' });
  const saveBtn = h('button', { class: 'primary', id: 'config-save', onclick: () => save() }, 'Save');
  const el = h('section', { class: 'view', id: 'view-config' },
    h('div', { class: 'panel' },
      h('div', { class: 'row wrap' }, h('h2', { class: 'grow', text: 'Config' }),
        h('button', { id: 'config-format', onclick: () => format() }, 'Format'),
        h('button', { id: 'config-reload', onclick: () => load(true) }, 'Reload'), saveBtn),
      meta, problems, editor));
  let base = null; // {hash, config} as last read
  let dirty = false;
  editor.addEventListener('input', () => { dirty = true; });

  async function load(force) {
    if (dirty && !force) return;
    try {
      const r = await gw.request('config.get');
      base = { hash: r.hash, config: r.config || {} };
      editor.value = JSON.stringify(base.config, null, 2);
      dirty = false;
      clear(problems);
      clear(meta, `${r.path} · hash ${String(r.hash).slice(0, 12)}`,
        r.lastKnownGood ? h('span', { class: 'error', text: ` · the file is broken; running on the last known good copy: ${r.problem || ''}` }) : null,
        ' · secrets are shown as a marker; leave it as is to keep the stored value');
    } catch (err) {
      clear(problems, h('p', { class: 'error', text: errorText(err) }));
    }
  }

  function parse() {
    try {
      return { value: JSON.parse(editor.value) };
    } catch (e) {
      return { error: e.message };
    }
  }

  function format() {
    const p = parse();
    if (p.error) showProblems([{ path: '(JSON)', message: p.error }], 'This is not valid JSON:');
    else editor.value = JSON.stringify(p.value, null, 2);
  }

  function showProblems(list, title) {
    clear(problems, h('div', { class: 'problems' },
      h('p', { class: 'error', text: title }),
      h('ul', {}, list.map(x => h('li', { class: 'problem', dataset: { path: x.path } },
        h('code', { class: 'path', text: x.path }), ' ', h('span', { text: x.message }))))));
  }

  async function save() {
    const p = parse();
    if (p.error) {
      showProblems([{ path: '(JSON)', message: p.error }], 'Not saved: this is not valid JSON.');
      return;
    }
    if (!base) return;
    const patch = mergePatch(base.config, p.value);
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      showProblems([{ path: '$', message: 'the config must be a JSON object' }], 'Not saved.');
      return;
    }
    if (!Object.keys(patch).length) {
      clear(problems, h('p', { class: 'muted', text: 'No changes to save.' }));
      return;
    }
    saveBtn.disabled = true;
    try {
      const r = await gw.request('config.patch', { baseHash: base.hash, patch });
      base = { hash: r.hash, config: r.config || p.value };
      editor.value = JSON.stringify(base.config, null, 2);
      dirty = false;
      clear(problems, h('p', { class: 'ok', id: 'config-saved', text: 'Saved.' + ((r.restartRequired || []).length
        ? ` Changes under ${r.restartRequired.join(', ')} take effect when the gateway restarts.` : ' Agents use it from their next run.') }));
      meta.firstChild.textContent = meta.firstChild.textContent.replace(/hash \w+/, `hash ${String(r.hash).slice(0, 12)}`);
    } catch (err) {
      if (err.detailCode === 'CONFIG_CONFLICT') {
        clear(problems, h('div', { class: 'problems conflict', id: 'config-conflict' },
          h('p', { class: 'error', text: 'Not saved: the config changed since you loaded it.' }),
          h('p', { text: 'Someone else (another tab, `claw`, or an agent) saved it meanwhile, so saving your version would '
            + 'silently undo their change. Reload to get the current config, then make your edit again. Your text is '
            + 'still in the editor until you reload: copy what you need first.' }),
          h('button', { id: 'config-conflict-reload', onclick: () => load(true) }, 'Reload the current config')));
      } else if (err.detailCode === 'CONFIG_INVALID' && Array.isArray(err.details.problems)) {
        showProblems(err.details.problems, 'Not saved: the gateway found these problems.');
      } else {
        clear(problems, h('p', { class: 'error', text: `Not saved: ${errorText(err)}` }));
      }
    } finally {
      saveBtn.disabled = false;
    }
  }

  return {
    el,
    show: () => load(false),
    connected() { if (!el.hidden) load(false); },
    onEvent({ event }) {
      if (event === 'config.changed' && !el.hidden && !dirty) load(false);
      else if (event === 'config.changed' && dirty) toast('The config changed on the gateway; saving your edits will ask you to reload first.');
    },
  };
}
