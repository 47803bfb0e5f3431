/** A long identifier (a CID, a fingerprint) shown whole, selectable, with a copy button. @module */
import { type Component, createSignal } from 'solid-js';

export const CopyText: Component<{ readonly value: string; readonly label: string }> = (props) => {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard permission: the text stays selectable.
    }
  };
  return (
    <span class="copy-text">
      <code class="mono" title={props.label}>
        {props.value}
      </code>
      <button type="button" class="btn btn-link" onClick={copy} aria-label={`Copy ${props.label}`}>
        {copied() ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
};
