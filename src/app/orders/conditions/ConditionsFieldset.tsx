/**
 * The order forms' release conditions, in plain words: "Release only if I don't check in for [90] days" (a dead
 * man's switch), "Not before [date]", and, where the app knows providers the nodes trust, "Release to whoever signs
 * in as [email] at [provider]". Nothing chosen: the beneficiary may retrieve at once, as before. `prefix` keeps
 * each form's ids apart.
 * @module
 */
import { type Component, For, Show } from 'solid-js';
import { Field, fieldId } from '../../ui/index.ts';
import { type ConditionsChoice, MAX_CHECK_IN_DAYS } from './choice.ts';

/** A provider the nodes trust, as GET /v1/oidc/issuers names it. */
export interface OidcProvider {
  readonly issuer: string;
  readonly name: string;
}

export const ConditionsFieldset: Component<{
  readonly value: ConditionsChoice;
  readonly onChange: (value: ConditionsChoice) => void;
  readonly prefix: string;
  /** Providers for an OpenID Connect beneficiary; none: that choice is not offered. */
  readonly providers?: readonly OidcProvider[];
}> = (props) => {
  const ids = { days: fieldId('check-in-days'), date: fieldId('not-before'), email: fieldId('oidc-email') };
  const set = (change: Partial<ConditionsChoice>) => props.onChange({ ...props.value, ...change });
  const box = (key: 'checkIn' | 'notBefore' | 'oidc', testid: string, text: string) => (
    <label>
      <input
        type="checkbox"
        checked={props.value[key]}
        onChange={(e) => set({ [key]: e.currentTarget.checked })}
        data-testid={`${props.prefix}${testid}`}
      />{' '}
      {text}
    </label>
  );
  return (
    <fieldset class="stack" data-testid={`${props.prefix}conditions`}>
      <legend>Release conditions (optional)</legend>
      {box('checkIn', 'condition-check-in', "Release only if I don't check in for a while")}
      <Show when={props.value.checkIn}>
        <Field
          label="Days without a check-in"
          for={ids.days}
          hint="Each check-in in this app starts the count again; you can also cancel the release outright."
        >
          <input
            id={ids.days}
            type="number"
            min={1}
            max={MAX_CHECK_IN_DAYS}
            value={props.value.days}
            onInput={(e) => set({ days: Number(e.currentTarget.value) })}
            data-testid={`${props.prefix}check-in-days`}
          />
        </Field>
      </Show>
      {box('notBefore', 'condition-not-before', 'Not before a date')}
      <Show when={props.value.notBefore}>
        <Field label="Not before" for={ids.date} hint="By the nodes' clocks, from the start of that day here.">
          <input
            id={ids.date}
            type="date"
            value={props.value.date}
            onInput={(e) => set({ date: e.currentTarget.value })}
            data-testid={`${props.prefix}not-before-date`}
          />
        </Field>
      </Show>
      <Show when={(props.providers ?? []).length > 0}>
        {box('oidc', 'condition-oidc', 'Release to whoever signs in with an account')}
        <Show when={props.value.oidc}>
          <Field label="Email address they sign in as" for={ids.email}>
            <input
              id={ids.email}
              type="email"
              autocomplete="off"
              value={props.value.email}
              onInput={(e) => set({ email: e.currentTarget.value })}
              data-testid={`${props.prefix}oidc-email`}
            />
          </Field>
          <fieldset class="stack">
            <legend>At</legend>
            <For each={props.providers}>
              {(p) => (
                <label>
                  <input
                    type="radio"
                    name={`${props.prefix}oidc-issuer`}
                    checked={props.value.issuer === p.issuer}
                    onChange={() => set({ issuer: p.issuer })}
                    data-testid={`${props.prefix}oidc-issuer`}
                  />{' '}
                  {p.name}
                </label>
              )}
            </For>
          </fieldset>
        </Show>
      </Show>
    </fieldset>
  );
};
