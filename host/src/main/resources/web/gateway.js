// The gateway protocol client: handshake, requests by id, events, keepalive and reconnect with backoff.

export const PROTOCOL = 4;
export const CLIENT = Object.freeze({
  id: 'clawbot-control-ui', mode: 'ui', version: '0.1.0', platform: 'web', displayName: 'Control UI',
});
const SCOPES = ['operator.read', 'operator.write', 'operator.admin', 'operator.approvals'];
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;
const HANDSHAKE_TIMEOUT_MS = 15000;
const REQUEST_TIMEOUT_MS = 30000;
/** Refusals that retrying cannot fix: the operator has to act (new token, allowed origin, newer UI). */
const FATAL = new Set(['AUTH_TOKEN_MISSING', 'AUTH_TOKEN_MISMATCH', 'ORIGIN_NOT_ALLOWED', 'PROTOCOL_UNSUPPORTED',
  'ROLE_UNSUPPORTED', 'AUTH_RATE_LIMITED']);

export class GatewayError extends Error {
  constructor(err) {
    super((err && err.message) || 'request failed');
    this.code = (err && err.code) || 'UNAVAILABLE';
    this.details = (err && err.details) || {};
    this.detailCode = this.details.code || null;
    this.retryable = !!(err && err.retryable);
    this.retryAfterMs = err && err.retryAfterMs;
  }
}

/**
 * Events (EventTarget): 'status' {state, attempt, retryAt, error}; 'hello' {hello, reconnect};
 * 'event' {event, payload, seq}; 'gap' (events were missed: the UI reloads what it shows).
 * States: connecting, connected, waiting (backoff), refused (fatal, no retry), stopped.
 */
export class GatewayClient extends EventTarget {
  constructor(url, token) {
    super();
    this.url = url;
    this.token = token;
    this.state = 'stopped';
    this.attempt = 0;
    this.retryAt = 0;
    this.error = null;
    this.hello = null;
    this.everConnected = false;
    this.pending = new Map();
    this.nextId = 1;
    this.ws = null;
    this.timer = null;
    this.lastFrameAt = 0;
    this.lastSeq = 0;
    this.watchdog = setInterval(() => this.checkAlive(), 1000);
  }

  start() {
    if (this.state === 'connecting' || this.state === 'connected') return;
    this.open();
  }

  stop() {
    this.setState('stopped');
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    if (this.ws) this.ws.close(1000, 'bye');
  }

  /** Skips the rest of the backoff wait. */
  reconnectNow() {
    if (this.state !== 'waiting') return;
    clearTimeout(this.timer);
    this.open();
  }

  request(method, params = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (this.state !== 'connected') {
      return Promise.reject(new GatewayError({ code: 'UNAVAILABLE', message: 'not connected to the gateway',
        details: { code: 'DISCONNECTED' } }));
    }
    return this.send(method, params, timeoutMs);
  }

  send(method, params, timeoutMs) {
    const id = `ui-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new GatewayError({ code: 'UNAVAILABLE', message: `${method} timed out`, details: { code: 'TIMEOUT' } }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, method });
      this.ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  open() {
    clearTimeout(this.timer);
    this.hello = null;
    this.lastSeq = 0;
    this.setState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.closed(ws, 1006, String(e));
      return;
    }
    this.ws = ws;
    this.lastFrameAt = Date.now();
    const handshakeTimer = setTimeout(() => {
      if (this.ws === ws && !this.hello) ws.close(4000, 'handshake timeout');
    }, HANDSHAKE_TIMEOUT_MS);
    ws.onmessage = e => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      this.frame(frame, ws);
    };
    ws.onclose = e => {
      clearTimeout(handshakeTimer);
      this.closed(ws, e.code, e.reason);
    };
  }

  frame(f, ws) {
    if (f.type === 'event' && f.event === 'connect.challenge' && !this.hello) {
      this.connect(ws);
      return;
    }
    if (f.type === 'res') {
      const p = this.pending.get(f.id);
      if (!p) return;
      this.pending.delete(f.id);
      clearTimeout(p.timer);
      if (f.ok) p.resolve(f.payload);
      else p.reject(new GatewayError(f.error));
      return;
    }
    if (f.type === 'event' && this.hello) {
      // seq numbers this connection's events: a hole means something was dropped, so views reload.
      if (typeof f.seq === 'number') {
        if (this.lastSeq && f.seq !== this.lastSeq + 1) this.dispatchEvent(new CustomEvent('gap'));
        this.lastSeq = f.seq;
      }
      if (f.event === 'shutdown') this.error = { message: (f.payload && f.payload.reason) || 'gateway stopping' };
      this.dispatchEvent(new CustomEvent('event', { detail: { event: f.event, payload: f.payload || {}, seq: f.seq } }));
    }
  }

  async connect(ws) {
    const params = {
      minProtocol: PROTOCOL, maxProtocol: PROTOCOL,
      client: { ...CLIENT },
      role: 'operator',
      scopes: SCOPES,
      auth: { token: this.token },
      locale: navigator.language,
      userAgent: navigator.userAgent,
    };
    try {
      const hello = await this.send('connect', params, HANDSHAKE_TIMEOUT_MS);
      if (this.ws !== ws) return;
      const reconnect = this.everConnected;
      this.hello = hello;
      this.everConnected = true;
      this.attempt = 0;
      this.error = null;
      this.setState('connected');
      this.dispatchEvent(new CustomEvent('hello', { detail: { hello, reconnect } }));
    } catch (err) {
      if (this.ws !== ws) return;
      this.error = err;
      if (FATAL.has(err.detailCode)) {
        this.setState('refused');
        this.refusedRetryAt = err.retryAfterMs ? Date.now() + err.retryAfterMs : 0;
      } else if (err.retryAfterMs) {
        this.forcedDelay = err.retryAfterMs;
      }
      ws.close(1000, 'refused');
    }
  }

  closed(ws, code, reason) {
    if (ws && this.ws !== ws) return;
    this.ws = null;
    this.hello = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new GatewayError({ code: 'UNAVAILABLE', message: `connection lost during ${p.method}`,
        details: { code: 'DISCONNECTED' } }));
      this.pending.delete(id);
    }
    if (this.state === 'refused' || this.state === 'stopped') return;
    if (!this.error) this.error = { message: reason || `connection closed (${code})` };
    const backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.attempt);
    const delay = this.forcedDelay ? Math.min(MAX_BACKOFF_MS, Math.max(this.forcedDelay, MIN_BACKOFF_MS)) : backoff;
    this.forcedDelay = 0;
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.setState('waiting');
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** No frame for two tick intervals (plus slack): the link is dead even if the socket has not noticed. */
  checkAlive() {
    if (this.state !== 'connected' || !this.ws) return;
    const tick = (this.hello && this.hello.policy && this.hello.policy.tickIntervalMs) || 30000;
    if (Date.now() - this.lastFrameAt > 2 * tick + 5000) this.ws.close(4000, 'tick timeout');
  }

  setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('status', {
      detail: { state, attempt: this.attempt, retryAt: this.retryAt, error: this.error },
    }));
  }
}

export function gatewayUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
}
