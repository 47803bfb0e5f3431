// comlink ships its Node adapter as node-adapter.mjs with a node-adapter.d.ts beside it, a name TypeScript does not
// pair with an .mjs import; this says what the default export is.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { MessagePort } from 'node:worker_threads';
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(port: MessagePort): Endpoint;
}
