import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import { apiFetch, type DataResponse } from './client';
import { cursorPaging } from './list';
import { queryClient } from './queryClient';

export type ArticleType =
  'faq' | 'sop' | 'standard' | 'script' | 'policy' | 'emergency_plan' | 'appendix';
export type Audience = 'internal' | 'all_customers' | 'tier:vip' | 'tier:regular' | 'tier:prospect';
export type VersionStatus =
  | 'draft'
  | 'submitted'
  | 'initial_review'
  | 'second_review'
  | 'final_approval'
  | 'published'
  | 'superseded';
export type KbAction =
  'edit' | 'submit' | 'approve' | 'reject' | 'withdraw' | 'publish' | 'request_revision';
export type KbLanguage = 'zh-CN' | 'en-US';

export const ARTICLE_TYPES: ArticleType[] = [
  'faq',
  'sop',
  'standard',
  'script',
  'policy',
  'emergency_plan',
  'appendix',
];
export const AUDIENCES: Audience[] = [
  'internal',
  'all_customers',
  'tier:vip',
  'tier:regular',
  'tier:prospect',
];

export interface KbCategory {
  id: string;
  parentId: string | null;
  name: string;
  description: string;
  position: number;
  reviewRoles: [string, string, string];
  reviewIntervalMonths: number;
  archived: boolean;
}

interface VersionRef {
  id: string;
  number: number;
  status: VersionStatus;
  title: string;
  audience: Audience;
}

export interface KbArticle {
  id: string;
  type: ArticleType;
  categoryId: string;
  language: KbLanguage;
  translations: { id: string; language: KbLanguage; title: string }[];
  tags: string[];
  title: string;
  status: VersionStatus;
  liveVersion: VersionRef | null;
  workingVersion: VersionRef | null;
  publishedAt: string | null;
  nextReviewAt: string | null;
  dueForReview: boolean;
  urgentRevision: boolean;
  urgentReason: string | null;
  /** Who acts next on the version in progress (role 'author' for a draft); null if none. */
  nextStep: {
    action: 'submit' | 'approve' | 'publish';
    step: 'initial_review' | 'second_review' | 'final_approval' | null;
    role: string;
  } | null;
  updatedAt: string;
}

export interface Phrases {
  forbidden: { phrase: string; suggestion: string }[];
  required: { phrase: string }[];
}

export interface KbVersion {
  id: string;
  articleId: string;
  number: number;
  status: VersionStatus;
  title: string;
  body: string;
  audience: Audience;
  phrases: Phrases;
  reason: string;
  authorName: string | null;
  approvals: { step: string; userName: string; at: string; comment: string }[];
  publishedAt: string | null;
  updatedAt: string;
  allowedActions: KbAction[];
}

export interface KbEvent {
  id: number;
  versionNumber: number | null;
  at: string;
  actorName: string | null;
  action: string;
  step: string | null;
  toStatus: string | null;
  comment: string;
}

export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  id: string;
  title: string;
  type: ArticleType;
  language: KbLanguage;
  categoryId: string;
  audience: Audience;
  snippet: SnippetPart[];
}

export interface DiffRow {
  kind: 'same' | 'add' | 'remove' | 'change';
  left: { line: number; text: string } | null;
  right: { line: number; text: string } | null;
}

export interface Comparison {
  rows: DiffRow[];
  added: number;
  removed: number;
}

export interface KbFeedback {
  id: string;
  articleId: string;
  articleTitle: string;
  source: 'agent' | 'customer';
  userName: string | null;
  helpful: boolean;
  comment: string;
  category: string | null;
  status: 'open' | 'answered' | 'revision_requested';
  answer: string | null;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
}

const base = '/api/v1/kb';
const get = <T>(path: string, query?: Record<string, string | number | undefined>) =>
  apiFetch<DataResponse<T>>(`${base}${path}`, { query }).then((r) => r.data);
const post = <T>(path: string, body: unknown) =>
  apiFetch<DataResponse<T>>(`${base}${path}`, { method: 'POST', body }).then((r) => r.data);

const invalidate = () => void queryClient.invalidateQueries({ queryKey: ['kb'] });

export const kbCategoriesQuery = queryOptions({
  queryKey: ['kb', 'categories'],
  queryFn: () => get<KbCategory[]>('/categories'),
});

export const useKbCategories = () => useQuery(kbCategoriesQuery);

export const kbArticlesQuery = (filters: Record<string, string | undefined>) =>
  infiniteQueryOptions({
    queryKey: ['kb', 'articles', filters],
    ...cursorPaging<KbArticle>(`${base}/articles`, filters),
  });

export const useKbArticles = (filters: Record<string, string | undefined>) =>
  useInfiniteQuery(kbArticlesQuery(filters));

export const useKbSearch = (q: string) =>
  useQuery({
    queryKey: ['kb', 'search', q],
    queryFn: () => get<SearchHit[]>('/search', { q, limit: 20 }),
    enabled: q.trim().length > 0,
  });

export const useKbArticle = (id: string) =>
  useQuery({ queryKey: ['kb', 'article', id], queryFn: () => get<KbArticle>(`/articles/${id}`) });

export const useKbVersions = (id: string) =>
  useQuery({
    queryKey: ['kb', 'versions', id],
    queryFn: () => get<KbVersion[]>(`/articles/${id}/versions`),
  });

export const useKbHistory = (id: string) =>
  useQuery({
    queryKey: ['kb', 'history', id],
    queryFn: () => get<KbEvent[]>(`/articles/${id}/history`),
  });

export const useKbCompare = (id: string, from?: number, to?: number) =>
  useQuery({
    queryKey: ['kb', 'compare', id, from, to],
    queryFn: () => get<Comparison>(`/articles/${id}/compare`, { from, to }),
    enabled: from !== undefined && to !== undefined && from !== to,
  });

/** Versions the signed-in user may approve or publish now (one list, no paging). */
export const kbAwaitingMeQuery = queryOptions({
  queryKey: ['kb', 'awaiting-me'],
  queryFn: () => get<KbArticle[]>('/articles', { awaitingMe: 'true', limit: 100 }),
});

export const useKbAwaitingMe = () => useQuery(kbAwaitingMeQuery);

export const dueForReviewQuery = queryOptions({
  queryKey: ['kb', 'due'],
  queryFn: () => get<KbArticle[]>('/due-for-review'),
});

export const useDueForReview = () => useQuery(dueForReviewQuery);

export const useKbFeedback = (status: string) =>
  useInfiniteQuery({
    queryKey: ['kb', 'feedback', status],
    ...cursorPaging<KbFeedback>(`${base}/feedback`, { status }),
  });

export interface NewArticle {
  type: ArticleType;
  categoryId: string;
  language: KbLanguage;
  title: string;
  audience: Audience;
  tags: string[];
}

export const useCreateArticle = () =>
  useMutation({
    mutationFn: (body: NewArticle) => post<KbArticle>('/articles', body),
    onSuccess: invalidate,
  });

export const useEditVersion = () =>
  useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id: string;
      title?: string;
      body?: string;
      audience?: Audience;
    }) => apiFetch<DataResponse<KbVersion>>(`${base}/versions/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });

export const useVersionAction = () =>
  useMutation({
    mutationFn: ({ id, action, comment }: { id: string; action: KbAction; comment: string }) =>
      post<KbVersion>(`/versions/${id}/actions`, { action, comment }),
    onSuccess: invalidate,
  });

export const useRequestRevision = () =>
  useMutation({
    mutationFn: ({
      id,
      reason,
      proposedChange,
    }: {
      id: string;
      reason: string;
      proposedChange: string;
    }) => post(`/articles/${id}/revision-requests`, { reason, proposedChange, urgent: false }),
    onSuccess: invalidate,
  });

export const useReviewDone = () =>
  useMutation({
    mutationFn: (id: string) => post(`/articles/${id}/review-done`, { comment: '' }),
    onSuccess: invalidate,
  });

export const useAnswerFeedback = () =>
  useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: string }) =>
      post(`/feedback/${id}/answer`, { answer }),
    onSuccess: invalidate,
  });

export const useFeedbackToRevision = () =>
  useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      post(`/feedback/${id}/revision-request`, { reason }),
    onSuccess: invalidate,
  });

// ---- public help centre ----

export interface HelpCategory {
  id: string;
  parentId: string | null;
  name: string;
  articleCount: number;
}
export interface HelpListItem {
  id: string;
  title: string;
  type: ArticleType;
  categoryId: string;
  snippet: SnippetPart[];
}
export interface HelpArticle {
  id: string;
  title: string;
  body: string;
  language: KbLanguage;
  version: number;
  publishedAt: string;
  translations: { id: string; language: KbLanguage; title: string }[];
}

const help = <T>(path: string, query?: Record<string, string | undefined>) =>
  apiFetch<DataResponse<T>>(`/api/v1/help${path}`, { query, ignoreUnauthorized: true }).then(
    (r) => r.data,
  );

export const useHelpCategories = () =>
  useQuery({
    queryKey: ['help', 'categories'],
    queryFn: () => help<HelpCategory[]>('/categories'),
  });

export const useHelpArticles = (q: string, categoryId?: string) =>
  useQuery({
    queryKey: ['help', 'articles', q, categoryId],
    queryFn: () => help<HelpListItem[]>('/articles', { q: q || undefined, categoryId }),
    enabled: Boolean(q || categoryId),
  });

export const useHelpArticle = (id: string) =>
  useQuery({
    queryKey: ['help', 'article', id],
    queryFn: () => help<HelpArticle>(`/articles/${id}`),
  });

export const useHelpFeedback = () =>
  useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id: string;
      helpful: boolean;
      comment: string;
      /** The search that found the article: a helpful vote teaches search. */
      query?: string;
      category: string | null;
    }) =>
      apiFetch(`/api/v1/help/articles/${id}/feedback`, {
        method: 'POST',
        body,
        ignoreUnauthorized: true,
      }),
  });

// ---- tickets: reply-box phrase check, suggested articles, citations ----

export interface PhraseCheck {
  forbidden: {
    phrase: string;
    suggestion: string;
    articleId: string | null;
    start: number;
    end: number;
    match: string;
  }[];
  requiredMissing: { phrase: string; articleId: string | null }[];
}

/** Forbidden phrases found in a reply draft and required courtesy phrases missing. */
export const usePhraseCheck = (text: string) =>
  useQuery({
    queryKey: ['kb', 'phrase-check', text],
    queryFn: () => post<PhraseCheck>('/phrase-check', { text }),
    enabled: text.trim().length > 0,
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });

export const useKbSuggestions = (text: string, enabled = true) =>
  useQuery({
    queryKey: ['kb', 'suggestions', text],
    queryFn: () => get<SearchHit[]>('/suggestions', { text, limit: 5 }),
    enabled: enabled && text.trim().length > 0,
    staleTime: 60_000,
  });

export type CitationMode = 'link' | 'excerpt';

export interface TicketCitation {
  id: string;
  ticketId: string;
  articleId: string;
  articleTitle: string;
  versionId: string;
  versionNumber: number;
  current: boolean;
  mode: CitationMode;
  citedBy: { id: string; name: string };
  at: string;
}

export interface ArticleCitations {
  ticketCount: number;
  citationCount: number;
  recent: {
    ticketId: string;
    ticketNumber: string;
    subject: string;
    status: string;
    versionNumber: number;
    mode: CitationMode;
    citedBy: { id: string; name: string };
    at: string;
  }[];
}

export const useTicketCitations = (ticketId: string) =>
  useQuery({
    queryKey: ['kb', 'ticket-citations', ticketId],
    queryFn: () =>
      apiFetch<DataResponse<TicketCitation[]>>(`/api/v1/tickets/${ticketId}/citations`).then(
        (r) => r.data,
      ),
  });

export const useArticleCitations = (articleId: string) =>
  useQuery({
    queryKey: ['kb', 'article-citations', articleId],
    queryFn: () => get<ArticleCitations>(`/articles/${articleId}/citations`),
  });

export const useCiteArticle = () =>
  useMutation({
    mutationFn: ({
      ticketId,
      ...body
    }: {
      ticketId: string;
      articleId: string;
      mode: CitationMode;
    }) =>
      apiFetch<DataResponse<TicketCitation>>(`/api/v1/tickets/${ticketId}/citations`, {
        method: 'POST',
        body,
      }).then((r) => r.data),
    onSuccess: (_data, { ticketId }) => {
      invalidate();
      // The citation is a timeline entry too.
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'timeline', ticketId] });
    },
  });

/** A published version by id, for the excerpt of a suggested article. */
export const fetchKbArticleLive = (articleId: string) =>
  get<KbArticle>(`/articles/${articleId}`).then((a) =>
    a.liveVersion ? get<KbVersion>(`/versions/${a.liveVersion.id}`) : null,
  );

// ---------------------------------------------------------------- search dictionary

export interface KbDictionaryWord {
  id: string;
  word: string;
  /** Other words customers use for it (借记卡 for 储蓄卡): a search for one finds the others. */
  synonyms: string[];
  createdAt: string;
}

/** What adding a word or changing its synonyms answers: the entry and the articles re-indexed. */
export type KbDictionaryChange = KbDictionaryWord & { reindexed: number };

export const useKbDictionary = () =>
  useQuery({
    queryKey: ['kb-dictionary'],
    queryFn: () => apiFetch<DataResponse<KbDictionaryWord[]>>(`${base}/dictionary`),
    select: (r) => r.data,
  });

const invalidateDictionary = () =>
  void queryClient.invalidateQueries({ queryKey: ['kb-dictionary'] });

export const useAddKbDictionaryWord = () =>
  useMutation({
    mutationFn: (body: { word: string; synonyms: string[] }) =>
      apiFetch<DataResponse<KbDictionaryChange>>(`${base}/dictionary`, {
        method: 'POST',
        body,
      }),
    onSuccess: invalidateDictionary,
  });

/** Replaces a word's synonyms. */
export const useUpdateKbDictionaryWord = () =>
  useMutation({
    mutationFn: ({ id, synonyms }: { id: string; synonyms: string[] }) =>
      apiFetch<DataResponse<KbDictionaryChange>>(`${base}/dictionary/${id}`, {
        method: 'PATCH',
        body: { synonyms },
      }),
    onSuccess: invalidateDictionary,
  });

export const useRemoveKbDictionaryWord = () =>
  useMutation({
    mutationFn: (id: string) => apiFetch<null>(`${base}/dictionary/${id}`, { method: 'DELETE' }),
    onSuccess: invalidateDictionary,
  });
