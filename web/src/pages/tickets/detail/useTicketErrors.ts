import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { queryClient } from '../../../api/queryClient';
import { ticketsKey } from '../../../api/tickets';
import type { TicketStatus } from '../../../api/ticketTypes';
import { applyFieldErrors, useApiErrorHandler, useFieldMessage } from '../../../lib/errors';
import { useTicketLabels } from '../../../lib/ticketLabels';

interface ProblemLike {
  code?: string;
  detail?: string;
  title?: string;
  allowed?: unknown;
}

/** The user's wording of a ticket refusal (also for the per-ticket results of bulk actions). */
export function useTicketProblemText(): (problem: ProblemLike | undefined) => string {
  const { t, i18n } = useTranslation();
  const labels = useTicketLabels();
  return (problem) => {
    if (!problem) return t('errors.generic');
    if (problem.code === 'illegal_transition') {
      const allowed = Array.isArray(problem.allowed) ? (problem.allowed as TicketStatus[]) : [];
      return t('tickets.errors.illegalTransition', {
        allowed: allowed.map(labels.status).join(t('common.listSeparator')) || t('tickets.none'),
      });
    }
    if (problem.code === 'stale_version') return t('tickets.errors.stale');
    const key = `tickets.errors.${problem.code ?? ''}`;
    if (problem.code && i18n.exists(key)) return t(key);
    if (problem.code && i18n.exists(`errors.codes.${problem.code}`)) {
      return t(`errors.codes.${problem.code}`);
    }
    return problem.detail || problem.title || t('errors.generic');
  };
}

/**
 * Error handler for ticket writes: a stale version (412) says someone else changed the ticket
 * and reloads it; an illegal transition (409) names the allowed ones; anything else as usual.
 */
export function useTicketErrorHandler() {
  const { t, i18n } = useTranslation();
  const fieldMessage = useFieldMessage();
  const { message } = App.useApp();
  const describe = useTicketProblemText();
  const fallback = useApiErrorHandler();

  return (error: unknown, form?: FormInstance) => {
    if (isApiError(error)) {
      if (error.status === 412 || error.code === 'stale_version') {
        void message.warning(t('tickets.errors.stale'));
        void queryClient.invalidateQueries({ queryKey: ticketsKey });
        return;
      }
      if (error.code === 'illegal_transition') {
        void message.error(describe(error.problem));
        void queryClient.invalidateQueries({ queryKey: ticketsKey });
        return;
      }
      // Ticket refusals with their own wording (tickets.errors.<code>); field errors still
      // land on the form.
      if (error.code && i18n.exists(`tickets.errors.${error.code}`)) {
        if (form) applyFieldErrors(form, error, fieldMessage);
        void message.error(describe(error.problem));
        return;
      }
    }
    fallback(error, form);
  };
}
