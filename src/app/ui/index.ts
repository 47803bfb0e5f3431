/** The app's UI kit: components, the action helper, readable errors, formatting, files. @module */
export { Button, type ButtonProps } from './Button.tsx';
export { Progress } from './Progress.tsx';
export { ErrorNote } from './ErrorNote.tsx';
export { Field, fieldId } from './Field.tsx';
export { Page, Card } from './Page.tsx';
export { CopyText } from './CopyText.tsx';
export { createAction, type Action } from './action.ts';
export { describeError, type ErrorDescriber, type ErrorDescription } from './errors.ts';
export { shortCid, formatTime, formatBytes } from './format.ts';
export { saveBytes, readFileBytes } from './download.ts';
