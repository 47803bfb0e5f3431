// Placeholder from the shell until this feature's screens exist: no routes yet.
import type { AppRoute } from '../shell/router.ts';

export const routes: AppRoute[] = [];
