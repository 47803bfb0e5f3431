/**
 * Who an order is for: "me" or "another identity", and what names the other one (its identity CID, or a key card
 * for Bitcoin) shown only when "another identity" is chosen. The order pages share it so the radios, their names
 * and test ids stay alike; `prefix` keeps each page's ids apart (`custody-`, `bitcoin-`, or none for safeguard).
 * @module
 */
import { type Component, type JSX, Show } from 'solid-js';
import { QrScan, readIdentityPayload } from '../qr/index.ts';
import { Field, fieldId } from '../ui/index.ts';

export type Beneficiary = 'me' | 'other';

export const BeneficiaryFieldset: Component<{
  readonly who: Beneficiary;
  readonly onWho: (who: Beneficiary) => void;
  readonly prefix: string;
  /** What names the other identity; shown while "Another identity" is chosen. */
  readonly children: JSX.Element;
}> = (props) => {
  const radio = (value: Beneficiary, text: string) => (
    <label>
      <input
        type="radio"
        name={`${props.prefix}who`}
        checked={props.who === value}
        onChange={() => props.onWho(value)}
        data-testid={`${props.prefix}beneficiary-${value}`}
      />{' '}
      {text}
    </label>
  );
  return (
    <fieldset class="stack">
      <legend>Beneficiary</legend>
      {radio('me', 'Me')}
      {radio('other', 'Another identity')}
      <Show when={props.who === 'other'}>{props.children}</Show>
    </fieldset>
  );
};

/** The other identity's CID, typed, pasted or read from its QR code. */
export const BeneficiaryCidField: Component<{
  readonly value: string;
  readonly onValue: (cid: string) => void;
  readonly prefix: string;
  readonly hint: string;
}> = (props) => {
  const id = fieldId('beneficiary');
  return (
    <>
      <Field label="Beneficiary's identity CID" for={id} hint={props.hint}>
        <input
          id={id}
          class="mono"
          value={props.value}
          onInput={(e) => props.onValue(e.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          data-testid={`${props.prefix}beneficiary-cid`}
        />
      </Field>
      <QrScan
        what="identity"
        testid={`${props.prefix}beneficiary-scan`}
        onText={(text) => props.onValue(readIdentityPayload(text))}
      />
    </>
  );
};
