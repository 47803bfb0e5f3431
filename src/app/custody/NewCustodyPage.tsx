/**
 * Ordering threshold custody: choose n of the nodes you added and t (a majority by default: 2 of 3), the
 * beneficiary (you, or another identity by its CID or QR code) and the secret. The worker deals it t-of-n and
 * sends every node its share in parallel; each node's progress shows here, then the group's page opens.
 * @module
 */
import { type Component, createEffect, createResource, createSignal, on, onCleanup, Show } from 'solid-js';
import { utf8, wipe } from '../../core/bytes.ts';
import { useFlows } from '../api/use.ts';
import { providersTrustedBy } from '../claim/issuers.ts';
import { IdentityGate } from '../keys/index.tsx';
import { nodesStoreOf } from '../nodes/store.ts';
import { type Beneficiary, BeneficiaryCidField, BeneficiaryFieldset } from '../orders/BeneficiaryFieldset.tsx';
import { ConditionsFieldset } from '../orders/conditions/ConditionsFieldset.tsx';
import { type ConditionsChoice, conditionsOfChoice, NO_CONDITIONS } from '../orders/conditions/choice.ts';
import { href, navigate } from '../shell/router.ts';
import { Card, createAction, ErrorNote, Field, fieldId, NodeButton, Page } from '../ui/index.ts';
import { orderCustody } from './flow.ts';
import { NodeChoice } from './NodeChoice.tsx';
import { NodeProgressList, type ProgressRow } from './NodeProgressList.tsx';
import { defaultThreshold, explainThreshold } from './threshold.ts';

export const NewCustodyPage: Component = () => {
  const deps = useFlows();
  const [nodes, setNodes] = createSignal<string[]>([]);
  const [t, setT] = createSignal(1);
  const [who, setWho] = createSignal<Beneficiary>('me');
  const [beneficiary, setBeneficiary] = createSignal('');
  const [secret, setSecret] = createSignal('');
  const [label, setLabel] = createSignal('');
  const [rows, setRows] = createSignal<ProgressRow[]>([]);
  const [conditions, setConditions] = createSignal<ConditionsChoice>(NO_CONDITIONS);
  // The providers every chosen node trusts, for "Release to whoever signs in as … at …".
  const [providers] = createResource(nodes, providersTrustedBy);
  onCleanup(() => setSecret(''));
  // A new choice of nodes proposes a majority again.
  createEffect(
    on(
      () => nodes().length,
      (n) => setT(defaultThreshold(n)),
    ),
  );
  const ids = {
    t: fieldId('threshold'),
    secret: fieldId('secret'),
    label: fieldId('label'),
  };
  const submit = createAction(async () => {
    const chosen = conditionsOfChoice(conditions());
    const store = nodesStoreOf(deps);
    const named = (url: string) => store.nodes().find((n) => n.url === url)?.name ?? url;
    setRows(nodes().map((url, i) => ({ index: i + 1, name: named(url), url, state: 'sealing' })));
    const bytes = utf8(secret());
    const order = await orderCustody(
      deps,
      {
        nodes: nodes(),
        t: t(),
        // Released to whoever signs in: the group names its principal, the nodes check the sign-in.
        beneficiary: who() === 'me' || chosen?.oidc ? 'me' : beneficiary(),
        secret: bytes,
        ...(label().trim() ? { label: label() } : {}),
        ...(chosen ? { conditions: chosen } : {}),
      },
      (p) =>
        setRows((all) =>
          all.map((r) =>
            r.index !== p.index
              ? r
              : {
                  ...r,
                  state: p.state === 'committed' ? 'holds' : p.state,
                  ...('reason' in p ? { reason: p.reason } : {}),
                },
          ),
        ),
    ).finally(() => wipe(bytes));
    setSecret('');
    navigate(`/orders/${order.id}`);
  });
  return (
    <Page
      title="Threshold custody"
      intro="Several nodes keep the secret together: each holds one share, any t give it back, fewer learn nothing."
    >
      <p class="small">
        Named beneficiary of a group?{' '}
        <a href={href('/custody/add')} data-testid="custody-add-link">
          Add it here
        </a>
        .
      </p>
      <IdentityGate>
        <Card>
          <form
            class="stack"
            aria-label="Threshold custody"
            onSubmit={(e) => {
              e.preventDefault();
              void submit.run();
            }}
          >
            <NodeChoice chosen={nodes()} onChange={setNodes} />
            <Field label="Threshold t" for={ids.t} hint={explainThreshold(t(), Math.max(nodes().length, t()))}>
              <input
                id={ids.t}
                type="number"
                min={1}
                max={Math.max(1, nodes().length)}
                value={t()}
                onInput={(e) => setT(Number(e.currentTarget.value))}
                data-testid="custody-threshold"
              />
            </Field>
            <p class="small" data-testid="custody-t-of-n">
              {t()} of {nodes().length} nodes
            </p>
            <BeneficiaryFieldset who={who()} onWho={setWho} prefix="custody-">
              <BeneficiaryCidField
                value={beneficiary()}
                onValue={setBeneficiary}
                prefix="custody-"
                hint="From their Identity page. They must have added one of these nodes (that registers them)."
              />
            </BeneficiaryFieldset>
            <Field label="Secret" for={ids.secret} hint="Encrypted once on this device; each node gets only its share.">
              <textarea
                id={ids.secret}
                rows={3}
                value={secret()}
                onInput={(e) => setSecret(e.currentTarget.value)}
                autocomplete="off"
                spellcheck={false}
                data-testid="custody-secret"
              />
            </Field>
            <ConditionsFieldset
              value={conditions()}
              onChange={setConditions}
              prefix="custody-"
              providers={providers.latest ?? []}
            />
            <Field label="Label (optional)" for={ids.label} hint="Visible to the nodes and the beneficiary.">
              <input
                id={ids.label}
                maxlength={128}
                value={label()}
                onInput={(e) => setLabel(e.currentTarget.value)}
                data-testid="custody-label"
              />
            </Field>
            <NodeButton
              type="submit"
              variant="primary"
              busy={submit.pending()}
              disabled={nodes().length === 0 || !secret()}
              data-testid="custody-submit"
            >
              Deal and send the shares
            </NodeButton>
            <Show when={rows().length > 0}>
              <NodeProgressList rows={rows()} testid="custody-order-progress" />
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
