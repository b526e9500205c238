// Voice input for the chat composer: the microphone records (MediaRecorder), the clip is decoded and re-encoded in
// the page as 16 kHz mono WAV (so the sandbox's sox needs no WebM/Opus decoder and the upload stays small), posted to
// the gateway with the token as bearer, transcribed by the operator's speech skill through the tool gate, and the
// text is put in the composer to edit and send. States: idle, recording, transcribing, failed (with why).
import { h } from './dom.js';

const MAX_SECONDS = 120;
const RATE = 16000;

export function voiceInput({ gw, sessionKey, onText }) {
  let state = 'idle';
  let recorder = null;
  let chunks = [];
  let started = 0;
  let ticker = null;

  const button = h('button', { id: 'chat-mic', type: 'button', 'aria-label': 'Record a voice message', onclick: () => toggle() }, 'Voice');
  const status = h('p', { class: 'muted small', id: 'chat-voice-status', 'aria-live': 'polite' });

  function set(next, text = '') {
    state = next;
    button.dataset.state = next;
    status.dataset.state = next;
    status.textContent = text;
    button.textContent = next === 'recording' ? 'Stop recording' : 'Voice';
    button.disabled = next === 'transcribing';
    button.classList.toggle('danger', next === 'recording');
  }
  set('idle');

  async function toggle() {
    if (state === 'recording') return recorder.stop();
    if (state === 'transcribing') return;
    if (!navigator.mediaDevices || !window.MediaRecorder) return set('failed', 'Voice failed: this browser cannot record audio here');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      return set('failed', `Voice failed: no microphone (${err.name === 'NotAllowedError' ? 'permission denied' : err.message})`);
    }
    chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = e => { if (e.data && e.data.size) chunks.push(e.data); };
    recorder.onstop = () => {
      clearInterval(ticker);
      stream.getTracks().forEach(t => t.stop());
      upload(new Blob(chunks, { type: recorder.mimeType }));
    };
    recorder.start(250);
    started = performance.now();
    status.dataset.seconds = '0';
    set('recording', 'Recording… 0 s (click Stop recording when done)');
    ticker = setInterval(() => {
      const s = Math.floor((performance.now() - started) / 1000);
      status.dataset.seconds = String(s);
      status.textContent = `Recording… ${s} s (click Stop recording when done)`;
      if (s >= MAX_SECONDS) recorder.stop();
    }, 250);
  }

  async function upload(blob) {
    set('transcribing', 'Transcribing…');
    try {
      const wav = await toWav(blob);
      const r = await fetch(`/api/voice/transcribe?sessionKey=${encodeURIComponent(sessionKey())}`, {
        method: 'POST', body: wav, headers: { 'Content-Type': 'audio/wav', Authorization: `Bearer ${gw.token}` },
      });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(body.error ? `${body.error.message} (${body.error.code})` : `HTTP ${r.status}`);
      if (!body.text) return set('failed', 'Voice failed: no speech was recognised');
      onText(body.text);
      set('idle', `Transcribed by ${body.skill}: edit and send.`);
    } catch (err) {
      set('failed', `Voice failed: ${err.message}`);
    }
  }

  return { button, status };
}

/** The recording (WebM/Opus or whatever the browser made) decoded, mixed to mono, resampled to 16 kHz, as WAV. */
async function toWav(blob) {
  const ctx = new AudioContext();
  let decoded;
  try {
    decoded = await ctx.decodeAudioData(await blob.arrayBuffer());
  } catch {
    throw new Error('the recording could not be decoded');
  } finally {
    ctx.close();
  }
  const frames = Math.max(1, Math.ceil(decoded.duration * RATE));
  const offline = new OfflineAudioContext(1, frames, RATE);
  const src = offline.createBufferSource();
  src.buffer = decoded;
  src.connect(offline.destination);
  src.start();
  const pcm = (await offline.startRendering()).getChannelData(0);
  const out = new DataView(new ArrayBuffer(44 + pcm.length * 2));
  const text = (at, s) => [...s].forEach((c, i) => out.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF'); out.setUint32(4, 36 + pcm.length * 2, true); text(8, 'WAVE');
  text(12, 'fmt '); out.setUint32(16, 16, true); out.setUint16(20, 1, true); out.setUint16(22, 1, true);
  out.setUint32(24, RATE, true); out.setUint32(28, RATE * 2, true); out.setUint16(32, 2, true); out.setUint16(34, 16, true);
  text(36, 'data'); out.setUint32(40, pcm.length * 2, true);
  for (let i = 0; i < pcm.length; i++) out.setInt16(44 + i * 2, Math.max(-1, Math.min(1, pcm[i])) * 0x7fff, true);
  return new Blob([out.buffer], { type: 'audio/wav' });
}
