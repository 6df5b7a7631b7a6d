import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Select,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  AUDIENCES,
  useEditVersion,
  useKbArticle,
  useKbHistory,
  useKbVersions,
  useRequestRevision,
  useReviewDone,
  useVersionAction,
  type KbAction,
  type KbVersion,
} from '../../api/kb';
import { useAbilities } from '../../api/auth';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { QueryError } from '../errors/QueryError';
import { CitationsTab } from './CitationsTab';
import { STATUS_COLORS, useKbLabels } from './labels';
import { Markdown } from './Markdown';
import { VersionsTab } from './VersionsTab';
import { ArticleImageButton } from '../attachments/ArticleImageButton';

/** Workflow buttons: only the actions the server says this user may take now. */
function WorkflowButtons({ version, articleId }: { version: KbVersion; articleId: string }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const act = useVersionAction();
  const revise = useRequestRevision();
  const onError = useApiErrorHandler();
  const label = useKbLabels();
  const run = (action: KbAction) => {
    let comment = '';
    const go = () => {
      const opts = {
        // Say what happened: "Approved: initial review", "Published" — not just "saved".
        onSuccess: () =>
          void message.success(
            t(`kb.done.${action}`, {
              step: label.step(
                version.status === 'submitted'
                  ? 'initial_review'
                  : version.status === 'initial_review'
                    ? 'second_review'
                    : 'final_approval',
              ),
            }),
          ),
        onError: (e: unknown) => onError(e),
      };
      if (action === 'request_revision')
        revise.mutate({ id: articleId, reason: comment.trim(), proposedChange: '' }, opts);
      else act.mutate({ id: version.id, action, comment: comment.trim() }, opts);
    };
    if (action === 'submit' || action === 'withdraw' || action === 'publish') return go();
    modal.confirm({
      title: label.action(action),
      content: (
        <Input.TextArea
          rows={3}
          placeholder={t(action === 'approve' ? 'kb.commentOptional' : 'kb.commentRequired')}
          onChange={(e) => (comment = e.target.value)}
          data-testid="kb-action-comment"
        />
      ),
      onOk: go,
    });
  };
  return (
    <Flex gap={8} wrap>
      {version.allowedActions
        .filter((a) => a !== 'edit')
        .map((a) => (
          <Button
            key={a}
            type={a === 'approve' || a === 'publish' ? 'primary' : 'default'}
            danger={a === 'reject'}
            onClick={() => run(a)}
            loading={act.isPending || revise.isPending}
            data-testid={`kb-action-${a}`}
          >
            {label.action(a)}
          </Button>
        ))}
    </Flex>
  );
}

function Editor({ version }: { version: KbVersion }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [title, setTitle] = useState(version.title);
  const [body, setBody] = useState(version.body);
  const [audience, setAudience] = useState(version.audience);
  const edit = useEditVersion();
  const onError = useApiErrorHandler();
  const label = useKbLabels();
  return (
    <Flex vertical gap={12}>
      <Flex gap={8}>
        <Input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={200}
          data-testid="kb-edit-title"
        />
        <Select
          value={audience}
          onChange={setAudience}
          style={{ width: 200 }}
          options={AUDIENCES.map((v) => ({ value: v, label: label.audience(v) }))}
        />
        <Button
          type="primary"
          loading={edit.isPending}
          onClick={() =>
            edit.mutate(
              { id: version.id, title, body, audience },
              { onSuccess: () => void message.success(t('kb.saved')), onError: (e) => onError(e) },
            )
          }
          data-testid="kb-save"
        >
          {t('common.save')}
        </Button>
        <ArticleImageButton
          articleId={version.articleId}
          onInsert={(md) =>
            setBody((b) => (b.endsWith('\n') || !b ? `${b}${md}\n` : `${b}\n${md}\n`))
          }
        />
      </Flex>
      <Flex gap={16} align="stretch">
        <Input.TextArea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          autoSize={{ minRows: 16 }}
          style={{ flex: 1, fontFamily: 'monospace' }}
          data-testid="kb-edit-body"
        />
        <Card size="small" title={t('kb.preview')} style={{ flex: 1 }}>
          <Markdown source={body} testId="kb-preview" />
        </Card>
      </Flex>
    </Flex>
  );
}

function HistoryTab({ id }: { id: string }) {
  const { t } = useTranslation();
  const history = useKbHistory(id);
  const label = useKbLabels();
  const formatDate = useFormatDateTime();
  return (
    <Timeline
      items={(history.data ?? []).map((e) => ({
        children: (
          <>
            <Typography.Text strong>{label.event(e.action)}</Typography.Text>
            {e.versionNumber !== null && <Tag style={{ marginLeft: 8 }}>v{e.versionNumber}</Tag>}
            {e.step && <Tag>{label.step(e.step)}</Tag>}
            <div>
              {e.actorName} · {formatDate(e.at)}
            </div>
            {e.comment && (
              <Typography.Text type="secondary">
                {e.action === 'edit'
                  ? t('kb.changedFields', { fields: label.fields(e.comment) })
                  : e.comment}
              </Typography.Text>
            )}
          </>
        ),
      }))}
    />
  );
}

/** /knowledge/articles/:id — read, edit the draft, move it through review, compare versions. */
export function ArticlePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const label = useKbLabels();
  const can = useAbilities();
  const article = useKbArticle(id);
  const versions = useKbVersions(id);
  const reviewDone = useReviewDone();
  usePageTitle(article.data?.title ?? t('nav.knowledge'));
  if (article.isError)
    return <QueryError error={article.error} onRetry={() => void article.refetch()} />;
  if (!article.data || !versions.data) return <Spin />;
  const a = article.data;
  const working = versions.data.find((v) => v.status !== 'published' && v.status !== 'superseded');
  const live = versions.data.find((v) => v.status === 'published');
  const current = working ?? live ?? versions.data[0]!;
  const editable = working?.allowedActions.includes('edit');
  const yourTurn = Boolean(
    working?.allowedActions.some((x) => x === 'approve' || x === 'publish' || x === 'submit'),
  );
  return (
    <Card>
      <Flex justify="space-between" align="start" gap={16} wrap>
        <div>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="kb-title">
            {current.title}
          </Typography.Title>
          <Flex gap={4} wrap>
            <Tag>{label.type(a.type)}</Tag>
            <Tag>{a.language}</Tag>
            <Tag>{label.audience(current.audience)}</Tag>
            <Tag color={STATUS_COLORS[current.status]} data-testid="kb-status">
              v{current.number} · {label.status(current.status)}
            </Tag>
            {a.urgentRevision && (
              <Tag color="red">
                {t('kb.urgent')}: {a.urgentReason}
              </Tag>
            )}
          </Flex>
          {a.nextStep && (
            <Typography.Text
              type={yourTurn ? 'warning' : 'secondary'}
              style={{ display: 'block', marginTop: 8 }}
              data-testid="kb-next-step"
            >
              {yourTurn
                ? t('kb.next.yourTurn', { next: label.nextStep(a.nextStep) })
                : label.nextStep(a.nextStep)}
            </Typography.Text>
          )}
        </div>
        <Flex gap={8} wrap>
          {working && <WorkflowButtons version={working} articleId={a.id} />}
          {!working && live && <WorkflowButtons version={live} articleId={a.id} />}
          {a.dueForReview && can('kb.write') && (
            <Button onClick={() => reviewDone.mutate(a.id)}>{t('kb.reviewDone')}</Button>
          )}
        </Flex>
      </Flex>
      <Descriptions size="small" style={{ marginTop: 12 }} column={3}>
        <Descriptions.Item label={t('kb.fields.nextReviewAt')}>
          {a.nextReviewAt ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('kb.fields.tags')}>{a.tags.join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('kb.fields.translations')}>
          {a.translations.map((tr) => (
            <a key={tr.id} href={`/knowledge/articles/${tr.id}`}>
              {tr.language} {tr.title}
            </a>
          ))}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'content',
            label: t('kb.tabs.content'),
            children:
              editable && working ? (
                <Editor key={working.id + working.updatedAt} version={working} />
              ) : (
                <Markdown source={current.body} testId="kb-body" />
              ),
          },
          ...(working && live
            ? [{ key: 'live', label: t('kb.tabs.live'), children: <Markdown source={live.body} /> }]
            : []),
          {
            key: 'versions',
            label: t('kb.tabs.versions'),
            children: <VersionsTab articleId={a.id} versions={versions.data} />,
          },
          { key: 'history', label: t('kb.tabs.history'), children: <HistoryTab id={a.id} /> },
          ...(a.liveVersion
            ? [
                {
                  key: 'citations',
                  label: t('kb.tabs.citations'),
                  children: <CitationsTab articleId={a.id} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
