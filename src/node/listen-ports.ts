/**
 * The ports a node listens on, and what to say when one is taken. Two nodes
 * on one machine need their own HTTP port and their own libp2p ports; the
 * libp2p ones come from the `listen` multiaddrs, whose TCP and WebSocket
 * ports `--libp2p-tcp-port` / `--libp2p-ws-port` (or `libp2pTcpPort` /
 * `libp2pWsPort` in config.json) replace. A port in use stops the start with
 * one line naming the port and the flag that changes it, never a stack.
 * @module
 */

export interface Libp2pPorts {
  readonly tcp?: number | undefined;
  readonly ws?: number | undefined;
}

/** A WebSocket multiaddr: `/tcp/<port>/ws` or `/tcp/<port>/wss` (maybe followed by more parts). */
const isWebSocket = (addr: string): boolean => /\/tcp\/\d+\/wss?(\/|$)/.test(addr);

/** `listen` with the port of each TCP address set to `ports.tcp` and of each WebSocket address to `ports.ws`. */
export function withLibp2pPorts(listen: readonly string[], ports: Libp2pPorts): string[] {
  return listen.map((addr) => {
    const port = isWebSocket(addr) ? ports.ws : ports.tcp;
    return port === undefined ? addr : addr.replace(/\/tcp\/\d+/, `/tcp/${port}`);
  });
}

/** A listener that could not start (exit status 1; the message is the whole story). */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Where a port is set: the command-line flag and the config.json key. */
interface PortKnob {
  readonly what: string;
  readonly flag?: string;
  readonly key: string;
}

const HTTP_KNOB: PortKnob = { what: 'HTTP', flag: '--port', key: 'port' };
const METRICS_KNOB: PortKnob = { what: 'metrics', key: 'metricsPort' };

function knobOf(addr: string): PortKnob {
  return isWebSocket(addr)
    ? { what: 'libp2p WebSocket', flag: '--libp2p-ws-port', key: 'libp2pWsPort' }
    : { what: 'libp2p TCP', flag: '--libp2p-tcp-port', key: 'libp2pTcpPort' };
}

function inUse(knob: PortKnob, port: string, where: string): PortInUseError {
  const how = knob.flag ? `${knob.flag} <port> (or "${knob.key}" in config.json)` : `"${knob.key}" in config.json`;
  return new PortInUseError(`${knob.what} port ${port} (${where}) is already in use: choose another with ${how}`);
}

/**
 * libp2p's refusal to listen (UnsupportedListenAddressesError, whose message lists each address with the
 * error and its stack) as one line about the first address whose port is taken; other errors unchanged.
 */
export function explainLibp2pListenError(err: unknown): unknown {
  const message = (err as Error)?.message;
  if ((err as Error)?.name !== 'UnsupportedListenAddressesError' || typeof message !== 'string') return err;
  const taken = /^\s*(\/\S+): Error: listen EADDRINUSE/m.exec(message)?.[1];
  if (taken) return inUse(knobOf(taken), /\/tcp\/(\d+)/.exec(taken)?.[1] ?? '?', taken);
  const failed = /^\s*(\/\S+): (?:\w*Error: )?([^\n]*)/m.exec(message);
  return new PortInUseError(
    failed
      ? `libp2p could not listen on ${failed[1]}: ${failed[2]}; check "listen" in config.json`
      : 'libp2p could not listen on its addresses; check "listen" in config.json',
  );
}

/** fastify's EADDRINUSE on `host:port` as one line naming the flag or key; other errors unchanged. */
export function explainHttpListenError(err: unknown, host: string, port: number, metrics = false): unknown {
  if ((err as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') return err;
  return inUse(metrics ? METRICS_KNOB : HTTP_KNOB, String(port), host);
}
