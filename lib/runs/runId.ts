/** Run ids are random UUIDs: unguessable, and anything else in a URL is a 404, not a lookup. */
import { z } from 'zod';
import { AppError } from '../errors';

const uuid = z.uuid();

export const runIdSchema = {
  parse(value: string): string {
    if (!uuid.safeParse(value).success) throw new AppError('not_found:run', 'No such run.');
    return value.toLowerCase();
  },
};
