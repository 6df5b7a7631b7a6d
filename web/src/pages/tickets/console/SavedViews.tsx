import { useEffect, useRef, useState } from 'react';
import { App, Button, Dropdown, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { MenuProps } from 'antd';
import { DeleteOutlined, SaveOutlined, StarOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import { useDeleteView, useSaveView, useSavedViews } from '../../../api/ticketAdmin';
import { useApiErrorHandler } from '../../../lib/errors';

/** Where views lived before they moved to the server; imported once, then removed. */
const LEGACY_STORAGE_KEY = 'kefu.tickets.views';

function legacyViews(): { name: string; search: string }[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(LEGACY_STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is { name: string; search: string } =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { name?: unknown }).name === 'string' &&
        typeof (v as { search?: unknown }).search === 'string',
    );
  } catch {
    return [];
  }
}

function forgetLegacyViews(): void {
  try {
    window.localStorage.removeItem(LEGACY_STORAGE_KEY);
  } catch {
    // Storage unavailable: nothing was stored there either.
  }
}

interface Props {
  current: () => string;
  onApply: (search: string) => void;
}

interface NameForm {
  name: string;
  teamId?: string;
}

/**
 * Saved filter sets, kept on the server per person (`/ticket-views`); a supervisor may share one
 * with a team they belong to. Saving under an existing name of yours overwrites it.
 */
export function SavedViews({ current, onApply }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe().data;
  const views = useSavedViews();
  const save = useSaveView();
  const remove = useDeleteView();
  const onError = useApiErrorHandler();
  const [naming, setNaming] = useState(false);
  const [form] = Form.useForm<NameForm>();
  const imported = useRef(false);

  const mayShare = me?.user.roles.some((r) => r === 'supervisor' || r === 'admin') ?? false;
  const myTeams = me?.user.teams ?? [];

  // Views saved in this browser before they lived on the server: import them once.
  useEffect(() => {
    if (imported.current || !views.data) return;
    imported.current = true;
    const local = legacyViews();
    if (local.length === 0) return;
    const taken = new Set(views.data.filter((v) => v.mine).map((v) => v.name));
    void Promise.allSettled(
      local
        .filter((v) => !taken.has(v.name.trim().slice(0, 40)))
        .map((v) => save.mutateAsync({ name: v.name.trim().slice(0, 40), search: v.search })),
    ).then(forgetLegacyViews);
  }, [views.data, save]);

  const submit = ({ name, teamId }: NameForm) => {
    const trimmed = name.trim();
    const existing = views.data?.find((v) => v.mine && v.name === trimmed);
    save.mutate(
      {
        ...(existing && { id: existing.id }),
        name: trimmed,
        search: current(),
        ...(mayShare && { teamId: teamId ?? null }),
      },
      {
        onSuccess: () => {
          setNaming(false);
          void message.success(t('tickets.views.saved'));
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  const items: MenuProps['items'] = views.data?.length
    ? views.data.map((view) => ({
        key: view.id,
        label: (
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <span>
              {view.name}
              {view.team && (
                <Tag icon={<TeamOutlined />} style={{ marginInlineStart: 8 }}>
                  {view.mine ? view.team.name : `${view.team.name} · ${view.owner.name}`}
                </Tag>
              )}
            </span>
            {view.mine && (
              <DeleteOutlined
                aria-label={t('tickets.views.delete')}
                onClick={(event) => {
                  event.stopPropagation();
                  remove.mutate(view.id, { onError: (error) => onError(error) });
                }}
              />
            )}
          </Space>
        ),
        onClick: () => onApply(view.search),
      }))
    : [{ key: 'none', label: t('tickets.views.none'), disabled: true }];

  return (
    <Space.Compact>
      <Dropdown menu={{ items }} trigger={['click']}>
        <Button icon={<StarOutlined />} loading={views.isPending} data-testid="saved-views">
          {t('tickets.views.title')}
        </Button>
      </Dropdown>
      <Button
        icon={<SaveOutlined />}
        onClick={() => setNaming(true)}
        aria-label={t('tickets.views.save')}
        title={t('tickets.views.save')}
        data-testid="save-view"
      />
      <Modal
        title={t('tickets.views.save')}
        open={naming}
        onOk={() => form.submit()}
        onCancel={() => setNaming(false)}
        confirmLoading={save.isPending}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form<NameForm> form={form} layout="vertical" preserve={false} onFinish={submit}>
          <Form.Item
            name="name"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input
              autoFocus
              maxLength={40}
              placeholder={t('tickets.views.namePlaceholder')}
              data-testid="view-name"
            />
          </Form.Item>
          {mayShare && myTeams.length > 0 && (
            <Form.Item
              name="teamId"
              label={t('ticketAdmin.views.shareWith')}
              extra={t('ticketAdmin.views.shareHint')}
            >
              <Select
                allowClear
                options={myTeams.map((team) => ({ value: team.id, label: team.name }))}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space.Compact>
  );
}
