/**
 * Installing an update the person accepted (build-check.ts recorded the consent first): ask the browser for the
 * new service worker now, wait until it has installed — its install fails if the server offers another build than
 * the accepted one, or a file does not match its integrity — then let it take over and reload into it.
 * @module
 */

/** How long the new version may take to download and install before the page gives up. */
const INSTALL_MS = 120_000;

/** Why an accepted update did not install, in words the prompt shows. */
class UpdateInstallError extends Error {
  override name = 'UpdateInstallError';
}

/** Resolves once `worker` has installed; rejects when it fails (becomes redundant) or takes too long. */
function untilInstalled(worker: ServiceWorker): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new UpdateInstallError('the new version took too long to download')),
      INSTALL_MS,
    );
    const finish = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('statechange', onChange);
      if (error) reject(error);
      else resolve();
    };
    const onChange = () => {
      if (worker.state === 'redundant')
        finish(
          new UpdateInstallError(
            'the new version did not install: the server now offers another build than the one you accepted, ' +
              'or one of its files does not match the build',
          ),
        );
      else if (worker.state !== 'installing') finish();
    };
    worker.addEventListener('statechange', onChange);
    onChange();
  });
}

/** Installs the accepted update and switches this page to it; the page reloads when the new version controls it. */
export async function installAcceptedUpdate(registration: ServiceWorkerRegistration): Promise<void> {
  if (!registration.waiting) {
    await registration.update();
    const worker = registration.installing ?? registration.waiting;
    if (!worker) throw new UpdateInstallError('the server offers no other version than the one running');
    await untilInstalled(worker);
  }
  const waiting = registration.waiting;
  if (!waiting) throw new UpdateInstallError('the new version is no longer waiting: reload the page');
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  // Workbox's service worker (registerType "prompt") skips waiting only when the page asks.
  waiting.postMessage({ type: 'SKIP_WAITING' });
}
