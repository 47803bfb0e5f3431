/**
 * The QR components in a DOM: the code is drawn as an SVG with its text and a label for screen readers
 * (also when loaded lazily through the feature's index), and the scan control reports — next to its buttons,
 * readably — what it cannot do here: happy-dom has neither a camera nor image decoding, like a browser
 * without them. Reading real codes is the e2e suite's (camera and image) and test/app/qr-codes.test.ts's.
 */
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import encodeQR from 'qr';
import { Suspense } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { QrCode as LazyQrCode } from '../../src/app/qr/index.ts';
import { QrCode } from '../../src/app/qr/QrCode.tsx';
import { QrScan } from '../../src/app/qr/QrScan.tsx';

const TEXT = 'dta:identity:bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';

describe('QrCode', () => {
  it('draws an SVG code of the value, labelled, with the value kept in data-payload', () => {
    render(() => <QrCode value={TEXT} label="identity" testid="qr" />);
    const figure = screen.getByTestId('qr');
    expect(figure.getAttribute('data-payload')).toBe(TEXT);
    const img = screen.getByRole('img', { name: 'QR code of the identity' });
    const svg = img.querySelector('svg')!;
    expect(svg).not.toBeNull();
    // Medium error correction, and the standard 4-module quiet zone on each side.
    const side = encodeQR(TEXT, 'raw', { ecc: 'medium', border: 1 }).length - 2 + 8;
    expect(svg.getAttribute('viewBox')).toBe(`0 0 ${side} ${side}`);
    expect(svg.querySelector('path')!.getAttribute('d')!.length).toBeGreaterThan(100);
  });

  it('loads lazily through the qr index and then shows the same code', async () => {
    render(() => (
      <Suspense fallback={<p>loading</p>}>
        <LazyQrCode value={TEXT} label="identity" testid="lazy" />
      </Suspense>
    ));
    await waitFor(() => expect(screen.getByTestId('lazy').querySelector('svg')).not.toBeNull());
    expect(screen.getByTestId('lazy').getAttribute('data-payload')).toBe(TEXT);
  });
});

describe('QrScan', () => {
  const scan = (onText: (t: string) => void = () => undefined) =>
    render(() => <QrScan what="identity" testid="scan" onText={onText} />);

  it('offers both ways as buttons; the file input is hidden behind its button; no camera view yet', () => {
    scan();
    expect(screen.getByRole('button', { name: 'Scan with camera' }).getAttribute('data-testid')).toBe('scan-camera');
    expect(screen.getByRole('button', { name: 'Read from an image' }).getAttribute('data-testid')).toBe('scan-image');
    const file = screen.getByTestId('scan-file') as HTMLInputElement;
    expect(file.hidden).toBe(true);
    expect(file.accept).toBe('image/*');
    expect((screen.getByTestId('scan-video').parentElement as HTMLElement).hidden).toBe(true);
  });

  it('without a camera, says so readably and hands no text on', async () => {
    const got: string[] = [];
    scan((t) => got.push(t));
    fireEvent.click(screen.getByRole('button', { name: 'Scan with camera' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error')).toBe('QrError');
    expect(alert.querySelector('.error-message')!.textContent).toMatch(/camera/i);
    expect(got).toEqual([]);
    expect((screen.getByTestId('scan-video').parentElement as HTMLElement).hidden).toBe(true);
  });

  it('a file the browser cannot open as an image is refused readably', async () => {
    scan();
    const file = screen.getByTestId('scan-file') as HTMLInputElement;
    Object.defineProperty(file, 'files', { value: [new File(['not an image'], 'notes.txt', { type: 'text/plain' })] });
    fireEvent.change(file);
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('.error-message')!.textContent).toMatch(/not an image this browser can open/i);
  });
});
