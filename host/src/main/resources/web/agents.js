// Agents: each agent's type, model route, skills and policy ceiling (agents.list, with config.get for policy).
import { h, clear, badge, pretty, errorText } from './dom.js';

/** What a built-in agent carries without configuration (AgentDefinition.builtIn). */
const BUILT_IN_CEILING = { researcher: { workspace: 'ro' } };

export function agentsView(app) {
  const { gw } = app;
  const list = h('div', { class: 'grid', id: 'agents-list' });
  const error = h('p', { class: 'error', hidden: true });
  const el = h('section', { class: 'view', id: 'view-agents' },
    h('div', { class: 'panel' },
      h('h2', { text: 'Agents' }),
      h('p', { class: 'muted small', text: 'Policy narrows from the global defaults (agents.defaults) to each agent; '
        + 'deny wins, and a later layer can only narrow. Edit them under agents in Config.' }),
      error, list));

  async function load() {
    try {
      const r = await gw.request('agents.list');
      let config = null;
      try {
        config = (await gw.request('config.get')).config;
      } catch {
        // without operator.admin the policy column stays unknown
      }
      error.hidden = true;
      const entries = (config && config.agents && Array.isArray(config.agents.list)) ? config.agents.list : [];
      const defaults = (config && config.agents && config.agents.defaults) || {};
      const models = (config && config.models) || {};
      clear(list, (r.agents || []).map(a => card(a, entries.find(e => e.id === a.id), defaults, models, config !== null)),
        h('article', { class: 'card', id: 'agents-defaults' },
          h('header', { class: 'row' }, h('strong', { text: 'Global defaults' }), h('span', { class: 'muted small', text: 'agents.defaults' })),
          h('pre', { text: pretty(policyOf(defaults), 2000) })));
    } catch (err) {
      error.hidden = false;
      error.textContent = errorText(err);
    }
  }

  function card(a, entry, defaults, models, known) {
    const role = a.type === 'coder' ? 'coder' : 'planner';
    const routed = models.routing && models.routing[role];
    const hasProviders = models.providers && Object.keys(models.providers).length > 0;
    const route = a.model ? `${a.model} (its own model)`
      : routed ? `${routed} (models.routing.${role})`
        : known && !hasProviders ? 'offline model (no provider configured)' : `models.routing.${role}`;
    const policy = entry ? policyOf(entry) : (BUILT_IN_CEILING[a.id] ? { permissions: BUILT_IN_CEILING[a.id] } : {});
    const tools = a.tools || {};
    return h('article', { class: 'card agent', dataset: { agentId: a.id } },
      h('header', { class: 'row wrap' },
        h('strong', { text: a.name }), h('span', { class: 'mono muted', text: a.id }),
        badge(a.type), a.default ? badge('default', 'ok') : null),
      h('div', { class: 'kv' },
        h('span', { class: 'muted', text: 'model' }), h('span', { class: 'mono model', text: route }),
        h('span', { class: 'muted', text: 'skills' }), h('span', { class: 'skills', text: (a.skills || []).length ? a.skills.join(', ') : 'all installed' }),
        h('span', { class: 'muted', text: 'tools' }), h('span', { class: 'mono', text: toolsText(tools) }),
        h('span', { class: 'muted', text: 'policy' }), h('pre', { class: 'policy', text: known
          ? pretty(Object.keys(policy).length ? policy : 'no ceiling of its own (the global defaults apply)', 2000)
          : 'needs operator.admin to read' })),
      h('p', { class: 'muted small', text: `main session: ${a.mainSessionKey}` }));
  }

  return { el, show: load, connected() { if (!el.hidden) load(); }, onEvent({ event }) { if (event === 'config.changed' && !el.hidden) load(); } };
}

function policyOf(entry) {
  const out = {};
  for (const k of ['skills', 'tools', 'permissions', 'approvals', 'maxIterations']) if (entry[k] !== undefined) out[k] = entry[k];
  return out;
}

function toolsText(tools) {
  const allow = tools.allow && tools.allow.length ? `allow ${tools.allow.join(', ')}` : 'all allowed';
  const deny = tools.deny && tools.deny.length ? ` · deny ${tools.deny.join(', ')}` : '';
  return allow + deny;
}
