/** The app's entry point (index.html loads it): styles, the order kinds, then the app in #root. @module */
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
