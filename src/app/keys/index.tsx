/**
 * Keys on the device: the identity screens (create, unlock, passkey, backup export and import), the vault
 * store, and RequireIdentity for feature screens that need an unlocked identity.
 * @module
 */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';

export { IdentityGate } from './IdentityGate.tsx';
export type { VaultStore } from './store.ts';

const BackupPage = lazyNamed(() => import('./BackupPage.tsx'), 'BackupPage');
const ImportPage = lazyNamed(() => import('./ImportPage.tsx'), 'ImportPage');
const KeysPage = lazyNamed(() => import('./KeysPage.tsx'), 'KeysPage');

export const routes: AppRoute[] = [
  { path: '/keys', title: 'Identity', component: KeysPage },
  { path: '/keys/backup', title: 'Export a backup', component: BackupPage, nav: false },
  { path: '/keys/import', title: 'Import a backup', component: ImportPage, nav: false },
];
