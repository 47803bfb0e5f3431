/**
 * The footer's offline status: empty until the app is stored on the device, then "works offline" — in the
 * page flow (a paragraph, not a floating note) and announced politely.
 */
import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { OfflineStatus } from '../../src/app/pwa/OfflineStatus.tsx';
import { markStored } from '../../src/app/pwa/stored.ts';

describe('OfflineStatus', () => {
  it('says nothing until stored, then "works offline", as a polite status paragraph', () => {
    render(() => <OfflineStatus />);
    const status = screen.getByTestId('offline-status');
    expect(status.tagName).toBe('P');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.getAttribute('data-stored')).toBe('no');
    expect(status.textContent).toBe('');
    markStored();
    expect(status.getAttribute('data-stored')).toBe('yes');
    expect(status.textContent).toBe('works offline');
  });
});
