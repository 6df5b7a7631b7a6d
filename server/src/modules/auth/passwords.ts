import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../../lib/problem.js';

/** argon2id (the library's default algorithm) with its recommended memory and time costs. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash to verify against when the account does not exist, so timing does not tell.
const DUMMY_HASH = hash('kefu-dummy-password-for-timing');

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 10;

/** The password policy; returns field errors for `field`, empty when acceptable. */
export function checkPasswordPolicy(
  password: string,
  email: string,
  field = 'password',
): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH)
    errors.push({
      path: field,
      message: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
      code: 'too_short',
    });
  if (password.toLowerCase() === email.toLowerCase())
    errors.push({
      path: field,
      message: 'must not be the same as the email address',
      code: 'same_as_email',
    });
  return errors;
}
