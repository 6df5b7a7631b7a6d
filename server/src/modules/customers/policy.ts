import { definePermission, hasAnyRole } from '../../access/permissions.js';

/** Everyone who works tickets reads and registers customers; QA inspectors read (masked). */
export const customersPolicy = {
  list: definePermission(
    'customers.list',
    'customers:read',
    hasAnyRole('agent', 'supervisor', 'specialist', 'admin', 'qa_inspector'),
  ),
  read: definePermission(
    'customers.read',
    'customers:read',
    hasAnyRole('agent', 'supervisor', 'specialist', 'admin', 'qa_inspector'),
  ),
  create: definePermission(
    'customers.create',
    'customers:write',
    hasAnyRole('agent', 'supervisor', 'specialist', 'admin'),
  ),
  update: definePermission(
    'customers.update',
    'customers:write',
    hasAnyRole('agent', 'supervisor', 'specialist', 'admin'),
  ),
  /** Merging duplicates moves tickets and accounts between customers: supervisors and admins. */
  merge: definePermission('customers.merge', 'customers:write', hasAnyRole('supervisor', 'admin')),
};
