/**
 * A running node: every part wired together. `startNode` unlocks the home,
 * starts Helia, opens the stores, loads the plugins and builds the HTTP
 * server (listening only when asked, so tests can use inject()), with the
 * built app at / when asked to serve one (http/app-static.ts).
 * @module
 */
import './use-native-crypto.ts'; // first: the core's SHA-256, HKDF and AES-GCM on node:crypto in this thread
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createCore } from '../core/index.ts';
import type { IdentityDocument, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import { type Anchoring, startAnchoring } from './anchor/index.ts';
import { homePaths, type NodeConfig } from './config.ts';
import { startNodeCrypto } from './crypto-pool/node-crypto.ts';
import { pluginDkg } from './dkg/plugin-dkg.ts';
import { dkgRoutes } from './dkg/routes.ts';
import { DkgRunner } from './dkg/runner.ts';
import { VerifiedIdentities } from './dkg/start-checks.ts';
import { DkgStateStore } from './dkg/state-store.ts';
import { type NodeHome, openHome } from './home.ts';
import { APP_SECTIONS, appStatic, hasApp } from './http/app-static.ts';
import { RequestAuth } from './http/auth.ts';
import { anchorRoutes } from './http/routes/anchors.ts';
import { beneficiaryOrderRoutes } from './http/routes/beneficiary-orders.ts';
import { oidcIssuerRoutes } from './http/routes/oidc-issuers.ts';
import { witnessRoutes } from './http/routes/witness.ts';
import { buildServer, type ServerOptions } from './http/server.ts';
import { IdentityRegistry } from './identities.ts';
import { FileUsageStore } from './limits/file-usage-store.ts';
import { committedIn, knownRequests } from './limits/known-requests.ts';
import { limitedResolver } from './limits/limited-resolver.ts';
import { MemoryRateLimitStore } from './limits/memory-rate-limit-store.ts';
import { RequestLimits } from './limits/request-limits.ts';
import { explainHttpListenError, explainLibp2pListenError } from './listen-ports.ts';
import { backfillLog } from './log/backfill.ts';
import { logKeyStatement } from './log/binding.ts';
import type { NodeLog } from './log/types.ts';
import { databaseProbeOf } from './metrics/database-probe.ts';
import { healthRoutes } from './metrics/health-routes.ts';
import { instrumentHttp } from './metrics/http-metrics.ts';
import { startMetricsListener } from './metrics/metrics-listener.ts';
import { Readiness } from './metrics/readiness.ts';
import { createNodeMetrics, type NodeMetrics } from './metrics/registry.ts';
import { timed } from './metrics/timed.ts';
import { OidcVerifier } from './oidc/gate.ts';
import { heldUsage, OrderAdmission } from './order-admission.ts';
import { OrderService } from './orders.ts';
import { StepRecovery } from './orders-recovery.ts';
import { explainReadyError, PluginHost } from './plugins/host.ts';
import { loadPlugins } from './plugins/loader.ts';
import type { DtaPlugin } from './plugins/types.ts';
import { LIBP2P_KEY, type NodeStore, startHelia } from './storage/helia.ts';
import { homeOptionsOf, openLogOn, openStorage, sharedRateLimits, sharedUsage } from './storage/open.ts';
import { openWitnessing, type Witnessing } from './witness/service.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Suites this node speaks (discovery document). */
export const SUITES = Object.freeze({
  encoding: 'dag-cbor',
  cid: 'cidv1/dag-cbor/sha2-256',
  signature: 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_',
  kem: 'X-Wing (ML-KEM-768 + X25519), 0x647A',
  hpke: 'RFC 9180 base mode, X-Wing / HKDF-SHA256 / AES-256-GCM',
  aead: 'AES-256-GCM',
});

export interface NodeRuntime {
  readonly config: NodeConfig;
  readonly core: Core;
  readonly home: NodeHome;
  readonly identity: Verified<IdentityDocument>;
  readonly blocks: NodeStore;
  readonly identities: IdentityRegistry;
  readonly plugins: PluginHost;
  readonly orders: OrderService;
  /** The node's transparency log (log/). */
  readonly log: NodeLog;
  /** The `dta/log-key` statement binding the log, for a home whose identity document does not (log/binding.ts). */
  readonly logKeyStatement: Uint8Array | undefined;
  /** The node as a witness of other logs, and the gatherer of its own log's cosignatures (witness/). */
  readonly witnessing: Witnessing;
  /** Bitcoin anchoring of the Birth Record and checkpoints (anchor/); undefined when config.anchor is absent. */
  readonly anchoring: Anchoring | undefined;
  readonly app: FastifyInstance;
  /** This node's Prometheus metrics (metrics/registry.ts), served at /metrics. */
  readonly metrics: NodeMetrics;
  readonly started: number;
  /** The build directory of the app served at / (NodeStartOptions.appRoot, when it holds one); undefined when none is. */
  readonly appRoot: string | undefined;
  /** The HTTP URLs to advertise: configured publicUrls, else the address the server listens on. */
  httpUrls(): string[];
  /** Starts listening on config.host:config.port; returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface NodeStartOptions {
  /** Plugins to run instead of the built-in ones (tests). */
  readonly plugins?: readonly DtaPlugin[];
  readonly core?: Core;
  /** fastify logging: false (default in tests) or a pino level. */
  readonly logger?: ServerOptions['logger'];
  readonly now?: () => number;
  /**
   * Serve the built app (http/app-static.ts) from this directory at / when
   * it holds an index.html (`dta serve` passes dist/); absent: no app, the
   * API only (tests).
   */
  readonly appRoot?: string;
  /** false: order steps are not appended to the log, as before it existed (the bench's "before" row). */
  readonly logSteps?: boolean;
}

export async function startNode(
  config: NodeConfig,
  passphrase: Uint8Array,
  options: NodeStartOptions = {},
): Promise<NodeRuntime> {
  // Plugins first: one that cannot load stops the start before the keystore is opened or Helia started.
  const loaded = options.plugins
    ? { plugins: options.plugins, settings: config.pluginSettings }
    : await loadPlugins(config);
  const core = options.core ?? (await createCore());
  const storage = await openStorage(config, options.now);
  const home = await openHome(core, config.home, passphrase, {
    keystore: config.keystore,
    ...(await homeOptionsOf(storage, config.home)),
  }).catch(async (err: unknown) => {
    await storage.close();
    throw err;
  });
  const paths = homePaths(config.home);
  const cleanup: Array<() => Promise<void>> = [() => home.keystore.close(), () => storage.close()];
  const metrics = createNodeMetrics();
  const readiness = new Readiness();
  let closing = false;
  try {
    const blocks = await startHelia({
      blocks: paths.blocks,
      datastore: paths.datastore,
      listen: config.listen,
      peers: config.peers,
      keystore: home.keystore,
      ...(storage.blockstore ? { blockstore: storage.blockstore } : {}),
    }).catch((err: unknown) => Promise.reject(explainLibp2pListenError(err)));
    cleanup.unshift(() => blocks.stop());
    await blocks.put(home.identity.cid, home.identity.bytes);
    const log = await openLogOn(storage, { dir: paths.log, origin: home.log.origin, secretKey: home.log.secretKey });
    cleanup.unshift(async () => {
      await log.close();
      home.log.secretKey.fill(0);
    });
    const statement = await logKeyStatement(core.bls, home.identity, home.secrets.bls, home.log, paths.log);
    const identities = await IdentityRegistry.open(storage.identities, core, blocks, config.resolveTimeoutMs, log);
    await identities.register(home.identity.bytes);
    const replay = storage.replay;
    const orderStore = timed(storage.orders, storage.kind, ['get', 'put'], metrics);
    const pending = storage.pending;
    const nodeCid = home.identity.cid.toString();
    const held = () => heldUsage(orderStore, pending, nodeCid); // committed orders and recorded steps
    const usage = sharedUsage(storage) ?? (await FileUsageStore.open(paths.usage, held)).store;
    cleanup.unshift(() => usage.close()); // runs after the server has closed: no step is in flight
    const limits = new RequestLimits(sharedRateLimits(storage) ?? new MemoryRateLimitStore(), config, options.now);
    const crypto = startNodeCrypto(config, core.bls, { cid: home.identity.cid, secrets: home.secrets }, metrics);
    cleanup.unshift(() => crypto.close()); // after the server's close: no request is in flight
    const auth = new RequestAuth({
      ...crypto.auth,
      core,
      node: home.identity,
      xwing: home.secrets.xwing,
      identities: limitedResolver(identities, async (cid) => blocks.has(cid), limits),
      replay,
      freshnessMs: config.freshnessMs,
      ...(options.now ? { now: options.now } : {}),
      acceptedBefore: knownRequests([committedIn(orderStore), (cid) => pending.has(cid)]),
    });
    const admission = new OrderAdmission({
      auth,
      pending,
      usage,
      limits: { orders: config.quotaOrdersPerIdentity, bytes: config.quotaBytesPerIdentity },
      node: nodeCid,
      keystore: home.keystore,
    });
    let runtime: NodeRuntime | undefined;
    const app = await buildServer(() => runtime!, {
      logger: options.logger ?? false,
      bodyLimit: config.bodyLimit,
      corsOrigins: config.corsOrigins,
      limits,
      connections: config,
      loadShedding: config,
      version: VERSION,
      plugins: () => runtime?.plugins.documented() ?? [],
    });
    cleanup.unshift(() => app.close());
    instrumentHttp(app, metrics);
    const ownListener = config.metricsListener !== undefined;
    const served = config.metrics === 'off' ? undefined : metrics;
    await app.register(
      healthRoutes({
        readiness,
        metrics: ownListener ? undefined : served,
        access: config.metrics === 'open' ? 'open' : 'loopback',
        token: config.metricsToken,
      }),
    );
    const dkgStore = await DkgStateStore.open(paths.dkg, home.keystore);
    cleanup.unshift(async () => dkgStore.close());
    const dkg = await DkgRunner.open({
      core,
      node: home.identity,
      secrets: home.secrets,
      store: dkgStore,
      timeoutMs: config.dkgTimeoutMs,
      log: app.log,
      ...(options.now ? { now: options.now } : {}),
    });
    cleanup.unshift(async () => dkg.close());
    const plugins = new PluginHost(loaded.plugins, {
      core,
      node: home.identity,
      identities,
      keystore: timed(home.keystore, home.keystore.kind, ['get', 'put'], metrics),
      log: app.log,
      settings: loaded.settings,
      requests: (name) => ({ open: (body, type) => auth.request(body, type, `${name}:${type}`) }),
      orders: { get: async (id) => (await orderStore.get(id))?.record },
      dkg: (name) => pluginDkg(dkg, name),
    });
    const orders = new OrderService({
      ...crypto.orders,
      core,
      node: home.identity,
      secrets: home.secrets,
      auth,
      plugins,
      orders: orderStore,
      blocks,
      identities,
      metrics,
      ...(options.logSteps === false ? {} : { log }),
      ...(options.now ? { now: options.now } : {}),
      admission,
      oidc: new OidcVerifier(config.oidc, home.identity.cid),
    });
    await orders.reconcile();
    await backfillLog(log, { identities: () => identities.registered(), envelopes: () => orderStore.eachEnvelope() });
    const recovery = new StepRecovery({
      pending,
      admission,
      orders,
      store: orderStore,
      freshnessMs: config.freshnessMs,
      now: options.now ?? Date.now,
      log: app.log,
    });
    cleanup.unshift(async () => recovery.close());
    const recovered = await recovery.start();
    if (Object.values(recovered).some((n) => n > 0)) app.log.info(recovered, 'order steps recorded before the start');
    const witnessing = await openWitnessing({
      dir: paths.witness,
      config,
      log,
      keys: home.log,
      logger: app.log,
      now: options.now ?? Date.now,
      bls: core.bls,
    });
    cleanup.unshift(() => witnessing.close());
    const anchoring = config.anchor
      ? await startAnchoring(config.anchor, {
          dir: paths.anchors,
          keystore: home.keystore,
          birth: { identity: home.identity.cid, origin: home.log.origin, key: home.log.publicKey },
          log,
          logger: app.log,
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;
    if (anchoring) cleanup.unshift(() => anchoring.close());
    const appRoot = options.appRoot !== undefined && (await hasApp(options.appRoot)) ? options.appRoot : undefined;
    let listening: string | undefined;
    runtime = {
      config,
      core,
      home,
      identity: home.identity,
      blocks,
      identities,
      plugins,
      orders,
      log,
      logKeyStatement: statement,
      witnessing,
      anchoring,
      app,
      metrics,
      started: Date.now(),
      appRoot,
      httpUrls: () => (config.publicUrls.length > 0 ? [...config.publicUrls] : listening ? [listening] : []),
      async listen() {
        await app.listen({ host: config.host, port: config.port }).catch((err: unknown) => {
          throw explainHttpListenError(err, config.host, config.port);
        });
        if (config.metricsListener) {
          const { host, port } = config.metricsListener;
          const own = await startMetricsListener({
            host,
            port,
            readiness,
            metrics: served,
            token: config.metricsToken,
          });
          cleanup.unshift(() => own.close());
        }
        const addr = app.server.address();
        const port = typeof addr === 'object' && addr ? addr.port : config.port;
        const host = config.host.includes(':') ? `[${config.host}]` : config.host;
        listening = `http://${host}:${port}`;
        return listening;
      },
      async close() {
        closing = true;
        for (const step of cleanup) await step().catch(() => undefined);
      },
    };
    readiness.add('node', () => {
      if (closing) throw new Error('stopping');
    });
    readiness.add('helia', () => {
      if (blocks.helia.libp2p.status !== 'started') throw new Error(`libp2p ${blocks.helia.libp2p.status}`);
    });
    readiness.add('keystore', async () => {
      const key = await home.keystore.get(LIBP2P_KEY); // decrypts: fails once the keystore is closed (locked)
      if (!key) throw new Error('the node key is missing');
      key.fill(0);
    });
    const database = databaseProbeOf(storage); // replicas on PostgreSQL
    if (database) readiness.add('database', database);
    await app.register(witnessRoutes(witnessing));
    await app.register(anchorRoutes(() => anchoring?.store));
    await app.register(beneficiaryOrderRoutes({ auth, orders: storage.beneficiaries }));
    await app.register(oidcIssuerRoutes(config.oidc));
    const known = new VerifiedIdentities();
    const dkgLimits = { node: home.identity, plugins: plugins.names(), bodyLimit: config.bodyLimit, known };
    await app.register(dkgRoutes({ runner: dkg, auth, limits: dkgLimits, bls: core.bls }));
    await plugins.registerRoutes(app);
    // Last, after the server's hooks; app-static never answers /v1, /.well-known or /openapi.json.
    if (appRoot !== undefined)
      await app.register(appStatic({ root: appRoot, sections: [...APP_SECTIONS, ...plugins.names()] }));
    try {
      await app.ready();
    } catch (err) {
      throw explainReadyError(err);
    }
    app.swagger(); // /openapi.json built once now, so a plugin's schema that does not convert stops the start
    return runtime;
  } catch (err) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw err;
  }
}
