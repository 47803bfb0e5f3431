/**
 * A QR code of `value`, drawn as SVG (crisp at any size, black on white with the standard quiet zone so
 * phone cameras read it from a screen). The text stays in `data-payload` and under the code for those
 * who copy instead of scan.
 * @module
 */
import encodeQR from 'qr';
import { type Component, createMemo } from 'solid-js';

/** Medium error correction: survives screen glare and a cropped corner; codes stay small for ~100 characters. */
const ECC = 'medium';
/** The quiet zone the QR standard asks for, in modules. */
const QUIET_ZONE = 4;

export const QrCode: Component<{ readonly value: string; readonly label: string; readonly testid?: string }> = (
  props,
) => {
  // The SVG is generated from the code's module matrix only (paths of squares), never from the text itself.
  const svg = createMemo(() => encodeQR(props.value, 'svg', { ecc: ECC, border: QUIET_ZONE }));
  return (
    <figure class="qr" data-testid={props.testid} data-payload={props.value}>
      <div class="qr-code" role="img" aria-label={`QR code of the ${props.label}`} innerHTML={svg()} />
      <figcaption class="small muted">Scan it in the dta app on another device.</figcaption>
    </figure>
  );
};
