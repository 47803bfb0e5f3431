/**
 * Why a QR code could not be read: no camera, camera refused, nothing found in the image, a code that is not
 * what the field wants. The message is the sentence shown; it never repeats the code's content.
 * @module
 */
export class QrError extends Error {
  override name = 'QrError';
}
