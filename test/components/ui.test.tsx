/**
 * The UI kit's behaviour: a busy button cannot be pressed twice and says so to screen readers; an action runs
 * one step at a time and keeps its error for the view; an error note shows a readable sentence with the
 * technical detail behind a disclosure, and its buttons act.
 */
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { InputError, NodeApiError, NodeUnreachableError } from '../../src/app/api/errors.ts';
import { Button, createAction, describeError, ErrorNote } from '../../src/app/ui/index.ts';

describe('Button', () => {
  it('while busy: disabled, aria-busy, a spinner; clicks do nothing', () => {
    const [busy, setBusy] = createSignal(true);
    let clicks = 0;
    render(() => (
      <Button busy={busy()} onClick={() => clicks++}>
        Save
      </Button>
    ));
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).toHaveProperty('disabled', true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.querySelector('.spinner')).not.toBeNull();
    fireEvent.click(button);
    expect(clicks).toBe(0);
    setBusy(false);
    expect(button).toHaveProperty('disabled', false);
    expect(button.getAttribute('aria-busy')).toBeNull();
    fireEvent.click(button);
    expect(clicks).toBe(1);
  });

  it('is type="button" unless told otherwise, so it never submits a form by accident', () => {
    render(() => (
      <form>
        <Button>Plain</Button>
        <Button type="submit">Send</Button>
      </form>
    ));
    expect(screen.getByRole('button', { name: 'Plain' }).getAttribute('type')).toBe('button');
    expect(screen.getByRole('button', { name: 'Send' }).getAttribute('type')).toBe('submit');
  });
});

describe('createAction', () => {
  it('runs one step at a time: a second run while pending is ignored', async () => {
    let started = 0;
    let finish!: () => void;
    const action = createAction(() => {
      started++;
      return new Promise<string>((r) => {
        finish = () => r('done');
      });
    });
    const first = action.run();
    expect(action.pending()).toBe(true);
    await expect(action.run()).resolves.toBeUndefined();
    expect(started).toBe(1);
    finish();
    await expect(first).resolves.toBe('done');
    expect(action.pending()).toBe(false);
  });

  it('keeps what the step threw for the view, and clears it on the next run or on clear()', async () => {
    let fail = true;
    const action = createAction(async () => {
      if (fail) throw new RangeError('out of range');
      return 1;
    });
    await expect(action.run()).resolves.toBeUndefined();
    expect(action.error()).toBeInstanceOf(RangeError);
    action.clear();
    expect(action.error()).toBeUndefined();
    await action.run();
    fail = false;
    await expect(action.run()).resolves.toBe(1);
    expect(action.error()).toBeUndefined();
  });
});

describe('ErrorNote', () => {
  it('shows the readable sentence as an alert, the error name and message only under Details', () => {
    const e = new Error('the node refused');
    e.name = 'SignatureError';
    render(() => <ErrorNote error={e} />);
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-error')).toBe('SignatureError');
    expect(alert.querySelector('.error-message')!.textContent).toBe(
      'A signature did not verify: the data was not signed by who it claims.',
    );
    expect(alert.querySelector('details code')!.textContent).toBe('SignatureError: the node refused');
    expect(alert.querySelector('details')!.hasAttribute('open')).toBe(false);
  });

  it('offers Try again and Dismiss only when given, and calls them', () => {
    let retried = 0;
    let dismissed = 0;
    const { unmount } = render(() => <ErrorNote error={new Error('x')} />);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Dismiss' })).toBeNull();
    unmount();
    render(() => <ErrorNote error={new Error('x')} onRetry={() => retried++} onDismiss={() => dismissed++} />);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect([retried, dismissed]).toEqual([1, 1]);
  });

  it('a thrown plain object (as a worker error may arrive) still reads as a sentence', () => {
    render(() => <ErrorNote error={{ name: 'VaultLockedError', message: 'locked' }} />);
    expect(screen.getByRole('alert').querySelector('.error-message')!.textContent).toBe('Unlock your identity first.');
  });
});

describe('describeError', () => {
  it("the data modules' errors: what failed, then their own sentence; the name and message as the detail", () => {
    expect(describeError(new NodeApiError(409, 'replay', 'used before'))).toEqual({
      message: 'Already submitted: used before',
      detail: 'NodeApiError: used before',
    });
    expect(describeError(new NodeApiError(418, 'teapot', '')).message).toBe('The node refused (teapot): HTTP 418');
    expect(describeError(new NodeUnreachableError('http://n', 'offline', true)).message).toBe(
      'The node did not answer in time: offline',
    );
    expect(describeError(new NodeUnreachableError('http://n', 'refused')).message).toBe(
      'Could not reach the node: refused',
    );
    expect(describeError(new InputError('url', 'not a URL')).message).toBe('Please check the form: not a URL');
  });
});
