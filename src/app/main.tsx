/** The app's entry point (index.html loads it): styles, then the app in #root. @module */
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
root.textContent = '';
render(() => <App />, root);
