/**
 * On the Identity page, when the browser refused to keep this app's storage: what that means for the keys and
 * what to do, with a button to ask again (browsers grant it more readily to an installed app).
 * @module
 */
import { type Component, createResource, Show } from 'solid-js';
import '../shell/first-run.css';
import { persistence, requestPersistence } from '../shell/first-run.ts';
import { Button, createAction } from '../ui/index.ts';

export const PersistenceWarning: Component = () => {
  const [state, { mutate }] = createResource(persistence);
  const ask = createAction(async () => mutate(await requestPersistence()));
  return (
    <Show when={state() === 'refused'}>
      <div class="warning-note" role="status" data-testid="persistence-warning">
        <p>
          <strong>This browser may delete your keys.</strong> It did not agree to keep this app's storage, so when the
          device runs low on space it can erase it, identity included. Keep a backup file of your identity somewhere
          else; installing the app usually makes the browser keep its data.
        </p>
        <Button busy={ask.pending()} onClick={() => void ask.run()}>
          Ask the browser again
        </Button>
      </div>
    </Show>
  );
};
