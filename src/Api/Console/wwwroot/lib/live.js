// One EventSource per page: the API sends 'hello' (a snapshot), then coalesced 'values', 'alert', 'spectrum' and
// 'rights' events. EventSource reconnects by itself after a network error; the page shows the connection state.
export function connect(path, handlers, onState) {
  const source = new EventSource(path, { withCredentials: true });
  source.addEventListener('open', () => onState?.('open'));
  source.addEventListener('error', () => onState?.(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  for (const [type, fn] of Object.entries(handlers)) {
    source.addEventListener(type, e => { try { fn(JSON.parse(e.data)); } catch (err) { console.error(type, err); } });
  }
  return source;
}
