// A hostile stdio "MCP server" for McporterSkillEndToEndTest; the first argument picks how it misbehaves.
//   garbage: prints non-JSON lines on stdout   flood: prints without end, no newline   silent: never answers
//   big: a correct server whose only tool returns 10 MB of text   crash: answers initialize, exits on any call
const mode = process.argv[2];
if (mode === 'garbage') {
  setInterval(() => process.stdout.write('this is not JSON-RPC ' + Date.now() + '\n'), 5);
} else if (mode === 'flood') {
  const chunk = 'x'.repeat(1 << 16);
  const pump = () => { while (process.stdout.write(chunk)) {} process.stdout.once('drain', pump); };
  pump();
} else if (mode === 'silent') {
  process.stdin.on('data', () => {});
} else {
  let buf = '';
  const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
  process.stdin.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const m = JSON.parse(line);
      if (m.id === undefined) continue;
      if (m.method === 'initialize') {
        send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} },
          serverInfo: { name: 'hostile-' + mode, version: '1.0.0' } } });
      } else if (mode === 'crash') {
        process.exit(3);
      } else if (m.method === 'tools/list') {
        send({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'big', description: '10 MB of text',
          inputSchema: { type: 'object', properties: {} } }] } });
      } else if (m.method === 'tools/call') {
        send({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'B'.repeat(10 * 1024 * 1024) }] } });
      } else {
        send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no such method' } });
      }
    }
  });
}
