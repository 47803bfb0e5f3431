/** The app's UI kit: components, the action helper, readable errors, formatting, files. @module */

export { type Action, createAction } from './action.ts';
export { Button, type ButtonProps } from './Button.tsx';
export { CopyText } from './CopyText.tsx';
export { readFileBytes, saveBytes } from './download.ts';
export { ErrorNote } from './ErrorNote.tsx';
export { describeError, type ErrorDescription } from './errors.ts';
export { Field, fieldId } from './Field.tsx';
export { formatBytes, formatTime, shortCid } from './format.ts';
export { NameConfirmField } from './NameConfirmField.tsx';
export { NodeButton } from './NodeButton.tsx';
export { Card, Page } from './Page.tsx';
export { Progress } from './Progress.tsx';
export { SecretValue } from './SecretValue.tsx';
