import { TicketsPage } from './console/TicketsPage';
import { NewTicketPage } from './new/NewTicketPage';
import { TicketPage } from './detail/TicketPage';

/** Route modules for `lazy` in router.tsx: one chunk for the tickets area. */
export const consoleRoute = { Component: TicketsPage };
export const newTicketRoute = { Component: NewTicketPage };
export const ticketRoute = { Component: TicketPage };
