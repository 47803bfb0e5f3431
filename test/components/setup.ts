// Each test starts from an empty document: what one test rendered is removed after it.
import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

afterEach(cleanup);
