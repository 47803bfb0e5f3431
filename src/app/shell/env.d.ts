// Types of what Vite provides to the app: import.meta.env, asset imports, and vite-plugin-pwa's virtual
// registration module for Solid.
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/solid" />
