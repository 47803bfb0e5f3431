/**
 * The layout's components alone: a secret is masked (not in the DOM) until revealed, copied without being revealed,
 * a lazily handed-over secret is asked for only when needed (and stays masked when refused), and a warning shows with the revealed value only;
 * the navigation lists every section (tabs, and the rest in the "More" sheet, which opens, closes on Escape with
 * the focus back on "More", and closes on a choice).
 */
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Nav } from '../../src/app/shell/Nav.tsx';
import type { AppRoute } from '../../src/app/shell/router.ts';
import { SecretValue } from '../../src/app/ui/index.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('SecretValue', () => {
  it('masked by default: the value is not in the DOM; Reveal shows it with its warning, Hide masks it again', async () => {
    const { container } = render(() => (
      <SecretValue
        value="cVt4o7BGAig1UXywgGSmARhxMdzP5qvQsxKkSsc1XEkw3tDTQFpy"
        label="key"
        testid="k"
        warning="spend"
      />
    ));
    expect(container.textContent).not.toContain('cVt4o7');
    expect(screen.queryByTestId('k-warning')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reveal key' }));
    await flush();
    expect(screen.getByTestId('k').textContent).toBe('cVt4o7BGAig1UXywgGSmARhxMdzP5qvQsxKkSsc1XEkw3tDTQFpy');
    expect(screen.getByTestId('k-warning').textContent).toContain('spend');
    fireEvent.click(screen.getByRole('button', { name: 'Hide key' }));
    await flush();
    expect(container.textContent).not.toContain('cVt4o7');
    expect(screen.queryByTestId('k-warning')).toBeNull();
  });

  it('Copy puts the value on the clipboard without revealing it; a lazy value is asked for only then', async () => {
    let asked = 0;
    const load = async () => {
      asked++;
      return 'the door code is 4711';
    };
    const { container } = render(() => <SecretValue value={load} label="secret" testid="s" />);
    expect(asked).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Copy secret' }));
    await flush();
    await flush();
    expect(asked).toBe(1);
    expect(await navigator.clipboard.readText()).toBe('the door code is 4711');
    expect(container.textContent).not.toContain('4711');
    expect(screen.getByRole('status').textContent).toBe('Copied');
  });

  it('a lazy value the worker refuses (no fresh confirmation) stays masked, with the reason said', async () => {
    const refuse = async (): Promise<string> => {
      throw Object.assign(new Error('revealing the key needs a fresh confirmation'), { name: 'SecretBoundaryError' });
    };
    render(() => <SecretValue value={refuse} label="key" testid="r" warning="spend" />);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal key' }));
    await flush();
    await flush();
    expect(screen.queryByTestId('r')).toBeNull();
    expect(screen.queryByTestId('r-warning')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Revealing the key needs a fresh confirmation');
    expect(screen.getByRole('button', { name: 'Reveal key' })).toBeTruthy(); // still masked: Reveal, not Hide
  });
});

const page = () => <p>screen</p>;
const ROUTES: AppRoute[] = ['/', '/keys', '/nodes', '/orders', '/bitcoin', '/mpin', '/audit', '/about'].map((path) => ({
  path,
  title: path === '/' ? 'Home' : path.slice(1),
  component: page,
}));

describe('Nav', () => {
  it('lists every section: four tabs, the rest in the sheet "More" opens; Escape closes it onto "More"', async () => {
    render(() => <Nav routes={[...ROUTES, { path: '/orders/:id', title: 'Order', component: page }]} />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const hrefs = [...nav.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.sort()).toEqual(ROUTES.map((r) => `#${r.path}`).sort()); // a route with a parameter is not a section
    const tabs = [...nav.querySelectorAll('.nav-tabs a')].map((a) => a.getAttribute('href'));
    expect(tabs).toEqual(['#/', '#/keys', '#/nodes', '#/orders']);
    const more = screen.getByRole('button', { name: 'More' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(nav.getAttribute('data-open')).toBe('false');
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(nav.getAttribute('data-open')).toBe('true');
    expect(document.activeElement?.getAttribute('href')).toBe('#/bitcoin');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(more);
    fireEvent.click(more);
    fireEvent.click(nav.querySelector('a[href="#/audit"]')!);
    expect(more.getAttribute('aria-expanded')).toBe('false');
  });
});
