/** Saving bytes as a file the user downloads, and reading a file the user picked. @module */

export function saveBytes(fileName: string, bytes: Uint8Array, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function readFileBytes(file: Blob, maxBytes: number): Promise<Uint8Array> {
  if (file.size > maxBytes) throw new RangeError(`the file is too large (${file.size} bytes, at most ${maxBytes})`);
  return new Uint8Array(await file.arrayBuffer());
}
