/** The app's entry point (index.html loads it): styles, the order kinds, then the app in #root. @module */
// First: a provider's sign-in answer (?code=&state=) leaves the address before the router reads it.
import './claim/sign-in-return.ts';
// Then the app worker starts, before the modules below are evaluated (shell/start-first.ts).
import './shell/start-first.ts';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { registerOrderKinds } from './shell/order-kinds.ts';
import './ui/styles.css';
import './ui/layout.css';

registerOrderKinds();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
root.textContent = '';
render(() => <App />, root);
