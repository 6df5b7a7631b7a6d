import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { fetchAll } from './list';
import { queryClient } from './queryClient';

export type AttachmentVisibility = 'public' | 'internal';

/** A stored file on a ticket or in an article (type detected by the server from the content). */
export interface Attachment {
  id: string;
  ticketId: string | null;
  articleId: string | null;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  visibility: AttachmentVisibility;
  uploadedBy: { kind: 'user' | 'customer' | 'system'; id: string | null; name: string | null };
  createdAt: string;
  /** Same-origin download URL. */
  url: string;
}

/** What a timeline entry carries about a file (`data.attachment`, `data.attachments`). */
export interface AttachmentRef {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  visibility: AttachmentVisibility;
}

export interface ArticleImage extends Attachment {
  markdown: string;
}

export interface AttachmentSettings {
  maxFileBytes: number;
  maxImageBytes: number;
  allowedTypes: string[];
}

export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}/content`;

const formOf = (file: File, fields: Record<string, string> = {}) => {
  const form = new FormData();
  // Text fields first, then the file (the server reads either order).
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file, file.name);
  return form;
};

export const ticketAttachmentsQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ['tickets', 'attachments', ticketId],
    queryFn: ({ signal }) =>
      fetchAll<Attachment>(`/api/v1/tickets/${ticketId}/attachments`, signal),
  });

export function useTicketAttachments(ticketId: string) {
  return useQuery(ticketAttachmentsQuery(ticketId));
}

export function useUploadTicketAttachment() {
  return useMutation({
    mutationFn: (input: { ticketId: string; file: File; visibility: AttachmentVisibility }) =>
      apiFetch<DataResponse<Attachment>>(`/api/v1/tickets/${input.ticketId}/attachments`, {
        method: 'POST',
        body: formOf(input.file, { visibility: input.visibility }),
      }).then((r) => r.data),
    onSuccess: (_data, input) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'attachments', input.ticketId] });
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'timeline', input.ticketId] });
    },
  });
}

export function useUploadArticleImage() {
  return useMutation({
    mutationFn: (input: { articleId: string; file: File }) =>
      apiFetch<DataResponse<ArticleImage>>(`/api/v1/kb/articles/${input.articleId}/images`, {
        method: 'POST',
        body: formOf(input.file),
      }).then((r) => r.data),
  });
}

export const attachmentSettingsQuery = queryOptions({
  queryKey: ['attachment-settings'],
  queryFn: ({ signal }) =>
    apiFetch<DataResponse<AttachmentSettings>>('/api/v1/attachment-settings', { signal }).then(
      (r) => r.data,
    ),
  staleTime: 5 * 60_000,
});

export function useAttachmentSettings() {
  return useQuery(attachmentSettingsQuery);
}
