/**
 * Keys on the device: the identity screens (create, unlock, passkey, backup export and import), the vault
 * store, and RequireIdentity for feature screens that need an unlocked identity.
 * @module
 */
import type { AppRoute } from '../shell/router.ts';
import { BackupPage } from './BackupPage.tsx';
import { ImportPage } from './ImportPage.tsx';
import { KeysPage } from './KeysPage.tsx';

export { IdentityGate } from './IdentityGate.tsx';
export type { VaultStore } from './store.ts';

export const routes: AppRoute[] = [
  { path: '/keys', title: 'Identity', component: KeysPage },
  { path: '/keys/backup', title: 'Export a backup', component: BackupPage, nav: false },
  { path: '/keys/import', title: 'Import a backup', component: ImportPage, nav: false },
];
