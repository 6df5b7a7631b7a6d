import { Navigate } from 'react-router';
import { useAbilities } from '../api/auth';

/** Sends each role to the first area it may use (knowledge editors have no ticket queues). */
export function HomeRedirect() {
  const can = useAbilities();
  const to = can('tickets.list') ? '/tickets' : can('kb.read') ? '/knowledge' : '/profile';
  return <Navigate to={to} replace />;
}
