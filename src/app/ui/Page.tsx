/**
 * A screen: its heading (the focus target after navigation, so keyboard and screen-reader users land at
 * the top of the new screen) and content.
 * @module
 */
import { type JSX, type ParentComponent, Show } from 'solid-js';

export const Page: ParentComponent<{ readonly title: string; readonly intro?: JSX.Element }> = (props) => (
  <section class="page" aria-labelledby="page-title">
    <h1 id="page-title" tabindex="-1">
      {props.title}
    </h1>
    <Show when={props.intro}>
      <p class="intro">{props.intro}</p>
    </Show>
    {props.children}
  </section>
);

/** A titled block inside a page. */
export const Card: ParentComponent<{ readonly title?: string; readonly class?: string }> = (props) => (
  <div class={`card ${props.class ?? ''}`}>
    <Show when={props.title}>
      <h2>{props.title}</h2>
    </Show>
    {props.children}
  </div>
);
