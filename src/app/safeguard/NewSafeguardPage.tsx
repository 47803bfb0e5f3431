/**
 * Safeguarding a secret: type it or have the node generate it, name the beneficiary (you, or another
 * identity by its CID, typed or read from its QR code), choose the node. The node's signed reply commits to the secret; the app checks it.
 * @module
 */
import { type Component, createResource, createSignal, onCleanup, Show } from 'solid-js';
import { utf8 } from '../../core/bytes.ts';
import { MAX_GENERATE, MAX_LABEL, MIN_GENERATE } from '../../plugins/safeguard/schema.ts';
import { useFlows } from '../api/use.ts';
import { providersTrustedBy } from '../claim/issuers.ts';
import { IdentityGate } from '../keys/index.tsx';
import { NodeSelect } from '../nodes/NodeSelect.tsx';
import { type Beneficiary, BeneficiaryCidField, BeneficiaryFieldset } from '../orders/BeneficiaryFieldset.tsx';
import { ConditionsFieldset } from '../orders/conditions/ConditionsFieldset.tsx';
import { type ConditionsChoice, conditionsOfChoice, NO_CONDITIONS } from '../orders/conditions/choice.ts';
import { navigate } from '../shell/router.ts';
import { Card, createAction, ErrorNote, Field, fieldId, NodeButton, Page, Progress } from '../ui/index.ts';
import { orderSafeguard } from './flow.ts';

export const NewSafeguardPage: Component = () => {
  const deps = useFlows();
  const [node, setNode] = createSignal('');
  const [mode, setMode] = createSignal<'type' | 'generate'>('type');
  const [secret, setSecret] = createSignal('');
  const [size, setSize] = createSignal(32);
  const [who, setWho] = createSignal<Beneficiary>('me');
  const [beneficiary, setBeneficiary] = createSignal('');
  const [label, setLabel] = createSignal('');
  const [conditions, setConditions] = createSignal<ConditionsChoice>(NO_CONDITIONS);
  // The providers the chosen node trusts, for "Release to whoever signs in as … at …".
  const [providers] = createResource(
    () => node() || false,
    (url) => providersTrustedBy([url]),
  );
  onCleanup(() => setSecret(''));
  const ids = {
    secret: fieldId('secret'),
    size: fieldId('size'),
    label: fieldId('label'),
  };
  const submit = createAction(async () => {
    const chosen = conditionsOfChoice(conditions());
    const placed = await orderSafeguard(deps, {
      node: node(),
      // Released to whoever signs in: the order names its principal, the nodes check the sign-in (docs/protocol.md).
      beneficiary: who() === 'me' || chosen?.oidc ? 'me' : beneficiary(),
      ...(mode() === 'type' ? { secret: utf8(secret()) } : { generate: size() }),
      ...(label().trim() ? { label: label() } : {}),
      ...(chosen ? { conditions: chosen } : {}),
    });
    setSecret('');
    navigate(`/orders/${placed.order.id}`);
  });
  return (
    <Page
      title="Safeguard a secret"
      intro="A node you trust keeps the secret, sealed, and gives it only to the beneficiary."
    >
      <IdentityGate>
        <Card>
          <form
            class="stack"
            aria-label="Safeguard a secret"
            onSubmit={(e) => {
              e.preventDefault();
              void submit.run();
            }}
          >
            <NodeSelect plugin="safeguard" value={node()} onChange={setNode} testid="safeguard-node" />
            <fieldset class="stack">
              <legend>Secret</legend>
              <label>
                <input
                  type="radio"
                  name="mode"
                  checked={mode() === 'type'}
                  onChange={() => setMode('type')}
                  data-testid="secret-mode-type"
                />{' '}
                Type it
              </label>
              <label>
                <input
                  type="radio"
                  name="mode"
                  checked={mode() === 'generate'}
                  onChange={() => setMode('generate')}
                  data-testid="secret-mode-generate"
                />{' '}
                Let the node generate it
              </label>
              <Show
                when={mode() === 'type'}
                fallback={
                  <Field label="Size in bytes" for={ids.size}>
                    <input
                      id={ids.size}
                      type="number"
                      min={MIN_GENERATE}
                      max={MAX_GENERATE}
                      value={size()}
                      onInput={(e) => setSize(Number(e.currentTarget.value))}
                      data-testid="secret-size"
                    />
                  </Field>
                }
              >
                <Field label="Secret" for={ids.secret} hint="Sent sealed to the node; not stored on this device.">
                  <textarea
                    id={ids.secret}
                    rows={3}
                    value={secret()}
                    onInput={(e) => setSecret(e.currentTarget.value)}
                    autocomplete="off"
                    spellcheck={false}
                    data-testid="secret-input"
                  />
                </Field>
              </Show>
            </fieldset>
            <BeneficiaryFieldset who={who()} onWho={setWho} prefix="">
              <BeneficiaryCidField
                value={beneficiary()}
                onValue={setBeneficiary}
                prefix=""
                hint="From their Identity page: copy it, or scan its QR code. They must have added this node (that registers them)."
              />
            </BeneficiaryFieldset>
            <ConditionsFieldset
              value={conditions()}
              onChange={setConditions}
              prefix=""
              providers={providers.latest ?? []}
            />
            <Field label="Label (optional)" for={ids.label} hint="Visible to the node and the beneficiary.">
              <input
                id={ids.label}
                maxlength={MAX_LABEL}
                value={label()}
                onInput={(e) => setLabel(e.currentTarget.value)}
                data-testid="secret-label"
              />
            </Field>
            <NodeButton
              type="submit"
              variant="primary"
              busy={submit.pending()}
              disabled={!node() || (mode() === 'type' && !secret())}
              data-testid="safeguard-submit"
            >
              Safeguard
            </NodeButton>
            <Show when={submit.pending()}>
              <Progress label="Sealing the order to the node, sending it and checking its signed reply…" />
            </Show>
            <Show when={submit.error()}>
              <ErrorNote error={submit.error()} onDismiss={submit.clear} />
            </Show>
          </form>
        </Card>
      </IdentityGate>
    </Page>
  );
};
