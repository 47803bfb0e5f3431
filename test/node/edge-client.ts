/**
 * Raw HTTP for the tests of the node's edge (issue 13): a request from a chosen local address (127.0.0.2 is
 * another client to the node than 127.0.0.1), and a request written byte for byte to a socket.
 * @module
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface EdgeReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: any;
}

/** POSTs `body` to `url` from `localAddress` on a fresh connection. */
export function postFrom(
  url: string,
  body: Uint8Array,
  localAddress = '127.0.0.1',
  contentType = 'application/cbor',
): Promise<EdgeReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, agent: false, headers: { 'content-type': contentType } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('no answer')));
    req.end(body);
  });
}

/** Writes `raw` to the server at `url` and reads until it closes the connection (or `timeoutMs`). */
export function rawExchange(url: string, raw: string | Buffer, timeoutMs = 5000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', (e) => (out ? resolve(out) : reject(e)));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no close within ${timeoutMs} ms: ${out}`)));
  });
}

/** The status and JSON body of a raw HTTP response. */
export function parseRaw(out: string): { status: number; json: any; head: string } {
  const at = out.indexOf('\r\n\r\n');
  const head = out.slice(0, at);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const body = out.slice(at + 4);
  const chunked = /transfer-encoding: chunked/i.test(head);
  const text = chunked ? body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '') : body;
  return { status, json: text ? JSON.parse(text) : undefined, head };
}
