/**
 * Scanning with the camera: the back camera's video in a <video> element, a frame looked at every
 * FRAME_MS until a QR code is read, the person cancels, or SCAN_LIMIT_MS passes. The camera is released
 * in every case.
 * @module
 */
import { QrError } from './errors.ts';
import { findQr, pixelsOf } from './read-image.ts';

const FRAME_MS = 150;
/** A scan that finds nothing stops by itself (and says so) rather than keeping the camera on. */
const SCAN_LIMIT_MS = 120_000;

function cameraError(e: unknown): QrError {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new QrError('the camera was not allowed: allow it for this site, or read the QR code from an image');
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return new QrError('no camera was found: read the QR code from an image instead');
  if (name === 'NotReadableError') return new QrError('the camera is busy in another app');
  return new QrError('the camera could not be started: read the QR code from an image instead');
}

async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new QrError('this browser gives no camera to this page (it needs https or localhost)');
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (e) {
    throw cameraError(e);
  }
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Shows the camera in `video` and resolves with the first QR code's text; AbortError when `signal` aborts. */
export async function scanWithCamera(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  const stream = await openCamera();
  const canvas = document.createElement('canvas');
  try {
    video.srcObject = stream;
    await video.play();
    const deadline = Date.now() + SCAN_LIMIT_MS;
    while (!signal.aborted && Date.now() < deadline) {
      if (video.videoWidth > 0) {
        const text = await findQr(pixelsOf(video, video.videoWidth, video.videoHeight, canvas));
        if (text !== undefined) return text;
      }
      await pause(FRAME_MS, signal);
    }
    if (signal.aborted) throw new DOMException('scan cancelled', 'AbortError');
    throw new QrError('no QR code was seen: hold it steady, closer to the camera, and try again');
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
