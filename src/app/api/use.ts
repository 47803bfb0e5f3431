/** The flows' components for a view: from the app context (the worker API), one instance per app. @module */
import { useApp } from '../shell/context.tsx';
import { flowsDepsOf } from './app-deps.ts';
import type { FlowsDeps } from './deps.ts';

export function useFlows(): FlowsDeps {
  return flowsDepsOf(useApp().api);
}
