import { TicketsPage } from './console/TicketsPage';
import { NewTicketPage } from './new/NewTicketPage';
import { TicketPage } from './detail/TicketPage';
import { ConfirmPage } from '../portal/ConfirmPage';
import { LookupPage } from '../portal/LookupPage';

/** Route modules for `lazy` in router.tsx: one chunk for the tickets area and the portal. */
export const consoleRoute = { Component: TicketsPage };
export const newTicketRoute = { Component: NewTicketPage };
export const ticketRoute = { Component: TicketPage };
export const confirmRoute = { Component: ConfirmPage };
export const lookupRoute = { Component: LookupPage };
