/**
 * Reading a QR code into a form: "Scan with camera" (live video, cancellable, stops by itself) or "Read from
 * an image" (a photo or screenshot). The text goes to `onText`, which checks it is the kind of code the
 * field wants and throws a readable error if not; errors show here, next to the buttons.
 * @module
 */
import { type Component, createSignal, onCleanup, Show } from 'solid-js';
import { Button, createAction, ErrorNote, Progress } from '../ui/index.ts';
import { scanWithCamera } from './camera.ts';
import { readQrFile } from './read-image.ts';

export interface QrScanProps {
  /** What the code holds, for labels ("identity", "key card"). */
  readonly what: string;
  /** Prefix of the data-testids: `${testid}-camera`, `-file`, `-video`, `-cancel`. */
  readonly testid: string;
  /** Takes the code's text; throws (a readable error) when it is not what the field wants. */
  readonly onText: (text: string) => void;
}

export const QrScan: Component<QrScanProps> = (props) => {
  let video!: HTMLVideoElement;
  let fileInput!: HTMLInputElement;
  const [scanning, setScanning] = createSignal<AbortController>();
  const [done, setDone] = createSignal(false);
  const accept = (text: string) => {
    props.onText(text);
    setDone(true);
  };
  const camera = createAction(async () => {
    const stop = new AbortController();
    setScanning(stop);
    setDone(false);
    try {
      accept(await scanWithCamera(video, stop.signal));
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e; // cancelling is not an error worth showing
    } finally {
      setScanning(undefined);
    }
  });
  const image = createAction(async (file: File) => {
    setDone(false);
    accept(await readQrFile(file));
  });
  onCleanup(() => scanning()?.abort());
  return (
    <div class="stack qr-scan">
      <div class="row">
        <Button onClick={() => void camera.run()} busy={camera.pending()} data-testid={`${props.testid}-camera`}>
          Scan with camera
        </Button>
        <Button onClick={() => fileInput.click()} busy={image.pending()} data-testid={`${props.testid}-image`}>
          Read from an image
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          hidden
          data-testid={`${props.testid}-file`}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = ''; // the same file can be chosen again after a fix
            if (file) void image.run(file);
          }}
        />
      </div>
      <div class="qr-camera" hidden={!scanning()}>
        <video
          ref={video}
          muted
          playsinline
          aria-label={`Camera view: point it at the ${props.what} QR code`}
          data-testid={`${props.testid}-video`}
        />
        <Progress label={`Looking for the ${props.what} QR code…`} />
        <Button onClick={() => scanning()?.abort()} data-testid={`${props.testid}-cancel`}>
          Cancel
        </Button>
      </div>
      <Show when={done()}>
        <p class="success small" role="status">
          Read the {props.what} from its QR code.
        </p>
      </Show>
      <Show when={camera.error()}>
        <ErrorNote error={camera.error()} onDismiss={camera.clear} />
      </Show>
      <Show when={image.error()}>
        <ErrorNote error={image.error()} onDismiss={image.clear} />
      </Show>
    </div>
  );
};
